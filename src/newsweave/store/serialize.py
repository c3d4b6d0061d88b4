"""Records to JSON-ready dicts and back, for the store."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
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
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def article_from_dict(data: dict[str, Any]) -> Article:
    return _build(Article, data)


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
    }


def _flat(obj: Any) -> dict[str, Any]:
    # the analysis records hold scalars, and a quote one nested mention
    return {k: _flat(v) if is_dataclass(v) else v for k, v in vars(obj).items()}


def analyzed_from_dict(article: Article, data: dict[str, Any]) -> AnalyzedArticle:
    quotes = []
    for q in data.get("quotes", []):
        q = dict(q)
        if q.get("speaker_mention"):
            q["speaker_mention"] = _build(Mention, q["speaker_mention"])
        quotes.append(_build(Quote, q))
    return AnalyzedArticle(
        article=article,
        sentences=[_build(Sentence, s) for s in data.get("sentences", [])],
        mentions=[_build(Mention, m) for m in data.get("mentions", [])],
        quotes=quotes,
        dates=[_build(DateRef, d) for d in data.get("dates", [])],
        vector=data.get("vector"),
        # analyses stored before schema 2 kept their vectors inline
        sentence_vectors=np.asarray(data["sentence_vectors"], dtype=np.float32) if data.get("sentence_vectors") else None,
    )


def story_from_dict(data: dict[str, Any]) -> Story:
    return Story(
        id=data["id"],
        headline=data.get("headline", ""),
        articles=list(data.get("articles", [])),
        events=[_build(Event, e) for e in data.get("events", [])],
        summary=[_build(SummarySentence, s) for s in data.get("summary", [])],
        entities=[_build(Entity, e) for e in data.get("entities", [])],
        quotes=[_build(StoryQuote, q) for q in data.get("quotes", [])],
        timeline=[_build(TimelineEntry, t) for t in data.get("timeline", [])],
        corroborated=[_build(Claim, c) for c in data.get("corroborated", [])],
        single_source=[_build(SingleSourceClaim, c) for c in data.get("single_source", [])],
        disagreements=[
            Disagreement(about=d.get("about", ""), claims=[_build(ClaimSide, c) for c in d.get("claims", [])])
            for d in data.get("disagreements", [])
        ],
        word_choice=[_build(WordChoice, w) for w in data.get("word_choice", [])],
    )


def entity_from_dict(data: dict[str, Any]) -> Entity:
    return _build(Entity, data)
