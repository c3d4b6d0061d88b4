"""Hand-built analysed articles for the compare and summarize tests (no model needed)."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from newsweave.model import AnalyzedArticle, Article, Sentence

DIM = 256


class WordEmbedder:
    """An :class:`~newsweave.analyze._base.Embedder` of :func:`bag_of_words_vector` rows: no model."""

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.array([bag_of_words_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)


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


_VALUES = re.compile(
    r"\b(?:\d[\d,.]*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|not|never|no)\b", re.I
)


class WordJudge:
    """A deterministic stand-in for the support judge, for testing what the story stages do
    with verdicts: two sentences with the same content words state each other (entails); the
    same content words with different values (a day, a number, "not") contradict; sentences
    sharing some words are related; the rest unrelated. ``asked`` records every pair judged."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def judge(self, pairs):  # type: ignore[no-untyped-def]
        from newsweave.judge import Verdict

        out = []
        for a, b in pairs:
            self.asked.append((a, b))
            wa, wb = _content(a), _content(b)
            overlap = len(wa & wb) / max(1, min(len(wa), len(wb)))
            values_differ = {v.lower() for v in _VALUES.findall(a)} != {v.lower() for v in _VALUES.findall(b)}
            if overlap >= 0.8 and values_differ:
                out.append(Verdict(0.02, 0.9, 0.06, 0.02))
            elif overlap >= 0.8:
                out.append(Verdict(0.9, 0.02, 0.06, 0.02))
            elif overlap >= 0.3:
                out.append(Verdict(0.1, 0.02, 0.8, 0.08))
            else:
                out.append(Verdict(0.01, 0.01, 0.08, 0.9))
        return out


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3} - {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "said",
        "says",
        "with",
        "about",
    }
