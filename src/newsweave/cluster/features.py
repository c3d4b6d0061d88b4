"""What the clusterer reads from one article: hashed TF-IDF terms, typed entity keys, key numbers,
the MiniLM vector and the day its occurrence happened; and the sparse-vector arithmetic on them."""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from newsweave.model import AnalyzedArticle, DateRef
from newsweave.vocab import REPORTING_WORDS, STOPWORDS, TERM

HASH_BITS = 20  # 1M buckets: collisions between content words are rare and harmless


TITLE_REPEAT = 2  # the headline names the event; count its words twice


# Entity keys carry their type, so "Jordan" the country and "Jordan" the player do not match.
ENTITY_TYPE_WEIGHT = {
    "PERSON": 1.0,
    "ORG": 1.0,
    "GPE": 1.0,
    "NORP": 0.5,
    "LOC": 0.5,
    "FAC": 0.5,
    "EVENT": 0.7,
    "PRODUCT": 0.4,
    "WORK_OF_ART": 0.4,
    "LAW": 0.4,
}


_NUMBER = re.compile(
    r"(?<![\w.])\$?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(%|percent|per cent|million|billion|trillion)?(?![\w])",
    re.IGNORECASE,
)


_UNIT = {"percent": "%", "per cent": "%"}


_YEAR = re.compile(r"(19|20)\d\d")


_MONTH_BEFORE = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE
)


_STOP = STOPWORDS | REPORTING_WORDS


Sparse = dict[int, float]


Vector = npt.NDArray[np.float32]  # a MiniLM vector, or a sum of them
Signature = tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]  # hashed term keys and their weights


@dataclass
class Features:
    """What the clusterer reads from one article."""

    id: str
    title: str
    terms: Counter[int]  # raw term counts (hashed); weighted with the running IDF when added
    entities: Sparse  # unit vector over hashed typed-entity keys
    vector: Vector | None
    span: tuple[int, int] | None  # when the article's own occurrence happened (proleptic ordinals)
    numbers: Sparse = field(default_factory=dict)  # unit vector over the key numbers it reports
    days: Sparse = field(default_factory=dict)  # unit vector over the days its lead names
    language: str = "en"  # ISO 639-1, as the cleaner identified it
    published: bool = False  # whether ``span`` is the publication day (not a day its text writes)
    # the multilingual encoder's vector of the same title and lead: pairs in two languages read it
    multilingual: Vector | None = None


# The multilingual encoder's vectors are this long and MiniLM's shorter: a vector says which made it.
MULTILINGUAL_DIMENSIONS = 512


def is_multilingual(vector: Vector | None) -> bool:
    """Whether ``vector`` (a unit vector or a sum of them) is the multilingual encoder's."""
    return vector is not None and vector.shape[0] == MULTILINGUAL_DIMENSIONS


def features_of(item: AnalyzedArticle) -> Features:
    return Features(
        id=item.article.id,
        title=item.article.title,
        terms=term_counts(item),
        entities=entity_vector(item),
        vector=unit(item.vector),
        span=event_time(item),
        numbers=number_vector(f"{item.article.title}\n{item.article.text}"),
        days=lead_day_vector(item),
        language=item.article.language,
        published=publication_span(item) is not None,
        multilingual=unit(item.multilingual_vector),
    )


