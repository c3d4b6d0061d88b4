"""Summary benchmark on NeuS/AllSides: ROUGE against neutral editor-written summaries, and faithfulness.

    python benchmarks/summary.py --data ../shared/data/neus-allsides --split val

Each line of ``probe/<split>.source`` is one story told by three outlets (left, centre,
right, separated by ``[SEP]``); ``<split>.target`` holds the AllSides editors' neutral
summary. In the same run and under the same word budget (default 60 words: the median
target is 56 words, the mean 66), it scores newsweave's summary, lead-3 of each article,
the leads of the three articles in turn, and sumy's LexRank and TextRank over the same
sentences. Every system fills its budget the same way: whole sentences in its own order
of preference, skipping one that no longer fits.

Faithfulness: (1) every summary sentence must be a sentence of its first cited article,
*unchanged* (whitespace aside): ``sentence_of_cited_article``; (2) every cited article must come
with evidence, a sentence of that article the support judge says states the summary sentence:
``citations_with_evidence``; (3) for comparison with earlier runs, how many cited articles hold
a sentence whose MiniLM cosine to the summary sentence reaches ``--support-threshold`` (0.6), and
how often a sentence of an *unrelated* story reaches it (cosine cannot tell a paraphrase from a
neighbouring fact: whether a cited article really states a sentence is measured by reading, in
``benchmarks/citations.py``). Ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _analysis import analyze_with_vectors, embed_cached  # noqa: E402
from newsweave.model import AnalyzedArticle, Article, Story  # noqa: E402
from newsweave.story.compare import compare_story  # noqa: E402
from newsweave.story.summarize import summarize_story  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "neus-allsides"
_FIELD = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", re.S)


def read_split(data: Path, split: str) -> tuple[list[list[Article]], list[str]]:
    """Stories (three articles each) and their reference summaries."""
    sources = (data / "probe" / f"{split}.source").read_text(encoding="utf-8").splitlines()
    targets = (data / "probe" / f"{split}.target").read_text(encoding="utf-8").splitlines()
    if len(sources) != len(targets):
        raise SystemExit(f"{split}: {len(sources)} source lines but {len(targets)} target lines")
    stories = []
    for n, line in enumerate(sources):
        articles = []
        for k, part in enumerate(line.split("[SEP]")):
            title, text = _title_and_text(part)
            articles.append(Article(id=f"{n}-{k}", title=title, text=text, outlet=f"outlet-{k}"))
        stories.append(articles)
    return stories, [_title_and_text(t)[1] for t in targets]


def _title_and_text(field: str) -> tuple[str, str]:
    m = _FIELD.search(field)
    return (m.group(1).rstrip("."), m.group(2).strip()) if m else ("", field.strip())


def fill_budget(ranked: Sequence[str], budget: int) -> str:
    """Whole sentences in order of preference, skipping any that no longer fits the budget."""
    chosen, left = [], budget
    for sentence in ranked:
        n = len(sentence.split())
        if n <= left:
            chosen.append(sentence)
            left -= n
    if not chosen and ranked:
        chosen = [" ".join(ranked[0].split()[:budget])]
    return " ".join(chosen)


def sentences_of(a: AnalyzedArticle) -> list[str]:
    return [s.text for s in a.sentences]


# --- baselines ---------------------------------------------------------------------------------


class ListTokenizer:
    """sumy tokenizer that needs no NLTK data: the sentences come from our spaCy split."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?", sentence)


def sumy_ranking(kind: str) -> Callable[[list[AnalyzedArticle]], list[str]]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = ListTokenizer()

    def rank(members: list[AnalyzedArticle]) -> list[str]:
        document = ObjectDocumentModel(
            [Paragraph([SumySentence(text, tokenizer) for text in sentences_of(m)]) for m in members]
        )
        order: list[str] = []
        # sumy returns the top k in document order; growing k recovers its full ranking
        for k in range(1, len(document.sentences) + 1):
            for s in summarizer(document, k):
                if str(s) not in order:
                    order.append(str(s))
        return order

    return rank


def lead_of(k: int) -> Callable[[list[AnalyzedArticle]], list[str]]:
    return lambda members: sentences_of(members[k])[:3] if k < len(members) else []


def leads_in_turn(members: list[AnalyzedArticle]) -> list[str]:
    """First sentence of each article, then the second of each, ..."""
    out = []
    for i in range(max(len(m.sentences) for m in members)):
        out += [m.sentences[i].text for m in members if i < len(m.sentences)]
    return out


