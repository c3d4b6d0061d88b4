"""Extractive multi-document summary of one story, every sentence citing its articles.

Public entry point: :func:`summarize_story`.

Sentences are scored for what the outlets agree on first (independent sources saying the same,
from :class:`newsweave.story.compare.Comparison`, and words shared with the other articles), then
for how central they are to the story and how early their article tells them (news puts the
event first). Maximal marginal relevance picks them without repeating a fact, within a word
budget, valuing a sentence by what it brings per word spent, and they are printed in time
order.

A summary sentence is always one sentence of one article, *unchanged*: no clause, attribution,
parenthetical or dateline is dropped (a shortened sentence can say something its article does
not: "Putin might meet Choe" without "Peskov told journalists"), and never a cut fragment.
``sources`` lists the article it comes from and every other article whose own sentence the
support judge says states it; ``evidence`` holds those sentences. Two sentences the judge says
state each other never both stand in one summary, nor two close ones that give the same figure
(the AllSides jobless-claims story gave "293,000" in three of its five sentences, each adding
another detail; NeuS val, 307 stories: ROUGE-1/2/L 39.23/17.79/27.48 before, 39.25/17.80/27.52).
"""

from __future__ import annotations

import ast
import importlib.util
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from newsweave.analyze._base import Embedder
from newsweave.judge import SupportJudge, default_judge
from newsweave.model import AnalyzedArticle, Story, SummarySentence
from newsweave.story.cite import Citer
from newsweave.story.compare import Comparison, claim_text, embed_with, is_claim_sentence, sentence_vectors

# Weights of the sentence score (tuned on the NeuS/AllSides *train* split, see benchmarks/summary.py).
SUPPORT_WEIGHT = 0.5  # per extra independent source saying the same
CENTRALITY_WEIGHT = 0.5
LEXICAL_WEIGHT = 4.0  # words shared with the other articles' sentences: lexical corroboration
TITLE_WEIGHT = 3.0  # words shared with the articles' titles, which are summaries written by the outlets
LEAD_WEIGHT = 0.7  # first sentence of an article gets it all, the second half, ...
DISPUTED_PENALTY = (
    0.5  # a sentence another outlet contradicts is not for the summary unless nothing else fits
)
# a keyword-stuffed or padded rewrite repeats the others in worse words: its sentences come last
FLAGGED_PENALTY = 1.0
_QUALITY_FLAGS = frozenset({"keyword_stuffing", "low_originality"})
LENGTH_EXPONENT = 0.0  # value per word: score / words**exponent (0 = whole-sentence value)
MMR_LAMBDA = 0.9
# Two sentences this close say the same thing: never both in one summary.
REDUNDANT_COSINE = 0.75
# Closer than this, the judge is asked whether two sentences state each other.
JUDGED_REDUNDANCY_COSINE = 0.5
MIN_WORDS_LEFT = 3  # stop filling when fewer words than this remain


@dataclass
class _Candidate:
    article: str
    index: int
    position: int
    text: str  # the sentence as the summary prints it: the article's, unchanged
    words: int
    row: int  # row in the story's sentence vector matrix


