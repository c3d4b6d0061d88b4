"""The whole pipeline: incremental ingest, parallel and Dask paths, and the seed digest."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsweave import pipeline
from newsweave.config import Config
from newsweave.parallel import worker_config
from newsweave.store import open_store
from newsweave.story.build import apply_flags

ARTICLES = {
    "ledger-strike.txt": "Dock workers strike at northern terminal\n\nBy Staff | Coastal Ledger | 3 March 2025\n\n"
    "Dock workers at the northern terminal of Port Halden walked out on Monday over pay. "
    "Union secretary Ana Brill said the strike would last until a contract is signed.",
    "post-strike.txt": "Port Halden dockers walk out\n\nBy Desk | Harbour Post | 3 March 2025\n\n"
    "Dock workers at the northern terminal of Port Halden walked out on Monday over pay, "
    "union secretary Ana Brill told reporters.",
    "ledger-rates.txt": "Central bank holds rates\n\nBy Staff | Coastal Ledger | 5 March 2025\n\n"
    "The central bank kept its benchmark interest rate at 4.5 percent on Wednesday, "
    "saying inflation remained too high to cut borrowing costs.",
}


def _folder(tmp_path: Path, names: list[str] | None = None) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, text in ARTICLES.items():
        if names is None or name in names:
            (folder / name).write_text(text)
    return folder


def _config(tmp_path: Path, **overrides: object) -> Config:
    return Config(db=str(tmp_path / "p.db")).with_overrides(**{"analyze.embed": False, **overrides})


def test_incremental_ingest_joins_the_right_story(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        first = pipeline.ingest(
            [str(_folder(tmp_path, ["ledger-strike.txt", "ledger-rates.txt"]))], config, store
        )
        assert sorted(first.new) == ["ledger-rates", "ledger-strike"]
        assert store.count_stories() == 2
        second = pipeline.ingest([str(_folder(tmp_path))], config, store)
        assert second.new == ["post-strike"] and sorted(second.unchanged) == ["ledger-rates", "ledger-strike"]
        [strike] = [s for s in store.list_stories() if "post-strike" in s.articles]
        assert sorted(strike.articles) == ["ledger-strike", "post-strike"]
        assert store.count_stories() == 2
        # re-running the same inputs changes nothing
        third = pipeline.ingest([str(_folder(tmp_path))], config, store)
        assert third.new == [] and third.updated == [] and third.stories == []


def test_stories_left_unbuilt_by_a_stopped_run_are_built_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest([str(_folder(tmp_path, ["ledger-strike.txt", "ledger-rates.txt"]))], config, store)
        build = pipeline.build_stories

        def stopped(*args: object, **kwargs: object) -> list[str]:
            raise RuntimeError("killed")

        monkeypatch.setattr(pipeline, "build_stories", stopped)
        with pytest.raises(RuntimeError):  # the clusterer placed post-strike and kept its state
            pipeline.ingest([str(_folder(tmp_path))], config, store)
        monkeypatch.setattr(pipeline, "build_stories", build)
        assert pipeline.ingest([str(_folder(tmp_path))], config, store).stories  # nothing new to place
        [strike] = [s for s in store.list_stories() if "post-strike" in s.articles]
        assert sorted(strike.articles) == ["ledger-strike", "post-strike"]
        assert pipeline.ingest([str(_folder(tmp_path))], config, store).stories == []


def _memberships(store) -> list[list[str]]:
    return sorted(sorted(s.articles) for s in store.list_stories())


def test_reanalysis_after_a_change_of_settings_analyses_and_clusters_everything_again(tmp_path: Path) -> None:
    before = _config(tmp_path)  # analysed without vectors
    after = _config(tmp_path, **{"analyze.embed": True, "analyze.document_vector": "pooled"})
    with open_store(before.db) as store:
        pipeline.ingest([str(_folder(tmp_path))], before, store)
        grouped = _memberships(store)
        assert pipeline.stale_analyses(before, store) == []
        assert len(pipeline.stale_analyses(after, store)) == 3
        analysed, built = pipeline.reanalyze(after, store)
        assert analysed == 3 and len(built) == len(grouped) == store.count_stories()
        assert (
            pipeline.stale_analyses(after, store) == [] and len(pipeline.stale_analyses(before, store)) == 3
        )
        assert all(a.vector is not None for a in store.load_analyses(store.article_ids()))
        assert _memberships(store) == grouped  # the two strike reports still make one story
        assert not pipeline.reclustering_unfinished(store)
        assert pipeline.reanalyze(after, store) == (0, [])  # nothing left to do


def test_reclustering_applies_new_clustering_settings_to_the_stored_articles(tmp_path: Path) -> None:
    strict = _config(
        tmp_path,
        **{"cluster.story_threshold": 0.99, "cluster.merge_threshold": 0.99, "cluster.event_threshold": 1.0},
    )
    usual = _config(tmp_path)
    with open_store(strict.db) as store:
        pipeline.ingest([str(_folder(tmp_path))], strict, store)
        assert len(_memberships(store)) == 3  # at a bar no two reports reach, each stands alone
        pipeline.rebuild_stories(usual, store)
        assert len(_memberships(store)) == 3  # a plain rebuild keeps the stories it has
        analyses = {a.article.id: a.vector for a in store.load_analyses(store.article_ids())}
        assert pipeline.clustering_outdated(usual, store) and not pipeline.clustering_outdated(strict, store)
        assert pipeline.ingest([str(_folder(tmp_path))], usual, store).clustering_outdated
        built = pipeline.recluster(usual, store)
        assert _memberships(store) == [["ledger-rates"], ["ledger-strike", "post-strike"]]
        assert len(built) == store.count_stories() == 2 and not pipeline.reclustering_unfinished(store)
        assert {a.article.id: a.vector for a in store.load_analyses(store.article_ids())} == analyses
        # now grouped under the usual settings: those are current, and the strict ones are not
        assert not pipeline.clustering_outdated(usual, store) and pipeline.clustering_outdated(strict, store)
        assert not pipeline.ingest([str(_folder(tmp_path))], usual, store).clustering_outdated


def test_an_ingest_reads_what_to_place_from_the_unplaced_articles_and_takes_them_off(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest([str(_folder(tmp_path, ["ledger-strike.txt", "ledger-rates.txt"]))], config, store)
        assert store.unplaced_ids() == []
        grouped = _memberships(store)
        # a run killed after the clusterer's state was kept, before its articles were taken off
        from sqlalchemy import text

        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO unplaced (article_id) VALUES ('ledger-strike')"))
        report = pipeline.ingest([str(_folder(tmp_path))], config, store)
        assert report.new == ["post-strike"] and store.unplaced_ids() == []
        assert _memberships(store) == [["ledger-rates"], ["ledger-strike", "post-strike"]] != grouped


def test_a_clusterer_saved_in_an_older_layout_is_clustered_afresh(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest([str(_folder(tmp_path, ["ledger-strike.txt", "ledger-rates.txt"]))], config, store)
        grouped = _memberships(store)
        saved = store.get_state(pipeline.CLUSTER_STATE_KEY)
        older = {k: v for k, v in saved.items() if not k.startswith("neighbourhood")} | {"version": 5}
        store.set_state(pipeline.CLUSTER_STATE_KEY, older)
        # a rebuild clusters every stored article again rather than finding no story to build
        assert len(pipeline.rebuild_stories(config, store)) == len(grouped) == 2
        assert _memberships(store) == grouped
        assert store.get_state(pipeline.CLUSTER_STATE_KEY)["version"] == saved["version"]
        store.set_state(pipeline.CLUSTER_STATE_KEY, older)
        # so does the next ingest, which places the new report among them
        pipeline.ingest([str(_folder(tmp_path))], config, store)
        assert _memberships(store) == [["ledger-rates"], ["ledger-strike", "post-strike"]]


def test_an_interrupted_reanalysis_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _config(tmp_path)
    after = _config(tmp_path, **{"analyze.embed": True})
    with open_store(before.db) as store:
        pipeline.ingest([str(_folder(tmp_path))], before, store)
        grouped = _memberships(store)
        monkeypatch.setattr(pipeline, "ANALYZE_BATCH", 1)
        analyse, calls = pipeline._analyze_batch, []

        def crash_on_the_second_batch(articles, config):  # noqa: ANN001, ANN202
            calls.append([a.id for a in articles])
            if len(calls) == 2:
                raise KeyboardInterrupt  # as a kill would stop it
            return analyse(articles, config)

        monkeypatch.setattr(pipeline, "_analyze_batch", crash_on_the_second_batch)
        with pytest.raises(KeyboardInterrupt):
            pipeline.reanalyze(after, store)
        assert len(pipeline.stale_analyses(after, store)) == 2  # the first batch was kept
        assert _memberships(store) == grouped and pipeline.reclustering_unfinished(store)
        # an ordinary ingest meanwhile keeps the stories as they were and says what is left
        report = pipeline.ingest([str(_folder(tmp_path))], after, store)
        assert report.outdated_analyses == 2 and report.reclustering_unfinished and report.stories == []
        analysed, built = pipeline.reanalyze(after, store)
        assert analysed == 2 and len(calls) == 4
        assert calls[1] in calls[2:] and calls[0] not in calls[2:]  # only what was still stale ran again
        assert pipeline.stale_analyses(after, store) == [] and _memberships(store) == grouped
        assert not pipeline.reclustering_unfinished(store) and len(built) == len(grouped)
        report = pipeline.ingest([str(_folder(tmp_path))], after, store)
        assert report.outdated_analyses == 0 and not report.reclustering_unfinished


def test_bad_inputs_are_reported_and_the_rest_is_stored(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "broken.json").write_text("{")
    (folder / "empty.txt").write_text("")
    config = _config(tmp_path)
    with open_store(config.db) as store:
        digest, report = pipeline.digest([str(folder)], config, store)
    assert sorted(e.source.rsplit("/", 1)[-1] for e in report.errors) == ["broken.json", "empty.txt"]
    assert len(digest.articles) == 3


def _mentions(db: str) -> dict[str, list[str]]:
    with open_store(db) as store:
        return {
            a.article.id: [m.text for m in a.mentions]
            for a in store.load_analyses(sorted(store.article_ids()))
        }


def test_worker_processes_give_the_same_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "ANALYZE_BATCH", 1)  # three batches, so the pool is really used
    serial, parallel = _ingest_serially_and_with_workers(tmp_path, _folder(tmp_path))
    assert _mentions(serial) == _mentions(parallel)
    assert len(_mentions(parallel)) == 3


def _ingest_serially_and_with_workers(tmp_path: Path, folder: Path) -> tuple[str, str]:
    """The stores of one process and of two worker processes, each having ingested ``folder``."""
    dbs = []
    for name, workers in (("s", 1), ("p", 2)):
        (tmp_path / name).mkdir()
        config = _config(tmp_path / name, workers=workers)
        with open_store(config.db) as store:
            pipeline.ingest([str(folder)], config, store)
        dbs.append(config.db)
    return dbs[0], dbs[1]


def _stored(db: str) -> tuple[list, dict[str, tuple]]:
    with open_store(db) as store:
        stories = sorted(store.list_stories(), key=lambda s: s.id)
        fields = {a.id: (a.duplicate_of, a.flags) for a in store.get_articles(store.article_ids())}
    return stories, fields


def test_stories_filled_in_worker_processes_are_the_stories_filled_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_STORIES", 1)  # two stories: the pool is really used
    folder = _folder(tmp_path)
    (folder / "wire-strike.txt").write_text(
        (folder / "ledger-strike.txt").read_text(encoding="utf-8").replace("Coastal Ledger", "Harbour Wire"),
        encoding="utf-8",
    )  # a copy, so a duplicate is marked by the workers and written by the parent
    serial, parallel = _ingest_serially_and_with_workers(tmp_path, folder)
    stories, fields = _stored(parallel)
    assert (stories, fields) == _stored(serial)
    assert len(stories) == 2 and any(original for original, _flags in fields.values())


def test_stories_built_a_batch_at_a_time_are_the_stories_built_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    (tmp_path / "whole").mkdir()
    (tmp_path / "batched").mkdir()
    built = {}
    for name, batch in (("whole", 10**6), ("batched", 1)):
        monkeypatch.setattr(pipeline, "LOAD_BATCH", batch)
        config = _config(tmp_path / name)
        with open_store(config.db) as store:
            pipeline.ingest([str(folder)], config, store)
            built[name] = sorted(store.list_stories(), key=lambda s: s.id)
    assert built["batched"] == built["whole"]
    [strike] = [s for s in built["batched"] if len(s.articles) == 2]
    # names resolved over every article reach the stories built later: one Ana Brill, in both articles
    [brill] = [e for e in strike.entities if e.name == "Ana Brill"]
    assert sorted(brill.articles) == ["ledger-strike", "post-strike"]


@pytest.mark.timeout(300)
def test_dask_local_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dask.distributed import LocalCluster

    monkeypatch.setattr(pipeline, "PARALLEL_STORIES", 1)  # the stories are filled on the cluster too
    folder = _folder(tmp_path)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        config = _config(tmp_path, dask_scheduler=cluster.scheduler_address)
        with open_store(config.db) as store:
            report = pipeline.ingest([str(folder)], config, store)
            assert len(report.new) == 3
            assert store.unanalyzed_ids() == []
            assert store.count_stories() == 2
            # both stories were filled on the cluster (and the articles analysed there), and came back stored
            ran = {
                name: prefix.all_durations.get("compute", 0)
                for name, prefix in cluster.scheduler.task_prefixes.items()
            }
            assert (
                ran.get("fill_story", 0) > 0 and ran.get("analyze_batch", 0) > 0
            )  # dask names a prefix without its leading underscore
            [strike] = [s for s in store.list_stories() if len(s.articles) == 2]
            assert strike.summary and "Ana Brill" in {e.name for e in strike.entities}


def test_seed_digest(seeds_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    config = Config(db=str(tmp_path / "seeds.db"))
    with open_store(config.db) as store:
        digest, report = pipeline.digest([str(tmp_path / "seeds")], config, store)
    assert report.errors == []
    assert len(digest.articles) == 5
    # The seeds carry no dates, so nothing tells the October 2025 trip (001_) from the January 2024
    # visit; the happening judge reads the two padded rewrites (000_, 004_) as one report apart
    # from the others. Every article is in a story, and the stories link each other as related.
    assert sorted(a for s in digest.stories for a in s.articles) == sorted(a.id for a in digest.articles)
    assert all(s.related for s in digest.stories) and len(digest.stories) <= 2
    for story in digest.stories:
        if any(e.name == "Choe Son Hui" for e in story.entities):
            [choe] = [e for e in story.entities if e.name == "Choe Son Hui"]
            assert (
                len(
                    {"Choe Son Hui", "Choe Son-hui", "Choi Song-hee", "Choi Song Hee", "Choi Song Hui"}
                    & set(choe.aliases)
                )
                >= 2
            )
        # the seeds name no outlet and no date: nothing is "corroborated" by unknown outlets, and a
        # relative "Sunday" of one undated article is never set against another's "Monday"
        assert story.corroborated == []
        assert not any(d.about.startswith("date") for d in story.disagreements)
    single = " ".join(c.text for s in digest.stories for c in s.single_source)
    assert "hypersonic" in single
    speakers = {q.speaker for s in digest.stories for q in s.quotes}
    assert {
        "Dmitry Peskov",
        "Maria Zakharova",
        "Koo Byoung-sam",
        "Vassily Nebenzia",
        "Artyom Lukin",
        "Andrei Lankov",
    } <= speakers
    # every summary sentence is a sentence of the first article it cites, unchanged, and every
    # cited article comes with its own sentence as evidence
    texts = {a.id: " ".join(a.text.split()) for a in digest.articles}
    for story in digest.stories:
        assert story.summary
        for s in story.summary:
            assert " ".join(s.text.split()) in texts[s.sources[0]], s.text
            assert [e.article for e in s.evidence] == s.sources
            assert all(" ".join(e.text.split()) in texts[e.article] for e in s.evidence)


def test_story_flags_are_recomputed_and_can_be_cleared() -> None:
    from newsweave.model import AnalyzedArticle, Article

    article = Article(id="a", title="T", text="Some text.", flags=["keyword_stuffing", "low_originality"])
    members = [AnalyzedArticle(article)]
    # the original arrived: comparison no longer finds the article a padded rewrite
    changed: dict = {}
    apply_flags(members, {"a": ["keyword_stuffing"]}, changed)
    assert changed == {"a": {"flags": ["keyword_stuffing"]}}  # what the cleaner found stays
    changed = {}
    apply_flags(members, {"a": ["keyword_stuffing", "low_originality"]}, changed)
    assert changed == {"a": {"flags": ["keyword_stuffing", "low_originality"]}}
    changed = {}
    apply_flags(members, {"a": ["keyword_stuffing", "low_originality"]}, changed)
    assert changed == {}  # nothing new: nothing to write


def test_comparison_and_summary_read_only_the_latest_articles_of_a_big_story(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    cited = {}
    for limit in (64, 1):
        (tmp_path / str(limit)).mkdir()
        config = _config(tmp_path / str(limit), **{"summary.max_articles": limit})
        with open_store(config.db) as store:
            pipeline.ingest([str(folder)], config, store)
            [strike] = [s for s in store.list_stories() if len(s.articles) == 2]
        cited[limit] = {a for sentence in strike.summary for a in sentence.sources}
        # the story itself still holds, names and counts every article
        assert sorted(strike.articles) == ["ledger-strike", "post-strike"]
        assert {a for e in strike.entities for a in e.articles} == {"ledger-strike", "post-strike"}
    assert cited[64] == {"ledger-strike", "post-strike"}
    assert cited[1] == {"post-strike"}  # same day: the id breaks the tie


def test_stories_built_without_stored_vectors_embed_on_the_threads_they_are_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.analyze.embed as embed

    calls: list[tuple[int, int]] = []
    real = embed.embed_texts

    def spy(texts, threads=2):  # noqa: ANN001, ANN202
        calls.append((len(texts), threads))
        return real(texts, threads=threads)

    monkeypatch.setattr(embed, "embed_texts", spy)
    config = _config(tmp_path, **{"analyze.embed_threads": 1})  # --no-embed: stories embed what they need
    with open_store(config.db) as store:
        pipeline.ingest([str(_folder(tmp_path))], config, store)
        [strike] = [s for s in store.list_stories() if len(s.articles) == 2]
    # one call per story for its sentences (3 and 1), and one for the two titles the strike's
    # headline chooses between; the one-article story's title is its headline, unembedded
    assert sorted(calls) == [(1, 1), (2, 1), (3, 1)]
    assert strike.headline in {"Dock workers strike at northern terminal", "Port Halden dockers walk out"}
    # worker processes share the cores: two workers take one thread each of the two
    two = worker_config(Config(workers=2))
    assert two.analyze.embed_threads == 1 and Config(workers=2).analyze.embed_threads == 2


PORT = {
    "strike-a.txt": "Dock workers end strike at Harbour port\n\nDock workers at Harbour port ended their nine-day "
    "strike on Monday after the port authority agreed to a 6 percent pay rise, union leader Ana Brill said.",
    "strike-b.txt": "Harbour port strike over after pay deal\n\nThe nine-day strike by dock workers at Harbour port "
    "is over: the port authority offered a 6 percent pay rise on Monday and the union accepted, Ana Brill said.",
    "fire.txt": "Fire at Harbour port warehouse\n\nA fire broke out in a warehouse at Harbour port on Friday night. "
    "The port authority said dock workers were evacuated while 40 firefighters fought the blaze.",
}


def _strike_then_fire(tmp_path: Path, before_fire: Callable[[], None] = lambda: None) -> tuple[Any, ...]:
    """The strike story, then the stories and the report once the fire's article has joined. A topical
    bar every pair sharing a word passes: one group of port news, in which the judge keeps the fire
    apart from the strike."""
    config = _config(tmp_path, **{"cluster.story_threshold": 0.0, "cluster.merge_threshold": 0.0})
    folder = tmp_path / "port"
    folder.mkdir()
    with open_store(config.db) as store:
        for name in ("strike-a.txt", "strike-b.txt"):
            (folder / name).write_text(PORT[name])
        pipeline.ingest([str(folder)], config, store)
        [strike] = store.list_stories()
        before_fire()
        (folder / "fire.txt").write_text(PORT["fire.txt"])
        report = pipeline.ingest([str(folder)], config, store)
        return strike, {s.id: s for s in store.list_stories()}, report


def test_a_new_story_near_an_old_one_is_linked_from_it_without_rebuilding_its_articles(
    tmp_path: Path,
) -> None:
    # the strike story, stored before the fire story existed, is rewritten to link it
    strike, stories, _ = _strike_then_fire(tmp_path)
    assert strike.related == []
    [fire] = [s for s in stories.values() if s.articles == ["fire"]]
    assert stories[strike.id].articles == strike.articles
    assert stories[strike.id].related == [fire.id] and fire.related == [strike.id]


def test_a_story_whose_only_change_is_a_new_related_link_is_not_filled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled: list[list[str]] = []
    fill = pipeline.fill_story

    def counted(job: Any, *args: Any, **kwargs: Any) -> Any:
        filled.append(job.story.articles)
        return fill(job, *args, **kwargs)

    strike, stories, report = _strike_then_fire(
        tmp_path, lambda: monkeypatch.setattr(pipeline, "fill_story", counted)
    )
    assert filled == [["fire"]]
    assert strike.id in report.stories  # its links are new: it counts as updated
    relinked = stories[strike.id]
    assert relinked.related != strike.related
    assert replace(relinked, related=strike.related) == strike


def test_a_long_run_is_analysed_in_short_first_and_last_batches_each_article_once_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "ANALYZE_BATCH", 32)
    ids = [f"a{i}" for i in range(100)]
    batches = pipeline.analysis_batches(ids)
    assert [len(b) for b in batches] == [8, 32, 32, 20, 8]
    assert [i for b in batches for i in b] == ids
    assert pipeline.analysis_batches(ids[:32]) == [ids[:32]]  # one batch: nothing to overlap
    assert pipeline.analysis_batches([]) == []


def test_stories_refilled_from_kept_parses_and_verdicts_are_the_stories_filled_from_scratch(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.judge import default_judge
    from newsweave.judge.crossencoder import CrossEncoderJudge
    from newsweave.story import claims

    shutil.copytree(seeds_dir, tmp_path / "seeds")
    config = Config(db=str(tmp_path / "seeds.db"))
    with open_store(config.db) as store:
        digest, _ = pipeline.digest([str(tmp_path / "seeds")], config, store)
        assert store.load_claim_parses(a.id for a in digest.articles)
        assert store.load_story_verdicts(s.id for s in digest.stories)
        from_scratch = store.list_stories(limit=100)

        def no_parse() -> None:
            raise AssertionError("a kept sentence was parsed again")

        asked: list[tuple[str, str]] = []
        run = CrossEncoderJudge._run

        def counted(self: CrossEncoderJudge, pairs: list[tuple[str, str]]) -> Any:
            asked.extend(pairs)
            return run(self, pairs)

        monkeypatch.setattr(claims, "_nlp", no_parse)
        monkeypatch.setattr(CrossEncoderJudge, "_run", counted)
        default_judge.cache_clear()  # a new process's judge: nothing judged in memory
        pipeline.rebuild_stories(config, store)
        refilled = store.list_stories(limit=100)
    assert asked == []
    assert refilled == from_scratch
