"""Which articles count as independent sources: the one rule every count follows.

The comparison's corroboration, the story's outlet count, the coverage bar and the pages all ask
:func:`source_keys` (or the helpers on it): a copy counts as its original, two articles of one
outlet are one source, and an article of an unknown outlet or an opinion piece is no source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from newsweave.model import AnalyzedArticle, Article
from newsweave.outlets import EMPTY, Directory, outlet_info

NO_SOURCE = "none:"  # group key prefix of an article that is no independent source


def source_keys(
    articles: Iterable[Article], duplicate_of: Mapping[str, str], directory: Directory = EMPTY
) -> dict[str, str | None]:
    """Article id -> the key of the independent news source it stands for, or None when it stands for none.

    The one rule of independence that every count follows (the comparison's corroboration,
    the story's outlet count, the pages): a copy counts as its original; two articles of one
    outlet are one source; an article whose outlet is unknown, and an opinion or analysis
    piece, is no independent source (it cannot corroborate: we cannot show it is not a copy,
    or it reports no fact of its own). A copy whose original is not among ``articles`` counts
    with the other copies of that original.
    """
    by_id = {a.id: a for a in articles}
    keys: dict[str, str | None] = {}
    for article in by_id.values():
        root = original_of(article.id, duplicate_of)
        info = outlet_info(article, directory)
        if root != article.id and root not in by_id:
            keys[article.id] = f"text:{root}" if info.corroborates else None
            continue
        source = outlet_info(by_id[root], directory)
        both = source.corroborates and info.corroborates
        keys[article.id] = f"outlet:{source.label.casefold()}" if both else None
    return keys


def independent_sources(
    articles: Iterable[Article], duplicate_of: Mapping[str, str], directory: Directory = EMPTY
) -> int:
    """How many independent news sources ``articles`` stand for (see :func:`source_keys`)."""
    return len({k for k in source_keys(articles, duplicate_of, directory).values() if k is not None})


def original_of(article_id: str, duplicate_of: Mapping[str, str]) -> str:
    """The article a copy (or a copy of a copy) was made from; an original is its own."""
    seen = {article_id}
    while article_id in duplicate_of:
        article_id = duplicate_of[article_id]
        if article_id in seen:  # a cycle in a hand-made map: stop rather than loop
            break
        seen.add(article_id)
    return article_id


def independence_groups(members: Sequence[AnalyzedArticle], duplicate_of: dict[str, str]) -> dict[str, str]:
    """Article id -> the key of its independent source (:func:`newsweave.story.dedup.source_keys`).

    An article that is no independent source (unknown outlet, opinion piece) gets a group of
    its own whose key starts with ``NO_SOURCE``: it keeps its claims apart, but never counts
    towards corroboration.
    """
    keys = source_keys([m.article for m in members], duplicate_of)
    return {a: key or f"{NO_SOURCE}{a}" for a, key in keys.items()}


def counts_as_source(group: str) -> bool:
    return not group.startswith(NO_SOURCE)
