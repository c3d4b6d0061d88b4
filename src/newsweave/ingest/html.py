"""HTML pages → raw :class:`~newsweave.model.Article`, through trafilatura.

Public entry point: :func:`read_html`. :func:`article_id_for` is the id rule
every reader shares (file stem for files, a short hash of the canonical URL for
URLs).

The extraction options were chosen on the Zyte article-extraction benchmark
(``benchmarks/extraction.py``): precision mode without comments keeps the
article and drops related-story teasers better than trafilatura's defaults.
"""

from __future__ import annotations

import codecs
import re
from datetime import date
from pathlib import PurePath
from typing import Any, TypedDict

import trafilatura
from trafilatura.settings import Document

from newsweave.ingest.decode import BOMS
from newsweave.ingest.records import outlet_from_url, url_article_id
from newsweave.model import Article


class ExtractOptions(TypedDict, total=False):
    """The keyword arguments of ``trafilatura.bare_extraction`` that newsweave sets."""

    include_comments: bool
    include_tables: bool
    favor_precision: bool
    favor_recall: bool
    deduplicate: bool


# trafilatura options measured best on the benchmark (see module docstring). deduplicate stays
# off: trafilatura's duplicate cache is process-wide, so it would cut paragraphs that a
# *syndicated copy* shares with an earlier article, which the dedup stage needs to see.
EXTRACT_OPTIONS: ExtractOptions = {
    "include_comments": False,
    "include_tables": True,
    "favor_precision": True,
    "deduplicate": False,
}
# Precision mode now and then settles on one small wrong block; a short result is checked
# against trafilatura's balanced mode and replaced when it holds under a quarter of its words.
_BALANCED_OPTIONS: ExtractOptions = {**EXTRACT_OPTIONS, "favor_precision": False}
COLLAPSE_CHECK_WORDS = 200
COLLAPSE_RATIO = 0.25
# When neither finds anything (short or unusual pages), a recall pass is better than failing.
_RECALL_OPTIONS: ExtractOptions = {**EXTRACT_OPTIONS, "favor_precision": False, "favor_recall": True}

