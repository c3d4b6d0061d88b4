"""Contradiction benchmark: precision and recall of compare's disagreements on hand-written pairs.

    python benchmarks/contradictions.py [--data benchmarks/contradictions.jsonl]

Each line of the data is one pair of short articles written for this project (original text):
``{"id", "kind", "conflict": bool, "a": text, "b": text}``. Real conflicts cover dates,
numbers, titles and negation; the others are paraphrases that look like conflicts (hedged
numbers, the same title worded differently, two different happenings with two different days).
A pair is predicted to conflict when compare_story reports any disagreement between the two
articles (published by two different outlets). The baseline in the same run is the naive rule
"aligned sentences (cosine >= 0.6) whose dates, numbers or negation words differ".
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _analysis import analyze_with_vectors  # noqa: E402
from newsweave.model import AnalyzedArticle, Article, Story  # noqa: E402
from newsweave.story.compare import compare_story  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent / "contradictions.jsonl"
_VALUE = re.compile(
    r"\b(\d[\d.,]*|monday|tuesday|wednesday|thursday|friday|saturday|sunday|not|no|never|"
    r"denied|rejected)\b",
    re.I,
)


def naive_conflict(a: AnalyzedArticle, b: AnalyzedArticle) -> bool:
    """Baseline: two similar sentences whose value words (numbers, weekdays, negators) differ."""
    va, vb = np.asarray(a.sentence_vectors), np.asarray(b.sentence_vectors)
    for i, sa in enumerate(a.sentences):
        for j, sb in enumerate(b.sentences):
            if float(va[i] @ vb[j]) >= 0.6:
                words_a = {w.lower() for w in _VALUE.findall(sa.text)}
                words_b = {w.lower() for w in _VALUE.findall(sb.text)}
                if words_a != words_b:
                    return True
    return False


def precision_recall(gold: list[bool], predicted: list[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    pairs = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = []
    for p in pairs:
        articles += [
            Article(id=f"{p['id']}/a", title="", text=p["a"], outlet="outlet-a"),
            Article(id=f"{p['id']}/b", title="", text=p["b"], outlet="outlet-b"),
        ]
    analyzed = analyze_with_vectors(articles)
    gold, predicted, baseline = [], [], []
    for n, p in enumerate(pairs):
        a, b = analyzed[2 * n], analyzed[2 * n + 1]
        comparison = compare_story(
            Story(id=p["id"], headline="", articles=[a.article.id, b.article.id]), [a, b]
        )
        found = bool(comparison.disagreements)
        gold.append(bool(p["conflict"]))
        predicted.append(found)
        baseline.append(naive_conflict(a, b))
        mark = "ok " if found == p["conflict"] else "ERR"
        about = "; ".join(d.about for d in comparison.disagreements) or "-"
        print(f"{mark} {p['id']:16} gold={p['conflict']!s:5} found={found!s:5} {about}")
    ours, naive = precision_recall(gold, predicted), precision_recall(gold, baseline)
    by_kind: dict[str, list[bool]] = {}
    for p, g, pr in zip(pairs, gold, predicted, strict=True):
        by_kind.setdefault(p["kind"], []).append(g == pr)
    print(f"pairs: {len(pairs)} ({sum(gold)} with a conflict)")
    print(f"newsweave: precision {ours['precision']:.3f} recall {ours['recall']:.3f}")
    print(
        f"baseline (aligned sentences with different value words): "
        f"precision {naive['precision']:.3f} recall {naive['recall']:.3f}"
    )
    for kind, right in by_kind.items():
        print(f"  {kind:20} {sum(right)}/{len(right)} right")
    result = {
        "benchmark": "contradictions",
        "pairs": len(pairs),
        "conflicts": sum(gold),
        "precision": ours["precision"],
        "recall": ours["recall"],
        "newsweave": ours,
        "baseline": naive,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
