"""Readers for the support judge's labelled pairs (MRPC, FNC-1), their folds, and FNC evidence.

Shared by ``benchmarks/support.py`` and ``src/newsweave/judge/train.py`` so that the folds a
model is trained without are exactly the folds it is scored on, and the FNC-1 evidence a model
reads in training is chosen the way the product chooses it (spaCy sentences, MiniLM cosine).
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Labels of the judge's four outputs, in the order of the model's logits.
LABELS = ("entails", "contradicts", "related", "unrelated")
FNC_TO_LABEL = {"agree": "entails", "disagree": "contradicts", "discuss": "related", "unrelated": "unrelated"}
LABEL_TO_FNC = {v: k for k, v in FNC_TO_LABEL.items()}
FOLDS = 5
# Sentences of an FNC-1 body the judge reads: the ones closest to the headline.
FNC_EVIDENCE_SENTENCES = 2


@dataclass(frozen=True)
class Pair:
    key: str  # what the fold is drawn from (MRPC: the pair's ids; FNC-1: the body id)
    a: str  # the claim
    b: str  # the text that may state it
    label: str  # one of LABELS


def fold_of(key: str, folds: int = FOLDS) -> int:
    """A stable fold for ``key`` (a digest, not Python's salted hash)."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % folds


def read_mrpc(data: Path, split: str) -> list[Pair]:
    path = data / "mrpc" / f"msr_paraphrase_{split}.txt"
    pairs = []
    with path.open(encoding="utf-8-sig") as fh:
        rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for row in rows:
            if len(row) < 5:
                continue
            label = "entails" if row[0].strip() == "1" else "related"
            pairs.append(Pair(key=f"mrpc:{row[1]}:{row[2]}", a=row[3], b=row[4], label=label))
    return pairs


def fnc_names(split: str) -> tuple[str, str]:
    prefix = "competition_test" if split == "test" else "train"
    return f"{prefix}_bodies.csv", f"{prefix}_stances.csv"


def read_fnc(data: Path, split: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """(body id -> body, [(headline, body id, FNC stance)])."""
    bodies_name, stances_name = fnc_names(split)
    csv.field_size_limit(sys.maxsize)
    with (data / "fnc-1" / bodies_name).open(encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with (data / "fnc-1" / stances_name).open(encoding="utf-8", newline="") as fh:
        stances = [
            (row["Headline"], row["Body ID"], row["Stance"].strip().lower()) for row in csv.DictReader(fh)
        ]
    return bodies, stances


def fnc_pairs(data: Path, split: str, cache: Path) -> list[Pair]:
    """FNC-1 stances as judge pairs: the headline against the body's sentences nearest to it."""
    bodies, stances = read_fnc(data, split)
    evidence = fnc_evidence(bodies, [(h, b) for h, b, _ in stances], cache / f"fnc-evidence-{split}.json")
    return [Pair(key=f"fnc:{b}", a=h, b=evidence[f"{b}\t{h}"], label=FNC_TO_LABEL[s]) for h, b, s in stances]


def fnc_evidence(bodies: dict[str, str], wanted: Iterable[tuple[str, str]], cache: Path) -> dict[str, str]:
    """ "body id<TAB>headline" -> the body's sentences nearest the headline (MiniLM cosine), in
    document order, as the product's :func:`newsweave.judge.evidence_rows` picks them."""
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    import numpy as np

    from newsweave.analyze.embed import embed_texts
    from newsweave.analyze.nlp import load_nlp
    from newsweave.judge import evidence_rows

    nlp = load_nlp()
    ids = list(bodies)
    sentences = [
        [s.text.strip() for s in doc.sents if s.text.strip()]
        for doc in nlp.pipe((bodies[i] for i in ids), batch_size=32, disable=["ner"])
    ]
    flat = [s for sents in sentences for s in sents]
    vectors = embed_texts(flat) if flat else np.zeros((0, 384), dtype=np.float32)
    pairs = sorted(set(wanted))
    heads = sorted({h for h, _ in pairs})
    head_vector = dict(zip(heads, embed_texts(heads), strict=True))
    starts = np.cumsum([0] + [len(s) for s in sentences])
    where = {body_id: k for k, body_id in enumerate(ids)}
    out: dict[str, str] = {}
    for h, body_id in pairs:
        k = where[body_id]
        sents = sentences[k]
        picked = evidence_rows(head_vector[h], vectors[starts[k] : starts[k + 1]], FNC_EVIDENCE_SENTENCES)
        out[f"{body_id}\t{h}"] = " ".join(sents[i] for i in picked) if picked else bodies[body_id][:500]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(out), encoding="utf-8")
    return out
