"""The order of the stages, their batching, and the clusterer's saved state. Nothing else.

    sources → ingest/ (read, ingest.clean) → store           articles, READ_CHUNK at a time
            → analyze/ (sentences, names, quotes, dates, vectors) → store     ANALYZE_BATCH per job
            → cluster/ (online: each new article joins or opens a story) → store (its state)
            → names.increment (the touched stories' names, beside the stored names like them;
              names.resolve over every stored name on a rebuild) → store
            → story.build.fill_story, for each story the new articles touched:
                  duplicates → sources → comparison (judge) → summary → entities, quotes → timeline
            → store → report/, web/

Jobs run here, in worker processes or on Dask (:mod:`newsweave.parallel`); only this process
writes the store. :func:`ingest` reads new material and updates the stories it touches;
:func:`build_digest` reads stories back for the reports; :func:`digest` does both.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain, islice
from typing import Any

from newsweave import parallel
from newsweave.analyze import analyze_articles, analyze_in_turn, analyzer_id, embed
from newsweave.analyze.nlp import reads
from newsweave.cluster.clusterer import StoryClusterer, clustering_settings
from newsweave.config import Config
from newsweave.ingest import ingest_sources
from newsweave.ingest.clean import boilerplate_lines_by_outlet, clean_article
from newsweave.model import (
    AnalyzedArticle,
    Article,
    Digest,
    Entity,
    IngestError,
    Story,
)
from newsweave.names.increment import (
    NAMES_PER_KEY,
    apply_resolution,
    forget,
    key_rows,
    resolution_of,
    resolve_increment,
    scope_keys,
)
from newsweave.names.resolve import first_person_speakers, resolve_tallied
from newsweave.outlets import load_directory, name_outlet
from newsweave.store import Store
from newsweave.story.build import StoryJob, fill_story, latest_members, story_names

Progress = Callable[[str, int, int], None]  # (stage, done, total)
CLUSTER_STATE_KEY = "cluster_state"
PENDING_ITEM = "x/pending"  # kept with the clusterer's state: the groups whose stories are not stored yet
# set while the store is to be clustered afresh (a re-analysis, once every analysis is new; or
# `recluster`), so an interrupted run is finished by the next
RECLUSTER_KEY = "recluster_pending"
# the [cluster] settings the stored stories were first grouped under (later runs place new
# articles under their own settings; `recluster` groups everything under the current ones)
CLUSTER_SETTINGS_KEY = "cluster_settings"
# Articles analysed (and saved) together. In one process MiniLM embeds one batch while spaCy parses the
# next, so the first parse and the last embedding run alone: smaller batches shorten both. 200
# full-length articles (benchmarks/scale.py --pool full): 64 gave 1,961-1,968 words/s, 32 gave
# 2,220-2,510 and 16 2,241-2,286 (with MiniLM on one thread while a parse runs); 1,000 excerpts:
# 64 gave 1,791, 16 1,731.
ANALYZE_BATCH = 32
# inputs read and cleaned together: enough pages per outlet to see its site furniture, few enough
# to keep a backfill's memory flat
READ_CHUNK = 2000
STORE_BATCH = 100
# analyses held in memory at once while clustering and building stories: a backfill of any size
# then needs about as much memory as this many articles (plus the clusterer and everyone's names)
LOAD_BATCH = 1000
# fewer stories than this are filled in the parent even with workers: a worker's start (spawn,
# import, load spaCy) costs a few seconds, what about fifty small stories take to fill
PARALLEL_STORIES = 50
# stories filled at once in this process (threads), when they are not sent to workers
STORY_THREADS = 2


@dataclass
class RunReport:
    """What one ingest run did."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)  # stories created or changed
    # stored analyses that other models or settings made (an upgrade): `rebuild --reanalyze` redoes them
    outdated_analyses: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (article id, why its analysis failed)
    reclustering_unfinished: bool = False  # one was interrupted before it clustered the store afresh
    clustering_outdated: bool = False  # the stories were grouped under other [cluster] settings
    # languages of stored articles that no story can join with English coverage, because
    # ``analyze.multilingual_vector`` is off
    unjoined_languages: list[str] = field(default_factory=list)

    @property
    def article_ids(self) -> list[str]:
        # one id read twice in a run (a file and its copy) is one article
        return list(dict.fromkeys(self.new + self.updated + self.unchanged))


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def split_results(
    items: Iterable[Article | IngestError], on_error: Callable[[IngestError], None] | None
) -> tuple[list[Article], list[IngestError]]:
    raw: list[Article] = []
    errors: list[IngestError] = []
    for item in items:
        if isinstance(item, IngestError):
            errors.append(item)
            if on_error:
                on_error(item)
        else:
            raw.append(item)
    return raw, errors


