"""Calibrate the same-happening judge for reports in two languages (newsweave.cluster.happening).

    python training/same_happening/across_languages.py [--data ../shared/data] [--neus-stories 250]
        [--out src/newsweave/data/same_happening.json]

The judge was fitted on English pairs (``train.py``): MiniLM cosines of title and lead, and the
TF-IDF cosine of their words. Two reports in two languages share few words, and the multilingual
encoder (USE) puts its cosines on a scale of its own. Both are estimated here from English pairs
encoded by both encoders, the pairs the judge was trained on (ECB+ topics 1-35, NeuS train):

- ``vector``: a quantile map from USE cosines onto MiniLM cosines (knots dense in the top percent
  of all pairs of each collection, where reports of one happening lie), so a USE cosine reads as
  the MiniLM cosine of the same rank;
- ``terms``: the median word cosine of the pairs whose MiniLM cosine lies in each bin (pairs the
  judge is asked about, made non-decreasing), so a pair that cannot share words is given the
  words' cosine English reports that close usually have.

Writes both as knots into the ``across_languages`` block of the model's JSON, keeping its weights.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from train import PAIR_FLOOR, arguments, training_collections  # noqa: E402

from _cluster_data import analyzed_cached, with_encoder  # noqa: E402
from newsweave.cluster.clusterer import pair_signals  # noqa: E402

# reports of one happening are the top percent or two of all pairs: the knots thin out below 0.9
QUANTILES = np.concatenate([np.linspace(0.0, 0.9, 10)[:-1], 1.0 - np.geomspace(0.1, 1e-5, 41), [1.0]])
TERM_BINS = np.round(np.arange(0.2, 1.0001, 0.05), 3)  # MiniLM cosine bins of the word estimate


def unit(rows: list[list[float] | None]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def pairs_of(articles) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MiniLM and USE cosines of every pair, and the word cosine of the pairs the judge sees."""
    items = analyzed_cached(articles)
    minilm = unit([i.vector for i in items])
    use = unit([i.vector for i in with_encoder(copy.deepcopy(items), "use")])
    upper = np.triu_indices(len(items), 1)
    both = np.stack([(minilm @ minilm.T)[upper], (use @ use.T)[upper]], axis=1)
    close = [(int(i), int(j)) for i, j in zip(*upper, strict=True) if minilm[i] @ minilm[j] >= 0.2]
    seen = [(s.vector, s.terms) for s, topical in (pair_signals(items, close)) if topical >= PAIR_FLOOR]
    return both[:, 0], both[:, 1], np.asarray(seen, dtype=np.float64)


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.split("\n\n")[0]).parse_args(argv)
    minilm_knots, use_knots, seen = [], [], []
    for name, labelled in training_collections(args.data, args.neus_stories).items():
        minilm, use, judged = pairs_of(labelled.articles)
        # each collection weighs the same, as in the judge's own fit
        minilm_knots.append(np.quantile(minilm, QUANTILES))
        use_knots.append(np.quantile(use, QUANTILES))
        seen.append(judged)
        print(f"{name}: {len(minilm)} pairs; {len(judged)} the judge sees")
        print(f"  Spearman(MiniLM, USE) over all pairs {_spearman(minilm, use):.3f}")
    vector = (np.mean(use_knots, axis=0), np.mean(minilm_knots, axis=0))
    terms = _median_terms(np.vstack(seen))
    block = {
        "vector": [np.round(vector[0], 4).tolist(), np.round(vector[1], 4).tolist()],
        "terms": [TERM_BINS.tolist(), np.round(terms, 4).tolist()],
        "trained_on": "ECB+ topics 1-35 and NeuS train (English pairs encoded by MiniLM and USE)",
    }
    for u, m in zip(block["vector"][0][::4], block["vector"][1][::4], strict=True):
        print(f"USE {u:.3f} reads as MiniLM {m:.3f}")
    for v, t in zip(*block["terms"], strict=True):
        print(f"MiniLM {v:.2f}: median word cosine {t:.3f}")
    model = json.loads(args.out.read_text(encoding="utf-8"))
    model["across_languages"] = block
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def _median_terms(seen: np.ndarray) -> np.ndarray:
    """The median word cosine per MiniLM bin (centred on each knot), made non-decreasing."""
    out = []
    half = (TERM_BINS[1] - TERM_BINS[0]) / 2
    for knot in TERM_BINS:
        inside = seen[np.abs(seen[:, 0] - knot) <= half, 1]
        out.append(float(np.median(inside)) if len(inside) else (out[-1] if out else 0.0))
    return np.maximum.accumulate(np.asarray(out))


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


if __name__ == "__main__":
    main()
