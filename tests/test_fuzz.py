"""Fuzzing the readers and the cleaner with structured random input.

tests/test_ingest.py already throws arbitrary bytes at ``read_document`` and
tests/test_clean.py checks that the cleaner accounts for every line. Random bytes
almost never reach the JSON, feed or HTML code paths, so these tests generate
documents that *look* like each kind (JSON of any shape, RSS/Atom with odd entries,
HTML trees) and mutate valid documents byte by byte. For every input: no exception
escapes, no input takes more than a few seconds, every failure is an
``IngestError`` with a source and a reason, and every article is well-formed and
survives the cleaner.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsweave.ingest import read_document
from newsweave.ingest.clean import boilerplate_lines_by_outlet, clean_article
from newsweave.model import Article, IngestError

SECONDS_PER_INPUT = 10  # generous for a loaded 2-core machine; a hang is what we are after
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail an input that runs too long (SIGALRM: pytest runs tests on the main thread)."""

    def _alarm(signum: int, frame: Any) -> None:
        raise Hang(f"input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_checked(data: bytes, extension: str) -> list[Article | IngestError]:
    """Read ``data`` and check the contract every reader promises."""
    with time_limit(SECONDS_PER_INPUT):
        items = list(read_document(data, f"fuzz{extension}", "fuzz", extension))
        for item in items:
            if isinstance(item, IngestError):
                assert isinstance(item.reason, str) and item.reason.strip(), item
                assert item.source.startswith("fuzz"), item
            else:
                check_article(item)
        articles = [i for i in items if isinstance(i, Article)]
        # what the pipeline does next: outlet furniture across the batch, then the cleaner
        furniture = boilerplate_lines_by_outlet(articles)
        for article in articles:
            cleaned = clean_article(article, outlet_lines=furniture.get(article.outlet or "", set()))
            assert isinstance(cleaned.text, str)
    return items


def check_article(article: Any) -> None:
    assert isinstance(article, Article), type(article)
    assert isinstance(article.id, str) and article.id, article.id
    assert isinstance(article.title, str)
    assert isinstance(article.text, str) and article.text.strip(), (
        "an article with no text should be an error"
    )
    for name in ("outlet", "published", "url", "path"):
        value = getattr(article, name)
        assert value is None or isinstance(value, str), f"{name} is {type(value).__name__}: {value!r}"
    if article.published is not None:
        assert len(article.published) == 10 and article.published[4] == "-", article.published


# -- JSON of any shape -------------------------------------------------------------------------
# Keys the record reader looks for, so generated objects hit its branches, plus arbitrary ones.
_KEYS = st.sampled_from(
    [
        "id",
        "title",
        "text",
        "body",
        "content",
        "article",
        "url",
        "published",
        "date",
        "published_at",
        "pubDate",
        "outlet",
        "source",
        "site_name",
        "publisher",
        "author",
    ]
) | st.text(max_size=8)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=60)
    | st.sampled_from(
        [
            "2025-03-04",
            "4 March 2025",
            "2025-13-45T99:00",
            "0000-00-00",
            "Tue, 04 Mar 2025",
            "https://www.news.example/a?utm_source=x",
            "http://[::1",
            "   ",
            "",
        ]
    )
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=20,
)
_OUTLET_KEYS = ("outlet", "source", "site_name", "publisher")
_DATE_KEYS = ("published", "date", "published_at", "pubDate")
# Records that carry text, so the field handling behind it is reached, with any value elsewhere.
_RECORD = st.fixed_dictionaries(
    {"text": st.text(min_size=1, max_size=60) | _SCALARS},
    optional={k: _JSON for k in ("id", "title", "url", "body", "author", *_OUTLET_KEYS, *_DATE_KEYS)},
) | st.dictionaries(_KEYS, _JSON, max_size=8)


@FUZZ
@given(_JSON | st.lists(_RECORD, max_size=5) | _RECORD)
def test_json_documents_of_any_shape(doc: Any) -> None:
    read_checked(json.dumps(doc).encode(), ".json")


@FUZZ
@given(_RECORD, st.lists(_RECORD.map(json.dumps) | st.text(max_size=40), max_size=8))
@example(
    {}, ["\x1f", "\x1f\x1f", "\x1f\x1f", "\x1f\x1f", "\x1f\x1b"]
)  # found by CI: control bytes make it binary
def test_json_lines_with_bad_lines_mixed_in(first: dict[str, Any], rest: list[str]) -> None:
    from newsweave.ingest.decode import DecodeError, decode_bytes

    lines = [json.dumps(first), *rest]
    data = "\n".join(lines).encode()
    items = read_checked(data, ".jsonl")
    if any("\x00" in line for line in rest):
        # a raw NUL byte marks the whole file as binary: one clear error, not a guess per line
        assert len(items) == 1 and "binary" in items[0].reason
        return
    try:
        decode_bytes(data)
    except DecodeError:
        # so do control bytes past the decoder's limit (nine "\x1f" in a short file): one error
        assert len(items) == 1 and "binary" in items[0].reason
        return
    # one outcome per non-blank line: nothing is dropped silently
    assert len(items) == sum(1 for line in lines for part in line.splitlines() if part.strip())


