"""The house's import rules: rhoai_doctor -> tui -> checks, lab apart. Imports inside functions
and through importlib count too; a planted violation is caught."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "checks": {"tui", "lab", "rhoai_doctor", "textual"},
    "tui": {"lab", "rhoai_doctor"},
    "lab": {"checks", "tui", "rhoai_doctor"},
}


def imported_packages(tree: ast.AST) -> set[tuple[str, int]]:
    """Top-level package names a module imports, wherever the import statement stands."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add((node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add((first.value.split(".")[0], node.lineno))
    return found


def violations(root: Path) -> list[str]:
    bad = []
    for package, banned in FORBIDDEN.items():
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for name, line in sorted(imported_packages(tree)):
                if name in banned:
                    bad.append(f"{path.relative_to(root)}:{line} imports {name}")
    return bad


def test_the_house_imports_run_one_way() -> None:
    assert violations(ROOT) == []


def test_a_planted_violation_is_caught(tmp_path: Path) -> None:
    (tmp_path / "checks").mkdir()
    (tmp_path / "tui").mkdir()
    (tmp_path / "checks" / "sneaky.py").write_text(
        "import importlib\n\n"
        "def later():\n"
        "    from lab import control\n"
        "    return importlib.import_module('tui.app'), control\n"
    )
    (tmp_path / "tui" / "door.py").write_text("import rhoai_doctor.cli\n")
    assert violations(tmp_path) == [
        "checks/sneaky.py:4 imports lab",
        "checks/sneaky.py:5 imports tui",
        "tui/door.py:1 imports rhoai_doctor",
    ]


CHECK_MAY_IMPORT = {
    "checks.engine.runner",
    "checks.engine.context",
    "checks.engine.facts",
    "checks.engine.facts_standard",
    "checks.engine.auth_facts",
    "checks.engine.pod_crash",  # why a predictor pod cannot become ready (its log, its events)
    "checks.engine.reconcile",  # an InferenceService no controller reconciled, and why
    "checks.errors",
    "checks.resources",
    "checks.knowledge.runtimes",
    "checks.endpoints.v2",
    "checks.storage.s3",
    "checks.model_files.onnx",
    "checks.knowledge.connection_refs",  # pure: the 3.x connection reference, worded as the webhook does
    "checks.storage.oci_registry",  # pure parsing of oci:// references (the I/O goes through facts)
    "checks.knowledge.vllm_runtime",  # what vLLM is and runs with (a table, like checks.knowledge.runtimes)
    "checks.knowledge.crash_signatures",
    "checks.model_files.hf_folder",
    "checks.storage.landing",  # pure: which listed objects land in the model directory, which loads
    "checks.storage.model_dir",  # pure: which names are model files
}


def test_a_check_imports_the_engine_its_context_and_facts_never_another_check() -> None:
    """Facts several checks share live in checks/engine/facts.py; a check that imported another (or the
    request builder, or the session) would bring back the old import cycle."""
    bad = []
    for path in sorted((ROOT / "checks" / "catalog").glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("checks")
            ):
                names = {node.module} | {f"{node.module}.{a.name}" for a in node.names}
                if not names & CHECK_MAY_IMPORT:
                    bad.append(f"{path.name}: from {node.module} import ...")
    assert bad == []


# -- the rooms of checks/ -------------------------------------------------------------------------
# Which room (a folder of checks/) or top-level module may import which; errors and text are
# leaves every unit may import. A unit missing here fails the test: a new module of checks/ gets
# a room by someone's choice, and the top of checks/ stays a handful of modules.
LEAVES = {"errors", "text"}
BELOW_ENGINE = {
    "options",
    "cluster",
    "transport",
    "resources",
    "knowledge",
    "endpoints",
    "storage",
    "model_files",
}
ROOM_MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "text": set(),
    "transport": set(),  # HTTP plumbing: nothing but the leaves
    "resources": set(),  # typed views of objects, no I/O
    "cluster": {"transport", "resources"},
    "knowledge": {"resources", "cluster"},  # cluster: the snapshot's and the API's types
    "endpoints": {"transport", "knowledge"},
    "storage": {"transport", "endpoints", "resources"},  # endpoints: the routes' TLS settings
    "model_files": {"storage", "resources"},
    "options": {"cluster"},
    "engine": BELOW_ENGINE,
    "request": BELOW_ENGINE | {"engine"},
    "catalog": {"engine", "knowledge", "endpoints", "storage", "model_files", "resources"},
    "session": BELOW_ENGINE | {"engine", "request", "catalog"},
    "capture": BELOW_ENGINE | {"engine", "request", "catalog", "session"},
    "sweep": BELOW_ENGINE | {"engine", "request", "catalog", "session"},
    # a sweep's helper process: the sweep's own project code, on another core
    "sweep_helper": BELOW_ENGINE | {"engine", "request", "catalog", "session", "sweep"},
    "watching": BELOW_ENGINE | {"engine", "request", "catalog", "session"},
    # the console's background sweep in a process of its own: a live or a capture's session
    "sweep_process": BELOW_ENGINE | {"engine", "request", "catalog", "session", "capture", "sweep"},
}


