"""compare: corroborated, single-source and conflicting claims; outlet profile."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import pytest

import newsweave.story.compare as compare
from compare_fixtures import WordEmbedder, WordJudge, analyzed, bag_of_words_vector
from newsweave.model import Story
from newsweave.story.claims import DateValue, NumberValue, dates_conflict, numbers_conflict, titles_conflict
from newsweave.story.compare import compare_story as real_compare_story
from newsweave.story.sources import independence_groups
from newsweave.vocab import numbers_in

compare_story = partial(real_compare_story, judge=WordJudge(), embedder=WordEmbedder())


def _story(*members) -> Story:  # type: ignore[no-untyped-def]
    return Story(id="s", headline="", articles=[m.article.id for m in members])


ARRIVAL_SUNDAY = "Minister Anna Kovacs arrived in Vienna on Sunday for talks on the gas pipeline deal."
ARRIVAL_MONDAY = "Minister Anna Kovacs arrived in Vienna on Monday for talks on the gas pipeline deal."
TALKS = "Anna Kovacs will hold talks with Chancellor Franz Huber about the gas pipeline deal in Vienna."
DRONE = "Separately, the army said it shot down 3 drones over the border region of Tirol overnight."


def test_two_outlets_saying_the_same_corroborate_it() -> None:
    a = analyzed("a", "Daily One", [TALKS, ARRIVAL_SUNDAY])
    b = analyzed("b", "Evening Two", [TALKS.replace("will hold", "is to hold"), DRONE])
    result = compare_story(_story(a, b), [a, b])
    assert any(set(c.articles) == {"a", "b"} and "Huber" in c.text for c in result.corroborated)
    assert result.support["a"][0] == ["a", "b"]


def test_syndicated_copy_counts_once() -> None:
    a = analyzed("a", "Wire", [TALKS, ARRIVAL_SUNDAY])
    copy = analyzed("copy", "Local Paper", [TALKS, ARRIVAL_SUNDAY])
    result = compare_story(_story(a, copy), [a, copy], duplicate_of={"copy": "a"})
    assert result.corroborated == []


def test_same_outlet_is_one_source() -> None:
    members = [analyzed("a", "Wire", [TALKS]), analyzed("b", "wire", [TALKS])]
    groups = independence_groups(members, {})
    assert groups["a"] == groups["b"]


def test_only_one_outlet_reporting_a_fact_is_single_source() -> None:
    a = analyzed("a", "Daily One", [TALKS, ARRIVAL_SUNDAY])
    b = analyzed("b", "Evening Two", [TALKS, DRONE])
    result = compare_story(_story(a, b), [a, b])
    assert [(c.article, c.text) for c in result.single_source if "drones" in c.text] == [("b", DRONE)]


def test_an_article_in_a_language_the_judge_does_not_read_is_neither_claim_nor_evidence() -> None:
    a = analyzed("a", "Daily One", [TALKS, ARRIVAL_SUNDAY])
    b = analyzed("b", "Evening Two", [TALKS, DRONE])
    spanish = replace(b, article=replace(b.article, language="es"))  # same words, read as Spanish
    result = compare_story(_story(a, spanish), [a, spanish])
    assert not any("b" in c.articles for c in result.corroborated)
    assert all(c.article != "b" for c in result.single_source)
    assert result.flags["b"] == [] and result.originality["b"] == 1.0
    assert result.citer is not None and [e.article for e in result.citer.evidence("a", 0)] == ["a"]


STRIKE = (
    "About 2,300 dockworkers at the Vistula Container Terminal in Gdansk began a strike over pay on Monday."
)
WALKOUT = "Some 3,200 dockworkers at the Vistula Container Terminal in Gdansk walked off the job over pay."


def test_a_near_paraphrase_with_other_figures_does_not_support_a_claim() -> None:
    # below the paraphrase bar, only shared names and words anchor two sentences; if each
    # gives figures and none agree, citing one as support for the other would be false
    assert 0.6 <= float(np.dot(bag_of_words_vector(STRIKE), bag_of_words_vector(WALKOUT))) < 0.8
    others_a = [
        "Shipping lines diverted vessels to Gdynia and Bremerhaven.",
        "Forwarders said reefers were hit first.",
    ]
    others_b = [
        "Union leader Tomasz Wrobel said members were tired of promises.",
        "A mediator meets both sides.",
    ]
    supporters = []
    for walkout in (WALKOUT, WALKOUT.replace("3,200", "2,300")):
        a = analyzed("a", "Daily One", [STRIKE, *others_a])
        b = analyzed("b", "Evening Two", [walkout, *others_b])
        supporters.append(compare_story(_story(a, b), [a, b]).support["a"][0])
    assert supporters == [["a"], ["a", "b"]]  # the same figure: the same claim, cited


def test_different_day_for_the_same_arrival_is_a_disagreement() -> None:
    a = analyzed("a", "Daily One", [ARRIVAL_SUNDAY])
    b = analyzed("b", "Evening Two", [ARRIVAL_MONDAY])
    result = compare_story(_story(a, b), [a, b])
    assert len(result.disagreements) == 1
    sides = {(s.article, s.text) for s in result.disagreements[0].claims}
    assert sides == {("a", ARRIVAL_SUNDAY), ("b", ARRIVAL_MONDAY)}
    assert "arrival" in result.disagreements[0].about
    assert result.support["a"][0] == ["a"]  # a contradicted sentence is not supported by its contradiction


def test_different_happenings_on_different_days_do_not_conflict() -> None:
    a = analyzed("a", "Daily One", ["Minister Anna Kovacs arrived in Vienna on Sunday for the talks."])
    b = analyzed("b", "Evening Two", ["Minister Anna Kovacs met Chancellor Franz Huber in Vienna on Monday."])
    assert compare_story(_story(a, b), [a, b]).disagreements == []


def test_hedged_numbers_that_can_both_be_true_do_not_conflict() -> None:
    a = analyzed(
        "a", "Daily One", ["The storm killed at least 12 people in the coastal towns, officials said."]
    )
    b = analyzed("b", "Evening Two", ["The storm killed 15 people in the coastal towns, officials said."])
    assert compare_story(_story(a, b), [a, b]).disagreements == []


def test_different_counts_conflict() -> None:
    a = analyzed("a", "Daily One", ["The storm killed 12 people in the coastal towns, officials said."])
    b = analyzed("b", "Evening Two", ["The storm killed 21 people in the coastal towns, officials said."])
    (found,) = compare_story(_story(a, b), [a, b]).disagreements
    assert found.about.startswith("number")


def test_a_number_is_one_number_with_or_without_its_thousands_comma() -> None:
    # the comparison's "share a figure" and the citation rule's "gives every value" read numbers alike
    assert numbers_in("1,200 homes and 4.9% in 2024") == {"1200", "4.9", "2024"}
    assert numbers_in("some 1200 homes") & numbers_in("about 1,200 homes")


def test_value_rules() -> None:
    sunday = DateValue("Sunday", 0, 6, weekday=6, relative=True)
    monday = DateValue("Monday", 0, 6, weekday=0, relative=True)
    assert dates_conflict(sunday, monday)
    assert not dates_conflict(sunday, DateValue("Sunday", 0, 6, weekday=6, relative=True))
    assert not dates_conflict(sunday, DateValue("January", 0, 7, month=1))  # different precision: unknown
    assert numbers_conflict(NumberValue("12", 12, 12), NumberValue("21", 21, 21))
    assert not numbers_conflict(NumberValue("more than 300", 300, float("inf")), NumberValue("320", 320, 320))
    assert titles_conflict("Foreign Minister", "Deputy Foreign Minister")
    assert titles_conflict("Defence Minister", "Foreign Minister")
    assert not titles_conflict("Russian Foreign Minister", "Foreign Minister")
    assert not titles_conflict("Kremlin spokesman", "ambassador")  # two offices can both be true


def test_padded_rewrite_is_flagged_and_reporting_is_not() -> None:
    facts = [
        "Minister Anna Kovacs arrived in Vienna on Sunday for gas pipeline talks.",
        "Kovacs will meet Chancellor Franz Huber and Economy Minister Lea Gruber on Tuesday.",
        "The pipeline would carry 12 billion cubic metres of gas a year to Hungary and Slovakia.",
        "Protesters from Greenpeace gathered outside the Hofburg palace, police said.",
        "Kovacs said the OMV contract should be signed before the end of March.",
    ]
    padding = [
        "The visit reflects a broader approach to regional partnership and cooperation.",
        "Observers say the talks could shape the future of the relationship in many ways.",
        "The exchange highlights the importance of dialogue between partners.",
        "Both sides are expected to discuss a wide range of issues of common interest.",
        "The meeting is seen as part of a larger pattern of engagement in the region.",
        "Minister Anna Kovacs arrived in Vienna for gas pipeline talks.",
    ]
    original = analyzed("orig", "Daily One", facts)
    rewrite = analyzed("pad", "Content Farm", padding)
    result = compare_story(_story(original, rewrite), [original, rewrite])
    assert "low_originality" in result.flags["pad"]
    assert "low_originality" not in result.flags["orig"]
    assert result.originality["orig"] > result.originality["pad"]


def test_widely_repeated_reporting_is_not_a_padded_rewrite() -> None:
    facts = [
        "Minister Anna Kovacs arrived in Vienna on Sunday for gas pipeline talks with Franz Huber.",
        "Kovacs and Chancellor Franz Huber met for three hours at the Hofburg palace in Vienna.",
        "The pipeline would carry 12 billion cubic metres of gas a year to Hungary and Slovakia.",
        "Kovacs said the OMV contract for the pipeline should be signed before the end of March.",
        "Protesters from Greenpeace gathered outside the Hofburg palace in Vienna during the talks.",
    ]
    wire = analyzed("wire", "Wire", facts)
    others = [
        analyzed(o, o, [f.replace("in Vienna", "in the Austrian capital Vienna") for f in facts[k : k + 3]])
        for k, o in ((0, "Daily One"), (1, "Evening Two"))
    ]  # Greenpeace: the wire alone
    result = compare_story(_story(wire, *others), [wire, *others])
    assert result.originality["wire"] < 0.3  # every fact of it is told elsewhere ...
    assert "low_originality" not in result.flags["wire"]  # ... but it is reporting, not padding


@pytest.mark.shared
def test_seed_padded_rewrites_are_flagged(seeds_dir, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """000 and 004 pad a rewrite with generic sentences; 002 and 003 report."""
    pytest.importorskip("newsweave.analyze.entities")
    from newsweave.analyze import analyze_articles
    from newsweave.config import AnalyzeConfig, CleanConfig
    from newsweave.ingest.clean import clean_article
    from newsweave.model import Article

    articles = []
    for path in sorted(seeds_dir.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        articles.append(
            clean_article(
                Article(id=path.stem[:3], title=title.strip(), text=body, raw_text=body), CleanConfig()
            )
        )
    members = analyze_articles(articles, AnalyzeConfig(embed=False))
    flags = compare_story(_story(*members), members).flags
    assert "low_originality" in flags["000"] and "low_originality" in flags["004"]
    assert "low_originality" not in flags["002"] and "low_originality" not in flags["003"]


def test_keyword_stuffing_is_flagged() -> None:
    phrase = "best cheap gas pipeline deal Vienna"
    sentences = [f"The {phrase} is here and everyone reads about the {phrase} today." for _ in range(4)]
    a = analyzed("a", "Seo Farm", sentences)
    b = analyzed("b", "Daily One", [TALKS, ARRIVAL_SUNDAY])
    assert "keyword_stuffing" in compare_story(_story(a, b), [a, b]).flags["a"]


def test_word_choice_across_outlets() -> None:
    a = analyzed(
        "a", "Daily One", ["The invasion of the eastern provinces entered its third week on Monday."]
    )
    b = analyzed(
        "b", "State TV", ["The special military operation in the eastern provinces continued on Monday."]
    )
    choices = {w.concept: w.terms for w in compare_story(_story(a, b), [a, b]).word_choice}
    assert choices["military action"] == {"a": ["invasion"], "b": ["special military operation"]}


def test_empty_story() -> None:
    result = compare_story(Story(id="s", headline=""), [])
    assert result.corroborated == [] and result.disagreements == []


def test_actors_are_compared_by_resolved_entity_when_known() -> None:
    from newsweave.story.claims import same_actor

    # two romanisations entity resolution merged: the same minister, though the spellings differ
    assert same_actor("Chung", "person-1", "Jeong", "person-1")
    # one spelling, two people: the resolved entities decide
    assert not same_actor("Kim", "person-1", "Kim", "person-2")
    # unresolved: fall back to the spelling
    assert same_actor("Lavrov", None, "Sergei Lavrov", None)


def test_two_events_of_a_storyline_do_not_corroborate_each_other() -> None:
    from newsweave.model import Event

    a = analyzed("a", "Daily One", [TALKS, ARRIVAL_SUNDAY])
    b = analyzed("b", "Evening Two", [TALKS.replace("will hold", "is to hold"), DRONE])
    story = _story(a, b)
    story.events = [Event("e1", "first visit", ["a"]), Event("e2", "second visit", ["b"])]
    result = compare_story(story, [a, b])
    # the same words about two different occurrences are two facts, each with one source
    assert result.corroborated == []
    assert result.support["a"][0] == ["a"]


def test_parsing_only_the_claims_that_could_conflict_finds_every_disagreement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Comparison skips parsing sentences whose cues rule out a conflict; it must miss nothing."""
    import json
    import re
    from pathlib import Path

    pairs = Path(__file__).resolve().parent.parent / "benchmarks" / "contradictions.jsonl"
    stories = []
    for line in pairs.read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        a = analyzed("a", "Daily One", re.split(r"(?<=[.!?])\s+", p["a"]))
        b = analyzed("b", "Evening Two", re.split(r"(?<=[.!?])\s+", p["b"]))
        stories.append((_story(a, b), [a, b]))

    def found() -> list[list[str]]:
        return [[d.about for d in compare_story(story, members).disagreements] for story, members in stories]

    lazy = found()
    monkeypatch.setattr(compare, "_worth_parsing", lambda keys, *rest: keys)
    assert lazy == found()
    # the pairs hold conflicts of every kind; the word-overlap fake judge confirms the closest-worded six
    assert sum(map(bool, lazy)) >= 6


