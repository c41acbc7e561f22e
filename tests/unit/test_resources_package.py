"""checks.resources loads a family's module only when one of its names is asked for: every name
it offers still resolves to its family's own object, and the names mypy reads (the
TYPE_CHECKING imports) are the names the package hands out."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

from checks import resources

INIT = Path(resources.__file__)


def test_every_name_offered_is_its_familys_own_object() -> None:
    assert set(resources.__all__) == {*resources.HOMES, "AnyDeployment"}
    for name, home in resources.HOMES.items():
        family = importlib.import_module(f"checks.resources.{home}")
        assert getattr(resources, name) is getattr(family, name), name
    assert resources.AnyDeployment == resources.Deployment | resources.LLMService
    assert resources.llm_services is importlib.import_module("checks.resources.llm_services")


def test_the_names_mypy_reads_are_the_names_handed_out() -> None:
    tree = ast.parse(INIT.read_text())
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom) and stmt.module:
                    family = stmt.module.rsplit(".", 1)[1]
                    typed |= {alias.name: family for alias in stmt.names}
    assert typed == resources.HOMES


def test_importing_the_package_builds_no_family_and_a_wrong_name_is_an_attribute_error() -> None:
    probe = (
        "import sys, checks.resources as r\n"
        "print(sorted(m for m in sys.modules if m.startswith('checks.resources.')))\n"
        "r.Route\n"
        "print(sorted(m for m in sys.modules if m.startswith('checks.resources.')))\n"
        "print(hasattr(r, 'NoSuchName'))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, after, found = done.stdout.splitlines()
    assert before == "[]"
    assert after == "['checks.resources.common', 'checks.resources.routes']"
    assert found == "False"
