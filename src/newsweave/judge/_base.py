"""The support judge's contract: does a text state a claim, deny it, or neither?

A judge is anything with :meth:`SupportJudge.judge`; the story stages take one as an argument
and never import an implementation's internals, so tests pass a fake and another model can
replace the shipped cross-encoder without touching them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Label = Literal["entails", "contradicts", "neither"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the judge says of one (claim, evidence) pair.

    ``entails``/``contradicts``/``related``/``unrelated`` are the model's probabilities; the
    label is decided by the operating points of :mod:`newsweave.judge`, never by argmax alone.
    """

    entails: float
    contradicts: float
    related: float  # about the same thing without stating or denying it
    unrelated: float


class SupportJudge(Protocol):
    """Judges (claim, evidence) pairs: the claim first, the text that may state it second."""

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]: ...
