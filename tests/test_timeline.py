"""Timeline: dated statements merged across outlets, in date order, on hand-written articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from compare_fixtures import WordJudge
from newsweave.analyze.dates import extract_dates
from newsweave.analyze.nlp import parse
from newsweave.model import AnalyzedArticle, Article, DateRef, Mention, Sentence
from newsweave.story.timeline import MAX_ENTRIES, build_timeline, trim_sentence


def article(article_id: str, text: str, published: str) -> AnalyzedArticle:
    """Analysed as the pipeline does it: sentences from spaCy, dates against the publication date."""
    doc = parse([text])[0]
    return AnalyzedArticle(
        article=Article(id=article_id, title="", text=text, published=published, outlet=article_id),
        sentences=[
            Sentence(article_id, i, s.start_char, s.end_char, s.text.strip()) for i, s in enumerate(doc.sents)
        ],
        dates=extract_dates(doc, article_id, date.fromisoformat(published)),
    )


# Two outlets on a hospital opening, published a day apart (2024-03-05 is a Tuesday): one says
# "on Monday", the other "March 4" — the same day.
HERALD = article(
    "herald",
    (
        "France's health minister opened a new children's hospital in Lyon on March 4. "
        "The building was first planned in November 2021. "
        "Farmers blocked roads near Paris on March 4 in protest at fuel prices."
    ),
    "2024-03-05",
)
COURIER = article(
    "courier",
    (
        "Published: 6 March 2024. "
        "The health minister opened the new children's hospital in Lyon on Monday, the ministry said. "
        "Construction of the hospital started in 2022 after years of delay."
    ),
    "2024-03-06",
)


class Agreeing(WordJudge):
    """Entails whatever shares most content words ("on March 4" and "on Monday" name one day here),
    or everything with ``threshold=0``."""

    def __init__(self, threshold: float = 0.5) -> None:
        super().__init__()
        self.threshold = threshold

    def judge(self, pairs):  # type: ignore[no-untyped-def]
        from newsweave.judge import Verdict

        return [
            Verdict(0.9, 0.0, 0.1, 0.0)
            if self.threshold == 0 or v.entails > 0.5 or v.contradicts > 0.5
            else v
            for v in super().judge(pairs)
        ]


def test_same_dated_fact_from_two_outlets_is_one_entry_citing_both_with_evidence() -> None:
    timeline = build_timeline([HERALD, COURIER], Agreeing())
    opening = [e for e in timeline if "hospital in Lyon" in e.text]
    assert len(opening) == 1
    assert opening[0].date == "2024-03-04"
    assert opening[0].articles == ["herald", "courier"]
    assert [(e.article, e.sentence) for e in opening[0].evidence] == [("herald", 0), ("courier", 1)]


def test_a_timeline_entry_cites_another_article_only_when_the_judge_says_it_states_it() -> None:
    class Doubting(WordJudge):
        def judge(self, pairs):  # type: ignore[no-untyped-def]
            from newsweave.judge import Verdict

            return [Verdict(0.2, 0.0, 0.7, 0.1) for _ in pairs]

    (opening,) = [e for e in build_timeline([HERALD, COURIER], Doubting()) if "hospital in Lyon" in e.text]
    assert opening.articles == ["herald"] and [e.article for e in opening.evidence] == ["herald"]
    (alone,) = [e for e in build_timeline([HERALD, COURIER]) if "hospital in Lyon" in e.text]
    assert alone.articles == ["herald"]  # no judge: nothing beyond the article shown


def test_a_statement_without_a_value_of_the_one_shown_is_neither_judged_nor_cited() -> None:
    tolls = article(
        "tolls",
        "The health minister opened the new children's hospital in Lyon on March 4 with 300 beds.",
        "2024-03-05",
    )
    judge = Agreeing(threshold=0)
    (opening,) = [e for e in build_timeline([tolls, COURIER], judge) if "hospital in Lyon" in e.text]
    assert opening.articles == ["tolls"]
    assert not any("300 beds" in claim and "Monday" in other for claim, other in judge.asked)


def test_different_facts_of_one_day_stay_apart() -> None:
    timeline = build_timeline([HERALD, COURIER])
    on_march_4 = [e for e in timeline if e.date == "2024-03-04"]
    assert len(on_march_4) == 2
    assert any("Farmers blocked roads" in e.text and e.articles == ["herald"] for e in on_march_4)


def test_entries_are_in_date_order_at_their_precision() -> None:
    timeline = build_timeline([HERALD, COURIER])
    assert [e.date for e in timeline] == ["2021-11", "2022", "2024-03-04", "2024-03-04"]
    assert timeline[0].text == "The building was first planned in November 2021."


def test_publication_line_is_not_an_event() -> None:
    assert not any("Published" in e.text for e in build_timeline([COURIER]))


def test_two_sentences_of_one_article_are_two_facts() -> None:
    wire = article(
        "wire",
        (
            "The envoy told reporters on Monday that the talks would resume. "
            "The envoy also met the opposition leader on Monday."
        ),
        "2024-03-06",
    )
    entries = build_timeline([wire])
    assert [(e.date, e.articles) for e in entries] == [("2024-03-04", ["wire"]), ("2024-03-04", ["wire"])]


def test_undated_sentences_and_undated_articles_give_nothing() -> None:
    assert build_timeline([]) == []
    assert (
        build_timeline([article("plain", "The minister spoke about hospitals and roads.", "2024-03-06")])
        == []
    )


def hand_made(
    article_id: str, sentences: list[tuple[str, str, str]], vectors: list[list[float]] | None = None
) -> AnalyzedArticle:
    """An analysed article built by hand: (sentence, date text inside it, resolved value)."""
    text, parts, dates = "", [], []
    for i, (sentence, date_text, value) in enumerate(sentences):
        start = len(text)
        text += sentence + " "
        parts.append(Sentence(article_id, i, start, start + len(sentence), sentence))
        at = start + sentence.index(date_text)
        precision = {10: "day", 7: "month", 4: "year"}[len(value)]
        dates.append(DateRef(article_id, i, at, at + len(date_text), date_text, value, precision, "absolute"))  # type: ignore[arg-type]
    return AnalyzedArticle(
        article=Article(id=article_id, title="", text=text),
        sentences=parts,
        dates=dates,
        sentence_vectors=vectors,
    )


def test_sentence_vectors_merge_a_paraphrase_with_no_words_in_common() -> None:
    a = hand_made(
        "a", [("Lawmakers approved the budget on 2 May 2023.", "2 May 2023", "2023-05-02")], [[1.0, 0.0]]
    )
    b = hand_made(
        "b",
        [("Parliament passed the spending plan on May 2, 2023.", "May 2, 2023", "2023-05-02")],
        [[0.96, 0.28]],
    )
    assert [e.articles for e in build_timeline([a, b], Agreeing(threshold=0.0))] == [["a", "b"]]
    # without vectors the two share no content word and stay apart
    a.sentence_vectors = b.sentence_vectors = None
    assert len(build_timeline([a, b])) == 2


def test_long_stories_are_capped_keeping_what_most_outlets_report() -> None:
    many = [
        (f"Storm number {n} hit the coast of region {n} in {1990 + n}.", str(1990 + n), str(1990 + n))
        for n in range(30)
    ]
    shared = ("The dam near the capital failed on 9 June 2024.", "9 June 2024", "2024-06-09")
    a = hand_made("a", [*many, shared])
    b = hand_made("b", [shared])
    timeline = build_timeline([a, b], Agreeing())
    assert len(timeline) == MAX_ENTRIES
    assert timeline[-1].date == "2024-06-09" and timeline[-1].articles == ["a", "b"]
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)


def test_text_is_one_line_without_dateline_and_never_cut() -> None:
    assert trim_sentence("MOSCOW, Jan 16 (Reuters) - Talks\nbegan  on Tuesday.") == "Talks began on Tuesday."
    long = "The minister said " + "very " * 80 + "much on Tuesday, but denied it the next day."
    assert trim_sentence(long) == long


def test_a_sentence_its_source_cut_short_is_no_timeline_entry() -> None:
    for ending in ("...", "\u2026", "...\u201d"):
        cut = hand_made(
            "a", [(f"The storm of 3 May 2019 destroyed the old{ending}", "3 May 2019", "2019-05-03")]
        )
        assert build_timeline([cut]) == []
    whole = hand_made("a", [("The storm of 3 May 2019 destroyed the old pier.", "3 May 2019", "2019-05-03")])
    assert [e.text for e in build_timeline([whole])] == ["The storm of 3 May 2019 destroyed the old pier."]


def test_a_date_after_since_does_not_date_the_sentence() -> None:
    text = "A judge ordered the city to reopen the clinics that had been closed since September."
    order = hand_made("a", [(text, "September", "2021-09")])
    assert build_timeline([order]) == []
    dated = hand_made("a", [("The clinics were closed in September after a fire.", "September", "2021-09")])
    assert [e.date for e in build_timeline([dated])] == ["2021-09"]


def test_a_date_after_since_the_week_of_does_not_date_the_sentence() -> None:
    text = "That is the smallest number to apply for benefits since the week of March 14, 2020."
    assert build_timeline([hand_made("a", [(text, "March 14, 2020", "2020-03-14")])]) == []


def _dated(sentence: str, expression: str, value: str) -> list[str]:
    """The dates of the timeline made from one article's one sentence holding one date."""
    return [e.date for e in build_timeline([hand_made("a", [(sentence, expression, value)])])]


