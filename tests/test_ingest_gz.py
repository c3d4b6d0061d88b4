"""gzip-compressed inputs are read like the files inside them, within the size limit."""

from __future__ import annotations

import gzip
from pathlib import Path

from newsweave.config import IngestConfig
from newsweave.ingest import ingest_sources
from newsweave.model import Article, IngestError

PAGE = (
    "<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1>"
    "<p>The harbour at Gdansk reopened on Monday after a two-week strike by dockworkers over pay.</p>"
    "<p>The union accepted the terminal operator's offer late on Sunday, its chairman said.</p>"
    "</article></body></html>"
)


def test_an_html_gz_file_is_read_as_the_page_inside(tmp_path: Path) -> None:
    file = tmp_path / "harbour.html.gz"
    file.write_bytes(gzip.compress(PAGE.encode()))
    [article] = list(ingest_sources([str(file)]))
    assert isinstance(article, Article)
    assert article.id == "harbour" and "reopened on Monday" in article.text


def test_a_gz_file_that_inflates_past_the_limit_is_refused_by_name(tmp_path: Path) -> None:
    file = tmp_path / "bomb.txt.gz"
    file.write_bytes(gzip.compress(b"a" * 2_000_000))  # about 2 KB on disk
    [error] = list(ingest_sources([str(file)], IngestConfig(max_bytes=100_000)))
    assert isinstance(error, IngestError) and error.source == str(file)
    assert "100,000-byte limit" in error.reason


def test_a_damaged_gz_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    file = tmp_path / "cut.jsonl.gz"
    file.write_bytes(gzip.compress(b'{"text": "The harbour reopened."}\n' * 50)[:40])
    [error] = list(ingest_sources([str(file)]))
    assert isinstance(error, IngestError) and "gzip" in error.reason
