"""Values inside claims, for :mod:`newsweave.story.compare`: dates, counts, titles and polarity.

Each sentence is parsed (shared spaCy pipeline) into *frames*: a value (a day, a number)
attached to a predicate ("arrived", "killed") and, where the parse shows one, an actor (the
grammatical subject, or the owner of "Choe's visit"). Two claims conflict only when the
frames match and the values cannot both be true, so that "arrived on Monday" never
conflicts with "met on Tuesday", nor "more than 100" with "120".
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import snowballstemmer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from newsweave.model import AnalyzedArticle, Mention
from newsweave.names.match import share_a_name
from newsweave.vocab import CLAIM_STOPWORDS, CLAIM_WORD, MONTHS, TENS_SPELLED, UNITS_SPELLED, WEEKDAYS

# Porter's original algorithm, as Snowball ships it. It was NLTK's Porter (with NLTK's extensions,
# which stem 91 of the 3,924 words of the AllSides articles otherwise, "died" and "dying" among
# them), but importing NLTK cost every process 1.3 s and 106 MB (it imports scipy.stats); the
# summary and contradiction benchmarks give the same figures with either. Snowball's newer English
# stemmer separates more words ("organization"/"organ") but scored NeuS val[:60] ROUGE-1 37.33
# against 37.97, so it waits for a measured reason. A Snowball stemmer keeps the word it works on in
# itself, so each thread has its own (two threads on one stemmer raised IndexError).
_STEMMERS = threading.local()
NEGATORS = frozenset({"not", "no", "never", "n't", "nobody", "nothing", "neither", "nor", "without"})

# Past forms the stemmer cannot bring back to the verb.
_IRREGULAR = {
    "began": "begin",
    "begun": "begin",
    "met": "meet",
    "said": "say",
    "told": "tell",
    "held": "hold",
    "came": "come",
    "went": "go",
    "gone": "go",
    "took": "take",
    "taken": "take",
    "made": "make",
    "gave": "give",
    "given": "give",
    "left": "leave",
    "flew": "fly",
    "flown": "fly",
    "won": "win",
    "lost": "lose",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "risen": "rise",
    "saw": "see",
    "seen": "see",
    "found": "find",
    "sent": "send",
    "spent": "spend",
    "paid": "pay",
    "sold": "sell",
    "bought": "buy",
    "brought": "bring",
    "struck": "strike",
    "shot": "shoot",
    "fought": "fight",
    "led": "lead",
    "ran": "run",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
    "got": "get",
    "hit": "hit",
    "killed": "kill",
    "signed": "sign",
    # Porter's original rules cut these to "di", "dy": the verb of a death
    "died": "die",
    "dies": "die",
    "dying": "die",
}
# The predicate tables below are written as words and keyed by their stems where the stemmer is
# defined, so they hold whatever stems it makes ("say" is "sai" to Porter's original rules).
# Predicates that name one kind of happening.
_HAPPENING_WORDS = {
    "arrive": "arrival",
    "land": "arrival",
    "reach": "arrival",
    "meet": "meeting",
    "talk": "meeting",
    "discuss": "meeting",
    "meetin": "meeting",
    "sign": "signing",
    "die": "death",
    "kill": "killing",
    "elect": "election",
    "vote": "vote",
    "launch": "launch",
    "test": "test",
    "fire": "launch",
    "depart": "departure",
    "leave": "departure",
}
# "the visit began on Sunday": a beginning verb hands the happening to its subject noun.
_BEGIN_VERB_WORDS = ("begin", "start", "commence", "kick", "open", "get")
_BEGUN_NOUN_WORDS = {
    "visit": "arrival",
    "trip": "arrival",
    "tour": "arrival",
    "talk": "meeting",
    "meet": "meeting",
    "summit": "meeting",
    "meetin": "meeting",
}
# "hold talks", "conduct a test": a light verb hands the happening to its object.
_LIGHT_VERB_WORDS = ("hold", "have", "conduct", "carry", "stage", "make")
# Reporting verbs: the day someone *said* something is not the day of the happening.
_SPEECH_WORDS = (
    "say",
    "tell",
    "announce",
    "add",
    "note",
    "state",
    "report",
    "accord",
    "claim",
    "warn",
    "confirm",
    "deny",
    "write",
    "speak",
    "declare",
    "insist",
    "argue",
    "explain",
    "quote",
    "cite",
)
# Verbs whose meaning is the negation of another ("denied" = "did not confirm").
_NEGATIVE_VERB_WORDS = {
    "deny": "confirm",
    "reject": "accept",
    "refuse": "agree",
    "decline": "accept",
    "fail": "succeed",
}


@lru_cache(maxsize=65536)  # news repeats its words; the stemmer's rules are the slow part of comparison
def stem(word: str) -> str:
    w = word.lower().strip("'’")
    stemmer = getattr(_STEMMERS, "porter", None)
    if stemmer is None:
        # PyStemmer's C build when installed (a pinned dependency): the same stems, 15x faster (27,000
        # words of the full-length pool: 0.04 s against 0.58 s; a tenth of the story stage's Python)
        stemmer = _STEMMERS.porter = snowballstemmer.stemmer("porter")
    return str(stemmer.stemWord(_IRREGULAR.get(w, w)))


_HAPPENING = {stem(w): kind for w, kind in _HAPPENING_WORDS.items()}
_BEGIN_VERBS = frozenset(stem(w) for w in _BEGIN_VERB_WORDS)
_BEGUN_NOUNS = {stem(w): kind for w, kind in _BEGUN_NOUN_WORDS.items()}
_LIGHT_VERBS = frozenset(stem(w) for w in _LIGHT_VERB_WORDS)
_SPEECH = frozenset(stem(w) for w in _SPEECH_WORDS)
_NEGATIVE_VERBS = {stem(w): stem(opposite) for w, opposite in _NEGATIVE_VERB_WORDS.items()}


def content_stems(text: str) -> set[str]:
    """Stems of the content words of ``text`` (stopwords and negators dropped)."""
    return {
        stem(w)
        for w in CLAIM_WORD.findall(text)
        if w.lower() not in CLAIM_STOPWORDS and w.lower() not in NEGATORS
    }


# --- names -------------------------------------------------------------------------------------


def same_actor(a: str, a_entity: str | None, b: str, b_entity: str | None) -> bool:
    """Entity resolution knows that "Chung" and "Jeong" are one minister; spelling alone cannot."""
    if a_entity and b_entity:
        return a_entity == b_entity
    return share_a_name([a], [b])


def _entity_of(actor: str | None, mentions: Sequence[Mention]) -> str | None:
    """The entity id of the mention (in the same sentence) that the actor phrase names."""
    if not actor:
        return None
    low = actor.lower()
    for mention in mentions:
        text = mention.text.lower()
        if mention.entity_id and (low in text or text in low):
            return mention.entity_id
    return None


# --- dates -------------------------------------------------------------------------------------

_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_DATE_PATTERNS = [
    ("weekday", re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    (
        "day_month",
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I),
    ),
    ("month_year", re.compile(rf"\b{_MONTH}\s+(\d{{4}})\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|of)\s+((?:19|20)\d\d)\b", re.I)),
]
_SAME_DAY = re.compile(
    r"\b(?:the\s+same\s+day|that\s+(?:same\s+)?day|later\s+that\s+day|that\s+morning|that\s+evening)\b", re.I
)


@dataclass(frozen=True)
class DateValue:
    """A point in time as a sentence gives it; any part may be unknown."""

    text: str
    start: int  # character offsets in the sentence
    end: int
    day: date | None = None
    weekday: int | None = None  # 0 = Monday
    month_day: tuple[int, int] | None = None
    year: int | None = None  # only when the text writes it
    month: int | None = None
    relative: bool = False  # a weekday name: its calendar day depends on the anchor it was resolved against

    def weekday_of(self) -> int | None:
        if self.weekday is not None:
            return self.weekday
        return self.day.weekday() if self.day else None


def dates_conflict(a: DateValue, b: DateValue) -> bool:
    """Whether two dates of the same happening cannot both be right."""
    if a.text.lower().strip() == b.text.lower().strip():
        return False
    if a.relative or b.relative:
        # compare weekdays: resolving "Sunday" against two publication dates could invent a difference
        wa, wb = a.weekday_of(), b.weekday_of()
        return wa is not None and wb is not None and wa != wb
    if a.day and b.day:
        return a.day != b.day
    if a.month_day and b.month_day:
        return a.month_day != b.month_day
    if a.year and b.year:
        if a.month and b.month:
            return (a.year, a.month) != (b.year, b.month)
        if not a.month and not b.month and not a.month_day and not b.month_day:
            return a.year != b.year
    return False


def dates_in(text: str, refs: Sequence[tuple[int, int, str, str, str]] = ()) -> list[DateValue]:
    """Dates in one sentence: the analysis' resolved DateRefs first, then patterns it did not cover.

    ``refs`` holds (start, end, text, value, precision) with offsets into ``text``.
    """
    found: list[DateValue] = []
    for start, end, ref_text, value, precision in refs:
        found.append(_from_ref(start, end, ref_text, value, precision))
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < d.end and d.start < m.end() for d in found):
                continue
            found.append(_from_match(kind, m))
    return sorted(found, key=lambda d: d.start)


def _from_ref(start: int, end: int, text: str, value: str, precision: str) -> DateValue:
    lowered = text.lower()
    weekday = next((i for i, w in enumerate(WEEKDAYS) if w in lowered), None)
    relative = weekday is not None and not re.search(r"\d", text)
    explicit_year = bool(re.search(r"\b(19|20)\d\d\b", text))
    parts = [int(p) for p in value.split("-") if p.isdigit()]
    day = date(*parts[:3]) if precision == "day" and len(parts) >= 3 else None
    month_day = (parts[1], parts[2]) if day and not relative else None
    month = parts[1] if len(parts) >= 2 and explicit_year else None
    year = parts[0] if parts and explicit_year else None
    return DateValue(
        text,
        start,
        end,
        day=day,
        weekday=weekday,
        month_day=month_day,
        year=year,
        month=month,
        relative=relative,
    )


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return next(i + 1 for i, m in enumerate(MONTHS) if m.startswith(name[:3]))


def _from_match(kind: str, m: re.Match[str]) -> DateValue:
    text, start, end = m.group(0), m.start(), m.end()
    if kind == "weekday":
        return DateValue(text, start, end, weekday=WEEKDAYS.index(m.group(1).lower()), relative=True)
    if kind in ("month_day", "day_month"):
        month_name, day_text = (m.group(1), m.group(2)) if kind == "month_day" else (m.group(2), m.group(1))
        month, day_of_month = _month_number(month_name), int(day_text)
        year = int(m.group(3)) if m.group(3) else None
        full = _safe_date(year, month, day_of_month) if year else None
        if not 1 <= day_of_month <= 31:
            return DateValue(text, start, end)
        return DateValue(text, start, end, day=full, month_day=(month, day_of_month), year=year, month=month)
    if kind == "month_year":
        return DateValue(text, start, end, year=int(m.group(2)), month=_month_number(m.group(1)))
    return DateValue(m.group(1), m.start(1), m.end(1), year=int(m.group(1)))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def same_day_reference(text: str) -> re.Match[str] | None:
    """ "the same day", "that day": a date that is the previous sentence's."""
    return _SAME_DAY.search(text)


