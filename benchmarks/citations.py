"""Citation audit: does every article a story cites really state the sentence it is cited for?

    python benchmarks/citations.py --data ../shared/data [--roundups 85] [--dump /tmp/citations.jsonl]

Builds a fresh store from the AllSides headline roundups (``neus-allsides/
allsides_headline_roundups_2021-10-19.jsonl``, the newest ``--roundups`` of them, one article per
side, as ``../shared/tools/allsides_articles.py`` writes them) with the product's defaults, and
lists every *cross-article* citation a reader sees: each article cited for a summary sentence
or a corroborated claim other than the one the sentence comes from, with the evidence sentence
the judge found; and every "outlets disagree" pair. ``--dump`` writes them, texts included, for
labelling (outside the repository: the texts are the data set's).

The labels live in ``benchmarks/citation_labels.jsonl`` (keys and verdicts only, no text). Each
was given by reading the claim and the cited article's evidence sentence, by this rule:

* ``states``: the cited sentence says what the claim says, in other words or the same; it may
  say more. Attribution counts: "X said Y" is stated by "Y, X said" and by "according to X, Y";
  "Y" alone (no X) is stated only when the claim's own attribution is the reporter's.
* ``partial``: the cited sentence states part of the claim but not all of it (a number, a day,
  a name or an attribution of the claim is missing or different). Counted as not stated.
* ``not``: it speaks of the same happening without saying this, or of something else.
* for a disagreement: ``real`` when the two sentences cannot both be true of the same
  happening, ``false`` otherwise (different happenings, different people, compatible values).

Baseline in the same run: the rule the citations used before the judge (MiniLM cosine >= 0.8,
or >= 0.6 with a shared capitalised name), applied to the claim and each other article's
nearest sentence; its citations are listed and labelled the same way. Ends with one JSON line:
``citations``, ``labelled``, ``citation_precision``, ``baseline_citations``,
``baseline_labelled``, ``baseline_citation_precision``, ``unlabelled_citations``, ``disagreements``,
``false_disagreement_rate``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _analysis import embed_cached  # noqa: E402
from newsweave.config import Config  # noqa: E402
from newsweave.model import Digest, Story  # noqa: E402
from newsweave.pipeline import digest  # noqa: E402
from newsweave.store import open_store  # noqa: E402

LABELS = Path(__file__).resolve().parent / "citation_labels.jsonl"
ROUNDUPS = "neus-allsides/allsides_headline_roundups_2021-10-19.jsonl"
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--roundups", type=int, default=85)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument(
        "--dump", type=Path, default=None, help="write every citation with its texts, for labelling"
    )
    args = ap.parse_args(argv)
    result = _build(args.data / ROUNDUPS, args.roundups)
    sentences = {a.id: a for a in result.articles}
    judged = list(_judge_citations(result))
    baseline = list(_baseline_citations(result))
    conflicts = list(_disagreements(result))
    labels = _read_labels(args.labels)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for row in judged + baseline + conflicts:
                fh.write(json.dumps(row | {"label": labels.get(row["key"])}, ensure_ascii=False) + "\n")
    figures = {"stories": len(result.stories), "articles": len(sentences)}
    figures |= _precision("", judged, labels) | _precision("baseline_", baseline, labels)
    # the precision counts labelled citations only: a citation nobody has read yet must show
    figures["unlabelled_citations"] = figures["citations"] - figures["labelled"]
    real = [labels[c["key"]] for c in conflicts if c["key"] in labels]
    figures |= {
        "disagreements": len(conflicts),
        "disagreements_labelled": len(real),
        "false_disagreement_rate": round(real.count("false") / len(real), 4) if real else None,
    }
    print(json.dumps(figures))
    return figures


def _build(path: Path, limit: int) -> Digest:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "allsides.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for record in _articles(path, limit):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        store = open_store(str(Path(work) / "audit.db"))
        result, _ = digest([str(source)], Config(), store)
        return result


def _articles(path: Path, limit: int) -> Iterator[dict]:
    """The roundups as newsweave input, one record per side (newest roundups first)."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            roundup = json.loads(line)
            day = (roundup.get("date") or "")[:10] or None
            for side, art in (roundup.get("news") or {}).items():
                body = art.get("newBody") or []
                text = "\n\n".join(body) if isinstance(body, list) else str(body)
                if text.strip():
                    yield {
                        "id": f"as{roundup['id']}-{side}",
                        "title": art.get("newsTitle") or "",
                        "text": text,
                        "url": art.get("newsLink"),
                        "published": day,
                        "outlet": art.get("newsSource"),
                    }


