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

The judge was fitted on English pairs and MiniLM vectors. Two reports in two languages share few
words, and the multilingual encoder's cosines lie on a scale of their own; with multilingual
vectors (:class:`AcrossLanguages`, calibrated by ``training/same_happening/across_languages.py``)
a cosine is read as the MiniLM cosine of the same rank, and the words of a pair in two languages
as those English reports that close usually share.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

FEATURES = ("terms", "vector", "entities", "numbers", "crowding", "days")
# Log-odds taken off a pair published with days of quiet between them (``HappeningSignals.quiet``):
# a new development usually, so only reports that say the same thing still join. Not learnt: in
# NeuS and AllSides every report carries its roundup's date, which would teach that any gap parts
# reports; chosen on AllSides dev and ECB+ dev (docs/BENCHMARKS.md "Stop 35: days of quiet").
QUIET_PENALTY = 5.0
# Two reports that share no words (TF-IDF cosine below SHARED_TERMS), no names (typed-entity cosine
# below SHARED_ENTITIES) and no close meaning (MiniLM cosine below SHARED_VECTOR) are not one
# happening. The learnt judge could join them: in a feed of unrelated news each report is lone, so
# its crowding (closeness less the usual closeness of reports that have a neighbour) falls to -0.5,
# beyond what training saw, and at -20 per unit adds ~10 log-odds; two leads that both say
# "Wednesday" add 3 more. Sixty full-length articles of one week (the extraction benchmark's pages)
# made a story of deportees landing in Delhi, a helicopter crash in Afghanistan and a Californian
# power cut (MiniLM cosines 0.09-0.20). Measured on the dev sets (docs/BENCHMARKS.md, stop 36):
# NeuS val and ECB+ dev unchanged, AllSides dev story recall 0.879 -> 0.876.
SHARED_TERMS, SHARED_ENTITIES, SHARED_VECTOR = 0.08, 0.25, 0.4
UNRELATED_PENALTY = 10.0


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
    are no learnt signal: two reports dated far apart never meet the judge (the clusterer's gate),
    nearer gaps told nothing in training (see the model card), and days of quiet between two
    sides' publication take a set penalty (``quiet``, :data:`QUIET_PENALTY`). A lead's day is
    another thing: "the panel voted Friday" against "the agency authorised on Wednesday"."""

    terms: float
    vector: float | None
    entities: float | None
    numbers: float | None
    crowding: float
    days: float | None = None  # cosine of the days the two leads say their news happened on
    across: float = 0.0  # the share of the sides' pairs whose two reports are in two languages
    multilingual: bool = False  # whether ``vector`` is a multilingual encoder's cosine (not MiniLM's)
    quiet: bool = False  # published after days with no report of the other side (a new development)

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
class AcrossLanguages:
    """What the judge reads for multilingual vectors, learnt from English pairs encoded by both
    encoders: ``vector`` maps a multilingual cosine onto MiniLM's scale (quantile knots), ``terms``
    gives the median word cosine of English pairs at a MiniLM cosine (knots)."""

    vector: tuple[tuple[float, ...], tuple[float, ...]]
    terms: tuple[tuple[float, ...], tuple[float, ...]]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AcrossLanguages:
        return cls(
            (tuple(data["vector"][0]), tuple(data["vector"][1])),
            (tuple(data["terms"][0]), tuple(data["terms"][1])),
        )

    def comparable(self, terms: float, vector: float | None, across: float) -> tuple[float, float | None]:
        """The words' and the vector's cosines as the judge knows them: the vector on MiniLM's
        scale, and the words of the pairs in two languages (``across`` of them) estimated from
        it. What such pairs do share (a name, a number) stays counted: it is evidence too."""
        if vector is None:
            return terms, None
        scaled = float(np.interp(vector, *self.vector))
        return terms + across * float(np.interp(scaled, *self.terms)), scaled


@dataclass(frozen=True)
class HappeningModel:
    """Logistic regression over :meth:`HappeningSignals.features`."""

    weights: tuple[float, ...]
    bias: float
    across_languages: AcrossLanguages | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HappeningModel:
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError(
                f"a same-happening model needs the features {FEATURES}, not {data.get('features')}"
            )
        weights = tuple(float(w) for w in data["weights"])
        across = data.get("across_languages")
        return cls(weights, float(data["bias"]), AcrossLanguages.from_dict(across) if across else None)

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

    def comparable(
        self, terms: float, vector: float | None, across: float, multilingual: bool
    ) -> tuple[float, float | None]:
        """The words' and vector's cosines on the scale the judge was fitted on: unchanged for
        MiniLM vectors (which read English; a pair in two languages is then judged by what it
        shares), mapped for multilingual ones (:meth:`AcrossLanguages.comparable`)."""
        if not multilingual or self.across_languages is None:
            return terms, vector
        return self.across_languages.comparable(terms, vector, across)

    def logit(self, signals: HappeningSignals) -> float:
        terms, vector = self.comparable(signals.terms, signals.vector, signals.across, signals.multilingual)
        if (terms, vector) != (signals.terms, signals.vector):
            signals = replace(signals, terms=terms, vector=vector)
        quiet = QUIET_PENALTY if signals.quiet else 0.0
        apart = UNRELATED_PENALTY if _shares_nothing(terms, signals.entities, vector) else 0.0
        return (
            self.bias
            - quiet
            - apart
            + sum(w * x for w, x in zip(self.weights, signals.features(), strict=True))
        )

    def probability(self, signals: HappeningSignals) -> float:
        z = self.logit(signals)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias}
        if self.across_languages is not None:
            out["across_languages"] = {
                "vector": [list(k) for k in self.across_languages.vector],
                "terms": [list(k) for k in self.across_languages.terms],
            }
        return out


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _shares_nothing(terms: float, entities: float | None, vector: float | None) -> bool:
    """Whether two sides share no words, no names and no close meaning: the judge then has nothing
    in the texts to show for joining them, whatever their crowding and days say."""
    return (
        terms < SHARED_TERMS
        and (entities is None or entities < SHARED_ENTITIES)
        and (vector is None or vector < SHARED_VECTOR)
    )


@cache
def _shipped() -> HappeningModel:
    text = resources.files("newsweave").joinpath("data/same_happening.json").read_text(encoding="utf-8")
    return HappeningModel.from_dict(json.loads(text))