# --- numbers -----------------------------------------------------------------------------------

_NUMBER_WORDS = {**{w: n for w, n in UNITS_SPELLED.items() if n}, **TENS_SPELLED, "dozen": 12}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_COUNT_WORDS = frozenset(_NUMBER_WORDS) | frozenset(_SCALES)
# hedges turn a number into a range: (low factor, high factor) of the value
_HEDGES = {
    "about": (0.85, 1.15),
    "around": (0.85, 1.15),
    "roughly": (0.85, 1.15),
    "approximately": (0.85, 1.15),
    "some": (0.85, 1.15),
    "nearly": (0.8, 1.0),
    "almost": (0.8, 1.0),
    "under": (0.0, 1.0),
    "up to": (0.0, 1.0),
    "less than": (0.0, 1.0),
    "fewer than": (0.0, 1.0),
    "at most": (0.0, 1.0),
    "at least": (1.0, math.inf),
    "more than": (1.0, math.inf),
    "over": (1.0, math.inf),
    "nearly all": (0.8, 1.0),
    "upwards of": (1.0, math.inf),
    "as many as": (0.0, 1.0),
}


@dataclass(frozen=True)
class NumberValue:
    text: str
    low: float
    high: float


def number_value(words: Sequence[str]) -> float | None:
    """The value of a written number ("1,200", "5 million", "three", "2.5bn")."""
    total: float | None = None
    for raw in words:
        w = raw.lower().replace(",", "")
        if w in _SCALES:
            total = (total or 1) * _SCALES[w]
        elif w in _NUMBER_WORDS:
            total = (total or 0) + _NUMBER_WORDS[w]
        else:
            try:
                total = (total or 0) + float(w)
            except ValueError:
                return None
    return total


