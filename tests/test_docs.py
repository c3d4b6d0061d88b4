"""docs: CONTRIBUTING's module table names every module of the package, and only modules that exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "newsweave"
# described in CONTRIBUTING's text rather than its table: the records, the settings, the order, the commands
NOT_IN_TABLE = {"__init__.py", "__main__.py", "model.py", "config.py", "pipeline.py", "cli.py", "data"}


def _table_paths() -> list[str]:
    text = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+)` \|", text, re.M)


def test_every_module_and_package_of_newsweave_is_in_the_contributing_table() -> None:
    listed = {p.split("/")[0] + ("/" if "/" in p else "") for p in _table_paths()}
    present = {
        p.name + ("/" if p.is_dir() else "")
        for p in PACKAGE.iterdir()
        if p.name not in NOT_IN_TABLE
        and not p.name.startswith((".", "_"))
        and p.name != "__pycache__"
        and (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
    }
    assert present - listed == set(), "add these to docs/CONTRIBUTING.md's module table"


def test_every_module_in_the_contributing_table_exists_with_its_first_entry_point() -> None:
    text = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for row in re.findall(r"^\| `([^`]+)` \| `([A-Za-z_][A-Za-z_0-9]*)", text, re.M):
        path, name = row
        assert (PACKAGE / path).exists(), f"{path} is in the table but not in src/newsweave"
        module = "newsweave." + path.removesuffix("/").removesuffix(".py").replace("/", ".").removesuffix(
            ".__init__"
        )
        found = importlib.import_module(module)
        if path.endswith("/") and not hasattr(found, name):  # a package's entry point may live in a submodule
            continue
        assert hasattr(found, name), f"{module} has no {name}, which the table names as its entry point"