# --- faithfulness ------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def faithfulness(
    stories: list[list[AnalyzedArticle]], summaries: list[list], threshold: float, seed: int = 0
) -> dict[str, float]:
    verbatim = unchanged = total = supported = cited = evidenced = null_hits = null_total = 0
    rng = random.Random(seed)
    for members, summary in zip(stories, summaries, strict=True):
        by_id = {m.article.id: m for m in members}
        if not summary:
            continue
        vectors = embed_cached([s.text for s in summary])
        for sentence, vector in zip(summary, vectors, strict=True):
            total += 1
            verbatim += any(_norm(sentence.text) in _norm(by_id[a].article.text) for a in sentence.sources)
            own = by_id[sentence.sources[0]].sentences
            unchanged += any(_norm(sentence.text) == _norm(s.text) for s in own)
            evidence = {e.article: e for e in sentence.evidence}
            for a in sentence.sources:
                cited += 1
                supported += _best_cosine(vector, by_id[a]) >= threshold
                found = evidence.get(a)
                evidenced += found is not None and any(
                    _norm(found.text) == _norm(s.text) for s in by_id[a].sentences
                )
            other = rng.choice(stories)  # null model: an article of some other story
            if other is not members:
                null_total += 1
                null_hits += _best_cosine(vector, other[0]) >= threshold
    return {
        "sentence_of_cited_article": unchanged / total if total else 1.0,
        "citations_with_evidence": evidenced / cited if cited else 1.0,
        "verbatim_in_cited_article": verbatim / total if total else 1.0,
        "cited_article_supports": supported / cited if cited else 1.0,
        "unrelated_article_reaches_threshold": null_hits / null_total if null_total else 0.0,
        "summary_sentences": total,
        "citations": cited,
    }


def _best_cosine(vector: np.ndarray, article: AnalyzedArticle) -> float:
    if not article.sentence_vectors:
        return 0.0
    return float(np.max(np.asarray(article.sentence_vectors) @ vector))


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="val")
    parser.add_argument("--words", type=int, default=60, help="word budget for every system")
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories (quick runs)")
    parser.add_argument("--support-threshold", type=float, default=0.6)
    args = parser.parse_args(argv)

    started = time.time()
    stories, references = read_split(args.data, args.split)
    if args.limit:
        stories, references = stories[: args.limit], references[: args.limit]
    flat = analyze_with_vectors([a for story in stories for a in story])
    analyzed, pos = [], 0
    for story in stories:
        analyzed.append(flat[pos : pos + len(story)])
        pos += len(story)
    print(
        f"{args.split}: {len(stories)} stories, {len(flat)} articles, budget {args.words} words", flush=True
    )

    outputs: dict[str, list[str]] = {"newsweave": []}
    summaries = []
    for n, members in enumerate(analyzed):
        story = Story(id=str(n), headline="", articles=[m.article.id for m in members])
        comparison = compare_story(story, members)
        _, summary = summarize_story(story, members, comparison, words=args.words)
        summaries.append(summary)
        outputs["newsweave"].append(" ".join(s.text for s in summary))
    baselines: dict[str, Callable[[list[AnalyzedArticle]], list[str]]] = {
        "lead3_article1": lead_of(0),
        "lead3_article2": lead_of(1),
        "lead3_article3": lead_of(2),
        "leads_in_turn": leads_in_turn,
        "lexrank": sumy_ranking("lexrank"),
        "textrank": sumy_ranking("textrank"),
    }
    for name, rank in baselines.items():
        outputs[name] = [fill_budget(rank(members), args.words) for members in analyzed]

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    figures: dict[str, dict[str, float]] = {}
    print(f"{'system':16} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>6}")
    for name, texts in outputs.items():
        scores = [scorer.score(ref, hyp) for ref, hyp in zip(references, texts, strict=True)]
        figures[name] = {
            m: round(100 * float(np.mean([s[m].fmeasure for s in scores])), 2)
            for m in ("rouge1", "rouge2", "rougeL")
        }
        figures[name]["words"] = round(float(np.mean([len(t.split()) for t in texts])), 1)
        f = figures[name]
        print(f"{name:16} {f['rouge1']:6.2f} {f['rouge2']:6.2f} {f['rougeL']:6.2f} {f['words']:6.1f}")
    best = max((n for n in figures if n != "newsweave"), key=lambda n: figures[n]["rouge1"])
    faith = faithfulness(analyzed, summaries, args.support_threshold)
    print(
        f"best baseline by ROUGE-1: {best} ({figures[best]['rouge1']:.2f}); "
        f"newsweave {figures['newsweave']['rouge1'] - figures[best]['rouge1']:+.2f} points"
    )
    print(
        f"faithfulness: {100 * faith['sentence_of_cited_article']:.1f}% of summary sentences are a sentence of "
        f"their first cited article, unchanged; {100 * faith['citations_with_evidence']:.1f}% of citations carry "
        f"the cited article's evidence sentence; {100 * faith['cited_article_supports']:.1f}% hold a sentence "
        f"with cosine >= "
        f"{args.support_threshold} (an unrelated story's article reaches it for "
        f"{100 * faith['unrelated_article_reaches_threshold']:.1f}% of sentences)"
    )
    result = {
        "benchmark": "summary",
        "data": str(args.data),
        "split": args.split,
        "stories": len(stories),
        "words": args.words,
        "rouge1": figures["newsweave"]["rouge1"],
        "rouge2": figures["newsweave"]["rouge2"],
        "rougeL": figures["newsweave"]["rougeL"],
        "baselines": {n: f for n, f in figures.items() if n != "newsweave"},
        "best_baseline": best,
        "support_threshold": args.support_threshold,
        "faithfulness": {k: round(v, 4) if isinstance(v, float) else v for k, v in faith.items()},
        "seconds": round(time.time() - started, 1),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
