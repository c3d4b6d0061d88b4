"""What a report says happened: the action keys of its headline and first sentence."""

from __future__ import annotations

import pytest

from newsweave.analyze.actions import clause_actions, lead_actions


@pytest.fixture(scope="module")
def nlp():
    from newsweave.analyze.nlp import load_nlp

    return load_nlp()


def _first(nlp, text: str):
    return next(nlp(text).sents)


def test_a_panels_vote_and_the_agencys_decision_name_different_actions(nlp) -> None:
    vote = set(clause_actions(_first(nlp, "An FDA advisory panel voted on Friday to recommend boosters.")))
    decision = set(
        clause_actions(_first(nlp, "The FDA authorized boosters for people over 65 on Wednesday."))
    )
    assert "sv:panel|vote" in vote
    assert "sv:fda|author" in decision
    assert not {k for k in vote & decision if k.startswith(("v:", "sv:"))}


def test_two_reports_of_one_action_share_its_keys_however_they_word_the_rest(nlp) -> None:
    one = clause_actions(_first(nlp, "The FDA authorized Pfizer's booster shot for older Americans."))
    other = clause_actions(_first(nlp, "The FDA on Wednesday authorized a third dose of Pfizer's vaccine."))
    assert {"v:author", "sv:fda|author"} <= set(one) & set(other)


def test_a_reporting_verb_gives_way_to_the_action_it_reports(nlp) -> None:
    keys = clause_actions(_first(nlp, "Pfizer said on Monday that it asked regulators to approve the shot."))
    assert "v:ask" in keys
    assert not any(k.startswith("v:say") for k in keys)


def test_a_pronoun_is_no_subject_and_a_verbless_headline_names_no_action(nlp) -> None:
    assert not any(k.startswith("s:") for k in clause_actions(_first(nlp, "It voted to recommend boosters.")))
    assert clause_actions(_first(nlp, "Vaccine sales and quarterly results")) == []


def test_the_headline_and_the_first_sentence_each_give_their_keys(nlp) -> None:
    headline, lead = (
        _first(nlp, "Appeals court lets Texas law stand"),
        _first(nlp, "A court allowed the law."),
    )
    keys = lead_actions(headline, lead)
    assert keys == clause_actions(headline) + clause_actions(lead)
    assert lead_actions(None, None) == []
