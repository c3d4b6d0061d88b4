"""Entity resolution after an incremental ingest is the resolution of one run over the same articles.

The guard for making resolution incremental (issue 28): whatever an ingest keeps or skips, the
entities it leaves in the store, and the entity of every mention and quote of the stories it
built, are those a single run over every article gives, and those ``rebuild`` gives.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from newsweave import pipeline
from newsweave.config import Config
from newsweave.store import open_store


def _entities(store: Any) -> list[tuple[Any, ...]]:
    found = store.list_entities(limit=100_000)
    return sorted((e.id, e.name, e.type, tuple(e.aliases), e.mentions, tuple(e.articles)) for e in found)


def _story_names(store: Any) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """Each story (by its articles) → its entities and its quotes' speakers' entities."""
    out = {}
    for story in store.list_stories(limit=100_000):
        entities = sorted((e.id, e.name, e.mentions) for e in story.entities)
        quotes = sorted((q.article, q.speaker, q.entity or "") for q in story.quotes)
        out[tuple(sorted(story.articles))] = (tuple(entities), tuple(quotes))
    return out


def _ingest(
    folders: list[Path], db: Path
) -> tuple[list[tuple[Any, ...]], dict[tuple[str, ...], tuple[Any, ...]]]:
    config = Config(db=str(db)).with_overrides(**{"analyze.embed": False})
    with open_store(config.db) as store:
        for folder in folders:
            pipeline.ingest([str(folder)], config, store)
        return _entities(store), _story_names(store)


# stories of their own beside the seeds': one in the first increment, one in the second whose short
# form "Lavrov" and spelling "Sergei Lavrov" name a person of the seeds' story
RATES = (
    "Central bank holds rates\n\nBy Staff | Coastal Ledger | 5 March 2025\n\n"
    "The central bank kept its benchmark interest rate at 4.5 percent on Wednesday, "
    "saying inflation remained too high to cut borrowing costs, governor Elena Marsh said."
)
GRAIN = (
    "Grain corridor talks stall in Geneva\n\nBy Desk | Harbour Post | 6 March 2025\n\n"
    "Talks on Black Sea grain shipments stalled in Geneva on Thursday. Russian Foreign Minister "
    "Sergei Lavrov said Moscow would not extend the corridor. Lavrov told reporters that the "
    "United Nations had not met its promises."
)


@pytest.mark.shared
def test_a_store_built_in_two_increments_has_the_entities_of_one_run(seeds_dir: Path, tmp_path: Path) -> None:
    first, both = tmp_path / "first", tmp_path / "both"
    first.mkdir()
    both.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(seed, first)
        shutil.copy(seed, both)
    for folder in (first, both):
        (folder / "ledger-rates.txt").write_text(RATES)
    (both / "post-grain.txt").write_text(GRAIN)
    entities_once, stories_once = _ingest([both], tmp_path / "once.db")
    entities_twice, stories_twice = _ingest([first, both], tmp_path / "twice.db")
    lavrov = [e for e in entities_once if "Lavrov" in e[1]]
    assert len(lavrov) == 1 and "post-grain" in lavrov[0][5] and len(lavrov[0][5]) >= 3
    assert entities_twice == entities_once
    # the stories both runs grouped alike name the same entities
    assert len(set(stories_once) & set(stories_twice)) >= 3
    for articles in set(stories_once) & set(stories_twice):
        assert stories_twice[articles] == stories_once[articles], articles


@pytest.mark.shared
def test_rebuild_resolves_every_stored_name_again_to_the_same_entities(
    seeds_dir: Path, tmp_path: Path
) -> None:
    config = Config(db=str(tmp_path / "seeds.db")).with_overrides(**{"analyze.embed": False})
    with open_store(config.db) as store:
        pipeline.ingest([str(seeds_dir)], config, store)
        before = _entities(store)
        store.save_entities([])  # lost: the full run finds them all again
        pipeline.rebuild_stories(config, store)
        assert _entities(store) == before