def test_a_date_inside_a_since_clause_does_not_date_the_sentence() -> None:
    text = "Biden's debut address to the body since taking office in January comes as tensions rise."
    assert _dated(text, "January", "2021-01") == []
    after_comma = "Since the vote, the party has grown, and in January it won the mayoralty."
    assert _dated(after_comma, "January", "2021-01") == ["2021-01"]


def test_a_date_that_is_part_of_a_name_does_not_date_the_sentence() -> None:
    waiver = "Biden has waived executive privilege on documents sought by the Jan. 6 committee."
    assert _dated(waiver, "Jan. 6", "2021-01-06") == []
    panel = "The House Jan. 6 Select Committee announced its subpoena of Jeffrey Clark."
    assert _dated(panel, "Jan. 6", "2021-01-06") == []
    # however long the name before it (eight characters of text before the date once hid "Republican")
    longer = "The Republican Jan. 6 panel announced its subpoena of Jeffrey Clark."
    assert _dated(longer, "Jan. 6", "2021-01-06") == []
    # after a name, only a calendar date is part of it
    month = "A tax break would follow if legislation proposed by House Democrats this month becomes law."
    assert _dated(month, "this month", "2021-09") == ["2021-09"]
    opening = "In January the company announced a new chief executive for its bank."
    assert _dated(opening, "January", "2021-01") == ["2021-01"]
    named_day = "Officials said Monday Jan. 10 the port would reopen to container ships."
    assert _dated(named_day, "Jan. 10", "2021-01-10") == ["2021-01-10"]
    riot = "The Capitol riot of Jan. 6 left five people dead."
    assert _dated(riot, "Jan. 6", "2021-01-06") == ["2021-01-06"]
    vote = "The Senate passed the bill on Thursday after the 2020 election fight."
    dated = hand_made("a", [(vote, "Thursday", "2021-10-07"), (vote, "2020", "2020")])
    assert [e.date for e in build_timeline([dated])] == ["2021-10-07"]


