"""One story filled with everything a reader sees: the entry point of the story stages.

:func:`fill_story` runs, in order, duplicates (:mod:`.dedup`), the comparison of outlets
(:mod:`.compare`, which cites through :mod:`.cite` and the support judge), the summary
(:mod:`.summarize`), the story's entities and quotes (:mod:`.quotes`) and the timeline
(:mod:`.timeline`). It needs no store: the pipeline reads a :class:`StoryJob` for it, so it runs
as well in a worker process or on a Dask cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from newsweave.analyze._base import Embedder
from newsweave.analyze.embed import MiniLM
from newsweave.config import Config
from newsweave.judge import SupportJudge, default_judge
from newsweave.model import AnalyzedArticle, Entity, Story, StoryQuote
from newsweave.story.compare import compare_story, sentence_vectors
from newsweave.story.dedup import find_duplicates
from newsweave.story.quotes import merge_reported
from newsweave.story.sources import independent_sources
from newsweave.story.summarize import summarize_story
from newsweave.story.timeline import build_timeline


@dataclass
class StoryJob:
    """What filling one story needs, read from the store by the parent (a worker process has no store)."""

    story: Story
    members: list[AnalyzedArticle]
    stored_vectors: dict[str, tuple[Any, Any]]  # article id → (sentence rows, title row) of the latest members
    entities: dict[str, Entity]  # the resolved entities the members mention


@dataclass
class FilledStory:
    story: Story
    sources: int  # independent sources
    article_fields: dict[str, dict[str, Any]]  # article id → changed later-stage fields, for the store


def fill_story(
    job: StoryJob, config: Config, judge: SupportJudge | None = None, embedder: Embedder | None = None
) -> FilledStory:
    """``job``'s story with everything a reader sees (entities, quotes, timeline, comparison,
    summary), its number of independent sources and the article fields that changed.

    ``judge`` and ``embedder`` default to the shipped cross-encoder and MiniLM, made here on
    ``config.analyze.embed_threads`` threads (in a worker, its share of the cores)."""
    story, by_id, changed = job.story, job.entities, {}
    members = job.members
    duplicate_of = find_duplicates(members, config.cluster)
    _mark_duplicates(members, duplicate_of, changed)
    # compare and summarize both need every sentence's vector: stored at analysis time
    latest = latest_members(members, config.summary.max_articles)
    threads = config.analyze.embed_threads
    judge = judge if judge is not None else default_judge(threads)
    embedder = embedder if embedder is not None else MiniLM(threads)
    vectored = _with_sentence_vectors(latest, job.stored_vectors, embedder)
    comparison = compare_story(story, vectored, duplicate_of, judge, embedder)
    apply_flags(latest, comparison.flags, changed)
    headline, summary = summarize_story(
        story, vectored, comparison, config.summary.words, embedder=embedder
    )  # the summary cites through the comparison's Citer, and so its judge
    sources = independent_sources([m.article for m in members], duplicate_of)
    return FilledStory(replace(
        story,
        headline=headline or story.headline,
        summary=summary,
        entities=story_entities(members, by_id),
        quotes=merge_reported(_story_quotes(members, by_id)),
        timeline=build_timeline(members, judge),
        corroborated=comparison.corroborated,
        single_source=comparison.single_source,
        disagreements=comparison.disagreements,
        word_choice=comparison.word_choice,
    ), sources, changed)


def latest_members(members: list[AnalyzedArticle], limit: int) -> list[AnalyzedArticle]:
    """The ``limit`` most recently published of ``members`` (undated ones count as oldest), in story order."""
    if len(members) <= limit:
        return members
    newest = sorted(members, key=lambda m: (m.article.published or "", m.article.id), reverse=True)[:limit]
    keep = {m.article.id for m in newest}
    return [m for m in members if m.article.id in keep]


def _with_sentence_vectors(
    members: list[AnalyzedArticle], stored: dict[str, tuple[Any, Any]], embedder: Embedder
) -> list[AnalyzedArticle]:
    """Copies of ``members`` carrying their sentence vectors and stored title vectors; sentences
    without a stored vector are embedded here by ``embedder``.

    The copies share each member's ``Article``, so flags set on one are seen on both; the
    timeline keeps the originals, which is what it saw before.
    """
    if not members:
        return members
    members = [
        replace(m, sentence_vectors=stored[m.article.id][0], title_vector=stored[m.article.id][1])
        if m.article.id in stored and len(stored[m.article.id][0]) == len(m.sentences) else m
        for m in members
    ]
    vectors = sentence_vectors(members, embedder)
    out = []
    start = 0
    for m in members:
        end = start + len(m.sentences)
        out.append(replace(m, sentence_vectors=vectors[start:end]))
        start = end
    return out


def _mark_duplicates(
    members: list[AnalyzedArticle], duplicate_of: dict[str, str], changed: dict[str, dict[str, Any]]
) -> None:
    for m in members:
        original = duplicate_of.get(m.article.id)
        if m.article.duplicate_of != original:
            m.article.duplicate_of = original
            changed.setdefault(m.article.id, {})["duplicate_of"] = original


# Flags that depend on the other articles of the story: recomputed at every rebuild, so a later
# article (the original a rewrite copied, say) can clear them as well as set them.
STORY_FLAGS = frozenset({"low_originality"})


def apply_flags(
    members: list[AnalyzedArticle], flags: dict[str, list[str]], changed: dict[str, dict[str, Any]]
) -> None:
    for m in members:
        found = flags.get(m.article.id, [])
        kept = [f for f in m.article.flags if f not in STORY_FLAGS or f in found]
        updated = kept + [f for f in found if f not in kept]
        if updated != m.article.flags:
            m.article.flags = updated
            changed.setdefault(m.article.id, {})["flags"] = updated


def story_entities(members: list[AnalyzedArticle], by_id: dict[str, Entity]) -> list[Entity]:
    """The story's entities, with articles and mention counts restricted to the story."""
    counts: dict[str, int] = {}
    seen_in: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for m in members:
        for mention in m.mentions:
            if mention.entity_id is None:
                continue
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
            arts = seen_in.setdefault(mention.entity_id, [])
            if m.article.id not in arts:
                arts.append(m.article.id)
            names = aliases.setdefault(mention.entity_id, [])
            if mention.text not in names:
                names.append(mention.text)
    out = []
    for entity_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        entity = by_id.get(entity_id)
        if entity is None:
            continue
        # all spellings of the entity, seen anywhere: the reader wants every alias on one line
        out.append(replace(entity, articles=seen_in[entity_id], mentions=count))
    return out


def _story_quotes(members: list[AnalyzedArticle], by_id: dict[str, Entity]) -> list[StoryQuote]:
    quotes = []
    for m in members:
        for q in m.quotes:
            entity = by_id.get(q.entity_id) if q.entity_id else None
            quotes.append(StoryQuote(
                speaker=entity.name if entity else q.speaker,
                entity=entity.id if entity else None,
                text=q.text,
                kind=q.kind,
                article=m.article.id,
                sentence=q.sentence,
            ))
    return quotes


