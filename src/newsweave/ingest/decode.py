"""Turn raw bytes into text, and recognise what kind of document they hold.

Scraped files arrive in every encoding a CMS ever produced; we try the
signals in order of reliability (BOM, strict UTF-8, then the Windows code page
most English sites used) and refuse binary data instead of guessing.
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

Kind = Literal["text", "html", "json", "jsonl", "feed"]

BOMS = (  # byte-order marks and the codec each one announces
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_EXTENSION_KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_MARK = re.compile(r"<(!doctype\s+html|html|head|body|article|div|p)[\s>/]", re.IGNORECASE)


class DecodeError(ValueError):
    """The bytes are not text we can read."""


def decode_bytes(data: bytes) -> str:
    """Decode bytes to text; raise :class:`DecodeError` for binary data."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}"
                ) from exc
    sample = data[:8192]
    if b"\x00" in sample:
        raise DecodeError("binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        slipped = _utf8_with_slips(data)
        # cp1252 is a superset of latin-1 for printable text; five bytes are undefined in it
        text = slipped if slipped is not None else data.decode("cp1252", errors="replace")
    control = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > max(8, len(text[:8192]) // 50):
        raise DecodeError("binary file (control bytes), not text")
    return text


def _utf8_with_slips(data: bytes) -> str | None:
    """UTF-8 text with a few bad bytes in it, decoded as UTF-8 (each bad byte a U+FFFD); None for
    text in a single-byte encoding. A UTF-8 file with one stray byte is still UTF-8: read as
    cp1252 every curly quote in it would become mojibake ("Korea\u00e2\u20ac\u2122s"). It counts
    as UTF-8 when its well-formed multi-byte sequences outnumber its bad bytes; in cp1252 text
    the accented letters are lone high bytes, which are never well-formed UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return text if multibyte > bad else None


def detect_kind(text: str, extension: str = "") -> Kind:
    """Guess the document kind from its content, using the extension only to break ties."""
    head = text.lstrip()[:2048]
    hinted = _EXTENSION_KINDS.get(extension.lower())
    if head.startswith("<"):
        if _FEED_ROOT.search(head):
            return "feed"
        if _HTML_MARK.search(head):
            return "html"
        return hinted if hinted in ("feed", "html") else "html"
    if head.startswith("{") or head.startswith("["):
        first_line = head.splitlines()[0].strip()
        if hinted == "jsonl" or (
            first_line.startswith("{") and first_line.endswith("}") and "\n" in head.strip()
        ):
            return "jsonl"
        return "json"
    return "text"
