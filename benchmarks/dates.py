"""Temporal expressions on TempEval-3 (task A): found in news text and resolved against its date.

    python benchmarks/dates.py --data ../shared/data --split timebank
    python benchmarks/dates.py --data DIR --split aquaint      # the held-back part, same layout

Each ``.tml`` document is reduced to its plain text (TimeML tags stripped, offsets kept) and
its ``<DCT>`` creation date becomes the article's publication date. The text is parsed with the
project's spaCy pipeline and :func:`newsweave.analyze.dates.find_expressions` returns what the
article analysis keeps, with TIMEX3-style values, resolved only against that date.

What is scored (TempEval-3 task A, UzZaman et al. 2013):

* **extraction** precision/recall/F1, *strict* (same character span, surrounding whitespace
  ignored) and *relaxed* (the spans overlap; each gold and each prediction matched at most once);
* **value F1**: a relaxed match whose normalised ``value`` is also the gold one, precision over
  the predictions and recall over the gold expressions;
* both **overall** (every TIMEX3: DATE, TIME, DURATION, SET, as HeidelTime and the published
  figures are scored) and **DATE alone** (gold DATE expressions against predictions of kind DATE:
  what the timeline shows);
* **resolution on gold spans**: each gold DATE span is resolved with the sentence around it
  (tense of its verb, the gold expressions before it) and compared with the gold value; a second
  figure, independent of extraction.

**Baseline**, in the same run over the same gold DATE spans: ``dateparser`` (the project's
pinned version) with ``RELATIVE_BASE`` set to the creation date; its result is written at the
granularity dateparser reports (day, week, month, year). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsweave.analyze.dates import find_expressions, resolve_span  # noqa: E402
from newsweave.analyze.nlp import DEFAULT_MODEL, load_nlp  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
SPLITS = {"timebank": "TimeBank", "aquaint": "AQUAINT"}
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    kind: str
    value: str
    text: str


@dataclass
class Document:
    name: str
    dct: date
    text: str
    gold: list[Timex] = field(default_factory=list)


# --- reading TimeML ---------------------------------------------------------------------------------


def read_document(path: Path) -> Document:
    """The plain text of ``<TEXT>`` with its TIMEX3 spans, and the creation date from ``<DCT>``."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4}-\d\d-\d\d)", raw)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if dct is None or body is None:
        raise ValueError(f"{path.name}: no <DCT> date or no <TEXT> element")
    parts: list[str] = []
    length = 0
    gold: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    position = 0
    source = body.group(1)
    for tag in _TAG.finditer(source):
        chunk = html.unescape(source[position : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        position = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTRIBUTE.findall(tag.group(3))))
        elif open_timex is not None:
            start, attributes = open_timex
            gold.append(Timex(start, length, attributes.get("type", ""), attributes.get("value", ""), ""))
            open_timex = None
    parts.append(html.unescape(source[position:]))
    text = "".join(parts)
    gold = [_trimmed(text, t) for t in gold]
    return Document(path.stem, date.fromisoformat(dct.group(1)), text, [t for t in gold if t.end > t.start])


def _trimmed(text: str, t: Timex) -> Timex:
    """The span without surrounding whitespace (span edges are compared after this on both sides)."""
    start, end = t.start, t.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Timex(start, end, t.kind, t.value, text[start:end])


def read_split(data: Path, split: str) -> list[Document]:
    folder = data / "tempeval3" / SPLITS[split]
    if not folder.is_dir() and (data / SPLITS[split]).is_dir():
        folder = data / SPLITS[split]  # --data pointing at the tempeval3 folder itself
    files = sorted(folder.glob("*.tml"))
    if not files:
        raise SystemExit(f"no .tml files in {folder} (expected DIR/tempeval3/{SPLITS[split]}/*.tml)")
    return [read_document(f) for f in files]


