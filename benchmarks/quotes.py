"""Attribution benchmark on PolNeAR: who said what, direct and indirect.

    python benchmarks/quotes.py --data ../shared/data/polnear --split dev

PolNeAR (Newell, Margolin, Ruths, LREC 2018) annotates US political news in brat standoff:
every attribution has a CONTENT span (possibly discontinuous), a CUE and usually a SOURCE
(the speaker phrase as written: "he", "Trump", "the ministry's spokesman, Koo Byoung-sam").
Each ``attributions/<text>_<annotator>.ann`` file is scored against the parse of its text,
so a text annotated twice counts twice. ``--split test`` and any ``--data DIR`` with the
same layout (``<split>/text/*.txt``, ``<split>/attributions/*.ann``) work unchanged.

What is scored, on word tokens (``\\w+`` runs, so punctuation and quotation marks never count):

* **content**: a predicted content matches a gold one when they share at least 50% of the
  words of the longer of the two. Matching is one-to-one, greedy by overlap.
* **speaker**: predicted speaker phrases (the local phrase, before resolution) against the
  gold SOURCE spans, with the same 50%-of-the-longer rule.
* **attribution**: content matched, and the speaker matched too (or absent on both sides:
  PolNeAR has attributions without a source, such as "it is expected that ...").

**Direct vs indirect** is decided the same way for gold and predictions, from the text: an
attribution is *direct* when at least half of its content words lie between paired quotation
marks (curly marks pair by direction, straight marks and the ``''`` of New York Times texts
alternate, a pair never crosses a line break); otherwise *indirect*. So "He said the plan was
'dead on arrival'" is indirect and '"We will win," he said' is direct. Recall per kind divides by
the gold attributions of that kind, precision by the predicted ones of that kind, over one matching
of all of them.

**Systems.** ``newsweave`` is what a reader is shown: the attributions past the precision
gate of ``analyze.quotes.attribute`` (a named speaker, an act of saying neither negated nor
inside someone else's report, a whole clause); its figures are precision and recall at that
operating point (``precision_at_operating_point`` repeats its attribution precision).
``candidates`` is every attribution the extractor finds before the gate (the recall ceiling).
``speaker_is_name`` is the share of a system's attributions whose shown speaker is a person,
organisation or government name, or a role noun phrase naming one: a person's role beside their
name, or a singular role or organisation phrase describing one speaker ("a senior State Department
official", "the Clinton campaign"; ``analyze.quotes.describes_one_speaker``).

**Baseline** (textacy's direct-quotation extractor, simplified, in this file): every quoted
passage of four or more words is a direct quote, spoken by the nearest PERSON entity outside
quotation marks in the same paragraph.

Parses are cached as spaCy DocBin files under ``--cache`` (default: a folder in the system
temp dir), keyed by the text and model, so reruns cost seconds. Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsweave.analyze.nlp import DEFAULT_MODEL, load_nlp  # noqa: E402
from newsweave.analyze.quotes import (  # noqa: E402
    ROLE_NOUNS,
    attribute,
    cue_kind,
    describes_one_speaker,
    find_attributions,
    is_clause,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear"
_WORD = re.compile(r"\w+")
_MATCH_SHARE = 0.5
_BASELINE_MIN_WORDS = 4

Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Item:
    """One attribution, gold or predicted, as character ranges."""

    content: Ranges
    source: Ranges | None
    cue: Ranges | None = None  # gold only: the CUE span ("said", "did not reveal", "according to")


@dataclass
class Document:
    name: str
    text: str
    gold: list[Item]


# --- reading PolNeAR -------------------------------------------------------------------------


def read_split(data: Path, split: str, limit: int | None = None) -> list[Document]:
    """Every (text, annotator file) pair of a split, texts sorted by name."""
    texts = sorted((data / split / "text").glob("*.txt"))
    if not texts:
        raise SystemExit(f"no texts under {data / split / 'text'}")
    if limit:
        texts = texts[:limit]
    documents = []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for ann in sorted((data / split / "attributions").glob(f"{path.stem}_*.ann")):
            documents.append(Document(f"{ann.stem}", text, read_ann(ann)))
    return documents


def read_ann(path: Path) -> list[Item]:
    """Attributions of one brat file: ``E`` lines tie Content/Source/Cue ``T`` spans together."""
    spans: dict[str, Ranges] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            ranges = tuple((int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";")))
            spans[parts[0]] = ranges
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            relations.append(roles)
    items = []
    for roles in relations:
        # a few contents are split over a second span ("Content2"): one content, two pieces
        content = tuple(
            sorted(r for key in ("Content", "Content2") for r in spans.get(roles.get(key, ""), ()))
        )
        if not content:
            continue
        items.append(Item(content, spans.get(roles.get("Source", "")), spans.get(roles.get("Cue", ""))))
    return items


# --- systems -----------------------------------------------------------------------------------


def newsweave_system(doc: Doc) -> tuple[list[Item], list[bool]]:
    """What newsweave shows a reader: the attributions past the precision gate; for each, its
    local speaker phrase (scored against the gold source) and whether the shown name is a name."""
    items, names = [], []
    for found in attribute(doc, "polnear", []):
        speaker = found.attribution.speaker
        source = ((speaker.start_char, speaker.end_char),) if speaker is not None else None
        items.append(Item(tuple(found.attribution.pieces), source))
        if found.mention is None:  # a speaker described, not named ("a senior State Department official")
            names.append(speaker is not None and is_name(speaker))
            continue
        shown = doc.char_span(found.mention.start, found.mention.end, alignment_mode="expand")
        names.append(shown is not None and is_name(shown))
    return items, names


def candidates_system(doc: Doc) -> tuple[list[Item], list[bool]]:
    """Every attribution the extractor finds, before the precision gate (the recall ceiling)."""
    items, names = [], []
    for attribution in find_attributions(doc):
        speaker = attribution.speaker
        source = ((speaker.start_char, speaker.end_char),) if speaker is not None else None
        items.append(Item(tuple(attribution.pieces), source))
        names.append(speaker is not None and is_name(speaker))
    return items, names


_NAME_LABELS = ("PERSON", "ORG", "GPE")


def is_name(span) -> bool:  # noqa: ANN001 - a spaCy Span
    """A speaker text that is a person or organisation name, or a role noun phrase naming one
    ("the ministry's spokesman, Koo Byoung-sam", "Kremlin spokesman Dmitry Peskov")."""
    root = span.root
    if root.ent_type_ in _NAME_LABELS:
        return True
    if root.lower_ in ROLE_NOUNS and any(t.ent_type_ == "PERSON" for t in span):
        return True
    # a singular role or organisation phrase describing one speaker ("a senior State Department
    # official", "the Clinton campaign"): the issue counts a role noun phrase naming one
    return describes_one_speaker(span)


def baseline_system(doc: Doc) -> tuple[list[Item], list[bool]]:
    """Quoted passages of four or more words, each given to the nearest PERSON in its paragraph."""
    text = doc.text
    quotes = paired_quotes(text)
    people = [e for e in doc.ents if e.label_ == "PERSON" and not _inside_any(e.start_char, quotes)]
    items = []
    for start, end in quotes:
        if len(_WORD.findall(text, start, end)) < _BASELINE_MIN_WORDS:
            continue
        para_start = text.rfind("\n", 0, start) + 1
        para_end = text.find("\n", end)
        para_end = len(text) if para_end < 0 else para_end
        nearby = [p for p in people if para_start <= p.start_char and p.end_char <= para_end]
        nearest = min(
            nearby,
            key=lambda p: start - p.end_char if p.end_char <= start else p.start_char - end,
            default=None,
        )
        source = ((nearest.start_char, nearest.end_char),) if nearest is not None else None
        items.append(Item(((start, end),), source))
    return items, [nearest is not None and is_name(nearest) for nearest in _sources_as_spans(doc, items)]


def _sources_as_spans(doc: Doc, items: Sequence[Item]) -> list:
    return [doc.char_span(*item.source[0]) if item.source else None for item in items]


def paired_quotes(text: str) -> list[tuple[int, int]]:
    """Quotation mark pairs: curly by direction, straight alternating, never across a line break.

    Two apostrophes (``''``) are a straight mark: the New York Times texts write every quote so.
    """
    pairs = []
    open_at: int | None = None
    for i, char in enumerate(text.replace("''", '"\x00')):  # same length, so offsets hold
        if char == "\n":
            open_at = None
        elif char == "“":
            open_at = i
        elif char == "”" or char == '"':
            if open_at is not None:
                pairs.append((open_at, i + (2 if text.startswith("''", i) else 1)))
                open_at = None
            elif char == '"':
                open_at = i
    return pairs


# --- scoring ---------------------------------------------------------------------------------


def words_of(text: str, ranges: Iterable[tuple[int, int]]) -> frozenset[int]:
    """Start offsets of the words inside the ranges: the token identity used for overlaps."""
    return frozenset(m.start() for start, end in ranges for m in _WORD.finditer(text, start, end))


def is_direct(text: str, ranges: Ranges, quotes: Sequence[tuple[int, int]]) -> bool:
    words = words_of(text, ranges)
    inside = sum(1 for w in words if _inside_any(w, quotes))
    return bool(words) and inside >= len(words) / 2


def _inside_any(position: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


def overlap_share(a: frozenset[int], b: frozenset[int]) -> float:
    """Shared words as a share of the longer span (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


def greedy_match(
    gold: Sequence[frozenset[int]], predicted: Sequence[frozenset[int]], accept: Callable[[int, int], bool]
) -> dict[int, int]:
    """One-to-one matching, best overlaps first: predicted index -> gold index."""
    pairs = []
    for g, gw in enumerate(gold):
        for p, pw in enumerate(predicted):
            share = overlap_share(gw, pw)
            if share >= _MATCH_SHARE and accept(g, p):
                pairs.append((share, g, p))
    matched: dict[int, int] = {}
    used_gold: set[int] = set()
    for _, g, p in sorted(pairs, reverse=True):
        if p not in matched and g not in used_gold:
            matched[p] = g
            used_gold.add(g)
    return matched


class Tally:
    """True positives, predictions and gold counts for one figure."""

    def __init__(self) -> None:
        self.hit_gold = self.hit_pred = self.pred = self.gold = 0

    def add(self, hit_gold: int, hit_pred: int, pred: int, gold: int) -> None:
        self.hit_gold += hit_gold
        self.hit_pred += hit_pred
        self.pred += pred
        self.gold += gold

    def prf(self) -> tuple[float, float, float]:
        precision = self.hit_pred / self.pred if self.pred else 0.0
        recall = self.hit_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


FIGURES = ("content", "speaker", "attribution", "attribution_direct", "attribution_indirect")


def score(documents: Sequence[Document], predictions: Sequence[list[Item]]) -> dict[str, Tally]:
    tallies = {name: Tally() for name in FIGURES}
    for document, predicted in zip(documents, predictions, strict=True):
        _score_document(document, predicted, tallies)
    return tallies


def _score_document(document: Document, predicted: list[Item], tallies: dict[str, Tally]) -> None:
    text, gold = document.text, document.gold
    gold_content = [words_of(text, g.content) for g in gold]
    pred_content = [words_of(text, p.content) for p in predicted]
    content = greedy_match(gold_content, pred_content, lambda g, p: True)
    tallies["content"].add(len(content), len(content), len(predicted), len(gold))

    gold_sources = sorted({g.source for g in gold if g.source})
    pred_sources = sorted({p.source for p in predicted if p.source})
    speakers = greedy_match(
        [words_of(text, s) for s in gold_sources],
        [words_of(text, s) for s in pred_sources],
        lambda g, p: True,
    )
    tallies["speaker"].add(len(speakers), len(speakers), len(pred_sources), len(gold_sources))

    whole = attribution_matches(document, predicted)
    tallies["attribution"].add(len(whole), len(whole), len(predicted), len(gold))
    quotes = paired_quotes(text)
    gold_direct = [is_direct(text, g.content, quotes) for g in gold]
    pred_direct = [is_direct(text, p.content, quotes) for p in predicted]
    for name, want in (("attribution_direct", True), ("attribution_indirect", False)):
        tallies[name].add(
            hit_gold=sum(1 for g in whole.values() if gold_direct[g] == want),
            hit_pred=sum(1 for p in whole if pred_direct[p] == want),
            pred=sum(1 for d in pred_direct if d == want),
            gold=sum(1 for d in gold_direct if d == want),
        )


def attribution_matches(document: Document, predicted: Sequence[Item]) -> dict[int, int]:
    """Predicted index -> gold index of the attributions matched in content and speaker."""
    text, gold = document.text, document.gold

    def same_speaker(g: int, p: int) -> bool:
        gs, ps = gold[g].source, predicted[p].source
        if gs is None or ps is None:
            return gs is None and ps is None
        return overlap_share(words_of(text, gs), words_of(text, ps)) >= _MATCH_SHARE

    return greedy_match(
        [words_of(text, g.content) for g in gold],
        [words_of(text, p.content) for p in predicted],
        same_speaker,
    )


# --- the ceiling: what the product may show at all (--ceiling) ------------------------------------

# Why a gold attribution is one the issue forbids newsweave to show, in the order they are asked.
CEILING_REASONS = (
    "no speaker",  # "it is expected that ...": nobody to name
    "negated cue",  # "did not reveal", "declined to say", "denied that"
    "not a verb of saying",  # belief, stance, intention: "believes", "wants to", "supports"
    "plural or collective speaker",  # "officials", "Democrats", "the crowd", "they", "X and Y"
    "document speaker",  # "the report", "a poll", "the ad": no person or organisation speaking
    "pronoun without a named antecedent",  # "he" with no person named in the sentences before
    "fragment content",  # "“homicidal ideation”": no clause, nothing a reader can check as a statement
)
_COLLECTIVE_NOUNS = frozenset(
    {
        "crowd",
        "public",
        "audience",
        "group",
        "majority",
        "minority",
        "percent",
        "people",
        "electorate",
        "half",
    }
)
_DOCUMENT_NOUNS = frozenset(
    {
        "report", "poll", "survey", "study", "statement", "ad", "advertisement", "commercial", "letter",
        "book", "website", "site", "article", "story", "memo", "release", "email", "tweet", "post",
        "video", "clip", "editorial", "ruling", "filing", "document", "bill", "law", "data", "analysis",
        "finding", "findings", "research", "review", "page", "column", "piece", "message", "transcript",
        "lawsuit", "complaint", "decision", "order", "policy", "platform", "account", "record", "index",
        "estimate", "forecast", "projection", "model", "paper", "essay", "plan", "proposal", "budget",
        "rule", "regulation", "resolution", "constitution", "bylaws", "standards", "guidelines", "text",
        "headline", "caption", "sign", "banner", "slogan", "petition", "indictment", "motion", "brief",
        "opinion", "verdict", "agreement", "treaty", "manifesto", "agenda", "script", "narration",
    }
)  # fmt: skip
_PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us", "those", "some", "others", "many", "both"})
_PERSONAL_PRONOUNS = frozenset({"he", "him", "she", "her"})
# a relative pronoun ("who", "which") is resolvable through the noun its clause hangs from
_UNNAMED_PRONOUNS = frozenset({"i", "me", "you", "it", "someone", "somebody", "anyone"})
# how many sentences back a pronoun's antecedent may stand: as far as the resolver lets the last
# speaker hold the floor (twice its window of three)
_ANTECEDENT_SENTENCES = 6


def ceiling_reason(doc: Doc, item: Item) -> str | None:
    """Why the issue forbids showing a gold attribution at all, or None when it may be shown.

    Generous where the text cannot tell: a cue outside the lexicon (a noun, a colon) counts as an
    act of saying, a singular noun phrase ("a friend", "the judge") as one speaker, and a pronoun
    as resolvable when any name (for "he"/"she") or organisation (for "it") is written outside
    quotation marks in its sentence or the six before. So the share allowed is an upper bound.
    """
    if item.source is None:
        return "no speaker"
    cue = _gold_span(doc, item.cue)
    if cue is not None:
        kinds = {cue_kind(t) for t in cue}
        if "negated" in kinds or any(t.dep_ == "neg" or t.lower_ in ("not", "n't", "never") for t in cue):
            return "negated cue"
        if "not saying" in kinds and "saying" not in kinds:
            return "not a verb of saying"
    speaker = _gold_span(doc, item.source)
    if speaker is not None:
        reason = _speaker_reason(doc, speaker)
        if reason is not None:
            return reason
    return None if is_clause(doc, list(item.content)) else "fragment content"


def _gold_span(doc: Doc, ranges: Ranges | None):  # noqa: ANN202 - a spaCy Span or None
    if not ranges:
        return None
    return doc.char_span(ranges[0][0], ranges[-1][1], alignment_mode="expand")


def _speaker_reason(doc: Doc, speaker) -> str | None:  # noqa: ANN001 - a spaCy Span
    root = speaker.root
    head = root.lower_
    named = root.ent_type_ in _NAME_LABELS  # "Sanders" is tagged a plural; "X Services" has a conjunct
    if (
        head in _PLURAL_PRONOUNS
        or head in _COLLECTIVE_NOUNS
        or root.ent_type_ == "NORP"
        or (
            not named and root.tag_ in ("NNS", "NNPS") and not root.text.isupper()
        )  # "PENCE:" in a transcript
        or any(c.dep_ == "conj" and c.ent_iob_ != "I" for c in root.children)
    ):
        return "plural or collective speaker"
    if head in _DOCUMENT_NOUNS and root.ent_type_ not in ("PERSON", "ORG", "GPE"):
        return "document speaker"
    if head in _UNNAMED_PRONOUNS:
        wanted = ("ORG", "GPE") if head == "it" else ()
    elif head in _PERSONAL_PRONOUNS:
        wanted = _NAME_LABELS  # the small model tags some people ORG or GPE
    else:
        return None
    if not wanted or not _named_before(doc, speaker, wanted):
        return "pronoun without a named antecedent"
    return None


def _named_before(doc: Doc, speaker, labels: tuple[str, ...]) -> bool:  # noqa: ANN001 - a spaCy Span
    quotes = paired_quotes(doc.text)
    sentences = list(doc.sents)
    at = next(k for k, s in enumerate(sentences) if s.start <= speaker.start < s.end)
    first = sentences[max(at - _ANTECEDENT_SENTENCES, 0)].start_char
    return any(
        e.label_ in labels
        and first <= e.start_char < speaker.start_char
        and not _inside_any(e.start_char, quotes)
        for e in doc.ents
    )


def ceiling(
    documents: Sequence[Document], docs: Sequence[Doc], shown: Sequence[list[Item]]
) -> dict[str, object]:
    """The share of gold attributions the product may show at all, overall and by kind, the count
    forbidden by each first reason, and the recall of what is shown within what may be."""
    allowed = {"all": 0, "direct": 0, "indirect": 0}
    total = {"all": 0, "direct": 0, "indirect": 0}
    hits_allowed = {"all": 0, "direct": 0, "indirect": 0}
    reasons = dict.fromkeys(CEILING_REASONS, 0)
    for document, doc, predicted in zip(documents, docs, shown, strict=True):
        quotes = paired_quotes(document.text)
        matched = set(attribution_matches(document, predicted).values())
        for g, item in enumerate(document.gold):
            kinds = ("all", "direct" if is_direct(document.text, item.content, quotes) else "indirect")
            reason = ceiling_reason(doc, item)
            for kind in kinds:
                total[kind] += 1
                allowed[kind] += reason is None
                hits_allowed[kind] += reason is None and g in matched
            if reason is not None:
                reasons[reason] += 1
    figures: dict[str, object] = {}
    for kind, suffix in (("all", ""), ("direct", "_direct"), ("indirect", "_indirect")):
        figures[f"ceiling{suffix}"] = round(allowed[kind] / total[kind], 4) if total[kind] else 0.0
        figures[f"recall_within_ceiling{suffix}"] = (
            round(hits_allowed[kind] / allowed[kind], 4) if allowed[kind] else 0.0
        )
    for reason, count in reasons.items():
        figures["ceiling_forbidden_" + reason.replace(" ", "_")] = count
    return figures


# --- parsing with a cache ------------------------------------------------------------------------


def parse_cached(texts: Sequence[str], cache: Path | None, model: str = DEFAULT_MODEL) -> list[Doc]:
    nlp = load_nlp(model)
    docs: dict[str, Doc] = {}
    missing = []
    for text in dict.fromkeys(texts):
        path = _cache_path(cache, text, model)
        if path is not None and path.exists():
            docs[text] = next(iter(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab)))
        else:
            missing.append(text)
    for text, doc in zip(missing, nlp.pipe(missing, batch_size=8), strict=True):
        docs[text] = doc
        path = _cache_path(cache, text, model)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(DocBin(docs=[doc]).to_bytes())
    return [docs[t] for t in texts]


