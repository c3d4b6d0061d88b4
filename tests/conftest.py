"""Shared fixtures: the ../shared folder (labelled data, seeds) when it is present."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

# property tests check what holds, never how fast: Hypothesis's default 200 ms deadline per example
# failed test_names' normalisation property on a loaded machine (stop 36), a timed test by another name
settings.register_profile("newsweave", deadline=None)
settings.load_profile("newsweave")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def postgres_url():
    """A running PostgreSQL server for the session; skipped where it cannot be started."""
    import pg_server

    reason = pg_server.available()
    if reason:
        pytest.skip(reason)
    with pg_server.postgres_server() as url:
        yield url


def load_benchmark(filename: str) -> ModuleType:
    """A script of benchmarks/ imported as a module (benchmarks/ is no package)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / filename
    spec = importlib.util.spec_from_file_location(f"{path.stem}_benchmark", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def without_group_keys(value: str, *keys: str) -> str:
    """A stored clusterer item without ``keys`` in its group and its events: what an older state
    wrote before those keys existed."""
    data = json.loads(value)
    if isinstance(data, dict):
        for group in [data, *[e for e in data.get("events", []) if isinstance(e, dict)]]:
            for key in keys:
                group.pop(key, None)
    return json.dumps(data)
