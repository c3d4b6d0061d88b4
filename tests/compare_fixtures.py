"""Hand-built analysed articles for the compare and summarize tests (no model needed)."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from newsweave.model import AnalyzedArticle, Article, Sentence

DIM = 256


def bag_of_words_vector(text: str) -> list[float]:
    """A deterministic stand-in for the sentence embedding: hashed content words, unit length."""
    v = np.zeros(DIM)
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if len(w) > 3:
            v[int(hashlib.md5(w.encode()).hexdigest(), 16) % DIM] += 1.0
    n = np.linalg.norm(v)
    return (v / n if n else v).tolist()


def analyzed(article_id: str, outlet: str | None, sentences: list[str], title: str = "") -> AnalyzedArticle:
    text = " ".join(sentences)
    out, start = [], 0
    for i, s in enumerate(sentences):
        out.append(Sentence(article_id, i, start, start + len(s), s))
        start += len(s) + 1
    return AnalyzedArticle(
        article=Article(id=article_id, title=title, text=text, outlet=outlet),
        sentences=out,
        sentence_vectors=[bag_of_words_vector(s) for s in sentences],
    )
