"""The ``newsweave`` command: a thin layer over the library (no logic of its own)."""

from __future__ import annotations

import gc
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsweave.config import DOCUMENT_VECTORS, Config, load_config
from newsweave.model import IngestError
from newsweave.store import Store, StoreError, open_store


def _lazy(name: str) -> ModuleType:
    """``name``, imported on first use: the pipeline brings spaCy, MiniLM and scikit-learn (1.1 s),
    which reading commands (``stories``, ``entities``, ``quotes``) never use, and which the
    analysis's embedding process, spawned from this command, would otherwise import too."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(_CollectorPaused(spec.loader))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class _CollectorPaused(importlib.abc.Loader):
    """``loader``, running its module's import with the garbage collector paused, and keeping the
    objects the import made out of later collections (``gc.freeze``): modules, classes and their
    tables live as long as the process. A ten-article ingest from the command line ran ~530
    collections, four of them full ones that walked every object made so far and found nothing
    to free (0.6-1.1 s at load 4); with this and the spaCy pipeline frozen once loaded
    (``analyze.nlp``), 353 and two (0.1-0.3 s; gc callbacks)."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        enabled = gc.isenabled()
        gc.disable()
        try:
            self.loader.exec_module(module)
        finally:
            if enabled:
                gc.enable()
        gc.freeze()


if TYPE_CHECKING:
    from newsweave import pipeline
else:
    pipeline = _lazy("newsweave.pipeline")

