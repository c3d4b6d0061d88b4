"""The store: idempotent upserts, updates, search, stories, and clear errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from newsweave.model import AnalyzedArticle, Article, Entity, Event, Sentence, Story, StoryQuote
from newsweave.store import StoreError, open_store
from newsweave.store.schema import SCHEMA_VERSION


def _article(
    id: str = "a1", text: str = "The port reopened on Thursday after a strike.", **kw: object
) -> Article:
    return Article(
        id=id, title=kw.pop("title", "Port reopens"), text=text, raw_text=text, outlet="Ledger", **kw
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """The same tests run against SQLite and a real PostgreSQL server."""
    if request.param == "sqlite":
        url = str(tmp_path / "news.db")
    else:
        url = request.getfixturevalue("postgres_url")
    with open_store(url) as s:
        yield s
        if request.param == "postgres":
            _empty(s)


def _empty(store) -> None:
    from newsweave.store.schema import metadata

    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def test_reingest_is_idempotent_and_changes_update(store) -> None:
    assert store.upsert_article(_article()) == "new"
    assert store.upsert_article(_article()) == "unchanged"
    assert store.upsert_article(_article(text="The port reopened on Friday.")) == "updated"
    assert store.count_articles() == 1
    assert store.get_article("a1").text == "The port reopened on Friday."


def test_changed_article_drops_its_stale_analysis(store) -> None:
    art = _article()
    store.upsert_article(art)
    store.save_analyses([AnalyzedArticle(art, sentences=[Sentence("a1", 0, 0, 5, "The p")])])
    assert store.unanalyzed_ids() == []
    store.upsert_article(_article(text="Entirely new text."))
    assert store.unanalyzed_ids() == ["a1"]
    assert store.load_analyses(["a1"]) == []


def test_full_text_search_finds_words_and_snippets(store) -> None:
    store.upsert_article(_article("a1"))
    store.upsert_article(_article("a2", text="Central bank holds rates at 4.5 percent.", title="Rates held"))
    hits = store.search_articles("bank rates")
    assert [a.id for a, _ in hits] == ["a2"]
    assert "[" in hits[0][1]
    assert store.search_articles("!!!") == []


def test_stories_entities_quotes_round_trip(store) -> None:
    for i in ("a1", "a2"):
        store.upsert_article(_article(i, text=f"Text {i}."))
    lavrov = Entity("e1", "Sergei Lavrov", "PERSON", ["Sergei Lavrov", "Sergey Lavrov"], ["a1"], 3)
    story = Story(
        "s1",
        "Talks in Moscow",
        ["a1", "a2"],
        events=[Event("ev1", "Talks", ["a1", "a2"], "2024-01-15", "2024-01-16")],
        entities=[lavrov],
        quotes=[StoryQuote("Sergei Lavrov", "e1", "We talked.", "direct", "a1")],
    )
    store.save_stories([story])
    store.save_entities([lavrov])
    assert store.get_story("s1") == story
    assert [s.id for s in store.list_stories(outlet="Ledger")] == ["s1"]
    assert [s.id for s in store.list_stories(entity="e1")] == ["s1"]
    assert store.list_stories(since="2025-01-01") == []
    assert [e.id for e in store.find_entities("sergey")] == ["e1"]
    assert [q.text for q in store.find_quotes("Sergey Lavrov")] == ["We talked."]
    # a later assignment moves a2 to a new story; the old story keeps only a1
    store.save_stories([Story("s2", "Follow-up", ["a2"])])
    assert store.stories_of_article("a2") == ["s2"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "nope" / "news.db"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with open_store(str(path)) as s:
        s.upsert_article(_article())
    path.chmod(stat.S_IRUSR)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with open_store(str(path)) as s, pytest.raises(StoreError, match="read-only"):
            s.upsert_article(_article("a2"))
    finally:
        tmp_path.chmod(stat.S_IRWXU)
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="not a newsweave database"):
        open_store(str(bad))


def test_read_only_connection_is_a_clear_error_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with open_store(str(path)) as s:
        s.upsert_article(_article())
    with open_store(f"sqlite:///file:{path}?mode=ro&uri=true") as ro:
        assert ro.get_article("a1") is not None
        with pytest.raises(StoreError, match="read-only"):
            ro.upsert_article(_article("a2", text="Other text."))
    with open_store(str(path)) as s:
        assert s.count_articles() == 1


def test_schema_version_recorded_and_newer_schema_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "v.db")
    with open_store(path) as s:
        assert s.get_state("schema_version") == SCHEMA_VERSION
        s.set_state("schema_version", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="newer newsweave"):
        open_store(path)


def test_a_state_in_parts_is_kept_a_row_per_part_and_replaced_whole(store) -> None:
    from sqlalchemy import text

    store.set_state_parts(
        "clusterer", iter([("version", 5), ("members", {"a1": "AAAA"}), ("stories", [1, 2])])
    )
    store.set_state_parts("clusterer", iter([("version", 6), ("members", {"a2": "BBBB"})]))  # a part dropped
    store.set_state(
        "clusterer-other", {"/a/b.html": [1, 2.5]}
    )  # a plain dict is one row; a shared prefix stays apart
    assert store.get_state("clusterer") == {"version": 6, "members": {"a2": "BBBB"}}
    assert store.get_state("clusterer-other") == {"/a/b.html": [1, 2.5]}
    with store.engine.connect() as conn:
        keys = sorted(r[0] for r in conn.execute(text("SELECT key FROM state WHERE key LIKE 'clusterer%'")))
    assert keys == ["clusterer", "clusterer-other", "clusterer/0", "clusterer/1"]
    store.set_state("clusterer", 3)  # a plain value replaces the parts too
    assert store.get_state("clusterer") == 3 and store.get_state("clusterer-other") == {"/a/b.html": [1, 2.5]}
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM state WHERE key LIKE 'clusterer/%'")).scalar_one() == 0


def test_a_state_part_that_did_not_change_is_not_written_again(store) -> None:
    from sqlalchemy import text

    def row(key: str) -> str:
        with store.engine.connect() as conn:
            return str(conn.execute(text("SELECT value FROM state WHERE key = :k"), {"k": key}).scalar_one())

    store.set_state_parts("clusterer", iter([("docs", 1), ("index", "AAAA"), ("counted", ["a"])]))
    # the index's row is marked behind the store's back: a rewrite would replace the mark
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE state SET value = '\"marked\"' WHERE key = 'clusterer/1'"))
    store.set_state_parts("clusterer", iter([("docs", 2), ("index", "AAAA"), ("counted", ["a", "b"])]))
    assert row("clusterer/1") == '"marked"'
    assert store.get_state("clusterer")["counted"] == ["a", "b"] and store.get_state("clusterer")["docs"] == 2
    store.set_state_parts("clusterer", iter([("docs", 2), ("index", "BBBB")]))  # changed, and one fewer
    assert store.get_state("clusterer") == {"docs": 2, "index": "BBBB"}
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM state WHERE key LIKE 'clusterer/%'")).scalar_one() == 2


def test_state_items_are_read_by_prefix_or_by_name_without_the_others(store) -> None:
    items = [("h/s-1", "1"), ("h/s-2", "2"), ("H/s-3", "3"), ("t/a", '"A"'), ("t/b", '"B"'), ("ta", "0")]
    store.set_state_parts("clusterer", iter([("version", 1)]), iter(items))
    assert store.get_state_items("clusterer", prefix="h/") == {"h/s-1": "1", "h/s-2": "2"}
    assert store.get_state_items("clusterer", prefix="t/", names=["t/b", "t/c", "h/s-1"]) == {"t/b": '"B"'}
    assert store.get_state_items("clusterer", names=["ta", "h/s-2"]) == {"ta": "0", "h/s-2": "2"}
    assert len(store.get_state_items("clusterer")) == len(items)


def test_long_state_keys_are_kept_apart(store) -> None:
    # a watched feed's state is keyed by its URL, which can be longer than the key column
    base = "watch:https://example.org/" + "section/" * 20
    store.set_state(base + "feed-a.xml", {"etag": "a"})
    store.set_state(base + "feed-b.xml", {"etag": "b"})
    store.set_state_parts(base + "parts", iter([("x", 1)]))
    assert store.get_state(base + "feed-a.xml") == {"etag": "a"}
    assert store.get_state(base + "feed-b.xml") == {"etag": "b"}
    assert store.get_state(base + "parts") == {"x": 1}


def test_a_state_written_whole_by_an_older_version_still_loads(store) -> None:
    import json

    from sqlalchemy import text

    with store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO state (key, value) VALUES ('clusterer', :v)"),
            {"v": json.dumps({"version": 4, "members": {}})},
        )
    assert store.get_state("clusterer") == {"version": 4, "members": {}}


def test_a_schema_1_database_is_migrated_in_place(tmp_path: Path) -> None:
    from sqlalchemy import inspect, text

    path = str(tmp_path / "old.db")
    with open_store(path) as s:
        s.upsert_article(_article())
        with s.engine.begin() as conn:  # make it look like a database written before schema 2
            conn.execute(text("DROP TABLE sentence_vectors"))
        s.set_state("schema_version", 1)
    with open_store(path) as s:
        assert "sentence_vectors" in inspect(s.engine).get_table_names()
        assert s.get_state("schema_version") == SCHEMA_VERSION
        assert s.count_articles() == 1 and s.load_sentence_vectors(["a1"]) == {}


def test_analyses_stored_before_schema_3_count_as_made_by_another_analyzer(tmp_path: Path) -> None:
    from sqlalchemy import inspect, text

    path = str(tmp_path / "old.db")
    with open_store(path) as s:
        s.upsert_articles([_article("a1"), _article("a2", text="Rates held.")])
        s.save_analyses([AnalyzedArticle(s.get_article("a1"))], "old")
        with s.engine.begin() as conn:  # a schema-2 table has no analyzer column (nor schema 7's index)
            conn.execute(text("DROP INDEX analyses_current"))
            conn.execute(text("ALTER TABLE analyses DROP COLUMN analyzer"))
        s.set_state("schema_version", 2)
    with open_store(path) as s:
        assert "analyzer" in {c["name"] for c in inspect(s.engine).get_columns("analyses")}
        assert s.get_state("schema_version") == SCHEMA_VERSION
        assert s.stale_analysis_ids("any") == ["a1"]  # analysed, by something unknown; a2 is unanalysed
        assert s.unanalyzed_ids() == ["a2"]


def test_stale_analyses_are_those_another_analyzer_made(store) -> None:
    store.upsert_articles([_article("a1"), _article("a2", text="Rates held."), _article("a3", text="Rain.")])
    store.save_analyses(
        [AnalyzedArticle(store.get_article("a1")), AnalyzedArticle(store.get_article("a2"))], "new"
    )
    store.save_analyses([AnalyzedArticle(store.get_article("a3"))], "old")
    assert store.stale_analysis_ids("new") == ["a3"]
    assert store.stale_analysis_ids("old") == ["a1", "a2"]
    assert store.count_stale_analyses("new") == 1 and store.count_stale_analyses("old") == 2
    store.upsert_article(_article("a3", text="Heavy rain."))  # a changed text is unanalysed, not stale
    assert store.stale_analysis_ids("new") == [] and store.unanalyzed_ids() == ["a3"]
    assert store.count_stale_analyses("new") == 0


def test_deleted_state_is_gone_with_its_parts(store) -> None:
    store.set_state_parts("clusterer", [("a", [1]), ("b", {"x": 2})])
    store.set_state("clusterer_other", 1)
    store.delete_state("clusterer")
    assert store.get_state("clusterer") is None and store.get_state("clusterer_other") == 1
    with store.engine.connect() as conn:
        from newsweave.store.schema import state

        keys = [r[0] for r in conn.execute(state.select())]
    assert not [k for k in keys if k.startswith("clusterer/")]


def test_sentence_vectors_are_stored_apart_and_dropped_with_a_changed_text(store) -> None:
    import numpy as np

    art = _article()
    store.upsert_article(art)
    rows = np.eye(2, 384, dtype=np.float32)
    sentences = [
        Sentence("a1", 0, 0, 26, "The port reopened on Thursday"),
        Sentence("a1", 1, 27, 46, "after a strike."),
    ]
    title = np.full(384, 1 / np.sqrt(384), dtype=np.float32)
    store.save_analyses(
        [AnalyzedArticle(art, sentences=sentences, sentence_vectors=rows, title_vector=title)]
    )
    assert store.load_analyses(["a1"])[0].sentence_vectors is None  # the analysis JSON stays small
    loaded = store.load_sentence_vectors(["a1", "missing"])
    assert list(loaded) == ["a1"]
    assert np.allclose(loaded["a1"][0], rows, atol=1e-3) and np.allclose(loaded["a1"][1], title, atol=1e-3)
    store.upsert_article(_article(text="Entirely new text."))
    assert store.load_sentence_vectors(["a1"]) == {}


def test_names_only_analyses_carry_mentions_and_quotes_without_the_text(store) -> None:
    from newsweave.model import Mention, Quote

    art = _article()
    store.upsert_article(art)
    mention = Mention(article_id="a1", text="Anna Kovacs", type="PERSON", start=0, end=11, sentence=0)
    quote = Quote(
        article_id="a1",
        speaker="Anna Kovacs",
        text="We will reopen",
        kind="direct",
        sentence=0,
        start=0,
        end=14,
    )
    store.save_analyses(
        [
            AnalyzedArticle(
                art, sentences=[Sentence("a1", 0, 0, 5, "The p")], mentions=[mention], quotes=[quote]
            )
        ]
    )
    (slim,) = store.load_analyses(["a1", "missing"], names_only=True)
    assert slim.article.id == "a1" and slim.article.text == "" and slim.sentences == []
    assert [m.text for m in slim.mentions] == ["Anna Kovacs"] and [q.text for q in slim.quotes] == [
        "We will reopen"
    ]
    store.upsert_article(_article(text="Entirely new text."))  # a stale analysis is not read
    assert store.load_analyses(["a1"], names_only=True) == []


def test_a_batch_of_articles_is_stored_at_once_with_each_status(store) -> None:
    store.upsert_article(_article("a1"))
    store.upsert_article(_article("a2"))
    batch = [
        _article("a1"),
        _article("a2", text="A new text for a2."),
        _article("a3"),
        _article("a3", text="The copy read later wins."),
    ]
    assert store.upsert_articles(batch) == ["unchanged", "updated", "new", "updated"]
    assert store.count_articles() == 3
    assert store.get_article("a3").text == "The copy read later wins."
    assert [a.id for a, _ in store.search_articles("copy")] == ["a3"]  # searchable at once
    assert [a.id for a, _ in store.search_articles("strike")] == ["a1"]


def test_a_story_revision_changes_only_when_that_story_is_written(store) -> None:
    from newsweave.model import Story

    a, b = Story(id="s-a", headline="A", articles=["x1"]), Story(id="s-b", headline="B", articles=["x2"])
    store.save_stories([a, b])
    first_a, first_b = store.story_revision("s-a"), store.story_revision("s-b")
    assert first_a and first_b
    store.save_stories([Story(id="s-b", headline="B, later", articles=["x2"])])
    assert store.story_revision("s-a") == first_a  # a reader's cached view of A is still right
    assert store.story_revision("s-b") not in (None, first_b)
    assert store.story_revision("no-such-story") is None


def test_an_analysis_comes_back_as_it_was_saved(store) -> None:
    from newsweave.model import DateRef, Mention, Quote

    art = _article()
    store.upsert_article(art)
    speaker = Mention(
        article_id="a1",
        text="Anna Kovacs",
        type="PERSON",
        start=0,
        end=11,
        sentence=0,
        title="harbour master",
        entity_id="person-kovacs",
    )
    saved = AnalyzedArticle(
        art,
        sentences=[Sentence("a1", 0, 0, 29, "The port reopened on Thursday")],
        mentions=[speaker],
        quotes=[
            Quote(
                article_id="a1",
                speaker="Kovacs",
                text="We will reopen",
                kind="direct",
                sentence=0,
                start=0,
                end=14,
                cue="said",
                speaker_mention=speaker,
            )
        ],
        dates=[DateRef("a1", 0, 21, 29, "Thursday", "2024-01-18", "day", "published:2024-01-15")],
        vector=[0.6, 0.8],
    )
    store.save_analyses([saved])
    (loaded,) = store.load_analyses(["a1"])
    assert loaded == saved


def test_publication_dates_of_stored_articles(store) -> None:
    store.upsert_articles([_article("a1", published="2024-01-15"), _article("a2")])
    assert store.publication_dates(["a2", "a1", "missing"]) == {"a1": "2024-01-15", "a2": None}


def test_storing_new_articles_does_not_scan_the_search_index(tmp_path: Path) -> None:
    # FTS5 finds rows by their words only: each delete by id reads the whole index, which made a
    # backfill quadratic. Only replaced articles may be deleted from it, in one statement a batch.
    from sqlalchemy import event

    with open_store(str(tmp_path / "n.db")) as store:
        statements: list[str] = []
        event.listen(
            store.engine,
            "before_cursor_execute",
            lambda conn, cursor, sql, params, context, many: statements.append(sql),
        )
        store.upsert_articles([_article(f"n{i}") for i in range(50)])
        assert not [s for s in statements if "DELETE FROM articles_fts" in s]
        store.upsert_articles(
            [_article(f"n{i}", text=f"Port {i} reopened after the storm.") for i in range(3)]
        )
        assert len([s for s in statements if "DELETE FROM articles_fts" in s]) == 1
        assert sorted(a.id for a, _ in store.search_articles("storm")) == ["n0", "n1", "n2"]
        assert len(store.search_articles("strike", limit=100)) == 47  # the replaced texts are gone


def _named_analysis(store, article_id: str = "a1") -> None:
    from newsweave.model import Mention, Quote

    art = _article(article_id)
    store.upsert_article(art)
    mention = Mention(article_id=article_id, text="Anna Kovacs", type="PERSON", start=0, end=11, sentence=0)
    quote = Quote(
        article_id=article_id,
        speaker="Anna Kovacs",
        text="We will reopen",
        kind="direct",
        sentence=0,
        start=0,
        end=14,
        speaker_mention=mention,
    )
    store.save_analyses([AnalyzedArticle(art, mentions=[mention], quotes=[quote])])


def test_a_schema_4_store_gets_its_names_projection_from_the_analyses_already_stored(store) -> None:
    from sqlalchemy import text

    _named_analysis(store)
    with store.engine.begin() as conn:  # a store written before schema 5 has no projection
        conn.execute(text("DROP TABLE article_names"))
    store.set_state("schema_version", 4)
    with open_store(store.url) as again:
        assert again.get_state("schema_version") == SCHEMA_VERSION
        (slim,) = again.load_analyses(["a1"], names_only=True)
    assert [m.text for m in slim.mentions] == ["Anna Kovacs"]
    assert slim.quotes[0].text == "We will reopen" and slim.quotes[0].speaker_mention.text == "Anna Kovacs"


def _projected(store) -> list[str]:
    from newsweave.store.schema import article_names

    with store.engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(article_names.select()))


def test_the_names_projection_goes_with_a_changed_text_and_a_removed_article(store) -> None:
    _named_analysis(store, "a1")
    _named_analysis(store, "a2")
    assert _projected(store) == ["a1", "a2"]
    store.upsert_article(_article("a1", text="Entirely new text."))
    store.remove_articles(["a2"])
    assert _projected(store) == []


def test_marking_stories_changed_gives_a_new_stories_revision(store) -> None:
    store.mark_stories_changed()
    first = store.stories_revision()
    store.mark_stories_changed()
    assert first is not None and store.stories_revision() not in (None, first)


def test_a_read_that_fails_in_the_database_is_a_store_error(tmp_path: Path) -> None:
    from sqlalchemy import text

    with open_store(str(tmp_path / "news.db")) as s:
        with s.engine.begin() as conn:
            conn.execute(text("DROP TABLE articles"))
        with pytest.raises(StoreError, match="no such table: articles"):
            s.count_articles()


def test_saving_entities_again_keeps_exactly_the_new_set(store) -> None:
    lavrov = Entity("e1", "Sergei Lavrov", "PERSON", ["Sergei Lavrov"], ["a1"], 1)
    choe = Entity("e2", "Choe Son Hui", "PERSON", ["Choe Son Hui"], ["a1"], 1)
    store.save_entities([lavrov, choe])
    moscow = Entity("e3", "Moscow", "GPE", ["Moscow"], ["a2"], 1)
    lavrov_again = Entity("e1", "Sergei Lavrov", "PERSON", ["Sergei Lavrov", "Lavrov"], ["a1", "a2"], 3)
    store.save_entities([moscow, lavrov_again])
    assert store.list_entities() == [lavrov_again, moscow]
    assert store.get_entity("e2") is None and store.count_entities() == 2
    with pytest.raises(StoreError, match="two entities share the id e3"):
        store.save_entities([moscow, moscow])
    assert store.count_entities() == 2


def test_an_analysis_without_its_names_row_still_gives_its_names(store) -> None:
    from sqlalchemy import delete

    from newsweave.store.schema import article_names

    _named_analysis(store, "a1")
    _named_analysis(store, "a2")
    with store.engine.begin() as conn:  # as an analysis copied in by SQL would be
        conn.execute(delete(article_names).where(article_names.c.article_id == "a2"))
    found = store.load_analyses(["a2", "a1", "none"], names_only=True)
    assert [a.article.id for a in found] == ["a2", "a1"]
    assert [[m.text for m in a.mentions] for a in found] == [["Anna Kovacs"], ["Anna Kovacs"]]


def test_an_article_is_unplaced_from_its_storing_or_a_new_text_until_the_clusterer_places_it(store) -> None:
    store.upsert_articles([_article("a1"), _article("a2", text="Rates held.")])
    assert store.unplaced_ids() == ["a1", "a2"]
    store.placed(["a1"])
    assert store.unplaced_ids() == ["a2"]
    store.upsert_article(_article("a1"))  # the same text: still placed
    assert store.unplaced_ids() == ["a2"]
    store.upsert_article(_article("a1", text="The port stayed shut."))  # a new text is placed again
    assert store.unplaced_ids() == ["a1", "a2"]
    store.remove_articles(["a2"])
    assert store.unplaced_ids() == ["a1"]


def test_a_schema_7_store_upgraded_counts_every_article_unplaced(store) -> None:
    from sqlalchemy import text

    store.upsert_articles([_article("a1"), _article("a2", text="Rates held.")])
    store.placed(["a1", "a2"])
    with store.engine.begin() as conn:  # a store written before schema 8 has no such table
        conn.execute(text("DROP TABLE unplaced"))
    store.set_state("schema_version", 7)
    with open_store(store.url) as again:
        assert again.get_state("schema_version") == SCHEMA_VERSION
        assert again.unplaced_ids() == ["a1", "a2"]  # which the clusterer holds, only it knows


def test_kept_claim_parses_are_read_back_only_while_the_text_is_unchanged(store) -> None:
    store.upsert_article(_article("a1"))
    store.upsert_article(_article("a2"))
    frames = {
        "k1": {"d": [[0, "arrival", "Kim"]], "c": [[1.0, float("inf"), "1", "ship", None, None, "1 ship"]]}
    }
    store.save_claim_parses({"a1": frames, "a2": {"k2": {}}, "gone": {"k3": {}}})
    assert store.load_claim_parses(["a1", "a2", "gone"]) == {"a1": frames, "a2": {"k2": {}}}
    store.save_claim_parses({"a1": {"k4": {}}})  # a fill's parses replace the article's earlier ones
    assert store.load_claim_parses(["a1"]) == {"a1": {"k4": {}}}
    store.upsert_article(_article("a1", text="Entirely new text."))
    store.remove_articles(["a2"])
    assert store.load_claim_parses(["a1", "a2"]) == {}


def test_kept_verdicts_are_merged_across_a_storys_old_ids_and_dropped_with_the_story(store) -> None:
    for a in ("a1", "a2"):
        store.upsert_article(_article(a))
    store.save_stories(
        [Story(id="s1", headline="One", articles=["a1"]), Story(id="s2", headline="Two", articles=["a2"])]
    )
    store.save_story_verdicts(
        {"s1": ("judge-1", {"p1": [0.9, 0.0, 0.1, 0.0]}), "s2": ("judge-1", {"p2": [0.1, 0.2, 0.3, 0.4]})}
    )
    assert store.load_story_verdicts(["s1", "s2", "none"]) == {
        "judge-1": {"p1": [0.9, 0.0, 0.1, 0.0], "p2": [0.1, 0.2, 0.3, 0.4]}
    }
    # s1 takes a2 from s2, which is then gone with its verdicts
    store.save_stories([Story(id="s1", headline="One", articles=["a1", "a2"])])
    store.save_story_verdicts({"s1": ("judge-2", {"p3": [0.5, 0.5, 0.0, 0.0]})})
    assert store.load_story_verdicts(["s1", "s2"]) == {"judge-2": {"p3": [0.5, 0.5, 0.0, 0.0]}}