def _cache_path(cache: Path | None, text: str, model: str) -> Path | None:
    if cache is None:
        return None
    key = hashlib.sha1((model + "\n" + text).encode("utf-8")).hexdigest()
    return cache / f"{key}.spacy"


# --- report --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="first N texts only (quick runs)")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsweave-polnear-parses"
    )
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also measure the share of gold attributions the issue allows the product to show at all",
    )
    args = parser.parse_args(argv)

    documents = read_split(args.data, args.split, args.limit)
    started = time.perf_counter()
    docs = parse_cached([d.text for d in documents], None if args.no_cache else args.cache)
    parsed = time.perf_counter()
    ours = [newsweave_system(doc) for doc in docs]
    extracted = time.perf_counter()
    runs = {
        "newsweave": ours,
        "candidates": [candidates_system(doc) for doc in docs],
        "baseline": [baseline_system(doc) for doc in docs],
    }

    results = {system: score(documents, [items for items, _ in run]) for system, run in runs.items()}
    name_share = {
        system: _share([flag for _, flags in run for flag in flags]) for system, run in runs.items()
    }
    gold_total = sum(len(d.gold) for d in documents)
    print(
        f"PolNeAR {args.split}: {len({d.text for d in documents})} texts, {len(documents)} annotation files, "
        f"{gold_total} gold attributions"
    )
    print(f"parse {parsed - started:.1f}s, newsweave extraction {extracted - parsed:.1f}s")
    print(
        "newsweave: what a reader is shown (past the precision gate); candidates: every attribution "
        "the extractor finds, before it; baseline: textacy-style quotes to the nearest PERSON"
    )
    print(f"{'system':<10} {'figure':<22} {'P':>6} {'R':>6} {'F1':>6}   (gold/pred)")
    for system, tallies in results.items():
        for name in FIGURES:
            p, r, f = tallies[name].prf()
            print(
                f"{system:<10} {name:<22} {p:6.3f} {r:6.3f} {f:6.3f}   ({tallies[name].gold}/{tallies[name].pred})"
            )
        print(f"{system:<10} {'speaker_is_name':<22} {name_share[system]:6.3f}")
    figures: dict[str, object] = {
        "split": args.split,
        "texts": len({d.text for d in documents}),
        "gold_attributions": gold_total,
    }
    for system, prefix in (("newsweave", ""), ("candidates", "candidates_"), ("baseline", "baseline_")):
        for name in FIGURES:
            p, r, f = results[system][name].prf()
            figures[f"{prefix}{name}_precision"] = round(p, 4)
            figures[f"{prefix}{name}_recall"] = round(r, 4)
            figures[f"{prefix}{name}_f1"] = round(f, 4)
        figures[f"{prefix}speaker_is_name"] = round(name_share[system], 4)
    figures["precision_at_operating_point"] = figures["attribution_precision"]
    if args.ceiling:
        figures.update(_report_ceiling(documents, docs, [items for items, _ in ours]))
    print(json.dumps(_renamed(figures)))


def _report_ceiling(
    documents: Sequence[Document], docs: Sequence[Doc], shown: Sequence[list[Item]]
) -> dict[str, object]:
    figures = ceiling(documents, docs, shown)
    print("ceiling: share of gold attributions the issue allows newsweave to show at all (upper bound)")
    for suffix, label in (("", "overall"), ("_direct", "direct"), ("_indirect", "indirect")):
        print(
            f"  {label:<9} may be shown {figures['ceiling' + suffix]:6.3f}   "
            f"newsweave recall within it {figures['recall_within_ceiling' + suffix]:6.3f}"
        )
    for reason in CEILING_REASONS:
        print(f"  forbidden: {reason:<36} {figures['ceiling_forbidden_' + reason.replace(' ', '_')]:6d}")
    return figures


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _renamed(figures: dict[str, object]) -> dict[str, object]:
    """attribution_direct_f1 -> attribution_f1_direct, the names the issue uses."""
    out = {}
    for key, value in figures.items():
        for kind in ("direct", "indirect"):
            if f"attribution_{kind}_" in key:
                key = key.replace(f"attribution_{kind}_", "attribution_") + f"_{kind}"
        out[key] = value
    return out


if __name__ == "__main__":
    main()