def test_shared_resolved_entities_merge_differently_worded_reports() -> None:
    a = hand_made(
        "a",
        [
            (
                "Choe Son Hui and Sergei Lavrov held talks in Moscow on 16 January 2024.",
                "16 January 2024",
                "2024-01-16",
            )
        ],
    )
    b = hand_made(
        "b",
        [
            (
                "Choi Song Hee sat down with Lavrov on January 16, 2024, a statement said.",
                "January 16, 2024",
                "2024-01-16",
            )
        ],
    )
    a.mentions = [
        Mention("a", 0, 0, 12, "Choe Son Hui", "PERSON"),
        Mention("a", 0, 17, 30, "Sergei Lavrov", "PERSON"),
    ]
    b.mentions = [
        Mention("b", 0, 0, 13, "Choi Song Hee", "PERSON"),
        Mention("b", 0, 28, 34, "Lavrov", "PERSON"),
    ]
    # before entity resolution the spellings differ and only "Lavrov" is shared: two entries
    assert len(build_timeline([a, b])) == 2
    for m, entity in zip([*a.mentions, *b.mentions], ["choe", "lavrov", "choe", "lavrov"], strict=True):
        m.entity_id = entity
    assert [e.articles for e in build_timeline([a, b], Agreeing(threshold=0.0))] == [["a", "b"]]


def test_a_window_of_the_timeline_centres_on_the_storys_own_date_and_says_where_it_cuts() -> None:
    from newsweave.model import TimelineEntry
    from newsweave.story.timeline import timeline_window

    entries = [TimelineEntry(f"2024-01-{d:02d}", f"event {d}", ["a"]) for d in range(1, 21)]
    entries.append(TimelineEntry("Sunday", "visit began Sunday", ["b"], "relative", "none"))
    shown, before, after = timeline_window(entries, ["2024-01-16"], 4)
    assert [e.date for e in shown] == ["2024-01-14", "2024-01-15", "2024-01-16", "2024-01-17"]
    assert before and after
    shown, before, after = timeline_window(entries[-3:], [], 4)
    assert [e.date for e in shown] == ["2024-01-19", "2024-01-20", "Sunday"] and not before and not after


def test_a_year_that_is_a_measures_baseline_does_not_date_the_sentence() -> None:
    promise = "Biden had promised to halve emissions from 2005 levels by 2030."
    assert _dated(promise, "2005", "2005") == []
    assert _dated("Wages fell, in 2019 dollars, across the region.", "2019", "2019") == []
    assert _dated("Emissions fell sharply in 2005, the agency said.", "2005", "2005") == ["2005"]


def test_a_part_of_the_day_alone_is_no_timeline_entry() -> None:
    def relative(sentence: str, expression: str) -> list[str]:
        article = hand_made("a", [(sentence, "1 May 2023", "2023-05-01")])
        at = sentence.index(expression)
        ref = DateRef("a", 0, at, at + len(expression), expression, "", "relative", "none")
        return [e.date for e in build_timeline([replace(article, dates=[ref])])]

    assert relative("The port will handle more goods at night from 1 May 2023.", "night") == []
    assert relative("One night after the loss, from 1 May 2023, they won.", "One night") == []
    assert relative("The port stayed open on Sunday, from 1 May 2023.", "Sunday") == ["Sunday"]


def test_a_year_written_straight_before_a_name_is_the_names() -> None:
    model = "The marque pulled the covers off the production model 2020 LC 500 Convertible."
    assert _dated(model, "2020", "2020") == []
    assert _dated("In 2020 Biden won the election, officials said.", "2020", "2020") == ["2020"]
    assert _dated("By the end of 2020 Apple had sold more phones.", "2020", "2020") == ["2020"]
