"""Pairs for the same-happening cross-encoder (crossenc_train.py): the text of each side and the
six-input judge's log-odds, for every pair the clusterer would ask the judge about.

    python training/same_happening/crossenc_pairs.py [--data ../shared/data] [--neus-chunks 2]
        --out /tmp/s37/pairs.jsonl

ECB+ topics 1-35 (same sub-topic = one happening, the other sub-topic of the topic is the hard
negative) and NeuS train in chunks of 250 stories (each chunk a collection of its own, as the
six-input judge was trained on one such chunk: crowding is measured within it). A pair is kept when
its topical similarity reaches train.PAIR_FLOOR (the judge's training rule). Held out for choosing
epochs and for measuring: ECB+ topics whose number is a multiple of 5, NeuS stories whose id is.
The texts are the data's; the output belongs under /tmp, never in the repository.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "training" / "same_happening")]
from train import PAIR_FLOOR, VECTOR_FLOOR, training_collections  # noqa: E402

from _cluster_data import DEFAULT_DATA, Labelled, analyzed_cached, load_neus  # noqa: E402
from newsweave.cluster.clusterer import pair_signals  # noqa: E402
from newsweave.cluster.happening import HappeningModel  # noqa: E402
from newsweave.config import ClusterConfig  # noqa: E402
from newsweave.model import AnalyzedArticle  # noqa: E402

LEAD_SENTENCES = 2
HELD_OUT_EVERY = 5
CHUNK = 250


def side_text(item: AnalyzedArticle) -> str:
    """Headline and the first two sentences: what a reader takes a report's news from."""
    lead = " ".join(s.text for s in item.sentences[:LEAD_SENTENCES]) or item.article.text[:600]
    return f"{item.article.title.strip()}. {lead.strip()}" if item.article.title else lead.strip()


def collection_rows(name: str, labelled: Labelled, group_of) -> list[dict]:
    items = analyzed_cached(labelled.articles)
    vectors = np.asarray([i.vector for i in items], dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    close = np.argwhere(np.triu(vectors @ vectors.T, 1) >= VECTOR_FLOOR)
    pairs = [(int(i), int(j)) for i, j in close if i < j]
    model = HappeningModel.shipped()
    bar = ClusterConfig().event_threshold
    bar_logit = math.log(bar / (1 - bar))
    texts = [side_text(item) for item in items]
    rows = []
    for (i, j), (signals, topical) in zip(pairs, pair_signals(items, pairs), strict=True):
        if topical < PAIR_FLOOR:
            continue
        a, b = items[i].article.id, items[j].article.id
        group = group_of(a)
        rows.append(
            {
                "collection": name,
                "group": group,
                "held_out": group % HELD_OUT_EVERY == 0,
                "a": texts[i],
                "b": texts[j],
                "label": int(labelled.event[a] == labelled.event[b]),
                "margin": round(model.logit(signals) - bar_logit, 4),
                "features": [round(x, 5) for x in signals.features()],
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--neus-chunks", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    ecb = training_collections(args.data, 0)["ecbplus"]
    collections = [("ecbplus", ecb, lambda a: int(re.match(r"\d+", ecb.topic[a]).group(0)))]
    neus = load_neus(args.data, "train")
    for chunk in range(args.neus_chunks):
        stories = {str(s) for s in range(chunk * CHUNK, (chunk + 1) * CHUNK)}
        part = Labelled([a for a in neus.articles if neus.event[a.id] in stories], neus.event, neus.topic)
        collections.append((f"neus_train_{chunk}", part, lambda a: int(neus.event[a])))
    with args.out.open("w", encoding="utf-8") as out:
        for name, labelled, group_of in collections:
            rows = collection_rows(name, labelled, group_of)
            near = [r for r in rows if abs(r["margin"]) <= 3]
            print(
                f"{name}: {len(rows)} pairs, {sum(r['label'] for r in rows)} positive; "
                f"borderline {len(near)} ({sum(r['label'] for r in near)} positive); "
                f"held out {sum(r['held_out'] for r in rows)}",
                flush=True,
            )
            for row in rows:
                out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
