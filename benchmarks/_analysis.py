"""Shared by the compare/summary benchmarks: analysed articles with cached sentence vectors."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsweave.analyze import analyze_articles
from newsweave.config import AnalyzeConfig
from newsweave.model import AnalyzedArticle, Article

CACHE = Path("/tmp/newsweave-bench-cache")


def embed_cached(texts: Sequence[str]) -> np.ndarray:
    """MiniLM vectors of ``texts``, cached on disk by content (tuning reruns cost nothing)."""
    from newsweave.analyze.embed import MODEL_ID, embed_texts

    key = hashlib.sha256("\x1e".join([MODEL_ID, *texts]).encode("utf-8")).hexdigest()[:24]
    path = CACHE / f"emb-{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = (
        np.asarray(embed_texts(list(texts)), dtype=np.float32) if texts else np.zeros((0, 384), np.float32)
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def analyze_with_vectors(articles: Sequence[Article]) -> list[AnalyzedArticle]:
    """Run the analysis (no document embedding) and attach one cached vector per sentence."""
    analyzed = analyze_articles(list(articles), AnalyzeConfig(embed=False))
    texts = [s.text for a in analyzed for s in a.sentences]
    vectors = embed_cached(texts)
    row = 0
    for a in analyzed:
        a.sentence_vectors = [v.tolist() for v in vectors[row : row + len(a.sentences)]]
        row += len(a.sentences)
    return analyzed