app = typer.Typer(
    help="Turn news articles from many outlets into stories: one per event, names merged, "
    "quotes attributed, agreements and contradictions shown, summaries cited.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

DbOption = Annotated[
    str | None, typer.Option("--db", help="SQLite file or postgresql:// URL [default: newsweave.db]")
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML configuration file [default: ./newsweave.toml]")
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", min=1, help="Processes for the NLP stages and for filling stories")
]
NoEmbedOption = Annotated[
    bool, typer.Option("--no-embed", help="No MiniLM vectors per article (clustering by TF-IDF; faster)")
]


# typer shows and checks the choices; mypy cannot see members made from config's list, kept as the one list
DocumentVector = StrEnum("DocumentVector", [(v, v) for v in DOCUMENT_VECTORS])  # type: ignore[misc]
DocumentVectorOption = Annotated[
    DocumentVector | None,
    typer.Option(
        "--document-vector",
        help="Clustering vector: 'lead' reads title and lead with MiniLM again; 'pooled' sums the title and "
        "sentence vectors (half the embedding cost, slightly weaker clustering) [default: lead]",
    ),
]
NiceOption = Annotated[
    int,
    typer.Option(
        "--nice",
        min=0,
        max=19,
        help="Lower this run's CPU priority (0-19) so that a web app on the same machine answers first",
    ),
]
Sources = Annotated[
    list[str], typer.Argument(help="Files, folders (recursive), or http(s) URLs of pages and feeds")
]
STAGE_NAMES = {
    "analyze": "Analysing articles",
    "cluster": "Clustering stories",
    "resolve": "Resolving names",
    "stories": "Building stories",
}


def _analysis_overrides(no_embed: bool, document_vector: DocumentVector | None) -> dict[str, object]:
    return {
        "analyze.embed": False if no_embed else None,
        "analyze.document_vector": document_vector.value if document_vector else None,
    }


def _config(config_file: Path | None, **overrides: object) -> Config:
    try:
        return load_config(config_file).with_overrides(**overrides)
    except (OSError, ValueError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def _store(config: Config) -> Iterator[Store]:
    try:
        store = open_store(config.db)
    except StoreError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    try:
        yield store
    except StoreError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        store.close()


@contextmanager
def _progress(quiet: bool) -> Iterator[pipeline.Progress]:
    """A Rich progress bar per stage, shown only when there is more than a handful of work."""
    if quiet or not console.is_terminal:
        yield lambda _stage, _done, _total: None
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if total <= 5:
            return
        if stage not in tasks:
            tasks[stage] = bars.add_task(STAGE_NAMES.get(stage, stage), total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


def _report_error(err: IngestError) -> None:
    errors.print(f"[yellow]skipped[/yellow] {escape(err.source)}: {escape(err.reason)}")


@app.command()
def ingest(
    sources: Sources,
    db: DbOption = None,
    config_file: ConfigOption = None,
    no_embed: NoEmbedOption = False,
    document_vector: DocumentVectorOption = None,
    workers: WorkersOption = None,
    dask_scheduler: Annotated[
        str | None,
        typer.Option("--dask-scheduler", help="Run the NLP stages on this Dask scheduler (tcp://host:port)"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars")] = False,
    nice: NiceOption = 0,
) -> None:
    """Read articles into the store and update their stories incrementally."""
    config = _config(
        config_file,
        db=db,
        workers=workers,
        dask_scheduler=dask_scheduler,
        **_analysis_overrides(no_embed, document_vector),
    )
    _lower_priority(nice)
    with _store(config) as store, _progress(quiet) as progress:
        report = pipeline.ingest(sources, config, store, progress, on_error=_report_error)
    console.print(
        f"{len(report.new)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged articles; "
        f"{len(report.stories)} stories updated; {len(report.errors)} inputs skipped · store: {config.db}"
    )
    _report_quarantined(report.quarantined)
    _warn_outdated(report.outdated_analyses, report.reclustering_unfinished, report.clustering_outdated)
    _warn_languages(report.unjoined_languages)
    if report.errors or report.quarantined:
        raise typer.Exit(1)


def _report_quarantined(quarantined: list[tuple[str, str]]) -> None:
    for article_id, reason in quarantined:
        errors.print(
            f"[yellow]quarantined[/yellow] {escape(article_id)} (stored, left out of stories): {escape(reason)}"
        )


@app.command()
def remove(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of the articles to remove")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars")] = False,
) -> None:
    """Remove articles from the store; the stories they were in are rebuilt without them."""
    config = _config(config_file, db=db)
    with _store(config) as store, _progress(quiet) as progress:
        removed, rebuilt = pipeline.remove_articles(article_ids, config, store, progress)
    missing = [a for a in article_ids if a not in removed]
    for article_id in missing:
        errors.print(f"[yellow]no article[/yellow] {article_id} in {config.db}")
    console.print(f"{len(removed)} articles removed; {len(rebuilt)} stories rebuilt · store: {config.db}")
    if missing:
        raise typer.Exit(1)


def _warn_languages(languages: list[str]) -> None:
    if languages:
        errors.print(
            f"[yellow]articles in {', '.join(languages)} were stored; their stories join English "
            "coverage of the same happening only with `analyze.multilingual_vector = true` "
            "(then `newsweave rebuild --reanalyze`)[/yellow]"
        )


def _warn_outdated(outdated: int, unfinished: bool, clustering: bool) -> None:
    if clustering and not unfinished:
        errors.print(
            "[yellow]the stored stories were grouped under other clustering settings; "
            "`newsweave rebuild --recluster` groups them under the current ones[/yellow]"
        )
    if outdated:
        errors.print(
            f"[yellow]{outdated} stored articles were analysed by other models or settings; "
            "`newsweave rebuild --reanalyze` analyses them again[/yellow]"
        )
    elif unfinished:
        errors.print(
            "[yellow]clustering the store afresh stopped before it finished; "
            "`newsweave rebuild --recluster` finishes it[/yellow]"
        )


@app.command()
def digest(
    sources: Sources,
    db: DbOption = None,
    config_file: ConfigOption = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Write the newsweave.digest/1 JSON here")
    ] = None,
    html_file: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report here")
    ] = None,
    words: Annotated[
        int | None, typer.Option("--words", help="Summary length budget in words [default: 100]")
    ] = None,
    no_embed: NoEmbedOption = False,
    document_vector: DocumentVectorOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only write files; no terminal digest")
    ] = False,
) -> None:
    """The main job: read articles, group them into stories, and report them."""
    from newsweave.report import render_terminal, write_html, write_json

    config = _config(
        config_file, db=db, **{"summary.words": words}, **_analysis_overrides(no_embed, document_vector)
    )
    with _store(config) as store, _progress(quiet) as progress:
        result, report = pipeline.digest(sources, config, store, progress, on_error=_report_error)
    if not quiet:
        render_terminal(result, console)
    for target, writer in ((json_file, write_json), (html_file, write_html)):
        if target is None:
            continue
        try:
            writer(result, target)
        except OSError as exc:
            errors.print(f"[red]error:[/red] cannot write {target}: {exc.strerror or exc}")
            raise typer.Exit(2) from exc
        console.print(f"wrote {target}")
    _report_quarantined(report.quarantined)
    _warn_outdated(report.outdated_analyses, report.reclustering_unfinished, report.clustering_outdated)
    _warn_languages(report.unjoined_languages)
    if report.errors or report.quarantined:
        errors.print(f"[yellow]{len(report.errors)} inputs could not be read (see above)[/yellow]")
        raise typer.Exit(1)


