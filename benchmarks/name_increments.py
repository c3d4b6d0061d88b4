"""Entities of a store built in small ingests against one full resolution of the same store.

    python benchmarks/name_increments.py --data ../shared/data [--split dev|test] [--pool excerpt|full]
        [--articles 400] [--batch 10]

An ingest resolves only the names of the stories it touched, beside the stored names that share a
lookup key with theirs (``newsweave.names.increment``); a full run (``rebuild``) resolves every
stored name. This builds a store from ``--articles`` articles of ``benchmarks/scale.py``'s pool
(``--split dev`` the first half of the pool, ``test`` the second), in publication order, ``--batch``
at a time, then resolves every name again in one run, and compares the entity each mention was
given:

* ``same_entity_share``: mentions whose entity id is the full run's;
* BCubed precision / recall / F1 of the mentions' grouping into entities, the full run's as gold
  (precision below 1: an increment joined what the full run keeps apart);
* entities in the store after the increments and after the full run;
* the resolution stage's seconds: per ingest (mean and the last five) and of the full run. The
  baseline in the same run is the full run: what every ingest cost before.

Ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsweave import pipeline  # noqa: E402
from newsweave.config import Config  # noqa: E402
from newsweave.store import open_store  # noqa: E402
from scale import DEFAULT_DATA, article_pool, write_set  # noqa: E402


def assignment(store: Any) -> dict[tuple[str, int], str]:
    """(article, mention index) → entity, as each article's kept resolution has it."""
    kept = store.load_resolutions(store.article_ids())
    return {(a, n): e for a, text in kept.items() for n, e in enumerate(json.loads(text)["m"]) if e}


def bcubed(guess: dict[tuple[str, int], str], gold: dict[tuple[str, int], str]) -> tuple[float, float, float]:
    items = [k for k in gold if k in guess]
    by_guess: dict[str, set[tuple[str, int]]] = defaultdict(set)
    by_gold: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for k in items:
        by_guess[guess[k]].add(k)
        by_gold[gold[k]].add(k)
    p = sum(len(by_guess[guess[k]] & by_gold[gold[k]]) / len(by_guess[guess[k]]) for k in items)
    r = sum(len(by_guess[guess[k]] & by_gold[gold[k]]) / len(by_gold[gold[k]]) for k in items)
    p, r = p / max(1, len(items)), r / max(1, len(items))
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def same_names(
    stepwise: dict[tuple[str, int], str],
    full: dict[tuple[str, int], str],
    names_stepwise: dict[str, str],
    names_full: dict[str, str],
) -> float:
    """Share of mentions whose entity is named as the full run names it (an increment keeps an
    entity's id when its name changes; a full run's id follows the name)."""
    same = sum(names_stepwise.get(stepwise.get(k, ""), "") == names_full.get(e, "") for k, e in full.items())
    return same / max(1, len(full))


def joined_apart(
    stepwise: dict[tuple[str, int], str],
    full: dict[tuple[str, int], str],
    names_stepwise: dict[str, str],
    names_full: dict[str, str],
    store: Any,
) -> str:
    """One line per entity of the increments that holds mentions of several full-run entities."""
    texts = {
        (a.article.id, n): f"{m.type}:{m.text}"
        for a in store.load_analyses(store.article_ids(), names_only=True)
        for n, m in enumerate(a.mentions)
    }
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for k, e in full.items():
        if k in stepwise:
            parts[stepwise[k]][names_full.get(e, e)].append(f"{texts.get(k, '?')}@{k[0]}")
    lines = [
        f"{names_stepwise.get(e, e)}\t" + " | ".join(f"{n}: {', '.join(ms[:4])}" for n, ms in by.items())
        for e, by in parts.items()
        if len(by) > 1
    ]
    return "\n".join(sorted(lines)) + "\n"


def timed_resolve(run: Any) -> float:
    """Seconds of the resolution stage of ``run(progress)``."""
    span: dict[str, float] = {}

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "resolve":
            span.setdefault("start" if done == 0 else "end", time.perf_counter())

    run(progress)
    return span.get("end", 0.0) - span.get("start", 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--pool", choices=["excerpt", "full"], default="excerpt")
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument(
        "--dump", type=Path, help="write each entity the increments made of several of the full run's"
    )
    args = parser.parse_args()
    pool = article_pool(args.data, args.pool)
    half = len(pool) // 2
    records = (pool[:half] if args.split == "dev" else pool[half:])[: args.articles]
    records.sort(key=lambda r: (r.get("published") or "", r["id"]))
    work = Path(tempfile.mkdtemp(prefix="newsweave-name-increments-"))
    config = Config(db=str(work / "store.db"))
    seconds: list[float] = []
    with open_store(config.db) as store:
        for n in range(0, len(records), args.batch):
            folder = write_set(records[n : n + args.batch], work / f"batch-{n:06d}")
            seconds.append(
                timed_resolve(lambda progress, f=folder: pipeline.ingest([str(f)], config, store, progress))
            )
        stepwise, entities_stepwise = assignment(store), store.count_entities()
        names_stepwise = {e.id: e.name for e in store.list_entities(limit=10**9)}
        full_s = timed_resolve(lambda progress: pipeline.rebuild_stories(config, store, progress))
        full, entities_full = assignment(store), store.count_entities()
        names_full = {e.id: e.name for e in store.list_entities(limit=10**9)}
        if args.dump:
            args.dump.write_text(joined_apart(stepwise, full, names_stepwise, names_full, store))
    same = sum(stepwise.get(k) == e for k, e in full.items()) / max(1, len(full))
    named = same_names(stepwise, full, names_stepwise, names_full)
    p, r, f = bcubed(stepwise, full)
    figures = {
        "pool": args.pool,
        "split": args.split,
        "articles": len(records),
        "batch": args.batch,
        "mentions": len(full),
        "same_entity_share": round(same, 4),
        "bcubed_p": round(p, 4),
        "bcubed_r": round(r, 4),
        "bcubed_f1": round(f, 4),
        "same_name_share": round(named, 4),
        "entities_stepwise": entities_stepwise,
        "entities_full": entities_full,
        "resolve_s_mean": round(sum(seconds) / max(1, len(seconds)), 3),
        "resolve_s_last5": [round(s, 3) for s in seconds[-5:]],
        "full_resolve_s": round(full_s, 3),
    }
    print(
        f"{len(records)} articles in ingests of {args.batch}: {same:.2%} of {len(full)} mentions as a full run"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