def clean_articles(raw: list[Article], config: Config) -> list[Article]:
    """Clean a batch; site furniture is what recurs across one outlet's pages, so look at them together."""
    furniture = boilerplate_lines_by_outlet(raw)
    cleaned = [clean_article(a, config.clean, furniture.get(a.outlet or "", set())) for a in raw]
    # two inputs with one id (a file and its copy elsewhere): keep the last, as a re-ingest would
    return list({a.id: a for a in cleaned}.values())


@parallel.fewer_collections()
def ingest(
    sources: Iterable[str],
    config: Config,
    store: Store,
    progress: Progress = _noop,
    on_error: Callable[[IngestError], None] | None = None,
) -> RunReport:
    """Read ``sources`` into ``store``, analyse what is new, and update the stories.

    Inputs are read, cleaned and stored ``READ_CHUNK`` articles at a time, so a backfill of a
    million files never holds them all in memory; analysis and clustering follow once.
    """
    report = RunReport()
    items = iter(ingest_sources(sources, config.ingest))
    while chunk := list(islice(items, READ_CHUNK)):
        raw, errors = split_results(chunk, on_error)
        report.errors.extend(errors)
        _store_cleaned(raw, config, store, report)
    return _analyze_and_cluster(report, config, store, progress)


@parallel.fewer_collections()
def ingest_articles(
    raw: list[Article], errors: list[IngestError], config: Config, store: Store, progress: Progress = _noop
) -> RunReport:
    """Store already-read articles, analyse what is new or changed, and update the stories."""
    report = RunReport(errors=list(errors))
    _store_cleaned(raw, config, store, report)
    return _analyze_and_cluster(report, config, store, progress)


def _store_cleaned(raw: list[Article], config: Config, store: Store, report: RunReport) -> None:
    directory = load_directory(config.ingest.outlets)  # the user's outlets file names each outlet
    cleaned = clean_articles([name_outlet(a, directory) for a in raw], config)
    # one transaction per STORE_BATCH articles: a killed run keeps whole batches, and a re-run
    # finds the rest missing and stores them
    for begin in range(0, len(cleaned), STORE_BATCH):
        batch = cleaned[begin : begin + STORE_BATCH]
        for article, status in zip(batch, store.upsert_articles(batch), strict=True):
            getattr(report, status).append(article.id)
            if (
                status != "unchanged"
                and not config.analyze.multilingual_vector
                and not reads(article.language)
            ):
                report.unjoined_languages = sorted({*report.unjoined_languages, article.language})


def _analyze_and_cluster(report: RunReport, config: Config, store: Store, progress: Progress) -> RunReport:
    # resume: anything stored earlier without a current analysis is analysed now too
    report.quarantined = analyze_pending(store.unanalyzed_ids(), config, store, progress)
    with store.exclusive():
        # a changed article is placed again: the story it was in is rebuilt without its old text
        report.stories = update_stories(config, store, progress, replaced=report.updated)
    report.outdated_analyses = count_stale_analyses(config, store)
    report.reclustering_unfinished = reclustering_unfinished(store)
    report.clustering_outdated = clustering_outdated(config, store)
    return report


