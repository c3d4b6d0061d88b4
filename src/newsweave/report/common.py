"""Small views over a digest that every renderer needs (counts, spans, sentence anchors)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from newsweave.model import Article, Story, StoryQuote

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”’)]*|$)\s*")
_WORD = re.compile(r"\w+")


@dataclass
class StoryView:
    """A story with what a reader sees first: its articles, outlets and dates."""

    story: Story
    articles: list[Article]
    outlets: list[str]
    independent_outlets: int
    first: str | None
    last: str | None
    number: dict[str, int]  # article id → citation number within the story

    @property
    def span(self) -> str:
        if not self.first:
            return "undated"
        return self.first if self.first == self.last else f"{self.first} – {self.last}"


def story_view(story: Story, articles_by_id: dict[str, Article]) -> StoryView:
    members = [articles_by_id[a] for a in story.articles if a in articles_by_id]
    outlets = sorted({a.outlet or a.id for a in members})
    # copies of one wire text count once, whatever outlet republished them
    independent = {
        (articles_by_id[a.duplicate_of].outlet if a.duplicate_of in articles_by_id else a.outlet) or a.id
        for a in members if not a.duplicate_of
    } or set(outlets)
    dates = sorted(
        {a.published for a in members if a.published}
        | {d for e in story.events for d in (e.start, e.end) if d}
    )
    return StoryView(
        story=story,
        articles=members,
        outlets=outlets,
        independent_outlets=len(independent),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        number={a.id: i for i, a in enumerate(members, 1)},
    )


def quotes_by_speaker(quotes: list[StoryQuote]) -> list[tuple[str, list[StoryQuote]]]:
    """Quotes grouped by speaker, the most quoted speaker first."""
    groups: dict[str, list[StoryQuote]] = defaultdict(list)
    for q in quotes:
        groups[q.speaker].append(q)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def split_sentences(text: str) -> list[str]:
    """A light splitter for display anchors (the analysis uses spaCy's sentences)."""
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def best_sentence(needle: str, sentences: list[str]) -> int | None:
    """Index of the sentence that shares most words with ``needle`` (the cited sentence)."""
    want = set(_WORD.findall(needle.lower()))
    if not want or not sentences:
        return None
    scores = [len(want & set(_WORD.findall(s.lower()))) / len(want) for s in sentences]
    best = max(range(len(sentences)), key=scores.__getitem__)
    return best if scores[best] >= 0.5 else None


def timeline_note(precision: str, anchor: str) -> str:
    """How sure a timeline date is, in words: its precision and what it was resolved against."""
    if precision == "relative":
        return "relative · article undated"
    sources = []
    for part in filter(None, (a.strip() for a in anchor.split(";"))):
        kind, _, value = part.partition(":")
        sources.append({"absolute": "as written", "published": f"from publication date {value}",
                        "text": f"from a date its text gives ({value})"}.get(kind, part))
    return " · ".join([precision, *dict.fromkeys(sources)])
