"""Read articles from files, folders and URLs.

Public entry point: :func:`ingest_sources`. Each input yields articles or an
:class:`~newsweave.model.IngestError` naming the input and the reason; one bad
input never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from newsweave.config import IngestConfig
from newsweave.ingest.compressed import gunzip, inner_name, is_gzip
from newsweave.ingest.decode import DecodeError, decode_bytes, detect_kind
from newsweave.ingest.records import outlet_from_url, read_feed, read_json_records, url_article_id
from newsweave.ingest.text import read_text
from newsweave.model import Article, IngestError

# Files a folder walk skips: documentation and repository furniture, not articles.
_SKIP_NAMES = {"readme", "license", "licence", "changelog", "notice"}
_SKIP_SUFFIXES = {".md", ".rst", ".py", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".lock"}


def ingest_sources(sources: Iterable[str], config: IngestConfig | None = None) -> Iterator[Article | IngestError]:
    """Yield raw articles (and errors) from paths, folders (recursive) and http(s) URLs."""
    config = config or IngestConfig()
    for source in sources:
        if source.startswith(("http://", "https://")):
            yield from _ingest_url(source, config)
            continue
        if "://" in source:
            yield IngestError(source, "only http:// and https:// URLs can be fetched")
            continue
        path = Path(source)
        if path.is_dir():
            for file in _walk(path):
                yield from ingest_file(file, config)
        elif path.exists():
            yield from ingest_file(path, config)
        else:
            yield IngestError(source, "no such file or directory")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root, name)
            if name.startswith(".") or file.stem.lower() in _SKIP_NAMES or file.suffix.lower() in _SKIP_SUFFIXES:
                continue
            yield file


def ingest_file(path: Path, config: IngestConfig) -> Iterator[Article | IngestError]:
    """Read one file of any supported kind."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > config.max_bytes:
            yield IngestError(source, f"file is {size:,} bytes, over the {config.max_bytes:,}-byte limit")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(source, f"cannot read: {exc.strerror or exc}")
        return
    if is_gzip(data):
        try:
            data = gunzip(data, config.max_bytes)
        except ValueError as exc:
            yield IngestError(source, str(exc))
            return
        path = Path(inner_name(str(path)))
    yield from read_document(data, source, path.stem, path.suffix, url=None)


def read_document(
    data: bytes, source: str, stem: str, extension: str = "", url: str | None = None
) -> Iterator[Article | IngestError]:
    """Read bytes of any supported kind; ``stem`` is the article id for single-article inputs."""
    if not data.strip():
        yield IngestError(source, "empty file")
        return
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield IngestError(source, str(exc))
        return
    kind = detect_kind(text, extension)
    try:
        if kind == "feed":
            yield from read_feed(text, source)
        elif kind in ("json", "jsonl"):
            yield from read_json_records(text, source, stem, lines=kind == "jsonl")
        elif kind == "html":
            from newsweave.ingest.html import read_html

            article = read_html(data, source, url=url)
            if url is None:
                article.id = stem
            yield article
        else:
            article = read_text(text, source, stem)
            if url is not None:
                article.url = article.url or url
                article.outlet = article.outlet or outlet_from_url(url)
            yield article
    except ValueError as exc:
        yield IngestError(source, str(exc))


def _ingest_url(url: str, config: IngestConfig) -> Iterator[Article | IngestError]:
    """Fetch a page or a feed; refuse bodies over the size limit instead of reading them whole."""
    try:
        data = fetch_url(url, config)
    except FetchError as exc:
        yield IngestError(url, str(exc))
        return
    yield from read_fetched(url, data)


def read_fetched(url: str, data: bytes) -> Iterator[Article | IngestError]:
    """Articles from a fetched page or feed body."""
    for item in read_document(data, url, url_article_id(url), url=url):
        if isinstance(item, Article) and item.url is None:
            item.url = url
        yield item


class FetchError(Exception):
    """A URL that could not be fetched; the message says why."""


@dataclass
class Fetched:
    status: int
    data: bytes
    headers: dict[str, str]


def fetch(url: str, config: IngestConfig, headers: dict[str, str] | None = None) -> Fetched:
    """GET ``url`` with timeouts and a size limit; 304 Not Modified is returned, other errors raised."""
    request_headers = {"User-Agent": config.user_agent, **(headers or {})}
    try:
        with (
            httpx.Client(timeout=config.fetch_timeout, follow_redirects=True, headers=request_headers) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code == 304:
                return Fetched(304, b"", dict(response.headers))
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
            declared = int(response.headers.get("content-length") or 0)
            if declared > config.max_bytes:
                raise FetchError(f"page is {declared:,} bytes, over the {config.max_bytes:,}-byte limit")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > config.max_bytes:
                    raise FetchError(f"page is over the {config.max_bytes:,}-byte limit")
                chunks.append(chunk)
            return Fetched(response.status_code, b"".join(chunks), dict(response.headers))
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {config.fetch_timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch: {exc}") from None


def fetch_url(url: str, config: IngestConfig) -> bytes:
    return fetch(url, config).data
