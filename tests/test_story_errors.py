"""The story-error listing and the ceiling a reading of it allows (benchmarks/story_errors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_benchmark

BENCH = load_benchmark("story_errors.py")

# gold: roundup 1 (a1, a2, a3), roundup 2 (b1, b2), roundup 3 (c1, c2)
GOLD = {"a1": "1", "a2": "1", "a3": "1", "b1": "2", "b2": "2", "c1": "3", "c2": "3"}
# the clusterer put roundups 1 and 2 into story S, left a3 alone in T, and kept roundup 3 whole
PRED = {"a1": "S", "a2": "S", "b1": "S", "b2": "S", "a3": "T", "c1": "U", "c2": "U"}


def test_two_roundups_in_one_story_are_a_merge_and_a_roundup_over_two_stories_is_a_split() -> None:
    keys = [case.key for case in BENCH.disagreements(PRED, GOLD)]
    assert keys == ["merge:1+2", "split:1"]


def test_a_clustering_that_agrees_with_the_gold_has_no_disagreements() -> None:
    assert BENCH.disagreements(GOLD, GOLD) == []


def test_fixing_every_case_read_as_the_gold_s_gives_the_gold_back() -> None:
    readings = {"merge:1+2": BENCH.Reading("a"), "split:1": BENCH.Reading("a")}
    fixed = BENCH.ceiling(PRED, GOLD, readings)
    assert BENCH.scores(fixed, GOLD)["bcubed_f1"] == 1.0


def test_a_merge_the_reader_says_the_clusterer_got_right_stays_merged() -> None:
    readings = {"merge:1+2": BENCH.Reading("b"), "split:1": BENCH.Reading("a")}
    fixed = BENCH.ceiling(PRED, GOLD, readings)
    assert fixed["a1"] == fixed["b1"] == fixed["a3"]  # the split joined, the merge kept
    assert fixed["c1"] != fixed["a1"]


def test_a_case_that_cannot_be_told_is_kept_as_the_clusterer_has_it_unless_asked() -> None:
    readings = {"merge:1+2": BENCH.Reading("c"), "split:1": BENCH.Reading("c")}
    as_now = BENCH.ceiling(PRED, GOLD, readings)
    assert as_now["a3"] != as_now["a1"] and as_now["a1"] == as_now["b1"]
    both = BENCH.ceiling(PRED, GOLD, readings, ("a", "c"))
    assert BENCH.scores(both, GOLD)["bcubed_f1"] == 1.0


def test_an_article_kept_apart_by_a_reading_does_not_rejoin_its_roundup() -> None:
    pred = {"a1": "S", "a2": "T", "a3": "U", "b1": "V", "b2": "V", "c1": "W", "c2": "W"}
    readings = {"split:1": BENCH.Reading("a", frozenset({"a3"}))}
    fixed = BENCH.ceiling(pred, GOLD, readings)
    assert fixed["a1"] == fixed["a2"] != fixed["a3"]


def test_a_verdict_other_than_a_b_or_c_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "readings.tsv"
    path.write_text("# a comment\nmerge:1+2\ta\tsuccessive\tnote\nsplit:1\tyes\tone happening\tnote\n")
    with pytest.raises(ValueError, match="readings.tsv:3"):
        BENCH.read_verdicts(path)


def test_every_stored_reading_names_a_case_and_a_known_verdict() -> None:
    folder = Path(__file__).resolve().parents[1] / "benchmarks" / "story_readings"
    for path in sorted(folder.glob("*.tsv")):
        readings = BENCH.read_verdicts(path)
        assert readings, path
        assert all(key.startswith(("merge:", "split:")) for key in readings), path
