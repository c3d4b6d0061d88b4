"""Continuous ingestion: poll feeds and folders, ingest what is new.

Public entry point: :func:`watch` (and :func:`poll_once` for one round).
Feeds are fetched with HTTP conditional requests (ETag / Last-Modified), so an
unchanged feed costs one 304. A feed that fails is retried with exponential
back-off and reported; it never blocks the others. What each source has seen
is kept in the store, so a restarted watcher does not start over.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsweave import pipeline
from newsweave.config import Config
from newsweave.ingest import FetchError, fetch, file_article_id, ingest_file, read_fetched
from newsweave.model import Article, IngestError
from newsweave.store import Store

MAX_BACKOFF = 6 * 3600.0


@dataclass
class PollReport:
    fetched: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    backing_off: list[str] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    run: pipeline.RunReport | None = None


def read_opml(path: str | Path) -> list[str]:
    """Feed URLs listed in an OPML file (``xmlUrl`` of every outline, nested or not)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ValueError(f"{path}: not a readable OPML file ({exc})") from exc
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    if not urls:
        raise ValueError(f"{path}: OPML file lists no feeds (no outline has xmlUrl)")
    return [u for u in urls if u]


def expand_sources(sources: Iterable[str]) -> list[str]:
    """Sources with OPML files replaced by the feeds they list."""
    out: list[str] = []
    for s in sources:
        out.extend(read_opml(s) if s.lower().endswith(".opml") else [s])
    return out


def poll_once(
    sources: list[str], config: Config, store: Store, every: float, now: float | None = None
) -> PollReport:
    """One round over every source; new and changed articles go through the pipeline together."""
    now = time.time() if now is None else now
    report = PollReport()
    articles: list[Article] = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            articles.extend(_poll_url(source, config, store, every, now, report))
        else:
            articles.extend(_poll_folder(source, config, store, report))
    report.run = pipeline.ingest_articles(articles, report.failed, config, store)
    return report


def _poll_url(
    url: str, config: Config, store: Store, every: float, now: float, report: PollReport
) -> list[Article]:
    key = f"watch:{url}"
    state = store.get_state(key) or {}
    if state.get("next_attempt", 0) > now:
        report.backing_off.append(url)
        return []
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        fetched = fetch(url, config.ingest, headers)
    except FetchError as exc:
        failures = state.get("failures", 0) + 1
        delay = min(every * 2**failures, MAX_BACKOFF)
        store.set_state(key, {**state, "failures": failures, "next_attempt": now + delay})
        report.failed.append(IngestError(url, f"{exc} (attempt {failures}; next try in {delay:.0f} s)"))
        return []
    lower = {k.lower(): v for k, v in fetched.headers.items()}
    store.set_state(
        key,
        {
            "etag": lower.get("etag", state.get("etag")),
            "last_modified": lower.get("last-modified", state.get("last_modified")),
            "failures": 0,
            "next_attempt": 0,
        },
    )
    if fetched.status == 304:
        report.not_modified.append(url)
        return []
    report.fetched.append(url)
    articles, errors = pipeline.split_results(read_fetched(url, fetched.data), None)
    report.failed.extend(errors)
    return articles


def _poll_folder(folder: str, config: Config, store: Store, report: PollReport) -> list[Article]:
    """Files that are new or modified since the last round (by size and mtime)."""
    path = Path(folder)
    if not path.exists():
        report.failed.append(IngestError(folder, "no such file or directory"))
        return []
    key = f"watch:{path.resolve()}"
    seen: dict[str, list[float]] = store.get_state(key) or {}
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    )
    changed = []
    for file in files:
        stat = file.stat()
        signature = [stat.st_size, stat.st_mtime]
        if seen.get(str(file)) != signature:
            changed.append(file)
            seen[str(file)] = signature
    articles: list[Article] = []
    for file in changed:
        article_id = file_article_id(file, path if path.is_dir() else None)
        found, errors = pipeline.split_results(ingest_file(file, config.ingest, article_id), None)
        articles.extend(found)
        report.failed.extend(errors)
    store.set_state(key, seen)
    return articles


def watch(
    sources: list[str],
    config: Config,
    store: Store,
    every: float = 600.0,
    rounds: int | None = None,
    on_round: Callable[[PollReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll forever (or ``rounds`` times), sleeping ``every`` seconds between rounds."""
    sources = expand_sources(sources)
    n = 0
    while rounds is None or n < rounds:
        report = poll_once(sources, config, store, every)
        if on_round:
            on_round(report)
        n += 1
        if rounds is None or n < rounds:
            sleep(every)
