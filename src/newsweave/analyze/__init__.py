"""Per-article NLP: sentences, named mentions, quotes, dates and an embedding.

Public entry point: :func:`analyze_articles`; :func:`analyzer_id` names what it runs, so a
store can tell which analyses an upgrade or a change of settings left behind. Everything here
depends on one article only, so it parallelises across processes or a Dask cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from newsweave.config import AnalyzeConfig, DocumentVectorMethod
from newsweave.model import AnalyzedArticle, Article, Sentence

# Bumped when this package's own code changes what an analysis holds (not for speed-ups).
ANALYSIS_VERSION = 4  # 2: TimeML date values, precision and anchor; undated articles keep relative dates
# 3: the quote gate (speakers, cues, whole clauses) and names cut from junk spans ("the U.S. Fully")
# 4: no names or quotes from an article in a language the models do not read (nlp.READ_LANGUAGES)
# The document vector reads the title and the lead: news puts the event up front,
# and MiniLM's cost grows with length.
_LEAD_SENTENCES = 3
# In a pooled document vector the title counts as much as two lead sentences: it names the event.
_POOLED_TITLE_WEIGHT = 2.0
B = TypeVar("B")


def analyze_articles(
    articles: Sequence[Article],
    config: AnalyzeConfig | None = None,
    anchors: dict[str, tuple[date, str]] | None = None,
) -> list[AnalyzedArticle]:
    """Run the per-article NLP stages over ``articles``.

    ``anchors`` optionally gives, per article id, the date (and its label) that
    relative dates resolve against when the article has no publication date.
    """
    # imported here so that importing one analysis module does not load them all
    from newsweave.analyze.dates import extract_dates
    from newsweave.analyze.entities import extract_mentions
    from newsweave.analyze.nlp import load_nlp, pipe_any_length, reads
    from newsweave.analyze.quotes import extract_quotes

    config = config or AnalyzeConfig()
    anchors = anchors or {}
    nlp = load_nlp(config.spacy_model)
    texts = [a.text for a in articles]
    results: list[AnalyzedArticle] = []
    for article, doc in zip(articles, pipe_any_length(nlp, texts), strict=True):
        sentences = [
            Sentence(article.id, i, s.start_char, s.end_char, s.text.strip())
            for i, s in enumerate(doc.sents)
            if s.text.strip()
        ]
        read = reads(article.language)
        mentions = extract_mentions(doc, article.id) if read else []
        anchor, label = _anchor_of(article, anchors)
        results.append(
            AnalyzedArticle(
                article=article,
                sentences=sentences,
                mentions=mentions,
                quotes=extract_quotes(doc, article.id, mentions, outlet=article.outlet) if read else [],
                dates=extract_dates(doc, article.id, anchor, label),
            )
        )
    return embed_analyses(results, config)


def embed_analyses(
    results: list[AnalyzedArticle], config: AnalyzeConfig, helper: Executor | None = None
) -> list[AnalyzedArticle]:
    """Give analyses made with ``embed=False`` the vectors ``config`` asks for (in place; returned);
    MiniLM runs in ``helper`` when one is given (``embed.embed_texts_in``)."""
    if config.embed and results:
        _embed_into(results, config.embed_threads, config.document_vector, helper)
        if config.multilingual_vector and config.document_vector != "multilingual":
            _embed_multilingual_into(results)
    return results


def analyze_in_turn(
    batches: Iterable[B],
    analyze: Callable[[B], list[AnalyzedArticle]],
    config: AnalyzeConfig,
    helper: Executor | None = None,
) -> Iterator[tuple[B, list[AnalyzedArticle] | None]]:
    """(batch, its analyses with vectors) for each of ``batches``, in order; None when either step raised.

    ``analyze(batch)`` runs the text stages without vectors (``embed=False``); while it parses a
    batch in this thread, MiniLM embeds the one before in another. spaCy and the extractors keep
    one core busy and onnxruntime (which releases the GIL) the other, where one after the other
    left a core idle during the parse. MiniLM runs on one thread while a parse follows (on two it
    slowed the parse it shared the cores with: 40 full-length articles, spaCy alone 3.8 s, beside
    one MiniLM thread 4.1 s, beside two 4.9 s) and on all its threads for the last batch. An
    interrupt (KeyboardInterrupt) still hands over the batch before it; a hard kill can lose that
    one as well as the one being parsed.

    With ``helper`` (``parallel.helper_process``) MiniLM runs in that process instead: in a thread
    here, its Python around every text (tokens in, pooling out) and spaCy's took the GIL from each
    other (60 full-length articles, load 4-5: the analysis 13-20 s alone, 18-25 s beside a MiniLM
    thread, 18-19 s beside a MiniLM process that finished with it). There MiniLM gets all its
    threads for every batch: it shares cores with the parse but no GIL, so both cores stay busy
    (128 full-length articles, alternating at load 2-3: the stage 25.4 / 29.0 s against 28.9 /
    30.2 s on one helper thread and 29.8 / 34.0 s in a thread here; the parse no longer waits for
    a batch's vectors, 7.4 s of waits before). A batch's embedding is queued before the one before
    it is handed over, so MiniLM also works while the caller saves.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsweave-embed") as embedder:
        waiting: tuple[B, list[AnalyzedArticle] | None, Future[list[AnalyzedArticle]] | None] | None = None
        one_thread = replace(config, embed_threads=1)
        for batch, last in _with_last(batches):
            try:
                results: list[AnalyzedArticle] | None = analyze(batch)
            except Exception:  # the caller analyses this batch again one article at a time
                results = None
            except BaseException:  # interrupted: hand over the batch already parsed before stopping
                if waiting is not None:
                    yield _embedded(waiting[0], waiting[2])
                raise
            # while spaCy parses the next batch, MiniLM here gets one thread; the last batch, or a helper, all
            how = config if last or helper is not None else one_thread
            future = embedder.submit(embed_analyses, results, how, helper) if results is not None else None
            if waiting is not None:
                yield _embedded(waiting[0], waiting[2])
            waiting = (batch, results, future)
        if waiting is not None:
            yield _embedded(waiting[0], waiting[2])


def _with_last(items: Iterable[B]) -> Iterator[tuple[B, bool]]:
    """(item, whether it is the last) for each of ``items``."""
    it = iter(items)
    try:
        item = next(it)
    except StopIteration:
        return
    for following in it:
        yield item, False
        item = following
    yield item, True


def _embedded(
    batch: B, future: Future[list[AnalyzedArticle]] | None
) -> tuple[B, list[AnalyzedArticle] | None]:
    if future is None:
        return batch, None
    try:
        return batch, future.result()
    except Exception:
        return batch, None


def analyzer_id(config: AnalyzeConfig | None = None) -> str:
    """What makes an analysis under ``config``: this code's version, the spaCy model and its
    version, and the embedding graph with the versions that make it and the document-vector
    setting (or none)."""
    from newsweave.analyze.embed import model_version, package_version

    config = config or AnalyzeConfig()
    # a folder, or no name, gives "?": load_nlp explains when the model is used
    spacy_version = package_version(config.spacy_model)
    if config.embed:
        vectors = f"{model_version()} {config.document_vector}"
        if config.document_vector == "multilingual":
            vectors += f" ({_multilingual_version()})"
        elif config.multilingual_vector:
            vectors += f" + multilingual ({_multilingual_version()})"
    else:
        vectors = "no vectors"
    return f"newsweave-analysis/{ANALYSIS_VERSION}; {config.spacy_model}=={spacy_version}; {vectors}"


def _multilingual_version() -> str:
    from newsweave.analyze.multilingual import MultilingualEncoder

    return MultilingualEncoder().model_version


def _embed_multilingual_into(results: list[AnalyzedArticle]) -> None:
    """Each article's second vector: the multilingual encoder over the title and lead MiniLM read."""
    for item, row in zip(results, _multilingual_leads(results), strict=True):
        item.multilingual_vector = _stored(row) if row.any() else None


def _multilingual_leads(results: list[AnalyzedArticle]) -> np.ndarray:
    """The multilingual encoder's rows for each article's title and lead."""
    from newsweave.analyze.multilingual import shared_encoder

    return shared_encoder().embed([_lead_text(r) for r in results])


def _stored(row: Sequence[float] | npt.NDArray[np.floating]) -> list[float]:
    """A vector as analyses keep it: floats to five places."""
    return [round(float(x), 5) for x in row]


def _embed_into(
    results: list[AnalyzedArticle],
    threads: int,
    method: DocumentVectorMethod = "lead",
    helper: Executor | None = None,
) -> None:
    """Document vectors (title and lead), title and sentence vectors, in one call (one thread pool).

    Sentence vectors are made here, once per article and in parallel with the rest of the
    analysis, because comparison and summary need them every time a story is rebuilt.
    With ``pooled`` the document vector is summed from the title and lead sentences' vectors
    instead of read by MiniLM again, so only an article with neither gets its own pass; with
    ``multilingual`` the multilingual encoder reads the title and lead instead of MiniLM.
    """
    # which articles get a MiniLM pass of their own over title and lead: all, unless pooled
    own_pass = [method == "lead" or not (r.article.title or r.sentences) for r in results]
    if method == "multilingual":
        own_pass = [False] * len(results)
    leads = [_lead_text(r) for r, own in zip(results, own_pass, strict=True) if own]
    titles = [r.article.title for r in results]
    sentences = [s.text for r in results for s in r.sentences]
    vectors = _vectors(leads + titles + sentences, threads, helper)
    own_lead = iter(vectors[: len(leads)])
    start = len(leads) + len(titles)
    for n, item in enumerate(results):
        item.title_vector = title = vectors[len(leads) + n]
        item.sentence_vectors = rows = vectors[start : start + len(item.sentences)]
        start += len(item.sentences)
        lead = next(own_lead) if own_pass[n] else _pooled_lead(rows, title if item.article.title else None)
        item.vector = _stored(lead)
    if method == "multilingual":
        for item, row in zip(results, _multilingual_leads(results), strict=True):
            item.vector = _stored(row)


def _vectors(texts: list[str], threads: int, helper: Executor | None) -> npt.NDArray[np.float32]:
    """MiniLM's rows for ``texts``: in ``helper`` when there is one and it still runs, else here."""
    from newsweave.analyze.embed import embed_texts, embed_texts_in

    if helper is not None:
        try:
            return embed_texts_in(helper, texts, threads).result()
        except BrokenExecutor:  # the helper died (killed, out of memory): this process embeds instead
            pass
    return embed_texts(texts, threads=threads)


def _lead_text(item: AnalyzedArticle) -> str:
    return " ".join([item.article.title] + [s.text for s in item.sentences[:_LEAD_SENTENCES]])


def _pooled_lead(
    sentence_vectors: npt.NDArray[np.float32], title_vector: npt.NDArray[np.float32] | None
) -> npt.NDArray[np.float32]:
    parts = list(sentence_vectors[:_LEAD_SENTENCES])
    if title_vector is not None:
        parts.append(_POOLED_TITLE_WEIGHT * title_vector)
    total: npt.NDArray[np.float32] = np.sum(parts, axis=0)
    return total / np.float32(max(float(np.linalg.norm(total)), 1e-12))


def _anchor_of(article: Article, anchors: dict[str, tuple[date, str]]) -> tuple[date | None, str]:
    if article.published:
        try:
            return date.fromisoformat(article.published), "published"
        except ValueError:
            pass
    return anchors.get(article.id, (None, "none"))
