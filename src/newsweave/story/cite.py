"""Citations: which articles of a story state a sentence, each with the sentence that states it.

Public entry point: :class:`Citer`. A summary sentence, a corroborated claim and a timeline entry
cite an article only when the support judge says one of that article's own sentences entails
the claim; the evidence (article, sentence index, text) goes with the citation so a reader can
check it, and reports never have to find the sentence again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsweave.analyze.nlp import reads
from newsweave.judge import (
    PREFILTER_COSINE,
    REPEATS_MIN,
    SupportJudge,
    Verdict,
    covers_values,
    evidence_rows,
    states,
)
from newsweave.model import AnalyzedArticle, Evidence


class Citer:
    """Cites the sentences of one story's articles against each other.

    ``vectors`` holds one unit row per sentence of ``members``, in order (as
    :func:`newsweave.story.compare.sentence_vectors` makes them). Articles of two different events of
    the story (``event_of``) never cite each other: the same words about another occurrence
    state another fact.
    """

    def __init__(
        self,
        members: Sequence[AnalyzedArticle],
        vectors: np.ndarray,
        judge: SupportJudge,
        event_of: dict[str, str] | None = None,
    ) -> None:
        self.members = list(members)
        self.vectors = vectors
        self.judge = judge
        self.event_of = event_of or {}
        self._by_id = {m.article.id: m for m in self.members}
        self._rows: dict[str, tuple[int, int]] = {}
        row = 0
        for m in self.members:
            self._rows[m.article.id] = (row, row + len(m.sentences))
            row += len(m.sentences)
        self._cache: dict[tuple[str, int], list[Evidence]] = {}

    def row_of(self, article: str, position: int) -> int:
        """Row in ``vectors`` of the sentence at ``position`` of ``article``'s sentence list."""
        return self._rows[article][0] + position

    def evidence(self, article: str, position: int) -> list[Evidence]:
        """The article's own sentence first, then every other article's sentence that states it."""
        key = (article, position)
        if key not in self._cache:
            self.prefetch([key])
        return self._cache[key]

    def prefetch(self, keys: Sequence[tuple[str, int]]) -> None:
        """Find the evidence of every ``(article, position)`` in ``keys`` with one call to the judge.

        The judge runs its pairs two at a time, one per core; asked a claim at a time (two or
        three pairs), a story's citations kept the second core idle for most of the story stage.
        Each pair is judged alone, so the verdicts are those of one call per claim.
        """
        todo = [k for k in dict.fromkeys(keys) if k not in self._cache]
        asked = {k: self._asked(*k) for k in todo}
        pairs = [
            (self._member(k[0]).sentences[k[1]].text, m.sentences[j].text) for k in todo for m, j in asked[k]
        ]
        verdicts = iter(self.judge.judge(pairs))
        for key in todo:
            self._cache[key] = self._decided(key, [(m, j, next(verdicts)) for m, j in asked[key]])

    def _asked(self, article: str, position: int) -> list[tuple[AnalyzedArticle, int]]:
        """The sentences worth judging against a claim: each other article's nearest, by cosine,
        that gives every value the claim gives.

        A sentence missing one of the claim's numbers or dates cannot state it, whatever the
        judge says (:func:`newsweave.judge.states`), so it is not judged: with the timeline's
        same check, the 200 full-length articles of ``benchmarks/scale.py --pool full`` asked
        the judge 2,468 distinct pairs instead of 3,182.
        """
        claim = self._member(article)
        asked: list[tuple[AnalyzedArticle, int]] = []
        if not reads(claim.article.language):
            return asked  # the judge reads English: its verdicts on other languages are not evidence
        claim_row = self.vectors[self.row_of(article, position)]
        own = claim.sentences[position]
        own_dates = _resolved(claim, own.index)
        for m in self.members:
            if m.article.id == article or self._other_event(article, m.article.id):
                continue
            if not reads(m.article.language):
                continue
            start, end = self._rows[m.article.id]
            sims = self.vectors[start:end] @ claim_row
            for k in evidence_rows(claim_row, self.vectors[start:end]):
                s = m.sentences[k]
                if sims[k] >= PREFILTER_COSINE and covers_values(
                    own.text, s.text, own_dates, _resolved(m, s.index)
                ):
                    asked.append((m, k))
        return asked

    def _decided(
        self, key: tuple[str, int], judged: list[tuple[AnalyzedArticle, int, Verdict]]
    ) -> list[Evidence]:
        article, position = key
        own = self._member(article).sentences[position]
        own_dates = _resolved(self._member(article), own.index)
        best: dict[str, tuple[float, Evidence]] = {}
        for m, k, v in judged:
            if (
                states(own.text, m.sentences[k].text, v, own_dates, _resolved(m, m.sentences[k].index))
                and v.entails > best.get(m.article.id, (-1.0, None))[0]
            ):
                s = m.sentences[k]
                best[m.article.id] = (
                    v.entails,
                    Evidence(article=m.article.id, sentence=s.index, text=s.text),
                )
        others = [best[m.article.id][1] for m in self.members if m.article.id in best]
        return [Evidence(article=article, sentence=own.index, text=own.text), *others]

    def says_same(self, a: tuple[str, int], b: tuple[str, int]) -> bool:
        """Whether sentence ``a`` and sentence ``b`` (article, position) repeat each other: the judge
        says one entails the other at the lower bar for repeats (:data:`REPEATS_MIN`).

        The second direction is judged only when the first does not settle it: of the 905 pairs
        the summaries of the 200 full-length articles of ``benchmarks/scale.py --pool full`` asked
        about, 632 were repeats, and stories are filled two at a time, so a pair alone keeps
        the cores as busy as two did."""
        sa = self._member(a[0]).sentences[a[1]].text
        sb = self._member(b[0]).sentences[b[1]].text
        return any(self.judge.judge([pair])[0].entails >= REPEATS_MIN for pair in ((sa, sb), (sb, sa)))

    def _member(self, article: str) -> AnalyzedArticle:
        return self._by_id[article]

    def _other_event(self, a: str, b: str) -> bool:
        return a in self.event_of and b in self.event_of and self.event_of[a] != self.event_of[b]


def _resolved(member: AnalyzedArticle, sentence: int) -> list[tuple[str, str]]:
    """The dates of one sentence the analysis resolved to a calendar value: (as written, value)."""
    return [(d.text, d.value) for d in member.dates if d.sentence == sentence and d.value]
