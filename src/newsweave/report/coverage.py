"""How a story's coverage splits by outlet leaning, and which stories only one side covers.

Public entry points: :func:`coverage_of` and :func:`blindspot`. A story's split counts
*independent news sources* (:func:`newsweave.story.dedup.source_keys`): a wire copy, a second
article of one outlet, an opinion piece and an outlet nobody rated add nothing to a side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from newsweave.model import Article
from newsweave.outlets import EMPTY, LEANINGS, Directory, Leaning, outlet_info
from newsweave.story.sources import source_keys

# A story is a blindspot of the other sides only when at least this many rated outlets covered it,
# all from one side: a single report is just that, not a sign the other sides looked away.
BLINDSPOT_MIN_OUTLETS = 2


@dataclass
class Coverage:
    """Independent outlets of a story per leaning; ``unrated`` are known outlets without a leaning."""

    sides: dict[str, list[str]] = field(default_factory=lambda: {side: [] for side in LEANINGS})
    unrated: list[str] = field(default_factory=list)

    @property
    def rated(self) -> int:
        return sum(len(v) for v in self.sides.values())

    def share(self, side: str) -> float:
        return len(self.sides[side]) / self.rated if self.rated else 0.0

    @property
    def only(self) -> Leaning | None:
        """The one side that covered the story, when it is a blindspot of the others."""
        covering = [side for side in LEANINGS if self.sides[side]]
        if len(covering) == 1 and self.rated >= BLINDSPOT_MIN_OUTLETS:
            return covering[0]
        return None


def coverage_of(
    articles: Iterable[Article], duplicate_of: Mapping[str, str] | None = None, directory: Directory = EMPTY
) -> Coverage:
    members = list(articles)
    keys = source_keys(
        members, duplicate_of or {a.id: a.duplicate_of for a in members if a.duplicate_of}, directory
    )
    seen: set[str] = set()
    coverage = Coverage()
    for article in members:
        key = keys.get(article.id)
        if key is None or key in seen:
            continue
        seen.add(key)
        info = outlet_info(article, directory)
        (coverage.sides[info.leaning] if info.leaning else coverage.unrated).append(info.label)
    for names in (*coverage.sides.values(), coverage.unrated):
        names.sort(key=str.casefold)
    return coverage


def blindspot(articles: Iterable[Article], directory: Directory = EMPTY) -> Leaning | None:
    """The side that alone covered these articles' story, or None."""
    return coverage_of(articles, directory=directory).only
