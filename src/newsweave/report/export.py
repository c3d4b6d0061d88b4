"""A story's claims, quotes and timeline as flat rows, for CSV and JSON downloads.

Public entry points: :func:`export_rows` and :func:`to_csv`. Every row names the articles it
rests on, so a spreadsheet keeps the evidence trail the pages show.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from newsweave.model import Story

Part = Literal["claims", "quotes", "timeline"]
PARTS: tuple[Part, ...] = ("claims", "quotes", "timeline")
COLUMNS: dict[str, tuple[str, ...]] = {
    "claims": ("status", "text", "articles", "about"),
    "quotes": ("speaker", "entity", "kind", "text", "article"),
    "timeline": ("date", "text", "articles"),
}


def export_rows(story: Story, part: Part) -> list[dict[str, Any]]:
    """Rows of one part of ``story``; list values are article ids."""
    if part == "claims":
        return (
            [
                {"status": "corroborated", "text": c.text, "articles": list(c.articles), "about": None}
                for c in story.corroborated
            ]
            + [
                {"status": "single_source", "text": c.text, "articles": [c.article], "about": None}
                for c in story.single_source
            ]
            + [
                {"status": "disputed", "text": side.text, "articles": [side.article], "about": d.about}
                for d in story.disagreements
                for side in d.claims
            ]
        )
    if part == "quotes":
        return [
            {"speaker": q.speaker, "entity": q.entity, "kind": q.kind, "text": q.text, "article": q.article}
            for q in story.quotes
        ]
    if part == "timeline":
        return [{"date": t.date, "text": t.text, "articles": list(t.articles)} for t in story.timeline]
    raise ValueError(f"unknown part {part!r}: one of {', '.join(PARTS)}")


def to_csv(rows: list[dict[str, Any]], part: Part) -> str:
    """CSV with a header row; article lists are joined with spaces (ids hold none)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS[part], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: " ".join(v) if isinstance(v, list) else ("" if v is None else _safe_cell(v))
                for k, v in row.items()
            }
        )
    return out.getvalue()


def _safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
