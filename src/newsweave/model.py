"""Typed records passed between pipeline stages.

Every stage takes and returns these types and nothing else, so a stage can be
swapped without touching its neighbours. All records are plain dataclasses that
serialise to JSON through :func:`to_dict`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# how much of the calendar a date value names; "relative" is an expression of an undated article
# ("Sunday") that nothing in its own text anchors: it keeps its words and gets no value
Precision = Literal["day", "week", "month", "quarter", "season", "year", "decade", "relative"]
QuoteKind = Literal["direct", "indirect"]


@dataclass
class Article:
    """One news article, raw after ingest and clean after :mod:`newsweave.ingest.clean`."""

    id: str
    title: str
    text: str
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    language: str = "en"
    removed: list[str] = field(default_factory=list)
    attributed_to: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    flags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    raw_text: str = ""  # text as read, before cleaning; kept so a re-clean needs no re-fetch

    @property
    def content_hash(self) -> str:
        import hashlib

        return hashlib.sha256((self.title + "\n" + (self.raw_text or self.text)).encode("utf-8")).hexdigest()


# The per-article records below are held by the hundred thousand when stories are built over a
# large store (every article's names for entity resolution): slots keep each one small.
@dataclass(slots=True)
class Sentence:
    article_id: str
    index: int
    start: int  # character offsets into Article.text
    end: int
    text: str


@dataclass(slots=True)
class Mention:
    """A named-entity mention in one article."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: str  # PERSON, ORG, GPE, NORP, LOC, ...
    title: str | None = None  # role or title seen next to the name ("Foreign Minister")
    entity_id: str | None = None  # filled by resolve


@dataclass(slots=True)
class Quote:
    article_id: str
    speaker: str  # surface form of the speaker as found ("Peskov", "the Kremlin spokesman")
    text: str
    kind: QuoteKind
    sentence: int
    start: int
    end: int
    cue: str | None = None  # the speech verb or phrase ("told journalists", "according to")
    speaker_mention: Mention | None = None  # the named mention the speaker resolved to, if any
    entity_id: str | None = None  # filled by resolve


@dataclass(slots=True)
class DateRef:
    """A temporal expression resolved to a calendar value."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    # TimeML style by precision: 2024-01-16, 2024-W03, 2024-01, 2024-Q1, 2024-SU, 2024, 202; "" if relative
    value: str
    precision: Precision
    anchor: (
        str  # what the value was computed from: "absolute", "published:2024-01-15", "text:2023-09", "none"
    )


@dataclass
class AnalyzedArticle:
    """An article with everything the per-article NLP stages found."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    vector: list[float] | None = None  # document embedding (unit length)
    # the multilingual encoder's embedding of the same title and lead (unit length), one space for 16
    # languages: a pair of reports in two languages is judged on it (analyze.multilingual_vector)
    multilingual_vector: list[float] | None = None
    # one unit row per sentence, same order; stored apart from the analysis JSON
    sentence_vectors: npt.NDArray[np.float32] | None = None
    title_vector: npt.NDArray[np.float32] | None = (
        None  # unit row of the title alone, stored with the sentence rows
    )


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class Event:
    id: str
    label: str
    articles: list[str] = field(default_factory=list)
    start: str | None = None
    end: str | None = None


@dataclass
class Evidence:
    """The sentence of an article that states a claim, as the support judge found it."""

    article: str
    sentence: int  # Sentence.index in that article
    text: str


@dataclass
class StoryQuote:
    speaker: str
    entity: str | None
    text: str
    kind: QuoteKind
    article: str
    # every article reporting the same words by the same speaker (``article`` among them);
    # empty in stories stored before quotes were merged across outlets
    sources: list[str] = field(default_factory=list)
    sentence: int | None = None  # Sentence.index of the quote in ``article`` (None in older stores)


@dataclass
class TimelineEntry:
    date: str  # the value (see DateRef.value); for a "relative" entry the words as written ("Sunday")
    text: str
    articles: list[str] = field(default_factory=list)
    precision: str = "day"  # day, week, month, quarter, season, year, decade, or relative
    anchor: str = (
        ""  # what the date was resolved against: "absolute", "published:<date>", "text:<value>", "none"
    )
    evidence: list[Evidence] = field(default_factory=list)  # per cited article, the sentence that states it


@dataclass
class Claim:
    text: str
    articles: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)  # one per article: the sentence that states it


@dataclass
class SingleSourceClaim:
    text: str
    article: str
    sentence: int | None = None  # Sentence.index of ``text`` in the article (None in older stores)


@dataclass
class ClaimSide:
    article: str
    text: str
    sentence: int | None = None  # Sentence.index of ``text`` in the article


@dataclass
class Disagreement:
    about: str
    claims: list[ClaimSide] = field(default_factory=list)


@dataclass
class WordChoice:
    """How each article names the same act or actor ("invasion" vs "special operation")."""

    concept: str
    terms: dict[str, list[str]] = field(default_factory=dict)  # article id -> phrases it uses


@dataclass
class SummarySentence:
    text: str
    sources: list[str] = field(default_factory=list)
    # one per source, in the same order: the sentence of that article that states ``text``
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Story:
    id: str
    headline: str
    articles: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[StoryQuote] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    corroborated: list[Claim] = field(default_factory=list)
    single_source: list[SingleSourceClaim] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    word_choice: list[WordChoice] = field(
        default_factory=list
    )  # an addition to digest/1: readers may ignore it
    # ids of other stories about the same subject (topical neighbours: linked, not merged), closest
    # first; an addition to digest/1: readers may ignore it
    related: list[str] = field(default_factory=list)


@dataclass
class IngestError:
    """An input that could not be read; the run goes on without it."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Digest:
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    # article id -> its sentences as the analysis split them: (Sentence.index, start, end) in
    # Article.text, so a report anchors each citation at the sentence it names, never a guess
    sentences: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)


SCHEMA = "newsweave.digest/1"

_ARTICLE_FIELDS = (
    "id",
    "path",
    "url",
    "title",
    "outlet",
    "published",
    "language",
    "text",
    "removed",
    "attributed_to",
    "duplicate_of",
    "flags",
)


def to_dict(obj: Any) -> Any:
    """Serialise a record (or a list of records) to JSON-ready data."""
    if isinstance(obj, list):
        return [to_dict(o) for o in obj]
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj


def article_to_json(article: Article) -> dict[str, Any]:
    """The article as the ``newsweave.digest/1`` contract shows it."""
    return {name: getattr(article, name) for name in _ARTICLE_FIELDS}


def digest_to_json(digest: Digest) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "articles": [article_to_json(a) for a in digest.articles],
        "stories": [to_dict(s) for s in digest.stories],
    }
