"""The same-happening judge on pairs of reports in two languages, beside English pairs.

    python benchmarks/crosslingual.py [--data DIR] [--split dev|test]

Labelled pairs built from ML-Crisis without translation (nothing of it is held back; test reads a
folder of the same layout):
- timelines: the reference timelines of each crisis in en, es, fr and it give per date what
  happened; two entries in two languages of one crisis are one happening when they share the date,
  and two when the dates differ (only dates within the clusterer's 90-day gate are paired: the
  judge never sees the rest). Entries of one date are not always one happening (two things on one
  day, each language's editors picking their own), so this gold is noisy in both directions.
- articles: es, fr and it articles published the same day, of one crisis (positive: a loose label,
  one crisis has several happenings a day) or of two crises (negative).
Each pair is scored as the clusterer scores it (multilingual USE vectors of title and lead, words,
numbers, lead days, crowding) by the shipped judge, and by the same judge reading raw USE cosines
and raw word cosines (the baseline: the judge before it was calibrated across languages). English
reference: NeuS val pairs (MiniLM, the judge's own setting; pairs with MiniLM cosine >= 0.2).
Prints per set the pairs, precision, recall and false-join rate at the clusterer's bar (0.6) and
the AUC; the last line is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cluster_data import (  # noqa: E402
    DEFAULT_DATA,
    analyzed_cached,
    analyzed_leads_cached,
    load_mlcrisis,
    load_neus,
    with_encoder,
)
from newsweave.cluster.clusterer import pair_signals  # noqa: E402
from newsweave.cluster.happening import HappeningModel  # noqa: E402
from newsweave.config import ClusterConfig  # noqa: E402
from newsweave.model import AnalyzedArticle, Article  # noqa: E402

TIMELINE_LANGUAGES = ("en", "es", "fr", "it")
GATE_DAYS = 90  # the clusterer's EVENT_MAX_GAP_DAYS: pairs dated further apart never meet the judge
BAR = ClusterConfig().event_threshold
Pair = tuple[int, int, int]  # index, index, label


def timeline_entries(data: Path) -> list[AnalyzedArticle]:
    """One analysed 'article' per (language, crisis, date) of the reference timelines: its
    sentences as text, its date as publication date, the USE vector of that text."""
    out = []
    for lang in TIMELINE_LANGUAGES:
        for path in sorted((data / "ml-crisis-tls" / lang / "reference").glob("*.txt")):
            for block in re.split(r"\n-{32}\n?", path.read_text(encoding="utf-8")):
                lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
                if len(lines) > 1 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", lines[0]):
                    text = " ".join(lines[1:])
                    article = Article(
                        id=f"{lang}~{path.stem}~{lines[0]}~{len(out)}",
                        title="",
                        text=text,
                        published=lines[0],
                        language=lang,
                    )
                    out.append(AnalyzedArticle(article=article))
    return out


def _key(item: AnalyzedArticle) -> tuple[str, str, str]:
    lang, crisis, day = item.article.id.split("~")[:3]
    return lang, crisis, day


def timeline_pairs(items: list[AnalyzedArticle]) -> list[Pair]:
    keys = [_key(i) for i in items]
    days = [date.fromisoformat(k[2]).toordinal() for k in keys]
    return [
        (i, j, int(keys[i][2] == keys[j][2]))
        for i, j in combinations(range(len(items)), 2)
        if keys[i][0] != keys[j][0] and keys[i][1] == keys[j][1] and abs(days[i] - days[j]) <= GATE_DAYS
    ]


def article_pairs(items: list[AnalyzedArticle]) -> list[Pair]:
    keys = [_key(i) for i in items]
    return [
        (i, j, int(keys[i][1] == keys[j][1]))
        for i, j in combinations(range(len(items)), 2)
        if keys[i][0] != keys[j][0] and keys[i][2] == keys[j][2]
    ]


def english_pairs(items: list[AnalyzedArticle], event: dict[str, str]) -> list[Pair]:
    vectors = np.asarray([i.vector for i in items], dtype=np.float32)
    close = np.argwhere(np.triu(vectors @ vectors.T, 1) >= 0.2)
    ids = [i.article.id for i in items]
    return [(int(i), int(j), int(event[ids[i]] == event[ids[j]])) for i, j in close if i < j]


def judged(items: list[AnalyzedArticle], pairs: list[Pair]) -> dict[str, dict[str, float]]:
    """Precision, recall, false-join rate at the bar and AUC of the calibrated and the raw judge."""
    signals = [s for s, _ in pair_signals(items, [(i, j) for i, j, _ in pairs])]
    labels = np.asarray([label for _, _, label in pairs])
    calibrated = HappeningModel.shipped()
    raw = HappeningModel(calibrated.weights, calibrated.bias)  # no across_languages: raw cosines
    return {
        name: _figures(np.asarray([model.probability(s) for s in signals]), labels)
        for name, model in (("calibrated", calibrated), ("raw", raw))
    }


def _figures(p: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    joined = p >= BAR
    true = int((joined & (labels == 1)).sum())
    return {
        "pairs": len(labels),
        "positive": int(labels.sum()),
        "joined": int(joined.sum()),
        "precision": round(true / max(1, int(joined.sum())), 4),
        "recall": round(true / max(1, int(labels.sum())), 4),
        "false_join_rate": round(int((joined & (labels == 0)).sum()) / max(1, int((labels == 0).sum())), 5),
        "auc": round(float(roc_auc_score(labels, p)), 4),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    args = parser.parse_args(argv)

    timeline = with_encoder(timeline_entries(args.data), "use")
    articles = with_encoder(copy.deepcopy(analyzed_leads_cached(load_mlcrisis(args.data).articles)), "use")
    neus = load_neus(args.data, "val" if args.split == "dev" else "test")
    english = analyzed_cached(neus.articles)
    figures: dict[str, object] = {"bar": BAR}
    for name, items, pairs in (
        ("timeline", timeline, timeline_pairs(timeline)),
        ("articles", articles, article_pairs(articles)),
        ("english_neus", english, english_pairs(english, neus.event)),
    ):
        figures[name] = judged(items, pairs)
        for model, f in figures[name].items():  # type: ignore[attr-defined]
            print(
                f"{name:<13} {model:<10} {f['pairs']} pairs ({f['positive']} one happening): joined "
                f"{f['joined']}, P {f['precision']:.3f} R {f['recall']:.3f} false-join rate "
                f"{f['false_join_rate']:.5f} AUC {f['auc']:.3f}"
            )
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
