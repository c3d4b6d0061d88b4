"""The cleaner removes site clutter, keeps content, and records everything it removed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.ingest import ingest_sources
from newsweave.ingest.clean import boilerplate_lines_by_outlet, clean_article, find_stuffed_phrase
from newsweave.model import Article

CLUTTERED = """Dock strike enters second week

Union leaders said the strike at the northern terminal would continue. Source: Port Workers Union.
“We are not going back until the contract is signed,” said the union’s secretary, Ana Brill. Source: Port Workers Union.
Talks resume
The harbour authority said talks would resume on Monday.
Read more
Shipping rates climb as strike drags on
Share this article
No time to read?
Get a summary
For more updates, visit our Business section.
Previous Article
Weather service warns of storm surge
Leave a Comment
Your email address will not be published. Required fields are marked *
Scroll to Top
"""


def _article(text: str, outlet: str | None = "Ledger", id: str = "a") -> Article:
    title, _, body = text.partition("\n")
    return Article(id=id, title=title, text=body, raw_text=body, outlet=outlet)


def test_clutter_removed_content_kept() -> None:
    cleaned = clean_article(_article(CLUTTERED))
    for gone in (
        "Read more",
        "Shipping rates climb",
        "Share this",
        "No time to read",
        "Get a summary",
        "For more updates",
        "Previous Article",
        "storm surge",
        "Leave a Comment",
        "email address",
        "Scroll to Top",
        "Source:",
    ):
        assert gone not in cleaned.text, gone
    # a quote, a subheading and a short factual paragraph stay
    assert "“We are not going back until the contract is signed,” said the union’s secretary" in cleaned.text
    assert "Talks resume" in cleaned.text
    assert "talks would resume on Monday." in cleaned.text
    assert cleaned.attributed_to == ["Port Workers Union"]
    assert "Shipping rates climb as strike drags on" in cleaned.removed
    assert cleaned.removed.count("Source: Port Workers Union.") == 2


def test_nothing_is_lost_without_a_record() -> None:
    original = _article(CLUTTERED)
    cleaned = clean_article(original)
    raw_lines = [line.strip() for line in original.raw_text.splitlines() if line.strip()]
    for line in raw_lines:
        in_text = line in cleaned.text
        recorded = any(r in line for r in cleaned.removed)
        assert in_text or recorded, line


def test_outlet_furniture_repeated_across_articles() -> None:
    a = _article("One\nFirst story text is here.\nTap to follow our live blog\n", id="a")
    b = _article("Two\nSecond story text is here.\nTap to follow our live blog\n", id="b")
    furniture = boilerplate_lines_by_outlet([a, b])
    cleaned = clean_article(a, outlet_lines=furniture["Ledger"])
    assert "live blog" not in cleaned.text and "Tap to follow our live blog" in cleaned.removed
    # a single article keeps the same line: no evidence it is furniture
    assert "live blog" in clean_article(a).text


def test_keyword_stuffing_flagged_with_the_phrase() -> None:
    phrase = "Best Budget Electric Scooter Deals"
    body = " ".join(
        f"Our {phrase} guide covers item {i}. Readers compare prices every week." for i in range(6)
    )
    cleaned = clean_article(_article("Scooters\n" + body))
    assert "keyword_stuffing" in cleaned.flags
    assert phrase.lower() in cleaned.metadata["stuffed_phrase"]
    natural = "The minister met the governor. The governor thanked the minister. Talks went well."
    assert find_stuffed_phrase(natural * 2) is None


def test_a_report_in_another_language_counts_its_own_function_words_before_calling_it_stuffed() -> None:
    body = " ".join(
        f"Miles de los manifestantes de la plaza marcharon hacia el palacio en la jornada {i}."
        for i in range(8)
    )
    assert find_stuffed_phrase(body, language="es") is None
    # the same phrase counted with English function words looks like a stuffed keyword
    assert find_stuffed_phrase(body) is not None


def test_a_repeated_widget_line_in_another_script_is_furniture_too() -> None:
    # counted in ASCII letters such a line had no words, so it was never found repeated
    text = "Читайте также\n\nМинистр прибыл в Москву во вторник, сообщили в МИД.\n\nЧитайте также"
    cleaned = clean_article(_article("Визит\n" + text))
    assert "Министр прибыл в Москву во вторник, сообщили в МИД." in cleaned.text
    assert "Читайте также" not in cleaned.text


def test_seeds_lose_their_clutter_and_keep_their_facts(seeds_dir: Path) -> None:
    cleaned = {a.id[:3]: clean_article(a) for a in ingest_sources([str(seeds_dir)]) if isinstance(a, Article)}
    all_text = "\n".join(c.text for c in cleaned.values())
    for clutter in (
        "Read more",
        "Leave a Comment",
        "Scroll to Top",
        "Your email address will not be published",
        "Previous Article",
        "Next Article",
        "No time to read?",
        "Get a summary",
        "For more updates, visit",
        "Source: Russian Foreign Ministry",
        "South Korea and US issue warning",
        "Snow Storms Disrupt Traffic",
        "Czech Republic Inches Toward",
    ):
        assert clutter not in all_text, clutter
    assert cleaned["000"].attributed_to == ["Russian Foreign Ministry"]
    assert "keyword_stuffing" in cleaned["001"].flags
    for fact in (
        "“North Korea is our… closest neighbor, our partner,” Peskov told journalists on Monday",
        "meeting in Moscow on January 16",
        "Strengthening Russia–North Korea Relations",
        "hypersonic missile",
        "Visit Extends to Belarus After Moscow Talks",
    ):
        assert fact in all_text, fact


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=80
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=30))
def test_cleaner_accounts_for_every_line(lines: list[str]) -> None:
    body = "\n".join(lines)
    cleaned = clean_article(Article(id="x", title="t", text=body, raw_text=body))
    for line in (ln.strip() for ln in lines if ln.strip()):
        assert (
            line in cleaned.text
            or any(r and r in line for r in cleaned.removed)
            or any(line.startswith(r) or r.startswith(line) for r in cleaned.removed)
        ), line


@pytest.mark.parametrize(
    "keep",
    [
        "“Read more about it later,” she said.",
        "Next year the port will double its capacity.",
        "Share prices fell 4% on the news.",
    ],
)
def test_sentences_that_look_like_widgets_stay(keep: str) -> None:
    assert keep in clean_article(_article(f"Title\n{keep}\nAnother line of text here.")).text
