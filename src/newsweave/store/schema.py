"""The store's tables and the migrations that bring an older store to :data:`SCHEMA_VERSION`.

One schema for SQLite and PostgreSQL, written with SQLAlchemy Core; only full-text search
differs (FTS5 on SQLite, a ``tsvector`` index on PostgreSQL). A new version appends a step to
:data:`MIGRATIONS`; a step is run once, inside the writers' lock, with the connection (whose
``dialect.name`` says SQLite or PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection

STATE_KEY_CHARS = 100

metadata = MetaData()
articles = Table(
    "articles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("outlet", String(300)),
    Column("published", String(10), index=True),
    Column("url", Text),
    Column("path", Text),
    Column("body", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("added_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
analyses = Table(
    "analyses",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Column("analyzer", String(300)),  # the models and settings that made it (analyze.analyzer_id); schema 3
)
# Which analysis is current, and by which analyzer, without reading the analysis JSON (schema 7):
# every ingest asks which articles lack a current analysis and which an older analyzer made, and
# those scans read every analysis row (0.34 and 0.60 CPU s at 100k articles; 0.17 and 0.15 with
# these covering indexes)
ANALYSES_CURRENT = Index(
    "analyses_current", analyses.c.article_id, analyses.c.content_hash, analyses.c.analyzer
)
ARTICLES_HASH = Index("articles_hash", articles.c.id, articles.c.content_hash)
# One row per analysed article: its sentence embeddings as float16 bytes, kept out of the
# analysis JSON so that loading every analysis (entity resolution does) stays small.
sentence_vectors = Table(
    "sentence_vectors",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("title", LargeBinary),  # the title's own vector, same encoding
)
# The names of each analysis (schema 5): its mentions and quotes as JSON lists, written in the
# same transaction as the analysis, so entity resolution reads them without the analysis JSON
# (sentences, dates) that makes up most of it.
article_names = Table(
    "article_names",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("mentions", Text, nullable=False),
    Column("quotes", Text, nullable=False),
)
stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("first_date", String(10)),
    Column("last_date", String(10), index=True),
    Column("n_articles", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("score", Float, nullable=False, default=0.0),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)
story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(64), primary_key=True),
    Column("article_id", String(200), primary_key=True, index=True),
)
entities = Table(
    "entities",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(20), nullable=False),
    Column("aliases", Text, nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("tally", Text),  # its counts over its mentions, which an increment updates (schema 7)
)
# Each entity's articles, with how many of its mentions each writes (schema 7): kept a row each, so
# an ingest adds and takes off the rows of its articles instead of rewriting an entity's list.
entity_articles = Table(
    "entity_articles",
    metadata,
    Column("entity_id", String(64), primary_key=True),
    Column("article_id", String(200), primary_key=True, index=True),
    Column("mentions", Integer, nullable=False),
)
# Where an increment finds the stored names that could decide its own (schema 7): a few articles
# per name (type and text) under each of the name's lookup keys (names.resolve.lookup_keys).
name_keys = Table(
    "name_keys",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("name", String(400), primary_key=True),
    Column("article_id", String(200), primary_key=True, index=True),
)
# How many articles write each name (its text key) that joined no person (schema 7): a part of a
# longer name written alone in enough other articles is a name of its own ("White House").
name_counts = Table(
    "name_counts",
    metadata,
    Column("name", String(400), primary_key=True),
    Column("articles", Integer, nullable=False),
)
# The entity of each mention and quote of an article, as its last resolution left them, and what
# the article gave each entity's tally (schema 7). Kept when the text changes (the next resolution
# takes the old part off) and gone with the article.
name_resolution = Table(
    "name_resolution",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("entities", Text, nullable=False),
)
state = Table(
    "state",
    metadata,
    Column("key", String(STATE_KEY_CHARS), primary_key=True),
    Column("value", Text, nullable=False),
)
# A state kept one row per item (schema 6): the clusterer's stories and articles, so that a run
# writes back only the rows of what it changed (at 100k articles the whole state is ~160 MB of
# JSON, and writing it took 5.8 s of a 10-article ingest).
state_items = Table(
    "state_items",
    metadata,
    Column("key", String(STATE_KEY_CHARS), primary_key=True),
    Column("item", String(240), primary_key=True),
    Column("value", Text, nullable=False),
)
# Articles whose analysis failed (schema 4): kept and searchable, left out of analysis and
# stories until their text changes or they are removed, so one bad article never blocks an ingest.
quarantine = Table(
    "quarantine",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)
# Articles whose current text the clusterer has not placed yet: new or changed ones (a row is
# written with the text), until their story is saved. What an ingest analyses and clusters is
# read from here instead of from every stored article (at 100k articles, the two scans that
# found them were 0.26 s of every ingest).
unplaced = Table("unplaced", metadata, Column("article_id", String(200), primary_key=True))
# What a story's fill learnt that its next fill would otherwise compute again (schema 9): the
# parses of the sentences it compared, per article (JSON: sentence key -> frames, story.claims),
# and the support judge's verdicts of the pairs the story's last fill asked (JSON: pair key ->
# the four probabilities, under the judge model's id). Ten articles into a 100k store reach
# 23-27 stories of 1-45 members, nearly all read by the fill before (docs/SCALING.md, stop 38).
claim_parses = Table(
    "claim_parses",
    metadata,
    Column("article_id", String(200), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("data", Text, nullable=False),
)
story_verdicts = Table(
    "story_verdicts",
    metadata,
    Column("story_id", String(64), primary_key=True),
    Column("judge", String(200), nullable=False),
    Column("data", Text, nullable=False),
)
OWN_TABLES = frozenset(metadata.tables) | {"articles_fts"}
# what is made of an article's text, one row per article: a changed text drops it
MADE_FROM_TEXT = (
    (analyses, analyses.c.article_id),
    (sentence_vectors, sentence_vectors.c.article_id),
    (article_names, article_names.c.article_id),
    (name_keys, name_keys.c.article_id),
    (claim_parses, claim_parses.c.article_id),
)
# what removing an article removes beside its row (its story links are the stories' business)
PER_ARTICLE = (
    *MADE_FROM_TEXT,
    (quarantine, quarantine.c.article_id),
    (name_resolution, name_resolution.c.article_id),
    (unplaced, unplaced.c.article_id),
)


def _v1_initial_schema(conn: Connection) -> None:
    metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                "id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')"
            )
        )
    else:
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS articles_fts_idx ON articles "
                "USING gin (to_tsvector('english', title || ' ' || body))"
            )
        )


def _v2_sentence_vectors(conn: Connection) -> None:
    sentence_vectors.create(conn, checkfirst=True)


def _v3_analyzer(conn: Connection) -> None:
    # a store made at this version already has the column (_v1 creates the tables as now)
    if "analyzer" not in {c["name"] for c in inspect(conn).get_columns("analyses")}:
        conn.execute(text("ALTER TABLE analyses ADD COLUMN analyzer VARCHAR(300)"))


def _v4_quarantine(conn: Connection) -> None:
    quarantine.create(conn, checkfirst=True)


def _v5_article_names(conn: Connection) -> None:
    """The names projection, filled from the analyses already stored.

    The database cuts the lists out of each analysis itself (a store of 100k analyses is
    ~1 GB of JSON); a dialect without JSON functions gets them cut in Python.
    """
    article_names.create(conn, checkfirst=True)
    conn.execute(delete(article_names))
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        part = "json_extract(data, '$.{0}')" if dialect == "sqlite" else "(data::json -> '{0}')::text"
        conn.execute(
            text(
                "INSERT INTO article_names (article_id, content_hash, mentions, quotes) "
                f"SELECT article_id, content_hash, coalesce({part.format('mentions')}, '[]'), "
                f"coalesce({part.format('quotes')}, '[]') FROM analyses"
            )
        )
        return
    for article_id, content_hash, data in conn.execute(
        select(analyses.c.article_id, analyses.c.content_hash, analyses.c.data)
    ).all():
        record = json.loads(data)
        conn.execute(
            insert(article_names).values(
                article_id=article_id,
                content_hash=content_hash,
                mentions=json.dumps(record.get("mentions", []), ensure_ascii=False),
                quotes=json.dumps(record.get("quotes", []), ensure_ascii=False),
            )
        )


def _v6_state_items(conn: Connection) -> None:
    state_items.create(conn, checkfirst=True)


def _v7_incremental_names(conn: Connection) -> None:
    """Tables for resolving an ingest's names without reading every stored one; empty until the
    next full resolution fills them (an ingest finds them incomplete and resolves everything)."""
    name_keys.create(conn, checkfirst=True)
    name_resolution.create(conn, checkfirst=True)
    name_counts.create(conn, checkfirst=True)
    entity_articles.create(conn, checkfirst=True)
    ANALYSES_CURRENT.create(conn, checkfirst=True)
    ARTICLES_HASH.create(conn, checkfirst=True)
    if "tally" not in {c["name"] for c in inspect(conn).get_columns("entities")}:
        conn.execute(text("ALTER TABLE entities ADD COLUMN tally TEXT"))


def _v8_unplaced(conn: Connection) -> None:
    """Every stored article starts unplaced: which of them the clusterer holds is known only to
    it, and the first ingest after the upgrade takes off those it does."""
    unplaced.create(conn, checkfirst=True)
    conn.execute(delete(unplaced))
    conn.execute(text("INSERT INTO unplaced (article_id) SELECT id FROM articles"))


def _v9_fill_memory(conn: Connection) -> None:
    """Tables a story's fill reads back instead of parsing and judging again; empty until the
    next fill of each story."""
    claim_parses.create(conn, checkfirst=True)
    story_verdicts.create(conn, checkfirst=True)


# Schema migrations, applied in order to both backends; a new version appends a step here.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "articles, analyses, stories, entities, state; full-text index", _v1_initial_schema),
    (2, "sentence embeddings computed at analysis time", _v2_sentence_vectors),
    (3, "which models and settings made each analysis", _v3_analyzer),
    (4, "articles whose analysis failed, with the reason", _v4_quarantine),
    (5, "each analysis's mentions and quotes apart, for entity resolution", _v5_article_names),
    (6, "states kept one row per item, written back only where they changed", _v6_state_items),
    (
        7,
        "name lookup keys, each mention's entity and entity tallies, for incremental resolution",
        _v7_incremental_names,
    ),
    (8, "the articles the clusterer has not placed yet", _v8_unplaced),
    (9, "sentence parses and judge verdicts kept from stories' fills", _v9_fill_memory),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