@app.command()
def rebuild(
    db: DbOption = None,
    config_file: ConfigOption = None,
    workers: WorkersOption = None,
    reanalyze: Annotated[
        bool,
        typer.Option(
            "--reanalyze",
            help="First analyse again the articles that other models or settings analysed (after an upgrade, or "
            "with --no-embed / --document-vector changed), then cluster the whole store afresh",
        ),
    ] = False,
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster",
            help="Cluster the whole store afresh with the current clustering settings (after changing them, or "
            "an upgrade), then rebuild every story",
        ),
    ] = False,
    no_embed: NoEmbedOption = False,
    document_vector: DocumentVectorOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars")] = False,
) -> None:
    """Rebuild every story's summary, comparison, entities and timeline from the stored analyses."""
    config = _config(config_file, db=db, workers=workers, **_analysis_overrides(no_embed, document_vector))
    with _store(config) as store, _progress(quiet) as progress:
        if reanalyze or recluster:
            if reanalyze:
                analyzed, rebuilt = pipeline.reanalyze(config, store, progress, recluster=recluster)
            else:
                analyzed, rebuilt = 0, pipeline.recluster(config, store, progress)
            console.print(
                f"{analyzed} articles analysed again · {len(rebuilt)} stories rebuilt · store: {config.db}"
            )
            return
        rebuilt = pipeline.rebuild_stories(config, store, progress)
        outdated, unfinished = (
            pipeline.count_stale_analyses(config, store),
            pipeline.reclustering_unfinished(store),
        )
        clustering = pipeline.clustering_outdated(config, store)
    console.print(f"{len(rebuilt)} stories rebuilt · store: {config.db}")
    _warn_outdated(outdated, unfinished, clustering)


@app.command()
def stories(
    db: DbOption = None,
    config_file: ConfigOption = None,
    limit: Annotated[int, typer.Option(help="How many stories")] = 20,
) -> None:
    """List stored stories, newest and biggest first."""
    config = _config(config_file, db=db)
    with _store(config) as store:
        table = Table("id", "headline", "articles", "dates")
        for s in store.list_stories(limit=limit):
            dates = sorted(d for e in s.events for d in (e.start, e.end) if d)
            table.add_row(
                s.id, escape(s.headline), str(len(s.articles)), f"{dates[0]} – {dates[-1]}" if dates else ""
            )
    console.print(table)


@app.command()
def entities(
    name: Annotated[str | None, typer.Argument(help="Only entities with this name or alias")] = None,
    db: DbOption = None,
    config_file: ConfigOption = None,
    type: Annotated[str | None, typer.Option("--type", help="PERSON, ORG, GPE, ...")] = None,
    limit: Annotated[int, typer.Option(help="How many entities")] = 30,
) -> None:
    """List entities with every spelling seen for each."""
    config = _config(config_file, db=db)
    with _store(config) as store:
        found = store.find_entities(name, limit) if name else store.list_entities(limit=limit, type=type)
    table = Table("name", "type", "mentions", "articles", "also written")
    for e in found:
        if type and e.type != type:
            continue
        table.add_row(
            escape(e.name),
            e.type,
            str(e.mentions),
            str(len(e.articles)),
            escape(", ".join(a for a in e.aliases if a != e.name)),
        )
    console.print(table)


@app.command()
def quotes(
    speaker: Annotated[str | None, typer.Option("--speaker", help="Name or alias of the speaker")] = None,
    db: DbOption = None,
    config_file: ConfigOption = None,
    limit: Annotated[int, typer.Option(help="How many quotes")] = 50,
) -> None:
    """Who said what, across the whole store."""
    from newsweave.report.common import quotes_by_speaker

    config = _config(config_file, db=db)
    with _store(config) as store:
        found = store.find_quotes(speaker, limit=limit)
    if not found:
        console.print(f"No quotes{' by ' + speaker if speaker else ''} in {config.db}.")
        raise typer.Exit(0 if speaker is None else 1)
    for name, items in quotes_by_speaker(found):
        # article text and names are shown as written: "[the world]" in a quote is no markup
        console.print(f"[bold magenta]{escape(name)}[/bold magenta]")
        for q in items:
            text = f"“{q.text}”" if q.kind == "direct" else q.text
            console.print(f"  {escape(text)} [dim]({escape(q.article)})[/dim]")


