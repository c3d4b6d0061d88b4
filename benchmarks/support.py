"""Support judge benchmark: does a text state a claim (MRPC), and agree with / deny / discuss it (FNC-1)?

    python benchmarks/support.py --data ../shared/data --split train|test [--fold-models DIR]

``--split test`` scores the shipped judge on the held-back MRPC and FNC-1 competition test sets.
``--split train`` never scores a pair with a model trained on it: fold K of the 5 folds
(``support_data.fold_of``) is scored by a model trained without it: ``DIR/K/`` when built by
``src/newsweave/judge/train.py --fold K``, or the shipped model when it was trained with
``--fold K`` (its ``.json`` says which). Pairs of folds with no such model are not scored; the
JSON line says which folds were.

Decisions are the product's (:func:`newsweave.judge.states`: entails at the operating point, and
the second text gives every number, weekday and month of the first): MRPC "same" = states;
FNC-1 agree = states, disagree = contradicts, otherwise the likelier of discuss and unrelated.
The sweep printed before the JSON line applies the same value rule at every bar.
Baselines in the same run: MiniLM cosine at 0.6 and 0.8 (MRPC "same" / FNC-1 agree above the
bar, unrelated below), always "same" (MRPC), always "unrelated" and always "discuss" (FNC-1).
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _analysis import embed_cached  # noqa: E402
from newsweave.judge import ENTAILS_MIN, Verdict, covers_values, label_of, states  # noqa: E402
from newsweave.judge.crossencoder import MODEL_FILE, CrossEncoderJudge  # noqa: E402
from support_data import FOLDS, LABEL_TO_FNC, Pair, fnc_pairs, fold_of, read_mrpc  # noqa: E402

FNC_CLASSES = ("agree", "disagree", "discuss", "unrelated")
RELATED = {"agree", "disagree", "discuss"}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--split", choices=["train", "test"], default="train")
    ap.add_argument(
        "--fold-models", type=Path, default=Path.home() / ".cache" / "newsweave" / "support-folds"
    )
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "newsweave" / "bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--fnc-limit", type=int, default=0, help="score this many FNC-1 pairs (0: all)")
    ap.add_argument(
        "--no-fnc",
        action="store_true",
        help="MRPC only (FNC-1 first parses and embeds its 1,683 bodies when its evidence is not cached)",
    )
    ap.add_argument(
        "--folds",
        type=int,
        nargs="+",
        default=None,
        help="score only these folds (train; default: all with a model)",
    )
    args = ap.parse_args(argv)
    mrpc = read_mrpc(args.data, args.split)
    fnc = [] if args.no_fnc else fnc_pairs(args.data, args.split, args.cache)
    if args.fnc_limit:
        fnc = fnc[:: max(1, len(fnc) // args.fnc_limit)][: args.fnc_limit]
    models = _models_by_fold(args)
    if args.split == "train":
        mrpc = [p for p in mrpc if fold_of(p.key) in models]
        fnc = [p for p in fnc if fold_of(p.key) in models]
        print(f"scoring folds {sorted(models)} (models trained without them)", file=sys.stderr)
    start = time.perf_counter()
    mrpc_v = _judge(mrpc, models, args)
    fnc_v = _judge(fnc, models, args)
    seconds = time.perf_counter() - start
    figures = {
        "split": args.split,
        "folds_scored": sorted(models) if args.split == "train" else None,
        "mrpc_pairs": len(mrpc),
        "fnc_pairs": len(fnc),
        "entails_min": ENTAILS_MIN,
    }
    said = [states(p.a, p.b, v) for p, v in zip(mrpc, mrpc_v, strict=True)]
    figures |= _mrpc_figures("mrpc", [p.label == "entails" for p in mrpc], said)
    gold_fnc = [LABEL_TO_FNC[p.label] for p in fnc]
    figures |= _fnc_figures("fnc", gold_fnc, [_fnc_decision(p, v) for p, v in zip(fnc, fnc_v, strict=True)])
    figures["pairs_per_s"] = round((len(mrpc) + len(fnc)) / seconds, 1)
    figures |= _baselines(mrpc, fnc, gold_fnc)
    _print_sweep(mrpc, mrpc_v, fnc, fnc_v)
    print(json.dumps(figures))
    return figures


def _models_by_fold(args: argparse.Namespace) -> dict[int, Path]:
    """Fold -> model file trained without it (train split); {-1: shipped model} for test."""
    if args.split == "test":
        return {-1: MODEL_FILE}
    found: dict[int, Path] = {}
    for k in range(FOLDS):
        candidate = args.fold_models / str(k) / MODEL_FILE.name
        if candidate.is_file():
            found[k] = candidate
    info = MODEL_FILE.with_suffix(".json")
    if info.is_file():
        shipped_fold = json.loads(info.read_text()).get("fold")
        if shipped_fold is not None and shipped_fold not in found:
            found[int(shipped_fold)] = MODEL_FILE
    if args.folds is not None:
        found = {k: path for k, path in found.items() if k in args.folds}
    if not found:
        raise SystemExit(
            "no model trained without a fold: build one with src/newsweave/judge/train.py --fold K"
        )
    return found


def _judge(pairs: Sequence[Pair], models: dict[int, Path], args: argparse.Namespace) -> list[Verdict]:
    out: list[Verdict | None] = [None] * len(pairs)
    for fold, path in models.items():
        rows = [i for i, p in enumerate(pairs) if fold == -1 or fold_of(p.key) == fold]
        verdicts = CrossEncoderJudge(threads=args.threads, model_file=path).judge(
            [(pairs[i].a, pairs[i].b) for i in rows]
        )
        for i, v in zip(rows, verdicts, strict=True):
            out[i] = v
    return [v for v in out if v is not None]


def _fnc_decision(p: Pair, v: Verdict) -> str:
    label = label_of(v)
    if states(p.a, p.b, v):
        return "agree"
    if label == "contradicts":
        return "disagree"
    return "discuss" if v.related >= v.unrelated else "unrelated"


def _mrpc_figures(prefix: str, gold: list[bool], pred: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        f"{prefix}_accuracy": round(correct / max(len(gold), 1), 4),
        f"{prefix}_precision": round(precision, 4),
        f"{prefix}_recall": round(recall, 4),
        f"{prefix}_f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
    }


def _fnc_figures(prefix: str, gold: list[str], pred: list[str]) -> dict[str, float]:
    score = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25 + (0.5 if g != "unrelated" else 0.0)
        if g in RELATED and p in RELATED:
            score += 0.25
    out = {f"{prefix}_score": round(100 * score / best, 2) if best else 0.0}
    f1s = []
    for c in FNC_CLASSES:
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = sum(p == c for p in pred), sum(g == c for g in gold)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        out[f"{prefix}_{c}_precision"] = round(precision, 4)
        out[f"{prefix}_{c}_recall"] = round(recall, 4)
    out[f"{prefix}_macro_f1"] = round(float(np.mean(f1s)), 4)
    return out


def _baselines(mrpc: Sequence[Pair], fnc: Sequence[Pair], gold_fnc: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    gold_mrpc = [p.label == "entails" for p in mrpc]
    cos_mrpc = _cosines(mrpc)
    cos_fnc = _cosines(fnc)
    for bar in (0.6, 0.8):
        tag = f"cosine{int(bar * 10)}"
        out |= _mrpc_figures(f"baseline_{tag}_mrpc", gold_mrpc, list(cos_mrpc >= bar))
        fnc_fig = _fnc_figures("f", gold_fnc, ["agree" if c >= bar else "unrelated" for c in cos_fnc])
        out[f"baseline_{tag}_fnc_score"] = fnc_fig["f_score"]
        out[f"baseline_{tag}_fnc_macro_f1"] = fnc_fig["f_macro_f1"]
        out[f"baseline_{tag}_fnc_agree_precision"] = fnc_fig["f_agree_precision"]
    out |= _mrpc_figures("baseline_always_same_mrpc", gold_mrpc, [True] * len(mrpc))
    for always in ("unrelated", "discuss"):
        fig = _fnc_figures("f", gold_fnc, [always] * len(gold_fnc))
        out[f"baseline_always_{always}_fnc_score"] = fig["f_score"]
        out[f"baseline_always_{always}_fnc_macro_f1"] = fig["f_macro_f1"]
    return out


def _cosines(pairs: Sequence[Pair]) -> np.ndarray:
    if not pairs:
        return np.zeros(0)
    a = embed_cached([p.a for p in pairs])
    b = embed_cached([p.b for p in pairs])
    return np.einsum("ij,ij->i", a, b)


def _print_sweep(
    pairs: Sequence[Pair], verdicts: Sequence[Verdict], fnc: Sequence[Pair], fnc_verdicts: Sequence[Verdict]
) -> None:
    """Precision and recall at other bars, to choose the operating points: MRPC "same" by the
    entails probability, FNC-1 agree by entails and disagree by contradicts."""
    gold = [p.label == "entails" for p in pairs]
    agree = [p.label == "entails" for p in fnc]
    disagree = [p.label == "contradicts" for p in fnc]
    for bar in (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.9, 0.92, 0.95, 0.97):
        fig = _mrpc_figures(
            "m",
            gold,
            [v.entails >= bar and covers_values(p.a, p.b) for p, v in zip(pairs, verdicts, strict=True)],
        )
        fa = _mrpc_figures(
            "a",
            agree,
            [v.entails >= bar and covers_values(p.a, p.b) for p, v in zip(fnc, fnc_verdicts, strict=True)],
        )
        fd = _mrpc_figures("d", disagree, [v.contradicts >= bar for v in fnc_verdicts])
        print(
            f"bar {bar:.2f}: MRPC entails P {fig['m_precision']:.3f} R {fig['m_recall']:.3f} "
            f"acc {fig['m_accuracy']:.3f} | FNC agree P {fa['a_precision']:.3f} R {fa['a_recall']:.3f} | "
            f"FNC disagree P {fd['d_precision']:.3f} R {fd['d_recall']:.3f}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
