"""The quotes benchmark's ceiling: which gold attributions the issue allows newsweave to show."""

from __future__ import annotations

import pytest

from conftest import load_benchmark
from newsweave.analyze.nlp import parse

BENCH = load_benchmark("quotes.py")


def reason_for(text: str, speaker: str | None, cue: str, content: str) -> str | None:
    """The ceiling's reason for one hand-written attribution, its spans found by their words."""
    doc = parse([text])[0]

    def span(words: str) -> tuple[tuple[int, int], ...]:
        start = text.index(words)
        return ((start, start + len(words)),)

    item = BENCH.Item(span(content), span(speaker) if speaker else None, span(cue))
    reason: str | None = BENCH.ceiling_reason(doc, item)
    return reason


def test_a_named_speaker_saying_a_whole_clause_may_be_shown() -> None:
    text = "Mayor Anna Kowalski said the bridge will be rebuilt before winter."
    assert reason_for(text, "Mayor Anna Kowalski", "said", "the bridge will be rebuilt before winter") is None


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content", "reason"),
    [
        (
            "It is expected that the bridge will be rebuilt before winter.",
            None,
            "is expected",
            "that the bridge will be rebuilt before winter",
            "no speaker",
        ),
        (
            "Mayor Anna Kowalski did not say that the bridge will be rebuilt before winter.",
            "Mayor Anna Kowalski",
            "did not say",
            "that the bridge will be rebuilt before winter",
            "negated cue",
        ),
        (
            "Mayor Anna Kowalski believes that the bridge will be rebuilt before winter.",
            "Mayor Anna Kowalski",
            "believes",
            "that the bridge will be rebuilt before winter",
            "not a verb of saying",
        ),
        (
            "City officials said that the bridge will be rebuilt before winter.",
            "City officials",
            "said",
            "that the bridge will be rebuilt before winter",
            "plural or collective speaker",
        ),
        (
            "The report said that the bridge will be rebuilt before winter.",
            "The report",
            "said",
            "that the bridge will be rebuilt before winter",
            "document speaker",
        ),
        (
            "The storm came early. He said that the bridge will be rebuilt before winter.",
            "He",
            "said",
            "that the bridge will be rebuilt before winter",
            "pronoun without a named antecedent",
        ),
        (
            "Mayor Anna Kowalski called the plan “a disgrace.”",
            "Mayor Anna Kowalski",
            "called",
            "the plan “a disgrace.”",
            "fragment content",
        ),
    ],
)
def test_what_the_issue_forbids_is_outside_the_ceiling(
    text: str, speaker: str | None, cue: str, content: str, reason: str
) -> None:
    assert reason_for(text, speaker, cue, content) == reason


def test_a_pronoun_after_a_named_person_may_be_shown() -> None:
    text = "Mayor Anna Kowalski visited the site. She said that the bridge will be rebuilt before winter."
    assert reason_for(text, "She", "said", "that the bridge will be rebuilt before winter") is None


def test_a_surname_the_tagger_reads_as_a_plural_is_still_one_speaker() -> None:
    text = "Sanders said on Friday in Ohio that the tax code must change this year."
    assert reason_for(text, "Sanders", "said", "that the tax code must change this year") is None
