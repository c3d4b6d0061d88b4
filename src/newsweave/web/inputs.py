"""Validation of what a visitor submits, and turning it into files the pipeline can read.

The web layer holds no ingest logic: a pasted text becomes a temporary ``.txt``
file in the layout :mod:`newsweave.ingest.text` reads (title line, ``Outlet:`` and
``Published:`` header lines), uploads become files with safe names, and both go
to :func:`newsweave.pipeline.ingest` like any other path.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

MAX_TEXT_CHARS = 200_000  # a very long article is ~50k characters; more is almost surely a mistake
MAX_FIELD_CHARS = 300  # title, outlet
MAX_URLS = 20
MAX_URL_CHARS = 2_000
MAX_FILES = 20
_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InputError(ValueError):
    """Input the visitor must fix; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class Submission:
    """What one Add request asks for, already validated."""

    urls: list[str] = field(default_factory=list)
    text: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (safe file name, content)

    def labels(self) -> list[str]:
        """Short names of the inputs, for the job's status."""
        out = list(self.urls)
        if self.text:
            out.append("pasted text")
        out += [name for name, _ in self.files]
        return out


def check_url(url: str) -> str:
    """An http(s) URL with a host; anything else (file:, javascript:, ftp:) is refused."""
    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        raise InputError(f"URL is longer than {MAX_URL_CHARS} characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{url[:80]!r}: only http:// and https:// URLs can be added")
    if not parts.hostname:
        raise InputError(f"{url[:80]!r}: the URL has no host name")
    return url


def split_urls(raw: str | list[str] | None) -> list[str]:
    """URLs from a list or from a text box (one per line or separated by spaces)."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else raw.split()
    urls = [check_url(u) for u in items if u.strip()]
    if len(urls) > MAX_URLS:
        raise InputError(f"at most {MAX_URLS} URLs at a time ({len(urls)} given)")
    return urls


def check_text(text: str | None, name: str, limit: int) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise InputError(f"{name} is {len(text):,} characters, over the {limit:,}-character limit", 413)
    return text or None


def check_date(value: str | None) -> str | None:
    value = (value or "").strip()
    if value and not _ISO_DAY.match(value):
        raise InputError(f"published date {value[:40]!r} is not a date like 2025-03-04")
    return value or None


def safe_name(filename: str | None, taken: set[str]) -> str:
    """A file name with no folder part and no odd characters, unique within ``taken``.

    Only the last path component of an upload's name is kept, so ``../../etc/passwd``
    becomes ``passwd`` inside the job's own temporary folder.
    """
    base = re.split(r"[\\/]", filename or "")[-1]
    stem, dot, ext = base.rpartition(".") if "." in base.lstrip(".") else (base, "", "")
    stem = _SAFE_STEM.sub("-", stem).strip(".-")[:80] or "upload"
    ext = _SAFE_STEM.sub("", ext)[:10]
    name = f"{stem}.{ext}" if dot and ext else stem
    n = 2
    candidate = name
    while candidate in taken:
        candidate = f"{stem}-{n}.{ext}" if dot and ext else f"{stem}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def check_upload(name: str, data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise InputError(f"{name}: file is over the {max_bytes:,}-byte limit", 413)


def pasted_file_text(sub: Submission) -> str:
    """The pasted article in the plain-text layout the text reader understands."""
    assert sub.text is not None
    lines = [sub.title] if sub.title else []
    if sub.outlet:
        lines.append(f"Outlet: {sub.outlet}")
    if sub.published:
        lines.append(f"Published: {sub.published}")
    head = "\n".join(lines)
    return f"{head}\n\n{sub.text}\n" if head else sub.text + "\n"


def write_sources(sub: Submission) -> tuple[Path, list[str]]:
    """Write the submission into a new temporary folder; return it and the pipeline's sources."""
    folder = Path(tempfile.mkdtemp(prefix="newsweave-add-"))
    sources: list[str] = list(sub.urls)
    if sub.text:
        body = pasted_file_text(sub)
        # the file stem becomes the article id: the same paste twice is the same article
        stem = "pasted-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
        path = folder / f"{stem}.txt"
        path.write_text(body, encoding="utf-8")
        sources.append(str(path))
    for name, data in sub.files:
        path = folder / name
        path.write_bytes(data)
        sources.append(str(path))
    return folder, sources