@pytest.mark.parametrize("outlet", [["Ledger"], {"name": "Ledger"}, 500, True])
def test_non_string_outlet_is_dropped_or_refused(outlet: Any) -> None:
    read_checked(json.dumps({"text": "The port reopened.", "outlet": outlet}).encode(), ".json")


@pytest.mark.parametrize("published", [2**70, 1e300])
def test_huge_numeric_date_does_not_stop_the_run(published: float) -> None:
    read_checked(json.dumps({"text": "The port reopened.", "published": published}).encode(), ".json")


# -- RSS and Atom ------------------------------------------------------------------------------
_TEXTISH = st.text(max_size=80) | st.sampled_from(
    [
        "<p>Dockers vote to strike.</p><p>The vote was 312 to 40.</p>",
        "<script>alert(1)</script>",
        "&amp;&lt;&gt;&nbsp;&#x1F600;&#0;",
        "<![CDATA[<b>bold</b>]]>",
        "<p><p><p>",
        "]]>",
        "<unclosed",
    ]
)
_DATES = st.sampled_from(
    [
        "Tue, 04 Mar 2025 08:00:00 GMT",
        "2025-03-04T08:00:00Z",
        "yesterday",
        "Mon, 31 Feb 1899 25:61:00 +9999",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "",
    ]
) | st.text(max_size=30)


@st.composite
def feeds(draw: st.DrawFn) -> str:
    """An RSS 2.0 or Atom document with random entries; values are escaped or raw at random."""
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        title, body, link, when = draw(_TEXTISH), draw(_TEXTISH), draw(_TEXTISH), draw(_DATES)
        raw = draw(st.booleans())  # unescaped values make malformed XML on purpose
        fix = (lambda s: s) if raw else escape
        if atom:
            entries.append(
                f'<entry><title>{fix(title)}</title><link href="{escape(link)}"/>'
                f'<updated>{fix(when)}</updated><content type="html">{fix(body)}</content></entry>'
            )
        else:
            entries.append(
                f"<item><title>{fix(title)}</title><link>{fix(link)}</link>"
                f"<pubDate>{fix(when)}</pubDate><description>{fix(body)}</description></item>"
            )
    name = escape(draw(st.text(max_size=20)))
    if atom:
        doc = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{name}</title>{"".join(entries)}</feed>'
    else:
        channel = f"<channel><title>{name}</title>{''.join(entries)}</channel>"
        doc = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    cut = draw(st.none() | st.integers(0, len(doc)))  # truncated downloads are common
    return doc if cut is None else doc[:cut]


@FUZZ
@given(feeds(), st.sampled_from([".xml", ".rss", ".atom", ".txt", ""]))
def test_feed_like_xml(doc: str, extension: str) -> None:
    read_checked(doc.encode(), extension)


def test_feed_entry_with_a_broken_content_element() -> None:
    read_checked(b"<entry<title</content<", ".xml")


# -- HTML pages --------------------------------------------------------------------------------
_TAGS = [
    "p",
    "div",
    "article",
    "main",
    "section",
    "h1",
    "h2",
    "span",
    "a",
    "li",
    "ul",
    "script",
    "style",
    "nav",
    "footer",
    "header",
    "aside",
    "table",
    "tr",
    "td",
    "blockquote",
    "br",
    "img",
    "noscript",
]
_WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    [
        "The harbour authority extended the curfew by two weeks.",
        "Read more",
        "Advertisement",
        "Share this article",
        "&nbsp;",
        "&#0;",
        "<!-- comment -->",
        "<![CDATA[x]]>",
        "\x00",
        "\ufeff",
    ]
)


def _html_node(depth: int) -> st.SearchStrategy[str]:
    leaf = _WORDS.map(lambda w: w)
    if depth == 0:
        return leaf

    def wrap(args: tuple[str, list[str], bool]) -> str:
        tag, children, closed = args
        inner = "".join(children)
        return f"<{tag}>{inner}</{tag}>" if closed else f"<{tag} class=x>{inner}"

    return leaf | st.tuples(
        st.sampled_from(_TAGS), st.lists(_html_node(depth - 1), max_size=4), st.booleans()
    ).map(wrap)


@st.composite
def pages(draw: st.DrawFn) -> str:
    head = draw(
        st.sampled_from(
            [
                "<!doctype html>",
                "",
                '<?xml version="1.0" encoding="utf-8"?>',
                '<meta charset="bogus-charset">',
                '<meta charset="utf-16">',
            ]
        )
    )
    title = escape(draw(st.text(max_size=30)))
    body = draw(_html_node(3))
    return f"{head}<html><head><title>{title}</title></head><body>{body}</body></html>"


