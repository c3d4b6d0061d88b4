"""Mutual support: does each of two reports state the other's main claim? A signal of the
same-happening judge (:mod:`newsweave.cluster.happening`), asked of the support judge
(:mod:`newsweave.judge`) only for the pairs that judge finds borderline.

Public entry points: :func:`lead_claim` (what of a report is judged: its headline as the claim,
its lead as the evidence) and :class:`MutualSupport` (the scores, with a count of what they cost).

The idea (issue 24): two reports of one happening state each other's main claim, two successive
developments of one subject (a panel's vote, the agency's decision on it) do not. The support
judge runs one cross-encoder pass per (claim, evidence) pair, so it is asked only where the
judge's other signals leave the pair near its bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsweave.judge import SupportJudge
from newsweave.model import AnalyzedArticle

# The lead is where a report states its news; two sentences, as the lead's days read
# (:data:`newsweave.cluster.features.LEAD_SENTENCES`), and within the judge's 128 tokens.
LEAD_SENTENCES = 2
LEAD_CHARS = 600  # a report without sentences (analysis failed) gives this much of its text


@dataclass(frozen=True)
class LeadClaim:
    """What the support judge reads of one report: its headline (the claim another report's lead
    may state) and its lead (the evidence for another report's headline)."""

    headline: str
    lead: str


def lead_claim(item: AnalyzedArticle) -> LeadClaim:
    sentences = [s.text for s in item.sentences[:LEAD_SENTENCES]]
    lead = " ".join(sentences) if sentences else item.article.text[:LEAD_CHARS]
    headline = item.article.title or (sentences[0] if sentences else lead)
    return LeadClaim(headline.strip(), lead.strip())


class MutualSupport:
    """Scores pairs of reports by the support judge: the lesser of "A's lead states B's headline"
    and "B's lead states A's headline" (the judge's entails probability), asked in one batch."""

    def __init__(self, judge: SupportJudge) -> None:
        self.judge = judge
        self.pairs = 0  # pairs scored so far (each costs two judge passes, fewer when cached)

    def scores(self, pairs: Sequence[tuple[LeadClaim, LeadClaim]]) -> list[float]:
        if not pairs:
            return []
        asked = [(b.headline, a.lead) for a, b in pairs] + [(a.headline, b.lead) for a, b in pairs]
        verdicts = self.judge.judge(asked)
        self.pairs += len(pairs)
        n = len(pairs)
        return [min(verdicts[i].entails, verdicts[n + i].entails) for i in range(n)]
