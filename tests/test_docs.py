"""docs: CONTRIBUTING's module table names every module of the package, and only modules that exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "newsweave"
NOT_IN_TABLE = {"__init__.py", "__main__.py"}  # a package's __init__ is its `pkg/` row


def _rows() -> list[tuple[str, str]]:
    """(module path, the first name its entry-point cell gives, or "" when the cell points elsewhere)."""
    text = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+)` \| (?:`([A-Za-z_][A-Za-z_0-9]*)|see )", text, re.M)


def _modules() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.name in NOT_IN_TABLE or "__pycache__" in relative.parts:
            continue
        found.add(relative.as_posix())
    packages = {p.parent.relative_to(PACKAGE).as_posix() + "/" for p in PACKAGE.rglob("__init__.py")}
    return found | (packages - {"./"})


def test_every_module_and_package_of_newsweave_is_in_the_contributing_table() -> None:
    listed = {path for path, _ in _rows()}
    assert _modules() - listed == set(), "add these to docs/CONTRIBUTING.md's module table"


def test_every_module_in_the_contributing_table_exists_with_its_first_entry_point() -> None:
    for path, name in _rows():
        assert (PACKAGE / path).exists(), f"{path} is in the table but not in src/newsweave"
        module = "newsweave." + path.removesuffix("/").removesuffix(".py").replace("/", ".")
        assert name or path.endswith("/"), f"{path}: only a package's row may point to another module"
        assert not name or hasattr(importlib.import_module(module), name), (
            f"{module} has no {name}, the table's entry point"
        )
