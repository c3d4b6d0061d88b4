"""judge: operating points, the bi-encoder pre-filter, supports() with its evidence; the shipped model."""

from __future__ import annotations

import numpy as np
import pytest

from compare_fixtures import WordJudge, bag_of_words_vector
from newsweave.judge import CONTRADICTS_MIN, ENTAILS_MIN, Verdict, evidence_rows, label_of, supports
from newsweave.judge.crossencoder import MODEL_FILE, CrossEncoderJudge


def test_unsure_verdicts_say_neither() -> None:
    assert label_of(Verdict(ENTAILS_MIN - 0.01, 0.0, 0.5, 0.49)) == "neither"
    assert label_of(Verdict(ENTAILS_MIN, 0.0, 0.0, 0.0)) == "entails"
    assert label_of(Verdict(0.3, CONTRADICTS_MIN, 0.1, 0.1)) == "contradicts"
    assert label_of(Verdict(0.4, CONTRADICTS_MIN - 0.01, 0.3, 0.0)) == "neither"


def test_evidence_rows_are_the_nearest_sentences_in_document_order() -> None:
    rows = np.eye(4, dtype=np.float32)
    claim = np.array([0.1, 0.0, 0.9, 0.5], dtype=np.float32)
    assert evidence_rows(claim, rows, k=2) == [2, 3]
    assert evidence_rows(claim, np.zeros((0, 4), dtype=np.float32)) == []


def test_supports_names_the_sentence_that_states_the_claim() -> None:
    claim = "Minister Anna Kovacs held talks with Chancellor Franz Huber about the pipeline."
    article = [
        "Protesters gathered outside the palace.",
        "Chancellor Franz Huber held talks with Minister Anna Kovacs about the pipeline.",
    ]
    found = supports(claim, article, WordJudge())
    assert (found.label, found.sentence, found.text) == ("entails", 1, article[1])


def test_supports_finds_a_contradiction_and_otherwise_says_neither() -> None:
    claim = "Minister Anna Kovacs arrived in Vienna on Sunday for pipeline talks."
    assert (
        supports(
            claim, ["Minister Anna Kovacs arrived in Vienna on Monday for pipeline talks."], WordJudge()
        ).label
        == "contradicts"
    )
    found = supports(claim, ["The army shot down three drones overnight."], WordJudge())
    assert (found.label, found.sentence, found.text) == ("neither", None, None)


def test_the_prefilter_skips_sentences_far_from_the_claim() -> None:
    judge = WordJudge()
    claim = "Minister Anna Kovacs arrived in Vienna on Sunday for pipeline talks."
    article = ["The army shot down three drones overnight near the border."]
    vectors = np.array([bag_of_words_vector(s) for s in article], dtype=np.float32)
    found = supports(claim, article, judge, np.array(bag_of_words_vector(claim), dtype=np.float32), vectors)
    assert found.label == "neither" and judge.asked == []


@pytest.mark.skipif(not MODEL_FILE.is_file(), reason="the shipped judge model is missing")
def test_the_shipped_judge_tells_a_paraphrase_from_a_different_fact() -> None:
    judge = CrossEncoderJudge(threads=1)
    claim = "The Russian leader could also make an official visit to Pyongyang in the foreseeable future, Peskov said."
    same, other = judge.judge(
        [
            (claim, "Peskov said Putin may pay an official visit to Pyongyang in the foreseeable future."),
            (claim, "Kim Jong Un met Belarusian President Alexander Lukashenko in Beijing last month."),
        ]
    )
    assert label_of(same) == "entails"
    assert label_of(other) == "neither"
    assert judge.judge([(claim, "x")]) == judge.judge([(claim, "x")])  # a verdict depends on the pair only


def test_a_sentence_without_the_claims_day_or_figure_does_not_state_it() -> None:
    from newsweave.judge import covers_values, states

    claim = "Congress on Thursday approved a measure to fund the government into early December."
    assert not covers_values(claim, "The House passed a stopgap bill on Thursday to avert a shutdown.")
    assert covers_values(claim, "On Thursday lawmakers agreed to keep the government open into December.")
    assert covers_values(
        "Next year's COLA will be 5.9%.", "The cost-of-living adjustment, 5.9% next year, was set."
    )
    assert not covers_values("Growth will be 4.9% next year.", "Growth will be 4.8% next year.")
    sure = Verdict(0.95, 0.0, 0.05, 0.0)
    assert not states(claim, "The House passed a stopgap bill on Thursday.", sure)


def test_a_day_the_analysis_resolved_is_compared_as_a_date_not_as_a_word() -> None:
    from newsweave.judge import covers_values

    claim = "The mandate takes effect on Oct. 11, the governor said."
    evidence = "The governor said the mandate takes effect on Monday."
    assert not covers_values(claim, evidence)
    assert covers_values(claim, evidence, [("Oct. 11", "2021-10-11")], [("Monday", "2021-10-11")])
    assert not covers_values(claim, evidence, [("Oct. 11", "2021-10-11")], [("Monday", "2021-10-18")])
    assert not covers_values(
        claim, "The mandate takes effect in October.", [("Oct. 11", "2021-10-11")], [("October", "2021-10")]
    )


def test_a_call_returns_every_verdict_when_another_call_clears_the_cache_meanwhile(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsweave.judge import Verdict, crossencoder

    judge = crossencoder.CrossEncoderJudge(threads=1)

    def run_while_another_story_fills_the_cache(pairs: list[tuple[str, str]]) -> list[Verdict]:
        judge._cache.clear()  # what a call on another thread does when the cache is full
        return [Verdict(len(a) / 100, 0.0, 0.0, 0.0) for a, _ in pairs]

    judge._cache = {("a", "x"): Verdict(0.01, 0.0, 0.0, 0.0), ("bb", "x"): Verdict(0.02, 0.0, 0.0, 0.0)}
    monkeypatch.setattr(judge, "_run", run_while_another_story_fills_the_cache)
    verdicts = judge.judge([("a", "x"), ("bb", "x"), ("ccc", "x")])
    assert [round(v.entails, 2) for v in verdicts] == [0.01, 0.02, 0.03]