def hedged(value: float, text: str, hedge: str | None) -> NumberValue:
    low, high = _HEDGES.get(hedge or "", (1.0, 1.0))
    return NumberValue(text, value * low, value * high)


def numbers_conflict(a: NumberValue, b: NumberValue) -> bool:
    """Two counts of the same thing whose ranges do not meet."""
    return a.high < b.low or b.high < a.low


# --- titles ------------------------------------------------------------------------------------

ROLE_HEADS = frozenset(
    {
        "minister",
        "president",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "governor",
        "senator",
        "general",
        "chancellor",
        "mayor",
        "premier",
        "envoy",
        "commander",
        "judge",
        "justice",
        "attorney",
        "ceo",
        "king",
        "queen",
        "prince",
        "speaker",
        "leader",
        "representative",
        "congressman",
        "congresswoman",
        "admiral",
        "colonel",
        "officer",
    }
)
RANKS = frozenset(
    {"deputy", "vice", "acting", "former", "assistant", "first", "ex", "interim", "late", "under"}
)
PORTFOLIOS = frozenset(
    {
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "justice",
        "health",
        "trade",
        "energy",
        "education",
        "prime",
        "home",
        "economy",
        "agriculture",
        "transport",
        "labor",
        "labour",
        "culture",
        "environment",
        "treasury",
        "state",
        "press",
        "attorney",
        "security",
        "intelligence",
    }
)


