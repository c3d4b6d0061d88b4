"""JSON and JSON Lines records, and RSS/Atom feeds: many articles per input."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from newsweave.ingest.text import is_code_line, parse_date
from newsweave.model import Article, IngestError

_KNOWN_KEYS = ("id", "title", "text", "url", "published", "outlet")
_TEXT_KEYS = ("text", "body", "content", "article")
_DATE_KEYS = ("published", "date", "published_at", "pubDate")
_OUTLET_KEYS = ("outlet", "source", "site_name", "publisher")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments and tracking parameters."""
    parts = urlsplit(url.strip())
    query = "&".join(
        q for q in parts.query.split("&") if q and not q.lower().startswith(("utm_", "fbclid", "gclid"))
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def url_article_id(url: str) -> str:
    """A stable id for an article known by URL: a hash of its canonical form."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else (host or None)


def _first(record: dict[str, Any], keys: tuple[str, ...], kinds: tuple[type, ...] = (str,)) -> Any:
    """The first present value of ``keys`` of an expected type; other shapes are ignored, not trusted."""
    for key in keys:
        value = record.get(key)
        if value not in (None, "") and isinstance(value, kinds) and not isinstance(value, bool):
            return value.strip() if isinstance(value, str) else value
    return None


def _iso(value: Any) -> str | None:
    if isinstance(value, str):
        if parsed := parse_date(value):
            return parsed
        try:  # an ISO timestamp's date part, but only if it is a real date
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None
    if isinstance(value, int | float):
        try:  # a Unix timestamp; absurd values are dropped rather than failing the record
            return datetime.fromtimestamp(value, tz=UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None


# How deep a record may nest: articles are flat, and the store copies and encodes each record's
# metadata recursively (Python's recursion limit is 1,000 frames, a few per level)
MAX_RECORD_DEPTH = 32


def _too_deep(value: Any, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` levels (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def article_from_record(record: dict[str, Any], source: str, fallback_id: str) -> Article:
    """Build an :class:`Article` from one JSON object; unknown keys become metadata."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    if _too_deep(record, MAX_RECORD_DEPTH):
        raise ValueError(f"record nests more than {MAX_RECORD_DEPTH} levels deep")
    text = _first(record, _TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        raise ValueError("record has no 'text'")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    given_title = record.get("title")
    title = given_title if isinstance(given_title, str) and not is_code_line(given_title) else ""
    if not title.strip():
        title = text.strip().split("\n", 1)[0][:120]
    used = set(_KNOWN_KEYS) | set(_TEXT_KEYS) | set(_DATE_KEYS) | set(_OUTLET_KEYS)
    record_id = record.get("id")
    article_id = (
        str(record_id) if record_id not in (None, "") else (url_article_id(url) if url else fallback_id)
    )
    return Article(
        id=article_id,
        title=title.strip(),
        text=text.strip(),
        raw_text=text.strip(),
        path=source,
        url=url,
        outlet=_first(record, _OUTLET_KEYS) or outlet_from_url(url),
        published=_iso(_first(record, _DATE_KEYS, (str, int, float))),
        metadata={k: v for k, v in record.items() if k not in used},
    )


def read_json_records(text: str, source: str, stem: str, lines: bool) -> Iterator[Article | IngestError]:
    """Articles from a JSON document (object or array) or JSON Lines; bad records are reported."""
    if lines:
        numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        for n, line in numbered:
            where = f"{source}:{n}"
            try:
                yield article_from_record(json.loads(line), source, f"{stem}-{n}")
            except (json.JSONDecodeError, ValueError, RecursionError) as exc:
                yield IngestError(where, _json_reason(exc))
        if not numbered:
            yield IngestError(source, "empty JSON Lines file")
        return
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        yield IngestError(source, _json_reason(exc))
        return
    records = data if isinstance(data, list) else [data]
    if not records:
        yield IngestError(source, "JSON array is empty")
    for n, record in enumerate(records, 1):
        try:
            yield article_from_record(record, source, stem if len(records) == 1 else f"{stem}-{n}")
        except ValueError as exc:
            yield IngestError(f"{source}[{n - 1}]", str(exc))


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to read"
    return str(exc) if str(exc).startswith(("record", "expected")) else f"unreadable JSON: {exc}"


def read_feed(text: str, source: str) -> Iterator[Article | IngestError]:
    """One article per RSS/Atom entry, through feedparser (imported here: 12-37 ms that an ingest of
    JSON, text or HTML never uses)."""
    import feedparser

    if "<!ENTITY" in text[:65536].upper():
        # no feed needs its own entities; declaring them is how an expansion bomb starts
        yield IngestError(source, "feed declares XML entities (an entity-expansion bomb?); refused")
        return
    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        yield IngestError(source, f"malformed feed: {reason}" if reason else "malformed feed")
        return
    if not parsed.entries:
        yield IngestError(source, "feed has no entries")
        return
    feed_title = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        content = ""
        if entry.get("content"):
            content = entry.content[0].get("value", "")
        content = content or entry.get("summary") or entry.get("description") or ""
        text_body = _html_to_text(content if isinstance(content, str) else "")
        if not text_body.strip():
            yield IngestError(f"{source}#{n}", "feed entry has no text")
            continue
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        source_title = (
            (entry.get("source") or {}).get("title") if isinstance(entry.get("source"), dict) else None
        )
        yield Article(
            id=url_article_id(link) if link else f"{hashlib.sha1(source.encode()).hexdigest()[:8]}-{n}",
            title=(entry.get("title") or text_body.split("\n", 1)[0][:120]).strip(),
            text=text_body,
            raw_text=text_body,
            path=source,
            url=link,
            outlet=source_title or feed_title or outlet_from_url(link),
            published=published,
            metadata={"feed": feed_title, "author": entry.get("author")}
            if entry.get("author")
            else {"feed": feed_title},
        )


def _html_to_text(fragment: str) -> str:
    """Feed bodies are HTML fragments; keep paragraph breaks, drop tags."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on junk; plain text is the safe fallback
        return fragment.strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    blocks = root.xpath("//p|//h1|//h2|//h3|//h4|//li|//blockquote")
    if blocks:
        parts = [" ".join(b.text_content().split()) for b in blocks]
        return "\n".join(p for p in parts if p)
    return " ".join(root.text_content().split())