def _duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    try:
        return float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a duration like 30s, 10m or 1h") from None


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="Feed URLs, folders, or OPML files listing feeds")],
    every: Annotated[str, typer.Option("--every", help="Time between rounds: 30s, 10m, 1h")] = "10m",
    rounds: Annotated[int | None, typer.Option("--rounds", help="Stop after this many rounds")] = None,
    db: DbOption = None,
    config_file: ConfigOption = None,
    workers: WorkersOption = None,
    nice: NiceOption = 0,
) -> None:
    """Poll feeds and folders and ingest what is new, updating stories incrementally."""
    from newsweave.watch import PollReport
    from newsweave.watch import watch as run_watch

    config = _config(config_file, db=db, workers=workers)
    interval = _duration(every)
    _lower_priority(nice)

    warned: set[str] = set()  # what is said once per watch, not every round: outdated analyses, languages

    def show(report: PollReport) -> None:
        run = report.run
        new = len(run.new) + len(run.updated) if run else 0
        console.print(
            f"{len(report.fetched)} fetched, {len(report.not_modified)} unchanged, "
            f"{len(report.backing_off)} backing off; {new} new articles"
        )
        for err in report.failed:
            _report_error(err)
        if (
            run
            and "outdated" not in warned
            and (run.outdated_analyses or run.reclustering_unfinished or run.clustering_outdated)
        ):
            _warn_outdated(run.outdated_analyses, run.reclustering_unfinished, run.clustering_outdated)
            warned.add("outdated")
        if run and "languages" not in warned and run.unjoined_languages:
            _warn_languages(run.unjoined_languages)
            warned.add("languages")

    with _store(config) as store:
        try:
            run_watch(sources, config, store, every=interval, rounds=rounds, on_round=show)
        except ValueError as exc:
            errors.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        except KeyboardInterrupt:
            console.print("stopped")


@app.command()
def serve(
    db: DbOption = None,
    config_file: ConfigOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Server processes (one per core)")
    ] = 1,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="NEWSWEAVE_TOKEN",
            help="Secret that every change (add, remove) must carry; made up and printed when --host is not loopback",
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Another host name this server answers to (besides loopback names and IP addresses)",
        ),
    ] = None,
) -> None:
    """Browse the stories in a web browser, with a REST API under /api/v1/ (docs at /docs)."""
    try:
        import uvicorn

        from newsweave.web.app import create_app
        from newsweave.web.security import TOKEN_ENV, is_loopback, new_token
    except ImportError as exc:
        errors.print(f"[red]error:[/red] the web app needs its extras: pip install 'newsweave[web]' ({exc})")
        raise typer.Exit(2) from exc
    config = _config(
        config_file,
        db=db,
        **{
            "web.allowed_hosts": [*_config(config_file).web.allowed_hosts, *allow_host]
            if allow_host
            else None
        },
    )
    if not is_loopback(host):
        token = token or new_token()
        errors.print(
            f"[yellow]warning:[/yellow] listening on {host}, beyond this machine: anyone who can reach it "
            "can read the store. Adding or removing articles needs the token: open "
            f"http://{host}:{port}/?token={token} once in a browser, or send 'Authorization: Bearer {token}'."
        )
    try:
        web_app = create_app(config.db, config, bind_host=host, token=token or None)
    except StoreError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"newsweave on http://{host}:{port}/ · store: {config.db} · Ctrl+C stops")
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
        return
    web_app.state.store.close()  # each worker process opens its own
    os.environ["NEWSWEAVE_DB"] = config.db
    os.environ["NEWSWEAVE_BIND_HOST"] = host
    os.environ["NEWSWEAVE_ALLOWED_HOSTS"] = " ".join(config.web.allowed_hosts)
    if token:
        os.environ[TOKEN_ENV] = token
    if config_file is not None:
        os.environ["NEWSWEAVE_CONFIG"] = str(config_file)
    uvicorn.run(
        "newsweave.web.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )


def _lower_priority(nice: int) -> None:
    """A background ingest should not slow the readers: worker processes inherit the priority."""
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    elif nice:
        errors.print(
            "[yellow]note:[/yellow] --nice is not supported on this system; running at normal priority"
        )


def main() -> None:  # pragma: no cover - console entry for `python -m newsweave`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