def unit_of(dotted: str) -> str:
    """checks.storage.s3 -> storage; checks.session -> session."""
    return dotted.split(".")[1] if dotted.count(".") else ""


def checks_imports(path: Path, module: str) -> set[tuple[str, int]]:
    """The modules of checks a module imports, by dotted name, wherever the import stands."""
    found: set[tuple[str, int]] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            names = [f"{base}.{a.name}" for a in node.names] if base == "checks" else [base]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names = [first.value]
        found |= {(n, node.lineno) for n in names if n.startswith("checks.")}
    return found


def room_violations(root: Path) -> list[str]:
    bad = []
    for path in sorted((root / "checks").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        unit = unit_of(module) if module != "checks" else ""
        where = path.relative_to(root)
        if unit and unit not in ROOM_MAY_IMPORT:
            bad.append(f"{where}: {unit} is in no room of the table")
            continue
        for name, line in sorted(checks_imports(path, module), key=lambda found: found[::-1]):
            target = unit_of(name)
            allowed = ROOM_MAY_IMPORT.get(unit, set()) | LEAVES | {unit}
            if unit and target not in allowed:
                bad.append(f"{where}:{line} {unit} imports {target} ({name})")
    return bad


def test_each_room_imports_only_the_rooms_below_it() -> None:
    assert room_violations(ROOT) == []


def test_a_room_rule_broken_is_caught(tmp_path: Path) -> None:
    for room in ("cluster", "knowledge"):
        (tmp_path / "checks" / room).mkdir(parents=True)
        (tmp_path / "checks" / room / "__init__.py").write_text('"""A room."""\n')
    (tmp_path / "checks" / "cluster" / "client.py").write_text(
        "from checks.errors import KubeError\n\n"
        "def later():\n"
        "    from checks.engine.runner import Outcome\n"
        "    return Outcome, KubeError\n"
    )
    (tmp_path / "checks" / "knowledge" / "table.py").write_text(
        "import importlib\n\nS3 = importlib.import_module('checks.storage.s3')\n"
        "from checks import session\n"
    )
    (tmp_path / "checks" / "stray.py").write_text("import checks.cluster.client\n")
    assert room_violations(tmp_path) == [
        "checks/cluster/client.py:4 cluster imports engine (checks.engine.runner)",
        "checks/knowledge/table.py:3 knowledge imports storage (checks.storage.s3)",
        "checks/knowledge/table.py:4 knowledge imports session (checks.session)",
        "checks/stray.py: stray is in no room of the table",
    ]


def test_the_rooms_table_is_a_ladder() -> None:
    """No two rooms may import each other, even through others: the table has no circle."""
    seen: dict[str, set[str]] = {}

    def reach(unit: str) -> set[str]:
        if unit not in seen:
            seen[unit] = set()
            for below in ROOM_MAY_IMPORT[unit]:
                seen[unit] |= {below} | reach(below)
        return seen[unit]

    assert [unit for unit in ROOM_MAY_IMPORT if unit in reach(unit)] == []
    assert set().union(*ROOM_MAY_IMPORT.values()) <= set(ROOM_MAY_IMPORT)


def test_a_room_says_what_it_is_for_and_imports_nothing_on_arrival() -> None:
    """Each room's __init__ is a docstring: importing one module of a room does not import the
    room's others (catalog's CATALOG and resources' re-exports are their public faces)."""
    bad = []
    for init in sorted((ROOT / "checks").glob("*/__init__.py")):
        tree = ast.parse(init.read_text())
        if not ast.get_docstring(tree):
            bad.append(f"{init.parent.name}: no docstring")
        if init.parent.name in ("catalog", "resources"):
            continue
        imports = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")
        ]
        if imports:
            bad.append(f"{init.parent.name}: imports on arrival (line {imports[0].lineno})")
    assert bad == []
