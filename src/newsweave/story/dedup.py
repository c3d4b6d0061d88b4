"""Exact and near-duplicate articles: wire copies republished with small edits.

Public entry point: :func:`find_duplicates`. Exact copies share a hash of the
normalised body; near copies are found with MinHash LSH over word shingles and
confirmed on the exact shingle sets, so the estimate never decides alone. How copies then
count as sources is :mod:`newsweave.story.sources`'s rule.
"""

from __future__ import annotations

import hashlib
import math
import struct
import unicodedata
from functools import lru_cache

import numpy as np

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


# MinHash and its banded index as datasketch 2.0 computes them (seed 1, 32-bit SHA-1 hashes, its
# "affine32" permutations after the MurmurHash3 finalizer), so the pairs offered are the ones
# it offered; importing datasketch brought scipy.integrate into every process that fills a
# story (0.55 CPU s), for the few lines below.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """NUM_PERM odd multipliers and offsets, h -> a * h + b modulo 2^32, drawn as datasketch draws them."""
    draw = np.random.RandomState(1)
    a = draw.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(shingles: set[str]) -> np.ndarray:
    """The NUM_PERM minimum hashes of a non-empty set of shingles (uint32)."""
    hashes = np.array(
        [struct.unpack("<I", hashlib.sha1(s.encode("utf-8")).digest()[:4])[0] for s in shingles],
        dtype=np.uint32,
    ).reshape(-1, 1)
    first, multiplier, second, multiplier2, third = (np.uint32(c) for c in _FMIX32)
    hashes = hashes ^ (hashes >> first)
    hashes = hashes * multiplier
    hashes = hashes ^ (hashes >> second)
    hashes = hashes * multiplier2
    hashes = hashes ^ (hashes >> third)
    a, b = _permutations()
    signature: np.ndarray = (hashes * a + b).min(axis=0)
    return signature


@lru_cache(maxsize=8)
def lsh_bands(threshold: float) -> tuple[int, int]:
    """Bands and rows per band for an index of ``threshold``: of every split of NUM_PERM hashes,
    the one with the least false positives below it plus false negatives above it, as
    datasketch chooses. The two probabilities are integrals of polynomials of degree at most
    NUM_PERM, which Gauss-Legendre quadrature on 96 points integrates exactly."""
    nodes, weights = np.polynomial.legendre.leggauss(96)
    below = threshold / 2 * (nodes + 1)  # the nodes mapped onto [0, threshold] and [threshold, 1]
    above = threshold + (1 - threshold) / 2 * (nodes + 1)
    best, choice = math.inf, (0, 0)
    for bands in range(1, NUM_PERM + 1):
        for rows in range(1, NUM_PERM // bands + 1):
            false_positive = threshold / 2 * float(weights @ (1 - (1 - below**rows) ** bands))
            false_negative = (1 - threshold) / 2 * float(weights @ ((1 - above**rows) ** bands))
            error = 0.5 * false_positive + 0.5 * false_negative
            if error < best:
                best, choice = error, (bands, rows)
    return choice


def _near_pairs(
    articles: list[Article], shingles: dict[str, set[str]], threshold: float
) -> list[tuple[str, str]]:
    bands, rows = lsh_bands(min(CANDIDATE_JACCARD, threshold))
    tables: list[dict[bytes, list[str]]] = [{} for _ in range(bands)]
    pairs = []
    for a in articles:
        own = shingles[a.id]
        if not own:
            continue
        signature = minhash(own)
        keys = [signature[i * rows : (i + 1) * rows].tobytes() for i in range(bands)]
        offered = {other for table, key in zip(tables, keys, strict=True) for other in table.get(key, ())}
        for other in sorted(offered):
            if _is_copy(own, shingles[other], threshold):
                pairs.append((other, a.id))
        for table, key in zip(tables, keys, strict=True):
            table.setdefault(key, []).append(a.id)
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