@FUZZ
@given(pages(), st.sampled_from([".html", ".htm", ""]))
def test_html_pages(doc: str, extension: str) -> None:
    read_checked(doc.encode("utf-8", errors="surrogatepass"), extension)


# -- byte-level mutations of valid documents ---------------------------------------------------
_SEEDS = {
    ".xml": b'<?xml version="1.0"?><rss version="2.0"><channel><title>Coastal Ledger</title><item>'
    b"<title>Port reopens</title><link>https://ledger.example/reopens</link>"
    b"<pubDate>Thu, 06 Mar 2025 09:00:00 GMT</pubDate>"
    b"<description>&lt;p&gt;The port reopened on Thursday.&lt;/p&gt;</description></item></channel></rss>",
    ".json": json.dumps(
        [
            {
                "title": "Port reopens",
                "text": "The port reopened on Thursday after a week.",
                "url": "https://ledger.example/reopens",
                "published": "2025-03-06",
                "outlet": "Coastal Ledger",
            }
        ]
    ).encode(),
    ".html": b"<!doctype html><html><head><title>Port reopens</title></head><body><nav>Home | World</nav>"
    b"<article><h1>Port reopens</h1><p>The port reopened on Thursday after a week-long strike.</p>"
    b"<p>\xe2\x80\x9cWe are back,\xe2\x80\x9d the harbour master said.</p></article></body></html>",
    ".txt": b"Port reopens\n\nBy Lena Ortiz | Coastal Ledger | 6 March 2025\n\nThe port reopened on Thursday."
    b"\nSource: Harbour Authority.\n",
}
_EDIT = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "cut"]), st.floats(0, 1), st.binary(min_size=1, max_size=4)
)


def mutate(data: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    for op, where, chunk in edits:
        at = int(where * len(data))
        if op == "flip":
            data = data[:at] + chunk + data[at + len(chunk) :]
        elif op == "insert":
            data = data[:at] + chunk + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(chunk) :]
        else:
            data = data[:at]
    return data


@FUZZ
@given(st.sampled_from(sorted(_SEEDS)), st.lists(_EDIT, min_size=1, max_size=6))
def test_mutated_valid_documents(extension: str, edits: list[tuple[str, float, bytes]]) -> None:
    read_checked(mutate(_SEEDS[extension], edits), extension)


@pytest.mark.parametrize("extension", sorted(_SEEDS))
def test_seeds_are_read(extension: str) -> None:
    # the mutations start from documents the readers accept, so they explore near valid input
    items = read_checked(_SEEDS[extension], extension)
    assert items and all(isinstance(i, Article) for i in items)


# -- the cleaner -------------------------------------------------------------------------------
_CLUTTER = st.sampled_from(
    [
        "Read more",
        "Leave a Comment",
        "Advertisement",
        "Share this:",
        "No time to read? Get a summary",
        "Source: Russian Foreign Ministry.",
        "Source:",
        "Russian Foreign Ministry",
        "Photo: Reuters",
        "Next article",
        "Subscribe to our newsletter",
        "—",
        "|",
        "Source: .",
        "(Source: X)",
    ]
)
_LINE = _CLUTTER | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=120
)


@FUZZ
@given(
    st.lists(_LINE, max_size=40),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
    st.sets(_LINE, max_size=5),
    st.lists(st.text(max_size=20), max_size=3),
)
def test_cleaner_invents_nothing_and_is_repeatable(
    lines: list[str], newline: str, outlet_lines: set[str], attributed: list[str]
) -> None:
    body = newline.join(lines)
    article = Article(id="x", title="t", text=body, raw_text=body, attributed_to=attributed)
    with time_limit(SECONDS_PER_INPUT):
        cleaned = clean_article(article, outlet_lines=outlet_lines)
        again = clean_article(cleaned, outlet_lines=outlet_lines)
    sources = [ln.strip() for ln in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    # nothing invented: every kept paragraph and every removed piece comes from one input line
    for kept in cleaned.text.split("\n\n"):
        assert not kept or any(kept in s for s in sources), kept
    for piece in cleaned.removed:
        assert any(piece in s for s in sources), piece
    assert all(a.strip() for a in cleaned.attributed_to[len(attributed) :])
    # the raw text is kept, so cleaning a cleaned article redoes the same work
    assert again.text == cleaned.text and again.removed == cleaned.removed


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["best", "cheap", "flights", "to", "Moscow", "now", "deal"]),
        min_size=2000,
        max_size=6000,
    )
)
def test_cleaner_is_fast_on_long_repetitive_text(words: list[str]) -> None:
    # keyword-stuffing detection counts n-grams; a long spammy page must not make it quadratic
    body = " ".join(words)
    with time_limit(SECONDS_PER_INPUT):
        clean_article(Article(id="x", title="t", text=body, raw_text=body))
