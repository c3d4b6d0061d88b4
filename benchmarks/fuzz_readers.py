"""Coverage-guided fuzzing of the readers and the cleaner with atheris (libFuzzer), bounded.

    python benchmarks/fuzz_readers.py --runs 20000 --max-seconds 300

The first input byte picks the extension hint (.txt, .html, .json, .jsonl, .xml, none), the
rest is the document; it goes through ``read_document`` and every article it yields through
the cleaner, as the pipeline would. Any exception escaping them is a crash: libFuzzer stops and
writes the input to ``--artifacts``. Starts from a small corpus of valid documents written for
this script (one per kind). The fuzzer runs in a subprocess because libFuzzer exits the process
when it is done; this script then prints what it did, ending with one line of JSON.

hypothesis property tests of the same contract run in ``tests/test_fuzz.py`` on every ``make
test``; this script is the slower, deeper search (atheris is a dev-only tool, not a dependency).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXTENSIONS = [".txt", ".html", ".json", ".jsonl", ".xml", ""]
SEEDS = {
    "feed.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><title>Coastal Ledger</title><item>'
    b"<title>Port reopens</title><link>https://ledger.example/reopens</link>"
    b"<pubDate>Thu, 06 Mar 2025 09:00:00 GMT</pubDate>"
    b"<description>&lt;p&gt;The port reopened on Thursday.&lt;/p&gt;</description></item></channel></rss>",
    "atom.xml": b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Post</title>'
    b'<entry><title>Strike ends</title><link href="https://post.example/strike"/>'
    b'<updated>2025-03-07T10:00:00Z</updated><content type="html">&lt;p&gt;Dockers returned.&lt;/p&gt;'
    b"</content></entry></feed>",
    "records.json": b'[{"title": "Port reopens", "text": "The port reopened on Thursday.", "published": '
    b'"2025-03-06", "outlet": "Coastal Ledger", "url": "https://ledger.example/reopens"}]',
    "records.jsonl": b'{"title": "A", "text": "Body one.", "date": 1741255200}\n{"text": "Body two.", "source": "X"}\n',
    "page.html": b"<!doctype html><html><head><title>Port reopens</title></head><body><nav>Home | World</nav>"
    b"<article><h1>Port reopens</h1><p>The port reopened on Thursday after a week-long strike.</p>"
    b"<p>Read more</p></article></body></html>",
    "scraped.txt": b"Port reopens\n\nBy Lena Ortiz | Coastal Ledger | 6 March 2025\n\nThe port reopened on Thursday."
    b"\nSource: Harbour Authority.\nLeave a Comment\n",
}


# Open reader bugs as (function in the traceback, exception type) -> label. With --ignore-known the
# search goes on past them instead of stopping at the first one again. The three this script and
# tests/test_fuzz.py found (feed entry without a body, non-string outlet, numeric date beyond
# time_t; all in ingest/records.py) are fixed, so the table is empty.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def known_bug(exc: BaseException) -> str | None:
    frames = [f.name for f in traceback.extract_tb(exc.__traceback__)]
    for (function, kind), label in KNOWN_BUGS.items():
        if type(exc).__name__ == kind and function in frames:
            return label
    return None


def fuzz_child(libfuzzer_args: list[str], ignore_known: bool) -> None:
    """Runs inside the subprocess; libFuzzer never returns from ``atheris.Fuzz``."""
    import atheris

    # instrument our readers and the feed parser: coverage guidance needs their branches
    with atheris.instrument_imports(include=["newsweave", "feedparser"]):
        from newsweave.ingest import read_document
        from newsweave.ingest.clean import boilerplate_lines_by_outlet, clean_article
        from newsweave.model import Article, IngestError

    seen_known: set[str] = set()

    def one_input(data: bytes) -> None:
        try:
            read_and_clean(data)
        except Exception as exc:
            known = known_bug(exc)
            if known is None or not ignore_known:
                traceback.print_exc()  # libFuzzer's own report does not show the Python traceback
                raise
            if known not in seen_known:
                seen_known.add(known)
                print(f"KNOWN-BUG {known}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)

    def read_and_clean(data: bytes) -> None:
        if not data:
            return
        extension = EXTENSIONS[data[0] % len(EXTENSIONS)]
        items = list(read_document(data[1:], f"fuzz{extension}", "fuzz", extension))
        articles = [i for i in items if isinstance(i, Article)]
        for item in items:
            if isinstance(item, IngestError) and not item.reason.strip():
                raise AssertionError(f"an IngestError without a reason: {item!r}")
        furniture = boilerplate_lines_by_outlet(articles)
        for article in articles:
            clean_article(article, outlet_lines=furniture.get(article.outlet or "", set()))

    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


def write_corpus(folder: Path) -> None:
    for name, data in SEEDS.items():
        ext = Path(name).suffix
        (folder / name).write_bytes(bytes([EXTENSIONS.index(ext)]) + data)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_fuzz":
        return fuzz_child(sys.argv[3:], sys.argv[2] == "ignore-known")
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20000, help="inputs to try")
    parser.add_argument(
        "--max-seconds", type=int, default=300, help="stop after this long whatever --runs says"
    )
    parser.add_argument("--max-len", type=int, default=4096)
    parser.add_argument("--timeout", type=int, default=10, help="seconds before one input counts as a hang")
    parser.add_argument("--ignore-known", action="store_true", help="go on past the open bugs in KNOWN_BUGS")
    parser.add_argument("--artifacts", type=Path, default=Path(tempfile.gettempdir()) / "newsweave-fuzz")
    args = parser.parse_args()
    args.artifacts.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsweave-corpus-") as corpus:
        write_corpus(Path(corpus))
        cmd = [
            sys.executable,
            __file__,
            "_fuzz",
            "ignore-known" if args.ignore_known else "stop",
            f"-runs={args.runs}",
            f"-max_total_time={args.max_seconds}",
            f"-max_len={args.max_len}",
            f"-timeout={args.timeout}",
            f"-artifact_prefix={args.artifacts}/",
            "-print_final_stats=1",
            corpus,
        ]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
        seconds = time.perf_counter() - start
    log = proc.stderr
    crash = re.search(r"(Test unit written to|written to) (\S+)", log)
    runs = re.search(r"Done (\d+) runs in (\d+) second", log) or re.search(
        r"stat::number_of_executed_units: (\d+)", log
    )
    cov = re.findall(r"cov: (\d+)", log)
    known = sorted(set(re.findall(r"KNOWN-BUG ([^:]+):", log)))
    tail = "\n".join(log.splitlines()[-25:])
    print(tail, file=sys.stderr)
    print(
        json.dumps(
            {
                "benchmark": "fuzz_readers",
                "atheris": importlib.metadata.version("atheris"),
                "runs": int(runs.group(1)) if runs else None,
                "seconds": round(seconds, 1),
                "coverage_edges": int(cov[-1]) if cov else None,
                "exit_code": proc.returncode,
                "crash_input": crash.group(2) if crash else None,
                "known_bugs_hit": known,
            }
        )
    )
    sys.exit(0 if proc.returncode == 0 else 1)


if __name__ == "__main__":
    main()
