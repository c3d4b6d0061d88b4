"""Where the online clusterer's stories disagree with a gold grouping, and what a reading of them allows.

    python benchmarks/story_errors.py --dataset ecbplus|neus|allsides [--data DIR] [--split dev|test]
        [--seed N] [--limit N] [--dump-errors FILE] [--readings FILE]

A gold group (an AllSides roundup, a NeuS story, an ECB+ sub-topic) is one editor's grouping. This
lists, for the online clustering of ``benchmarks/clustering.py`` (same data, order and seed), every
pair of gold groups the clusterer put into one story (a *merge*: what costs precision) and every gold
group it spread over two or more stories (a *split*: what costs recall), each with the gold group's own
title where the data has one and, per article, its title, outlet, date, opinion tag and first sentence.

``--readings FILE`` reads one line per case, ``merge:<g1>+<g2>`` or ``split:<g>``, then a tab and the
verdict by the issue's definition of a story (one real-world happening or development):
``a`` the gold is right and the clusterer wrong, ``b`` the clusterer is right and the gold groups
otherwise, ``c`` the text cannot tell; then a tab, the kind and a note (``#`` starts a comment line);
a split may add a fifth field: article ids (comma-separated) that stay apart when the split is fixed
(a roundup whose pieces are mostly one happening and partly another).
It then prints the ceiling: BCubed and pairwise figures against the gold of the clustering with every
``a`` decision made right and every ``b`` decision kept as it is now (``c`` kept as now for the lower
ceiling, made right for the upper), beside the clustering as it is. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cluster_data import DEFAULT_DATA, analyzed_cached  # noqa: E402
from clustering import load, run_newsweave, scores  # noqa: E402
from newsweave.cluster.clusterer import TUNED_CONFIG  # noqa: E402
from newsweave.model import Article  # noqa: E402

VERDICTS = ("a", "b", "c")


@dataclass(frozen=True)
class Case:
    """One disagreement: ``kind`` "merge" (two gold groups in one story) or "split" (one gold group
    in several stories); ``groups`` the gold groups concerned; ``stories`` the stories concerned."""

    kind: str
    groups: tuple[str, ...]
    stories: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}:{'+'.join(self.groups)}"


def disagreements(pred: dict[str, str], gold: dict[str, str]) -> list[Case]:
    """Every merged pair of gold groups and every split gold group, merges first, in a stable order."""
    groups_in: dict[str, set[str]] = {}
    stories_of: dict[str, set[str]] = {}
    for item, story in pred.items():
        groups_in.setdefault(story, set()).add(gold[item])
        stories_of.setdefault(gold[item], set()).add(story)
    merged: dict[tuple[str, ...], set[str]] = {}
    for story, groups in groups_in.items():
        for pair in combinations(sorted(groups, key=_order), 2):
            merged.setdefault(pair, set()).add(story)
    merges = [Case("merge", pair, tuple(sorted(stories))) for pair, stories in merged.items()]
    splits = [
        Case("split", (group,), tuple(sorted(stories)))
        for group, stories in stories_of.items()
        if len(stories) > 1
    ]
    return sorted(merges, key=lambda c: [_order(g) for g in c.groups]) + sorted(
        splits, key=lambda c: _order(c.groups[0])
    )


def _order(group: str) -> tuple[int, str]:
    """Numeric gold ids (NeuS stories, AllSides roundups) in number order, others by name."""
    return (int(group), "") if group.isdigit() else (0, group)


@dataclass(frozen=True)
class Reading:
    verdict: str
    apart: frozenset[str] = frozenset()  # articles of a fixed split that stay where they are


def ceiling(
    pred: dict[str, str], gold: dict[str, str], readings: dict[str, Reading], fix: tuple[str, ...] = ("a",)
) -> dict[str, str]:
    """The clustering with every case whose verdict is in ``fix`` decided as the gold decides it and
    every other case left as ``pred`` decides it. Its parts are the pieces (a story's articles of one
    gold group); two pieces of one story stay together unless their merge is fixed, two pieces of one
    gold group in different stories join when its split is fixed (an article a reading keeps apart
    is a piece of its own); a story is a connected set of pieces."""
    apart = {item for r in readings.values() if r.verdict in fix for item in r.apart}
    piece = {
        item: f"{pred[item]}\x1f{gold[item]}" + (f"\x1f{item}" if item in apart else "") for item in pred
    }
    verdicts = {key: r.verdict for key, r in readings.items()}
    parent = {p: p for p in set(piece.values())}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(x: str, y: str) -> None:
        parent[root(x)] = root(y)

    pieces = sorted(parent)
    for x, y in combinations(pieces, 2):
        (story_x, group_x, *alone_x), (story_y, group_y, *alone_y) = x.split("\x1f"), y.split("\x1f")
        if alone_x or alone_y:
            if story_x == story_y and group_x != group_y:
                pair = "+".join(sorted((group_x, group_y), key=_order))
                if verdicts.get(f"merge:{pair}") not in fix:
                    join(x, y)
            elif story_x == story_y:
                join(x, y)  # kept apart from its group's other stories, not from its own
        elif story_x == story_y:
            pair = "+".join(sorted((group_x, group_y), key=_order))
            if verdicts.get(f"merge:{pair}") not in fix:
                join(x, y)
        elif group_x == group_y and verdicts.get(f"split:{group_x}") in fix:
            join(x, y)
    return {item: root(p) for item, p in piece.items()}


def read_verdicts(path: Path) -> dict[str, Reading]:
    """``key<TAB>verdict<TAB>kind<TAB>note[<TAB>apart ids]`` lines; an unknown verdict is an error
    naming the line."""
    out: dict[str, Reading] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or fields[1].strip() not in VERDICTS:
            raise ValueError(f"{path}:{number}: want 'key<TAB>a|b|c<TAB>kind<TAB>note', got {line!r}")
        apart = fields[4].split(",") if len(fields) > 4 and fields[4].strip() else []
        out[fields[0].strip()] = Reading(fields[1].strip(), frozenset(a.strip() for a in apart))
    return out


# ---- what is shown for each case -------------------------------------------------------------


def group_titles(dataset: str, data: Path, split: str) -> dict[str, str]:
    """The gold group's own title: the AllSides roundup's headline and date, the NeuS neutral title."""
    if dataset == "allsides":
        path = sorted((data / "neus-allsides").glob("allsides_headline_roundups_*.jsonl"))[-1]
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return {
            str(r["id"]): f"{r.get('issue', '')} [{r.get('topic', '')}, {(r.get('date') or '')[:10]}]"
            for r in rows
        }
    if dataset == "neus":
        name = "val" if split == "dev" else "test"
        lines = (data / "neus-allsides" / "probe" / f"{name}.target").read_text(encoding="utf-8").splitlines()
        return {
            str(i): line.split("ARTICLE=>")[0].replace("TITLE=>", "").strip() for i, line in enumerate(lines)
        }
    return {}


def opinion_tags(dataset: str, data: Path) -> dict[str, str]:
    """AllSides marks some linked pieces as opinion or analysis; article id → that tag."""
    if dataset != "allsides":
        return {}
    path = sorted((data / "neus-allsides").glob("allsides_headline_roundups_*.jsonl"))[-1]
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            for stance, news in (row.get("news") or {}).items():
                if news.get("opinionTag"):
                    out[f"as{row['id']}-{stance}"] = str(news["opinionTag"])
    return out


def describe(
    case: Case,
    pred: dict[str, str],
    gold: dict[str, str],
    articles: dict[str, Article],
    first: dict[str, str],
    titles: dict[str, str],
    tags: dict[str, str],
) -> str:
    stories = set(case.stories)
    lines = [f"== {case.key}  (stories {', '.join(case.stories)})"]
    for group in case.groups:
        lines.append(f"  [{group}] {titles.get(group, '')}")
        members = sorted((i for i in gold if gold[i] == group), key=lambda i: (pred[i], i))
        for item in members:
            a = articles[item]
            where = pred[item] if pred[item] in stories else f"{pred[item]} (elsewhere)"
            tag = f" <{tags[item]}>" if item in tags else ""
            lines.append(f"    {item} | story {where} | {a.published or '-'} | {a.outlet or '-'}{tag}")
            lines.append(f"      T: {a.title}")
            lines.append(f"      S: {first.get(item, '')[:300]}")
    return "\n".join(lines)


def _bcubed_row(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:<34} BCubed P {figures['bcubed_p']:.3f} R {figures['bcubed_r']:.3f} "
        f"F1 {figures['bcubed_f1']:.3f} | pairwise F1 {figures['pairwise_f1']:.3f}"
    )


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=["ecbplus", "neus", "allsides"], required=True)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--seed", type=int, default=0, help="shuffles ECB+ and NeuS as clustering.py does")
    parser.add_argument("--limit", type=int, default=None, help="only the first N gold groups")
    parser.add_argument("--dump-errors", type=Path, default=None, help="write every case, readable, here")
    parser.add_argument("--readings", type=Path, default=None, help="verdicts per case: print the ceiling")
    args = parser.parse_args(argv)

    labelled = load(args.dataset, args.data, args.split)
    if args.limit:
        from clustering import first_happenings

        labelled = first_happenings(labelled, args.limit)
    items = analyzed_cached(labelled.articles)
    if args.dataset != "allsides":
        random.Random(args.seed).shuffle(items)
    story_of, _, _, _ = run_newsweave(items, TUNED_CONFIG)
    gold = labelled.event
    cases = disagreements(story_of, gold)
    figures: dict[str, object] = {
        "dataset": args.dataset,
        "split": args.split,
        "seed": args.seed,
        "documents": len(items),
        "gold_groups": len(set(gold.values())),
        "stories": len(set(story_of.values())),
        "merges": sum(c.kind == "merge" for c in cases),
        "splits": sum(c.kind == "split" for c in cases),
        "newsweave_story": scores(story_of, gold),
    }
    print(
        f"{args.dataset} {args.split}: {len(items)} documents, {figures['gold_groups']} gold groups, "
        f"{figures['stories']} stories; {figures['merges']} merged pairs, {figures['splits']} split groups"
    )
    print(_bcubed_row("newsweave online (as now)", figures["newsweave_story"]))  # type: ignore[arg-type]
    if args.dump_errors:
        articles = {a.article.id: a.article for a in items}
        first = {a.article.id: (a.sentences[0].text if a.sentences else a.article.text[:300]) for a in items}
        titles = group_titles(args.dataset, args.data, args.split)
        tags = opinion_tags(args.dataset, args.data)
        text = "\n\n".join(describe(c, story_of, gold, articles, first, titles, tags) for c in cases)
        args.dump_errors.write_text(text + "\n", encoding="utf-8")
        print(f"{len(cases)} cases written to {args.dump_errors}")
    if args.readings:
        figures.update(_ceilings(story_of, gold, cases, read_verdicts(args.readings)))
    print(json.dumps(figures))
    return figures


def _ceilings(
    story_of: dict[str, str], gold: dict[str, str], cases: list[Case], verdicts: dict[str, Reading]
) -> dict[str, object]:
    keys = {c.key for c in cases}
    unread = sorted(keys - set(verdicts))
    stale = sorted(set(verdicts) - keys)
    tally = Counter(f"{c.kind}:{verdicts[c.key].verdict}" for c in cases if c.key in verdicts)
    print(f"verdicts: {dict(sorted(tally.items()))}; unread {len(unread)}; not a case now {len(stale)}")
    out: dict[str, object] = {"verdicts": dict(sorted(tally.items())), "unread": unread, "stale": stale}
    out["ceiling_story"] = scores(ceiling(story_of, gold, verdicts, ("a",)), gold)
    out["ceiling_story_c_fixed"] = scores(ceiling(story_of, gold, verdicts, ("a", "c")), gold)
    print(_bcubed_row("ceiling: (a) fixed, (b),(c) as now", out["ceiling_story"]))  # type: ignore[arg-type]
    print(_bcubed_row("ceiling: (a),(c) fixed, (b) as now", out["ceiling_story_c_fixed"]))  # type: ignore[arg-type]
    return out


if __name__ == "__main__":
    main()
