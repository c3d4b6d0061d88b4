"""One story filled with everything a reader sees: the entry point of the story stages.

:func:`fill_story` is a loop over :data:`STEPS`, each registered with :func:`step` and what it
``requires`` and ``assigns`` (spaCy's component declarations): duplicates (:mod:`.dedup`), the
latest members' sentence vectors, the comparison of outlets (:mod:`.compare`, which cites through
:mod:`.cite` and the support judge), the summary (:mod:`.summarize`), independent sources
(:mod:`.sources`), the story's entities and quotes (:mod:`.quotes`) and the timeline
(:mod:`.timeline`). It needs no store: the pipeline reads a :class:`StoryJob` for it, so it runs
as well in a worker process or on a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from newsweave.analyze._base import Embedder
from newsweave.analyze.embed import MiniLM
from newsweave.config import Config
from newsweave.judge import KeptJudge, SupportJudge, default_judge, judge_id
from newsweave.model import AnalyzedArticle, Entity, Story, StoryQuote, SummarySentence, TimelineEntry
from newsweave.story.claims import KeptParses
from newsweave.story.compare import Comparison, compare_story, sentence_vectors
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
    stored_vectors: dict[
        str, tuple[Any, Any]
    ]  # article id → (sentence rows, title row) of the latest members
    entities: dict[str, Entity]  # the resolved entities the members mention
    # what the story's earlier fills worked out and the store kept, so that a refill's cost follows
    # its new members: article id → sentence key → parse (claims.KeptParses), and the judge's
    # verdicts of the pairs the last fills of its members' stories asked: judge id → pair key → verdict
    parses: dict[str, dict[str, Any]] = field(default_factory=dict)
    verdicts: dict[str, dict[str, list[float]]] = field(default_factory=dict)


@dataclass
class FilledStory:
    story: Story
    sources: int  # independent sources
    article_fields: dict[str, dict[str, Any]]  # article id → changed later-stage fields, for the store
    # for the store, as StoryJob reads them: the kept parses of articles that gained one, and
    # the verdicts of every pair this fill asked (None when the judge keeps none)
    parses: dict[str, dict[str, Any]] = field(default_factory=dict)
    verdicts: tuple[str, dict[str, list[float]]] | None = None


@dataclass
class Filling:
    """One story being filled: what the job brought, and each step's result once it has run.

    A step reads only fields an earlier step assigned (``requires``) and sets its own
    (``assigns``); :func:`fill_story` checks both as it runs them, so the order is the one
    place that says what depends on what.
    """

    job: StoryJob
    config: Config
    judge: SupportJudge
    embedder: Embedder
    parses: KeptParses  # the kept sentence parses, and the ones made now
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)  # article fields, for the store
    duplicate_of: dict[str, str] | None = None
    latest: list[AnalyzedArticle] | None = None  # the newest members, with their sentence vectors
    comparison: Comparison | None = None
    headline: str | None = None
    summary: list[SummarySentence] | None = None
    sources: int | None = None
    entities: list[Entity] | None = None
    quotes: list[StoryQuote] | None = None
    timeline: list[TimelineEntry] | None = None


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Filling], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STEPS: list[Step] = []


def step(
    requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()
) -> Callable[[Callable[[Filling], None]], Callable[[Filling], None]]:
    """Register a story step after the ones defined before it (spaCy's ``requires=``/``assigns=``)."""

    def register(run: Callable[[Filling], None]) -> Callable[[Filling], None]:
        STEPS.append(Step(run.__name__, run, requires, assigns))
        return run

    return register


def fill_story(
    job: StoryJob, config: Config, judge: SupportJudge | None = None, embedder: Embedder | None = None
) -> FilledStory:
    """``job``'s story with everything a reader sees (entities, quotes, timeline, comparison,
    summary), its number of independent sources and the article fields that changed.

    ``judge`` and ``embedder`` default to the shipped cross-encoder and MiniLM, made here on
    ``config.analyze.embed_threads`` threads (in a worker, its share of the cores)."""
    threads = config.analyze.embed_threads
    judge = judge if judge is not None else default_judge(threads)
    kept_id = judge_id(judge)
    if kept_id is not None:  # the verdicts the last fill asked, if the same model gave them
        judge = KeptJudge(judge, job.verdicts.get(kept_id))
    filling = Filling(
        job,
        config,
        judge,
        embedder if embedder is not None else MiniLM(threads),
        parses=KeptParses(job.parses),
    )
    for s in STEPS:
        missing = [name for name in s.requires if getattr(filling, name) is None]
        if missing:
            raise RuntimeError(f"story step {s.name} runs before {', '.join(missing)} is set")
        s.run(filling)
        unset = [name for name in s.assigns if getattr(filling, name) is None]
        if unset:
            raise RuntimeError(f"story step {s.name} left {', '.join(unset)} unset")
    return _filled(filling)


@step(assigns=("duplicate_of",))
def duplicates(f: Filling) -> None:
    f.duplicate_of = find_duplicates(f.job.members, f.config.cluster)
    _mark_duplicates(f.job.members, f.duplicate_of, f.changed)


@step(assigns=("latest",))
def vectors(f: Filling) -> None:
    # compare and summarize both need every sentence's vector: stored at analysis time
    latest = latest_members(f.job.members, f.config.summary.max_articles)
    f.latest = _with_sentence_vectors(latest, f.job.stored_vectors, f.embedder)


@step(requires=("latest", "duplicate_of"), assigns=("comparison",))
def comparison(f: Filling) -> None:
    assert f.latest is not None
    f.comparison = compare_story(f.job.story, f.latest, f.duplicate_of, f.judge, f.embedder, kept=f.parses)
    apply_flags(f.latest, f.comparison.flags, f.changed)


@step(requires=("latest", "comparison"), assigns=("headline", "summary"))
def summary(f: Filling) -> None:
    assert f.latest is not None and f.comparison is not None
    # the summary cites through the comparison's Citer, and so its judge
    headline, f.summary = summarize_story(
        f.job.story, f.latest, f.comparison, f.config.summary.words, embedder=f.embedder
    )
    f.headline = headline or f.job.story.headline


@step(requires=("duplicate_of",), assigns=("sources",))
def sources(f: Filling) -> None:
    assert f.duplicate_of is not None
    f.sources = independent_sources([m.article for m in f.job.members], f.duplicate_of)


@step(assigns=("entities", "quotes"))
def names(f: Filling) -> None:
    f.entities, f.quotes = story_names(f.job.members, f.job.entities)


def story_names(
    members: list[AnalyzedArticle], by_id: dict[str, Entity]
) -> tuple[list[Entity], list[StoryQuote]]:
    """A story's entities and its quotes with their speakers' entities: all a story's fill reads
    of the store-wide entity resolution (names-only analyses are enough)."""
    return story_entities(members, by_id), merge_reported(_story_quotes(members, by_id))


@step(assigns=("timeline",))
def timeline(f: Filling) -> None:
    f.timeline = build_timeline(f.job.members, f.judge)


def _filled(f: Filling) -> FilledStory:
    # fill_story checked that every step set what it assigns
    assert f.comparison is not None and f.sources is not None and f.headline is not None
    assert (
        f.summary is not None and f.entities is not None and f.quotes is not None and f.timeline is not None
    )
    c = f.comparison
    story = replace(
        f.job.story,
        headline=f.headline,
        summary=f.summary,
        entities=f.entities,
        quotes=f.quotes,
        timeline=f.timeline,
        corroborated=c.corroborated,
        single_source=c.single_source,
        disagreements=c.disagreements,
        word_choice=c.word_choice,
    )
    sentences = {m.article.id: len(m.sentences) for m in f.job.members}
    return FilledStory(story, f.sources, f.changed, f.parses.changed(sentences), _verdicts(f.judge))


def _verdicts(judge: SupportJudge) -> tuple[str, dict[str, list[float]]] | None:
    """The verdicts of the pairs this fill asked: the store keeps a story's last fill's pairs
    only, so it holds what the next fill may ask and not every pair ever judged."""
    if not isinstance(judge, KeptJudge):
        return None
    kept_id = judge_id(judge.inner)
    return None if kept_id is None else (kept_id, judge.asked)


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
        if m.article.id in stored and len(stored[m.article.id][0]) == len(m.sentences)
        else m
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
            quotes.append(
                StoryQuote(
                    speaker=entity.name if entity else q.speaker,
                    entity=entity.id if entity else None,
                    text=q.text,
                    kind=q.kind,
                    article=m.article.id,
                    sentence=q.sentence,
                )
            )
    return quotes