def title_words(title: str) -> list[str]:
    words = [w.lower().strip(".,'’") for w in re.split(r"[\s-]+", title)]
    words = ["defense" if w == "defence" else w for w in words]
    return [w for w in words if w in ROLE_HEADS or w in RANKS or w in PORTFOLIOS]


def titles_conflict(a: str, b: str) -> bool:
    """Whether two titles given to one person cannot both be right.

    Only the same kind of office is compared ("Foreign Minister" vs "Deputy Foreign Minister",
    "Defence Minister"): a person can hold two different offices, so different heads
    ("spokesman" vs "ambassador") are never a conflict.
    """
    wa, wb = title_words(a), title_words(b)
    heads_a, heads_b = [w for w in wa if w in ROLE_HEADS], [w for w in wb if w in ROLE_HEADS]
    if not heads_a or not heads_b or heads_a[-1] != heads_b[-1]:
        return False
    if set(wa) & RANKS != set(wb) & RANKS:
        return True
    pa, pb = set(wa) & PORTFOLIOS, set(wb) & PORTFOLIOS
    return bool(pa and pb and pa != pb)


# --- parsing claims into frames ----------------------------------------------------------------


@dataclass
class DatedFrame:
    value: DateValue
    predicate: str
    actor: str | None
    actor_entity: str | None = None  # the resolved entity the actor names, when known

    def frame_matches(self, other: DatedFrame) -> bool:
        # both sides must name who did it: an unnamed actor could be anyone
        return (
            self.predicate == other.predicate
            and self.actor is not None
            and other.actor is not None
            and same_actor(self.actor, self.actor_entity, other.actor, other.actor_entity)
        )

    def describe(self) -> str:
        return f"{self.predicate} of {self.actor}"


