"""What is derived once from shipped packages is read back from the cache, and a bad cache costs only time."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.cache import cache_dir, cached_json


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_value_is_built_once_and_then_read_from_the_cache(folder: Path) -> None:
    builds = []

    def build() -> dict[str, str]:
        builds.append(1)
        return {"kyiv": "city:703448"}

    assert cached_json("places.json", build) == {"kyiv": "city:703448"}
    assert cached_json("places.json", build) == {"kyiv": "city:703448"}
    assert len(builds) == 1
    assert cache_dir() == folder and (folder / "places.json").is_file()
    assert not [p for p in folder.iterdir() if p.name.startswith(".building-")]


def test_a_damaged_cache_file_is_rebuilt(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "places.json").write_text('{"kyiv": ')  # a half-written file from a crashed process
    assert cached_json("places.json", lambda: {"kyiv": "city:703448"}) == {"kyiv": "city:703448"}
    assert cached_json("places.json", lambda: {}) == {"kyiv": "city:703448"}


def test_a_cache_that_cannot_be_written_still_returns_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NEWSWEAVE_CACHE_DIR", str(blocked / "cache"))
    assert cached_json("places.json", lambda: [1, 2]) == [1, 2]


def test_a_file_is_hashed_once_per_version_of_it(folder: Path, tmp_path: Path) -> None:
    import hashlib
    import os

    from newsweave.cache import file_digest

    graph = tmp_path / "graph.onnx"
    graph.write_bytes(b"weights v1")
    assert file_digest(graph) == hashlib.sha256(b"weights v1").hexdigest()[:16]
    [kept] = folder.iterdir()
    kept.write_text('"read back"')
    assert file_digest(graph) == "read back"  # not hashed again
    graph.write_bytes(b"weights v2, longer")
    os.utime(graph, ns=(1, 1))  # a new version, whatever the clock's resolution
    assert file_digest(graph) == hashlib.sha256(b"weights v2, longer").hexdigest()[:16]


def test_place_names_are_read_back_from_the_cache_as_they_were_derived(folder: Path) -> None:
    from newsweave.names import aliases

    aliases._countries.cache_clear()
    aliases._cities.cache_clear()
    try:
        countries = aliases._read_countries()
        assert aliases._countries() == countries  # derived, written and returned
        assert [p.name.split("-")[0] for p in folder.iterdir()] == ["countries"]
        aliases._countries.cache_clear()
        assert aliases._countries() == countries  # read back
        assert aliases.place_key("U.S.") == aliases.place_key("America") == "country:US"
        assert aliases.place_key("Kiev") == aliases.place_key("Kyiv") is not None
        assert {p.name.split("-")[0] for p in folder.iterdir()} == {"countries", "cities"}
    finally:
        aliases._countries.cache_clear()
        aliases._cities.cache_clear()
