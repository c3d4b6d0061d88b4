"""Named mentions: spaCy NER plus the repairs for titles, possessives, the DPRK and surnames."""

from __future__ import annotations

import pytest

from newsweave.analyze.entities import extract_mentions
from newsweave.analyze.nlp import parse


def mentions_of(text: str):
    doc = parse([text])[0]
    return doc, extract_mentions(doc, "a1")


def by_text(mentions, text: str):
    return [m for m in mentions if m.text == text]


def test_offsets_sentences_and_article_id_point_into_the_text() -> None:
    doc, mentions = mentions_of(
        "Russian Foreign Minister Sergei Lavrov met officials in Moscow on Monday. Lavrov said talks went well."
    )
    sentences = list(doc.sents)
    assert mentions
    for m in mentions:
        assert doc.text[m.start : m.end] == m.text
        assert m.article_id == "a1"
        assert sentences[m.sentence].start_char <= m.start < sentences[m.sentence].end_char
    assert not [m for m in mentions if m.text == "Monday"]  # dates are not named entities here


def test_titles_and_roles_are_kept_beside_the_name() -> None:
    _, mentions = mentions_of(
        "Kremlin spokesman Dmitry Peskov told journalists on Monday that Russian Foreign Minister "
        "Sergei Lavrov would attend."
    )
    peskov = by_text(mentions, "Dmitry Peskov")
    lavrov = by_text(mentions, "Sergei Lavrov")
    assert peskov and peskov[0].type == "PERSON" and peskov[0].title == "Kremlin spokesman"
    assert lavrov and lavrov[0].type == "PERSON" and "Foreign Minister" in (lavrov[0].title or "")


def test_possessive_is_not_part_of_the_name() -> None:
    _, mentions = mentions_of("Sergei Lavrov met reporters. Lavrov's remarks were brief.")
    assert by_text(mentions, "Lavrov")
    assert not [m for m in mentions if m.text.endswith("'s") or m.text.endswith("’s")]


def test_the_dprk_is_a_state() -> None:
    _, mentions = mentions_of("Officials of the DPRK arrived in Moscow on Sunday.")
    dprk = by_text(mentions, "DPRK")
    assert dprk and dprk[0].type == "GPE"


def test_surname_of_a_known_person_becomes_person() -> None:
    # the small model tags these surnames ORG, GPE or PRODUCT, or not at all
    text = (
        "Foreign Minister Choe Son Hui arrived in Moscow for talks. The visit was announced by "
        "Maria Zakharova. In Zakharova’s view, the talks matter. Choe’s itinerary extends until Wednesday."
    )
    _, mentions = mentions_of(text)
    assert [m.type for m in by_text(mentions, "Zakharova")] == ["PERSON"]
    assert [m.type for m in by_text(mentions, "Choe")] == ["PERSON"]
    assert [m.type for m in by_text(mentions, "Choe Son Hui")] == ["PERSON"]


def test_a_person_cut_short_by_the_model_is_whole() -> None:
    text = (
        "Choe Son Hui arrived in Russia for a three-day working trip. During the trip, Choe Son Hui "
        "and Sergei Lavrov are expected to discuss cooperation."
    )
    _, mentions = mentions_of(text)
    persons = [m.text for m in mentions if m.type == "PERSON"]
    assert persons.count("Choe Son Hui") == 2
    assert not [m for m in mentions if m.text == "Hui"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "1234 5678"])
def test_texts_without_names_give_no_mentions(text: str) -> None:
    _, mentions = mentions_of(text)
    assert mentions == []


def test_hyphenated_given_name_cut_by_the_model_is_completed() -> None:
    doc = parse(
        [
            "South Korean Foreign Minister Jeong Hye-won and her Vietnamese counterpart Tran Quoc Hung "
            "signed a memorandum."
        ]
    )[0]
    names = [m.text for m in extract_mentions(doc, "a") if m.type == "PERSON"]
    assert "Jeong Hye-won" in names and "Jeong Hye" not in names


def test_a_name_after_a_role_and_its_object_is_a_person_and_a_weekday_is_not_part_of_a_name() -> None:
    _, mentions = mentions_of(
        "Russia’s envoy to the UN, Vassily Nebenzia, called the claims false. "
        "Podcast host Joe Rogan Wednesday said he was sorry."
    )
    nebenzia = by_text(mentions, "Vassily Nebenzia")
    assert nebenzia and nebenzia[0].type == "PERSON" and nebenzia[0].title == "envoy"
    assert by_text(mentions, "Joe Rogan") and not [m for m in mentions if "Wednesday" in m.text]


def test_an_adverb_after_a_name_is_not_part_of_it() -> None:
    _, mentions = mentions_of(
        "Visitors must be vaccinated to fly to the U.K. Fully vaccinated visitors need one test."
    )
    assert not [m for m in mentions if "Fully" in m.text]


def test_a_named_day_is_kept_inside_the_name() -> None:
    _, mentions = mentions_of(
        "Leaders warned against anything that weakens the Belfast Good Friday, Ms Foster said."
    )
    assert [m.text for m in mentions if "Belfast" in m.text] == ["Belfast Good Friday"]


def test_a_word_in_front_of_a_dotted_country_is_not_an_organisation() -> None:
    _, mentions = mentions_of("Colin Powell, the first Black U.S. secretary of state, died on Monday.")
    assert not [m for m in mentions if m.text == "Black U.S."]
    assert [m.type for m in mentions if m.text == "U.S."] == ["GPE"]