def test_content_words_keep_their_hyphens_and_apostrophes() -> None:
    from newsweave.story.claims import content_stems

    stems = content_stems("The state-owned utility's shares rose")
    assert any("-" in s for s in stems) and "state" not in stems


def test_a_fact_another_outlet_states_in_other_words_is_not_single_source() -> None:
    from newsweave.judge import Verdict

    class PentagonJudge(WordJudge):
        def judge(self, pairs):  # type: ignore[no-untyped-def]
            return [
                Verdict(0.95, 0.0, 0.05, 0.0) if "Pentagon" in a and "Pentagon" in b else v
                for (a, b), v in zip(pairs, super().judge(pairs), strict=True)
            ]

    strike = (
        "A drone strike in Kabul killed 10 members of the Ahmadi family on August 29, the Pentagon admitted."
    )
    missile = "Pentagon officials now concede that the missile hit on August 29 killed 10 of the Ahmadis."
    a = analyzed("a", "Daily One", [TALKS, strike])
    b = analyzed("b", "Evening Two", [TALKS, missile])
    # the two wordings are fairly close (cosine 0.5): worth asking the judge, too far to align
    a.sentence_vectors = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    b.sentence_vectors = [[1.0, 0.0, 0.0], [0.0, 0.5, 0.866]]
    said_by_one = [c.text for c in compare_story(_story(a, b), [a, b]).single_source]
    assert strike in said_by_one
    said_by_one = [
        c.text
        for c in real_compare_story(
            _story(a, b), [a, b], judge=PentagonJudge(), embedder=WordEmbedder()
        ).single_source
    ]
    assert strike not in said_by_one and missile not in said_by_one
    # a sentence without the claim's day and count does not state it, whatever the judge says
    b.sentences[
        1
    ].text = "Pentagon officials now concede that Zemari Ahmadi and relatives died when the missile hit."
    said_by_one = [
        c.text
        for c in real_compare_story(
            _story(a, b), [a, b], judge=PentagonJudge(), embedder=WordEmbedder()
        ).single_source
    ]
    assert strike in said_by_one


