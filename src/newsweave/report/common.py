"""Small views over a digest that every renderer needs (counts, spans, sentence anchors)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsweave.model import Article, Story, StoryQuote
from newsweave.outlets import EMPTY, Directory, outlet_info
from newsweave.report.coverage import Coverage, coverage_of
from newsweave.story.sources import independent_sources
from newsweave.vocab import WORD

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"”’)]*|$)\s*")


@dataclass
class StoryView:
    """A story with what a reader sees first: its articles, outlets, dates and coverage by leaning."""

    story: Story
    articles: list[Article]
    outlets: list[str]
    independent_outlets: int
    first: str | None
    last: str | None
    number: dict[str, int]  # article id -> citation number within the story
    coverage: Coverage = field(default_factory=Coverage)
    kinds: dict[str, str] = field(default_factory=dict)  # article id -> "opinion" / "analysis" (news omitted)

    @property
    def span(self) -> str:
        if not self.first:
            return "undated"
        return self.first if self.first == self.last else f"{self.first} – {self.last}"

    @property
    def outlets_text(self) -> str:
        """How many independent outlets, as a reader is told it. When no article names its outlet,
        none can be counted, which is not the same as none being independent: "0 independent
        outlets" over the undated, unsigned seed articles read as a verdict on them."""
        n = self.independent_outlets
        if n == 0 and not any(a.outlet for a in self.articles):
            return "outlets not given"
        return f"{n} independent outlet{'' if n == 1 else 's'}"

    @property
    def languages(self) -> list[str]:
        """The languages of the story's articles, most articles first; empty for an English-only story,
        so that what a reader of English stories sees does not change."""
        counts = Counter(a.language for a in self.articles)
        return [] if set(counts) <= {"en"} else sorted(counts, key=lambda code: (-counts[code], code))


def story_view(story: Story, articles_by_id: dict[str, Article], directory: Directory = EMPTY) -> StoryView:
    members = [articles_by_id[a] for a in story.articles if a in articles_by_id]
    infos = {a.id: outlet_info(a, directory) for a in members}
    outlets = sorted({i.label for i in infos.values()}, key=str.casefold)
    duplicate_of = {a.id: a.duplicate_of for a in members if a.duplicate_of}
    dates = sorted(
        {a.published for a in members if a.published}
        | {d for e in story.events for d in (e.start, e.end) if d}
    )
    return StoryView(
        story=story,
        articles=members,
        outlets=outlets,
        independent_outlets=independent_sources(members, duplicate_of, directory),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        number={a.id: i for i, a in enumerate(members, 1)},
        coverage=coverage_of(members, duplicate_of, directory),
        kinds={a: i.kind for a, i in infos.items() if i.kind != "news"},
    )


def quotes_by_speaker(quotes: list[StoryQuote]) -> list[tuple[str, list[StoryQuote]]]:
    """Quotes grouped by speaker, the most quoted speaker first."""
    groups: dict[str, list[StoryQuote]] = defaultdict(list)
    for q in quotes:
        groups[q.speaker].append(q)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


@dataclass
class MergedQuote:
    """One quote as a reader sees it once, with every article that carries it."""

    speaker: str
    entity: str | None
    text: str
    kind: str
    articles: list[str]


def merge_quotes(quotes: list[StoryQuote]) -> list[MergedQuote]:
    """The same words of the same speaker, carried by several outlets, listed once (first seen first)."""
    merged: dict[tuple[str, str], MergedQuote] = {}
    for q in quotes:
        key = (q.entity or q.speaker.casefold(), " ".join(WORD.findall(q.text.casefold())))
        if key in merged:
            if q.article not in merged[key].articles:
                merged[key].articles.append(q.article)
        else:
            merged[key] = MergedQuote(q.speaker, q.entity, q.text, q.kind, [q.article])
    return list(merged.values())


Paragraphs = list[list[tuple[int | None, str]]]


def numbered_paragraphs(text: str, sentences: list[tuple[int, int, int]] | None) -> Paragraphs:
    """The article's paragraphs, each a list of (Sentence.index, sentence): the sentences its
    analysis found (``sentences`` as (index, start, end) offsets into ``text``), so a citation's
    sentence index is the anchor to jump to. Without an analysis the text is split here for
    display only, unnumbered: nothing cites into it."""
    if not sentences:
        return [[(None, s) for s in _display_split(block)] for block in text.split("\n") if block.strip()]
    out: Paragraphs = []
    paragraph_of_last = -1
    for index, start, end in sentences:
        sentence = " ".join(text[start:end].split())
        if not sentence:
            continue
        paragraph = text.count("\n", 0, start)
        if paragraph != paragraph_of_last or not out:
            out.append([])
            paragraph_of_last = paragraph
        out[-1].append((index, sentence))
    return out


def _display_split(text: str) -> list[str]:
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def timeline_date(value: str, precision: str) -> str:
    """A timeline date as a reader writes it: a decade's or century's value ("199", "13", as TimeML
    writes them) as "1990s" and "1300s"; every other value as it is."""
    if precision == "decade" and value.isdigit() and len(value) in (2, 3):
        return value.ljust(4, "0") + "s"
    return value


def timeline_note(precision: str, anchor: str) -> str:
    """How sure a timeline date is, in words: its precision and what it was resolved against."""
    if precision == "relative":
        return "relative · article undated"
    sources = []
    for part in filter(None, (a.strip() for a in anchor.split(";"))):
        kind, _, value = part.partition(":")
        sources.append(
            {
                "absolute": "as written",
                "published": f"from publication date {value}",
                "text": f"from a date its text gives ({value})",
            }.get(kind, part)
        )
    return " · ".join([precision, *dict.fromkeys(sources)])