def _key(
    claim_article: str, claim_sentence: int, cited: str, evidence_sentence: int | None, a: str, b: str
) -> str:
    digest_of_texts = hashlib.sha1((a + "\x1e" + b).encode("utf-8")).hexdigest()[:10]
    return f"{claim_article}#{claim_sentence}|{cited}#{evidence_sentence}|{digest_of_texts}"


def _judge_citations(result: Digest) -> Iterator[dict]:
    seen: set[str] = set()
    for story in result.stories:
        cited = [("summary", s.text, s.evidence) for s in story.summary]
        cited += [("corroborated", c.text, c.evidence) for c in story.corroborated]
        for kind, text, evidence in cited:
            if not evidence:
                continue
            own = evidence[0]
            for e in evidence[1:]:
                key = _key(own.article, own.sentence, e.article, e.sentence, text, e.text)
                if key not in seen:
                    seen.add(key)
                    yield {"key": key, "kind": kind, "story": story.id, "claim": text, "evidence": e.text}


def _baseline_citations(result: Digest) -> Iterator[dict]:
    """The pre-judge rule on the same claims: each other article's nearest sentence by cosine."""
    by_id = {a.id: a for a in result.articles}
    seen: set[str] = set()
    for story in result.stories:
        claims = [s.evidence[0] for s in story.summary if s.evidence]
        claims += [c.evidence[0] for c in story.corroborated if c.evidence]
        for own in claims:
            for other in _others(story, own.article):
                sentences = _sentences(by_id[other].text)
                if not sentences:
                    continue
                vectors = embed_cached(sentences)
                claim_vector = embed_cached([own.text])[0]
                sims = vectors @ claim_vector
                k = int(np.argmax(sims))
                shared_name = bool(set(_NAME.findall(own.text)[1:]) & set(_NAME.findall(sentences[k])))
                if sims[k] >= 0.8 or (sims[k] >= 0.6 and shared_name):
                    key = _key(own.article, own.sentence, other, None, own.text, sentences[k])
                    if key not in seen:
                        seen.add(key)
                        yield {
                            "key": key,
                            "kind": "baseline",
                            "story": story.id,
                            "claim": own.text,
                            "evidence": sentences[k],
                        }


def _others(story: Story, article: str) -> list[str]:
    return [a for a in story.articles if a != article]


def _sentences(text: str) -> list[str]:
    from newsweave.report.common import numbered_paragraphs

    return [s for paragraph in numbered_paragraphs(text, None) for _, s in paragraph]


def _disagreements(result: Digest) -> Iterator[dict]:
    for story in result.stories:
        for d in story.disagreements:
            a, b = d.claims[0], d.claims[1]
            key = _key(a.article, a.sentence or -1, b.article, b.sentence, a.text, b.text)
            yield {
                "key": key,
                "kind": "disagreement",
                "story": story.id,
                "about": d.about,
                "claim": a.text,
                "evidence": b.text,
            }


def _read_labels(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["key"]: r["label"] for r in rows}


def _precision(prefix: str, rows: list[dict], labels: dict[str, str]) -> dict[str, float | int | None]:
    labelled = [labels[r["key"]] for r in rows if r["key"] in labels]
    precision = round(labelled.count("states") / len(labelled), 4) if labelled else None
    return {
        f"{prefix}citations": len(rows),
        f"{prefix}labelled": len(labelled),
        f"{prefix}citation_precision": precision,
    }


if __name__ == "__main__":
    main()