def test_a_sentence_its_source_cut_short_is_not_a_claim() -> None:
    from newsweave.story.compare import is_claim_sentence

    assert not is_claim_sentence("Trump's attack on January 3, 2020, killed the Islamic...")
    assert not is_claim_sentence(
        "The two officers were sued by the estate of a man whom they shot and killed after…"
    )
    assert is_claim_sentence("The two officers were sued by the estate of a man whom they shot.")


def test_a_value_rule_conflict_stands_only_when_the_sentences_differ_in_nothing_but_the_value() -> None:
    from newsweave.judge import Verdict
    from newsweave.story.compare import confirmed_conflict

    class ValueJudge(WordJudge):
        """Says "contradicts" whenever values differ, as a judge trained on changed values does."""

    same_but_day = (
        "Minister Anna Kovacs arrived in Vienna on Sunday for pipeline talks.",
        "Minister Anna Kovacs arrived in Vienna on Monday for pipeline talks.",
    )
    assert confirmed_conflict(*same_but_day, "date: arrive of Kovacs (Sunday vs Monday)", ValueJudge())
    nine = (
        "A drone strike in Kabul killed 10 members of one family on August 29.",
        "The strike killed an aid worker and nine members of his family, not an ISIS-K member, Central "
        "Command found.",
    )
    assert not confirmed_conflict(*nine, "number: member (kill) (10 members vs nine members)", ValueJudge())
    negated = (
        "President Biden did not take questions from US reporters during the meeting.",
        "Biden declined to call on US reporters after Prime Minister Johnson took questions.",
    )
    assert not confirmed_conflict(*negated, "negation: take", ValueJudge())

    class NeverSure(WordJudge):
        def judge(self, pairs):  # type: ignore[no-untyped-def]
            return [Verdict(0.5, 0.0, 0.5, 0.0) for _ in pairs]

    assert not confirmed_conflict(*same_but_day, "date: arrive of Kovacs (Sunday vs Monday)", NeverSure())


