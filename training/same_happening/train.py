"""Train the same-happening judge (newsweave.cluster.happening) on labelled pairs of news reports.

    python training/same_happening/train.py [--data ../shared/data] [--neus-stories 250]
        [--out src/newsweave/data/same_happening.json]

Pairs come from ECB+ topics 1-35 (same sub-topic = one happening; the other sub-topic of a topic is
the hard negative: two fires at one chain's stores) and the first ``--neus-stories`` stories of NeuS
train (three outlets' reports of one happening; other stories are the negatives). Only pairs the
judge is ever asked about are kept: those whose topical similarity (the clusterer's story-level
mix of words and MiniLM) reaches PAIR_FLOOR, below which two reports never share a group. Each
collection weighs the same in the fit, so neither one's share of positives sets the bias alone.
The analyses are the project's own, cached under /tmp by benchmarks/_cluster_data.py.
Prints each collection's pairs, a cross-collection check (fit on one, judge the other) and
the fitted weights; writes the model as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _cluster_data import DEFAULT_DATA, Labelled, analyzed_cached, load_ecbplus, load_neus  # noqa: E402
from newsweave.cluster.clusterer import pair_signals  # noqa: E402
from newsweave.cluster.happening import FEATURES, HappeningModel  # noqa: E402

PAIR_FLOOR = 0.15  # topical similarity below which a pair never meets the judge
VECTOR_FLOOR = (
    0.2  # MiniLM cosine under which a pair is not even scored (all such pairs fall under PAIR_FLOOR)
)
HELD_BACK_TOPICS = 36  # ECB+ topics from this number on are the held-back test set: never trained on


def collection_pairs(labelled: Labelled) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels (1 = one happening) of every pair the judge would see."""
    items = analyzed_cached(labelled.articles)
    vectors = np.asarray([i.vector for i in items], dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    close = np.argwhere(np.triu(vectors @ vectors.T, 1) >= VECTOR_FLOOR)
    pairs = [(int(i), int(j)) for i, j in close if i < j]
    features, labels = [], []
    for (i, j), (signals, topical) in zip(pairs, pair_signals(items, pairs), strict=True):
        if topical < PAIR_FLOOR:
            continue
        features.append(signals.features())
        labels.append(int(labelled.event[items[i].article.id] == labelled.event[items[j].article.id]))
    return np.asarray(features), np.asarray(labels)


def fit(parts: list[tuple[np.ndarray, np.ndarray]]):
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([f for f, _ in parts])
    y = np.concatenate([lab for _, lab in parts])
    weight = np.concatenate([np.full(len(lab), len(y) / (len(parts) * len(lab))) for _, lab in parts])
    return LogisticRegression(C=1.0, max_iter=2000).fit(x, y, sample_weight=weight)


def judged(model, features: np.ndarray, labels: np.ndarray) -> str:
    from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

    guess = model.predict(features)
    p, r, f, _ = precision_recall_fscore_support(labels, guess, average="binary", zero_division=0)
    return (
        f"AUC {roc_auc_score(labels, model.predict_proba(features)[:, 1]):.3f} P {p:.3f} R {r:.3f} F1 {f:.3f}"
    )


def arguments(description: str) -> argparse.ArgumentParser:
    """The options of the scripts that fit parts of the shipped model (this one, across_languages.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--neus-stories", type=int, default=250)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src" / "newsweave" / "data" / "same_happening.json"
    )
    return parser


def training_collections(data: Path, neus_stories: int) -> dict[str, Labelled]:
    """What the model is fitted on: ECB+ topics before HELD_BACK_TOPICS and the first
    ``neus_stories`` stories of NeuS train."""
    ecb = load_ecbplus(data)
    keep = [a for a in ecb.articles if int(re.match(r"\d+", ecb.topic[a.id]).group(0)) < HELD_BACK_TOPICS]
    neus = load_neus(data, "train")
    stories = {str(i) for i in range(neus_stories)}
    return {
        "ecbplus": Labelled(keep, ecb.event, ecb.topic),
        "neus_train": Labelled(
            [a for a in neus.articles if neus.event[a.id] in stories], neus.event, neus.topic
        ),
    }


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.split("\n\n")[0]).parse_args(argv)
    parts = {
        name: collection_pairs(labelled)
        for name, labelled in training_collections(args.data, args.neus_stories).items()
    }
    for name, (_, labels) in parts.items():
        print(f"{name}: {len(labels)} pairs, {int(labels.sum())} of one happening")
    names = list(parts)
    for train, test in [(names[0], names[1]), (names[1], names[0])]:
        print(f"fit on {train}, judged on {test}: {judged(fit([parts[train]]), *parts[test])}")
    model = fit(list(parts.values()))
    for name, part in parts.items():
        print(f"fit on both, judged on {name}: {judged(model, *part)}")
    shipped = HappeningModel(
        tuple(round(float(w), 4) for w in model.coef_[0]), round(float(model.intercept_[0]), 4)
    )
    print(json.dumps(dict(zip(FEATURES, shipped.weights, strict=True))), "bias", shipped.bias)
    out = {
        **shipped.to_dict(),
        "trained_on": {
            name: {"pairs": int(len(lab)), "positive": int(lab.sum())} for name, (_, lab) in parts.items()
        },
        "neus_stories": args.neus_stories,
        "pair_floor": PAIR_FLOOR,
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