@dataclass
class CountFrame:
    value: NumberValue
    unit: str
    predicate: str | None
    actor: str | None
    text: str
    actor_entity: str | None = None

    def frame_matches(self, other: CountFrame) -> bool:
        if self.unit != other.unit or self.predicate != other.predicate:
            return False
        if self.actor and other.actor:
            return same_actor(self.actor, self.actor_entity, other.actor, other.actor_entity)
        return self.actor is None and other.actor is None

    def describe(self) -> str:
        return f"{self.unit} ({self.predicate or 'count'})"


@dataclass
class TitleRef:
    person: str
    title: str


@dataclass
class ParsedClaim:
    article: str
    index: int  # Sentence.index
    dated: list[DatedFrame] = field(default_factory=list)
    counted: list[CountFrame] = field(default_factory=list)
    titles: list[TitleRef] = field(default_factory=list)
    polarity: dict[str, bool] = field(default_factory=dict)  # predicate -> negated
    stems: set[str] = field(default_factory=set)  # content stems other than the predicates


@lru_cache(maxsize=1)
def _nlp():  # type: ignore[no-untyped-def]
    from newsweave.analyze.nlp import load_nlp

    return load_nlp()


@dataclass
class SentenceCues:
    """What a sentence could yield before it is parsed: its dates, and whether counts or titles are possible."""

    dates: list[DateValue]
    numbers: bool
    titles: bool


_CUE_WORD = re.compile(r"[A-Za-z]+")  # split at hyphens: "Vice-President" holds a role word


def sentence_cues(members: Sequence[AnalyzedArticle]) -> dict[tuple[str, int], SentenceCues]:
    """Cheap cues of every sentence of ``members`` (no parse), keyed by (article id, sentence index).

    A sentence without dates cannot hold a dated frame, one without a digit or number word no
    count, one without a role word or titled mention no title; comparison parses only
    sentences whose cues allow a conflict with another source.
    """
    out: dict[tuple[str, int], SentenceCues] = {}
    for m in members:
        previous: list[DateValue] = []
        titled = {x.sentence for x in m.mentions if x.title and x.type == "PERSON"}
        for s in m.sentences:
            dates = dates_in(s.text, _date_refs_of(m, s.index, s.start, s.text))
            same_day = same_day_reference(s.text)
            if (
                same_day
                and len({(d.day, d.weekday) for d in previous if d.day or d.weekday is not None}) == 1
            ):
                inherited = next(d for d in previous if d.day or d.weekday is not None)
                dates.append(
                    replace(
                        inherited,
                        text=f"{same_day.group(0)} ({inherited.text})",
                        start=same_day.start(),
                        end=same_day.end(),
                    )
                )
            words = {w.lower() for w in _CUE_WORD.findall(s.text)}
            out[(m.article.id, s.index)] = SentenceCues(
                dates=dates,
                numbers=any(c.isdigit() for c in s.text) or bool(words & _COUNT_WORDS),
                titles=s.index in titled or bool(words & ROLE_HEADS),
            )
            previous = dates
    return out


def parse_claims(
    members: Sequence[AnalyzedArticle],
    wanted: set[tuple[str, int]] | None = None,
    cues: dict[tuple[str, int], SentenceCues] | None = None,
    kept: KeptParses | None = None,
) -> list[ParsedClaim]:
    """Frames of the sentences of ``members`` (only those in ``wanted`` when given), in order.

    With ``kept``, a sentence whose parse an earlier fill kept (same text, names and dates, same
    rules) is not parsed again, and what is parsed now is added to it; only what depends on the
    entity resolution (each frame's ``actor_entity``, the mentions' titles) is made here."""
    cues = cues if cues is not None else sentence_cues(members)
    chosen = [
        (m, s) for m in members for s in m.sentences if wanted is None or (m.article.id, s.index) in wanted
    ]
    # The analysis already found (and repaired) each article's names: its mentions become the
    # sentence's entities, and the recognizer, half the parse time, runs only for an article
    # that brings none (one made by hand rather than by the analysis)
    named = [m.mentions != [] for m, _ in chosen]
    in_sentence = [[x for x in m.mentions if x.sentence == s.index] for m, s in chosen]
    dates = [cues[(m.article.id, s.index)].dates for m, s in chosen]
    keys = [
        sentence_key(s.text, s.start, has_names, mentions, found)
        for (_, s), has_names, mentions, found in zip(chosen, named, in_sentence, dates, strict=True)
    ]
    frames: list[Frames | None] = [
        kept.get(m.article.id, key) if kept is not None else None
        for (m, _), key in zip(chosen, keys, strict=True)
    ]
    todo = [i for i, f in enumerate(frames) if f is None]
    docs = _parse_sentences([chosen[i][1].text for i in todo], [named[i] for i in todo])
    for i, doc in zip(todo, docs, strict=True):
        if named[i]:
            doc.ents = _entity_spans(doc, in_sentence[i], chosen[i][1].start)
        parsed = frames[i] = _frames(doc, dates[i])
        if kept is not None:
            kept.add(chosen[i][0].article.id, keys[i], parsed)
    out: list[ParsedClaim] = []
    for (m, s), f, found, mentions in zip(chosen, frames, dates, in_sentence, strict=True):
        assert f is not None
        out.append(_claim(m.article.id, s.index, f, found, mentions))
    return out


