"""Finding stories in a store: filters, orders and the compact items lists show.

Public entry points: :func:`find_stories` (one page of story ids matching the filters, and how
many match in all) and :func:`story_items` (what a list shows of each). The web pages and the
REST API both call these, so a filter means the same everywhere and a count always matches
what the list pages through.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from newsweave.model import Article
from newsweave.outlets import EMPTY, LEANINGS, Directory, outlet_info
from newsweave.report.coverage import coverage_of
from newsweave.store import STORY_SORTS, Store
from newsweave.story.sources import independent_sources

SORTS = STORY_SORTS


@dataclass(frozen=True)
class StoryFilters:
    outlet: str | None = None
    entity: str | None = None
    since: str | None = None  # YYYY-MM-DD: stories whose last date is on or after it
    until: str | None = None  # YYYY-MM-DD: stories whose first date is on or before it
    leaning: str | None = None  # covered by at least one independent outlet of this side
    only: str | None = None  # covered by this side alone (a blindspot of the others)
    sort: str = "latest"

    def __post_init__(self) -> None:
        for name in ("leaning", "only"):
            value = getattr(self, name)
            if value is not None and value not in LEANINGS:
                raise ValueError(f"{name} must be one of {', '.join(LEANINGS)}, not {value!r}")
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")

    @property
    def sql(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "entity": self.entity, "since": self.since, "until": self.until}

    @property
    def any(self) -> bool:
        return any((self.outlet, self.entity, self.since, self.until, self.leaning, self.only))


def find_stories(
    store: Store, filters: StoryFilters, limit: int, offset: int, directory: Directory = EMPTY
) -> tuple[list[str], int]:
    """One page of the ids of the stories that match ``filters``, in their order, and the total."""
    if not (filters.leaning or filters.only):
        page = store.list_stories(limit=limit, offset=offset, sort=filters.sort, **filters.sql)
        return [s.id for s in page], store.count_stories(**filters.sql)
    # the leaning of a story's coverage depends on the outlets file in force, so it is judged
    # here over the stories the other filters leave (their articles' metadata, no body text)
    ids = store.story_ids(sort=filters.sort, **filters.sql)
    members = store.story_members(ids)
    kept = [i for i in ids if _covered(members.get(i, []), filters, directory)]
    return kept[offset : offset + limit], len(kept)


def _covered(articles: list[Article], filters: StoryFilters, directory: Directory) -> bool:
    coverage = coverage_of(articles, directory=directory)
    if filters.leaning and not coverage.sides[filters.leaning]:
        return False
    return not filters.only or coverage.only == filters.only


def story_items(store: Store, ids: list[str], directory: Directory = EMPTY) -> list[dict[str, Any]]:
    """Compact items for ``ids`` in that order: counts, dates and coverage, never whole records."""
    rows = store.story_rows(ids)
    members = store.story_members(ids)
    return [story_item(rows[i], members.get(i, []), directory) for i in ids if i in rows]


def story_item(row: dict[str, Any], articles: list[Article], directory: Directory = EMPTY) -> dict[str, Any]:
    duplicate_of = {a.id: a.duplicate_of for a in articles if a.duplicate_of}
    dates = sorted(
        {d for d in (row["first_date"], row["last_date"]) if d}
        | {a.published for a in articles if a.published}
    )
    coverage = coverage_of(articles, duplicate_of, directory)
    return {
        "id": row["id"],
        "headline": row["headline"],
        "updated": row["updated_at"],
        "first_date": dates[0] if dates else None,
        "last_date": dates[-1] if dates else None,
        "article_count": row["n_articles"],
        "outlet_count": len({outlet_info(a, directory).label for a in articles}),
        "independent_outlet_count": independent_sources(articles, duplicate_of, directory),
        "coverage": {side: len(coverage.sides[side]) for side in LEANINGS},
        "only": coverage.only,
    }


def article_item(article: Article, directory: Directory = EMPTY) -> dict[str, Any]:
    """An article as lists show it: where it came from (its URL, or its file's name, never a path
    on the server), its outlet with leaning and kind, and no body text."""
    info = outlet_info(article, directory)
    return {
        "id": article.id,
        "title": article.title,
        "source": article.url or (PurePath(article.path).name if article.path else None),
        "url": article.url,
        "outlet": info.name,
        "leaning": info.leaning,
        "kind": info.kind,
        "published": article.published,
        "language": article.language,
        "duplicate_of": article.duplicate_of,
        "flags": list(article.flags),
    }


def article_detail(article: Article, directory: Directory = EMPTY) -> dict[str, Any]:
    return {
        **article_item(article, directory),
        "text": article.text,
        "removed": list(article.removed),
        "attributed_to": list(article.attributed_to),
    }


def outlet_item(
    name: str, count: int, sample: Article | None, directory: Directory = EMPTY
) -> dict[str, Any]:
    """An outlet in a list: its leaning (file, else what its articles carry) and kind (file, else its label)."""
    site = sample.url.split("/", 3)[:3] if sample and sample.url else None
    # one article's section says nothing of the outlet: only its site and leaning are read
    probe = Article(
        id="",
        title="",
        text="",
        outlet=name,
        url="/".join(site) if site else None,
        metadata={"leaning": sample.metadata.get("leaning")} if sample else {},
    )
    info = outlet_info(probe, directory)
    return {"outlet": name, "articles": count, "leaning": info.leaning, "kind": info.kind}
