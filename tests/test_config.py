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


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("summary.max_articles", 0, "'summary.max_articles' must be at least 1, not 0"),
        ("workers", 0, "'workers' must be at least 1"),
        ("cluster.story_threshold", 1.5, "between 0.0 and 1.0, not 1.5"),
        ("summary.words", "60", "'summary.words' must be int, not '60'"),
        ("analyze.embed", 1, "'analyze.embed' must be bool"),
        (
            "analyze.document_vector",
            "mean",
            "'analyze.document_vector' must be one of lead, pooled, multilingual, not 'mean'",
        ),
    ],
)
def test_wrong_values_are_refused_with_their_key(key: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Config().with_overrides(**{key: value})


def test_a_wrong_value_in_the_file_names_its_key(tmp_path: Path) -> None:
    file = tmp_path / "nw.toml"
    file.write_text("[cluster]\nweight_terms = 0\nweight_vector = 0.0\n")
    with pytest.raises(ValueError, match="at least one similarity weight"):
        load_config(file)
    file.write_text("[summary]\nmax_articles = -3\n")
    with pytest.raises(ValueError, match="summary.max_articles"):
        load_config(file)
    file.write_text("summary = 5\n")
    with pytest.raises(ValueError, match="'summary' must be a table"):
        load_config(file)


def test_in_range_values_and_paths_are_accepted(tmp_path: Path) -> None:
    cfg = Config(db=tmp_path / "n.db").with_overrides(
        **{"cluster.story_threshold": 1, "summary.max_articles": 1}
    )
    assert cfg.db == str(tmp_path / "n.db") and cfg.cluster.story_threshold == 1
