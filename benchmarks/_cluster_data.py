"""Shared by the clustering and throughput benchmarks: labelled articles, analysed once and cached.

ECB+ (``ecbplus/docs/<subtopic>/<doc>.json``): gold event = sub-topic folder, gold topic = its number.
NeuS (``neus-allsides/probe/val.source``): one story of three outlets per line, ``[SEP]`` between them.
AllSides (``neus-allsides/allsides_headline_roundups_*.jsonl``): the raw roundups with their dates and
outlets, in date order; gold = roundup id.
The heavy NLP (spaCy parse, MiniLM) is cached under /tmp by content, so tuning reruns cost nothing.
"""

from __future__ import annotations

import ast
import hashlib
import json
import pickle
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from newsweave.model import AnalyzedArticle, Article

CACHE = Path("/tmp/newsweave-cluster-cache")
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@dataclass
class Labelled:
    articles: list[Article]
    event: dict[str, str]  # article id → gold event
    topic: dict[str, str]  # article id → gold topic (same as event where a dataset has one level)


def load_ecbplus(data: Path) -> Labelled:
    articles: list[Article] = []
    event: dict[str, str] = {}
    topic: dict[str, str] = {}
    for path in sorted((data / "ecbplus" / "docs").glob("*/*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        subtopic = path.parent.name
        doc_id = f"{subtopic}/{path.stem}"
        published = _iso_date(raw.get("date_publish"))
        articles.append(
            Article(
                id=doc_id,
                title=raw.get("title") or "",
                text=raw.get("text") or "",
                outlet=None,
                published=published,
            )
        )
        event[doc_id] = subtopic
        topic[doc_id] = re.match(r"\d+", subtopic).group(0)
    return Labelled(articles, event, topic)


def load_neus(data: Path, split: str = "val") -> Labelled:
    articles: list[Article] = []
    event: dict[str, str] = {}
    lines = (data / "neus-allsides" / "probe" / f"{split}.source").read_text(encoding="utf-8").splitlines()
    for story, line in enumerate(lines):
        for part, chunk in enumerate(line.split("[SEP]")):
            title, text = _split_neus(chunk)
            doc_id = f"{story}-{part}"
            articles.append(Article(id=doc_id, title=title, text=text, outlet=f"outlet{part}"))
            event[doc_id] = str(story)
    return Labelled(articles, event, dict(event))


# AllSides roundups from this day on are the test split; earlier ones are dev (350 and 123 roundups
# in ../shared/data, where the roundups overlapping the NeuS test split are held back)
ALLSIDES_TEST_FROM = "2021-09-01"


def load_allsides(data: Path, split: str = "dev") -> Labelled:
    """Every outlet's article of every roundup of ``split``, in the roundups' date order."""
    articles: list[Article] = []
    event: dict[str, str] = {}
    paths = sorted((data / "neus-allsides").glob("allsides_headline_roundups_*.jsonl"))
    if not paths:
        raise FileNotFoundError(f"no allsides_headline_roundups_*.jsonl under {data / 'neus-allsides'}")
    rows = [json.loads(line) for line in paths[-1].read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: (r.get("date") or "", r["id"]))
    for row in rows:
        day = (row.get("date") or "")[:10] or None
        if (split == "test") != (day is not None and day >= ALLSIDES_TEST_FROM):
            continue
        for stance, news in sorted((row.get("news") or {}).items()):
            text = _allsides_body(news.get("newBody"))
            if not text and not news.get("newsTitle"):
                continue
            doc_id = f"as{row['id']}-{stance}"
            articles.append(
                Article(
                    id=doc_id,
                    title=news.get("newsTitle") or "",
                    text=text,
                    outlet=news.get("newsSource"),
                    published=day,
                )
            )
            event[doc_id] = str(row["id"])
    return Labelled(articles, event, dict(event))


def _allsides_body(value: object) -> str:
    """The body is stored as the text of a Python list of paragraphs."""
    if not value:
        return ""
    try:
        paragraphs = ast.literal_eval(str(value))
    except (ValueError, SyntaxError):
        return str(value).strip()
    if isinstance(paragraphs, list):
        return "\n\n".join(str(p).replace("\xa0", " ").strip() for p in paragraphs if str(p).strip())
    return str(paragraphs)


def _split_neus(chunk: str) -> tuple[str, str]:
    match = re.match(r"\s*TITLE=>(.*?)ARTICLE=>(.*)", chunk, flags=re.S)
    if not match:
        return "", chunk.strip()
    return match.group(1).strip(), match.group(2).strip()


def _iso_date(value: object) -> str | None:
    """ECB+ dates are free text ("Posted July 20, 2009", "Jul 13, 2009 11 : 23am")."""
    if not value or value == "None":
        return None
    import dateparser

    text = re.sub(r"\s+:\s+", ":", str(value))
    match = re.search(r"[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]{3,9} \d{4}", text)
    parsed = dateparser.parse(
        match.group(0) if match else text,
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]},
    )
    return parsed.date().isoformat() if parsed else None