# What a sentence's parse gives before names are resolved, in JSON types so that a store keeps it:
# "d": [date position in the sentence's dates, predicate, actor], "c": [low, high, number as
# written, unit, predicate, actor, text], "t": [person, title] read off the parse (used when no
# mention carries a title), "p": predicate -> negated, "s": content stems other than the verbs.
Frames = dict[str, Any]
# Bump when a change to the rules below changes what a sentence parses into: kept parses of an
# older version are then never read.
PARSE_RULES = 1


class KeptParses:
    """Sentence parses kept from a story's earlier fills, per article and :func:`sentence_key`,
    and the ones parsed since (``added``: the articles whose kept parses changed)."""

    def __init__(self, kept: dict[str, dict[str, Frames]] | None = None) -> None:
        self.by_article: dict[str, dict[str, Frames]] = {a: dict(rows) for a, rows in (kept or {}).items()}
        self.used: dict[str, dict[str, None]] = {}
        self.added: set[str] = set()

    def get(self, article: str, key: str) -> Frames | None:
        found = self.by_article.get(article, {}).get(key)
        if found is not None:
            self.used.setdefault(article, {})[key] = None
        return found

    def add(self, article: str, key: str, frames: Frames) -> None:
        self.by_article.setdefault(article, {})[key] = frames
        self.used.setdefault(article, {})[key] = None
        self.added.add(article)

    def changed(self, limits: dict[str, int]) -> dict[str, dict[str, Frames]]:
        """The kept parses of each article that gained one, those used by this fill first, at
        most ``limits[article]`` (its number of sentences: an older analysis' parses go first)."""
        out = {}
        for article in sorted(self.added):
            rows = self.by_article[article]
            order = [*self.used.get(article, {}), *(k for k in rows if k not in self.used.get(article, {}))]
            out[article] = {k: rows[k] for k in order[: limits.get(article, len(order))]}
        return out


def sentence_key(
    text: str, offset: int, named: bool, mentions: Sequence[Mention], dates: Sequence[DateValue]
) -> str:
    """What a sentence's parse depends on, hashed: its text, the rules and spaCy model, whether its
    article brought names and the mentions' places in it, and its dates."""
    spans = [(x.text, x.start - offset, x.type, x.title) for x in mentions]
    raw = repr((PARSE_RULES, _model_version(), text, named, spans, list(dates)))
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def _model_version() -> str:
    from newsweave.analyze.embed import package_version
    from newsweave.analyze.nlp import DEFAULT_MODEL

    return f"{DEFAULT_MODEL}=={package_version(DEFAULT_MODEL)}"


def _parse_sentences(texts: list[str], named: list[bool]) -> list[Doc]:
    """Parses of ``texts`` in order; the recognizer runs only where ``named`` is false.

    One parse at a time per process: stories are filled on two threads, and spaCy does not
    promise that one pipeline may run on two threads at once."""
    docs: list[Doc | None] = [None] * len(texts)
    with _PARSING:
        for with_names in (True, False):
            picked = [i for i, n in enumerate(named) if n == with_names]
            if not picked:
                continue  # a fill whose parses were all kept never loads spaCy
            parsed = _nlp().pipe(
                (texts[i] for i in picked), batch_size=64, disable=["ner"] if with_names else []
            )
            for i, doc in zip(picked, parsed, strict=True):
                docs[i] = doc
    return docs  # type: ignore[return-value]


