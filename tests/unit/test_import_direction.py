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