def analyzed_cached(
    articles: list[Article], document_vector: str = "lead", use_cache: bool = True
) -> list[AnalyzedArticle]:
    """AnalyzedArticle for each article (mentions, dates, document vector), cached under /tmp.
    The key is the texts, the MiniLM graph and the source of the analysis code (a cache written
    before a change to the analysis gave that older code's figures: ECB+ dev stories P 0.9614 F1
    0.8946 from a morning's cache, 0.9658 / 0.8825 analysed afresh); ``use_cache=False`` analyses afresh."""
    from newsweave.analyze.embed import MODEL_ID

    if not use_cache:
        return _analyze(articles, document_vector)
    key = hashlib.sha256(
        "\x1e".join(
            [MODEL_ID, _analysis_code()] + [a.id + "\x1f" + a.title + "\x1f" + a.text for a in articles]
        ).encode()
    ).hexdigest()
    method = "" if document_vector == "lead" else f"-{document_vector}"
    path = CACHE / f"analyzed-v2{method}-{key[:24]}.pkl"  # v2: the project's full analysis (day-level dates)
    if path.exists():
        try:
            cached: list[AnalyzedArticle] = pickle.loads(path.read_bytes())
        except Exception as exc:  # written by another version of the model classes: analyse again
            print(f"{path}: unreadable cache ({type(exc).__name__}: {exc}); analysing again", file=sys.stderr)
        else:
            for item, article in zip(cached, articles, strict=True):
                item.article = article  # metadata (dates, outlets) may be parsed better than when cached
            return cached
    analyzed = _analyze(articles, document_vector)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(analyzed))
    return analyzed


def _analysis_code() -> str:
    """A digest of the modules an analysis runs: the analysis itself, the name rules and word lists
    it reads, and the records and settings it makes."""
    import newsweave

    root = Path(newsweave.__file__).parent
    files = sorted(
        [
            *root.glob("analyze/*.py"),
            *root.glob("names/*.py"),
            root / "vocab.py",
            root / "model.py",
            root / "config.py",
        ]
    )
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def _analyze(articles: list[Article], document_vector: str) -> list[AnalyzedArticle]:
    """The project's own analysis, as the pipeline runs it (entities, day-level dates, document vector)."""
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig

    return analyze_articles(articles, AnalyzeConfig(document_vector=document_vector))


# The document vector reads the title and the first three sentences, as analyze does for MiniLM.
LEAD_SENTENCES = 3


def lead_text(item: AnalyzedArticle) -> str:
    return " ".join([item.article.title] + [s.text for s in item.sentences[:LEAD_SENTENCES]])


def with_encoder(items: list[AnalyzedArticle], encoder: str) -> list[AnalyzedArticle]:
    """``items`` with their document vectors made by ``encoder`` ("minilm": as analysed; "use": the
    multilingual USE over the same title and lead), cached under /tmp by content."""
    if encoder == "minilm":
        return items
    for item, vector in zip(items, use_leads(items), strict=True):
        item.vector = [round(float(x), 5) for x in vector]
    return items


def use_leads(items: list[AnalyzedArticle]) -> np.ndarray:
    """The multilingual USE's vector of each item's title and lead (as the analysis makes its
    second vector), cached under /tmp by content."""
    from newsweave.analyze.multilingual import MultilingualEncoder

    model = MultilingualEncoder()
    leads = [lead_text(item) for item in items]
    key = hashlib.sha256("\x1e".join([model.model_version, *leads]).encode()).hexdigest()
    path = CACHE / f"use-leads-{key[:24]}.npy"
    if path.exists():
        return np.load(path)
    vectors = model.embed(leads)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def encoder_speed(texts: list[str]) -> dict[str, dict[str, float]]:
    """Texts per second and words per second of each encoder over the same texts (one warm-up first)."""
    import time

    from newsweave.analyze.embed import embed_texts
    from newsweave.analyze.multilingual import MultilingualEncoder

    words = sum(len(t.split()) for t in texts)
    out: dict[str, dict[str, float]] = {}
    for name, embed in (("minilm", embed_texts), ("use", MultilingualEncoder().embed)):
        embed(texts[:2])
        start = time.perf_counter()
        embed(texts)
        elapsed = time.perf_counter() - start
        out[name] = {
            "texts_per_second": round(len(texts) / elapsed, 1),
            "words_per_second": round(words / elapsed),
        }
    return out


