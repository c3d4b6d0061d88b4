from newsweave.model import StoryQuote
from newsweave.story.quotes import merge_reported


def q(
    text: str, article: str, speaker: str = "Dmitry Peskov", entity: str | None = "e1", kind: str = "direct"
) -> StoryQuote:
    return StoryQuote(speaker=speaker, entity=entity, text=text, kind=kind, article=article)  # type: ignore[arg-type]


def test_one_statement_from_three_outlets_is_one_quote_with_all_three_sources() -> None:
    merged = merge_reported(
        [
            q("North Korea is our closest neighbor, our partner", "a1"),
            q("North Korea is our… closest neighbor, our partner", "a2"),
            q("North Korea is our closest neighbor and our partner", "a3"),
        ]
    )
    assert len(merged) == 1
    assert merged[0].sources == ["a1", "a2", "a3"]


def test_different_statements_of_one_speaker_stay_apart() -> None:
    merged = merge_reported(
        [
            q("North Korea is our closest neighbor, our partner", "a1"),
            q("the talks with Lavrov were good and fruitful", "a2"),
        ]
    )
    assert [m.sources for m in merged] == [["a1"], ["a2"]]


def test_the_same_words_given_to_two_speakers_are_not_merged() -> None:
    merged = merge_reported(
        [
            q("the visit will deepen cooperation", "a1"),
            q("the visit will deepen cooperation", "a2", speaker="Maria Zakharova", entity="e2"),
        ]
    )
    assert len(merged) == 2


def test_the_direct_version_is_the_text_kept() -> None:
    merged = merge_reported(
        [
            q("the visit was not ruled out", "a1", kind="indirect"),
            q("The visit was not ruled out", "a2", kind="direct"),
        ]
    )
    assert merged[0].kind == "direct" and merged[0].sources == ["a1", "a2"]


def test_words_quoted_inside_a_reported_statement_are_not_shown_as_a_second_statement() -> None:
    whole = "Moscow has the right to “to do whatever we consider necessary” regardless of the West’s claims"
    part = "to do whatever we consider necessary"
    quotes = [
        StoryQuote("Maria Zakharova", "e2", whole, "indirect", "a2", sentence=7),
        StoryQuote("Maria Zakharova", "e2", part, "direct", "a2", sentence=7),
    ]
    assert [m.text for m in merge_reported(quotes)] == [whole]
    # the same words in another sentence (or article) are a statement of their own
    elsewhere = [quotes[0], StoryQuote("Maria Zakharova", "e2", part, "direct", "a2", sentence=9)]
    assert len(merge_reported(elsewhere)) == 2
