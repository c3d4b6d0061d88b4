"""Configuration: defaults, a TOML file, and command-line overrides on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.config import Config, load_config


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config() == Config()


def test_toml_then_overrides(tmp_path: Path) -> None:
    file = tmp_path / "nw.toml"
    file.write_text('db = "x.db"\n[summary]\nwords = 60\n[cluster]\nstory_threshold = 0.5\n')
    cfg = load_config(file)
    assert (cfg.db, cfg.summary.words, cfg.cluster.story_threshold) == ("x.db", 60, 0.5)
    cfg = cfg.with_overrides(db="y.db", **{"summary.words": 80, "analyze.embed": None})
    assert (cfg.db, cfg.summary.words, cfg.analyze.embed) == ("y.db", 80, True)


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    file = tmp_path / "nw.toml"
    file.write_text("[summary]\nwordz = 60\n")
    with pytest.raises(ValueError, match="wordz"):
        load_config(file)
    with pytest.raises(ValueError, match="nope"):
        Config().with_overrides(**{"summary.nope": 1})
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "missing.toml")
