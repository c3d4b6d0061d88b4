"""read_html: metadata, boilerplate, encodings, refusals; and the extraction benchmark on real pages.

All fixture pages are written for these tests (invented outlet and story).
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.ingest.html import article_id_for, decode_html, read_html
from newsweave.ingest.records import canonical_url

PARAGRAPHS = [
    "The harbour authority of Port Elnor approved a plan on Tuesday to dredge the northern "
    "channel, ending a dispute with fishing crews that had lasted more than three years.",
    "\u201cWe finally have a channel our boats can use at low tide,\u201d said Mara Tellen, who chairs "
    "the local fishers\u2019 cooperative and had campaigned for the work since the storm of 2021.",
    "The dredging is expected to cost 4.2 million crowns and to begin in the spring, once the "
    "spawning season of the harbour's cod stock is over, according to the authority's engineers.",
    "Opponents on the town council said the money would be better spent on the sea wall, which "
    "inspectors described last year as being in poor condition along most of its length.",
]
NAV = "Home News Sport Weather Subscribe now"
FOOTER = "Copyright 2024 Elnor Gazette Media Group. All rights reserved. Privacy policy"


def page(
    body_extra: str = "",
    head_extra: str = "",
    paragraphs: list[str] = PARAGRAPHS,
    site_meta: bool = True,
) -> str:
    site = '<meta property="og:site_name" content="The Elnor Gazette">' if site_meta else ""
    paras = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour dredging approved after three-year dispute | The Elnor Gazette</title>
<meta property="og:title" content="Harbour dredging approved after three-year dispute">
{site}
<meta name="author" content="Jonas Brevik">
<meta property="article:published_time" content="2024-03-12T09:30:00+01:00">
<link rel="canonical" href="https://www.elnorgazette.example/news/harbour-dredging-approved">
{head_extra}
</head><body>
<header><nav><ul>{"".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in NAV.split())}</ul></nav></header>
<main><article>
<h1>Harbour dredging approved after three-year dispute</h1>
{paras}
{body_extra}
</article></main>
<footer><p>{FOOTER}</p></footer>
</body></html>"""


def test_metadata_and_text_are_extracted() -> None:
    article = read_html(page().encode("utf-8"), "inbox/harbour-vote.html")
    assert article.id == "harbour-vote"
    assert article.path == "inbox/harbour-vote.html"
    assert article.title == "Harbour dredging approved after three-year dispute"
    assert article.published == "2024-03-12"
    assert article.outlet == "The Elnor Gazette"
    assert article.url == "https://www.elnorgazette.example/news/harbour-dredging-approved"
    assert article.metadata["author"] == "Jonas Brevik"
    assert article.raw_text == article.text


def test_paragraphs_are_kept_one_per_line_without_the_headline() -> None:
    lines = read_html(page(), "harbour.html").text.split("\n")
    assert lines == PARAGRAPHS


def test_navigation_and_footer_are_dropped() -> None:
    text = read_html(page(), "harbour.html").text
    assert "Subscribe now" not in text and "Weather" not in text
    assert "All rights reserved" not in text and "Privacy policy" not in text


def test_script_and_style_inside_the_article_are_not_text() -> None:
    extra = (
        "<script>var trackingPixel = 'window.dataLayer.push(harbourEvent)';</script>"
        "<style>.harbour-box { colour: navy }</style>"
    )
    text = read_html(page(body_extra=extra), "harbour.html").text
    assert "dataLayer" not in text and "trackingPixel" not in text and "harbour-box" not in text
    assert PARAGRAPHS[2] in text


def test_url_source_gets_a_hash_id_of_the_canonical_url() -> None:
    fetched = "https://elnorgazette.example/amp/harbour?utm_source=feed"
    article = read_html(page(), fetched, url=fetched)
    canonical = "https://www.elnorgazette.example/news/harbour-dredging-approved"
    assert article.url == canonical
    assert article.id == hashlib.sha1(canonical_url(canonical).encode()).hexdigest()[:16]
    assert article.path is None
    assert article.metadata["fetched_url"] == fetched


def test_outlet_falls_back_to_the_domain_and_url_to_the_fetched_one() -> None:
    html = page(site_meta=False).replace('<link rel="canonical"', '<link rel="alternate"')
    article = read_html(
        html, "https://www.elnorgazette.example/a/1", url="https://www.elnorgazette.example/a/1"
    )
    assert article.url == "https://www.elnorgazette.example/a/1"
    assert article.outlet and "elnorgazette.example" in article.outlet


def test_article_id_rule() -> None:
    assert article_id_for("/data/pages/story-7.html") == "story-7"
    assert article_id_for("/data/pages/story-7.html", "https://x.example/s") == "story-7"
    by_url = article_id_for("https://x.example/s?utm_medium=rss", None)
    assert by_url == article_id_for("https://X.example/s/", None)  # same canonical form, same id
    assert len(by_url) == 16 and int(by_url, 16) >= 0


