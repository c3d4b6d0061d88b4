"""Read articles from files, folders and URLs.

Public entry point: :func:`ingest_sources`. Each input yields articles or an
:class:`~newsweave.model.IngestError` naming the input and the reason; one bad
input never stops the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsweave.config import IngestConfig
from newsweave.ingest.compressed import gunzip, inner_name, is_gzip
from newsweave.ingest.decode import DecodeError, decode_bytes, detect_kind
from newsweave.ingest.records import outlet_from_url, read_feed, read_json_records, url_article_id
from newsweave.ingest.text import read_text
from newsweave.ingest.url import Fetched, FetchError, fetch, is_fetchable_url
from newsweave.model import Article, IngestError

__all__ = [
    "Fetched",
    "FetchError",
    "fetch",
    "file_article_id",
    "ingest_file",
    "ingest_sources",
    "read_document",
    "read_fetched",
    "read_regular_file",
]

# Files a folder walk skips: documentation and repository furniture, not articles.
_SKIP_NAMES = {"readme", "license", "licence", "changelog", "notice"}
_SKIP_SUFFIXES = {".md", ".rst", ".py", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".lock"}


def ingest_sources(
    sources: Iterable[str], config: IngestConfig | None = None
) -> Iterator[Article | IngestError]:
    """Yield raw articles (and errors) from paths, folders (recursive) and http(s) URLs."""
    config = config or IngestConfig()
    ids = _FileIds()
    for source in sources:
        if is_fetchable_url(source):
            yield from _ingest_url(source.strip(), config)
            continue
        if "://" in source or source.lower().startswith(("javascript:", "data:")):
            yield IngestError(source, "only http:// and https:// URLs can be fetched")
            continue
        path = Path(source)
        if path.is_dir():
            for file in _walk(path):
                yield from ingest_file(file, config, ids.of(file, path))
        elif path.exists() or path.is_symlink():
            yield from ingest_file(path, config, ids.of(path, None))
        else:
            yield IngestError(source, "no such file or directory")


def file_article_id(file: Path, root: Path | None) -> str:
    """The article id of a file: its path below the folder it was found in, without the extension,
    folders joined by ``~`` (``a/story.txt`` and ``b/story.txt`` are ``a~story`` and ``b~story``);
    a file named on its own, or at the top of its folder, is its file name's stem. No ``/``: an
    id is one segment of the web app's URLs."""
    if root is None:
        return file.stem
    try:
        parts = file.relative_to(root).parts
    except ValueError:
        return file.stem
    return ID_SEPARATOR.join([*parts[:-1], Path(parts[-1]).stem])


ID_SEPARATOR = "~"


class _FileIds:
    """Ids of the files of one run, unique per path: two files named on their own with one stem
    (``a/story.txt b/story.txt``) get their folder's name in front of the second's."""

    def __init__(self) -> None:
        self.paths: dict[str, Path] = {}

    def of(self, file: Path, root: Path | None) -> str:
        wanted = file_article_id(file, root)
        resolved = file.absolute()
        candidates = [wanted]
        if root is None:
            folders = [p.name for p in resolved.parents if p.name][:3]
            candidates += [
                ID_SEPARATOR.join([*reversed(folders[:n]), file.stem]) for n in range(1, len(folders) + 1)
            ]
        candidates.append(f"{wanted}-{hashlib.sha1(str(resolved).encode()).hexdigest()[:8]}")
        for candidate in candidates:
            if self.paths.setdefault(candidate, resolved) == resolved:
                return candidate
        return candidates[-1]


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root, name)
            if (
                name.startswith(".")
                or file.stem.lower() in _SKIP_NAMES
                or file.suffix.lower() in _SKIP_SUFFIXES
            ):
                continue
            yield file


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file (through symlinks), never more than ``max_bytes``; anything
    else raises ``ValueError`` saying what it is.

    The file is opened without waiting (a FIFO would block the run until someone writes to it)
    and checked on the open descriptor, so it cannot be swapped between the check and the read;
    the read stops at the limit whatever size the file claims (``/dev/zero`` says 0 bytes).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        with contextlib.suppress(OSError):  # a socket cannot be opened at all: say what it is
            mode = os.stat(path).st_mode
            kind = next((name for test, name in _NOT_REGULAR if test(mode)), None)
            if kind:
                raise ValueError(f"not a regular file: {kind}") from None
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
            raise ValueError(f"not a regular file: {kind}")
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise ValueError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise ValueError(f"file is over the {max_bytes:,}-byte limit")
        return b"".join(chunks)
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def ingest_file(
    path: Path, config: IngestConfig, article_id: str | None = None
) -> Iterator[Article | IngestError]:
    """Read one file of any supported kind; ``article_id`` (default: the file's stem) names its article."""
    source = str(path)
    try:
        data = read_regular_file(path, config.max_bytes)
    except ValueError as exc:
        yield IngestError(source, str(exc))
        return
    if is_gzip(data):
        try:
            data = gunzip(data, config.max_bytes)
        except ValueError as exc:
            yield IngestError(source, str(exc))
            return
        path = Path(inner_name(str(path)))
        if article_id and path.suffix and article_id.endswith(path.suffix):  # "a~page.html" of a~page.html.gz
            article_id = article_id[: -len(path.suffix)]
    yield from read_document(data, source, article_id or path.stem, path.suffix, url=None)


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
    try:
        for item in _read_kind(data, text, source, stem, detect_kind(text, extension), url):
            yield _only_web_links(item) if isinstance(item, Article) else item
    except ValueError as exc:
        yield IngestError(source, str(exc))
    except RecursionError:  # a parser that recurses (lxml, feedparser) on a pathologically nested input
        yield IngestError(source, "nested too deeply to read")


def _read_kind(
    data: bytes, text: str, source: str, stem: str, kind: str, url: str | None
) -> Iterator[Article | IngestError]:
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


def _only_web_links(article: Article) -> Article:
    """An article's URL is shown as a link everywhere, so only an http(s) one is kept as its URL;
    any other (``javascript:``, ``data:``, ``file:``) stays in its metadata as text."""
    if article.url is not None and not is_fetchable_url(article.url):
        article.metadata = {**article.metadata, "url_not_http": article.url}
        article.url = None
    return article


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


def fetch_url(url: str, config: IngestConfig) -> bytes:
    return fetch(url, config).data
