"""The same-happening judge: do two reports, or two groups of reports, describe one real-world happening?

Public entry points: :class:`HappeningSignals` (what is measured between the two sides),
:class:`HappeningModel` (a logistic model over those signals; :meth:`HappeningModel.shipped` is the
one trained by ``training/same_happening/train.py`` and described in its MODEL_CARD.md) and
:func:`gap_days`.

Two reports of one subject (this week's jobless claims and last week's; the Kabul bombing and
the drone strike after it) share most of their words. What tells them apart is who, where and when,
and the numbers they give. Every signal but the publication dates is an average of cosines (the
days a lead names are one too: a vector over those days), so the average
over all pairs of two groups is computed from the groups' sums, and the judge scores an article
against an event, or two events, as it scores two articles. Its output is a probability, so the
bar it is cut at (``ClusterConfig.event_threshold``) means the same on every collection: that is
what lets one bar serve ECB+, NeuS and AllSides, whose raw similarities differ.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FEATURES = ("terms", "vector", "entities", "numbers", "crowding", "days")


def gap_days(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    """Days between two date spans (proleptic ordinals); 0 when they overlap or either is unknown."""
    if a is None or b is None:
        return 0
    return max(0, b[0] - a[1], a[0] - b[1])


@dataclass(frozen=True)
class HappeningSignals:
    """Average cosines between two sides (TF-IDF terms, MiniLM vectors, typed entities, key
    numbers, the days their leads say the news happened on; None where a side has none of the
    kind) and the two sides' mean crowding (:mod:`newsweave.cluster.neighbours`). Publication dates
    are not a signal here: two reports dated far apart never meet the judge (the clusterer's gate),
    and nearer gaps told nothing in training (see the model card). A lead's day is another thing:
    "the panel voted Friday" against "the agency authorised on Wednesday"."""

    terms: float
    vector: float | None
    entities: float | None
    numbers: float | None
    crowding: float
    days: float | None = None  # cosine of the days the two leads say their news happened on

    def features(self) -> list[float]:
        """The model's inputs in FEATURES order. A signal a side lacks (no vector, no names, no
        numbers) reads as the words' cosine, so it neither argues for nor against the pair more
        than the words do."""
        return [
            self.terms,
            _or(self.vector, self.terms),
            _or(self.entities, self.terms),
            _or(self.numbers, self.terms),
            self.crowding,
            _or(self.days, self.terms),
        ]


@dataclass(frozen=True)
class HappeningModel:
    """Logistic regression over :meth:`HappeningSignals.features`."""

    weights: tuple[float, ...]
    bias: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HappeningModel:
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError(
                f"a same-happening model needs the features {FEATURES}, not {data.get('features')}"
            )
        weights = tuple(float(w) for w in data["weights"])
        return cls(weights, float(data["bias"]))

    @classmethod
    def shipped(cls) -> HappeningModel:
        """The model trained on ECB+ topics 1-35 and NeuS train (see its model card)."""
        return _shipped()

    @classmethod
    def untrained(cls) -> HappeningModel:
        """A model that judges nothing (every probability 1/2): for measuring signals before one is trained."""
        return cls((0.0,) * len(FEATURES), 0.0)

    @property
    def crowding_weight(self) -> float:
        return self.weights[FEATURES.index("crowding")]

    def logit(self, signals: HappeningSignals) -> float:
        return self.bias + sum(w * x for w, x in zip(self.weights, signals.features(), strict=True))

    def probability(self, signals: HappeningSignals) -> float:
        z = self.logit(signals)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias}


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


@cache
def _shipped() -> HappeningModel:
    text = resources.files("newsweave").joinpath("data/same_happening.json").read_text(encoding="utf-8")
    return HappeningModel.from_dict(json.loads(text))