def test_cp1252_page_with_declared_charset_decodes() -> None:
    words = ["Caf\u00e9 owners in Port Elnor \u2014 who say \u201cthe quay is ours\u201d \u2014 protested."]
    html = page(paragraphs=[*PARAGRAPHS, *words]).replace('charset="utf-8"', 'charset="windows-1252"')
    article = read_html(html.encode("cp1252"), "cafe.html")
    assert words[0] in article.text


def test_cp1252_page_without_declaration_and_latin1_label_decode() -> None:
    words = "Le caf\u00e9 \u201cChez Ren\u00e9e\u201d reste ouvert \u2013 na\u00efve na\u00efvet\u00e9."
    undeclared = page().replace('<meta charset="utf-8">', "").encode("cp1252") + f"<p>{words}</p>".encode(
        "cp1252"
    )
    assert words in decode_html(undeclared)
    # browsers read an iso-8859-1 label as windows-1252, so curly quotes survive
    labelled = page().replace('charset="utf-8"', 'charset="ISO-8859-1"') + f"<p>{words}</p>"
    assert words in decode_html(labelled.encode("cp1252"))


def test_utf8_bom_and_stray_bytes_keep_utf8_characters() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>Troms\xc3\xb8</p>") == "<p>Troms\u00f8</p>"
    assert "Troms\u00f8" in decode_html("<p>Troms\u00f8 \u2014 T\u00f8nsberg</p>".encode() + b"\x92")


def test_broken_html_still_gives_its_text() -> None:
    broken = page().replace("</p>", "").replace("</article></main>", "<div><span>")
    text = read_html(broken, "broken.html").text
    assert "dredge the northern channel" in text and "sea wall" in text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Just a plain sentence of text with no markup at all.\nAnother line.", "not HTML"),
        (bytes(range(256)) * 8, "not HTML"),
        (b"", "not HTML"),
        (b"<html><head><title>Empty</title></head><body><div></div></body></html>", "no article text found"),
        (b"<html><body><nav><a href='/'>Home</a></nav><div><span></div></body", "no article text found"),
    ],
)
def test_unreadable_input_gives_a_clear_value_error(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_html(data, "bad.html")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_raise_nothing_but_value_error(data: bytes) -> None:
    try:
        article = read_html(data, "fuzz.html")
    except ValueError:
        return
    assert article.text.strip()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.text(max_size=300), min_size=1, max_size=8),
    st.sampled_from(["p", "div", "td", "li", "h2", "script", "span"]),
)
def test_arbitrary_text_in_markup_raises_nothing_but_value_error(chunks: list[str], tag: str) -> None:
    html = (
        "<html><body><article>" + "".join(f"<{tag}>{c}</{tag}>" for c in chunks) + "</article></body></html>"
    )
    try:
        article = read_html(html, "fuzz.html")
    except ValueError:
        return
    assert article.text == article.text.strip()


def _benchmark_module() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "extraction.py"
    spec = importlib.util.spec_from_file_location("extraction_benchmark", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_metric_matches_its_definition() -> None:
    bench = _benchmark_module()
    assert bench.shingle_match("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = bench.shingle_match("one two three four five", "one two three four six seven")
    assert (tp, fp, fn) == (1 / 4, 2 / 4, 1 / 4)  # 1 shared shingle, 2 only predicted, 1 only true
    result = bench.metrics([(0.5, 0.5, 0.0), (0.0, 0.0, 1.0)])  # second page: nothing predicted
    assert result["precision"] == 0.5 and result["recall"] == 0.5


@pytest.mark.shared
def test_extraction_quality_on_the_first_benchmark_pages(shared_dir: Path) -> None:
    bench = _benchmark_module()
    results = bench.score(shared_dir / "data" / "article-extraction-benchmark", limit=20)
    ours, baseline = results["newsweave"], results["baseline"]
    assert ours["pages"] == 20
    assert ours["f1"] >= 0.93
    assert ours["f1"] >= baseline["f1"] - 0.01  # tuning must not lose quality around trafilatura


def test_a_syndicated_copy_keeps_the_paragraphs_it_shares() -> None:
    # the dedup stage must see both copies whole; extraction must not drop "already seen" text
    first = read_html(page(), "gazette.html").text
    second = read_html(page(site_meta=False), "syndicated-copy.html").text
    assert first == second == "\n".join(PARAGRAPHS)


def test_benchmark_runs_on_any_folder_of_the_same_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gzip
    import json

    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "plain.html").write_text(page(), encoding="utf-8")
    (tmp_path / "html" / "packed.html.gz").write_bytes(gzip.compress(page(site_meta=False).encode()))
    truth = {
        key: {"articleBody": "\n".join(PARAGRAPHS), "url": "https://x.example/"}
        for key in ("plain", "packed")
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert _benchmark_module().main(["--data", str(tmp_path)]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["pages"] == 2 and figures["f1"] == 1.0 and figures["published_f1"] == 0.958
    assert {"precision", "recall", "baseline_f1"} <= figures.keys()
