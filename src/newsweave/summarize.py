"""Extractive multi-document summary of one story, every sentence citing its articles.

Public entry point: :func:`summarize_story`.

Sentences are scored for what the outlets agree on first (number of independent sources
whose articles say the same, from :class:`newsweave.compare.Comparison`), then for how
central they are to the story and how early their article tells them (news puts the
event first). Maximal marginal relevance picks them without repeating a fact, within a
word budget, and they are printed in time order. A summary sentence is always a sentence
of one article (glued-on headings dropped at most), and ``sources`` lists every article
that supports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsweave.compare import Comparison, claim_text, is_claim_sentence, sentence_vectors
from newsweave.model import AnalyzedArticle, Story, SummarySentence

# Weights of the sentence score (tuned on the NeuS/AllSides *train* split, see benchmarks/summary.py).
SUPPORT_WEIGHT = 0.25  # per extra independent source saying the same
CENTRALITY_WEIGHT = 1.0
LEXICAL_WEIGHT = 2.0  # words shared with the other articles' sentences: lexical corroboration
LEAD_WEIGHT = 0.35  # first sentence of an article gets it all, the second half, ...
DISPUTED_PENALTY = 0.5  # a sentence another outlet contradicts is not for the summary unless nothing else fits
MMR_LAMBDA = 0.9
# Two sentences this close say the same thing: never both in one summary.
REDUNDANT_COSINE = 0.75
MIN_WORDS_LEFT = 3  # stop filling when fewer words than this remain


@dataclass
class _Candidate:
    article: str
    index: int
    position: int
    text: str
    words: int
    row: int  # row in the story's sentence vector matrix


def summarize_story(
    story: Story, analyzed: Sequence[AnalyzedArticle], comparison: Comparison, words: int = 100
) -> tuple[str, list[SummarySentence]]:
    """(headline, summary) for ``story``; the summary stays within ``words`` words."""
    members = [a for a in analyzed if not story.articles or a.article.id in set(story.articles)]
    if not members:
        return story.headline, []
    vectors = sentence_vectors(members)
    candidates = _candidates(members)
    if not candidates:
        return _headline(story, members, comparison, vectors, []), []
    scores = _scores(candidates, vectors, comparison)
    chosen = _select(candidates, scores, vectors, words)
    ordered = _in_time_order(chosen, members)
    summary = [SummarySentence(text=c.text, sources=_sources(c, comparison)) for c in ordered]
    return _headline(story, members, comparison, vectors, chosen), summary


def _candidates(members: Sequence[AnalyzedArticle]) -> list[_Candidate]:
    out = []
    row = 0
    for m in members:
        for position, s in enumerate(m.sentences):
            text = claim_text(s.text)
            if is_claim_sentence(text) and not _is_dangling(text):
                out.append(_Candidate(m.article.id, s.index, position, text, len(text.split()), row))
            row += 1
    return out


def _is_dangling(text: str) -> bool:
    # a sentence opening on an unresolved pronoun or connective reads wrong out of its article
    first = text.split()[0].lower().strip("“\"'")
    return first in {"he", "she", "they", "it", "this", "these", "those", "but", "however", "also", "and"}


def _scores(candidates: list[_Candidate], vectors: np.ndarray, comparison: Comparison) -> np.ndarray:
    rows = vectors[[c.row for c in candidates]]
    centroid = rows.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = rows @ centroid
    support = np.array([_independent_support(c, comparison) for c in candidates], dtype=float)
    lead = np.array([1.0 / (1.0 + c.position) for c in candidates])
    lexical = _lexical_corroboration(candidates)
    disputed = np.array([c.index in comparison.disputed.get(c.article, ()) for c in candidates], dtype=float)
    return (CENTRALITY_WEIGHT * centrality + LEXICAL_WEIGHT * lexical + SUPPORT_WEIGHT * np.minimum(support - 1, 3) + LEAD_WEIGHT * lead
            - DISPUTED_PENALTY * disputed)


def _lexical_corroboration(candidates: list[_Candidate]) -> np.ndarray:
    """Mean TF-IDF cosine of each sentence to the sentences of the *other* articles.

    The embedding tells that two outlets speak of the same thing; shared words tell that they
    report it the same way, which is what a neutral summary keeps.
    """
    if len({c.article for c in candidates}) < 2:
        return np.zeros(len(candidates))
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform([c.text for c in candidates])
    sim = (matrix @ matrix.T).toarray()
    articles = np.array([c.article for c in candidates])
    other = articles[:, None] != articles[None, :]
    return np.array([sim[i, other[i]].mean() if other[i].any() else 0.0 for i in range(len(candidates))])


def _independent_support(c: _Candidate, comparison: Comparison) -> int:
    articles = comparison.support.get(c.article, {}).get(c.index, [c.article])
    return len({comparison.groups.get(a, a) for a in articles})


def _select(candidates: list[_Candidate], scores: np.ndarray, vectors: np.ndarray, budget: int) -> list[_Candidate]:
    """Maximal marginal relevance under a word budget: the best next sentence that fits and repeats nothing."""
    chosen: list[int] = []
    left = budget
    remaining = set(range(len(candidates)))
    while remaining and left >= MIN_WORDS_LEFT:
        best, best_value = None, -np.inf
        for i in remaining:
            if candidates[i].words > left:
                continue
            overlap = max((float(vectors[candidates[i].row] @ vectors[candidates[j].row]) for j in chosen), default=0.0)
            if overlap >= REDUNDANT_COSINE:
                continue
            value = MMR_LAMBDA * scores[i] - (1 - MMR_LAMBDA) * overlap
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        chosen.append(best)
        left -= candidates[best].words
        remaining.discard(best)
    if not chosen:  # even the shortest sentence is over budget: keep the best one, trimmed to the budget
        top = candidates[int(np.argmax(scores))]
        words = top.text.split()
        return [_Candidate(top.article, top.index, top.position, " ".join(words[:budget]), budget, top.row)]
    return [candidates[i] for i in chosen]


def _in_time_order(chosen: list[_Candidate], members: Sequence[AnalyzedArticle]) -> list[_Candidate]:
    """Order by the day a sentence speaks of when the analysis resolved one, else its article's date.

    Ties keep the article's own order, so a lead stays before what follows it.
    """
    by_id = {m.article.id: m for m in members}

    def when(c: _Candidate) -> tuple[str, int, int]:
        m = by_id[c.article]
        days = sorted(d.value for d in m.dates if d.sentence == c.index and d.precision == "day")
        order = next(i for i, x in enumerate(members) if x.article.id == c.article)
        return (days[0] if days else (m.article.published or ""), c.position, order)

    return sorted(chosen, key=when)


def _sources(c: _Candidate, comparison: Comparison) -> list[str]:
    supporters = comparison.support.get(c.article, {}).get(c.index, [])
    return [c.article] + [a for a in supporters if a != c.article]


def _headline(
    story: Story, members: Sequence[AnalyzedArticle], comparison: Comparison, vectors: np.ndarray,
    chosen: list[_Candidate],
) -> str:
    """The most central real title of the story, from an article not flagged as padded or stuffed."""
    clean = [m for m in members if m.article.title.strip() and not comparison.flags.get(m.article.id)]
    pool = clean or [m for m in members if m.article.title.strip()]
    if not pool:
        return chosen[0].text if chosen else story.headline
    if len(pool) == 1:
        return pool[0].article.title.strip()
    from newsweave.compare import _embed

    titles = _embed([m.article.title for m in pool])
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    return pool[int(np.argmax(titles @ centroid))].article.title.strip()
