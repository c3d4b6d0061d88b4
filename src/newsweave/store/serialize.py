"""Records to JSON-ready dicts and back, for the store."""

from __future__ import annotations

import sys
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

import numpy as np

from newsweave.model import (
    AnalyzedArticle,
    Article,
    Claim,
    ClaimSide,
    DateRef,
    Disagreement,
    Entity,
    Event,
    Evidence,
    Mention,
    Quote,
    Sentence,
    SingleSourceClaim,
    Story,
    StoryQuote,
    SummarySentence,
    TimelineEntry,
    WordChoice,
)


def _build(cls: type, data: dict[str, Any]) -> Any:
    return cls(**_known(cls, data))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    # a record stored by another version may carry fields this one does not know
    names = _field_names(cls)
    return {k: v for k, v in data.items() if k in names}


def article_from_dict(data: dict[str, Any]) -> Article:
    return Article(**_known(Article, data))


def analyzed_to_dict(item: AnalyzedArticle) -> dict[str, Any]:
    """The analysis as JSON-ready data, without the article (stored apart) or the vectors (their own table).

    Written out rather than with ``dataclasses.asdict``, whose deep copy of every mention was a
    sizeable part of saving a batch.
    """
    return {
        "sentences": [_flat(s) for s in item.sentences],
        "mentions": [_flat(m) for m in item.mentions],
        "quotes": [_flat(q) for q in item.quotes],
        "dates": [_flat(d) for d in item.dates],
        "vector": item.vector,
        "multilingual_vector": item.multilingual_vector,
    }


def _flat(obj: Any) -> dict[str, Any]:
    # the analysis records hold scalars, and a quote one nested mention
    return {f.name: _flat(v) if is_dataclass(v := getattr(obj, f.name)) else v for f in fields(obj)}


# Fields whose values repeat across records: one shared string each instead of a copy per record
# (a store's worth of mentions is loaded for entity resolution; ~half their memory was these copies).
_SHARED = ("type", "kind", "precision", "text", "speaker", "cue", "title", "value", "anchor")


def _record(cls: type, data: dict[str, Any], article_id: str) -> Any:
    names, shared = _field_names(cls), _shared_fields(cls)
    values = {k: v for k, v in data.items() if k in names}
    values["article_id"] = article_id
    for key in shared:
        value = values.get(key)
        if type(value) is str and len(value) <= 64:
            values[key] = sys.intern(value)
    return cls(**values)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


@cache
def _shared_fields(cls: type) -> tuple[str, ...]:
    return tuple(key for key in _SHARED if key in _field_names(cls))


def analyzed_from_dict(article: Article, data: dict[str, Any]) -> AnalyzedArticle:
    aid = article.id  # every record names its article: share the one string
    quotes = []
    for q in data.get("quotes", []):
        q = dict(q)
        if q.get("speaker_mention"):
            q["speaker_mention"] = _record(Mention, q["speaker_mention"], aid)
        quotes.append(_record(Quote, q, aid))
    return AnalyzedArticle(
        article=article,
        sentences=[_record(Sentence, s, aid) for s in data.get("sentences", [])],
        mentions=[_record(Mention, m, aid) for m in data.get("mentions", [])],
        quotes=quotes,
        dates=[_record(DateRef, d, aid) for d in data.get("dates", [])],
        vector=data.get("vector"),
        multilingual_vector=data.get("multilingual_vector"),
        # analyses stored before schema 2 kept their vectors inline
        sentence_vectors=np.asarray(data["sentence_vectors"], dtype=np.float32)
        if data.get("sentence_vectors")
        else None,
    )


def story_from_dict(data: dict[str, Any]) -> Story:
    return Story(
        id=data["id"],
        headline=data.get("headline", ""),
        articles=list(data.get("articles", [])),
        events=[_build(Event, e) for e in data.get("events", [])],
        summary=[_with_evidence(SummarySentence, s) for s in data.get("summary", [])],
        entities=[_build(Entity, e) for e in data.get("entities", [])],
        quotes=[_build(StoryQuote, q) for q in data.get("quotes", [])],
        timeline=[_with_evidence(TimelineEntry, t) for t in data.get("timeline", [])],
        corroborated=[_with_evidence(Claim, c) for c in data.get("corroborated", [])],
        single_source=[_build(SingleSourceClaim, c) for c in data.get("single_source", [])],
        disagreements=[
            Disagreement(about=d.get("about", ""), claims=[_build(ClaimSide, c) for c in d.get("claims", [])])
            for d in data.get("disagreements", [])
        ],
        word_choice=[_build(WordChoice, w) for w in data.get("word_choice", [])],
        related=[str(r) for r in data.get("related", [])],
    )


def _with_evidence(cls: type, data: dict[str, Any]) -> Any:
    """A cited record with its evidence sentences as :class:`Evidence` (stories stored before
    the support judge have none)."""
    record = _build(cls, data)
    record.evidence = [_build(Evidence, e) for e in data.get("evidence", [])]
    return record


def entity_from_dict(data: dict[str, Any]) -> Entity:
    return Entity(**_known(Entity, data))
