"""Exact and near-duplicate articles: wire copies republished with small edits.

Public entry point: :func:`find_duplicates`. Exact copies share a hash of the
normalised body; near copies are found with MinHash LSH over word shingles and
confirmed on the exact shingle sets, so the estimate never decides alone. How copies then
count as sources is :mod:`newsweave.story.sources`'s rule.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from newsweave.config import ClusterConfig
from newsweave.model import AnalyzedArticle, Article
from newsweave.vocab import WORD

SHINGLE_WORDS = 5
NUM_PERM = 128
# LSH only proposes pairs; a low bar here finds truncated copies (low Jaccard, high containment)
CANDIDATE_JACCARD = 0.3
# a copy cut short by the republisher: nearly all of the shorter text inside the longer one
CONTAINMENT = 0.9
MIN_SHINGLES_FOR_CONTAINMENT = 20  # below this a short brief would be "contained" by chance


def find_duplicates(analyzed: list[AnalyzedArticle], config: ClusterConfig | None = None) -> dict[str, str]:
    """Map each duplicate article id to the id of the original it copies.

    The original of a group of copies is the earliest published, then the
    smallest id, so the answer does not depend on input order.
    """
    config = config or ClusterConfig()
    articles = sorted((a.article for a in analyzed), key=_original_rank)
    shingles = {a.id: _shingles(_body(a)) for a in articles}
    parent = {a.id: a.id for a in articles}
    for first, second in _exact_pairs(articles) + _near_pairs(articles, shingles, config.dedup_threshold):
        _union(parent, first, second)
    rank = {a.id: i for i, a in enumerate(articles)}
    groups: dict[str, list[str]] = {}
    for a in articles:
        groups.setdefault(_find(parent, a.id), []).append(a.id)
    duplicate_of: dict[str, str] = {}
    for members in groups.values():
        original = min(members, key=rank.__getitem__)
        for member in members:
            if member != original:
                duplicate_of[member] = original
    return duplicate_of


def normalised_text(text: str) -> str:
    """Case, accents, punctuation and spacing removed: what two copies of one text share."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(WORD.findall(folded))


def _original_rank(article: Article) -> tuple[int, str, str]:
    # undated articles rank after dated ones: a dated copy is the better-attested original
    return (0 if article.published else 1, article.published or "", article.id)


def _body(article: Article) -> str:
    return normalised_text(article.text) or normalised_text(article.title)


def _shingles(text: str) -> set[str]:
    words = text.split()
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _exact_pairs(articles: list[Article]) -> list[tuple[str, str]]:
    first_with: dict[str, str] = {}
    pairs = []
    for a in articles:
        body = _body(a)
        if not body:
            continue
        digest = hashlib.sha1(body.encode("utf-8")).hexdigest()
        if digest in first_with:
            pairs.append((first_with[digest], a.id))
        else:
            first_with[digest] = a.id
    return pairs


@lru_cache(maxsize=8)
def _lsh_bands(threshold: float) -> tuple[int, int]:
    """Bands and rows for ``threshold``; datasketch finds them by numerical integration, so once is enough."""
    probe = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return probe.b, probe.r


@lru_cache(maxsize=1)
def _empty_signature() -> MinHash:
    """An empty seed-1 signature to copy: a new MinHash would redraw its hash permutations every time."""
    return MinHash(num_perm=NUM_PERM, seed=1)


def _near_pairs(
    articles: list[Article], shingles: dict[str, set[str]], threshold: float
) -> list[tuple[str, str]]:
    lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_bands(min(CANDIDATE_JACCARD, threshold)))
    pairs = []
    for a in articles:
        own = shingles[a.id]
        if not own:
            continue
        signature = _empty_signature().copy()
        signature.update_batch([s.encode("utf-8") for s in own])
        for other in sorted(lsh.query(signature)):
            if _is_copy(own, shingles[other], threshold):
                pairs.append((other, a.id))
        lsh.insert(a.id, signature)
    return pairs


def _is_copy(a: set[str], b: set[str], threshold: float) -> bool:
    shared = len(a & b)
    if shared == 0:
        return False
    if shared / len(a | b) >= threshold:
        return True
    smaller = min(len(a), len(b))
    return smaller >= MIN_SHINGLES_FOR_CONTAINMENT and shared / smaller >= max(threshold, CONTAINMENT)


def _find(parent: dict[str, str], item: str) -> str:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _union(parent: dict[str, str], a: str, b: str) -> None:
    root_a, root_b = _find(parent, a), _find(parent, b)
    if root_a != root_b:
        parent[max(root_a, root_b)] = min(root_a, root_b)