MLCRISIS_LANGUAGES = ("es", "fr", "it")


def load_mlcrisis(data: Path) -> Labelled:
    """ML-Crisis es/fr/it articles (``ml-crisis-tls/<lang>/<crisis>/<YYYY-MM-DD>/<doc>.txt``), in date order.

    Gold story: the crisis and the ISO week of publication (the data names no happenings: a week is
    the window within which es, fr and it outlets report one happening of a crisis; the benchmark
    also scores the month); gold topic: the crisis. A document's first line is its title."""
    articles: list[Article] = []
    event: dict[str, str] = {}
    topic: dict[str, str] = {}
    for lang in MLCRISIS_LANGUAGES:
        for path in sorted((data / "ml-crisis-tls" / lang).glob("*/*/*.txt")):
            crisis, day = path.parent.parent.name, path.parent.name
            title, _, body = path.read_text(encoding="utf-8", errors="replace").strip().partition("\n")
            doc_id = f"{lang}~{crisis}~{day}~{path.stem}"
            articles.append(
                Article(
                    id=doc_id,
                    title=title.strip(),
                    text=body.strip(),
                    published=day,
                    language=lang,
                    outlet=f"{lang}-{path.stem.split('_')[0]}",
                )
            )
            year, week, _ = date.fromisoformat(day).isocalendar()
            event[doc_id] = f"{crisis}/{year}-W{week:02d}"
            topic[doc_id] = crisis
    if not articles:
        raise FileNotFoundError(f"no ML-Crisis articles under {data / 'ml-crisis-tls'}")
    articles.sort(key=lambda a: (a.published or "", a.id))
    return Labelled(articles, event, topic)


def analyzed_leads_cached(
    articles: list[Article], workers: int = 1, multilingual: bool = True
) -> list[AnalyzedArticle]:
    """The analysis without sentence vectors (a MiniLM pass over every sentence of 1,700 long
    articles costs half an hour here), with the MiniLM document vector of each title and lead and,
    with ``multilingual``, the second vector (``analyze.multilingual_vector = true``); cached
    under /tmp by content, in ``workers`` processes."""
    from newsweave.analyze import ANALYSIS_VERSION
    from newsweave.analyze.embed import MODEL_ID, embed_texts

    # the analysis version too: version 4 stopped reading names in languages the models do not read
    key = hashlib.sha256(
        "\x1e".join(
            [MODEL_ID, str(ANALYSIS_VERSION)] + [a.id + "\x1f" + a.title + "\x1f" + a.text for a in articles]
        ).encode()
    ).hexdigest()
    path = CACHE / f"analyzed-leads-v1-{key[:24]}.pkl"
    if path.exists():
        cached: list[AnalyzedArticle] = pickle.loads(path.read_bytes())
        for item, article in zip(cached, articles, strict=True):
            item.article = article
        return _with_multilingual(cached) if multilingual else cached
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [articles[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_analyze_without_vectors, chunks))
        by_id = {item.article.id: item for part in parts for item in part}
        analyzed = [by_id[a.id] for a in articles]
    else:
        analyzed = _analyze_without_vectors(articles)
    vectors = embed_texts([lead_text(item) for item in analyzed])
    for item, vector in zip(analyzed, vectors, strict=True):
        item.vector = [round(float(x), 5) for x in vector]
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(analyzed))
    return _with_multilingual(analyzed) if multilingual else analyzed


def _with_multilingual(items: list[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """``items`` with the second vector ``analyze.multilingual_vector = true`` gives them."""
    for item, vector in zip(items, use_leads(items), strict=True):
        item.multilingual_vector = [round(float(x), 5) for x in vector]
    return items


def _analyze_without_vectors(articles: list[Article]) -> list[AnalyzedArticle]:
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig

    return analyze_articles(articles, AnalyzeConfig(embed=False))
