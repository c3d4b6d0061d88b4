"""story.build: the story steps run in an order where each reads only what an earlier one assigned."""

from __future__ import annotations

import dataclasses

import pytest

from compare_fixtures import WordEmbedder, WordJudge, analyzed
from newsweave.config import Config
from newsweave.model import Story
from newsweave.story import build, claims
from newsweave.story.build import STEPS, FilledStory, Filling, StoryJob, fill_story


def test_every_step_reads_only_what_an_earlier_step_or_the_job_assigned() -> None:
    given = {"job", "config", "judge", "embedder", "parses", "changed"}
    fields = {f.name for f in dataclasses.fields(Filling)}
    assigned = set(given)
    for s in STEPS:
        assert set(s.requires) <= assigned, (
            f"{s.name} reads {set(s.requires) - assigned} before any step sets it"
        )
        assert set(s.assigns) <= fields and not set(s.assigns) & given
        assigned |= set(s.assigns)
    assert assigned == fields  # every field of a filled story is some step's work


def _job() -> StoryJob:
    a = analyzed(
        "a", "Daily One", ["Anna Kovacs held talks with Franz Huber in Vienna on the pipeline deal."]
    )
    b = analyzed("b", "Evening Two", ["Franz Huber and Anna Kovacs discussed the pipeline deal in Vienna."])
    return StoryJob(Story(id="s", headline="Talks", articles=["a", "b"]), [a, b], {}, {})


def test_a_story_is_filled_by_the_steps_with_the_judge_and_embedder_it_is_given() -> None:
    filled = fill_story(_job(), Config(), judge=WordJudge(), embedder=WordEmbedder())
    assert filled.sources == 2 and filled.story.headline
    assert filled.story.summary and all(s.evidence for s in filled.story.summary)


def test_a_step_that_leaves_its_result_unset_stops_the_fill_with_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lazy = [dataclasses.replace(s, run=lambda f: None) if s.name == "sources" else s for s in STEPS]
    monkeypatch.setattr(build, "STEPS", lazy)
    with pytest.raises(RuntimeError, match="sources left sources unset"):
        fill_story(_job(), Config(), judge=WordJudge(), embedder=WordEmbedder())


class KeptWordJudge(WordJudge):
    model_id = "word-judge/1"  # a judge with an id has its verdicts kept


def _conflict_job(kept: FilledStory | None = None) -> StoryJob:
    a = analyzed(
        "a",
        "Daily One",
        ["Anna Kovacs arrived in Vienna on Monday for talks on the pipeline deal.", "Talks ran late."],
    )
    b = analyzed(
        "b",
        "Evening Two",
        ["Anna Kovacs arrived in Vienna on Tuesday for talks on the pipeline deal.", "Talks ran late."],
    )
    return StoryJob(
        Story(id="s", headline="Talks", articles=["a", "b"]),
        [a, b],
        {},
        {},
        parses=kept.parses if kept else {},
        verdicts={kept.verdicts[0]: kept.verdicts[1]} if kept and kept.verdicts else {},
    )


def test_a_refill_with_what_the_last_fill_kept_parses_nothing_asks_nothing_and_gives_the_same_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_judge = KeptWordJudge()
    first = fill_story(_conflict_job(), Config(), judge=first_judge, embedder=WordEmbedder())
    assert first.parses and first.verdicts and first_judge.asked
    assert first.story.disagreements  # the parse found the two days, the judge confirmed them

    def no_parse() -> None:
        raise AssertionError("a kept sentence was parsed again")

    monkeypatch.setattr(claims, "_nlp", no_parse)
    again_judge = KeptWordJudge()
    again = fill_story(_conflict_job(first), Config(), judge=again_judge, embedder=WordEmbedder())
    assert again_judge.asked == [] and again.parses == {}
    assert again.story == first.story and again.sources == first.sources


def test_verdicts_kept_under_another_judge_are_not_given_as_this_ones() -> None:
    first = fill_story(_conflict_job(), Config(), judge=KeptWordJudge(), embedder=WordEmbedder())
    assert first.verdicts is not None
    other = KeptWordJudge()
    other.model_id = "word-judge/2"
    fill_story(_conflict_job(first), Config(), judge=other, embedder=WordEmbedder())
    assert len(other.asked) == len(first.verdicts[1])


def test_a_judge_without_an_id_has_no_verdicts_kept() -> None:
    assert fill_story(_conflict_job(), Config(), judge=WordJudge(), embedder=WordEmbedder()).verdicts is None
