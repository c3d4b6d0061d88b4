"""story.build: the story steps run in an order where each reads only what an earlier one assigned."""

from __future__ import annotations

import dataclasses

import pytest

from compare_fixtures import WordEmbedder, WordJudge, analyzed
from newsweave.config import Config
from newsweave.model import Story
from newsweave.story import build
from newsweave.story.build import STEPS, Filling, StoryJob, fill_story


def test_every_step_reads_only_what_an_earlier_step_or_the_job_assigned() -> None:
    given = {"job", "config", "judge", "embedder", "changed"}
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
