"""Continuous ingestion: conditional requests, back-off for failing feeds, folders, OPML."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from newsweave import pipeline
from newsweave.config import Config, IngestConfig
from newsweave.store import open_store
from newsweave.watch import expand_sources, poll_once, read_opml

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Coastal Ledger</title>
<item><title>Dockers vote to strike</title><link>https://ledger.example/strike</link>
<pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate>
<description>Dock workers voted to strike on Monday.</description></item>
</channel></rss>"""


class _Feeds(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802
        _Feeds.hits[self.path] = _Feeds.hits.get(self.path, 0) + 1
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)
        else:
            self.send_response(503)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def feeds() -> str:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Feeds)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    _Feeds.hits = {}
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture()
def ingested(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record what reaches the pipeline instead of running the NLP stages."""
    calls: list[list[str]] = []

    def fake(raw, errors, config, store, progress=None):
        calls.append([a.id for a in raw])
        for a in raw:
            store.upsert_article(a)
        return pipeline.RunReport(new=[a.id for a in raw], errors=list(errors))

    monkeypatch.setattr(pipeline, "ingest_articles", fake)
    return calls


# the feeds are served from this machine, which newsweave refuses to fetch from unless told
LOCAL = Config(ingest=IngestConfig(allow_private_urls=True))


def test_unchanged_feed_costs_one_304_and_failing_feed_backs_off(
    feeds: str, tmp_path: Path, ingested
) -> None:
    sources = [f"{feeds}/feed.xml", f"{feeds}/broken.xml"]
    with open_store(str(tmp_path / "w.db")) as store:
        first = poll_once(sources, LOCAL, store, every=60, now=1000)
        assert first.fetched == [f"{feeds}/feed.xml"]
        assert len(first.failed) == 1 and "HTTP 503" in first.failed[0].reason
        assert "next try in 120 s" in first.failed[0].reason
        second = poll_once(sources, LOCAL, store, every=60, now=1010)
        assert second.not_modified == [f"{feeds}/feed.xml"]
        assert second.backing_off == [f"{feeds}/broken.xml"]
        assert _Feeds.hits["/broken.xml"] == 1  # not retried before its back-off ran out
        third = poll_once(sources, LOCAL, store, every=60, now=1200)
        assert "next try in 240 s" in third.failed[0].reason  # doubled after a second failure
        assert store.count_articles() == 1
    assert len(ingested[0]) == 1 and ingested[1] == [] and ingested[2] == []


def test_folder_only_new_or_changed_files(tmp_path: Path, ingested) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.txt").write_text("Title A\n\nBody of A.")
    with open_store(str(tmp_path / "w.db")) as store:
        poll_once([str(drop)], Config(), store, every=60)
        poll_once([str(drop)], Config(), store, every=60)
        (drop / "b.txt").write_text("Title B\n\nBody of B.")
        poll_once([str(drop)], Config(), store, every=60)
    assert ingested == [["a"], [], ["b"]]


def test_opml(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="News">'
        '<outline text="A" xmlUrl="https://a.example/rss"/><outline text="B" xmlUrl="https://b.example/atom"/>'
        "</outline></body></opml>"
    )
    assert read_opml(opml) == ["https://a.example/rss", "https://b.example/atom"]
    assert expand_sources([str(opml), "folder/"]) == [
        "https://a.example/rss",
        "https://b.example/atom",
        "folder/",
    ]
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body></body></opml>")
    with pytest.raises(ValueError, match="lists no feeds"):
        read_opml(bad)