def summarize_story(
    story: Story,
    analyzed: Sequence[AnalyzedArticle],
    comparison: Comparison,
    words: int = 100,
    judge: SupportJudge | None = None,
    embedder: Embedder | None = None,
) -> tuple[str, list[SummarySentence]]:
    """(headline, summary) for ``story``; the summary stays within ``words`` words (but for a
    story whose every sentence is longer: then its best sentence, whole). Vectors the analysis
    did not store are embedded by ``embedder`` (the shipped MiniLM when None); ``judge`` decides
    which articles state a sentence (the comparison's, else the shipped one)."""
    members = [a for a in analyzed if not story.articles or a.article.id in set(story.articles)]
    if not members:
        return story.headline, []
    vectors = sentence_vectors(members, embedder)
    candidates = _candidates(members)
    if not candidates:
        return _headline(story, members, comparison, vectors, [], embedder), []
    citer = (
        comparison.citer
        if comparison.citer is not None and judge is None
        else Citer(
            members,
            vectors,
            judge if judge is not None else default_judge(),
            {a: e.id for e in story.events for a in e.articles},
        )
    )
    scores = _scores(candidates, vectors, comparison, members)
    chosen = _select(candidates, scores, vectors, words, citer)
    ordered = _in_time_order(chosen, members)
    summary = []
    citer.prefetch([(c.article, c.position) for c in ordered])  # one call to the judge for them all
    for c in ordered:
        evidence = citer.evidence(c.article, c.position)
        summary.append(SummarySentence(text=c.text, sources=[e.article for e in evidence], evidence=evidence))
    return _headline(story, members, comparison, vectors, chosen, embedder), summary


def _candidates(members: Sequence[AnalyzedArticle]) -> list[_Candidate]:
    out: list[_Candidate] = []
    pieces: list[_Candidate] = []
    row = 0
    for m in members:
        for position, s in enumerate(m.sentences):
            text = claim_text(s.text)
            if is_claim_sentence(text) and not _is_dangling(text):
                candidate = _Candidate(m.article.id, s.index, position, text, len(text.split()), row)
                (pieces if _splits_a_quotation(text) else out).append(candidate)
            row += 1
    return out or pieces


def _splits_a_quotation(text: str) -> bool:
    """Whether the sentence splitter cut a quotation: an odd number of double quote marks.

    Such a piece is half of what someone said, often without who said it ("Get to work
    immediately," Biden told reporters. / “They’re children of God and have a right to a
    family.), so it is used only when a story has nothing else.
    """
    return (text.count('"') + text.count("“") + text.count("”")) % 2 == 1


def _is_dangling(text: str) -> bool:
    """A sentence leaning on the one before it ("He said...", "However, ..."): it reads wrong,
    or says something else, out of its article."""
    word = text.split()[0].lower().strip("“\"'").rstrip(",") if text.split() else ""
    return word in _LEANS_ON_BEFORE


_LEANS_ON_BEFORE = frozenset(
    {
        "he",
        "she",
        "they",
        "it",
        "this",
        "these",
        "those",
        "but",
        "however",
        "also",
        "and",
        "meanwhile",
        "moreover",
        "furthermore",
        "additionally",
        "instead",
        "still",
        "yet",
        "nevertheless",
        "nonetheless",
        "separately",
        "indeed",
        "so",
        "then",
        "his",
        "her",
        "their",
        "its",
    }
)


# --- scoring ------------------------------------------------------------------------------------


def _scores(
    candidates: list[_Candidate],
    vectors: np.ndarray,
    comparison: Comparison,
    members: Sequence[AnalyzedArticle],
) -> np.ndarray:
    rows = vectors[[c.row for c in candidates]]
    centroid = rows.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = rows @ centroid
    support = np.array([_independent_support(c, comparison) for c in candidates], dtype=float)
    lead = np.array([1.0 / (1.0 + c.position) for c in candidates])
    lexical, title = _lexical_corroboration(candidates, [m.article.title for m in members])
    disputed = np.array([c.index in comparison.disputed.get(c.article, ()) for c in candidates], dtype=float)
    flagged_articles = {
        m.article.id
        for m in members
        if _QUALITY_FLAGS & (set(m.article.flags) | set(comparison.flags.get(m.article.id, ())))
    }
    flagged = np.array([c.article in flagged_articles for c in candidates], dtype=float)
    scores: np.ndarray = (
        CENTRALITY_WEIGHT * centrality
        + LEXICAL_WEIGHT * lexical
        + TITLE_WEIGHT * title
        + SUPPORT_WEIGHT * np.minimum(support - 1, 3)
        + LEAD_WEIGHT * lead
        - DISPUTED_PENALTY * disputed
        - FLAGGED_PENALTY * flagged
    )
    return scores