_PARSING = threading.Lock()


def _entity_spans(doc: Doc, mentions: list[Mention], offset: int) -> list[Span]:
    """The mentions (offsets into the article) as entity spans of the sentence's doc."""
    spans = []
    for x in mentions:
        start = x.start - offset
        if doc.text[start : start + len(x.text)] != x.text:
            start = doc.text.find(x.text)
        span = (
            doc.char_span(start, start + len(x.text), label=x.type, alignment_mode="expand")
            if start >= 0
            else None
        )
        if span is not None:
            spans.append(span)
    return filter_spans(spans)


def _date_refs_of(
    m: AnalyzedArticle, index: int, offset: int, text: str
) -> list[tuple[int, int, str, str, str]]:
    refs: list[tuple[int, int, str, str, str]] = []
    for d in m.dates:
        if d.sentence != index or not d.value:  # a relative date of an undated article has no value
            continue
        start = d.start - offset
        if not (start >= 0 and text[start : start + len(d.text)] == d.text):
            start = text.find(d.text)
        if start >= 0:
            refs.append((start, start + len(d.text), d.text, d.value, d.precision))
    return refs


def _frames(doc: Doc, dates: list[DateValue]) -> Frames:
    """The parse of one sentence (with its mentions as entities) as :data:`Frames`."""
    dated: list[list[Any]] = []
    date_spans: list[tuple[int, int]] = []
    for position, value in enumerate(dates):
        span = doc.char_span(value.start, value.end, alignment_mode="expand")
        if span is None:
            continue
        date_spans.append((span.start, span.end))
        verb = _governing_verb(span.root)
        if verb is None:
            continue
        predicate = _happening(verb)
        if predicate is None:
            continue
        dated.append([position, predicate, _actor(verb)])
    counted = [
        [c.value.low, c.value.high, c.value.text, c.unit, c.predicate, c.actor, c.text]
        for c in _counts(doc, date_spans)
    ]
    verbs = {stem(t.text) for t in doc if t.pos_ in ("VERB", "AUX")}
    return {
        "d": dated,
        "c": counted,
        "t": [[t.person, t.title] for t in _parse_titles(doc)],
        "p": _polarity(doc),
        "s": sorted(content_stems(doc.text) - verbs),
    }


def _claim(
    article: str, index: int, frames: Frames, dates: list[DateValue], mentions: list[Mention]
) -> ParsedClaim:
    """The claim of a sentence from its :data:`Frames`, with the entities of its resolved mentions."""
    claim = ParsedClaim(article=article, index=index)
    for position, predicate, actor in frames["d"]:
        claim.dated.append(DatedFrame(dates[position], predicate, actor, _entity_of(actor, mentions)))
    for low, high, written, unit, predicate, actor, text in frames["c"]:
        claim.counted.append(
            CountFrame(
                NumberValue(written, low, high), unit, predicate, actor, text, _entity_of(actor, mentions)
            )
        )
    claim.titles = _mention_titles(mentions) or [TitleRef(person, title) for person, title in frames["t"]]
    claim.polarity = dict(frames["p"])
    claim.stems = set(frames["s"])
    return claim


def _governing_verb(token: Token) -> Token | None:
    for _ in range(5):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return token
        if token.head is token:
            return None
        token = token.head
    return None


def _happening(verb: Token) -> str | None:
    """The kind of happening a verb reports, or None for reporting verbs."""
    key = stem(verb.text)
    if key in _SPEECH:
        return None
    if key in _BEGIN_VERBS:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return _BEGUN_NOUNS.get(stem(subject.text)) if subject is not None else None
    if key in _LIGHT_VERBS:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None:
            key = stem(obj.text)
    return _HAPPENING.get(key, key)


def _actor(verb: Token) -> str | None:
    """The named doer of ``verb``: its subject, the subject it shares, or the owner of its subject."""
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return _name_of(subject)
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def _name_of(token: Token) -> str | None:
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if token.pos_ != "PROPN" and owner is not None:
        token = owner
    if token.pos_ != "PROPN":
        return None
    if token.ent_type_:
        ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        if ent is not None:
            return ent.text.removesuffix("'s").removesuffix("’s")
    return token.text


