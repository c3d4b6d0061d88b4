"""Who published an article: its outlet's name, political leaning and kind (news or opinion).

Public entry points: :func:`load_directory` reads the user's outlets file (TOML or CSV);
:func:`outlet_info` tells, for one article, the outlet's name (from that file, the article's
metadata, or its URL's site), its leaning (left / center / right, from the file or the
article's own ``leaning`` field) and whether the piece is news or opinion. An outlet that
none of these names is *unknown*: shown as such, and never counted as an independent source
(see :func:`newsweave.story.dedup.source_keys`). Opinion and analysis pieces are labelled from the
file, their section, URL and title, and never count as corroboration.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from newsweave.model import Article

Leaning = Literal["left", "center", "right"]
Kind = Literal["news", "opinion", "analysis"]
LEANINGS: tuple[Leaning, ...] = ("left", "center", "right")
KINDS: tuple[Kind, ...] = ("news", "opinion", "analysis")
UNKNOWN = "unknown outlet"

# Ratings as AllSides, Ad Fontes and users write them, folded to three sides: a reader asks
# "who covered this", and "lean left" outlets are on the left of that question.
_LEANING_WORDS: dict[str, Leaning] = {
    "left": "left",
    "lean left": "left",
    "leans left": "left",
    "left-center": "left",
    "center-left": "left",
    "far left": "left",
    "l": "left",
    "center": "center",
    "centre": "center",
    "centrist": "center",
    "least biased": "center",
    "c": "center",
    "right": "right",
    "lean right": "right",
    "leans right": "right",
    "right-center": "right",
    "center-right": "right",
    "far right": "right",
    "r": "right",
}
_META_LEANING_KEYS = ("leaning", "bias", "stance", "outlet_leaning")
_META_SECTION_KEYS = ("section", "category", "kind", "genre", "opinionTag", "type")
# URL path segments of opinion and analysis sections (washingtonpost.com/opinions/..., /commentary/)
_OPINION_SEGMENTS = {
    "opinion",
    "opinions",
    "commentary",
    "editorial",
    "editorials",
    "op-ed",
    "oped",
    "op-eds",
    "columnists",
    "columns",
    "column",
    "letters",
    "perspectives",
    "ideas",
}
_ANALYSIS_SEGMENTS = {"analysis", "news-analysis"}
_OPINION_TITLE = re.compile(
    r"^\s*(opinion|op-ed|commentary|editorial|column|letters?)\s*[:|\-–—]", re.IGNORECASE
)
_ANALYSIS_TITLE = re.compile(r"^\s*(analysis|news analysis)\s*[:|\-–—]", re.IGNORECASE)
_NAME_KIND = re.compile(r"\((opinion|op-ed|editorial|commentary|analysis)\)|\bopinion\b", re.IGNORECASE)


class OutletsFileError(ValueError):
    """The outlets file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class OutletEntry:
    """One outlet of the user's file."""

    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    leaning: Leaning | None = None
    kind: Kind | None = None


