"""HTML extraction benchmark: newsweave's ``read_html`` vs plain trafilatura on labelled pages.

    python benchmarks/extraction.py --data ../shared/data/article-extraction-benchmark [--limit N]

The data is the Zyte (scrapinghub) article-extraction benchmark layout: ``ground-truth.json``
(``{item_id: {"articleBody": str, "url": str}}``) and ``html/<item_id>.html.gz`` (or ``.html``).
Scoring follows that benchmark's evaluate.py: per page, the multisets of word 4-gram shingles
(tokens = ``\\w+``) of truth and prediction give TP/FP/FN, normalised by their sum; precision
and recall are averaged over pages (precision only over pages with a prediction, recall only
over pages with a truth); F1 = 2PR/(P+R) of the averages. The baseline in the same run is
``trafilatura.extract(html)`` with default settings; trafilatura's published F1 is printed
beside both. A page ``read_html`` refuses counts as an empty prediction. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import trafilatura

from newsweave.ingest.html import read_html

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"
PUBLISHED_F1 = 0.958  # trafilatura 2.0.0 in the benchmark's README
TpFpFn = tuple[float, float, float]
Extractor = Callable[[str, str], str]

_TOKEN = re.compile(r"\w+", re.UNICODE)


# --- the benchmark's metric -------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams; a text shorter than n words is one short shingle (as upstream)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_match(true: str, pred: str) -> TpFpFn:
    """TP/FP/FN over shingles of one page, normalised so long pages do not weigh more."""
    truth, guess = shingles(true), shingles(pred)
    tp = float(sum((truth & guess).values()))
    fp = float(sum((guess - truth).values()))
    fn = float(sum((truth - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def metrics(rows: list[TpFpFn]) -> dict[str, float]:
    precision = statistics.mean([precision_score(*row) for row in rows if row[0] + row[1] > 0] or [0.0])
    recall = statistics.mean([recall_score(*row) for row in rows if row[0] + row[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def f1_interval(rows: list[TpFpFn], resamples: int = 1000, seed: int = 0) -> float:
    """Half-width of the 95% bootstrap interval of F1 (1.96 standard deviations, as upstream)."""
    if len(rows) < 2:
        return 0.0
    rng = random.Random(seed)
    values = [metrics([rows[rng.randrange(len(rows))] for _ in rows])["f1"] for _ in range(resamples)]
    return 1.96 * statistics.stdev(values)


# --- data and extractors ----------------------------------------------------------------------


def load_pages(data: Path, limit: int | None = None) -> Iterator[tuple[str, str, str]]:
    """(item id, html, true article body), in item-id order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for item_id in sorted(truth)[:limit]:
        yield item_id, read_page(data / "html", item_id), truth[item_id].get("articleBody") or ""


def read_page(folder: Path, item_id: str) -> str:
    packed = folder / f"{item_id}.html.gz"
    if packed.exists():
        return gzip.decompress(packed.read_bytes()).decode("utf-8", errors="replace")
    return (folder / f"{item_id}.html").read_text(encoding="utf-8", errors="replace")


def newsweave_text(html: str, item_id: str) -> str:
    try:
        return read_html(html, f"{item_id}.html").text
    except ValueError:
        return ""


def baseline_text(html: str, _item_id: str) -> str:
    return trafilatura.extract(html) or ""


def score(data: Path, limit: int | None = None) -> dict[str, dict[str, float]]:
    """Both systems' metrics on the pages under ``data`` (the first ``limit`` when given)."""
    extractors: dict[str, Extractor] = {"newsweave": newsweave_text, "baseline": baseline_text}
    rows: dict[str, list[TpFpFn]] = {name: [] for name in extractors}
    exact: dict[str, int] = dict.fromkeys(extractors, 0)
    for item_id, html, truth in load_pages(data, limit):
        for name, extract in extractors.items():
            predicted = extract(html, item_id)
            rows[name].append(shingle_match(truth, predicted))
            exact[name] += _TOKEN.findall(truth) == _TOKEN.findall(predicted)
    results = {}
    for name, name_rows in rows.items():
        results[name] = {
            **metrics(name_rows),
            "f1_ci": f1_interval(name_rows),
            "accuracy": exact[name] / max(1, len(name_rows)),
            "pages": len(name_rows),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file():
        print(f"{args.data}: no ground-truth.json here", file=sys.stderr)
        return 2
    results = score(args.data, args.limit)
    ours, base = results["newsweave"], results["baseline"]
    print(f"{'system':<36} {'precision':>9} {'recall':>7} {'F1':>13} {'accuracy':>8}")
    for label, res in (("newsweave read_html", ours), ("trafilatura.extract() defaults", base)):
        print(
            f"{label:<36} {res['precision']:>9.3f} {res['recall']:>7.3f} "
            f"{res['f1']:>6.3f} ± {res['f1_ci']:.3f} {res['accuracy']:>8.3f}"
        )
    print(f"{'trafilatura 2.0.0 (published)':<36} {0.938:>9.3f} {0.978:>7.3f} {PUBLISHED_F1:>6.3f}")
    print(
        f"pages: {ours['pages']}  target F1 >= {PUBLISHED_F1}: {'met' if ours['f1'] >= PUBLISHED_F1 else 'MISSED'}"
    )
    print(
        json.dumps(
            {
                "precision": round(ours["precision"], 4),
                "recall": round(ours["recall"], 4),
                "f1": round(ours["f1"], 4),
                "f1_ci": round(ours["f1_ci"], 4),
                "accuracy": round(ours["accuracy"], 4),
                "baseline_precision": round(base["precision"], 4),
                "baseline_recall": round(base["recall"], 4),
                "baseline_f1": round(base["f1"], 4),
                "published_f1": PUBLISHED_F1,
                "pages": ours["pages"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