# <meta charset="x">, <meta http-equiv=... content="text/html; charset=x">, <?xml encoding="x"?>
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); pages rely on it.
_CP1252_LABELS = {"ascii", "us-ascii", "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "cp819"}
_ANY_TAG = re.compile(r"<(?:!doctype|[a-zA-Z][\w:-]*)(?:\s[^<>]*)?/?>", re.IGNORECASE)
# Characters XML/lxml refuses; scraped pages and fuzzed bytes both contain them.
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_RUNS = re.compile(r"\n\s*\n+")
# Fewer words than this is a stray link or label ("Home"), not an article.
MIN_ARTICLE_WORDS = 5


def read_html(data: bytes | str, source: str, url: str | None = None) -> Article:
    """Extract the article of one HTML page; raise ``ValueError`` saying why when there is none.

    ``source`` is the file path or the URL the page came from; ``url`` the address it was
    fetched from, when known (the page's canonical URL wins over it).
    """
    html = decode_html(data) if isinstance(data, bytes) else data
    html = _check_html(html)
    document = _extract(html, url)
    text = _body_text(document.text or "", document.title)
    if len(re.findall(r"\w+", text)) < MIN_ARTICLE_WORDS:
        raise ValueError("no article text found")
    canonical = document.url or url or (source if _is_url(source) else None)
    title = (document.title or "").strip() or text.split("\n", 1)[0][:120]
    return Article(
        id=article_id_for(source, canonical),
        title=title,
        text=text,
        raw_text=text,
        path=None if _is_url(source) else source,
        url=canonical,
        outlet=(document.sitename or "").strip() or outlet_from_url(canonical),
        published=_iso_date(document.date),
        language=document.language or "en",
        metadata=_metadata(document, url, canonical),
    )


def article_id_for(source: str, url: str | None = None) -> str:
    """The article id: the file stem for files, a 16-hex sha1 of the canonical URL for URLs.

    ``url`` is the canonical URL when known; for a URL source without one, the source itself
    is hashed. The hash goes through the same URL canonicalisation as feed and JSON records,
    so one article reached two ways gets one id.
    """
    if _is_url(source):
        return url_article_id(url or source)
    return PurePath(source).stem or url_article_id(url or source)


def decode_html(data: bytes) -> str:
    """Bytes → text: BOM, then the declared charset, then UTF-8, then cp1252. Never raises."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # the declaration lies; sniff as if there were none
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", errors="replace")
    if _mostly_utf8(as_utf8):
        return as_utf8  # a UTF-8 page with a few stray bytes: keep its real characters intact
    return data.decode("cp1252", errors="replace")


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes, if Python knows it and it suits bytes."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    if label in _CP1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page whose declaration we could read as ASCII is not UTF-16/32, whatever it says.
    return None if name.startswith(("utf-16", "utf-32")) else name


def _mostly_utf8(text: str) -> bool:
    replaced = text.count("\ufffd")
    decoded_non_ascii = sum(1 for ch in text if ord(ch) > 127) - replaced
    return decoded_non_ascii > replaced


def _check_html(html: str) -> str:
    """Refuse text that is not markup; drop characters the HTML parser cannot hold."""
    sample = html[:8192]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > max(8, len(sample) // 50):
        raise ValueError("not HTML (binary data)")
    if not _ANY_TAG.search(html):
        raise ValueError("not HTML (no markup found)")
    return _NOT_XML_CHARS.sub("", html)


def _extract(html: str, url: str | None) -> Document:
    """Run trafilatura: precision mode, checked against balanced mode when short, recall last."""
    precise = _run_trafilatura(html, url, EXTRACT_OPTIONS)
    if precise is not None and _word_count(precise) >= COLLAPSE_CHECK_WORDS:
        return precise
    balanced = _run_trafilatura(html, url, _BALANCED_OPTIONS)
    best = balanced if _word_count(precise) < COLLAPSE_RATIO * _word_count(balanced) else precise
    if best is None or _word_count(best) == 0:
        best = _run_trafilatura(html, url, _RECALL_OPTIONS)
    if best is None or _word_count(best) == 0:
        raise ValueError("no article text found")
    return best


def _run_trafilatura(html: str, url: str | None, options: ExtractOptions) -> Document | None:
    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True, **options)
    except Exception as exc:  # noqa: BLE001 — a parser crash on one bad page must not stop a run
        raise ValueError(f"cannot parse HTML: {type(exc).__name__}: {exc}") from exc
    return document if isinstance(document, Document) else None


def _word_count(document: Document | None) -> int:
    return len(re.findall(r"\w+", document.text or "")) if document is not None else 0


def _body_text(text: str, title: str | None) -> str:
    """One paragraph per line; a leading copy of the headline goes (it is already the title)."""
    lines = [line.strip() for line in _BLANK_RUNS.sub("\n", text).split("\n")]
    lines = [line for line in lines if line]
    if title and len(lines) > 1 and _same_words(lines[0], title):
        lines = lines[1:]
    return "\n".join(lines)


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.lower()) == re.findall(r"\w+", b.lower())


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _metadata(document: Document, fetched_url: str | None, canonical: str | None) -> dict[str, Any]:
    """Everything trafilatura found that Article has no field for; empty values are left out."""
    found: dict[str, Any] = {
        "author": document.author,
        "description": document.description,
        "categories": document.categories,
        "tags": document.tags,
        "hostname": document.hostname,
        "image": document.image,
        "pagetype": document.pagetype,
        "license": document.license,
        "fetched_url": fetched_url if fetched_url and fetched_url != canonical else None,
        "extractor": f"trafilatura {trafilatura.__version__}",
    }
    return {key: value for key, value in found.items() if value}


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))