def analyze_pending(
    ids: Sequence[str], config: Config, store: Store, progress: Progress = _noop
) -> list[tuple[str, str]]:
    """Analyse articles in batches, saving each batch so a crash loses at most one batch (two
    on a hard kill in one process, where one batch is embedded while the next is parsed).

    The per-article stages need nothing but the article, so batches run in
    worker processes (``config.workers``) or on a Dask cluster
    (``config.dask_scheduler``); only the parent writes to the store. A batch that fails is
    analysed again one article at a time, and an article that still fails is quarantined
    with the reason (returned as (id, reason)): it stays stored, out of the stories, and no
    later ingest tries it again until its text changes.
    """
    total = len(ids)
    progress("analyze", 0, total)
    batches = analysis_batches(ids)
    done = 0
    analyzer = analyzer_id(config.analyze)
    quarantined: list[tuple[str, str]] = []
    for batch, analyzed in _run_batches(batches, config, store):
        if analyzed is None:
            analyzed = _analyze_one_by_one(batch, config, store, quarantined)
        store.save_analyses(analyzed, analyzer)
        done += len(batch)
        progress("analyze", done, total)
    return quarantined


def analysis_batches(ids: Sequence[str]) -> list[list[str]]:
    """``ids`` in batches of ``ANALYZE_BATCH``, the first and the last a quarter of that: the first
    parse runs before MiniLM has anything to embed, and the last embedding after spaCy has
    nothing left to parse, so short ends leave a core idle for less time."""
    edge = max(1, ANALYZE_BATCH // 4)
    if len(ids) <= ANALYZE_BATCH:
        return [list(ids)] if ids else []
    head, middle, tail = ids[:edge], ids[edge:-edge], ids[-edge:]
    return (
        [list(head)]
        + [list(middle[i : i + ANALYZE_BATCH]) for i in range(0, len(middle), ANALYZE_BATCH)]
        + [list(tail)]
    )


def _analyze_one_by_one(
    ids: list[str], config: Config, store: Store, quarantined: list[tuple[str, str]]
) -> list[AnalyzedArticle]:
    out = []
    for article in store.get_articles(ids):
        try:
            out.extend(_analyze_batch([article], config))
        except Exception as exc:  # whatever broke, this article alone pays for it
            reason = f"analysis failed: {type(exc).__name__}: {exc}".splitlines()[0][:500]
            store.quarantine_article(article, reason)
            quarantined.append((article.id, reason))
    return out


def _analyze_batch(articles: list[Article], config: Config) -> list[AnalyzedArticle]:
    return analyze_articles(articles, config.analyze)


def _run_batches(
    batches: list[list[str]], config: Config, store: Store
) -> Iterator[tuple[list[str], list[AnalyzedArticle] | None]]:
    """(batch, its analyses), or (batch, None) when analysing it raised."""
    if parallel.spreads(config, count=len(batches), min_jobs=2, min_jobs_on_dask=1):
        jobs = (store.get_articles(batch) for batch in batches)
        # one batch is analysed here rather than in a process started for it; a cluster's workers are up
        outcomes = parallel.run(
            _analyze_batch, jobs, config, count=len(batches), min_jobs=2, min_jobs_on_dask=1
        )
        for batch, outcome in zip(batches, outcomes, strict=True):
            yield batch, outcome.value if outcome.error is None else None
        return
    # one command: MiniLM embeds a batch in a helper process while spaCy parses the next here
    # (a single batch has nothing to overlap, so a small ingest starts no helper)
    no_vectors = replace(config, analyze=replace(config.analyze, embed=False))
    with parallel.helper_process(len(batches) > 1 and config.analyze.embed, embed.load) as helper:
        yield from analyze_in_turn(
            batches, lambda b: _analyze_batch(store.get_articles(b), no_vectors), config.analyze, helper
        )


def update_stories(
    config: Config, store: Store, progress: Progress = _noop, replaced: Iterable[str] = ()
) -> list[str]:
    """Add unclustered articles to the online clusterer and rebuild the stories they touch.

    ``replaced`` articles (their text changed) are taken out of their stories first and placed
    again like new ones, so no story keeps citing a text an article no longer has."""
    clusterer = _load_clusterer(config, store)
    first_grouping = clusterer.empty
    touched: set[str] = {s for s in (clusterer.forget(a) for a in replaced) if s is not None}
    # an empty clusterer (the first run, or clustering afresh) places every stored article
    unplaced = list(store.article_ids()) if first_grouping else store.unplaced_ids()
    todo = [a for a in unplaced if clusterer.story_of(a) is None]
    # stream in publication order, as they would have arrived; ids break ties
    published = store.publication_dates(todo)
    todo.sort(key=lambda a: (published.get(a) or "9999", a))
    progress("cluster", 0, len(todo))
    for begin in range(0, len(todo), LOAD_BATCH):
        for item in store.load_analyses(todo[begin : begin + LOAD_BATCH]):
            story_id, _event = clusterer.add(item)
            touched.add(story_id)
        progress("cluster", min(begin + LOAD_BATCH, len(todo)), len(todo))
    outlines, groups = _save_clusterer(clusterer, store, outline=True)
    store.placed([a for a in unplaced if clusterer.story_of(a) is not None])  # after its state is kept
    if first_grouping:
        store.set_state(CLUSTER_SETTINGS_KEY, clustering_settings(config.cluster))
    # a late merge or split changes stories no new article joined: compare with what is stored
    touched |= _regrouped(outlines, store)
    relinked = _relinked(outlines, touched, store)
    # only the stories that may be filled are named and dated
    current = clusterer.described(
        s for s in outlines if s.id in touched or s.id in {r.id for r, _ in relinked}
    )
    relinked = [(next(c for c in current if c.id == r.id), saved) for r, saved in relinked]
    del clusterer  # its centroids and vectors grow with the store; story building needs none of them
    built = (
        build_stories([s for s in current if s.id in touched], groups, config, store, progress, relinked)
        if touched or relinked
        else []
    )
    _stories_built(store)
    return built


@parallel.fewer_collections()
def remove_articles(
    ids: Iterable[str], config: Config, store: Store, progress: Progress = _noop
) -> tuple[list[str], list[str]]:
    """Delete stored articles and rebuild the stories they were in (a story left empty goes).
    Returns the ids removed (of those asked, the ones stored) and the stories rebuilt."""
    wanted = list(dict.fromkeys(ids))
    present = [a.id for a in store.get_articles(wanted)]
    if not present:
        return [], []
    with store.exclusive():
        clusterer = _load_clusterer(config, store)
        for article_id in present:
            clusterer.forget(article_id)
        gone = forget(store.load_resolutions(present, current=False).values(), store.load_tallies)
        left = set(store.remove_articles(present))
        store.update_entities(gone.entities, gone.tallies, gone.removed, gone.articles)
        store.add_name_counts(gone.counts)
        current, groups = _save_clusterer(clusterer, store)
        del clusterer
        regrouped = _regrouped(current, store)
        touched = [s for s in current if s.id in left or s.id in regrouped]
        rebuilt = build_stories(touched, groups, config, store, progress) if touched else []
        _stories_built(store)
    return present, rebuilt


def _regrouped(current: list[Story], store: Store) -> set[str]:
    """The stories of ``current`` whose articles are not those stored for them."""
    stored = store.story_membership([s.id for s in current])
    return {s.id for s in current if set(s.articles) != stored.get(s.id)}


def _relinked(current: list[Story], touched: set[str], store: Store) -> list[tuple[Story, Story]]:
    """Stories whose related links changed though their articles did not (a new or changed story
    near them), each with its stored version. Only the neighbours of touched stories can have (a
    story's related stories are of its group, so among ``current``), and only theirs are read."""
    near = {r for s in current if s.id in touched for r in s.related}
    near |= {s.id for s in current if touched & set(s.related)}
    out = []
    for story in current:
        if story.id in near and story.id not in touched:
            saved = store.get_story(story.id)
            if saved is not None and saved.related != story.related:
                out.append((story, saved))
    return out


def _relink(
    relinked: Sequence[tuple[Story, Story]],
    names: dict[str, AnalyzedArticle],
    by_id: dict[str, Entity],
    store: Store,
) -> list[Story]:
    """Store the new related links of the stories whose events are as stored and whose names
    (entities, quotes' speakers) resolve as stored; return the others, to be filled again. Nothing
    else a fill reads can have changed for them (their articles did not), so the stored fill is
    what a new one would give: 20 of the 30 stories a ten-article ingest into a 1,000-article
    store filled had only new links."""
    as_stored, refill = [], []
    for story, saved in relinked:
        same = [(e.id, e.articles) for e in story.events] == [(e.id, e.articles) for e in saved.events]
        members = [names[a] for a in story.articles if a in names]
        if same and story_names(members, by_id) == (saved.entities, saved.quotes):
            as_stored.append(replace(saved, related=story.related))
        else:
            refill.append(story)
    if as_stored:
        rows = store.story_rows(s.id for s in as_stored)
        store.save_stories(as_stored, {s.id: rows[s.id]["n_outlets"] for s in as_stored if s.id in rows})
    return refill


@parallel.fewer_collections()
def rebuild_stories(config: Config, store: Store, progress: Progress = _noop) -> list[str]:
    """Rebuild every story from the stored analyses (after an upgrade or a configuration change)."""
    clusterer = _load_clusterer(config, store)
    if clusterer.empty:
        # a clusterer saved by an earlier version in another layout reads as empty: every stored
        # article is then unclustered, and clustering them all builds every story
        del clusterer
        return update_stories(config, store, progress)
    stories = clusterer.stories()
    built = build_stories(stories, clusterer.memberships(), config, store, progress, resolve_all=True)
    _stories_built(store)
    return built


def stale_analyses(config: Config, store: Store) -> list[str]:
    """Articles whose stored analysis other models or settings than ``config.analyze`` made."""
    return store.stale_analysis_ids(analyzer_id(config.analyze))


def count_stale_analyses(config: Config, store: Store) -> int:
    """How many :func:`stale_analyses` there are."""
    return store.count_stale_analyses(analyzer_id(config.analyze))


def reclustering_unfinished(store: Store) -> bool:
    """Whether clustering the store afresh (after a re-analysis, or asked for) stopped before it
    finished; ``reanalyze`` and ``recluster`` finish it."""
    return bool(store.get_state(RECLUSTER_KEY))


def clustering_outdated(config: Config, store: Store) -> bool:
    """Whether the stored stories were grouped under other clustering settings than
    ``config.cluster`` (``recluster`` groups them again). Stores grouped before the settings
    were recorded do not say, and count as current."""
    saved = store.get_state(CLUSTER_SETTINGS_KEY)
    return saved is not None and saved != clustering_settings(config.cluster)


@parallel.fewer_collections()
def reanalyze(
    config: Config, store: Store, progress: Progress = _noop, *, recluster: bool = False
) -> tuple[int, list[str]]:
    """Analyse again every article that other models or settings analysed (after an upgrade, or
    a change of ``config.analyze``), then cluster the whole store afresh and rebuild its stories.
    With ``recluster`` the store is clustered afresh even when no analysis was outdated.

    Returns how many articles were analysed and the stories built. A crash loses at most one
    batch: the next call analyses only what is still stale, then clusters.
    """
    stale = stale_analyses(config, store) + store.unanalyzed_ids()
    if stale or recluster:
        # new vectors make the saved clusterer's centroids and similarities meaningless; set
        # before the analysis, so a run killed during it still clusters afresh when resumed
        store.set_state(RECLUSTER_KEY, True)
    if stale:
        analyze_pending(stale, config, store, progress)
    return len(stale), _finish_reclustering(config, store, progress)


@parallel.fewer_collections()
def recluster(config: Config, store: Store, progress: Progress = _noop) -> list[str]:
    """Cluster the whole store afresh with ``config.cluster`` and rebuild every story: the saved
    clusterer placed each article under the settings of its day, and new settings (or a new
    clusterer) would otherwise apply only to articles yet to come. Analyses stay as they are;
    an interrupted call is finished by the next one (or by ``reanalyze``)."""
    store.set_state(RECLUSTER_KEY, True)
    return _finish_reclustering(config, store, progress)


def _finish_reclustering(config: Config, store: Store, progress: Progress) -> list[str]:
    if not reclustering_unfinished(store):
        return []
    store.delete_state(CLUSTER_STATE_KEY)
    built = update_stories(config, store, progress)  # every article is unclustered now
    store.delete_state(RECLUSTER_KEY)
    return built


def _load_clusterer(config: Config, store: Store) -> StoryClusterer:
    saved = store.get_state(CLUSTER_STATE_KEY)
    if saved:
        return StoryClusterer.from_state(saved, config.cluster, partial(_state_items, store))
    return StoryClusterer(config.cluster)


def _state_items(store: Store, kind: str, keys: list[str] | None) -> dict[str, str]:
    """The clusterer's stored items of ``kind`` (those of ``keys``, or all), keyed without it: it
    reads each when first needed, so a small ingest reads a few thousand of the 325k items a
    100k-article store keeps (all of them, 157 MB, took 1.1 s)."""
    names = None if keys is None else [kind + k for k in keys]
    rows = store.get_state_items(CLUSTER_STATE_KEY, prefix=kind, names=names)
    return {name[len(kind) :]: value for name, value in rows.items()}


def _save_clusterer(
    clusterer: StoryClusterer, store: Store, outline: bool = False
) -> tuple[list[Story], list[list[str]]]:
    """Keep the clusterer's state; return the stories of the groups it changed since it was read
    (every story of a new one), with those of groups a run stopped before rebuilding, and every
    story's articles. The changed groups are kept with the state until their stories are
    stored (:func:`_stories_built`), so a crash between the two loses no rebuild."""
    changed = clusterer.changed()
    raw = store.get_state_item(CLUSTER_STATE_KEY, PENDING_ITEM)
    before = json.loads(raw) if raw is not None else []
    due = None if changed is None or before == "all" else changed | set(before)  # None: every group
    current = clusterer.stories(due, outline)
    pending = json.dumps("all" if due is None else sorted(due))
    parts, items, every = clusterer.state_for_store()
    store.set_state_parts(CLUSTER_STATE_KEY, parts, chain(items, [(PENDING_ITEM, pending)]), every)
    return current, clusterer.memberships()


def _stories_built(store: Store) -> None:
    store.set_state_items(CLUSTER_STATE_KEY, [(PENDING_ITEM, None)])


def build_stories(
    touched: list[Story],
    groups: list[list[str]],
    config: Config,
    store: Store,
    progress: Progress = _noop,
    relinked: Sequence[tuple[Story, Story]] = (),
    resolve_all: bool = False,
) -> list[str]:
    """Fill every touched story (entities, quotes, timeline, comparison, summary) and store it;
    store the ``relinked`` stories (as stored, with new related links) again, filled only where
    the resolution changed their names.

    Stories are built and saved a few at a time (about ``LOAD_BATCH`` articles), so memory stays
    flat on a backfill and a crash keeps the stories already saved; the next run rebuilds the
    rest, whose stored membership still differs from the clusterer's.
    """
    # entities are global: one person has one entity across every story; the stories being
    # rebuilt are then loaded whole, a batch at a time
    progress("resolve", 0, 1)
    scope = [a for s in touched for a in s.articles]
    names, by_id = (None, {}) if resolve_all else _resolve_increment(scope, groups, store)
    if names is None:
        names, by_id = _resolve_everything(groups, store)
    names.update(_as_resolved([a for s, _ in relinked for a in s.articles if a not in names], store))
    by_id.update(store.get_entities(_entity_ids(names.values()) - set(by_id)))
    progress("resolve", 1, 1)
    touched = touched + _relink(relinked, names, by_id, store)
    progress("stories", 0, len(touched))
    jobs = _story_jobs(touched, names, by_id, config, store)
    filled: list[Story] = []
    n_outlets: dict[str, int] = {}
    # what the fills learnt (story.build.FilledStory), saved with the stories
    verdicts: dict[str, tuple[str, dict[str, list[float]]]] = {}
    parses: dict[str, dict[str, Any]] = {}
    # in one process, two stories at once: one's Python runs while the other's pairs are judged
    # (onnxruntime releases the GIL); see docs/SCALING.md, stop 35
    outcomes = parallel.run(
        fill_story, jobs, config, count=len(touched), min_jobs=PARALLEL_STORIES, threads=STORY_THREADS
    )
    for done, outcome in enumerate(outcomes, start=1):
        if outcome.value is None:
            raise outcome.error or RuntimeError("a story fill returned nothing")
        result = outcome.value
        for article_id, fields in result.article_fields.items():
            store.update_article_fields(article_id, **fields)
        parses.update(result.parses)
        if result.verdicts is not None:
            verdicts[result.story.id] = result.verdicts
        filled.append(result.story)
        n_outlets[result.story.id] = result.sources
        progress("stories", done, len(touched))
        if sum(len(s.articles) for s in filled) >= LOAD_BATCH:
            _save_filled(store, filled, n_outlets, verdicts, parses)
            filled, n_outlets, verdicts, parses = [], {}, {}, {}
    _save_filled(store, filled, n_outlets, verdicts, parses)
    return list(dict.fromkeys([s.id for s in touched] + [s.id for s, _ in relinked]))


def _save_filled(
    store: Store,
    filled: list[Story],
    n_outlets: dict[str, int],
    verdicts: dict[str, tuple[str, dict[str, list[float]]]],
    parses: dict[str, dict[str, Any]],
) -> None:
    store.save_stories(filled, n_outlets)
    store.save_story_verdicts(verdicts)
    if parses:
        store.save_claim_parses(parses)


def _resolve_everything(
    groups: list[list[str]], store: Store
) -> tuple[dict[str, AnalyzedArticle], dict[str, Entity]]:
    """Resolve every stored name (a full run) and keep what later increments start from."""
    everyone = store.load_analyses((a for group in groups for a in group), names_only=True)
    resolved = resolve_tallied(everyone, groups)
    tallies = resolved.tallies
    store.save_entities(
        resolved.entities,
        {key: t.to_json() for key, t in tallies.items()},
        {key: t.articles for key, t in tallies.items()},
    )
    speakers = first_person_speakers(everyone)
    kept = {
        a.article.id: resolution_of(
            a, lambda e: tallies[e].key, speakers, resolved.written.get(a.article.id, [])
        )
        for a in everyone
    }
    store.save_resolutions(kept)
    written = Counter(name for names in resolved.written.values() for name in names)
    store.add_name_counts(written, replace_all=True)
    store.clear_name_keys()
    store.save_name_keys(key_rows(everyone))
    return {a.article.id: a for a in everyone}, {e.id: e for e in resolved.entities}


def _resolve_increment(
    scope: list[str], groups: list[list[str]], store: Store
) -> tuple[dict[str, AnalyzedArticle] | None, dict[str, Entity]]:
    """Resolve the names of the ``scope`` articles only (names.increment); (None, {}) when the
    store cannot start from a kept resolution and a full run is due."""
    inside = set(scope)
    analysed, resolved = store.count_resolved()
    if not inside or analysed - resolved > len(inside):  # after an upgrade, or rows copied in by SQL
        return None, {}
    items = store.load_analyses(scope, names_only=True)
    around_ids = store.articles_for_keys(scope_keys(items), NAMES_PER_KEY, exclude=inside)
    around = store.load_analyses(sorted(around_ids), names_only=True)
    near = inside | around_ids
    kept = {**store.load_resolutions(around_ids), **store.load_resolutions(inside, current=False)}
    regrouped = [g for g in ([a for a in group if a in near] for group in groups) if g]
    result = resolve_increment(items, around, kept, regrouped, store.load_tallies, store.name_counts)
    if result is None:
        return None, {}
    store.update_entities(result.entities, result.tallies, result.removed, result.articles)
    store.save_resolutions(result.resolutions)
    store.add_name_counts(result.counts)
    store.save_name_keys(key_rows(items))
    return {a.article.id: a for a in items}, {e.id: e for e in result.entities}


def _as_resolved(ids: list[str], store: Store) -> dict[str, AnalyzedArticle]:
    """The names of stored articles, with the entities their kept resolution gave them."""
    items = store.load_analyses(ids, names_only=True)
    kept = store.load_resolutions(ids)
    return {
        a.article.id: a for a in items if a.article.id in kept and apply_resolution(a, kept[a.article.id])
    }


def _entity_ids(items: Iterable[AnalyzedArticle]) -> set[str]:
    return {
        e for a in items for e in [*(m.entity_id for m in a.mentions), *(q.entity_id for q in a.quotes)] if e
    }


def _story_jobs(
    touched: list[Story],
    names: dict[str, AnalyzedArticle],
    by_id: dict[str, Entity],
    config: Config,
    store: Store,
) -> Iterator[StoryJob]:
    """A job per touched story, read from the store a batch of about ``LOAD_BATCH`` articles at a time."""
    for batch in _story_batches(touched, LOAD_BATCH):
        # the full analyses take the resolved names (same mentions and quotes, now with entity ids)
        analyzed = {
            a.article.id: replace(a, mentions=names[a.article.id].mentions, quotes=names[a.article.id].quotes)
            for a in store.load_analyses(a for s in batch for a in s.articles)
            if a.article.id in names
        }
        for story in batch:
            yield _story_job(story, analyzed, by_id, config, store)


def _story_batches(stories: list[Story], articles_per_batch: int) -> Iterator[list[Story]]:
    batch: list[Story] = []
    size = 0
    for story in stories:
        batch.append(story)
        size += len(story.articles)
        if size >= articles_per_batch:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _story_job(
    story: Story, analyzed: dict[str, AnalyzedArticle], by_id: dict[str, Entity], config: Config, store: Store
) -> StoryJob:
    members = [analyzed[a] for a in story.articles if a in analyzed]
    latest = latest_members(members, config.summary.max_articles)
    mentioned = _entity_ids(members)
    return StoryJob(
        story=story,
        members=members,
        stored_vectors=store.load_sentence_vectors([m.article.id for m in latest]),
        entities={e: by_id[e] for e in mentioned if e in by_id},
        parses=store.load_claim_parses([m.article.id for m in latest]),
        # the verdicts of the stories its members were in: a story that grows may change its id
        verdicts=store.load_story_verdicts(
            [story.id, *chain.from_iterable(store.stories_of_articles(story.articles).values())]
        ),
    )


def build_digest(store: Store, article_ids: Iterable[str] | None = None) -> Digest:
    """The stories (and their articles) that contain any of ``article_ids``; all when ``None``."""
    if article_ids is None:
        stories = store.list_stories(limit=10**9)
    else:
        wanted = set(article_ids)
        story_ids = {sid for a in wanted for sid in store.stories_of_article(a)}
        stories = store.list_stories(limit=10**9, ids=story_ids)
    ids = [a for s in stories for a in s.articles]
    sentences = {
        a.article.id: [(s.index, s.start, s.end) for s in a.sentences] for a in store.load_analyses(ids)
    }
    return Digest(articles=store.get_articles(ids), stories=stories, sentences=sentences)


def digest(
    sources: Iterable[str],
    config: Config,
    store: Store,
    progress: Progress = _noop,
    on_error: Callable[[IngestError], None] | None = None,
) -> tuple[Digest, RunReport]:
    """The main job: ingest ``sources`` and return the digest of the stories they belong to."""
    report = ingest(sources, config, store, progress, on_error)
    result = build_digest(store, report.article_ids)
    result.errors = report.errors
    return result, report