@dataclass
class Directory:
    """The user's outlets, found by site (``apnews.com`` and its subdomains) or by name and alias."""

    entries: list[OutletEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_name = {n.casefold(): e for e in self.entries for n in (e.name, *e.aliases)}
        self._by_domain = {d: e for e in self.entries for d in e.domains}

    def match(self, outlet: str | None, url: str | None) -> OutletEntry | None:
        host = site_of(url)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""
        return self._by_name.get(outlet.strip().casefold()) if outlet else None


EMPTY = Directory()


@dataclass(frozen=True)
class OutletInfo:
    name: str | None  # None: unknown
    leaning: Leaning | None
    kind: Kind

    @property
    def label(self) -> str:
        return self.name or UNKNOWN

    @property
    def corroborates(self) -> bool:
        """A named outlet's news report: the only kind of article that counts as an independent source."""
        return self.name is not None and self.kind == "news"


def site_of(url: str | None) -> str | None:
    """The host of an http(s) URL without ``www.``; None for anything else."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.") or None


def leaning_of(value: Any) -> Leaning | None:
    """``"Lean Left"`` -> ``"left"``; anything not a rating -> None."""
    if not isinstance(value, str):
        return None
    return _LEANING_WORDS.get(" ".join(value.strip().casefold().replace("_", " ").split()))


def kind_of(article: Article) -> Kind:
    """Opinion or analysis from the article's own cues (section metadata, URL path, title, outlet label)."""
    for key in _META_SECTION_KEYS:
        value = article.metadata.get(key)
        if isinstance(value, str) and value.strip():
            found = _kind_word(value)
            if found:
                return found
    segments = {s.casefold() for s in urlsplit(article.url or "").path.split("/") if s}
    if segments & _OPINION_SEGMENTS:
        return "opinion"
    if segments & _ANALYSIS_SEGMENTS:
        return "analysis"
    if _OPINION_TITLE.match(article.title or ""):
        return "opinion"
    if _ANALYSIS_TITLE.match(article.title or ""):
        return "analysis"
    if article.outlet and _NAME_KIND.search(article.outlet):  # AllSides' "CNN (Opinion)"
        return "analysis" if "analysis" in article.outlet.casefold() else "opinion"
    return "news"


def _kind_word(value: str) -> Kind | None:
    folded = value.casefold()
    if any(w in folded for w in ("opinion", "op-ed", "editorial", "commentary", "column")):
        return "opinion"
    if "analysis" in folded:
        return "analysis"
    return None


def outlet_info(article: Article, directory: Directory = EMPTY) -> OutletInfo:
    """The article's outlet as a reader is told it; the user's file wins over what the article says."""
    entry = directory.match(article.outlet, article.url)
    name = (entry.name if entry else None) or (article.outlet or "").strip() or site_of(article.url)
    leaning = (entry.leaning if entry else None) or next(
        (found for k in _META_LEANING_KEYS if (found := leaning_of(article.metadata.get(k)))), None
    )
    kind: Kind = kind_of(article)
    if kind == "news" and entry is not None and entry.kind is not None:
        kind = entry.kind  # the file can mark an opinion site; it never makes an op-ed news
    return OutletInfo(name=name or None, leaning=leaning, kind=kind)


def name_outlet(article: Article, directory: Directory) -> Article:
    """At ingest: the outlet named as the user's file names it, its leaning and kind kept in metadata."""
    info = outlet_info(article, directory)
    article.outlet = info.name
    if info.leaning:
        article.metadata["leaning"] = info.leaning
    if info.kind != "news":
        article.metadata["kind"] = info.kind
    return article


# --- the outlets file -------------------------------------------------------------------------


def load_directory(path: str | Path | None) -> Directory:
    """The outlets of a TOML (``[[outlet]]`` tables) or CSV (a header row) file; none without a path."""
    if not path:
        return EMPTY
    file = Path(path)
    try:
        stamp = file.stat().st_mtime_ns
    except OSError as exc:
        raise OutletsFileError(f"{file}: cannot read the outlets file: {exc.strerror or exc}") from None
    return _load(str(file), stamp)


@lru_cache(maxsize=4)
def _load(path: str, _stamp: int) -> Directory:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OutletsFileError(f"{path}: the outlets file is not UTF-8 text") from None
    rows = _csv_rows(text) if path.lower().endswith(".csv") else _toml_rows(text, path)
    return Directory([_entry(row, f"{path}: outlet {n}") for n, row in enumerate(rows, 1)])


def _toml_rows(text: str, path: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise OutletsFileError(f"{path}: not valid TOML: {exc}") from None
    rows = data.get("outlet", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise OutletsFileError(f"{path}: outlets are [[outlet]] tables with a name")
    return rows


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]


def _entry(row: dict[str, Any], where: str) -> OutletEntry:
    name = row.get("name")
    if not isinstance(name, str) or not name.strip():
        raise OutletsFileError(f"{where}: has no name")
    leaning = row.get("leaning") or None
    if leaning is not None and leaning_of(leaning) is None:
        raise OutletsFileError(f"{where} ({name}): leaning {leaning!r} is not left, center or right")
    kind = (row.get("kind") or "").strip().casefold() or None
    if kind is not None and kind not in KINDS:
        raise OutletsFileError(f"{where} ({name}): kind {kind!r} is not one of {', '.join(KINDS)}")
    return OutletEntry(
        name=name.strip(),
        domains=tuple(_domains(row.get("domains"))),
        aliases=tuple(_names(row.get("aliases"))),
        leaning=leaning_of(leaning),
        kind=kind,
    )


def _names(value: Any) -> Iterable[str]:
    """A TOML list, or one CSV cell of names separated by ``;`` or ``|``."""
    items = value if isinstance(value, list) else re.split(r"[;|]", value or "")
    return [str(v).strip() for v in items if str(v).strip()]


def _domains(value: Any) -> Iterable[str]:
    items = value if isinstance(value, list) else re.split(r"[\s;,|]+", value or "")
    return [str(d).strip().lower().removeprefix("www.").rstrip(".") for d in items if str(d).strip()]
