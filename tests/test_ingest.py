"""Readers: every input kind, detected by content, and every kind of bad input."""

from __future__ import annotations

import http.server
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.config import IngestConfig
from newsweave.ingest import ingest_sources, read_document
from newsweave.ingest.decode import decode_bytes, detect_kind
from newsweave.ingest.records import canonical_url, url_article_id
from newsweave.model import Article, IngestError

SCRAPED = """Harbour authority extends port curfew

By Lena Ortiz | Coastal Ledger | 4 March 2025

The harbour authority extended the overnight curfew at the container port by two weeks.
“We will review it every Friday,” the authority’s director said.
"""

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Coastal Ledger</title>
<item><title>Dockers vote to strike</title><link>https://ledger.example/strike?utm_source=x</link>
<pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Dock workers voted to strike.&lt;/p&gt;&lt;p&gt;The vote was 312 to 40.&lt;/p&gt;</description>
</item>
<item><title>Port reopens</title><link>https://ledger.example/reopens</link>
<description>The port reopened on Thursday.</description></item>
</channel></rss>"""


def _read(tmp_path: Path, name: str, data: bytes, **cfg: int) -> list[Article | IngestError]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(ingest_sources([str(path)], IngestConfig(**cfg)))


def test_scraped_text_title_byline_and_body(tmp_path: Path) -> None:
    [article] = _read(tmp_path, "ledger-curfew.txt", SCRAPED.encode())
    assert isinstance(article, Article)
    assert article.id == "ledger-curfew"
    assert article.title == "Harbour authority extends port curfew"
    assert article.outlet == "Coastal Ledger"
    assert article.published == "2025-03-04"
    assert article.metadata["author"] == "Lena Ortiz"
    assert article.text.startswith("The harbour authority")
    assert "By Lena Ortiz" not in article.text


def test_a_style_rule_left_above_the_title_is_not_the_title(tmp_path: Path) -> None:
    page = ".alogo{display: block;text-indent: -1000px;width: 330px;}\n" + SCRAPED
    [article] = _read(tmp_path, "ledger-curfew.txt", page.encode())
    assert isinstance(article, Article)
    assert article.title == "Harbour authority extends port curfew"


def test_kind_is_detected_by_content_not_extension(tmp_path: Path) -> None:
    items = _read(tmp_path, "feed.txt", RSS.encode())
    assert [type(i) for i in items] == [Article, Article]
    assert items[0].outlet == "Coastal Ledger"
    assert items[0].published == "2025-03-04"
    assert items[0].text == "Dock workers voted to strike.\nThe vote was 312 to 40."
    # tracking parameters do not change an article's identity
    assert items[0].id == url_article_id("https://ledger.example/strike")


def test_a_record_whose_title_is_a_style_rule_takes_its_first_line_as_title(tmp_path: Path) -> None:
    record = {
        "title": ".alogo{display: block;text-indent: -1000px;}",
        "text": "Mubarak renuncia.\nEl ejército...",
    }
    (article,) = _read(tmp_path, "pages.jsonl", json.dumps(record).encode())
    assert isinstance(article, Article) and article.title == "Mubarak renuncia."


def test_jsonl_records_keep_unknown_keys_and_report_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "title": "A",
                "text": "Body one.",
                "url": "https://www.news.example/a",
                "published": "2025-01-02",
                "author": "R. Roe",
            }
        ),
        "{not json",
        json.dumps({"title": "No text"}),
    ]
    items = _read(tmp_path, "batch.jsonl", "\n".join(lines).encode())
    article, broken, empty = items
    assert isinstance(article, Article)
    assert article.outlet == "news.example"
    assert article.metadata == {"author": "R. Roe"}
    assert isinstance(broken, IngestError) and broken.source.endswith("batch.jsonl:2")
    assert "malformed JSON" in broken.reason
    assert isinstance(empty, IngestError) and "no 'text'" in empty.reason


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("latin-1", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = (
        "Café talks resume\n\nThe minister’s café meeting ended at noon."
        if encoding != "latin-1"
        else "Café talks resume\n\nThe minister's café meeting ended at noon."
    )
    [article] = _read(tmp_path, f"enc-{encoding}.txt", prefix + text.encode(encoding))
    assert isinstance(article, Article)
    assert article.title == "Café talks resume"
    assert "café meeting" in article.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "binary"),
        ("broken.json", b'{"title": "x", "text": ', "malformed JSON"),
        (
            "empty.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "no entries",
        ),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    [err] = _read(tmp_path, name, data)
    assert isinstance(err, IngestError)
    assert name in err.source
    assert reason in err.reason


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    [err] = _read(tmp_path, "huge.txt", b"Title\n" + b"word " * 2000, max_bytes=1000)
    assert isinstance(err, IngestError) and "limit" in err.reason


def test_a_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SCRAPED)
    (tmp_path / "b.json").write_text("{oops")
    (tmp_path / "README.md").write_text("# not an article")
    items = list(ingest_sources([str(tmp_path), str(tmp_path / "missing.txt")]))
    kinds = sorted(type(i).__name__ for i in items)
    assert kinds == ["Article", "IngestError", "IngestError"]
    assert any("no such file" in i.reason for i in items if isinstance(i, IngestError))


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/article":
            body = SCRAPED.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> str:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_urls_fetch_and_fail_clearly(server: str) -> None:
    ok, missing = list(
        ingest_sources([f"{server}/article", f"{server}/gone"], IngestConfig(allow_private_urls=True))
    )
    assert isinstance(ok, Article)
    assert ok.url == f"{server}/article" and ok.id == url_article_id(f"{server}/article")
    assert isinstance(missing, IngestError) and "HTTP 404" in missing.reason


def test_dead_url_and_bad_scheme() -> None:
    dead, scheme = list(
        ingest_sources(["http://127.0.0.1:9/nothing", "file:///etc/passwd"], IngestConfig(fetch_timeout=2))
    )
    assert isinstance(dead, IngestError) and dead.reason.startswith(("cannot fetch", "timed out"))
    assert isinstance(scheme, IngestError) and "http" in scheme.reason


def test_canonical_url_drops_tracking_and_fragment() -> None:
    assert canonical_url("HTTPS://Example.COM/a/?utm_medium=x&id=3#top") == "https://example.com/a?id=3"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_readers_never_crash_on_arbitrary_bytes(data: bytes) -> None:
    for item in read_document(data, "fuzz.bin", "fuzz", ".txt"):
        assert isinstance(item, Article | IngestError)
        if isinstance(item, IngestError):
            assert item.reason


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_decoding_round_trips_utf8_text(text: str) -> None:
    data = text.encode("utf-8")
    try:
        assert decode_bytes(data) == text
    except ValueError:
        # only text full of control characters is refused as binary
        assert sum(ord(c) < 32 and c not in "\t\n\r\f" for c in text) > 0
    assert detect_kind(text) in ("text", "html", "json", "jsonl", "feed")


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2025-03-05", "2025-03-05"),
        ("2025-03-05T23:30:00-05:00", "2025-03-05"),  # feeds' timestamps: the day as written
        ("5 March 2025", "2025-03-05"),
        ("March 5, 2025", "2025-03-05"),
        ("2025-02-30", None),
        ("1850-01-01", None),  # not a news date
        ("sometime in 2025", None),
    ],
)
def test_publication_dates_are_read_from_machine_and_human_forms(written: str, day: str | None) -> None:
    from newsweave.ingest.text import parse_date

    assert parse_date(written) == day


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
def test_iso_dates_round_trip(day: date) -> None:
    from newsweave.ingest.text import parse_date

    assert parse_date(day.isoformat()) == day.isoformat()
    assert parse_date(day.isoformat() + "T12:00:00Z") == day.isoformat()
