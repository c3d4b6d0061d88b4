"""The command line: a thin layer over the library, its messages and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import newsweave.cli as cli

TEXT = (
    "Port strike ends\n\nBy Staff | Coastal Ledger | 5 March 2025\n\n"
    "Dock workers in Northfield ended a nine-day strike on Tuesday after the port authority agreed "
    "to a 4 percent raise, union secretary Ana Brill told reporters."
)


def _ingested(path: Path, db: str) -> int:
    """The exit code of a quiet ingest of ``path`` into ``db``, without embeddings."""
    return CliRunner().invoke(cli.app, ["ingest", str(path), "--db", db, "--no-embed", "-q"]).exit_code


def test_ingest_reports_what_it_did_and_exits_1_when_an_input_is_bad(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "strike.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "in" / "broken.json").write_text("{not json", encoding="utf-8")
    db = str(tmp_path / "n.db")
    result = CliRunner().invoke(
        cli.app, ["ingest", str(tmp_path / "in"), "--db", db, "--no-embed", "--quiet"]
    )
    assert result.exit_code == 1
    assert "1 new, 0 updated, 0 unchanged articles" in result.output
    assert "broken.json" in result.output  # the bad input is named, with its reason
    again = CliRunner().invoke(
        cli.app, ["ingest", str(tmp_path / "in" / "strike.txt"), "--db", db, "--no-embed", "-q"]
    )
    assert again.exit_code == 0 and "0 new, 0 updated, 1 unchanged" in again.output


def test_nice_lowers_the_priority_of_a_background_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    monkeypatch.setattr(cli.os, "nice", asked.append)
    result = CliRunner().invoke(
        cli.app,
        ["ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "n.db"), "--nice", "10", "--quiet"],
    )
    assert asked == [10]
    # Rich wraps at the console's width, which the temporary path's length decides
    assert result.exit_code == 1 and "no such file or directory" in " ".join(result.output.split())
    out_of_range = CliRunner().invoke(cli.app, ["watch", str(tmp_path), "--nice", "40"])
    assert out_of_range.exit_code == 2 and asked == [10]  # refused before anything runs


def test_rebuild_fills_the_stories_again_with_the_workers_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "strike.txt").write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "n.db")
    assert _ingested(tmp_path / "in", db) == 0
    seen: list[int] = []
    rebuild_stories = cli.pipeline.rebuild_stories

    def spy(config, store, progress):  # noqa: ANN001, ANN202
        seen.append(config.workers)
        return rebuild_stories(config, store, progress)

    monkeypatch.setattr(cli.pipeline, "rebuild_stories", spy)
    result = CliRunner().invoke(cli.app, ["rebuild", "--db", db, "--workers", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert seen == [2] and "1 stories rebuilt" in " ".join(result.output.split())
    refused = CliRunner().invoke(cli.app, ["rebuild", "--db", db, "--workers", "0"])
    assert refused.exit_code == 2 and seen == [2]


def test_rebuild_says_when_analyses_are_outdated_and_reanalyze_brings_them_up_to_date(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "strike.txt").write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "n.db")
    assert _ingested(tmp_path / "in", db) == 0
    same = CliRunner().invoke(cli.app, ["rebuild", "--db", db, "--no-embed", "-q"])
    assert same.exit_code == 0 and "--reanalyze" not in same.output
    # the default settings embed: the stored analysis was made without vectors
    outdated = " ".join(CliRunner().invoke(cli.app, ["rebuild", "--db", db, "-q"]).output.split())
    assert "1 stored articles were analysed by other models or settings" in outdated
    assert "rebuild --reanalyze" in outdated
    again = CliRunner().invoke(cli.app, ["ingest", str(tmp_path / "in"), "--db", db, "-q"])
    assert again.exit_code == 0 and "rebuild --reanalyze" in " ".join(again.output.split())
    redone = CliRunner().invoke(cli.app, ["rebuild", "--db", db, "--reanalyze", "-q"])
    assert redone.exit_code == 0, redone.output
    assert "1 articles analysed again · 1 stories rebuilt" in " ".join(redone.output.split())
    assert "--reanalyze" not in CliRunner().invoke(cli.app, ["rebuild", "--db", db, "-q"]).output


def test_rebuild_recluster_clusters_the_store_afresh_with_the_settings_given(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "strike0.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "in" / "strike1.txt").write_text(TEXT.replace("nine-day", "ten-day"), encoding="utf-8")
    db = str(tmp_path / "n.db")
    strict = tmp_path / "strict.toml"  # a bar two different reports never reach
    strict.write_text(
        "[cluster]\nstory_threshold = 0.999\nmerge_threshold = 0.999\nevent_threshold = 1.0\n",
        encoding="utf-8",
    )
    args = ["--db", db, "--no-embed", "-q"]
    assert (
        CliRunner()
        .invoke(cli.app, ["ingest", str(tmp_path / "in"), *args, "--config", str(strict)])
        .exit_code
        == 0
    )
    listed = CliRunner().invoke(cli.app, ["stories", "--db", db]).output
    assert listed.count("Port strike ends") == 2
    plain = " ".join(CliRunner().invoke(cli.app, ["rebuild", *args]).output.split())
    assert "grouped under other clustering settings" in plain and "rebuild --recluster" in plain
    result = CliRunner().invoke(cli.app, ["rebuild", "--recluster", *args])
    assert result.exit_code == 0, result.output
    assert "0 articles analysed again · 1 stories rebuilt" in " ".join(result.output.split())
    assert CliRunner().invoke(cli.app, ["stories", "--db", db]).output.count("Port strike ends") == 1
    assert "--recluster" not in CliRunner().invoke(cli.app, ["rebuild", *args]).output


def test_watch_takes_the_workers_for_a_big_first_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.watch

    seen: list[int] = []
    monkeypatch.setattr(
        newsweave.watch, "watch", lambda sources, config, store, **kw: seen.append(config.workers)
    )
    result = CliRunner().invoke(
        cli.app, ["watch", str(tmp_path), "--db", str(tmp_path / "n.db"), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    assert seen == [2]


def test_watch_says_once_that_analyses_are_outdated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsweave.watch
    from newsweave.pipeline import RunReport

    def three_rounds(sources, config, store, on_round, **kw):  # noqa: ANN001, ANN202
        for _ in range(3):
            on_round(newsweave.watch.PollReport(fetched=["f"], run=RunReport(new=["a"], outdated_analyses=5)))

    monkeypatch.setattr(newsweave.watch, "watch", three_rounds)
    result = CliRunner().invoke(cli.app, ["watch", str(tmp_path), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert output.count("1 new articles") == 3
    assert output.count("5 stored articles were analysed by other models or settings") == 1


def test_watch_says_once_which_languages_no_story_joins_with_english_coverage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave.watch
    from newsweave.pipeline import RunReport

    def three_rounds(sources, config, store, on_round, **kw):  # noqa: ANN001, ANN202
        for _ in range(3):  # no outdated analyses: the languages are said on their own
            on_round(
                newsweave.watch.PollReport(fetched=["f"], run=RunReport(new=["a"], unjoined_languages=["es"]))
            )

    monkeypatch.setattr(newsweave.watch, "watch", three_rounds)
    result = CliRunner().invoke(cli.app, ["watch", str(tmp_path), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()).count("articles in es were stored") == 1


@pytest.mark.parametrize("command", ["ingest", "digest"])
def test_the_document_vector_can_be_pooled_for_a_cheaper_analysis(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bool]] = []

    def spy(sources, config, store, progress, on_error):  # noqa: ANN001, ANN202
        seen.append((config.analyze.document_vector, config.analyze.embed))
        raise SystemExit(0)  # the config is what this test is about

    monkeypatch.setattr(cli.pipeline, command, spy)
    args = [command, str(tmp_path), "--db", str(tmp_path / "n.db")]
    assert CliRunner().invoke(cli.app, [*args, "--document-vector", "pooled"]).exit_code == 0
    assert CliRunner().invoke(cli.app, args).exit_code == 0
    assert seen == [("pooled", True), ("lead", True)]
    refused = CliRunner().invoke(cli.app, [*args, "--document-vector", "mean"])
    assert refused.exit_code == 2 and "mean" in refused.output and len(seen) == 2


def test_quotes_and_stories_are_printed_as_written_brackets_included(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Ministry warns Moscow [and Pyongyang]\n\nBy Desk | Harbour Post | 6 March 2025\n\n"
        "Moscow and Pyongyang “should be clearly aware that [the world] is keeping close tabs on the visit,” "
        "the ministry's spokesman, Koo Byoung-sam, told journalists on Monday."
    )
    db = str(tmp_path / "n.db")
    assert _ingested(tmp_path / "a.txt", db) == 0
    said = CliRunner().invoke(cli.app, ["quotes", "--db", db])
    assert said.exit_code == 0 and "[the world]" in said.output
    listed = CliRunner().invoke(cli.app, ["stories", "--db", db])
    assert "[and" in listed.output  # the headline's bracket, kept though the table wraps it


def test_an_ingest_of_articles_in_another_language_says_how_to_join_them_with_english_coverage(
    tmp_path: Path,
) -> None:
    from test_language import STRIKE

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "es.txt").write_text(STRIKE["es"], encoding="utf-8")
    (tmp_path / "in" / "en.txt").write_text(STRIKE["en"], encoding="utf-8")
    db = str(tmp_path / "n.db")
    result = CliRunner().invoke(cli.app, ["ingest", str(tmp_path / "in"), "--db", db, "--no-embed", "-q"])
    assert result.exit_code == 0
    assert "articles in es were stored" in " ".join(result.output.split())
    assert "multilingual_vector = true" in " ".join(result.output.split())
    # English alone: nothing to say
    again = CliRunner().invoke(
        cli.app,
        ["ingest", str(tmp_path / "in" / "en.txt"), "--db", str(tmp_path / "m.db"), "--no-embed", "-q"],
    )
    assert "multilingual_vector" not in again.output


def test_reading_commands_do_not_load_the_language_models() -> None:
    models = "('spacy', 'sklearn', 'onnxruntime')"
    probe = f"import sys, newsweave.cli; print(sorted(m for m in {models} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_pipeline_is_imported_with_the_collector_paused_and_kept_out_of_later_collections() -> None:
    probe = (
        "import gc, sys, newsweave.cli as cli; before = gc.get_freeze_count(); cli.pipeline.ingest; "
        "print('spacy' in sys.modules, gc.isenabled(), gc.get_freeze_count() - before)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    imported, enabled, frozen = out.split()
    assert imported == "True" and enabled == "True"  # collecting again once imported
    assert int(frozen) > 100_000  # spaCy's and the pipeline's objects, out of the collector's walks


def test_an_ingest_of_json_records_imports_no_feed_or_date_parser(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a1", "title": "Ferry service resumes", "outlet": "Harbour Post", "published": "2025-03-05", '
        '"text": "The ferry service resumed on Monday after the storm, the operator said."}\n'
    )
    probe = (
        "import sys; from newsweave.ingest import ingest_sources; from newsweave.config import IngestConfig; "
        f"items = list(ingest_sources([{str(source)!r}], IngestConfig())); "
        "print(len(items), sorted(m for m in ('feedparser', 'dateparser', 'trafilatura') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().split(maxsplit=1) == ["1", "[]"]
