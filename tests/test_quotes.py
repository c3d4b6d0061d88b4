"""Quotes: who said what, on hand-written sentences and on the seed articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.analyze.nlp import parse
from newsweave.analyze.quotes import extract_quotes, find_attributions, is_outlet, quotation_spans
from newsweave.model import Mention, Quote


def quotes_of(text: str, mentions: list[Mention] | None = None) -> list[Quote]:
    return extract_quotes(parse([text])[0], "a1", mentions or [])


def by_text(quotes: list[Quote], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert found, f"no quote holding {fragment!r} in {[q.text for q in quotes]}"
    return found[0]


def test_straight_quotes_with_trailing_cue() -> None:
    quotes = quotes_of('"We will rebuild the bridge before winter," Mayor Anna Kowalski said on Friday.')
    quote = by_text(quotes, "rebuild the bridge")
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Anna Kowalski", "said")
    assert quote.text == "We will rebuild the bridge before winter"


def test_quote_continued_after_the_cue_is_the_same_speakers_next_sentence() -> None:
    text = "“The budget is balanced,” Finance Minister Tomas Berg said. “Nobody should doubt it now.”"
    quotes = quotes_of(text)
    first, second = by_text(quotes, "budget is balanced"), by_text(quotes, "Nobody should doubt it now")
    assert first.speaker == second.speaker == "Tomas Berg" and first.kind == second.kind == "direct"
    assert first is not second  # two sentences are never joined into one text


def test_multi_sentence_quote_after_a_colon_gives_one_quote_per_sentence() -> None:
    text = (
        "Finance Minister Tomas Berg spoke in parliament. "
        "He said: “We cut spending. We raised revenue. The deficit is gone.”"
    )
    quotes = quotes_of(text)
    assert {q.speaker for q in quotes} == {"Tomas Berg"} and {q.kind for q in quotes} == {"direct"}
    assert by_text(quotes, "The deficit is gone").text == "The deficit is gone"


def test_warned_and_called() -> None:
    text = (
        "Union leader Paula Grant warned that the strike could spread to the ports. "
        "Grant called the offer “an insult to every worker in this country.”"
    )
    quotes = quotes_of(text)
    assert by_text(quotes, "strike could spread").speaker == "Paula Grant"
    insult = by_text(quotes, "an insult to every worker")
    assert insult.speaker == "Paula Grant" and insult.cue.startswith("called")


def test_surname_resolves_to_the_full_name() -> None:
    text = (
        "The economist Marta Silva has studied the region for years. "
        "Silva said that exports had doubled since the treaty was signed."
    )
    quote = by_text(quotes_of(text), "exports had doubled")
    assert quote.speaker == "Marta Silva"
    assert quote.speaker_mention is not None and quote.speaker_mention.text == "Marta Silva"


def test_pronoun_follows_the_named_speaker() -> None:
    text = (
        "Marta Silva said that exports had doubled since the treaty was signed. "
        "She added that imports were flat."
    )
    assert by_text(quotes_of(text), "imports were flat").speaker == "Marta Silva"


def test_role_description_resolves_to_the_person_introduced_with_it() -> None:
    text = (
        "Government spokesman Jonas Lind spoke to reporters in Oslo on Monday. "
        "The weather was cold and the hall was full. "
        "The spokesman said the talks had been “constructive and long overdue.”"
    )
    quote = by_text(quotes_of(text), "constructive")
    assert quote.speaker == "Jonas Lind"


def test_apposition_names_the_speaker() -> None:
    text = "The agency's director, Helen Park, said that the launch would be delayed by a month."
    assert by_text(quotes_of(text), "launch would be delayed").speaker == "Helen Park"


def test_given_mentions_are_used_for_the_speaker_mention() -> None:
    text = "Mayor Anna Kowalski said that the bridge would reopen in spring."
    start = text.index("Anna Kowalski")
    mention = Mention("a1", 0, start, start + len("Anna Kowalski"), "Anna Kowalski", "PERSON", title="Mayor")
    quote = by_text(quotes_of(text, [mention]), "bridge would reopen")
    assert quote.speaker_mention is mention


def test_offsets_and_sentence_index_point_into_the_text() -> None:
    text = "The storm passed overnight. Fire chief Omar Haddad said that no one was hurt in the blaze."
    doc = parse([text])[0]
    quote = by_text(extract_quotes(doc, "a1", []), "no one was hurt")
    assert doc.text[quote.start : quote.end] == quote.text
    assert quote.sentence == 1 and quote.article_id == "a1"


def test_no_speech_no_quotes() -> None:
    assert quotes_of("The river rose two metres overnight and the bridge was closed.") == []


@given(st.text(alphabet='ab "“”\n.', max_size=60))
def test_quotation_spans_are_ordered_and_open_on_a_mark(text: str) -> None:
    spans = quotation_spans(text)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert text[start] in '"“'
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


# --- the seed articles -------------------------------------------------------------------------

SEED_QUOTES = {
    "Peskov": "closest neighbor",
    "Zakharova": "whatever we consider necessary",
    "Koo Byoung-sam": "keeping close tabs",
    "Nebenzia": "deliberate false information",
    "Lukin": "multi-faceted",
    "Lankov": "mutually beneficial alliance",
}


@pytest.fixture(scope="module")
def seed_quotes(seeds_dir: Path) -> list[Quote]:
    quotes: list[Quote] = []
    paths = sorted(seeds_dir.glob("*.txt"))
    bodies = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").strip().splitlines()
        title_at = next(i for i, line in enumerate(lines) if line.strip())
        bodies.append("\n".join(lines[title_at + 1 :]).strip())
    for path, doc in zip(paths, parse(bodies), strict=True):
        quotes.extend(extract_quotes(doc, path.stem, []))
    return quotes


@pytest.mark.shared
@pytest.mark.parametrize(("speaker", "fragment"), sorted(SEED_QUOTES.items()))
def test_seed_speakers_are_found(seed_quotes: list[Quote], speaker: str, fragment: str) -> None:
    quote = by_text(seed_quotes, fragment)
    assert speaker in quote.speaker


@pytest.mark.shared
def test_every_seed_quote_is_the_articles_own_words_in_order(
    seed_quotes: list[Quote], seeds_dir: Path
) -> None:
    # nothing is put in anyone's mouth, not even a fix: seed 002 writes 'the right to “to do
    # whatever we consider necessary”', and Zakharova's paraphrase shows that doubled "to" as written
    words = {
        path.stem: re.findall(r"\w+", path.read_text(encoding="utf-8")) for path in seeds_dir.glob("*.txt")
    }
    for quote in seed_quotes:
        article = iter(words[quote.article_id])
        assert all(word in article for word in re.findall(r"\w+", quote.text)), quote.text
    assert "the right to “to do whatever" in by_text(seed_quotes, "the right to").text


@pytest.mark.shared
def test_seed_role_and_pronoun_resolve_to_peskov(seed_quotes: list[Quote]) -> None:
    assert by_text(seed_quotes, "not ruled out").speaker == "Dmitry Peskov"  # "the Kremlin spokesman said"
    assert by_text(seed_quotes, "take place after").speaker == "Dmitry Peskov"  # "He added that"
    assert by_text(seed_quotes, "foreseeable future").speaker == "Dmitry Peskov"  # "Peskov said"


def test_double_apostrophe_quotes_are_direct() -> None:
    text = "''We will not raise taxes this year,'' Governor Ellen Price said on Monday."
    quote = by_text(quotes_of(text), "not raise taxes")
    assert (quote.kind, quote.speaker) == ("direct", "Ellen Price")
    assert quote.text == "We will not raise taxes this year"


def test_an_intention_is_not_shown_as_a_quote() -> None:
    text = "Senator Maria Lopez wants to cut the defense budget by a tenth."
    assert quotes_of(text) == []  # the writer's account of what she wants, not her words


def test_a_headline_colon_is_not_taken_as_speech() -> None:
    text = "Maria Lopez: The Budget Deal Is A Disaster For Working Families\n\nThe senator spoke on Monday."
    assert quotes_of(text) == []  # 0.70 of such attributions match PolNeAR's gold: below the bar


def test_quote_split_by_an_interrupting_cue_keeps_both_halves() -> None:
    text = "The new plan, the mayor's spokesman Tom Reyes said, will cost less than the old one."
    quote = by_text(quotes_of(text), "will cost less")
    assert "The new plan" in quote.text and quote.speaker == "Tom Reyes"


def test_a_pronoun_with_nobody_to_point_at_is_not_a_speaker() -> None:
    assert quotes_of("It said the terminal would reopen on Friday.") == []
    # with a named speaker before it, the pronoun is that speaker
    found = quotes_of("Union chairman Tomasz Wrobel spoke at the gate. He said the strike would go on.")
    assert [q.speaker for q in found] == ["Tomasz Wrobel"]


# --- precision: what is never shown ----------------------------------------------------------


def test_quote_after_did_not_reveal_is_not_the_speakers_words() -> None:
    text = "Kremlin spokesman Dmitry Peskov spoke on Monday. However, he did not reveal the topics on the agenda."
    assert not any("topics on the agenda" in q.text for q in quotes_of(text))


def test_declined_to_say_gives_no_quote() -> None:
    text = "Finance Minister Tomas Berg declined to say whether taxes would rise next year."
    assert not any("taxes would rise" in q.text for q in quotes_of(text))


def test_a_denial_is_not_shown_as_the_deniers_words() -> None:
    text = "Defence Minister Anna Kowalski denied that the army had moved troops to the border."
    assert not any("moved troops" in q.text for q in quotes_of(text))


def test_what_one_speaker_claims_about_another_is_not_the_others_words() -> None:
    text = (
        "Earlier, the United States claimed that Russia fired North Korean missiles at Ukrainian "
        "targets, calling it a “significant and concerning escalation.”"
    )
    quotes = quotes_of(text)
    assert all(q.speaker != "Russia" for q in quotes)


def test_a_heading_is_never_a_speaker() -> None:
    text = (
        "Strategic Partnership Amid Global Isolation\n\n"
        "Experts believe the visit symbolizes a deepening partnership built on shared objectives."
    )
    assert quotes_of(text) == []


def test_a_collective_noun_is_never_a_speaker() -> None:
    text = "Many in the media, academia, and Hollywood said the election had been stolen from them."
    assert quotes_of(text) == []


def test_a_note_before_a_colon_is_not_a_speaker() -> None:
    text = "Attribution note: Coverage of these developments is reported by the news agency."
    assert quotes_of(text) == []


def test_who_in_a_relative_clause_is_the_group_not_the_last_speaker() -> None:
    text = (
        "Senator Joe Manchin said he favors a smaller bill, which puts him out of step with "
        "progressives who are threatening to tank an infrastructure bill Manchin strongly supports."
    )
    quotes = quotes_of(text)
    assert not any("tank an infrastructure bill" in q.text for q in quotes)
    assert by_text(quotes, "favors a smaller bill").speaker == "Joe Manchin"


def test_a_noun_phrase_fragment_is_not_a_quote() -> None:
    text = "Senator Joe Manchin has already expressed cost reservations about the plan."
    assert quotes_of(text) == []


def test_a_pronoun_between_two_named_subjects_is_dropped() -> None:
    text = (
        "Anna Kowalski met Tomas Berg on Monday. Kowalski and Berg spoke for an hour. "
        "He said the deal was close to done."
    )
    assert not any("deal was close" in q.text for q in quotes_of(text))


def test_a_pronoun_after_one_named_speaker_is_that_speaker() -> None:
    text = "Tomas Berg spoke to reporters on Monday. He said the deal was close to being done."
    assert by_text(quotes_of(text), "deal was close").speaker == "Tomas Berg"


def test_a_quotation_inside_others_claims_is_not_the_speakers() -> None:
    text = (
        "Foreign Ministry spokeswoman Maria Zakharova said Moscow has the right “to do whatever we consider necessary” "
        "regardless of the West’s claims that it has “no right to talk with North Korea.”"
    )
    quotes = quotes_of(text)
    assert by_text(quotes, "whatever we consider necessary").speaker == "Maria Zakharova"
    assert not any(q.text.startswith("no right to talk") for q in quotes)


def test_quote_marks_in_a_quote_are_balanced() -> None:
    text = "Regarding a meeting with the president, Dmitry Peskov said it was “not ruled out.”"
    quote = by_text(quotes_of(text), "not ruled out")
    assert quote.text.count("“") == quote.text.count("”")


def test_two_quoted_sentences_are_never_joined_without_a_stop() -> None:
    text = (
        "“North Korea and Russia are building an alliance that transcends mere symbolism,” said Dr. Andrei "
        "Lankov, an analyst. “This visit formalizes what has been a steady convergence of interests.”"
    )
    quotes = quotes_of(text)
    assert not any("symbolism This" in q.text for q in quotes)
    assert by_text(quotes, "This visit formalizes").speaker == "Andrei Lankov"


def test_a_content_cut_off_mid_phrase_is_not_a_quote() -> None:
    text = "“This strike was taken in the earnest belief that the,” General Frank McKenzie said."
    assert quotes_of(text) == []


def test_a_quote_running_into_the_sources_cut_off_is_not_shown() -> None:
    text = (
        "Mayor Anna Kowalski said the council had approved the budget.\n\n"
        "Kowalski said the city was also considering hiring more inspectors to..."
    )
    quotes = quotes_of(text)
    assert by_text(quotes, "approved the budget").speaker == "Anna Kowalski"
    assert not any("inspectors" in q.text for q in quotes)


def test_a_quoted_paragraph_cut_off_by_the_source_leaves_the_whole_one_before() -> None:
    text = (
        "“The bridge will reopen in spring,” Mayor Anna Kowalski said.\n\n"
        "“No one should doubt that this council will finish such an important..."
    )
    quotes = quotes_of(text)
    assert [q.text for q in quotes] == ["The bridge will reopen in spring"]


@pytest.mark.parametrize(
    "ending",
    [
        "pay for the new roads they",
        "keep the promise that it",
        "protect such an important",
        "hire the",
    ],
)
def test_a_content_ending_on_a_dangling_word_is_not_a_quote(ending: str) -> None:
    text = f"“The council has decided to {ending},” Mayor Anna Kowalski said."
    assert quotes_of(text) == []


def test_a_content_ending_on_a_particle_is_still_a_quote() -> None:
    text = "“The council will never give up,” Mayor Anna Kowalski said."
    assert by_text(quotes_of(text), "never give up").speaker == "Anna Kowalski"


def test_two_separately_quoted_fragments_are_never_joined() -> None:
    text = (
        "The ministry now believes that “it is very likely” the convoy that was hit carried grain, "
        "not “weapons for the rebel army,” Defence Minister Tomas Berg told reporters on Friday."
    )
    quotes = quotes_of(text)
    assert not any("likely weapons" in q.text or "likely” “weapons" in q.text for q in quotes)
    assert not any(q.kind == "direct" and "weapons for the rebel army" in q.text for q in quotes)


def test_a_quote_split_only_by_its_cue_is_still_one_quote() -> None:
    text = "“The plan,” Mayor Anna Kowalski said, “is dead and buried for this year.”"
    quote = by_text(quotes_of(text), "dead and buried")
    assert quote.text.startswith("The plan") and quote.speaker == "Anna Kowalski"


def test_the_publishing_outlet_is_never_the_speaker_of_its_own_text() -> None:
    text = "The Daily Courier reported that the mayor of Springfield has resigned after the vote."
    doc = parse([text])[0]
    mentions = [Mention("a1", 0, 4, 17, "Daily Courier", "ORG")]
    elsewhere = extract_quotes(doc, "a1", mentions, outlet="www.example.org")
    assert by_text(elsewhere, "mayor of Springfield").speaker == "Daily Courier"
    assert extract_quotes(doc, "a1", mentions, outlet="www.dailycourier.com") == []


def test_the_outlet_matches_its_site_address() -> None:
    assert is_outlet("CNN", "www.cnn.com") and is_outlet("The Guardian", "theguardian.com")
    assert not is_outlet("Reuters", "www.cnn.com")


def test_a_coordinated_speaker_is_not_given_to_one_conjunct() -> None:
    text = (
        "Norway and the European Union have long argued that the fishing quota must be cut by half "
        "before the season opens."
    )
    quotes = quotes_of(text)
    assert not any(q.speaker in ("European Union", "the European Union", "Norway") for q in quotes)


def test_a_writers_aside_after_the_statement_ends_the_content() -> None:
    text = (
        "Prime Minister Jonas Lind insisted that the treaty protects every fishing village, "
        "a claim the opposition rejects as wishful thinking."
    )
    quote = by_text(quotes_of(text), "the treaty protects every fishing village")
    assert "opposition" not in quote.text and quote.speaker == "Jonas Lind"


def test_an_apposition_inside_the_statement_stays_in_the_content() -> None:
    text = "Jonas Lind said that Bergen, a city of fishermen, would host the summit in May."
    assert "would host the summit" in by_text(quotes_of(text), "Bergen").text


def test_a_paraphrase_with_quoted_phrases_is_indirect_and_the_phrase_direct() -> None:
    text = (
        "Jonas Lind told journalists that Norway is “building and intends to further build trade” "
        "with the region “in every field.”"
    )
    quotes = quotes_of(text)
    paraphrase = by_text(quotes, "Norway is")
    assert paraphrase.kind == "indirect"
    phrase = [q for q in quotes if q.kind == "direct"]
    assert [q.text for q in phrase] == ["building and intends to further build trade"]


def test_a_quotation_signed_with_a_dash_and_a_name_is_that_persons() -> None:
    text = (
        "Readers told us what they think of the plan.\n\n"
        "“The new bridge will cut my commute in half. I cannot wait for it to open.” ― Marta Lindqvist\n"
        "“Nobody asked the people who live under it.” — Tomas Berg.\n"
    )
    quotes = quotes_of(text)
    assert by_text(quotes, "cut my commute").speaker == "Marta Lindqvist"
    assert by_text(quotes, "Nobody asked").speaker == "Tomas Berg"
    assert {q.kind for q in quotes} == {"direct"}


def test_a_dash_after_a_sentence_of_the_writers_is_a_byline_not_a_signature() -> None:
    text = 'The mayor said he will "try to form a stable government" by spring.--Anna Kowalski.\n'
    assert all(q.speaker != "Anna Kowalski" for q in quotes_of(text))


def test_a_role_phrase_describing_one_speaker_is_shown_as_written() -> None:
    text = "A senior State Department official said the talks would resume in Geneva next week."
    quote = by_text(quotes_of(text), "talks would resume")
    # the capital is the sentence's, not the speaker's
    assert quote.speaker == "a senior State Department official" and quote.speaker_mention is None


def test_plural_officials_and_documents_are_never_speakers() -> None:
    text = (
        "Officials said the talks would resume in Geneva next week. "
        "The report said the bridge was unsafe for heavy trucks."
    )
    assert quotes_of(text) == []


def test_a_person_named_inside_the_last_speakers_words_does_not_compete_for_the_pronoun() -> None:
    text = (
        "Voter Tyresha McClenney said Clinton does not show consistency on racial issues.\n\n"
        "“It is only when the media gets a video that she talks about it,” she said."
    )
    assert by_text(quotes_of(text), "only when the media").speaker == "Tyresha McClenney"


def test_a_word_inside_the_quotation_is_never_the_cues_subject() -> None:
    text = "“The campaign is in panic mode. Full panic mode,” said Leslie Wimes, a Florida activist."
    quotes = quotes_of(text)
    assert by_text(quotes, "Full panic mode").speaker == "Leslie Wimes"
    assert all(q.speaker == "Leslie Wimes" for q in quotes)


def test_a_cue_inside_the_last_speakers_words_does_not_take_the_floor() -> None:
    text = (
        "Communications director Jennifer Palmieri said Tomas Berg is reduced to insults because he "
        "cannot defend his own record.\n\n"
        "“You could dismiss these actions as schoolyard behaviour, but this man wants to lead,” she said."
    )
    assert by_text(quotes_of(text), "schoolyard behaviour").speaker == "Jennifer Palmieri"


def test_a_quotation_left_open_at_the_paragraph_end_runs_on_into_the_next() -> None:
    text = (
        "“We will rebuild the bridge before winter,” Mayor Anna Kowalski said. “The money is there.\n\n"
        "“The contractors are ready and the permits are signed.”"
    )
    assert by_text(quotes_of(text), "contractors are ready").speaker == "Anna Kowalski"


def test_the_next_signed_line_is_never_the_previous_signers() -> None:
    text = (
        "Readers told us what they think of the plan.\n\n"
        "“The new bridge will cut my commute in half.” ― Marta Lindqvist\n"
        "“Nobody asked the people who live under the bridge, and nobody will.”\n"
    )
    assert all("Nobody asked" not in q.text for q in quotes_of(text))


def test_a_paraphrase_ending_on_a_preposition_is_cut_off() -> None:
    text = "Mayor Anna Kowalski said the council has decided to start work on"
    assert quotes_of(text) == []


def test_a_finished_quoted_sentence_may_end_on_a_stranded_preposition() -> None:
    text = "“That is the anxiety his message is tapping into,” said Mayor Anna Kowalski."
    assert by_text(quotes_of(text), "tapping into").speaker == "Anna Kowalski"


def test_a_quoted_sentence_ending_on_a_nationality_is_whole() -> None:
    text = "“Most of all, I am proud to be an American,” Mayor Anna Kowalski said."
    assert by_text(quotes_of(text), "proud to be an American").speaker == "Anna Kowalski"


def test_a_content_ending_on_an_abbreviated_title_is_cut_off() -> None:
    # the parser may end a sentence at "Sen." and leave the name it introduces to the next one
    assert quotes_of("Mayor Anna Kowalski said the compromise plan was put forward by Sen.") == []


def test_the_speaker_of_the_sentence_before_holds_the_floor_for_the_next_pronoun() -> None:
    text = (
        "After Tomas Berg left the hall, Anna Kowalski told reporters the vote would be close. "
        "“We will win this one in the end,” she said."
    )
    assert by_text(quotes_of(text), "win this one").speaker == "Anna Kowalski"


def test_a_quotation_after_a_paraphrased_aside_continues_the_speakers_quote() -> None:
    text = (
        "“You are down to the people you can count and meet,” Mayor Anna Kowalski said, noting that "
        "the council did not lose a single seat. “If you are not tough, you will lose.”"
    )
    assert by_text(quotes_of(text), "you will lose").speaker == "Anna Kowalski"


@pytest.mark.parametrize(
    "text",
    [
        "The plant closed last year.\n\n''I am more skilled with my hands than I am with my brain,'' "
        "said Robin Maynard, half joking. He holds two degrees.",
        "''They were professionals, but also competitors,'' William M. Daley, the former chief of staff, "
        "said of their time in the administration.",
    ],
)
def test_a_name_beside_a_quoting_cue_the_parse_left_without_a_subject_is_the_speaker(text: str) -> None:
    quotes = quotes_of(text)
    assert quotes and {q.speaker for q in quotes} <= {"Robin Maynard", "William M. Daley"}


def test_a_participle_aside_after_the_speakers_name_is_not_part_of_the_speaker_phrase() -> None:
    text = "“We will win this vote,” said Anna Kowalski, speaking to reporters on her plane to Tampa."
    speakers = [a.speaker.text for a in find_attributions(parse([text])[0]) if a.speaker is not None]
    assert speakers == ["Anna Kowalski"]


def test_a_described_speaker_never_inherits_an_infinitive_the_parse_joined_to_its_clause() -> None:
    text = (
        "The US government is stepping up its efforts to relieve the supply chain nightmare that has led "
        "to shortages of some goods and now threatens to slow the economic recovery."
    )
    assert quotes_of(text) == []


def test_a_described_speaker_is_shown_without_the_day_the_parse_hung_on_it() -> None:
    quotes = quotes_of(
        "Taiwan’s president on Sunday vowed to defend the island from China’s rising pressure."
    )
    assert [q.speaker for q in quotes] == ["Taiwan’s president"]


def test_a_quoted_title_after_a_possessive_is_not_the_speakers_words() -> None:
    text = (
        "“We’re going to pass the bill this week,” Nancy Pelosi told ABC’s “This Week.” "
        "“I’m never bringing a bill to the floor that doesn’t have the votes.”"
    )
    said = [q.text for q in quotes_of(text)]
    assert not any("This Week" in s for s in said) and any("pass the bill" in s for s in said)


def test_a_role_is_never_resolved_to_the_person_its_words_name_in_the_third_person() -> None:
    text = (
        "President Joe Biden canceled a trip to Chicago, the White House said. "
        "Biden was initially set to discuss vaccinations in Chicago, the official said."
    )
    said = {q.text: q.speaker for q in quotes_of(text)}
    assert all(speaker != "Joe Biden" for text_, speaker in said.items() if text_.startswith("Biden was"))


def test_a_name_that_modifies_an_office_does_not_make_the_person_the_speaker() -> None:
    quote = by_text(
        quotes_of(
            "The Biden administration on Monday confirmed it will direct the Department of Homeland "
            "Security to ease travel rules."
        ),
        "ease travel rules",
    )
    assert quote.speaker != "Biden" and (
        quote.speaker_mention is None or quote.speaker_mention.text != "Biden"
    )


def test_the_day_after_the_cue_is_not_part_of_what_was_said() -> None:
    quote = by_text(
        quotes_of("President Joe Biden said Tuesday the United States was opening a new era of diplomacy."),
        "new era",
    )
    assert quote.speaker == "Joe Biden"
    assert quote.text.startswith("the United States")


def test_content_ends_without_a_comma_before_a_no_break_space() -> None:
    quote = by_text(
        quotes_of("Officials canceled the gala in Baltimore, Maryland,\xa0according to the New York Times."),
        "gala",
    )
    assert not quote.text.endswith((",", "\xa0"))


def test_a_quotation_opening_after_its_own_subject_is_shown_with_the_subject() -> None:
    text = (
        "Oslo and Bergen “must be fully prepared for the storm season,” the agency’s spokesman, "
        "Lars Dahl, told reporters on Monday."
    )
    quotes = quotes_of(text)
    # without its subject the quote would hide who must be prepared; shown as written, with the
    # speaker's words in their own marks, and never again alone
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Oslo and Bergen “must be fully prepared for the storm season”", "Lars Dahl")
    ]
    assert quotes[0].kind == "indirect"


def test_the_speaker_between_two_halves_of_a_quotation_is_not_its_subject() -> None:
    text = '"The danger," said Anna Berg, an economist at the central bank, "is that prices keep rising."'
    quotes = quotes_of(text)
    assert {q.speaker for q in quotes} == {"Anna Berg"}
    assert all("economist" not in q.text for q in quotes)


def test_a_pronoun_after_a_surname_the_tagger_missed_is_that_persons_not_the_last_speakers() -> None:
    text = (
        "Councillor Tom Berg and Mayor Anna Walz spoke after the vote. Berg said the budget was too tight.\n\n"
        "Walz approaches it a bit more diplomatically. She said she would rather see the money spent on "
        "schools.\n\n“We can find the rest of it next year,” she said."
    )
    quotes = quotes_of(text)
    assert by_text(quotes, "budget was too tight").speaker == "Tom Berg"
    assert by_text(quotes, "spent on schools").speaker == "Anna Walz"
    assert by_text(quotes, "find the rest of it").speaker == "Anna Walz"


def test_a_subject_with_a_relative_clause_holds_the_floor_for_the_next_pronoun() -> None:
    text = (
        "Senator Dan Jolly and Senator Ron Voss debated the plan. Voss wants to close the department.\n\n"
        "Jolly, who was elected to the Senate in 2014, doesn't see the department as outdated.\n\n"
        "“There are towns that need federal help,” he said."
    )
    assert by_text(quotes_of(text), "need federal help").speaker == "Dan Jolly"


def test_an_anonymous_source_familiar_with_someones_thinking_is_never_that_person() -> None:
    text = (
        "Senator Ted Cruz spent the weekend in Iowa. Another source familiar with Cruz’s thinking said "
        "the senator would stay in the race until the convention."
    )
    quote = by_text(quotes_of(text), "stay in the race")
    assert quote.speaker != "Ted Cruz" and quote.speaker_mention is None


def test_a_named_speaker_is_never_shown_under_a_relatives_full_name() -> None:
    text = (
        "Hillary Clinton spoke in Iowa on Monday. On Sunday, former President Bill Clinton said her "
        "supporters were being attacked online."
    )
    assert by_text(quotes_of(text), "being attacked online").speaker == "Bill Clinton"


def test_a_pronoun_resolves_to_the_person_not_to_a_relative_with_the_same_surname() -> None:
    text = (
        "Donald Trump's campaign held a rally in Ohio on Monday. Aides say Ivanka Trump also advises her "
        'father on child care.\n\n"When a woman becomes a mother, she is supported, not shut out," she said.'
    )
    assert by_text(quotes_of(text), "becomes a mother").speaker == "Ivanka Trump"


def test_a_speaker_described_by_the_part_they_play_is_shown_as_written() -> None:
    text = (
        "“Nobody should pay more for insulin than for rent,” the ad’s narrator says over the closing images."
    )
    quote = by_text(quotes_of(text), "more for insulin")
    assert quote.speaker == "the ad’s narrator" and quote.speaker_mention is None


def test_a_plural_description_is_still_no_speaker() -> None:
    text = "“We want a fair contract before the winter,” the striking nurses said outside the hospital."
    assert quotes_of(text) == []


def test_people_named_in_a_sentence_about_he_are_not_the_next_hes_antecedent() -> None:
    text = (
        "Senator Tom Berg won two states on Tuesday and called on his rivals to step aside.\n\n"
        "Though he did not mention Anna Walz or Peter Lund by name, he made it clear that they should "
        "leave the race.\n\nHe said that a divided field would hand the nomination to the front-runner."
    )
    assert by_text(quotes_of(text), "divided field").speaker == "Tom Berg"


def test_a_quoted_sentence_ending_on_each_other_is_whole() -> None:
    text = "“There is a special place for neighbours who do not help each other,” Mayor Anna Kowalski said."
    quote = by_text(quotes_of(text), "help each other")
    assert (quote.speaker, quote.kind) == ("Anna Kowalski", "direct")


def test_a_name_that_only_modifies_a_noun_is_no_one_a_pronoun_can_mean() -> None:
    text = (
        "The Northfield team said a coating on the cathode particles limited the damage.\n\n"
        "“We did not find a new material,” said Amara Okafor, the chemist who led the work. "
        "She said the coating could be applied with equipment already used in battery factories."
    )
    quotes = quotes_of(text)
    # Northfield (tagged a person by the small model) names the team; Amara Okafor (tagged a place)
    # is described as the chemist: "She" is her
    assert by_text(quotes, "equipment already used").speaker == "Amara Okafor"


def test_a_statement_the_parse_split_in_two_is_quoted_whole() -> None:
    text = (
        "In a notice posted to its website, the People’s Bank of China said services offering trading, "
        "order matching, token issuance and derivatives for virtual currencies are strictly prohibited."
    )
    quote = by_text(quotes_of(text), "services offering trading")
    assert quote.text.endswith("are strictly prohibited")


def test_quoted_words_after_a_negation_are_not_shown_alone() -> None:
    text = (
        "Many voters saw the snap election as unnecessary given there was no “compelling ballot box "
        "issue to justify the undertaking,” according to the Daily Ledger."
    )
    assert not [q for q in quotes_of(text) if q.text.startswith("compelling")]


def test_the_expert_after_one_legal_expert_is_that_expert_not_the_person_last_named() -> None:
    text = (
        "Minister Alan Dorsey has left himself open to prosecution by his own words. "
        "“The minister is not above the law,” said one legal expert, as a newspaper reported.\n\n"
        "“His dealings with the firm are under investigation and he could face charges,” the expert warned."
    )
    assert by_text(quotes_of(text), "under investigation").speaker == "the expert"
