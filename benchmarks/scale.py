"""Load and cost figures: ingest + digest throughput and memory, and web latency under load.

    python benchmarks/scale.py --data ../shared/data --sizes 1000 --configs sqlite,postgresql,workers2,no-embed
    python benchmarks/scale.py --sizes 10000 --no-embed --configs sqlite --load-seconds 0
    python benchmarks/scale.py --sizes 10000 --configs sqlite,workers2 --load-seconds 0 --document-vector pooled
    python benchmarks/scale.py --sizes 10000 --configs sqlite --load-seconds 0 --grow-to 100000 --keep
    python benchmarks/scale.py --sizes 10000 --load-seconds 0 --grow-to 100000 --grow-from KEPT/sqlite-10000.db
    python benchmarks/scale.py --pool full,excerpt --sizes 400 --configs sqlite --load-seconds 0   # words/s

Articles come from real shared data, written as JSON Lines into a temporary folder. ``--pool
excerpt`` (the default): NeuS/AllSides, ``probe/{train,val}.source`` split on ``[SEP]`` plus
the 2021 headline roundups (~9,700 articles, 63 words on average). ``--pool full``: the 181
human-checked article bodies of ``article-extraction-benchmark`` (731 words on average), with
the title, outlet and date newsweave's HTML reader finds on each page. Sizes beyond a pool
reuse it with light perturbation (a sentence dropped, the date moved), so repeats are
follow-ups of a story rather than exact copies. ``--pool full,excerpt`` measures both in turn.

Words per second (whitespace-separated words of the input texts) is the headline unit. Beside
it, after the SQLite run of the smallest size, the models newsweave calls run alone over that
run's work (``_limit``): spaCy over the stored article texts, MiniLM over every text the run
embedded, the support judge over every distinct pair it was asked (both recorded by the run).
``limit_ratio`` is newsweave's words/s over theirs; ``limit_ratio_cpu`` the same in CPU
seconds, which a shared machine distorts far less (record ``uptime`` beside every figure).

Each configuration runs ``pipeline.digest`` (read, clean, store, analyse, cluster, build
stories, write the JSON digest) in a fresh subprocess; the wall time of that process is the
end-to-end figure and its peak RSS (summed over its children: worker processes) is sampled
every 0.2 s. Configurations, each compared in the same run with its obvious baseline:

* ``sqlite``      SQLite, one process (the baseline for the others)
* ``postgresql``  a private PostgreSQL server started from ``tests/pg_server.py``
* ``workers2``    SQLite with ``workers=2`` (per-article stages in two spawned processes)
* ``postgresql-workers2``  PostgreSQL with ``workers=2`` (not in the default list)
* ``no-embed``    SQLite without MiniLM embeddings (the baseline for the full pipeline)

After the SQLite run of each size, a small second run (``--increment`` new articles) shows
what one incremental ingest costs once the store holds that many articles, twice from the same
store: in a fresh process (``increment_s``, ``increment_peak_mb``: a command-line ``ingest``,
imports and model loading included) and with the models already loaded (``increment_warm_s``: a
run of a long-running ``watch``). With ``--grow-to`` the grown store gets the same two increments.

The load test serves ``newsweave.web.app.create_app`` with uvicorn over the SQLite store of
the smallest size, first idle and then while another process ingests into the same file
(WAL), and drives ``--clients`` closed-loop async clients against the story page and the
search API for ``--load-seconds``: first with no think time (the harshest reading of
"concurrent": latency is then mostly queueing, about clients / throughput), then with each
client pausing about ``--think-ms`` between requests, as readers do. The ingest keeps writing
through both windows (it is stopped afterwards; a killed ingest is safe, see test_crash.py).
Every window reports the load generator's own share of a core: it runs on the same two cores
as the server, so what it spends, the server cannot. The never-pausing windows (idle, then
loaded) are driven twice: by httpx and by ``LightClient`` (bare asyncio streams, about a
sixth of httpx's CPU), reported as ``*_light_generator``. While the ingest writes, the two take
turns in four windows each of a quarter of ``--load-seconds``, so neither meets only one phase
of the ingest.

Ends with one JSON line of figures; configurations not run are listed under ``not_measured``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psutil

from newsweave.config import DOCUMENT_VECTORS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
SCRIPT = Path(__file__).resolve()
PER_FILE = 400  # JSONL articles per file: each file stays far under the reader's 5 MB limit
_FIELD = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_BASE_DAY = date(2019, 1, 1)

Record = dict[str, Any]


# -- the article set ---------------------------------------------------------------------------
def probe_records(neus: Path) -> list[Record]:
    """Three outlets' articles per line of ``probe/<split>.source``; dates spread over two years.

    The probe files carry no outlet or date, so the outlet is the article's position in the
    line and the date is synthetic (one day per story, a day apart between outlets).
    """
    out: list[Record] = []
    for split in ("train", "val"):
        path = neus / "probe" / f"{split}.source"
        if not path.exists():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            day = _BASE_DAY + timedelta(days=(n * 7) % 730)
            for k, part in enumerate(line.split("[SEP]")):
                match = _FIELD.match(part.strip())
                if not match or not match.group(2).strip():
                    continue
                out.append(
                    {
                        "id": f"probe-{split}-{n}-{k}",
                        "title": match.group(1).strip().rstrip("."),
                        "text": match.group(2).strip(),
                        "outlet": f"Probe Outlet {k}",
                        "published": (day + timedelta(days=k % 2)).isoformat(),
                    }
                )
    return out


def roundup_records(neus: Path) -> list[Record]:
    """The left/center/right articles of each AllSides headline roundup, with their real metadata."""
    out: list[Record] = []
    for path in sorted(neus.glob("allsides_headline_roundups_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            roundup = json.loads(line)
            for stance, news in sorted((roundup.get("news") or {}).items()):
                body = news.get("newBody") or []
                text = "\n".join(p.strip() for p in body if isinstance(p, str) and p.strip())
                if not text:
                    continue
                out.append(
                    {
                        "id": f"roundup-{roundup['id']}-{stance}",
                        "title": news.get("newsTitle") or "",
                        "text": text,
                        "outlet": news.get("newsSource"),
                        "url": news.get("newsLink"),
                        "published": str(roundup.get("date") or "")[:10] or None,
                    }
                )
    return out


def excerpt_pool(data: Path) -> list[Record]:
    neus = data / "neus-allsides"
    pool = probe_records(neus) + roundup_records(neus)
    if not pool:
        sys.exit(f"no articles found under {neus} (expected probe/*.source and the roundups jsonl)")
    # a fixed shuffle mixes short probe leads and full roundup bodies in every prefix
    random.Random(8).shuffle(pool)
    return pool


def full_length_pool(data: Path) -> list[Record]:
    """The 181 human-checked article bodies of the extraction benchmark (731 words on average).

    The body is the checked ``articleBody``; title, outlet and date are what newsweave's own HTML
    reader finds on the page (its extracted text is not used), so each record is what a reader of
    that page would hand the pipeline had it extracted the body perfectly.
    """
    from newsweave.ingest.compressed import gunzip
    from newsweave.ingest.html import read_html

    folder = data / "article-extraction-benchmark"
    truth_file = folder / "ground-truth.json"
    if not truth_file.exists():
        sys.exit(f"no article bodies found: {truth_file} is missing")
    out: list[Record] = []
    for item_id, truth in sorted(json.loads(truth_file.read_text(encoding="utf-8")).items()):
        body, url = (truth.get("articleBody") or "").strip(), truth.get("url")
        if not body:
            continue
        try:
            page = read_html(
                gunzip((folder / "html" / f"{item_id}.html.gz").read_bytes(), 50 * 2**20), url, url
            )
            title, outlet, published = page.title, page.outlet, page.published
        except (OSError, ValueError):  # a page its reader cannot parse still has its checked body
            title, outlet, published = body.split("\n", 1)[0][:120], None, None
        out.append(
            {
                "id": f"aeb-{item_id[:16]}",
                "title": title,
                "text": body,
                "outlet": outlet,
                "url": url,
                "published": published or "2019-11-20",
            }
        )
    random.Random(8).shuffle(out)
    return out


POOLS = {"excerpt": excerpt_pool, "full": full_length_pool}


def article_pool(data: Path, kind: str = "excerpt") -> list[Record]:
    return POOLS[kind](data)


def perturbed(record: Record, copy: int, rng: random.Random) -> Record:
    """A light variant of ``record`` for the ``copy``-th pass over the pool."""
    sentences = _SENTENCE_END.split(record["text"])
    if len(sentences) > 2:
        del sentences[rng.randrange(1, len(sentences))]
    published = record.get("published")
    if published:
        published = (date.fromisoformat(published) + timedelta(days=37 * copy)).isoformat()
    return {
        **record,
        "id": f"{record['id']}~{copy}",
        "text": " ".join(sentences),
        "published": published,
        "url": None,
    }


def article_set(pool: list[Record], start: int, n: int) -> list[Record]:
    """Articles ``start .. start+n`` of the endless, perturbed sequence built from ``pool``."""
    out = []
    for i in range(start, start + n):
        copy, j = divmod(i, len(pool))
        out.append(pool[j] if copy == 0 else perturbed(pool[j], copy, random.Random(i)))
    return out


def write_set(records: list[Record], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(0, len(records), PER_FILE):
        lines = (json.dumps(r, ensure_ascii=False) for r in records[n : n + PER_FILE])
        (folder / f"part-{n // PER_FILE:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# -- one measured run --------------------------------------------------------------------------
@dataclass
class Run:
    label: str
    ok: bool
    wall_s: float
    peak_rss_mb: float
    articles: int
    detail: dict[str, Any] = field(default_factory=dict)
    failure: str = ""
    words: int = 0  # whitespace-separated words of the input texts

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.wall_s if self.ok and self.wall_s else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.wall_s if self.ok and self.wall_s else 0.0


def tree_rss(proc: psutil.Process) -> int:
    """RSS of a process and all its descendants (worker processes count too)."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(cmd: list[str], timeout: float) -> tuple[int | None, float, float, float]:
    """Run ``cmd`` in its own process group.

    Returns (exit code or None on timeout, wall s, peak RSS MB, CPU s). CPU seconds of the
    whole tree (workers are reaped by the child, so they count) are the figure that other
    jobs on a shared machine distort least.
    """
    cpu_before = _children_cpu_s()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, start_new_session=True)
    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        with suppress(psutil.NoSuchProcess):
            peak = max(peak, tree_rss(watched))
        if time.perf_counter() - start > timeout:
            _kill_group(proc)
            return None, time.perf_counter() - start, peak / 2**20, _children_cpu_s() - cpu_before
        time.sleep(0.2)
    return proc.returncode, time.perf_counter() - start, peak / 2**20, _children_cpu_s() - cpu_before


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    # the group was created for this child alone (start_new_session), so this ends only our processes
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@dataclass(frozen=True)
class Analysis:
    """How every measured ingest analyses its articles (the ``analyze`` settings it is given)."""

    embed: bool = True
    document_vector: str = "lead"

    def flags(self) -> list[str]:
        return ["--document-vector", self.document_vector] + ([] if self.embed else ["--no-embed"])