# --- scoring ----------------------------------------------------------------------------------------


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed_gold: int = 0
    relaxed_predicted: int = 0
    value_gold: int = 0
    value_predicted: int = 0

    def add(self, gold: Sequence[Timex], predicted: Sequence[Timex]) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        spans = {(g.start, g.end) for g in gold}
        self.strict += sum((p.start, p.end) in spans for p in predicted)
        pairs = _one_to_one(gold, predicted)
        self.relaxed_gold += len(pairs)
        self.relaxed_predicted += len(pairs)
        right = sum(gold[g].value == predicted[p].value for g, p in pairs)
        self.value_gold += right
        self.value_predicted += right

    def figures(self) -> dict[str, float]:
        out = {}
        for name, hit_p, hit_r in (
            ("strict", self.strict, self.strict),
            ("relaxed", self.relaxed_predicted, self.relaxed_gold),
            ("value", self.value_predicted, self.value_gold),
        ):
            p = hit_p / self.predicted if self.predicted else 0.0
            r = hit_r / self.gold if self.gold else 0.0
            out[f"{name}_p"], out[f"{name}_r"] = round(p, 4), round(r, 4)
            out[f"{name}_f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
        return out


def _one_to_one(gold: Sequence[Timex], predicted: Sequence[Timex]) -> list[tuple[int, int]]:
    """Overlapping gold/prediction pairs, each used once, the largest overlaps first."""
    candidates = sorted(
        (
            (min(g.end, p.end) - max(g.start, p.start), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if g.start < p.end and p.start < g.end
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


# --- the baseline -------------------------------------------------------------------------------------


def dateparser_value(text: str, dct: date) -> str | None:
    """dateparser's reading of ``text`` written at the granularity it reports."""
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"], settings={"RELATIVE_BASE": datetime(dct.year, dct.month, dct.day)}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = parser.get_date_data(text)
    found = data.date_obj
    if found is None:
        return None
    period = data.period or "day"
    if period == "year":
        return f"{found.year:04d}"
    if period == "month":
        return f"{found.year:04d}-{found.month:02d}"
    if period == "week":
        year, week, _ = found.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return found.date().isoformat()


# --- the run ------------------------------------------------------------------------------------------


def run(documents: Sequence[Document], model: str, show_errors: int = 0) -> dict[str, object]:
    nlp = load_nlp(model)
    overall, dates_only = Counts(), Counts()
    gold_dates = ours_right = baseline_right = 0
    misses: list[str] = []
    kinds: Counter[str] = Counter()
    for document, doc in zip(documents, nlp.pipe([d.text for d in documents], batch_size=8), strict=True):
        found = find_expressions(doc, document.dct, "published")
        predicted = [Timex(e.start, e.end, e.kind, e.value or "", e.text) for e in found]
        overall.add(document.gold, predicted)
        dates_only.add(
            [g for g in document.gold if g.kind == "DATE"], [p for p in predicted if p.kind == "DATE"]
        )
        previous = None
        for g in document.gold:
            kinds[g.kind] += 1
            # every gold expression passes on what later ones refer to ("the first nine months, ...
            # a year earlier"); only the DATE ones are scored
            resolved, previous = resolve_span(doc, g.start, g.end, document.dct, "published", previous)
            if g.kind != "DATE":
                continue
            gold_dates += 1
            value = resolved.value if resolved else None
            ours_right += value == g.value
            baseline_right += dateparser_value(g.text, document.dct) == g.value
            if value != g.value and len(misses) < show_errors:
                misses.append(f"{document.name} dct={document.dct} {g.text!r}: gold {g.value} ours {value}")
    for line in misses:
        print("  miss", line)
    return {
        "documents": len(documents),
        "gold_by_type": dict(kinds),
        "overall": overall.figures(),
        "date": dates_only.figures(),
        "gold_dates": gold_dates,
        "date_value_accuracy_gold_spans": round(ours_right / gold_dates, 4) if gold_dates else 0.0,
        "baseline_dateparser_accuracy_gold_spans": round(baseline_right / gold_dates, 4)
        if gold_dates
        else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding tempeval3/")
    parser.add_argument("--split", choices=sorted(SPLITS), default="timebank")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline package")
    parser.add_argument("--show-errors", type=int, default=0, help="print this many wrong gold-span values")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    documents = read_split(args.data, args.split)
    result = run(documents, args.model, args.show_errors)
    overall, dates = result["overall"], result["date"]
    print(f"TempEval-3 {args.split}: {result['documents']} documents, gold {result['gold_by_type']}")
    for name, figures in (("overall (all TIMEX3)", overall), ("DATE alone", dates)):
        print(
            f"  {name:20} strict P/R/F1 {figures['strict_p']:.3f}/{figures['strict_r']:.3f}/{figures['strict_f1']:.3f}"
            f"  relaxed {figures['relaxed_p']:.3f}/{figures['relaxed_r']:.3f}/{figures['relaxed_f1']:.3f}"
            f"  value {figures['value_p']:.3f}/{figures['value_r']:.3f}/{figures['value_f1']:.3f}"
        )
    print(
        f"  DATE value accuracy on {result['gold_dates']} gold spans: newsweave "
        f"{result['date_value_accuracy_gold_spans']:.3f}, dateparser baseline "
        f"{result['baseline_dateparser_accuracy_gold_spans']:.3f}"
    )
    print(
        json.dumps(
            {
                "split": args.split,
                "strict_f1": overall["strict_f1"],
                "relaxed_f1": overall["relaxed_f1"],
                "value_f1": overall["value_f1"],
                "date_strict_f1": dates["strict_f1"],
                "date_relaxed_f1": dates["relaxed_f1"],
                "date_value_f1": dates["value_f1"],
                "date_value_accuracy_gold_spans": result["date_value_accuracy_gold_spans"],
                "baseline_dateparser_date_value_accuracy_gold_spans": result[
                    "baseline_dateparser_accuracy_gold_spans"
                ],
                "seconds": round(time.perf_counter() - began, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
