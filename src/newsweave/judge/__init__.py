"""The support judge: does an article *state* a claim, contradict it, or neither?

Public entry points: :func:`supports` (one claim against one article's sentences),
:func:`label_of` (the operating points), :func:`evidence_rows` (the bi-encoder pre-filter),
:func:`default_judge`. Every citation, "corroborated" and "outlets disagree" the story stages
make rests on these, so one rule decides what counts as stated everywhere.

The judge itself is any :class:`SupportJudge`; the shipped one is
:class:`newsweave.judge.crossencoder.CrossEncoderJudge`. MiniLM cosine only picks which
sentences are worth judging: on MRPC it cannot tell a paraphrase from a sentence on a
neighbouring fact (cosine >= 0.8: precision 0.811 where always "same" gets 0.665).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from newsweave.judge._base import Label, SupportJudge, Verdict
from newsweave.vocab import numbers_in

__all__ = [
    "KeptJudge",
    "Label",
    "Support",
    "SupportJudge",
    "Verdict",
    "covers_values",
    "states",
    "default_judge",
    "evidence_rows",
    "judge_id",
    "label_of",
    "pair_key",
    "supports",
    "ENTAILS_MIN",
    "REPEATS_MIN",
    "CONTRADICTS_MIN",
]

# Operating points, chosen on fold 0 of the 5-fold split of the train sets (benchmarks/support.py
# --split train; the shipped model never saw that fold). ENTAILS_MIN is the lowest bar at which
# MRPC precision reaches 0.90 (0.904, recall 0.599; at 0.85: 0.891 / 0.692; at 0.70 the best
# accuracy, 0.788, at precision 0.841). CONTRADICTS_MIN only opens the door: a conflict must also
# pass compare.confirmed_conflict, because FNC-1 disagree precision stays below 0.34 at any bar.
ENTAILS_MIN = 0.88
CONTRADICTS_MIN = 0.5
# Two sentences of one summary repeat each other at this lower bar (MRPC fold 0: recall 0.899 at
# precision 0.788): leaving out a sentence that was not a repeat costs little, showing one fact
# twice is what readers notice (the AllSides review found a pair in five stories at 0.88).
REPEATS_MIN = 0.5
# Sentences of an article judged against a claim: its nearest by MiniLM cosine.
EVIDENCE_CANDIDATES = 2
# Below this cosine a sentence is not judged at all (paraphrases in MRPC train: 99 % above it).
PREFILTER_COSINE = 0.45


@dataclass(frozen=True, slots=True)
class Support:
    """What one article says of a claim, with the sentence that says it."""

    label: Label
    score: float  # probability of ``label`` (of "entails" when the label is "neither")
    sentence: int | None  # position in the article's sentence list of the evidence, if any
    text: str | None


def label_of(v: Verdict) -> Label:
    """The verdict at the operating points: precision first, "neither" whenever unsure."""
    if v.contradicts >= CONTRADICTS_MIN and v.contradicts > v.entails:
        return "contradicts"
    if v.entails >= ENTAILS_MIN:
        return "entails"
    return "neither"


_DAY_OR_MONTH = re.compile(
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\b\.?",
    re.I,
)


def covers_values(
    claim: str,
    evidence: str,
    claim_dates: Sequence[tuple[str, str]] = (),
    evidence_dates: Sequence[tuple[str, str]] = (),
) -> bool:
    """Whether ``evidence`` gives every number, weekday and month ``claim`` gives.

    A sentence that tells the same happening without the claim's day or figure does not state
    the claim ("Congress approved a measure to fund the government into early December" is not
    stated by "The House passed a stopgap bill on Thursday"); the judge lets such pairs through
    (2 of 8 judge citations in the AllSides audit before this rule). Dates the analysis resolved
    (``(expression, value)`` of each sentence) are compared as calendar values, so "on Oct. 11"
    is given by "on Monday" when both resolve to the same day.
    """
    return _values(claim, claim_dates) <= _values(evidence, evidence_dates)


def _values(text: str, dates: Sequence[tuple[str, str]] = ()) -> frozenset[str]:
    # a story's citations ask for the same sentences' values again and again (11,440 calls in
    # the fills of a ten-article increment at 100k, 0.35 s; a few hundred distinct texts); the
    # cache holds a big story's sentences (45 full-length articles: ~1,400) a few times over
    return _values_of(text, tuple(dates))


@lru_cache(maxsize=8192)
def _values_of(text: str, dates: tuple[tuple[str, str], ...]) -> frozenset[str]:
    for expression, _ in dates:
        text = text.replace(expression, " ")
    numbers = numbers_in(text)
    names = {(m.group(1) or m.group(2)).lower()[:3] for m in _DAY_OR_MONTH.finditer(text)}
    return numbers | names | {f"date:{value}" for _, value in dates}


def states(
    claim: str,
    evidence: str,
    verdict: Verdict,
    claim_dates: Sequence[tuple[str, str]] = (),
    evidence_dates: Sequence[tuple[str, str]] = (),
) -> bool:
    """The rule for "this sentence states the claim", used by every citation: the judge says
    entails at the operating point, and the sentence gives every value the claim gives."""
    return label_of(verdict) == "entails" and covers_values(claim, evidence, claim_dates, evidence_dates)


def evidence_rows(
    claim_vector: npt.NDArray[np.float32],
    sentence_vectors: npt.NDArray[np.float32],
    k: int = EVIDENCE_CANDIDATES,
) -> list[int]:
    """The ``k`` sentences nearest the claim by cosine, in document order (the bi-encoder pre-filter)."""
    if len(sentence_vectors) == 0:
        return []
    sims = np.asarray(sentence_vectors, dtype=np.float32) @ np.asarray(claim_vector, dtype=np.float32)
    top = np.argsort(-sims, kind="stable")[:k]
    return sorted(int(i) for i in top)


def supports(
    claim: str,
    sentences: Sequence[str],
    judge: SupportJudge,
    claim_vector: npt.NDArray[np.float32] | None = None,
    sentence_vectors: npt.NDArray[np.float32] | None = None,
) -> Support:
    """Whether ``sentences`` (one article) state ``claim``, contradict it, or neither, with the evidence.

    With vectors, only the article's nearest sentences above :data:`PREFILTER_COSINE` are judged;
    without, every sentence is.
    """
    rows = list(range(len(sentences)))
    if claim_vector is not None and sentence_vectors is not None and len(sentence_vectors):
        sims = np.asarray(sentence_vectors) @ np.asarray(claim_vector)
        rows = [r for r in evidence_rows(claim_vector, sentence_vectors) if sims[r] >= PREFILTER_COSINE]
    if not rows:
        return Support("neither", 0.0, None, None)
    verdicts = judge.judge([(claim, sentences[r]) for r in rows])
    labelled = [
        (
            "entails"
            if states(claim, sentences[r], v)
            else "neither"
            if label_of(v) == "entails"
            else label_of(v),
            v,
            r,
        )
        for v, r in zip(verdicts, rows, strict=True)
    ]
    decided: tuple[Label, ...] = ("entails", "contradicts")  # each also names the Verdict's probability
    for wanted in decided:
        hits = [(getattr(v, wanted), r) for label, v, r in labelled if label == wanted]
        if hits:
            score, row = max(hits)
            return Support(wanted, score, row, sentences[row])
    score, row = max((v.entails, r) for _, v, r in labelled)
    return Support("neither", score, None, None)


def _label_for(claim: str, evidence: str, v: Verdict) -> Label:
    label = label_of(v)
    if label == "entails" and not covers_values(claim, evidence):
        return "neither"
    return label


def pair_key(claim: str, evidence: str) -> str:
    """A short key of one (claim, evidence) pair, for keeping its verdict."""
    raw = f"{claim or ''}\x00{evidence or ''}".encode()
    return hashlib.blake2b(raw, digest_size=12).hexdigest()


class KeptJudge:
    """A judge that gives the verdicts it was handed (``kept``, by :func:`pair_key`) and asks
    ``judge`` only the other pairs; ``asked`` holds the verdict of every pair asked of it, so a
    story's next fill can be handed them.

    Only a judge whose verdict on a pair does not depend on the other pairs of a call may be
    kept this way (the shipped one judges each pair alone)."""

    def __init__(self, judge: SupportJudge, kept: Mapping[str, Sequence[float]] | None = None) -> None:
        self.inner = judge
        self.kept = kept or {}
        self.asked: dict[str, list[float]] = {}
        self.fresh = 0  # pairs the inner judge was asked

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        keys = [pair_key(a, b) for a, b in pairs]
        todo: dict[str, tuple[str, str]] = {}
        for key, pair in zip(keys, pairs, strict=True):
            if key not in self.asked:
                known = self.kept.get(key)
                if known is not None:
                    self.asked[key] = list(known)
                else:
                    todo.setdefault(key, pair)
        if not todo:
            return [Verdict(*self.asked[key]) for key in keys]
        for key, v in zip(todo, self.inner.judge(list(todo.values())), strict=True):
            self.asked[key] = [v.entails, v.contradicts, v.related, v.unrelated]
        self.fresh += len(todo)
        return [Verdict(*self.asked[key]) for key in keys]


def judge_id(judge: SupportJudge) -> str | None:
    """What identifies ``judge``'s verdicts (its model), or None for a judge that keeps none."""
    found = getattr(judge, "model_id", None)
    return found if isinstance(found, str) else None


@lru_cache(maxsize=4)
def default_judge(threads: int = 2) -> SupportJudge:
    """The shipped cross-encoder, one per thread count and process."""
    from newsweave.judge.crossencoder import CrossEncoderJudge

    return CrossEncoderJudge(threads=threads)
