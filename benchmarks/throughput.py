"""Articles per second and peak memory of the clustering stage and of the digest, at 1k/10k/50k.

    python benchmarks/throughput.py [--data DIR] [--sizes 1000,10000,50000]

Larger sets are built from ECB+ and NeuS val (../shared/data) with light perturbation: each copy
drops ~10% of its words at random, moves a dated article by up to three days and jitters its
MiniLM vector. The heavy per-article NLP (spaCy parse, MiniLM) is run once on the real articles
and cached; for the "digest" figure its per-article cost is measured on real articles in this run
and added to the measured dedup + clustering time at each size (parsing 50k articles on two
shared cores would take an hour and measures spaCy, not newsweave). Each measurement runs in a
fresh process so that ru_maxrss is that measurement's peak. Baselines: TF-IDF + average-link
agglomerative and MiniLM + HDBSCAN, where their O(n²) memory allows. Last line: one JSON object.

Last run (2026-11-23, load ~1): clustering 371 / 331 / 433 articles/s at 1k / 10k / 50k
(per-article cost 0.86x from 1k to 50k, peak RSS 1.4 GB at 50k); digest ~9 articles/s;
baselines at 10k: agglomerative 986/s, HDBSCAN 1,440/s; neither fits in memory at 50k.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cluster_data import DEFAULT_DATA, analyzed_cached, load_ecbplus, load_neus  # noqa: E402
from newsweave.cluster.clusterer import TUNED_CONFIG, StoryClusterer  # noqa: E402
from newsweave.model import AnalyzedArticle  # noqa: E402

BASELINE_MAX = 10_000  # above this the baselines' n×n distance matrices exceed this machine's memory
NLP_SAMPLE = 60  # real articles parsed and embedded to measure the per-article NLP cost


def base_items(data: Path) -> list[AnalyzedArticle]:
    return analyzed_cached(load_ecbplus(data).articles) + analyzed_cached(load_neus(data, "val").articles)


def perturbed(base: list[AnalyzedArticle], size: int, seed: int = 0) -> list[AnalyzedArticle]:
    """``size`` items: the real ones first, then lightly perturbed copies, in shuffled order."""
    rng = random.Random(seed)
    out: list[AnalyzedArticle] = []
    copy = 0
    while len(out) < size:
        for item in base:
            if len(out) >= size:
                break
            out.append(item if copy == 0 else _perturb(item, copy, rng))
        copy += 1
    rng.shuffle(out)
    return out


def _perturb(item: AnalyzedArticle, copy: int, rng: random.Random) -> AnalyzedArticle:
    from datetime import date, timedelta

    words = item.article.text.split()
    kept = " ".join(w for w in words if rng.random() > 0.1)
    published = item.article.published
    if published:
        published = (date.fromisoformat(published) + timedelta(days=rng.randint(-3, 3))).isoformat()
    article = replace(item.article, id=f"{item.article.id}~{copy}", text=kept, published=published)
    vector = item.vector
    if vector is not None:
        noisy = np.asarray(vector, dtype=np.float32) + np.random.default_rng(rng.randrange(1 << 30)).normal(
            0, 0.01, len(vector)
        ).astype(np.float32)
        vector = (noisy / np.linalg.norm(noisy)).tolist()
    mentions = [replace(m, article_id=article.id) for m in item.mentions]
    return replace(item, article=article, mentions=mentions, vector=vector)


# ---- one measurement (runs in its own process) ---------------------------------------------


def measure(system: str, size: int, data: Path) -> dict[str, float]:
    items = perturbed(base_items(data), size)
    start = time.perf_counter()
    if system == "newsweave":
        clusterer = StoryClusterer(TUNED_CONFIG)
        for item in items:
            clusterer.add(item)
        stories = clusterer.stories()
        cluster_seconds = time.perf_counter() - start
        dedup_seconds = _dedup_within_stories(items, stories)
        extra = {"stories": len(stories), "dedup_seconds": round(dedup_seconds, 2)}
    elif system == "agglomerative":
        _agglomerative(items)
        cluster_seconds, extra = time.perf_counter() - start, {}
    else:
        _hdbscan(items)
        cluster_seconds, extra = time.perf_counter() - start, {}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "system": system,
        "size": size,
        "seconds": round(cluster_seconds, 2),
        "articles_per_s": round(size / cluster_seconds, 1),
        "us_per_article": round(1e6 * cluster_seconds / size, 1),
        "peak_rss_mb": round(peak_mb, 1),
        **extra,
    }


def _dedup_within_stories(items: list[AnalyzedArticle], stories: list) -> float:
    """Dedup runs per story in the pipeline; time it the same way."""
    from newsweave.story.dedup import find_duplicates

    by_id = {i.article.id: i for i in items}
    start = time.perf_counter()
    for story in stories:
        find_duplicates([by_id[a] for a in story.articles], TUNED_CONFIG)
    return time.perf_counter() - start


def _agglomerative(items: list[AnalyzedArticle]) -> None:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = (
        TfidfVectorizer(stop_words="english", sublinear_tf=True)
        .fit_transform([f"{a.article.title}\n{a.article.text}" for a in items])
        .astype(np.float32)
    )
    distances = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    fcluster(linkage(squareform(distances, checks=False), method="average"), t=0.8, criterion="distance")


def _hdbscan(items: list[AnalyzedArticle]) -> None:
    from sklearn.cluster import HDBSCAN

    HDBSCAN(min_cluster_size=2, metric="cosine", copy=True).fit_predict(
        np.asarray([a.vector for a in items], dtype=np.float32)
    )


def nlp_seconds_per_article(data: Path) -> float:
    """Per-article cost of the analysis stage (spaCy parse + MiniLM) on real articles."""
    from newsweave.analyze.embed import embed_texts
    from newsweave.analyze.nlp import parse

    articles = (
        load_neus(data, "val").articles[: NLP_SAMPLE // 2] + load_ecbplus(data).articles[: NLP_SAMPLE // 2]
    )
    start = time.perf_counter()
    docs = parse([a.text for a in articles])
    leads = [
        a.title + " " + " ".join(s.text for s in list(d.sents)[:3])
        for a, d in zip(articles, docs, strict=True)
    ]
    embed_texts(leads)
    return (time.perf_counter() - start) / len(articles)


# ---- driver --------------------------------------------------------------------------------


def _in_subprocess(system: str, size: int, data: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", system, "--sizes", str(size), "--data", str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--one", choices=["newsweave", "agglomerative", "hdbscan"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.one:
        print(json.dumps(measure(args.one, sizes[0], args.data)))
        return {}

    base_items(args.data)  # warm the cache once, outside the timed runs
    nlp = nlp_seconds_per_article(args.data)
    print(f"analysis (spaCy + MiniLM), measured on {NLP_SAMPLE} real articles: {nlp * 1000:.1f} ms/article")
    results: list[dict[str, float]] = []
    for size in sizes:
        for system in ("newsweave", "agglomerative", "hdbscan"):
            if system != "newsweave" and size > BASELINE_MAX:
                print(f"{system:<13} {size:>6}: not run (n×n distances: {size * size * 4 / 1e9:.0f} GB)")
                continue
            row = _in_subprocess(system, size, args.data)
            if system == "newsweave":
                post = row["seconds"] + row["dedup_seconds"]
                row["digest_articles_per_s"] = round(size / (post + nlp * size), 2)
            results.append(row)
            print(
                f"{system:<13} {size:>6}: {row['articles_per_s']:>8.1f} articles/s "
                f"({row['us_per_article']:.0f} µs/article), peak RSS {row['peak_rss_mb']:.0f} MB"
                + (f"; digest {row['digest_articles_per_s']} articles/s" if system == "newsweave" else "")
            )
    ours = [r for r in results if r["system"] == "newsweave"]
    figures: dict[str, object] = {"nlp_ms_per_article": round(nlp * 1000, 1), "runs": results}
    if len(ours) >= 2:
        figures["cost_ratio_largest_vs_smallest"] = round(
            ours[-1]["us_per_article"] / ours[0]["us_per_article"], 2
        )
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