def unit(values: list[float] | None) -> Vector | None:
    """``values`` as a float32 unit vector (None for none, or for a zero vector)."""
    if values is None:
        return None
    vector = np.asarray(values, dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else None


def term_counts(item: AnalyzedArticle) -> Counter[int]:
    words = content_words(item.article.title) * TITLE_REPEAT + content_words(item.article.text)
    return Counter(term_hash(w) for w in words)


def content_words(text: str) -> list[str]:
    return [w for w in TERM.findall(text.lower()) if len(w) > 2 and w not in _STOP]


def entity_vector(item: AnalyzedArticle) -> Sparse:
    weights: dict[int, float] = {}
    for mention in item.mentions:
        type_weight = ENTITY_TYPE_WEIGHT.get(mention.type, 0.0)
        for key in entity_keys(mention.text, mention.type):
            h = term_hash(f"ent:{mention.type}:{key}")
            weights[h] = weights.get(h, 0.0) + type_weight
    return normalised({k: 1.0 + math.log(v) if v >= 1 else v for k, v in weights.items() if v > 0})


def lead_day_vector(item: AnalyzedArticle) -> Sparse:
    """The days (YYYY-MM-DD) the report's lead says its news happened on, as a unit vector of
    their own: two reports of one development name its day ("the panel voted Friday"), two
    consecutive developments of one subject name two (the vote, the agency's decision five days
    on). Kept apart from the key numbers: inside that vector a pair with no numbers that shared a
    day read as a cosine of 1.0 where the words' had stood, and the gate's ECB+ and NeuS subsets
    fell below their floors (commit 86f3222)."""
    days = {d.value for d in item.dates if _is_lead_day(d)}
    return normalised({term_hash(f"day:{day}"): 1.0 for day in days})


# The lead (the first two sentences of the body) is where a report says when its news happened.
# ECB+ topics 1-35, pairs of one topic whose leads both name a day: of one happening, 408 share a
# day and 235 do not (follow-ups, misread dates); of the topic's two happenings, 0 share one and
# 119 do not (measured in the first round of stop 34).
LEAD_SENTENCES = 2


# "Today", "yesterday", "this morning" restate the publication date and say nothing of their own;
# on AllSides, where every article carries its roundup's date, they would restate the gold.
_DEICTIC = re.compile(
    r"\b(today|tonight|yesterday|tomorrow|this (morning|afternoon|evening)|last night)\b", re.IGNORECASE
)


def _is_lead_day(ref: DateRef) -> bool:
    """A day of the lead that the article dates by itself: written in full, or resolved against
    its own publication date. A day placed from another date of its text is as unsure here as
    in :func:`event_time`; "today" and its kin are left out (see ``_DEICTIC``)."""
    return (
        ref.sentence < LEAD_SENTENCES
        and ref.precision == "day"
        and bool(ref.value)
        and (ref.anchor == "absolute" or ref.anchor.startswith("published:"))
        and not _DEICTIC.search(ref.text)
    )


def number_vector(text: str) -> Sparse:
    """The key numbers a report gives (a toll, a magnitude, a rate, a sum), as a unit vector:
    two reports of one happening repeat them, two of one subject (last week's jobless claims and
    this week's) differ in them. Years and days of a month are left out: they date, not measure."""
    counts: Counter[int] = Counter()
    for match in _NUMBER.finditer(text):
        value, unit = match.group(1).replace(",", ""), (match.group(2) or "").lower()
        if not unit and "." not in value and (len(value) < 2 or _YEAR.fullmatch(value)):
            continue  # a lone digit is too common to tell happenings apart; a year dates them
        if _MONTH_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        counts[term_hash(f"num:{value}{_UNIT.get(unit, unit)}")] += 1
    return normalised({k: 1.0 + math.log(v) for k, v in counts.items()})


def entity_keys(text: str, kind: str) -> list[str]:
    name = re.sub(r"^(the|a|an)\s+|'s$|’s$", "", text.strip().lower())
    name = re.sub(r"[^\w\s-]", "", name).replace("-", " ")
    name = " ".join(name.split())
    if not name:
        return []
    keys = [name]
    if kind == "PERSON" and " " in name:
        keys.append(name.split()[-1])  # the surname alone is how later mentions name a person
    return keys


def event_time(item: AnalyzedArticle) -> tuple[int, int] | None:
    """The day the article's own occurrence happened: its publication day; else the day its text
    writes in full (with its year) most often (the most recent on ties). Years and months are left
    out: in a report they are background ("talks began in 2019"), not the day being reported.

    Days the dates stage placed from another date of the same text (a yearless "April 11" put in
    the year after one the text names, "yesterday" counted from a date written elsewhere) are left
    out: the other date is often background, so the guess is mostly wrong and parts reports of one
    happening. Counted (commit 08dca6b onwards), they gave 29 of ECB+'s 772 dev reports a day; of
    the 22 whose happening's other reports are dated, 5 lie within 8 days of those and 17 months
    or years off, and story F1 fell from 0.895 to 0.882.
    """
    span = publication_span(item)
    if span is not None:
        return span
    days = Counter(d.value for d in item.dates if d.precision == "day" and d.value and d.anchor == "absolute")
    if not days:
        return None
    value = max(days, key=lambda v: (days[v], v))
    return value_span(value)


def publication_span(item: AnalyzedArticle) -> tuple[int, int] | None:
    """The article's publication day, when it has one."""
    return value_span(item.article.published[:10]) if item.article.published else None


def value_span(value: str) -> tuple[int, int] | None:
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts).toordinal()
            return day, day
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return first.toordinal(), following.toordinal() - 1
        if len(parts) == 1:
            return date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal()
    except ValueError:
        return None
    return None


def term_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def normalised(weights: dict[int, float]) -> Sparse:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm else {}


def top_k(weights: Sparse, k: int) -> Sparse:
    if len(weights) <= k:
        return dict(weights)
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def signature(weights: Sparse) -> Signature:
    return np.fromiter(weights.keys(), np.int32, len(weights)), np.fromiter(
        weights.values(), np.float32, len(weights)
    )


def unsigned(signature: Signature) -> Sparse:
    return dict(zip(signature[0].tolist(), signature[1].tolist(), strict=True))


def signature_dot(signature: Signature, weights: Sparse) -> float:
    # straight from the arrays: this runs for every article of every story each time stories are listed
    return float(
        sum(
            v * weights.get(k, 0.0) for k, v in zip(signature[0].tolist(), signature[1].tolist(), strict=True)
        )
    )


def add_into(total: Sparse, vector: Sparse) -> None:
    """Add ``vector`` into ``total`` in place."""
    for k, v in vector.items():
        total[k] = total.get(k, 0.0) + v


def sparse_dot(a: Sparse, b: Sparse) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())
