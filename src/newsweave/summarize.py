"""Extractive multi-document summary of one story, every sentence citing its articles.

Public entry point: :func:`summarize_story`.

Sentences are scored for what the outlets agree on first (independent sources saying the same,
from :class:`newsweave.compare.Comparison`, and words shared with the other articles), then
for how central they are to the story and how early their article tells them (news puts the
event first). Maximal marginal relevance picks them without repeating a fact, within a word
budget, valuing a sentence by what it brings per word spent, and they are printed in time
order.

A summary sentence is always one sentence of one article, at most *lightly trimmed*
(:func:`trim_sentence`): a dateline, a leading connective, a short parenthetical or dash
aside, and an attribution tail (", officials said") may go, so that the budget holds more of
what happened. What is left is the article's words in the article's order. Sentences holding
a quotation keep their attribution: an opinion must stay someone's. ``sources`` lists every
article that supports the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsweave.compare import Comparison, claim_text, is_claim_sentence, sentence_vectors
from newsweave.model import AnalyzedArticle, Story, SummarySentence

# Weights of the sentence score (tuned on the NeuS/AllSides *train* split, see benchmarks/summary.py).
SUPPORT_WEIGHT = 0.5  # per extra independent source saying the same
CENTRALITY_WEIGHT = 0.5
LEXICAL_WEIGHT = 4.0  # words shared with the other articles' sentences: lexical corroboration
TITLE_WEIGHT = 3.0  # words shared with the articles' titles, which are summaries written by the outlets
LEAD_WEIGHT = 0.7  # first sentence of an article gets it all, the second half, ...
DISPUTED_PENALTY = 0.5  # a sentence another outlet contradicts is not for the summary unless nothing else fits
# a keyword-stuffed or padded rewrite repeats the others in worse words: its sentences come last
FLAGGED_PENALTY = 1.0
_QUALITY_FLAGS = frozenset({"keyword_stuffing", "low_originality"})
LENGTH_EXPONENT = 0.0  # value per word: score / words**exponent (0 = whole-sentence value)
MMR_LAMBDA = 0.9
# Two sentences this close say the same thing: never both in one summary.
REDUNDANT_COSINE = 0.75
MIN_WORDS_LEFT = 3  # stop filling when fewer words than this remain
TRIM = True  # light trimming of selected sentences (see trim_sentence)


@dataclass
class _Candidate:
    article: str
    index: int
    position: int
    text: str  # the sentence as the summary prints it (trimmed at most)
    words: int
    row: int  # row in the story's sentence vector matrix


def summarize_story(
    story: Story, analyzed: Sequence[AnalyzedArticle], comparison: Comparison, words: int = 100, threads: int = 2
) -> tuple[str, list[SummarySentence]]:
    """(headline, summary) for ``story``; the summary stays within ``words`` words. Vectors the
    analysis did not store are embedded on ``threads`` onnxruntime threads."""
    members = [a for a in analyzed if not story.articles or a.article.id in set(story.articles)]
    if not members:
        return story.headline, []
    vectors = sentence_vectors(members, threads)
    candidates = _candidates(members)
    if not candidates:
        return _headline(story, members, comparison, vectors, [], threads), []
    scores = _scores(candidates, vectors, comparison, members)
    chosen = _select(candidates, scores, vectors, words)
    ordered = _in_time_order(chosen, members)
    summary = [SummarySentence(text=c.text, sources=_sources(c, comparison)) for c in ordered]
    return _headline(story, members, comparison, vectors, chosen, threads), summary


def _candidates(members: Sequence[AnalyzedArticle]) -> list[_Candidate]:
    out, pieces = [], []
    row = 0
    for m in members:
        for position, s in enumerate(m.sentences):
            text = claim_text(s.text)
            if is_claim_sentence(text) and not _is_dangling(text):
                short = trim_sentence(text) if TRIM else text
                candidate = _Candidate(m.article.id, s.index, position, short, len(short.split()), row)
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
    # a sentence opening on an unresolved pronoun reads wrong out of its article
    # (connectives are trimmed off instead, see trim_sentence)
    first = _CONNECTIVE.sub("", text) if TRIM else text
    word = first.split()[0].lower().strip("“\"'") if first.split() else ""
    return word in {"he", "she", "they", "it", "this", "these", "those", "but", "however", "also", "and"}


# --- light trimming ---------------------------------------------------------------------------

# "WASHINGTON (AP) — ", "MOSCOW, Jan 15 (Reuters) - ": place and agency before the first dash.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'-]{2,}(?:\s+[A-Z][A-Z.'-]+)*(?:,[^—–()]{1,30}?)?(?:\s*\([^)]{1,25}\))?\s*(?:—|–|--?)\s+")
# "Gdansk — ", "Ho Chi Minh City — ": a place in title case before a dash opens the article too
_TITLE_DATELINE = re.compile(r"^[A-Z][a-zà-ÿ'.]+(?:\s+[A-Z][a-zà-ÿ'.]+){0,3}\s+(?:—|–)\s+")
# Connectives tie a sentence to the one before it, which the summary may not show.
_CONNECTIVE = re.compile(
    r"^(?:however|meanwhile|but|and|also|still|yet|moreover|furthermore|additionally|in addition|instead|"
    r"separately|indeed|now|so|then|nevertheless|nonetheless|in fact|as a result|at the same time|"
    r"on the other hand|in other words|for (?:his|her|its|their) part|to be sure|of course)\b,?\s+", re.I)
# "Speaking to reporters at the White House, ": how it was said, not what.
_SPEAKING = re.compile(r"^(?:speaking|writing|talking|testifying)\b[^,]{0,60},\s+", re.I)
_REPORTING = (r"(?:said|says|told\s+[^,.;]{1,40}|reported|reports|added|noted|wrote|announced|stated|"
              r"confirmed|explained)")
_WHEN_WHERE = r"(?:\s+(?:on|in|at|during|late|early|last|this)\b[^,.;]{0,40})?"
# ", officials said." / ", the Pentagon said in a statement on Monday." / ", according to Reuters."
_TAIL = re.compile(
    r",\s+(?:(?:[\w.'’-]+\s+){0,5}?" + _REPORTING + _WHEN_WHERE + r"|according\s+to\s+[^,.;]{1,60}"
    r"|(?:said|says)\s+[^,.;]{1,50}(?:,\s+[^,.;]{1,60})?)\s*([.!?])$")
# Short asides: "(R-Texas)", " — who took office in 2019 — ".
_PAREN = re.compile(r"\s+\([^()]{1,60}\)(?=[\s,.;:!?])")
_DASH_ASIDE = re.compile(r"\s+(?:—|–|--)\s+[^—–]{1,80}?\s+(?:—|–|--)\s+")
_QUOTATION = re.compile(r"[\"“”]|(?:^|\s)'|'(?:\s|[.,]|$)")
MIN_TRIMMED_WORDS = 6  # a shorter remainder has lost what the sentence said: keep it whole


def trim_sentence(text: str) -> str:
    """``text`` with its dateline, leading connective, asides and attribution tail removed.

    Only whole stretches go: what is left is the sentence's own words in their order, so it
    still is that sentence, only shorter. A sentence holding a quotation keeps its speaker.
    """
    out = _TITLE_DATELINE.sub("", _DATELINE.sub("", text, count=1), count=1)
    out = _SPEAKING.sub("", _CONNECTIVE.sub("", out, count=1), count=1)
    out = _DASH_ASIDE.sub(" ", _PAREN.sub("", out))
    if not _QUOTATION.search(out):
        out = _TAIL.sub(r"\1", out)
    out = " ".join(out.split())
    if len(out.split()) < MIN_TRIMMED_WORDS or len(out.split()) < len(text.split()) / 2:
        return text
    return out[0].upper() + out[1:] if out[0].islower() else out


# The faithfulness rule, checked by benchmarks/summary.py and the tests.
MAX_CUTS = 4  # dateline/connective, aside, aside, attribution tail
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def trimmed_from(text: str, sentence: str, max_cuts: int = MAX_CUTS) -> bool:
    """Whether ``text`` is ``sentence`` lightly trimmed.

    That is: its words (case and punctuation aside) are the sentence's words in the same
    order, with at most ``max_cuts`` stretches removed, and at least half of them kept.
    """
    a, b = _TOKEN.findall(text.lower()), _TOKEN.findall(sentence.lower())
    if not a or 2 * len(a) < len(b):
        return False
    cuts, i, j = 0, 0, 0
    while i < len(a):
        run, at = _longest_run(a, i, b, j)
        if run == 0:
            return False
        cuts += at > j
        i, j = i + run, at + run
    cuts += j < len(b)
    return cuts <= max_cuts


def _longest_run(a: list[str], i: int, b: list[str], j: int) -> tuple[int, int]:
    """Longest stretch of ``a`` from ``i`` that occurs in ``b`` at or after ``j``: (length, where)."""
    best, where = 0, j
    for start in range(j, len(b)):
        n = 0
        while i + n < len(a) and start + n < len(b) and a[i + n] == b[start + n]:
            n += 1
        if n > best:
            best, where = n, start
    return best, where


# --- scoring ------------------------------------------------------------------------------------


def _scores(
    candidates: list[_Candidate], vectors: np.ndarray, comparison: Comparison, members: Sequence[AnalyzedArticle]
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
        m.article.id for m in members
        if _QUALITY_FLAGS & (set(m.article.flags) | set(comparison.flags.get(m.article.id, ())))
    }
    flagged = np.array([c.article in flagged_articles for c in candidates], dtype=float)
    return (CENTRALITY_WEIGHT * centrality + LEXICAL_WEIGHT * lexical + TITLE_WEIGHT * title
            + SUPPORT_WEIGHT * np.minimum(support - 1, 3) + LEAD_WEIGHT * lead - DISPUTED_PENALTY * disputed
            - FLAGGED_PENALTY * flagged)


def _lexical_corroboration(candidates: list[_Candidate], titles: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Mean TF-IDF cosine of each sentence to the *other* articles' sentences, and to the titles.

    The embedding tells that two outlets speak of the same thing; shared words tell that they
    report it the same way, which is what a neutral summary keeps.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    titles = [t for t in titles if t.strip()]
    texts = [c.text for c in candidates]
    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts + titles)
    except ValueError:  # nothing but stopwords
        return np.zeros(len(candidates)), np.zeros(len(candidates))
    sim = (matrix @ matrix.T).toarray()
    n = len(candidates)
    title = sim[:n, n:].mean(axis=1) if titles else np.zeros(n)
    articles = np.array([c.article for c in candidates])
    other = articles[:, None] != articles[None, :]
    lexical = np.array([sim[i, :n][other[i]].mean() if other[i].any() else 0.0 for i in range(n)])
    return lexical, title


def _independent_support(c: _Candidate, comparison: Comparison) -> int:
    articles = comparison.support.get(c.article, {}).get(c.index, [c.article])
    return len({comparison.groups.get(a, a) for a in articles})


# --- selection ----------------------------------------------------------------------------------


def _select(candidates: list[_Candidate], scores: np.ndarray, vectors: np.ndarray, budget: int) -> list[_Candidate]:
    """Maximal marginal relevance under a word budget: the best next sentence that fits and repeats nothing.

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
            overlap = max((float(vectors[candidates[i].row] @ vectors[candidates[j].row]) for j in chosen), default=0.0)
            if overlap >= REDUNDANT_COSINE:
                continue
            value = (MMR_LAMBDA * scores[i] - (1 - MMR_LAMBDA) * overlap) / cost[i]
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
    chosen: list[_Candidate], threads: int,
) -> str:
    """The most central real title of the story, from an article not flagged as padded or stuffed."""
    clean = [m for m in members if m.article.title.strip() and not comparison.flags.get(m.article.id)]
    pool = clean or [m for m in members if m.article.title.strip()]
    if not pool:
        return chosen[0].text if chosen else story.headline
    if len(pool) == 1:
        return pool[0].article.title.strip()
    from newsweave.compare import _embed

    missing = [m.article.title for m in pool if m.title_vector is None]
    embedded = iter(_embed(missing, threads)) if missing else iter(())
    titles = np.stack([m.title_vector if m.title_vector is not None else next(embedded) for m in pool])
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    return pool[int(np.argmax(titles @ centroid))].article.title.strip()