def _counts(doc: Doc, date_spans: list[tuple[int, int]]) -> list[CountFrame]:
    frames: list[CountFrame] = []
    i = 0
    tokens = list(doc)
    while i < len(tokens):
        t = tokens[i]
        if not _is_count_token(t) or any(a <= t.i < b for a, b in date_spans):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _is_count_token(tokens[j + 1]):
            j += 1
        words = [tok.text for tok in tokens[i : j + 1]]
        value = number_value(words)
        last = tokens[j]
        i = j + 1
        if value is None or (len(words) == 1 and re.fullmatch(r"(19|20)\d\d", words[0])):
            continue  # years are dates, not counts
        unit_token = last.head if last.head.pos_ in ("NOUN", "PROPN") or last.head.text in ("%",) else None
        if last.i + 1 < len(tokens) and tokens[last.i + 1].text in ("%", "percent", "per"):
            unit_token = tokens[last.i + 1]
        if unit_token is None:
            continue
        unit = "percent" if unit_token.text in ("%", "percent", "per") else stem(unit_token.text)
        verb = _governing_verb(unit_token)
        hedge = _hedge_before(tokens, i - len(words))
        frames.append(
            CountFrame(
                value=hedged(value, " ".join(words), hedge),
                unit=unit,
                predicate=_happening(verb) if verb is not None else None,
                actor=_actor(verb) if verb is not None else None,
                text=" ".join(
                    ([hedge] if hedge else []) + words + ([unit_token.text] if unit != "percent" else ["%"])
                ),
            )
        )
    # a unit counted twice in one sentence (two percentages) cannot be paired safely
    units = [f.unit for f in frames]
    return [f for f in frames if units.count(f.unit) == 1]


def _is_count_token(t: Token) -> bool:
    return t.like_num and t.pos_ == "NUM" or t.text.lower() in _SCALES or t.text.lower() in _NUMBER_WORDS


def _hedge_before(tokens: list[Token], start: int) -> str | None:
    before2 = " ".join(t.text.lower() for t in tokens[max(0, start - 2) : start])
    before1 = tokens[start - 1].text.lower() if start >= 1 else ""
    if before2 in _HEDGES:
        return before2
    return before1 if before1 in _HEDGES else None


def _mention_titles(mentions: Sequence[Mention]) -> list[TitleRef]:
    """Titles next to person names, as the analysis gave them (Mention.title) in one sentence."""
    return [
        TitleRef(mention.entity_id or mention.text, mention.title)
        for mention in mentions
        if mention.title and mention.type == "PERSON"
    ]


def _parse_titles(doc: Doc) -> list[TitleRef]:
    """Titles read off the parse, for a sentence whose mentions carry none: the words before a name."""
    found: list[TitleRef] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        words: list[str] = []
        k = ent.start - 1
        while k >= 0 and (
            doc[k].text.lower() in ROLE_HEADS | RANKS | PORTFOLIOS
            or (words and doc[k].ent_type_ in ("NORP", "GPE"))
        ):
            words.insert(0, doc[k].text)
            k -= 1
        if any(w.lower() in ROLE_HEADS for w in words):
            found.append(TitleRef(ent.text, " ".join(words)))
    return found


def _polarity(doc: Doc) -> dict[str, bool]:
    """Predicate -> negated, for the verbs of a sentence ("denied" counts as "not confirmed")."""
    out: dict[str, bool] = {}
    for t in doc:
        if t.pos_ not in ("VERB", "AUX") or t.dep_ in ("aux", "auxpass"):
            continue
        key = stem(t.text)
        negated = any(c.dep_ == "neg" for c in t.children) or any(
            c.dep_ in ("dobj", "nsubjpass")
            and any(d.dep_ == "det" and d.text.lower() == "no" for d in c.children)
            for c in t.children
        )
        if key in _NEGATIVE_VERBS:
            key, negated = _NEGATIVE_VERBS[key], not negated
        out.setdefault(key, negated)
    return out
