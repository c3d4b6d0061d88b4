"""Entity resolution after an incremental ingest is the resolution of one run over the same articles.

The guard for incremental resolution (issue 28, ``names.increment``): an ingest resolves only the
names of the stories it touched, beside the stored names that share a lookup key with theirs, and
the entities it leaves in the store (with their tallies), and the entity of every mention and
quote of the stories it built, are those a single run over every article gives, and those
``rebuild`` gives. Removing an article, or changing its text, takes it off its entities.
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
    """Each stored entity, with the counts an increment updates it from (its tally)."""
    found = store.list_entities(limit=100_000)
    tallies = store.load_tallies(e.id for e in found)
    return sorted(
        (e.id, e.name, e.type, tuple(e.aliases), e.mentions, tuple(e.articles), tallies.get(e.id))
        for e in found
    )


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


def _folder(tmp_path: Path, name: str, seeds_dir: Path, extra: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(seed, folder)
    for file, text in extra.items():
        (folder / file).write_text(text)
    return folder


@pytest.mark.shared
def test_an_ingest_reads_the_names_of_its_stories_and_of_names_like_theirs_only(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Config(db=str(tmp_path / "x.db")).with_overrides(**{"analyze.embed": False})
    first = _folder(tmp_path, "first", seeds_dir, {"ledger-rates.txt": RATES})
    with open_store(config.db) as store:
        pipeline.ingest([str(first)], config, store)
        stored = store.article_ids()
        read: list[str] = []
        load = store.load_analyses

        def recording(ids: Any, *, names_only: bool = False) -> Any:
            ids = list(ids)
            if names_only:
                read.extend(ids)
            return load(ids, names_only=names_only)

        monkeypatch.setattr(store, "load_analyses", recording)
        (first / "post-grain.txt").write_text(GRAIN)
        pipeline.ingest([str(first)], config, store)
        lavrov = [e for e in store.list_entities(limit=1000) if e.name == "Sergei Lavrov"]
    # the seeds that name Lavrov are read; the rates story, which shares no name, is not
    assert "post-grain" in read and "ledger-rates" not in read
    assert set(read) < stored | {"post-grain"}
    assert len(lavrov) == 1 and "post-grain" in lavrov[0].articles


@pytest.mark.shared
def test_a_removed_article_leaves_the_entities_of_a_store_that_never_had_it(
    seeds_dir: Path, tmp_path: Path
) -> None:
    without = _folder(tmp_path, "without", seeds_dir, {"ledger-rates.txt": RATES})
    entities_without, _ = _ingest([without], tmp_path / "without.db")
    with_grain = _folder(tmp_path, "with", seeds_dir, {"ledger-rates.txt": RATES, "post-grain.txt": GRAIN})
    config = Config(db=str(tmp_path / "removed.db")).with_overrides(**{"analyze.embed": False})
    with open_store(config.db) as store:
        pipeline.ingest([str(with_grain)], config, store)
        pipeline.remove_articles(["post-grain"], config, store)
        assert _entities(store) == entities_without


@pytest.mark.shared
def test_an_article_whose_text_changes_is_taken_off_the_names_it_no_longer_writes(
    seeds_dir: Path, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, "news", seeds_dir, {"ledger-rates.txt": RATES, "post-grain.txt": GRAIN})
    config = Config(db=str(tmp_path / "x.db")).with_overrides(**{"analyze.embed": False})
    with open_store(config.db) as store:
        pipeline.ingest([str(folder)], config, store)
        (folder / "post-grain.txt").write_text(
            GRAIN.replace("Sergei Lavrov", "Antonio Guterres").replace("Lavrov", "Guterres")
        )
        pipeline.ingest([str(folder)], config, store)
        names = {e.name: e for e in store.list_entities(limit=1000)}
    assert "post-grain" not in names["Sergei Lavrov"].articles
    assert names["Antonio Guterres"].articles == ["post-grain"]


WHITE_HOUSE = [
    (
        f"house-{n}.txt",
        f"{title}\n\nBy Desk | Capital Wire | {day} March 2025\n\n{body} The White House said on {weekday} "
        "that it would respond in writing.",
    )
    for n, (title, day, weekday, body) in enumerate(
        [
            (
                "Port strike talks resume",
                3,
                "Monday",
                "Dock workers and port operators met again in Baltimore.",
            ),
            ("Wildfire season starts early", 4, "Tuesday", "Crews in Colorado fought three fires at once."),
            ("Rail safety rule delayed", 5, "Wednesday", "Regulators pushed back a brake inspection rule."),
            ("Drug price list published", 6, "Thursday", "Medicare named ten more drugs for negotiation."),
        ]
    )
]
CORRESPONDENTS = (
    "Reporters protest briefing access\n\nBy Staff | Press Review | 8 March 2025\n\n"
    "The White House Correspondents' Association complained on Saturday about seating at briefings. "
    "The association said the White House had moved its members to the back rows."
)


def test_a_name_written_alone_in_stored_articles_stays_its_own_in_an_increment(tmp_path: Path) -> None:
    """'White House' beside the White House Correspondents' Association is the White House when
    other stored articles write it alone, though an increment reads only two of them."""
    folder = tmp_path / "news"
    folder.mkdir()
    for file, text in WHITE_HOUSE:
        (folder / file).write_text(text)
    config = Config(db=str(tmp_path / "x.db")).with_overrides(**{"analyze.embed": False})
    with open_store(config.db) as store:
        pipeline.ingest([str(folder)], config, store)
        (folder / "press.txt").write_text(CORRESPONDENTS)
        pipeline.ingest([str(folder)], config, store)
        found = {e.name: e for e in store.list_entities(limit=1000) if "White House" in e.name}
    assert "press" in found["White House"].articles
    association = found.get("White House Correspondents' Association")
    assert association is not None and association.aliases == ["White House Correspondents' Association"]
