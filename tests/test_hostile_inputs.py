"""Inputs that used to hang, crash or quietly corrupt a run: each is now read, or refused by name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsweave.config import IngestConfig
from newsweave.ingest import ingest_sources
from newsweave.ingest.decode import decode_bytes
from newsweave.model import Article, IngestError

STORY = "Harbour strike ends\n\nDock workers returned to work on Friday after the union accepted the offer.\n"


def _items(*sources: Path | str, **cfg: object) -> list[Article | IngestError]:
    return list(ingest_sources([str(s) for s in sources], IngestConfig(**cfg)))


def test_a_fifo_in_a_folder_is_named_and_skipped_without_waiting(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(STORY)
    os.mkfifo(tmp_path / "pipe.txt")
    items = _items(tmp_path)
    assert [i.id for i in items if isinstance(i, Article)] == ["good"]
    [error] = [i for i in items if isinstance(i, IngestError)]
    assert error.source.endswith("pipe.txt") and "named pipe" in error.reason


def test_a_symlink_to_a_device_is_refused_not_read(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    [error] = _items(tmp_path / "zero.txt")
    assert isinstance(error, IngestError) and "character device" in error.reason


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(STORY)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    [article] = _items(tmp_path / "link.txt")
    assert isinstance(article, Article) and article.title == "Harbour strike ends"


def test_a_file_is_read_no_further_than_the_byte_limit(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"word " * 1000)
    [error] = _items(tmp_path / "big.txt", max_bytes=1000)
    assert isinstance(error, IngestError) and "over the 1,000-byte limit" in error.reason


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("brackets.json", b"[" * 200_000),
        ("objects.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        ("deep.jsonl", b'{"text": "x", "m": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"),
    ],
)
def test_deeply_nested_json_is_refused_by_name_and_the_good_files_are_read(
    tmp_path: Path, name: str, data: bytes
) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(STORY)
    items = _items(tmp_path)
    assert [i.id for i in items if isinstance(i, Article)] == ["good"]
    [error] = [i for i in items if isinstance(i, IngestError)]
    assert "deep" in error.reason


def test_a_record_nested_beyond_the_limit_is_refused_but_its_neighbours_kept(tmp_path: Path) -> None:
    nested: object = "x"
    for _ in range(50):
        nested = {"k": nested}
    lines = [
        {"text": "First report of the strike."},
        {"text": "Nested.", "meta": nested},
        {"text": "Third report of the strike."},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in lines))
    items = _items(tmp_path / "feed.jsonl")
    assert [type(i).__name__ for i in items] == ["Article", "IngestError", "Article"]
    assert "levels deep" in items[1].reason


def test_a_json_number_too_long_to_convert_is_named(tmp_path: Path) -> None:
    (tmp_path / "n.json").write_bytes(b'{"text": "x", "n": ' + b"9" * 100_000 + b"}")
    [error] = _items(tmp_path / "n.json")
    assert isinstance(error, IngestError) and "JSON" in error.reason


def test_files_of_one_name_in_two_folders_are_two_articles(tmp_path: Path) -> None:
    for folder, day in (("a", "Friday"), ("b", "Monday")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(STORY.replace("Friday", day))
    from_folder = _items(tmp_path)
    assert sorted(i.id for i in from_folder) == ["a~story", "b~story"]
    named = _items(tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt")
    assert [i.id for i in named] == ["story", "b~story"]


def test_one_bad_byte_in_utf8_text_leaves_the_rest_utf8() -> None:
    data = "Korea’s minister said “yes” — twice.".encode() + b"\xff"
    assert decode_bytes(data) == "Korea’s minister said “yes” — twice.\ufffd"


def test_cp1252_text_is_still_read_as_cp1252() -> None:
    assert decode_bytes("Café owners’ strike".encode("cp1252")) == "Café owners’ strike"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "header.txt",
            b"URL: javascript:alert(1)\nHarbour strike ends\n\nDock workers returned to work on Friday.\n",
        ),
        (
            "record.json",
            json.dumps({"text": "Dock workers returned.", "url": "javascript:alert(1)"}).encode(),
        ),
        (
            "feed.rss",
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>Strike</title>"
            b"<link>javascript:alert(1)</link><description>Dock workers returned.</description></item>"
            b"</channel></rss>",
        ),
    ],
)
def test_a_javascript_url_never_becomes_an_articles_link(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    [article] = _items(tmp_path / name)
    assert isinstance(article, Article) and article.url is None
    assert article.metadata["url_not_http"].startswith("javascript:")


def test_the_html_report_links_only_http_urls() -> None:
    from newsweave.model import Digest, Story
    from newsweave.report import render_html

    article = Article(id="a", title="T", text="Dock workers returned.", url="javascript:alert(1)")
    html = render_html(Digest(articles=[article], stories=[Story(id="s", headline="T", articles=["a"])]))
    assert 'href="javascript:' not in html


def test_a_feed_declaring_entities_is_refused_as_a_possible_bomb(tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 9))
    (tmp_path / "bomb.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e0 "lol">{entities}]>'
        "<rss version='2.0'><channel><item><title>&e8;</title>"
        "<description>&e8;</description></item></channel></rss>"
    )
    [error] = _items(tmp_path / "bomb.xml")
    assert isinstance(error, IngestError) and "entities" in error.reason


def test_a_socket_file_is_named_as_a_socket(tmp_path: Path) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "s.txt"))
        [error] = _items(tmp_path / "s.txt")
    assert isinstance(error, IngestError) and "a socket" in error.reason