def test_a_syndicated_claim_only_one_source_makes_is_listed_once() -> None:
    guest = "The two ministers met for nearly three hours at the Government Guest House before 12 reporters."
    a = analyzed("a", "Meridian Wire", [TALKS, guest])
    copy = analyzed("copy", "Harbour Post", [TALKS, guest])
    result = compare_story(_story(a, copy), [a, copy], duplicate_of={"copy": "a"})
    assert [c.text for c in result.single_source].count(guest) == 1


def test_neutral_words_for_one_concept_are_no_word_choice() -> None:
    a = analyzed("a", "Daily One", ["The president met the leader of the north on Monday."])
    b = analyzed("b", "State TV", ["The president and the party leader spoke on Monday."])
    c = analyzed("c", "Evening Post", ["The president arrived on Monday."])
    assert compare_story(_story(a, b, c), [a, b, c]).word_choice == []
    # a label that judges ("regime") against the neutral word is one
    d = analyzed("d", "Free Voice", ["The regime arrested the organisers on Monday."])
    e = analyzed("e", "Daily One", ["The government arrested the organisers on Monday."])
    choices = {w.concept: w.terms for w in compare_story(_story(d, e), [d, e]).word_choice}
    assert choices == {"government": {"d": ["regime"], "e": ["government"]}}