def ingest_cmd(
    articles: Path,
    db: str,
    result: Path,
    workers: int,
    analysis: Analysis,
    ready: Path | None = None,
    record: Path | None = None,
    warm: bool = False,
) -> list[str]:
    cmd = [
        sys.executable,
        str(SCRIPT),
        "_ingest",
        "--articles",
        str(articles),
        "--db",
        db,
        "--result",
        str(result),
        "--workers",
        str(workers),
        *analysis.flags(),
    ]
    if ready is not None:
        cmd += ["--ready-file", str(ready)]
    if record is not None:
        cmd += ["--record", str(record)]
    if warm:
        cmd.append("--warm")
    return cmd


def measure(
    label: str,
    articles: Path,
    n: int,
    db: str,
    workers: int,
    analysis: Analysis,
    timeout: float,
    work: Path,
    record: Path | None = None,
    warm: bool = False,
) -> Run:
    result = work / f"result-{label.replace('/', '_')}.json"
    # other jobs on a shared machine skew the figures: keep the 1-minute load average beside them
    load_before = os.getloadavg()[0]
    code, wall, peak, cpu = run_measured(
        ingest_cmd(articles, db, result, workers, analysis, record=record, warm=warm), timeout
    )
    if code is None:
        return Run(label, False, wall, peak, n, failure=f"timed out after {timeout:.0f} s")
    if code != 0 or not result.exists():
        return Run(label, False, wall, peak, n, failure=f"exit code {code}")
    detail = json.loads(result.read_text())
    detail["loadavg_1m_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    detail["cpu_s"] = round(cpu, 1)
    return Run(label, True, wall, peak, detail["articles"], detail, words=_words(articles))


# -- the child: one ingest + digest ------------------------------------------------------------
def child_ingest(args: argparse.Namespace) -> None:
    """Run in the measured subprocess: ``pipeline.digest`` over the folder, then the JSON digest."""
    from newsweave import pipeline
    from newsweave.config import Config
    from newsweave.report import write_json
    from newsweave.store import open_store

    config = Config(db=args.db, workers=args.workers).with_overrides(
        **{"analyze.embed": not args.no_embed, "analyze.document_vector": args.document_vector}
    )
    sources = sorted(str(p) for p in Path(args.articles).glob("*.jsonl"))
    if args.warm:
        _load_models(config)
    start = time.perf_counter()
    stages: dict[str, list[float]] = {}

    peaks: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter() - start
        span = stages.setdefault(stage, [now, now])
        span[1] = now
        # the process's peak so far (KB on Linux) when each stage first and last reported: which
        # stage (or the work between two stages) raised it
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peaks.setdefault(stage, [rss, rss])[1] = rss
        if args.ready_file and stage == "analyze" and done == 0:
            Path(args.ready_file).touch()  # tells the load test that writing has begun
        if total and done and (done == total or done % 1000 == 0):
            print(f"  {stage}: {done}/{total} at {now:.0f} s", file=sys.stderr, flush=True)

    recorded = _record_model_inputs() if args.record else None
    with open_store(args.db) as store:
        digest, report = pipeline.digest(sources, config, store, progress)
        write_json(digest, Path(args.result).with_suffix(".digest.json"))
        stored = store.count_articles()
    elapsed = time.perf_counter() - start
    if recorded is not None:
        Path(args.record).write_text(
            json.dumps({k: sorted(v) if isinstance(v, set) else v for k, v in recorded.items()})
        )
    Path(args.result).write_text(
        json.dumps(
            {
                "articles": len(report.article_ids),
                "errors": len(report.errors),
                "stories": len(digest.stories),
                "stories_built": len(report.stories),
                "stored": stored,
                "in_process_s": round(elapsed, 2),
                "stage_spans_s": {k: [round(a, 2), round(b, 2)] for k, (a, b) in stages.items()},
                "peak_rss_mb_by_stage": {k: [round(a), round(b)] for k, (a, b) in peaks.items()},
            }
        )
    )


def _load_models(config: Any) -> None:
    """Load and warm what a long-running ``newsweave watch`` keeps loaded between its runs: spaCy,
    MiniLM, the support judge and the place names of entity resolution (each once per process).
    The increments measured warm and the models' own run (``_limit``) both start from here."""

    from newsweave.analyze.embed import embed_texts
    from newsweave.analyze.nlp import load_nlp, pipe_any_length
    from newsweave.judge import default_judge
    from newsweave.names.aliases import place_key

    place_key("Springfield")
    list(pipe_any_length(load_nlp(config.analyze.spacy_model), ["A warm-up sentence from Paris."]))
    embed_texts(["warm-up"], config.analyze.embed_threads)
    default_judge(config.analyze.embed_threads).judge([("warm", "up")])


def _record_model_inputs() -> dict[str, Any]:
    """Keep what this process asks of the models: the texts MiniLM embeds (every call, here or in
    the analysis's helper process) and the distinct (claim, evidence) pairs the support judge is
    asked (it runs each once per process: its verdicts are cached), so the limit can run the
    models alone over exactly that work.

    Wraps the public entry points by attribute; the callers import them at call time.
    """
    from newsweave.analyze import embed
    from newsweave.judge.crossencoder import CrossEncoderJudge

    recorded: dict[str, Any] = {"embedded": [], "judged": set()}
    embed_texts, embed_texts_in, judge = embed.embed_texts, embed.embed_texts_in, CrossEncoderJudge.judge

    def recording_embed(texts: list[str], threads: int = 2) -> Any:
        recorded["embedded"].extend(texts)
        return embed_texts(texts, threads)

    def recording_embed_in(executor: Any, texts: list[str], threads: int = 2) -> Any:
        recorded["embedded"].extend(texts)  # embedded in the analysis's helper process
        return embed_texts_in(executor, texts, threads)

    def recording_judge(self: CrossEncoderJudge, pairs: Any) -> Any:
        recorded["judged"].update((a or "", b or "") for a, b in pairs)
        return judge(self, pairs)

    embed.embed_texts = recording_embed  # type: ignore[assignment]
    embed.embed_texts_in = recording_embed_in  # type: ignore[assignment]
    CrossEncoderJudge.judge = recording_judge  # type: ignore[method-assign]
    return recorded


def child_limit(args: argparse.Namespace) -> None:
    """Run in a subprocess: the models newsweave calls, alone, over the work one ingest gave them.

    spaCy (the pipeline and ``pipe`` call the analysis uses) over the stored (cleaned) article
    texts, MiniLM over every text the ingest embedded, the support judge over every distinct pair
    it was asked. Models are loaded and warmed before the clock starts: this is their throughput.
    """
    from newsweave.analyze.embed import embed_texts
    from newsweave.analyze.nlp import load_nlp, pipe_any_length
    from newsweave.config import Config
    from newsweave.judge import default_judge
    from newsweave.store import open_store

    recorded = json.loads(Path(args.record).read_text())
    with open_store(args.db) as store:
        texts = [a.text for a in store.get_articles(store.article_ids())]
    config = Config()
    threads = config.analyze.embed_threads
    _load_models(config)
    nlp = load_nlp(config.analyze.spacy_model)
    judge = default_judge(threads)
    work = {
        "spacy": lambda: list(pipe_any_length(nlp, texts)),
        "minilm": lambda: embed_texts(recorded["embedded"], threads),
        "judge": lambda: judge.judge([tuple(p) for p in recorded["judged"]]),
    }
    seconds, cpu = {}, {}
    for name, run in work.items():
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        seconds[name], cpu[name] = time.perf_counter() - start, time.process_time() - cpu_start
    Path(args.result).write_text(
        json.dumps(
            {
                "seconds": {k: round(v, 2) for k, v in seconds.items()},
                "total_s": round(sum(seconds.values()), 2),
                # CPU seconds (all threads): on a shared machine these move far less than wall seconds
                "cpu_s": {k: round(v, 2) for k, v in cpu.items()},
                "total_cpu_s": round(sum(cpu.values()), 2),
                "texts_parsed": len(texts),
                "texts_embedded": len(recorded["embedded"]),
                "pairs_judged": len(recorded["judged"]),
            }
        )
    )


def limit(label: str, run: Run, db: str, record: Path, timeout: float, work: Path) -> dict[str, Any]:
    """The models' own throughput on ``run``'s work, and newsweave's share of it (``limit_ratio``)."""
    result = work / f"limit-{label.replace('/', '_')}.json"
    load_before = os.getloadavg()[0]
    code, wall, _peak, _cpu = run_measured(
        [sys.executable, str(SCRIPT), "_limit", "--db", db, "--record", str(record), "--result", str(result)],
        timeout,
    )
    if code != 0 or not result.exists():
        return {"failed": "timed out" if code is None else f"exit code {code}"}
    out = json.loads(result.read_text())
    limit_wps = run.words / out["total_s"] if out["total_s"] else 0.0
    out.update(
        {
            "of_run": label,
            "words": run.words,
            "limit_words_per_s": round(limit_wps),
            "limit_ratio": round(run.words_per_s / limit_wps, 3) if limit_wps else None,
            # the same ratio in CPU seconds (the models' over newsweave's whole process tree): what other
            # jobs on the machine distort least; wall seconds also count the second core's idle time
            "limit_ratio_cpu": round(out["total_cpu_s"] / run.detail["cpu_s"], 3)
            if run.detail.get("cpu_s")
            else None,
            "loadavg_1m_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
    )
    return out


def child_grow(args: argparse.Namespace) -> None:
    """Run in a subprocess: clone the store's analysed articles up to ``--to``, left unclustered.

    Copy ``k`` of an article gets a new id (in the article, its analysis and its vector rows)
    and a publication date ``37 * k`` days later, as ``perturbed`` gives the repeats of a real
    run; its text is the same, so its stored analysis and sentence vectors stay current and
    the next run clusters it and builds its story without analysing it again.
    """
    from sqlalchemy import text

    from newsweave.store import open_store

    with open_store(args.db) as store, store.engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        copies = max(0, -(-args.to // have) - 1)
        for k in range(1, copies + 1):
            params = {"s": f"~g{k}", "shift": f"+{37 * k} days"}
            conn.execute(
                text(
                    "INSERT INTO articles (id, content_hash, title, outlet, published, url, path, body, data,"
                    " added_at, updated_at) SELECT id || :s, content_hash, title, outlet, date(published, :shift),"
                    " NULL, path, body, json_set(data, '$.id', id || :s, '$.published', date(published, :shift),"
                    " '$.url', NULL), added_at, updated_at FROM articles WHERE id NOT LIKE '%~g%'"
                ),
                params,
            )
            # unplaced (store schema 8): the next run clusters them, as it would new articles
            conn.execute(
                text(
                    "INSERT INTO unplaced (article_id) SELECT id || :s FROM articles WHERE id NOT LIKE '%~g%'"
                ),
                params,
            )
            # the analysis names its article in every sentence, mention, quote and date
            conn.execute(
                text(
                    "INSERT INTO analyses (article_id, content_hash, data, analyzer)"
                    " SELECT article_id || :s, content_hash,"
                    " replace(data, '\"article_id\": \"' || article_id || '\"',"
                    " '\"article_id\": \"' || article_id || :s || '\"'), analyzer FROM analyses"
                    " WHERE article_id NOT LIKE '%~g%'"
                ),
                params,
            )
            conn.execute(
                text(
                    "INSERT INTO sentence_vectors (article_id, content_hash, rows, data, title)"
                    " SELECT article_id || :s, content_hash, rows, data, title FROM sentence_vectors"
                    " WHERE article_id NOT LIKE '%~g%'"
                ),
                params,
            )
            # the names projection (store schema 5) is copied too, or resolution reads whole analyses
            conn.execute(
                text(
                    "INSERT INTO article_names (article_id, content_hash, mentions, quotes)"
                    " SELECT article_id || :s, content_hash,"
                    " replace(mentions, '\"article_id\": \"' || article_id || '\"',"
                    " '\"article_id\": \"' || article_id || :s || '\"'),"
                    " replace(quotes, '\"article_id\": \"' || article_id || '\"',"
                    " '\"article_id\": \"' || article_id || :s || '\"')"
                    " FROM article_names WHERE article_id NOT LIKE '%~g%'"
                ),
                params,
            )
        total = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    Path(args.result).write_text(json.dumps({"articles": total, "measured_size": have}))


def grow(
    db: Path,
    to: int,
    extra: Path,
    analysis: Analysis,
    timeout: float,
    work: Path,
    workers: int = 1,
    then: Path | None = None,
) -> dict[str, Any]:
    """Memory and time of a run once the store holds ``to`` articles.

    The store of the measured run is cloned up to ``to`` articles (analysed, not yet clustered;
    ingesting them would take hours at these rates), then an ordinary incremental ingest of
    ``extra`` runs on it: it analyses the new articles, clusters every unclustered one, builds
    all their stories and writes its digest. Its peak memory is that of a run at ``to`` articles
    in everything that grows with the store (the clusterer, the names every run resolves, the
    stories); the per-article analysis it skips for the clones keeps a flat memory at any size.
    """
    result = db.with_suffix(".grow.json")
    code, wall, _peak, _cpu = run_measured(
        [sys.executable, str(SCRIPT), "_grow", "--db", str(db), "--to", str(to), "--result", str(result)],
        timeout,
    )
    if code != 0 or not result.exists():
        return {"failed": "cloning " + ("timed out" if code is None else f"exit code {code}")}
    cloned = json.loads(result.read_text())
    label = f"sqlite/{cloned['articles']}/grown" + (f"/w{workers}" if workers > 1 else "")
    run = measure(label, extra, _count(extra), str(db), workers, analysis, timeout, work)
    _print_run(run)
    if not run.ok:
        return {**cloned, "clone_s": round(wall, 1), "failed": run.failure}
    # then an ordinary increment into the grown store, every article of which is now placed
    after = {r.label: r for r in increments(label, then, db, analysis, timeout, work)} if then else {}
    return {
        "increment": increment_figures(after),
        **cloned,
        "clone_s": round(wall, 1),
        "workers": workers,
        "new_articles": run.articles,
        "wall_s": round(run.wall_s, 1),
        "cpu_s": run.detail.get("cpu_s"),
        "peak_rss_mb": round(run.peak_rss_mb),
        "stories_built": run.detail.get("stories_built"),
        "stage_spans_s": run.detail.get("stage_spans_s"),
        "peak_rss_mb_by_stage": run.detail.get("peak_rss_mb_by_stage"),
    }


def child_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from newsweave.web.app import create_app

    if args.workers == 1:
        uvicorn.run(
            create_app(args.db), host="127.0.0.1", port=args.port, log_level="warning", access_log=False
        )
        return
    os.environ["NEWSWEAVE_DB"] = args.db  # as `newsweave serve --workers N` does
    uvicorn.run(
        "newsweave.web.app:app_from_environment",
        factory=True,
        workers=args.workers,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
    )


# -- load test ---------------------------------------------------------------------------------
@dataclass
class Latencies:
    story_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    generator_cpu_s: float = 0.0  # the load generator's own CPU: it shares the two cores with the server

    def merged(self, other: Latencies) -> Latencies:
        return Latencies(
            self.story_ms + other.story_ms,
            self.search_ms + other.search_ms,
            self.errors + other.errors,
            self.seconds + other.seconds,
            self.generator_cpu_s + other.generator_cpu_s,
        )


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def summarize(lat: Latencies) -> dict[str, Any]:
    n = len(lat.story_ms) + len(lat.search_ms)
    return {
        "story_p50_ms": percentile(lat.story_ms, 0.50),
        "story_p95_ms": percentile(lat.story_ms, 0.95),
        "search_p50_ms": percentile(lat.search_ms, 0.50),
        "search_p95_ms": percentile(lat.search_ms, 0.95),
        "requests": n,
        "errors": lat.errors,
        "requests_per_s": round(n / lat.seconds, 1) if lat.seconds else 0,
        "generator_cpu_share": round(lat.generator_cpu_s / lat.seconds, 2) if lat.seconds else 0,
    }


async def _client(
    client: Any,
    story_ids: list[str],
    terms: list[str],
    deadline: float,
    seed: int,
    lat: Latencies,
    think_s: float,
) -> None:
    rng = random.Random(seed)
    kind = seed % 2  # half the clients start with each kind, then alternate
    if think_s:
        # readers arrive over the first pause, not all in the same millisecond: fifty first
        # requests at once (new connections too) measured the start, not the steady state
        await asyncio.sleep(rng.uniform(0.0, think_s))
    while time.perf_counter() < deadline:
        if kind == 0:
            url, bucket = f"/stories/{rng.choice(story_ids)}", lat.story_ms
        else:
            url, bucket = f"/api/v1/search?q={rng.choice(terms)}", lat.search_ms
        kind = 1 - kind
        t = time.perf_counter()
        try:
            response = await client.get(url)
            ok = response.status_code == 200
        except Exception:  # a refused or timed-out request counts as an error, not a latency
            ok = False
        if ok:
            bucket.append((time.perf_counter() - t) * 1000)
        else:
            lat.errors += 1
        if think_s:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)  # a reader between two clicks


@dataclass
class _Reply:
    status_code: int


class LightClient:
    """One keep-alive HTTP/1.1 connection on bare asyncio streams, for GET requests only.

    A far lighter load generator than httpx, which spends most of a core driving 50 clients
    that never pause: on a two-core machine that core is taken from the server being measured,
    where real readers' browsers would run elsewhere.
    """

    def __init__(self, base: str, timeout: float = 30.0):
        host_port = base.split("://", 1)[1]
        self.host, _, port = host_port.partition(":")
        self.port, self.timeout = int(port or 80), timeout
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> _Reply:
        return await asyncio.wait_for(self._get(path), self.timeout)

    async def _get(self, path: str) -> _Reply:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = re.search(r"\r\ncontent-length:\s*(\d+)", head)
        if length:
            await reader.readexactly(int(length.group(1)))
        elif "transfer-encoding: chunked" in head:
            while size := int((await reader.readline()).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        if "\r\nconnection: close" in head or not (length or "chunked" in head):
            await self.aclose()
        return _Reply(status)

    async def aclose(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None

    async def __aenter__(self) -> LightClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


async def drive_load(
    base: str,
    story_ids: list[str],
    terms: list[str],
    clients: int,
    seconds: float,
    think_s: float = 0.0,
    light: bool = False,
) -> Latencies:
    import httpx

    lat = Latencies()
    async with contextlib.AsyncExitStack() as stack:
        # The clients exist before the clock starts: making one takes the load generator tens of
        # milliseconds of CPU (httpx builds a TLS context), and made inside the window, the
        # first request of each of 50 readers waited up to 3 s on the other 49 being made --
        # a twentieth of the paced requests, the whole of the p95 that the server never saw.
        pool = [
            await stack.enter_async_context(
                LightClient(base) if light else httpx.AsyncClient(base_url=base, timeout=30.0)
            )
            for _ in range(clients)
        ]
        start, cpu = time.perf_counter(), time.process_time()
        deadline = start + seconds
        await asyncio.gather(
            *(_client(c, story_ids, terms, deadline, i, lat, think_s) for i, c in enumerate(pool))
        )
        lat.seconds = time.perf_counter() - start
        lat.generator_cpu_s = time.process_time() - cpu
    return lat


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_http(url: str, timeout: float) -> bool:
    import httpx

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def targets(db: str) -> tuple[list[str], list[str]]:
    """Story ids to open and search terms (words of the headlines) to ask for."""
    from newsweave.store import open_store

    with open_store(db) as store:
        stories = store.list_stories(limit=500)
    ids = [s.id for s in stories]
    words = sorted({w.lower() for s in stories for w in re.findall(r"[A-Za-z]{5,}", s.headline)})
    return ids, words[:300] or ["president"]


LOADED_TURNS = 4  # alternating httpx / light-client windows while the ingest writes


def load_test(
    db: str,
    ingest_dir: Path,
    work: Path,
    clients: int,
    seconds: float,
    idle_seconds: float,
    analysis: Analysis,
    think_s: float,
    ingest_nice: int = 0,
    web_workers: int = 1,
) -> dict[str, Any]:
    """Latencies with the server idle, then while another process ingests into the same store."""
    if importlib.util.find_spec("newsweave.web.app") is None:
        return {"skipped": "newsweave.web.app is not available yet"}
    story_ids, terms = targets(db)
    if not story_ids:
        return {"skipped": "the store has no stories"}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            str(SCRIPT),
            "_serve",
            "--db",
            db,
            "--port",
            str(port),
            "--workers",
            str(web_workers),
        ],
        start_new_session=True,
    )
    ingest: subprocess.Popen[Any] | None = None
    try:
        if not _wait_http(f"{base}/api/v1/search?q=x", 90):
            return {"skipped": "the web app did not answer within 90 s"}
        asyncio.run(drive_load(base, story_ids, terms, clients, 3))  # warm-up: templates, caches, connections
        idle = (
            asyncio.run(drive_load(base, story_ids, terms, clients, idle_seconds)) if idle_seconds else None
        )
        idle_light = (
            asyncio.run(drive_load(base, story_ids, terms, clients, idle_seconds, light=True))
            if idle_seconds
            else None
        )
        ready = work / "load-ingest.ready"
        # a background ingest may run at lower CPU priority (nice), as a deployment would run `watch`
        ingest = subprocess.Popen(
            ingest_cmd(ingest_dir, db, work / "load-ingest.json", 1, analysis, ready),
            start_new_session=True,
            preexec_fn=(lambda: os.nice(ingest_nice)) if ingest_nice else None,
        )
        waited = time.monotonic()
        while not ready.exists() and ingest.poll() is None and time.monotonic() - waited < 120:
            time.sleep(0.2)
        writing = ready.exists() and ingest.poll() is None
        # the two generators take turns in short windows, so both meet every phase of the ingest
        loaded, loaded_light = Latencies(), Latencies()
        for _ in range(LOADED_TURNS):
            loaded = loaded.merged(
                asyncio.run(drive_load(base, story_ids, terms, clients, seconds / LOADED_TURNS))
            )
            loaded_light = loaded_light.merged(
                asyncio.run(drive_load(base, story_ids, terms, clients, seconds / LOADED_TURNS, light=True))
            )
        paced = (
            asyncio.run(drive_load(base, story_ids, terms, clients, seconds, think_s)) if think_s else None
        )
        still_writing = ingest.poll() is None
        return {
            "loaded": summarize(loaded),
            "idle": summarize(idle) if idle else None,
            # the same windows driven by LightClient, which leaves the server the CPU httpx takes
            "loaded_light_generator": summarize(loaded_light),
            "idle_light_generator": summarize(idle_light) if idle_light else None,
            "loaded_with_think_time": summarize(paced) if paced else None,
            "think_ms": think_s * 1000,
            "ingest_was_writing": writing and still_writing,
            "stories_served": len(story_ids),
            "clients": clients,
            "seconds": seconds,
            "loadavg_1m_after": round(os.getloadavg()[0], 2),
            "ingest_nice": ingest_nice,
            "web_workers": web_workers,
        }
    finally:
        for proc in (ingest, server):
            if proc is not None and proc.poll() is None:
                _kill_group(proc)


# -- the parent: plan, run, report -------------------------------------------------------------
def _load_pg_server() -> Any:
    """tests/pg_server.py, imported by path: the benchmark is not a test but reuses its server."""
    spec = importlib.util.spec_from_file_location("pg_server", REPO / "tests" / "pg_server.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def postgres(pg: Any) -> AbstractContextManager[str]:
    return pg.postgres_server()  # type: ignore[no-any-return]


def run_size(
    size: int,
    folder: Path,
    extra: Path,
    configs: list[str],
    analysis: Analysis,
    timeout: float,
    work: Path,
    pg: Any,
    limits: dict[str, Any] | None = None,
) -> tuple[list[Run], dict[str, Any]]:
    """Each configuration at ``size``; with ``limits``, the models' own throughput on the work of
    the SQLite run is measured after it and kept there under the run's label."""
    runs: list[Run] = []
    notes: dict[str, Any] = {}
    plan: list[tuple[str, str, int, Analysis]] = []  # (config, backend, workers, analysis)
    for name in configs:
        if name == "sqlite":
            plan.append((name, "sqlite", 1, analysis))
        elif name == "postgresql":
            plan.append((name, "postgresql", 1, analysis))
        elif name == "workers2":
            plan.append((name, "sqlite", 2, analysis))
        elif name == "postgresql-workers2":
            plan.append((name, "postgresql", 2, analysis))
        elif name == "no-embed" and analysis.embed:
            plan.append((name, "sqlite", 1, replace(analysis, embed=False)))
    for name, backend, workers, how in plan:
        label = f"{backend}/{size}/w{workers}" + ("" if how.embed else "/no-embed")
        if backend == "postgresql" and pg is None:
            notes[label] = "not measured: PostgreSQL cannot be started here"
            continue
        db_file = work / f"{name}-{size}.db"
        server = postgres(pg) if backend == "postgresql" else nullcontext(str(db_file))
        print(f"[{label}] ingest + digest of {size} articles ...", file=sys.stderr, flush=True)
        record = work / f"record-{size}.json" if limits is not None and name == "sqlite" else None
        with server as db:
            run = measure(label, folder, size, db, workers, how, timeout, work, record)
        runs.append(run)
        _print_run(run)
        if record is not None and run.ok and limits is not None:
            print(f"[{label}] the models alone on the same work ...", file=sys.stderr, flush=True)
            limits[label] = limit(label, run, str(db_file), record, timeout, work)
            print(f"  {limits[label]}", file=sys.stderr, flush=True)
        if name == "sqlite" and run.ok:
            runs += increments(label, extra, db_file, how, timeout, work)
    return runs, notes


def increments(
    label: str, extra: Path, db_file: Path, how: Analysis, timeout: float, work: Path
) -> list[Run]:
    """One incremental ingest of ``extra`` into the store, twice from the same store: in a fresh
    process (``/increment``: what a command-line ``ingest`` costs, imports and model loading
    included) and in a process whose models are already loaded (``/increment-warm``: what each run
    of a long-running ``watch`` costs; its time is the ingest's own, its memory the whole process)."""
    copy = db_file.with_suffix(".before-increment.db")
    shutil.copyfile(db_file, copy)
    # the copy's pages on disk before either run, as a store's are: its first checkpoint's fsync
    # otherwise writes the whole copy out (1.9 GB at 100k: 1.1 s of a ten-article ingest)
    os.sync()
    out = []
    for suffix, warm, db in (("increment", False, db_file), ("increment-warm", True, copy)):
        inc = measure(f"{label}/{suffix}", extra, _count(extra), str(db), 1, how, timeout, work, warm=warm)
        out.append(inc)
        _print_run(inc)
    copy.unlink(missing_ok=True)
    return out


def _count(folder: Path) -> int:
    return sum(1 for p in folder.glob("*.jsonl") for line in p.open(encoding="utf-8") if line.strip())


def _words(folder: Path) -> int:
    """Words (whitespace-separated) of the article texts in ``folder``: the unit of ``words_per_s``."""
    return sum(
        len(json.loads(line)["text"].split())
        for p in folder.glob("*.jsonl")
        for line in p.open(encoding="utf-8")
        if line.strip()
    )


def _print_run(run: Run) -> None:
    if not run.ok:
        print(
            f"  {run.label}: FAILED ({run.failure}) after {run.wall_s:.0f} s, peak RSS {run.peak_rss_mb:.0f} MB",
            file=sys.stderr,
            flush=True,
        )
        return
    d = run.detail
    print(
        f"  {run.label}: {run.articles} articles in {run.wall_s:.1f} s = {run.articles_per_s:.2f} articles/s "
        f"= {run.words_per_s:.0f} words/s, "
        f"{d.get('cpu_s')} CPU s, peak RSS {run.peak_rss_mb:.0f} MB, load {d.get('loadavg_1m_before_after')}, "
        f"{d.get('stories')} stories, stages {d.get('stage_spans_s')}, "
        f"peak MB at each stage's first and last report {d.get('peak_rss_mb_by_stage')}",
        file=sys.stderr,
        flush=True,
    )


def ratios(runs: dict[str, Run], sizes: list[int], embed: bool) -> dict[str, float]:
    """Each configuration against its baseline, at every size where both were measured."""
    suffix = "" if embed else "/no-embed"
    out: dict[str, float] = {}
    for size in sizes:
        base = runs.get(f"sqlite/{size}/w1{suffix}")
        if base is None or not base.ok:
            continue
        pairs = {
            f"workers2_vs_1@{size}": runs.get(f"sqlite/{size}/w2{suffix}"),
            f"postgresql_vs_sqlite@{size}": runs.get(f"postgresql/{size}/w1{suffix}"),
            f"postgresql_workers2_vs_sqlite@{size}": runs.get(f"postgresql/{size}/w2{suffix}"),
        }
        for key, other in pairs.items():
            if other is not None and other.ok:
                out[key] = round(other.articles_per_s / base.articles_per_s, 2)
        fast = runs.get(f"sqlite/{size}/w1/no-embed")
        if embed and fast is not None and fast.ok:
            out[f"full_vs_no_embed@{size}"] = round(base.articles_per_s / fast.articles_per_s, 2)
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="child")
    ing = sub.add_parser("_ingest", help="internal: one measured ingest + digest")
    ing.add_argument("--articles", required=True)
    ing.add_argument("--db", required=True)
    ing.add_argument("--result", required=True)
    ing.add_argument("--workers", type=int, default=1)
    ing.add_argument("--no-embed", action="store_true")
    ing.add_argument("--document-vector", default="lead")
    ing.add_argument("--ready-file")
    ing.add_argument("--record", help="write the texts embedded and the pairs judged here")
    ing.add_argument(
        "--warm", action="store_true", help="load the models before the clock starts, as a running watch has"
    )
    lim = sub.add_parser("_limit", help="internal: the models alone over one ingest's recorded work")
    lim.add_argument("--db", required=True)
    lim.add_argument("--record", required=True)
    lim.add_argument("--result", required=True)
    grw = sub.add_parser("_grow", help="internal: clone a store's analysed articles, unclustered")
    grw.add_argument("--db", required=True)
    grw.add_argument("--to", type=int, required=True)
    grw.add_argument("--result", required=True)
    srv = sub.add_parser("_serve", help="internal: the web app under uvicorn")
    srv.add_argument("--db", required=True)
    srv.add_argument("--port", type=int, required=True)
    srv.add_argument("--workers", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--pool",
        default="excerpt",
        help="comma-separated article pools, each measured in turn: full (the 181 checked bodies "
        "of article-extraction-benchmark, 731 words on average), excerpt (NeuS/AllSides, 63)",
    )
    parser.add_argument(
        "--no-limit",
        action="store_true",
        help="skip running the models alone on the smallest SQLite run's work (limit_ratio)",
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated article counts")
    parser.add_argument(
        "--configs",
        default="sqlite,postgresql,workers2,no-embed",
        help="which of sqlite,postgresql,workers2,postgresql-workers2,no-embed to run at each size",
    )
    parser.add_argument(
        "--no-embed", action="store_true", help="every configuration without MiniLM embeddings"
    )
    parser.add_argument(
        "--document-vector",
        choices=DOCUMENT_VECTORS,
        default="lead",
        help="how every configuration makes its clustering vectors (analyze.document_vector)",
    )
    parser.add_argument(
        "--increment", type=int, default=32, help="articles in the incremental run after sqlite"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds before a configuration is abandoned"
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=20, help="0 skips the load test")
    parser.add_argument("--idle-seconds", type=float, default=10)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=1000,
        help="also measure clients pausing ~this long between requests (0: skip)",
    )
    parser.add_argument(
        "--grow-to",
        type=int,
        default=0,
        help="after the biggest SQLite run, clone its analysed articles up to this many and "
        "measure an incremental run that clusters them all and builds their stories",
    )
    parser.add_argument(
        "--grow-from",
        type=Path,
        help="with --grow-to: skip the runs and grow a copy of this SQLite store (one kept by "
        "--keep from a run of the largest of --sizes, which names the new articles' offset)",
    )
    parser.add_argument(
        "--grow-workers",
        type=int,
        default=1,
        help="worker processes of the run on the grown store (they fill its stories)",
    )
    parser.add_argument("--web-workers", type=int, default=1, help="server processes in the load test")
    parser.add_argument(
        "--ingest-nice",
        type=int,
        default=0,
        help="CPU niceness of the ingest that runs during the load test (10: readers first)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (article sets, stores)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child == "_ingest":
        return child_ingest(args)
    if args.child == "_serve":
        return child_serve(args)
    if args.child == "_grow":
        return child_grow(args)
    if args.child == "_limit":
        return child_limit(args)
    pools = [p.strip() for p in args.pool.split(",") if p.strip()]
    unknown = sorted(set(pools) - set(POOLS))
    if unknown or not pools:
        sys.exit(f"unknown --pool {', '.join(unknown) or '(none)'}: choose from {', '.join(POOLS)}")
    by_pool = {}
    for n, name in enumerate(pools):
        # the store growth and the load test are about the store, not the texts: with the first pool only
        by_pool[name] = run_pool(name, args, first=n == 0)
    print(json.dumps(headline(by_pool)))


def headline(by_pool: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The issue's figures per pool (the SQLite, one-process run at the smallest size, which the
    limit was measured on), then every pool's full figures."""
    out: dict[str, Any] = {
        "benchmark": "scale",
        "words_per_s": {},
        "articles_per_s": {},
        "limit_words_per_s": {},
        "limit_ratio": {},
        "headline_run": {},
        "loadavg_1m": {},
    }
    for name, fig in by_pool.items():
        label = next((k for k in fig["words_per_s"] if k.startswith("sqlite/") and k.endswith("/w1")), None)
        if label is None:
            continue
        out["headline_run"][name] = label
        out["words_per_s"][name] = fig["words_per_s"][label]
        out["articles_per_s"][name] = fig["articles_per_s"][label]
        out["loadavg_1m"][name] = fig["loadavg_1m"].get(label)
        lim = (fig.get("limit") or {}).get(label) or {}
        out["limit_words_per_s"][name] = lim.get("limit_words_per_s")
        out["limit_ratio"][name] = lim.get("limit_ratio")
        out.setdefault("limit_ratio_cpu", {})[name] = lim.get("limit_ratio_cpu")
        # increment_s / increment_peak_mb (and the warm figures) per store size, grown stores too
        increments_by_size = dict(fig.get("increment") or {})
        increments_by_size.update((fig.get("grown_store") or {}).get("increment") or {})
        out.setdefault("increment", {})[name] = increments_by_size
    out["pools"] = by_pool
    return out


def run_pool(pool_name: str, args: argparse.Namespace, first: bool) -> dict[str, Any]:
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    analysis = Analysis(embed=not args.no_embed, document_vector=args.document_vector)
    pool = article_pool(args.data, pool_name)
    words = sum(len(r["text"].split()) for r in pool) / len(pool)
    print(
        f"pool {pool_name}: {len(pool)} real articles, {words:.0f} words on average; sizes {sizes}; "
        f"{'full NLP' if analysis.embed else 'no embeddings'}",
        file=sys.stderr,
    )
    pg = _load_pg_server()
    pg_reason = pg.available()
    if pg_reason and "postgresql" in configs:
        print(f"PostgreSQL not measured: {pg_reason}", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix=f"newsweave-scale-{pool_name}-"))
    runs: dict[str, Run] = {}
    notes: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    load: dict[str, Any] = {"skipped": "--load-seconds 0" if first else "measured with the first pool"}
    grown: dict[str, Any] = {}
    try:
        biggest = max(sizes)
        for size in [] if args.grow_from else sizes:
            folder = write_set(article_set(pool, 0, size), work / f"set-{size}")
            extra = write_set(article_set(pool, biggest + 5000, args.increment), work / f"inc-{size}")
            with_limit = not args.no_limit and analysis.embed and size == sizes[0]
            size_runs, size_notes = run_size(
                size,
                folder,
                extra,
                configs,
                analysis,
                args.timeout,
                work,
                None if pg_reason else pg,
                limits if with_limit else None,
            )
            runs.update({r.label: r for r in size_runs})
            notes.update(size_notes)
        biggest_db = work / f"sqlite-{biggest}.db"
        if args.grow_from and first:
            shutil.copyfile(args.grow_from, biggest_db)  # the kept store itself stays as it was
        if args.grow_to and first and biggest_db.exists():
            print(
                f"[grow] the {biggest}-article store cloned to {args.grow_to} articles ...",
                file=sys.stderr,
                flush=True,
            )
            grown_extra = write_set(article_set(pool, biggest + 7000, args.increment), work / "grown-inc")
            then = write_set(article_set(pool, biggest + 8000, args.increment), work / "grown-then")
            grown = grow(
                biggest_db, args.grow_to, grown_extra, analysis, args.timeout, work, args.grow_workers, then
            )
            print(f"  {grown}", file=sys.stderr)
        smallest_db = work / f"sqlite-{sizes[0]}.db"
        if args.load_seconds > 0 and first and smallest_db.exists():
            # the ingest under load adds articles the store has not seen (beyond every measured set)
            load_dir = write_set(article_set(pool, biggest + 10_000, 2000), work / "load-set")
            print(
                f"[load] {args.clients} clients, {args.idle_seconds:.0f} s idle then {args.load_seconds:.0f} s "
                "while an ingest writes ...",
                file=sys.stderr,
                flush=True,
            )
            load = load_test(
                str(smallest_db),
                load_dir,
                work,
                args.clients,
                args.load_seconds,
                args.idle_seconds,
                analysis,
                args.think_ms / 1000,
                args.ingest_nice,
                args.web_workers,
            )
            print(f"  {load}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    out = figures(runs, notes, load, sizes, configs, analysis.embed, len(pool), words)
    out["pool"] = pool_name
    out["document_vector"] = args.document_vector
    if limits:
        out["limit"] = limits
    if grown:
        out["grown_store"] = grown
    return out


def figures(
    runs: dict[str, Run],
    notes: dict[str, Any],
    load: dict[str, Any],
    sizes: list[int],
    configs: list[str],
    embed: bool,
    pool: int,
    words: float,
) -> dict[str, Any]:
    main_runs = {k: r for k, r in runs.items() if "/increment" not in k}
    loaded = load.get("loaded") or {}
    idle = load.get("idle") or {}
    not_measured = dict(notes)
    not_measured.update({k: r.failure for k, r in runs.items() if not r.ok})
    ratio = ratios(main_runs, sizes, embed)
    if loaded.get("story_p95_ms") and idle.get("story_p95_ms"):
        ratio["story_p95_loaded_vs_idle"] = round(loaded["story_p95_ms"] / idle["story_p95_ms"], 2)
    return {
        "benchmark": "scale",
        "pipeline": "full" if embed else "no-embed",
        "sizes_requested": sizes,
        "sizes_measured": sorted({int(k.split("/")[1]) for k, r in main_runs.items() if r.ok}),
        "configs": configs,
        "pool_articles": pool,
        "mean_words_per_article": round(words, 1),
        "articles_per_s": {k: round(r.articles_per_s, 2) for k, r in main_runs.items() if r.ok},
        "words_per_s": {k: round(r.words_per_s) for k, r in main_runs.items() if r.ok},
        "wall_s": {k: round(r.wall_s, 1) for k, r in runs.items() if r.ok},
        "cpu_s": {k: r.detail.get("cpu_s") for k, r in runs.items() if r.ok},
        "articles_per_cpu_s": {
            k: round(r.articles / r.detail["cpu_s"], 2)
            for k, r in main_runs.items()
            if r.ok and r.detail.get("cpu_s")
        },
        "peak_rss_mb": {k: round(r.peak_rss_mb) for k, r in runs.items() if r.ok},
        "stage_spans_s": {k: r.detail.get("stage_spans_s") for k, r in runs.items() if r.ok},
        "loadavg_1m": {k: r.detail.get("loadavg_1m_before_after") for k, r in runs.items() if r.ok},
        "story_p50_ms": loaded.get("story_p50_ms"),
        "story_p95_ms": loaded.get("story_p95_ms"),
        "search_p50_ms": loaded.get("search_p50_ms"),
        "search_p95_ms": loaded.get("search_p95_ms"),
        "load": load,
        "ratios": ratio,
        "increment": increment_figures(runs),
        "not_measured": not_measured or None,
    }


def increment_figures(runs: dict[str, Run]) -> dict[str, dict[str, float | None]]:
    """Per store size: the incremental ingest's seconds and peak memory, in a fresh process
    (``increment_s``, wall) and with the models loaded (``increment_warm_s``, the ingest alone)."""
    out: dict[str, dict[str, float | None]] = {}
    for label, run in runs.items():
        if not run.ok or "/increment" not in label:
            continue
        size = label.split("/")[1]
        figures = out.setdefault(size, {})
        if label.endswith("/increment"):
            figures["increment_s"] = round(run.wall_s, 2)
            figures["increment_peak_mb"] = round(run.peak_rss_mb)
        else:
            figures["increment_warm_s"] = run.detail.get("in_process_s")
            figures["increment_warm_peak_mb"] = round(run.peak_rss_mb)
    return out


if __name__ == "__main__":
    main()
