"""No import circle among the product's modules (checks, tui, rhoai_doctor, lab): imports inside
functions and under TYPE_CHECKING count, as in /work/shared/tools/check_cycles.py. A circle means
two modules cannot be understood, tested or moved one without the other."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("checks", "tui", "rhoai_doctor", "lab")


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Module -> the product modules it imports (a package importing its own parent excluded)."""
    paths: dict[str, Path] = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def resolve(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {module: set() for module in paths}
    for module, path in paths.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = module.split(".")
                    if path.name != "__init__.py":
                        package = package[:-1]
                    package = package[: len(package) - node.level + 1]
                    base = ".".join([*package, base] if base else package)
                names = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for name in names:
                target = resolve(name)
                if target and target != module and not module.startswith(target + "."):
                    graph[module].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def test_no_import_circle_among_the_products_modules() -> None:
    assert [" <-> ".join(c) for c in circles(import_graph(ROOT))] == []


def test_a_planted_circle_is_found(tmp_path: Path) -> None:
    """Through a function's import and a TYPE_CHECKING one; a module importing its own package
    (checks.room.a -> checks.room) is no circle."""
    room = tmp_path / "checks" / "room"
    room.mkdir(parents=True)
    (tmp_path / "checks" / "__init__.py").write_text("")
    (room / "__init__.py").write_text('"""A room."""\n')
    (room / "a.py").write_text(
        "import checks.room\n\ndef later():\n    from checks.room.b import B\n"
    )
    (room / "b.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .c import C\nB = 1\n"
    )
    (room / "c.py").write_text("from checks.room import a\n")
    (room / "d.py").write_text("from checks.room.a import later\n")
    assert circles(import_graph(tmp_path)) == [["checks.room.a", "checks.room.b", "checks.room.c"]]
