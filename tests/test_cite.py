"""cite: a sentence cites only the articles whose own sentence states it, with that sentence."""

from __future__ import annotations

import numpy as np

from compare_fixtures import WordJudge, analyzed
from newsweave.story.cite import Citer

TALKS = "Minister Anna Kovacs held talks with Chancellor Franz Huber about the gas pipeline in Vienna."


def _vectors(members) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.array([v for m in members for v in m.sentence_vectors], dtype=np.float32)


def test_only_articles_that_state_the_sentence_are_cited_with_their_own_sentence() -> None:
    members = [
        analyzed("a", "One", [TALKS]),
        analyzed(
            "b",
            "Two",
            [
                "Protesters gathered outside.",
                "Chancellor Franz Huber held talks with Minister "
                "Anna Kovacs about the gas pipeline in Vienna.",
            ],
        ),
        analyzed("c", "Three", ["Minister Anna Kovacs will visit Chancellor Franz Huber next spring."]),
    ]
    evidence = Citer(members, _vectors(members), WordJudge()).evidence("a", 0)
    assert [(e.article, e.sentence) for e in evidence] == [("a", 0), ("b", 1)]
    assert evidence[1].text.startswith("Chancellor Franz Huber held talks")


def test_an_article_about_another_occurrence_is_never_cited() -> None:
    members = [analyzed("a", "One", [TALKS]), analyzed("b", "Two", [TALKS])]
    citer = Citer(members, _vectors(members), WordJudge(), event_of={"a": "march", "b": "october"})
    assert [e.article for e in citer.evidence("a", 0)] == ["a"]


def test_each_sentence_is_judged_once_per_story() -> None:
    judge = WordJudge()
    members = [analyzed("a", "One", [TALKS]), analyzed("b", "Two", [TALKS])]
    citer = Citer(members, _vectors(members), judge)
    citer.evidence("a", 0)
    asked = len(judge.asked)
    citer.evidence("a", 0)
    assert len(judge.asked) == asked == 1


class _CountingJudge(WordJudge):
    """A WordJudge that also counts its calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def judge(self, pairs):  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().judge(pairs)


def test_sentences_fetched_together_are_judged_in_one_call_and_cite_as_one_by_one() -> None:
    members = [
        analyzed("a", "One", [TALKS, "The pipeline would carry 12 billion cubic metres of gas a year."]),
        analyzed(
            "b",
            "Two",
            [
                "Chancellor Franz Huber held talks with Minister Anna Kovacs about the gas pipeline in Vienna.",
                "The pipeline would carry 12 billion cubic metres of gas every year.",
            ],
        ),
    ]
    keys = [("a", 0), ("a", 1), ("b", 0)]
    together = _CountingJudge()
    citer = Citer(members, _vectors(members), together)
    citer.prefetch(keys)
    found = [citer.evidence(*k) for k in keys]
    assert together.calls == 1
    one_by_one = Citer(members, _vectors(members), WordJudge())
    assert found == [one_by_one.evidence(*k) for k in keys]
    assert [e.article for e in found[1]] == ["a", "b"]


def test_a_sentence_without_the_claims_number_is_not_judged_and_not_cited() -> None:
    claim = "The pipeline would carry 12 billion cubic metres of gas a year."
    members = [
        analyzed("a", "One", [claim]),
        analyzed("b", "Two", ["The pipeline would carry billions of cubic metres of gas a year."]),
        analyzed("c", "Three", ["The pipeline would carry 12 billion cubic metres of gas every year."]),
    ]
    judge = WordJudge()
    evidence = Citer(members, _vectors(members), judge).evidence("a", 0)
    assert [e.article for e in evidence] == ["a", "c"]
    assert [b for _, b in judge.asked] == [members[2].sentences[0].text]


def test_two_sentences_repeat_when_either_states_the_other_and_the_second_direction_is_asked_only_if_needed() -> (
    None
):
    short = "Franz Huber met Anna Kovacs."
    members = [
        analyzed("a", "One", [TALKS]),
        analyzed("b", "Two", [short]),
        analyzed("c", "Three", ["Protesters gathered outside the hall."]),
    ]

    class OneWay(WordJudge):  # the longer sentence states the shorter one, not the other way round
        def judge(self, pairs):  # type: ignore[no-untyped-def]
            from newsweave.judge import Verdict

            self.asked.extend(pairs)
            return [Verdict(0.9 if len(a) > len(b) else 0.1, 0.0, 0.1, 0.0) for a, b in pairs]

    first_settles = OneWay()
    assert Citer(members, _vectors(members), first_settles).says_same(("a", 0), ("b", 0))
    assert first_settles.asked == [(TALKS, short)]
    both_asked = OneWay()
    assert Citer(members, _vectors(members), both_asked).says_same(("b", 0), ("a", 0))
    assert both_asked.asked == [(short, TALKS), (TALKS, short)]
    neither = Citer(members, _vectors(members), WordJudge())
    assert not neither.says_same(("c", 0), ("a", 0))