def _lexical_corroboration(candidates: list[_Candidate], titles: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Mean TF-IDF cosine of each sentence to the *other* articles' sentences, and to the titles.

    The embedding tells that two outlets speak of the same thing; shared words tell that they
    report it the same way, which is what a neutral summary keeps.
    """
    titles = [t for t in titles if t.strip()]
    texts = [c.text for c in candidates]
    sim = tfidf_similarities(texts + titles)
    if sim is None:  # nothing but stopwords
        return np.zeros(len(candidates)), np.zeros(len(candidates))
    n = len(candidates)
    title = sim[:n, n:].mean(axis=1) if titles else np.zeros(n)
    articles = np.array([c.article for c in candidates])
    other = articles[:, None] != articles[None, :]
    lexical = np.array([sim[i, :n][other[i]].mean() if other[i].any() else 0.0 for i in range(n)])
    return lexical, title


# scikit-learn's TfidfVectorizer(stop_words="english", sublinear_tf=True), computed here: its
# import (scipy.stats with it) cost every process that filled a story 0.45 s, 1.0 s with scipy
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tfidf_similarities(docs: list[str]) -> np.ndarray | None:
    """The cosine of every two of ``docs``' TF-IDF vectors (words of two letters or more, lower
    case, English stop words out; 1 + log of the count, times the smoothed idf, unit length);
    None when no word is left. Off the diagonal, each cosine is the one scikit-learn's
    vectorizer gives, to the last bit: the same operations in the same order, which is the
    order in which the documents first use each word (its sparse rows keep that order)."""
    stop = english_stop_words()
    counts = [Counter(w for w in _TOKEN.findall(d.lower()) if w not in stop) for d in docs]
    first_seen: dict[str, int] = {}
    for c in counts:
        for w in c:
            first_seen.setdefault(w, len(first_seen))
    if not first_seen:
        return None
    rows = [sorted(first_seen[w] for w in c) for c in counts]
    flat = np.array([j for row in rows for j in row], dtype=np.int64)
    data = np.array([c[w] for c in counts for w in sorted(c, key=first_seen.__getitem__)], np.float64)
    np.log(data, data)
    data += 1.0
    documents = np.bincount(flat, minlength=len(first_seen))  # per word, the documents holding it
    df = documents.astype(np.float64) + 1.0
    idf = np.full_like(df, fill_value=len(docs) + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[flat]
    dense = np.zeros((len(docs), len(first_seen)), dtype=np.float64)
    start = 0
    for i, row in enumerate(rows):
        values = data[start : start + len(row)]
        start += len(row)
        norm = 0.0
        for v in values.tolist():  # summed one by one in row order, as the sparse normalisation does
            norm += v * v
        if norm:
            dense[i, row] = values / math.sqrt(norm)
    sim = np.zeros((len(docs), len(docs)), dtype=np.float64)
    # word by word in that order; a word in one document adds nothing off the diagonal
    for j in np.flatnonzero(documents >= 2):
        sim += np.outer(dense[:, j], dense[:, j])
    return sim


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (the Glasgow IR group's list), read from its source
    file rather than imported: importing any part of scikit-learn imports the whole of it."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scikit-learn is not installed; its English stop word list is read from it")
    path = Path(spec.submodule_search_locations[0]) / "feature_extraction" / "_stop_words.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ENGLISH_STOP_WORDS" for t in node.targets
        ):
            assert isinstance(node.value, ast.Call)
            return frozenset(ast.literal_eval(node.value.args[0]))
    raise RuntimeError(f"no ENGLISH_STOP_WORDS in {path}")


def _independent_support(c: _Candidate, comparison: Comparison) -> int:
    articles = comparison.support.get(c.article, {}).get(c.index, [c.article])
    return len({comparison.groups.get(a, a) for a in articles})


# --- selection ----------------------------------------------------------------------------------


def _select(
    candidates: list[_Candidate], scores: np.ndarray, vectors: np.ndarray, budget: int, citer: Citer
) -> list[_Candidate]:
    """Maximal marginal relevance under a word budget: the best next sentence that fits and repeats nothing
    (neither paraphrase-close to a chosen one, nor stating one by the judge).

    A sentence is valued per word it costs (``LENGTH_EXPONENT``), so that two short sentences
    can beat one long one that would leave the rest of the budget empty.
    """
    # Measured on NeuS/AllSides train (stories 0-1200, 60 words), none of these beat this greedy
    # pick: filling the words left over (even with the next sentence cut to fit: -0.1 ROUGE-1),
    # an exact knapsack over the top 8-16 sentences by total score (-0.2), choosing the subset
    # by an expected-ROUGE model of which words an editor keeps (+0.1, at -0.7 ROUGE-2), and
    # shorter trimmed variants (clause cut at a comma) offered to that search (+0.0).
    chosen: list[int] = []
    left = budget
    remaining = set(range(len(candidates)))
    cost = np.array([max(c.words, 1) for c in candidates], dtype=float) ** LENGTH_EXPONENT
    while remaining and left >= MIN_WORDS_LEFT:
        best, best_value = None, -np.inf
        for i in remaining:
            if candidates[i].words > left:
                continue
            overlap = max(
                (float(vectors[candidates[i].row] @ vectors[candidates[j].row]) for j in chosen), default=0.0
            )
            if overlap >= REDUNDANT_COSINE:
                continue
            value = (MMR_LAMBDA * scores[i] - (1 - MMR_LAMBDA) * overlap) / cost[i]
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        remaining.discard(best)
        if _repeats(candidates[best], [candidates[j] for j in chosen], vectors, citer):
            continue
        chosen.append(best)
        left -= candidates[best].words
    if not chosen:  # even the shortest sentence is over budget: the best one, whole (never a cut fragment)
        return [candidates[int(np.argmax(scores))]]
    return [candidates[i] for i in chosen]


def _repeats(c: _Candidate, chosen: list[_Candidate], vectors: np.ndarray, citer: Citer) -> bool:
    """Whether ``c`` repeats a chosen sentence close to it: the judge says they state each other,
    or both give the same figure (a count or amount of three or more digits)."""
    figures = set(_FIGURE.findall(c.text))
    return any(
        float(vectors[c.row] @ vectors[d.row]) >= JUDGED_REDUNDANCY_COSINE
        and (
            bool(figures.intersection(_FIGURE.findall(d.text)))
            or citer.says_same((c.article, c.position), (d.article, d.position))
        )
        for d in chosen
    )


# a count or amount as written ("293,000", "344750", "1,657.50"): digits with thousands separators,
# or three or more digits that are not a year ("2.59" and "2020" are not figures here)
_FIGURE = re.compile(
    r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|(?!(?:19|20)\d\d(?!\d))\d{3,})(?:\.\d+)?(?!\d|[.,]\d)"
)


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


def _headline(
    story: Story,
    members: Sequence[AnalyzedArticle],
    comparison: Comparison,
    vectors: np.ndarray,
    chosen: list[_Candidate],
    embedder: Embedder | None,
) -> str:
    """The most central real title of the story, from an article not flagged as padded or stuffed."""
    clean = [m for m in members if m.article.title.strip() and not comparison.flags.get(m.article.id)]
    pool = clean or [m for m in members if m.article.title.strip()]
    if not pool:
        return chosen[0].text if chosen else story.headline
    if len(pool) == 1:
        return pool[0].article.title.strip()
    missing = [m.article.title for m in pool if m.title_vector is None]
    embedded = iter(embed_with(embedder, missing)) if missing else iter(())
    titles = np.stack([m.title_vector if m.title_vector is not None else next(embedded) for m in pool])
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    return pool[int(np.argmax(titles @ centroid))].article.title.strip()
