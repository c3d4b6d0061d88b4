"""Plain text scraped from a page: the first non-empty line is the title.

Scrapers often leave a header: a byline line ("By Jane Roe | Harbour Post | 5 March 2025")
or ``Key: value`` lines (``Outlet:``, ``Published:``, ``URL:``). Both are read as
metadata and taken out of the body.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from newsweave.model import Article

_HEADER_KEYS = {
    "outlet": "outlet",
    "publisher": "outlet",
    "site": "outlet",
    "source": "outlet",
    "published": "published",
    "date": "published",
    "url": "url",
    "link": "url",
    "author": "author",
    "by": "author",
}
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z]{2,10}):\s+(?P<value>\S.{0,200})$")
_BYLINE_SEPARATORS = re.compile(r"\s+[|·•]\s+|\s+—\s+")
_DATE_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
}


# a style or script statement a scraper kept ("'.alogo{display: block;...}'" opened 39 of the
# 1,671 ML-Crisis pages): no title, and no sentence of the article
_CODE_LINE = re.compile(r"^[^{}]{0,200}\{[^{}]*[:;][^{}]*\}$")


def is_code_line(line: str) -> bool:
    """Whether a line is a style or script statement, not words (no title, no sentence)."""
    return _CODE_LINE.match(line.strip()) is not None


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")


@lru_cache(maxsize=4096)  # a feed's items share a handful of dates
def parse_date(value: str) -> str | None:
    """An ISO date for a full written date ("5 March 2025", "2025-03-05"), else ``None``."""
    value = value.strip()
    if not value or len(value) > 60 or not re.search(r"\d{4}", value):
        return None
    if _ISO_DATE.match(value):  # machine-written dates: no need for dateparser's 3 ms
        try:
            parsed_day = date.fromisoformat(value[:10])
            return parsed_day.isoformat() if 1900 <= parsed_day.year <= date.today().year + 1 else None
        except ValueError:
            pass  # "2025-13-01": dateparser reads year-day-month
    import dateparser  # imported on first use: 28-62 ms that inputs dated in ISO form never need

    parsed = dateparser.parse(value, languages=["en"], settings=_DATE_SETTINGS)
    if parsed is None or not (1900 <= parsed.year <= date.today().year + 1):
        return None
    return parsed.date().isoformat()


def _parse_byline(line: str) -> dict[str, str] | None:
    """Read "By X | Outlet | Date" style lines; ``None`` when the line is not one."""
    parts = [p.strip() for p in _BYLINE_SEPARATORS.split(line) if p.strip()]
    if len(parts) < 2 or len(line) > 160 or line.rstrip().endswith((".", "?", "!", '"', "”")):
        return None
    meta: dict[str, str] = {}
    for part in parts:
        if part.lower().startswith("by "):
            meta["author"] = part[3:].strip()
        elif (iso := parse_date(part)) is not None:
            meta["published"] = iso
        elif len(part.split()) <= 6 and "outlet" not in meta:
            meta["outlet"] = part
        else:
            return None
    # a byline carries a date or an author; two short phrases alone may be a headline fragment
    return meta if ("published" in meta or "author" in meta) else None


def read_text(text: str, source: str, article_id: str) -> Article:
    """Build a raw :class:`Article` from scraped plain text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: dict[str, str] = {}
    body_start = 0
    title = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or is_code_line(stripped):
            continue
        if not title:
            header = _HEADER_LINE.match(stripped)
            if header and header.group("key").lower() in _HEADER_KEYS:
                meta[_HEADER_KEYS[header.group("key").lower()]] = header.group("value").strip()
                continue
            title = stripped
            body_start = i + 1
            continue
        # header lines right below the title
        byline = _parse_byline(stripped)
        if byline is not None:
            meta.update(byline)
            body_start = i + 1
            continue
        header = _HEADER_LINE.match(stripped)
        if header and header.group("key").lower() in (
            "outlet",
            "published",
            "url",
            "author",
            "date",
            "publisher",
        ):
            meta[_HEADER_KEYS[header.group("key").lower()]] = header.group("value").strip()
            body_start = i + 1
            continue
        break
    if not title:
        raise ValueError("empty file: no text")
    body = "\n".join(lines[body_start:]).strip()
    if not body:
        body = title  # a one-line file is still an article; the title is all it says
    published = parse_date(meta["published"]) if meta.get("published") else None
    extra = {k: v for k, v in meta.items() if k not in ("outlet", "published", "url")}
    return Article(
        id=article_id,
        title=title,
        text=body,
        raw_text=body,
        path=source,
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        published=published,
        metadata=extra,
    )
