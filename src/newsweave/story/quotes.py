"""One quote per statement in a story: the same words by the same speaker from several outlets.

Public entry point: :func:`merge_reported`. The match is strict text overlap, not meaning:
two quotes are one statement when they name the same speaker (the same entity, else the
same speaker text) and at least :data:`SAME_STATEMENT` of the words of the longer one are in
the other. Paraphrases that share fewer words stay apart: a reader then sees two quotes
rather than one quote with a source that does not state it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsweave.model import StoryQuote
from newsweave.vocab import WORD

# Share of the longer quote's distinct words that the other must hold. Outlets copying one
# statement differ by a mark, a "the" or a cut clause ("it was not ruled out" / "was not ruled
# out"); 0.8 keeps those together and keeps apart quotes that only share a topic.
SAME_STATEMENT = 0.8


def merge_reported(quotes: Sequence[StoryQuote]) -> list[StoryQuote]:
    """The quotes with repeats of one statement merged; each keeps every article in ``sources``.

    The kept text is the direct version when there is one, else the longest; the order is
    that of each statement's first report.
    """
    groups: list[list[StoryQuote]] = []
    words: list[frozenset[str]] = []
    for quote in _without_parts(quotes):
        own = _words(quote.text)
        for k, group in enumerate(groups):
            if _same_speaker(group[0], quote) and _same_words(words[k], own):
                group.append(quote)
                break
        else:
            groups.append([quote])
            words.append(own)
    return [_one(group) for group in groups]


def _without_parts(quotes: Sequence[StoryQuote]) -> list[StoryQuote]:
    """The quotes less those that are a part of another of the same sentence and speaker.

    An indirect quote may hold the speaker's own words in marks ("Zakharova said Moscow has the
    right "to do whatever we consider necessary" regardless of ..."), and the extractor also gives
    those words as a direct quote: shown both, the one sentence reads as two statements.
    """
    own = [_words(q.text) for q in quotes]

    def part_of_another(i: int) -> bool:
        q = quotes[i]
        return q.sentence is not None and any(
            j != i
            and other.sentence == q.sentence
            and other.article == q.article
            and _same_speaker(other, q)
            and own[i] < own[j]
            for j, other in enumerate(quotes)
        )

    return [q for i, q in enumerate(quotes) if not part_of_another(i)]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in WORD.findall(text))


def _same_speaker(a: StoryQuote, b: StoryQuote) -> bool:
    if a.entity or b.entity:
        return a.entity == b.entity
    return a.speaker.strip().lower() == b.speaker.strip().lower()


def _same_words(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / max(len(a), len(b)) >= SAME_STATEMENT


def _one(group: list[StoryQuote]) -> StoryQuote:
    best = max(group, key=lambda q: (q.kind == "direct", len(q.text)))
    sources = list(dict.fromkeys(s for q in group for s in (q.sources or [q.article])))
    return replace(best, sources=sources)
