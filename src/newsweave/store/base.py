"""The store: one schema for SQLite and PostgreSQL, through SQLAlchemy Core.

Each write is its own transaction, so a killed process leaves every article
either fully stored or not at all, and a re-run picks up where it stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy import bindparam, create_engine, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from newsweave.model import AnalyzedArticle, Article, Entity, Story, StoryQuote
from newsweave.store.schema import (
    MADE_FROM_TEXT,
    MIGRATIONS,
    OWN_TABLES,
    PER_ARTICLE,
    SCHEMA_VERSION,
    STATE_KEY_CHARS,
    analyses,
    article_names,
    articles,
    claim_parses,
    entities,
    entity_articles,
    name_counts,
    name_keys,
    name_resolution,
    quarantine,
    sentence_vectors,
    state,
    state_items,
    stories,
    story_articles,
    story_verdicts,
    unplaced,
)
from newsweave.store.serialize import (
    analyzed_from_dict,
    analyzed_to_dict,
    article_from_dict,
    entity_from_dict,
    story_from_dict,
)

UpsertResult = Literal["new", "updated", "unchanged"]
STORIES_REVISION_KEY = "stories_revision"
ITEMS_BATCH = 500  # state items written per statement (an IN list of 500 names stays well under the limits)
PARTS = "__parts__"  # a state stored one row per part lists the parts' names under this name
DIGESTS = "__digests__"  # ... and each part's digest, so a part that did not change is not written again
WRITE_LOCK_KEY = 0x6E657773  # "news": PostgreSQL's advisory lock taken by every write transaction

# built once: cached pages and search answers ask for a revision on every request
_STORY_REVISION = select(stories.c.updated_at).where(stories.c.id == bindparam("story_id"))
_STATE_VALUE = select(state.c.value).where(state.c.key == bindparam("key"))
_DELETE_FTS_ROWS = text("DELETE FROM articles_fts WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


class StoreError(RuntimeError):
    """The database cannot be used; the message says why and what to do."""


def _now(precise: bool = False) -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds" if precise else "seconds")


def _url(target: str) -> str:
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def _explain(exc: Exception, where: str) -> StoreError:
    message = str(getattr(exc, "orig", exc))
    if "readonly" in message or "read-only" in message:
        reason = "the database is read-only (check the file's permissions)"
    elif "disk is full" in message or "No space left" in message:
        reason = "the disk is full; nothing was half-written, free space and re-run"
    elif "unable to open" in message:
        reason = "cannot open the database file (does its folder exist?)"
    elif "not a database" in message:
        reason = "the file is not a newsweave database"
    elif "malformed" in message or "disk I/O error" in message:
        reason = (
            "the database file is damaged; restore it from a backup, or try "
            "`sqlite3 FILE .recover | sqlite3 NEW.db` and open NEW.db"
        )
    else:
        reason = message.splitlines()[0]
    return StoreError(f"{where}: {reason}")


class Store:
    """Articles, analyses, stories and entities, with full-text search."""

    def __init__(self, target: str):
        self.url = _url(target)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = self.url.split("sqlite:///", 1)[-1]
            if (
                path
                and path != ":memory:"
                and not path.startswith("file:")
                and not Path(path).parent.exists()
            ):
                raise StoreError(
                    f"{path}: cannot create the database, folder {Path(path).parent} does not exist"
                )
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except Exception as exc:  # bad URL, missing driver: both deserve one clear line
            raise StoreError(f"{target}: {exc}") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # a damaged file fails reads too (a corrupt page): every statement's error is explained
        event.listen(self.engine, "handle_error", self._damaged)
        try:
            self._migrate()
        except (OperationalError, DatabaseError) as exc:
            if not self._reopen_read_only(str(getattr(exc, "orig", exc))):
                raise _explain(exc, self.describe()) from exc

    def _reopen_read_only(self, message: str) -> bool:
        """A store on a read-only disk: SQLite cannot make the shared-memory file a WAL database
        is read through, and fails to open it at all. Nothing can change such a file, so it is
        opened as immutable, for reading. False when that is not the case here."""
        path = self.url.split("sqlite:///", 1)[-1] if self.is_sqlite else ""
        if (
            "unable to open" not in message
            or not path
            or path.startswith("file:")
            or not Path(path).is_file()
        ):
            return False
        if os.access(Path(path).parent, os.W_OK):
            return False
        self.engine.dispose()
        self.url = f"sqlite:///file:{Path(path).resolve()}?mode=ro&immutable=1&uri=true"
        self.engine = create_engine(self.url, future=True)
        event.listen(self.engine, "handle_error", self._damaged)
        with self._explained():
            self._migrate()
        return True

    def _damaged(self, context: Any) -> None:
        message = str(context.original_exception)
        if any(m in message for m in ("malformed", "not a database", "disk I/O error")):
            raise _explain(context.original_exception, self.describe())

    def describe(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # -- schema -------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Bring the schema to :data:`SCHEMA_VERSION`, one recorded step at a time.

        Reading the version needs no write: a store on a read-only disk opens for reading. The
        steps run inside the writers' lock (:meth:`_writing`), the version read again there, so
        two processes opening a new store at once create it once.
        """
        with self.engine.connect() as conn:
            if self._schema_version(conn) == SCHEMA_VERSION:
                return
        with self._writing() as conn:
            current = self._schema_version(conn)
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.describe()}: written by a newer newsweave (schema {current}); upgrade newsweave"
                )
            if current == 0:
                self._refuse_foreign(conn)
            state.create(conn, checkfirst=True)
            for version, _description, step in MIGRATIONS:
                if version > current:
                    step(conn)
            if current < SCHEMA_VERSION:
                conn.execute(delete(state).where(state.c.key == "schema_version"))
                conn.execute(insert(state).values(key="schema_version", value=str(SCHEMA_VERSION)))

    def _schema_version(self, conn: Connection) -> int:
        if not inspect(conn).has_table("state"):
            return 0
        row = conn.execute(select(state.c.value).where(state.c.key == "schema_version")).first()
        try:
            return int(json.loads(row[0])) if row else 0
        except (ValueError, TypeError):
            return 0

    def _refuse_foreign(self, conn: Connection) -> None:
        """A database with tables newsweave did not make belongs to another program: adding a dozen
        tables to it would be a surprise to both."""
        tables = {
            t for t in inspect(conn).get_table_names() if not t.startswith(("sqlite_", "articles_fts_"))
        }
        foreign = sorted(tables - OWN_TABLES)
        if foreign:
            shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
            raise StoreError(
                f"{self.describe()}: holds another program's tables ({shown}), not a newsweave "
                "store; give --db a new file or an empty database"
            )

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that holds the store's one writer lock from its start: SQLite's
        ``BEGIN IMMEDIATE``, PostgreSQL's transaction advisory lock. Each write reads what is
        stored and then writes (new or updated?), so two processes storing the same article at
        once must not both read before either writes ("UNIQUE constraint failed").

        Every write goes through here, so a database error anywhere in the block (read-only file,
        full disk, damaged file) is rolled back and raised as one :class:`StoreError` that says why.
        """
        with self._explained(), self.engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.begin()
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection for reading, whose database errors are raised as :class:`StoreError`."""
        with self._explained(), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def _explained(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, DatabaseError) as exc:
            raise _explain(exc, self.describe()) from exc

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """One process at a time through the block, across processes: placing articles reads the
        saved clusterer, adds to it and writes it back, and two runs doing that at once would
        each write back a clusterer without the other's articles."""
        if not self.is_sqlite:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": WRITE_LOCK_KEY + 1})
                conn.commit()
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": WRITE_LOCK_KEY + 1})
                    conn.commit()
            return
        path = self.url.split("sqlite:///", 1)[-1]
        try:
            import fcntl
        except ImportError:  # Windows: one process at a time is the user's to keep
            fcntl = None  # type: ignore[assignment]
        if fcntl is None or not path or path == ":memory:" or path.startswith("file:"):
            yield
            return
        with open(f"{path}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------------
    def upsert_article(self, article: Article) -> UpsertResult:
        """Store an article; same content is a no-op, changed content replaces the old version."""
        return self.upsert_articles([article])[0]

    def upsert_articles(self, items: Iterable[Article]) -> list[UpsertResult]:
        """Store articles in one transaction: all of them or, if the process dies, none.

        Same content is a no-op, changed content replaces the old version (and drops its analysis).
        """
        items = list(items)
        results: list[UpsertResult] = []
        with self._writing() as conn:
            stored: dict[str, str] = {}
            for chunk in _chunks(list({a.id for a in items}), 500):
                rows = conn.execute(
                    select(articles.c.id, articles.c.content_hash).where(articles.c.id.in_(chunk))
                )
                stored.update({r[0]: r[1] for r in rows})
            new: dict[str, dict[str, Any]] = {}  # inserted together at the end; a repeated id replaces
            replaced = set(stored)  # stored before this call: an FTS row to replace
            searchable: dict[str, Article] = {}
            for article in items:
                if stored.get(article.id) == article.content_hash:
                    results.append("unchanged")
                    continue
                values = dict(
                    content_hash=article.content_hash,
                    title=article.title,
                    outlet=article.outlet,
                    published=article.published,
                    url=article.url,
                    path=article.path,
                    body=article.text,
                    data=json.dumps(asdict(article), ensure_ascii=False),
                    updated_at=_now(),
                )
                if article.id in new or article.id not in stored:
                    results.append("new" if article.id not in new else "updated")
                    new[article.id] = dict(id=article.id, added_at=_now(), **values)
                else:
                    results.append("updated")
                    conn.execute(update(articles).where(articles.c.id == article.id).values(**values))
                    for table, column in MADE_FROM_TEXT:
                        conn.execute(delete(table).where(column == article.id))
                stored[article.id] = article.content_hash
                searchable[article.id] = article
            if new:
                conn.execute(insert(articles), list(new.values()))
            for chunk in _chunks(list(searchable), 500):  # new or changed: the clusterer places them
                conn.execute(delete(unplaced).where(unplaced.c.article_id.in_(chunk)))
                conn.execute(insert(unplaced), [{"article_id": a} for a in chunk])
            if self.is_sqlite and searchable:
                # the FTS table finds rows by their words, not their id: deleting by id scans
                # all of it, so only the replaced articles are deleted, in one statement a chunk
                # (one scan per id made a backfill quadratic: 37 articles/s at 45k stored)
                for chunk in _chunks([i for i in searchable if i in replaced], 500):
                    conn.execute(_DELETE_FTS_ROWS, {"ids": chunk})
                conn.execute(
                    text("INSERT INTO articles_fts (id, title, body) VALUES (:id, :title, :body)"),
                    [{"id": a.id, "title": a.title, "body": a.text} for a in searchable.values()],
                )
        return results

    def update_article_fields(self, article_id: str, **fields: Any) -> None:
        """Set later-stage fields (``duplicate_of``, ``flags``) without touching the content hash."""
        article = self.get_article(article_id)
        if article is None:
            return
        for name, value in fields.items():
            setattr(article, name, value)
        with self._writing() as conn:
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(data=json.dumps(asdict(article), ensure_ascii=False))
            )

    def get_article(self, article_id: str) -> Article | None:
        with self._reading() as conn:
            row = conn.execute(select(articles.c.data).where(articles.c.id == article_id)).first()
        return article_from_dict(json.loads(row[0])) if row else None

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Article] = {}
        with self._reading() as conn:
            for chunk in _chunks(wanted, 500):
                for (data,) in conn.execute(select(articles.c.data).where(articles.c.id.in_(chunk))):
                    a = article_from_dict(json.loads(data))
                    found[a.id] = a
        return [found[i] for i in wanted if i in found]

    def load_sentence_vectors(self, ids: Iterable[str]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
        """Stored (sentence rows, title row) embeddings, float32, of the articles whose text is unchanged."""
        out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        with self._reading() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids)), 500):
                rows = conn.execute(
                    select(
                        sentence_vectors.c.article_id,
                        sentence_vectors.c.rows,
                        sentence_vectors.c.data,
                        sentence_vectors.c.title,
                    )
                    .join(articles, articles.c.id == sentence_vectors.c.article_id)
                    .where(sentence_vectors.c.article_id.in_(chunk))
                    .where(sentence_vectors.c.content_hash == articles.c.content_hash)
                )
                for article_id, n, data, title in rows:
                    out[article_id] = (
                        np.frombuffer(data, dtype=np.float16).reshape(n, -1).astype(np.float32)
                        if n
                        else np.zeros((0, len(title) // 2 if title else 0), dtype=np.float32),
                        None if title is None else np.frombuffer(title, dtype=np.float16).astype(np.float32),
                    )
        return out

    def publication_dates(self, ids: Iterable[str]) -> dict[str, str | None]:
        """Publication date (ISO, or None when unknown) of each stored article among ``ids``."""
        out: dict[str, str | None] = {}
        with self._reading() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids)), 500):
                rows = conn.execute(
                    select(articles.c.id, articles.c.published).where(articles.c.id.in_(chunk))
                )
                out.update((article_id, published) for article_id, published in rows)
        return out

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        with self._reading() as conn:
            result = conn.execution_options(yield_per=batch).execute(
                select(articles.c.data).order_by(articles.c.id)
            )
            for (data,) in result:
                yield article_from_dict(json.loads(data))

    def list_articles(self, limit: int = 50, offset: int = 0, outlet: str | None = None) -> list[Article]:
        query = select(articles.c.data).order_by(articles.c.published.desc(), articles.c.id)
        if outlet:
            query = query.where(articles.c.outlet == outlet)
        with self._reading() as conn:
            rows = conn.execute(query.limit(limit).offset(offset)).all()
        return [article_from_dict(json.loads(r[0])) for r in rows]

    def count_articles(self, outlet: str | None = None) -> int:
        query = select(func.count()).select_from(articles)
        if outlet:
            query = query.where(articles.c.outlet == outlet)
        with self._reading() as conn:
            return int(conn.execute(query).scalar_one())

    def article_ids(self) -> set[str]:
        with self._reading() as conn:
            return {r[0] for r in conn.execute(select(articles.c.id))}

    def outlets(self) -> list[tuple[str, int]]:
        with self._reading() as conn:
            rows = conn.execute(
                select(articles.c.outlet, func.count())
                .where(articles.c.outlet.is_not(None))
                .group_by(articles.c.outlet)
                .order_by(func.count().desc())
            ).all()
        return [(r[0], int(r[1])) for r in rows]

    def remove_articles(self, ids: Iterable[str]) -> list[str]:
        """Delete articles with their analyses, vectors, search rows, quarantine entries and story
        links, in one transaction; stories left with no article go too. Returns the stories they
        were in."""
        wanted = list(dict.fromkeys(ids))
        touched: set[str] = set()
        with self._writing() as conn:
            for chunk in _chunks(wanted, 500):
                touched |= {
                    r[0]
                    for r in conn.execute(
                        select(story_articles.c.story_id).where(story_articles.c.article_id.in_(chunk))
                    )
                }
                for table, column in (
                    (articles, articles.c.id),
                    *PER_ARTICLE,
                    (story_articles, story_articles.c.article_id),
                ):
                    conn.execute(delete(table).where(column.in_(chunk)))
                if self.is_sqlite:
                    conn.execute(_DELETE_FTS_ROWS, {"ids": chunk})
            conn.execute(
                delete(stories).where(stories.c.id.not_in(select(story_articles.c.story_id).distinct()))
            )
            _new_stories_revision(conn)
        return sorted(touched)

    def quarantine_article(self, article: Article, reason: str) -> None:
        """Keep ``article`` out of analysis and stories, saying why, until its text changes."""
        with self._writing() as conn:
            conn.execute(delete(quarantine).where(quarantine.c.article_id == article.id))
            conn.execute(
                insert(quarantine).values(
                    article_id=article.id, content_hash=article.content_hash, reason=reason[:2000], at=_now()
                )
            )

    def quarantined(self) -> list[tuple[str, str]]:
        """(article id, reason) of the stored articles whose current text could not be analysed."""
        with self._reading() as conn:
            rows = conn.execute(
                select(quarantine.c.article_id, quarantine.c.reason)
                .join(articles, articles.c.id == quarantine.c.article_id)
                .where(quarantine.c.content_hash == articles.c.content_hash)
                .order_by(quarantine.c.article_id)
            )
            return [(r[0], r[1]) for r in rows]

    # -- analyses -----------------------------------------------------------------------------
    def save_analyses(self, items: Iterable[AnalyzedArticle], analyzer: str | None = None) -> None:
        """Store analyses in one transaction; ``analyzer`` names what made them (analyze.analyzer_id)."""
        with self._writing() as conn:
            for item in items:
                record = analyzed_to_dict(item)
                conn.execute(delete(analyses).where(analyses.c.article_id == item.article.id))
                conn.execute(
                    insert(analyses).values(
                        article_id=item.article.id,
                        content_hash=item.article.content_hash,
                        data=json.dumps(record, ensure_ascii=False),
                        analyzer=analyzer,
                    )
                )
                conn.execute(delete(article_names).where(article_names.c.article_id == item.article.id))
                conn.execute(
                    insert(article_names).values(
                        article_id=item.article.id,
                        content_hash=item.article.content_hash,
                        mentions=json.dumps(record["mentions"], ensure_ascii=False),
                        quotes=json.dumps(record["quotes"], ensure_ascii=False),
                    )
                )
                conn.execute(delete(sentence_vectors).where(sentence_vectors.c.article_id == item.article.id))
                if item.sentence_vectors is not None:
                    rows = np.asarray(item.sentence_vectors, dtype=np.float16)
                    title = (
                        None if item.title_vector is None else np.asarray(item.title_vector, dtype=np.float16)
                    )
                    conn.execute(
                        insert(sentence_vectors).values(
                            article_id=item.article.id,
                            content_hash=item.article.content_hash,
                            rows=rows.shape[0],
                            data=rows.tobytes(),
                            title=None if title is None else title.tobytes(),
                        )
                    )

    def load_analyses(self, ids: Iterable[str], *, names_only: bool = False) -> list[AnalyzedArticle]:
        """Analyses of the given articles that are current (same content hash); order kept.

        ``names_only`` keeps just the mentions and quotes, on an article that holds only its id:
        what entity resolution needs of every stored article, at a fraction of the memory.
        """
        wanted = list(dict.fromkeys(ids))
        found: dict[str, AnalyzedArticle] = {}
        if names_only:
            for article_id, slim in self._current_names(wanted):
                found[article_id] = analyzed_from_dict(Article(id=article_id, title="", text=""), slim)
        else:
            by_id = {a.id: a for a in self.get_articles(wanted)}
            for article_id, data in self._current_analyses(wanted):
                if article_id in by_id:
                    found[article_id] = analyzed_from_dict(by_id[article_id], data)
        return [found[i] for i in wanted if i in found]

    def _current_analyses(self, wanted: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """(article id, analysis JSON) of the wanted articles whose analysis matches their text."""
        with self._reading() as conn:
            for chunk in _chunks(wanted, 500):
                rows = conn.execute(
                    select(analyses.c.article_id, analyses.c.data)
                    .join(articles, articles.c.id == analyses.c.article_id)
                    .where(analyses.c.article_id.in_(chunk))
                    .where(analyses.c.content_hash == articles.c.content_hash)
                ).all()
                for article_id, data in rows:
                    yield article_id, json.loads(data)

    def _current_names(self, wanted: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """(article id, its mentions and quotes) of the wanted current analyses, from the names
        projection written with each analysis (parsing whole analyses in Python to keep the names
        was three times slower on a 100k-article store).

        An analysis without its projection row (copied in by SQL, as ``benchmarks/scale.py``
        grows a store) is read whole instead, so no name is ever left out of resolution.
        """
        found: set[str] = set()
        with self._reading() as conn:
            for chunk in _chunks(wanted, 500):
                rows = conn.execute(
                    select(article_names.c.article_id, article_names.c.mentions, article_names.c.quotes)
                    .join(articles, articles.c.id == article_names.c.article_id)
                    .where(article_names.c.article_id.in_(chunk))
                    .where(article_names.c.content_hash == articles.c.content_hash)
                ).all()
                for article_id, mentions, quotes in rows:
                    found.add(article_id)
                    yield article_id, {"mentions": json.loads(mentions), "quotes": json.loads(quotes)}
        for article_id, data in self._current_analyses([i for i in wanted if i not in found]):
            yield article_id, {"mentions": data.get("mentions", []), "quotes": data.get("quotes", [])}

    def unanalyzed_ids(self) -> list[str]:
        """Articles stored without a current analysis (e.g. after a crash mid-run), but for the
        quarantined. Only unplaced articles are looked at: an article is placed after it is analysed,
        and a change of its text, which drops its analysis, makes it unplaced again."""
        held = (  # per candidate: a list of every quarantined id scanned every article to build
            select(quarantine.c.article_id)
            .where(quarantine.c.article_id == articles.c.id)
            .where(quarantine.c.content_hash == articles.c.content_hash)
            .exists()
        )
        with self._reading() as conn:
            rows = conn.execute(
                select(articles.c.id)
                .join(unplaced, unplaced.c.article_id == articles.c.id)
                .outerjoin(analyses, analyses.c.article_id == articles.c.id)
                .where(
                    (analyses.c.article_id.is_(None)) | (analyses.c.content_hash != articles.c.content_hash)
                )
                .where(~held)
                .order_by(articles.c.id)
            )
            return [r[0] for r in rows]

    def unplaced_ids(self) -> list[str]:
        """Articles whose current text the clusterer has not placed (:meth:`placed` takes them off)."""
        with self._reading() as conn:
            return [r[0] for r in conn.execute(select(unplaced.c.article_id).order_by(unplaced.c.article_id))]

    def placed(self, ids: Iterable[str]) -> None:
        """The clusterer's state now holds these articles: they are no longer unplaced."""
        with self._writing() as conn:
            for chunk in _chunks(list(ids), 500):
                conn.execute(delete(unplaced).where(unplaced.c.article_id.in_(chunk)))

    def stale_analysis_ids(self, analyzer: str) -> list[str]:
        """Articles whose current analysis another analyzer made (other models or settings, or
        unknown: analyses stored before schema 3), in id order."""
        with self._reading() as conn:
            query = _stale_analyses(select(analyses.c.article_id), analyzer)
            return [r[0] for r in conn.execute(query.order_by(analyses.c.article_id)).all()]

    def count_stale_analyses(self, analyzer: str) -> int:
        """How many :meth:`stale_analysis_ids` there are, counted by the database: every ingest
        reports it, and the ids of a store analysed by an older version were 0.12 s of
        Python at 100k articles."""
        with self._reading() as conn:
            # counted over the ids in order: SQLite then reads its covering index (0.03 s at 100k
            # articles) where a bare count scans the analyses themselves (0.2 s)
            ids = _stale_analyses(select(analyses.c.article_id), analyzer).order_by(analyses.c.article_id)
            return int(conn.execute(select(func.count()).select_from(ids.subquery())).scalar_one())

    # -- stories and entities -----------------------------------------------------------------
    def save_stories(self, items: Iterable[Story], n_outlets: dict[str, int] | None = None) -> None:
        """Replace the given stories (and their article links) in one transaction."""
        n_outlets = n_outlets or {}
        with self._writing() as conn:
            for story in items:
                dates = sorted(d for e in story.events for d in (e.start, e.end) if d)
                conn.execute(delete(stories).where(stories.c.id == story.id))
                conn.execute(delete(story_articles).where(story_articles.c.story_id == story.id))
                # an article belongs to one story: drop links left from an earlier assignment
                if story.articles:
                    conn.execute(
                        delete(story_articles).where(story_articles.c.article_id.in_(story.articles))
                    )
                conn.execute(
                    insert(stories).values(
                        id=story.id,
                        headline=story.headline,
                        first_date=dates[0] if dates else None,
                        last_date=dates[-1] if dates else None,
                        n_articles=len(story.articles),
                        n_outlets=n_outlets.get(story.id, len(story.articles)),
                        score=float(len(story.articles)),
                        # to the microsecond: it is also the story's revision (story_revision)
                        data=json.dumps(asdict(story), ensure_ascii=False),
                        updated_at=_now(precise=True),
                    )
                )
                if story.articles:
                    conn.execute(
                        insert(story_articles),
                        [{"story_id": story.id, "article_id": a} for a in story.articles],
                    )
            # stories that lost all their articles to others are gone
            orphan = select(story_articles.c.story_id).distinct()
            conn.execute(delete(stories).where(stories.c.id.not_in(orphan)))
            _new_stories_revision(conn)

    def list_stories(
        self,
        limit: int = 50,
        offset: int = 0,
        outlet: str | None = None,
        entity: str | None = None,
        since: str | None = None,
        until: str | None = None,
        ids: Iterable[str] | None = None,
        sort: str = "latest",
    ) -> list[Story]:
        """Stories matching every filter given, in ``sort`` order (one of :data:`STORY_SORTS`)."""
        query = _story_filters(select(stories.c.data), outlet, entity, since, until, ids)
        with self._reading() as conn:
            rows = conn.execute(query.order_by(*_story_order(sort)).limit(limit).offset(offset)).all()
        return [story_from_dict(json.loads(r[0])) for r in rows]

    def story_ids(
        self,
        outlet: str | None = None,
        entity: str | None = None,
        since: str | None = None,
        until: str | None = None,
        sort: str = "latest",
    ) -> list[str]:
        """The ids of every story matching the filters, in ``sort`` order (for filters SQL cannot apply)."""
        query = _story_filters(select(stories.c.id), outlet, entity, since, until, None)
        with self._reading() as conn:
            return [r[0] for r in conn.execute(query.order_by(*_story_order(sort)))]

    def count_stories(
        self,
        outlet: str | None = None,
        entity: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> int:
        """How many stories match the filters (all of them without any)."""
        query = _story_filters(select(func.count()).select_from(stories), outlet, entity, since, until, None)
        with self._reading() as conn:
            return int(conn.execute(query).scalar_one())

    def story_rows(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """What a list shows of each story without reading its record: headline, dates, counts, update time."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        with self._reading() as conn:
            for chunk in _chunks(wanted, 500):
                rows = conn.execute(
                    select(
                        stories.c.id,
                        stories.c.headline,
                        stories.c.first_date,
                        stories.c.last_date,
                        stories.c.n_articles,
                        stories.c.n_outlets,
                        stories.c.updated_at,
                    ).where(stories.c.id.in_(chunk))
                )
                for r in rows:
                    out[r.id] = dict(r._mapping)
        return out

    def story_members(self, story_ids: Iterable[str] | None = None) -> dict[str, list[Article]]:
        """Each story's articles as outlets are judged from them (no body text read): id, title,
        outlet, URL, date, copy-of and metadata; every story when ``story_ids`` is None."""
        query = select(story_articles.c.story_id, articles.c.data).join(
            articles, articles.c.id == story_articles.c.article_id
        )
        wanted = None if story_ids is None else list(dict.fromkeys(story_ids))
        out: dict[str, list[Article]] = {}
        with self._reading() as conn:
            for chunk in [None] if wanted is None else list(_chunks(wanted, 500)):
                chosen = query if chunk is None else query.where(story_articles.c.story_id.in_(chunk))
                for story_id, data in conn.execute(chosen.order_by(story_articles.c.story_id)):
                    record = json.loads(data)
                    record["text"], record["raw_text"], record["removed"] = "", "", []
                    out.setdefault(story_id, []).append(article_from_dict(record))
        return out

    def get_story(self, story_id: str) -> Story | None:
        with self._reading() as conn:
            row = conn.execute(select(stories.c.data).where(stories.c.id == story_id)).first()
        return story_from_dict(json.loads(row[0])) if row else None

    def story_membership(self, story_ids: Iterable[str] | None = None) -> dict[str, set[str]]:
        """Each stored story's articles: of every story, or of ``story_ids`` (500 to a query)."""
        query = select(story_articles.c.story_id, story_articles.c.article_id)
        wanted = None if story_ids is None else list(dict.fromkeys(story_ids))
        out: dict[str, set[str]] = {}
        with self._reading() as conn:
            for chunk in [None] if wanted is None else list(_chunks(wanted, 500)):
                chosen = query if chunk is None else query.where(story_articles.c.story_id.in_(chunk))
                for story_id, article_id in conn.execute(chosen):
                    out.setdefault(story_id, set()).add(article_id)
        return out

    def stories_of_article(self, article_id: str) -> list[str]:
        return self.stories_of_articles([article_id])[article_id]

    def stories_of_articles(self, article_ids: Iterable[str]) -> dict[str, list[str]]:
        """Story ids of each article, in one query per 500 (a page of search hits is one query)."""
        wanted = list(dict.fromkeys(article_ids))
        out: dict[str, list[str]] = {a: [] for a in wanted}
        with self._reading() as conn:
            for chunk in _chunks(wanted, 500):
                rows = conn.execute(
                    select(story_articles.c.article_id, story_articles.c.story_id)
                    .where(story_articles.c.article_id.in_(chunk))
                    .order_by(story_articles.c.story_id)
                )
                for article_id, story_id in rows:
                    out[article_id].append(story_id)
        return out

    def story_revision(self, story_id: str) -> str | None:
        """A token that changes whenever this story is written (None when there is no such story).

        A story's view depends on its own row and its articles, whose flags are set only when
        the story itself is rebuilt, so a cached view keyed by it stays valid while other
        stories change."""
        with self._reading() as conn:
            return conn.execute(_STORY_REVISION, {"story_id": story_id}).scalar_one_or_none()

    def stories_revision(self) -> str | None:
        """A token that changes whenever stories are written: readers' caches are valid while it holds."""
        value = self.get_state(STORIES_REVISION_KEY)
        return None if value is None else str(value)

    def mark_stories_changed(self) -> None:
        """Give :meth:`stories_revision` a new value, so what readers cached of the stories is
        read again (writing or removing stories does this in its own transaction)."""
        with self._writing() as conn:
            _new_stories_revision(conn)

    def save_entities(
        self,
        items: Iterable[Entity],
        tallies: Mapping[str, str] | None = None,
        articles: Mapping[str, Mapping[str, int]] | None = None,
    ) -> None:
        """Make ``items`` the stored entities, in one transaction, with their ``tallies`` (JSON)
        and how many mentions each of their articles writes (``articles``; one when not given).

        Only the entities added, changed or gone are written: an ingest changes a few of a big
        store's entities, and rewriting every row held the writers' lock (and grew the WAL the
        web app reads through) for all of them.
        """
        entity_list = list(items)
        rows = _entity_rows(entity_list, tallies or {}, self.describe())
        with self._writing() as conn:
            stored: dict[str, tuple[str, str | None]] = {
                key: (data, tally)
                for key, data, tally in conn.execute(select(entities.c.id, entities.c.data, entities.c.tally))
            }
            changed = [row for key, row in rows.items() if stored.get(key) != (row["data"], row["tally"])]
            stale = [key for key in stored if key not in rows] + [
                r["id"] for r in changed if r["id"] in stored
            ]
            for chunk in _chunks(stale, 500):
                conn.execute(delete(entities).where(entities.c.id.in_(chunk)))
            if changed:
                conn.execute(insert(entities), changed)
            # the articles of every entity, a row each (a full resolution: rare, and whole)
            conn.execute(delete(entity_articles))
            links = [
                {"entity_id": e.id, "article_id": a, "mentions": n}
                for e in entity_list
                for a, n in (articles[e.id] if articles and e.id in articles else _counted(e)).items()
            ]
            for start in range(0, len(links), 5000):
                conn.execute(insert(entity_articles), links[start : start + 5000])

    def update_entities(
        self,
        items: Iterable[Entity],
        tallies: Mapping[str, str],
        removed: Iterable[str] = (),
        articles: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        """Write ``items`` (with their tallies) over the stored rows of their ids, delete the
        ``removed`` ids, and add ``articles`` (entity, article → mentions; negative to take off)
        to the entities' articles; every other entity stays as stored (an increment's update)."""
        rows = _entity_rows(items, tallies, self.describe())
        gone = sorted(set(removed) | set(rows))
        with self._writing() as conn:
            for chunk in _chunks(gone, 500):
                conn.execute(delete(entities).where(entities.c.id.in_(chunk)))
            if rows:
                conn.execute(insert(entities), list(rows.values()))
            for chunk in _chunks(sorted(set(removed)), 500):
                conn.execute(delete(entity_articles).where(entity_articles.c.entity_id.in_(chunk)))
            _add_entity_articles(conn, articles or {})

    def get_entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(ids)), 500):
                rows = conn.execute(select(entities.c.data).where(entities.c.id.in_(chunk))).all()
                found.update({e.id: e for e in _with_articles(conn, [r[0] for r in rows])})
        return found

    def load_tallies(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored tallies (JSON) of the entities of ``ids`` that have one."""
        found: dict[str, str] = {}
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(ids)), 500):
                query = select(entities.c.id, entities.c.tally).where(entities.c.id.in_(chunk))
                found.update({key: tally for key, tally in conn.execute(query) if tally is not None})
        return found

    def save_name_keys(self, rows: Iterable[tuple[str, str, str]], per_name: int = 2) -> None:
        """Keep (key, name, article) rows, at most ``per_name`` articles for each key and name."""
        wanted: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key, name, article_id in rows:
            if article_id not in wanted[(key, name)]:
                wanted[(key, name)].append(article_id)
        with self._writing() as conn:
            have: dict[tuple[str, str], set[str]] = defaultdict(set)
            for key, name, article_id in _name_key_rows(conn, {k for k, _ in wanted}):
                have[(key, name)].add(article_id)
            new = []
            for (key, name), ids in wanted.items():
                room = per_name - len(have[(key, name)])
                fresh = [i for i in ids if i not in have[(key, name)]]
                new += [{"key": key, "name": name, "article_id": a} for a in fresh[: max(0, room)]]
            for start in range(0, len(new), 5000):
                conn.execute(insert(name_keys), new[start : start + 5000])

    def clear_name_keys(self) -> None:
        with self._writing() as conn:
            conn.execute(delete(name_keys))

    def name_counts(self, names: Iterable[str]) -> dict[str, int]:
        """How many articles write each of ``names`` (those no article writes are left out)."""
        with self._reading() as conn:
            return _name_counts(conn, names)

    def add_name_counts(self, delta: Mapping[str, int], replace_all: bool = False) -> None:
        """Add ``delta`` to the counts of articles writing each name (``replace_all``: make them
        the counts); a count that reaches zero goes."""
        with self._writing() as conn:
            if replace_all:
                conn.execute(delete(name_counts))
            stored = {} if replace_all else _name_counts(conn, delta)
            changed = {name: stored.get(name, 0) + n for name, n in delta.items() if n}
            for chunk in _chunks(sorted(changed), 500):
                conn.execute(delete(name_counts).where(name_counts.c.name.in_(chunk)))
            rows = [{"name": name, "articles": n} for name, n in changed.items() if n > 0]
            for start in range(0, len(rows), 5000):
                conn.execute(insert(name_counts), rows[start : start + 5000])

    def articles_for_keys(
        self, keys: Iterable[str], names_per_key: int, exclude: AbstractSet[str] = frozenset()
    ) -> set[str]:
        """One article, not in ``exclude``, for each of the first ``names_per_key`` names (in order)
        stored under each key."""
        names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        with self._reading() as conn:
            for key, name, article_id in _name_key_rows(conn, keys):
                names[key][name].append(article_id)
        found: set[str] = set()
        for by_name in names.values():
            for name in sorted(by_name)[:names_per_key]:
                outside = sorted(a for a in by_name[name] if a not in exclude)
                if outside:
                    found.add(outside[0])
        return found

    def save_resolutions(self, resolved: Mapping[str, str]) -> None:
        """Keep each article's resolution (JSON: the entity of each mention and quote)."""
        with self._writing() as conn:
            _keep_per_article(conn, name_resolution, {a: {"entities": v} for a, v in resolved.items()})

    def load_resolutions(self, ids: Iterable[str], current: bool = True) -> dict[str, str]:
        """The kept resolutions of the articles of ``ids``: with ``current``, only those whose
        text has not changed since (whose mentions they name)."""
        found: dict[str, str] = {}
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(ids)), 500):
                query = select(name_resolution.c.article_id, name_resolution.c.entities).where(
                    name_resolution.c.article_id.in_(chunk)
                )
                if current:
                    query = query.join(articles, articles.c.id == name_resolution.c.article_id).where(
                        name_resolution.c.content_hash == articles.c.content_hash
                    )
                found.update({key: value for key, value in conn.execute(query)})
        return found

    def count_resolved(self) -> tuple[int, int]:
        """How many analyses are stored, and how many articles have a resolution kept."""
        with self._reading() as conn:
            analysed = conn.execute(select(func.count()).select_from(analyses)).scalar_one()
            resolved = conn.execute(select(func.count()).select_from(name_resolution)).scalar_one()
        return int(analysed), int(resolved)

    def load_claim_parses(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The sentence parses kept for each article of ``ids`` whose text is unchanged since."""
        found: dict[str, dict[str, Any]] = {}
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(ids)), 500):
                query = (
                    select(claim_parses.c.article_id, claim_parses.c.data)
                    .join(articles, articles.c.id == claim_parses.c.article_id)
                    .where(claim_parses.c.article_id.in_(chunk))
                    .where(claim_parses.c.content_hash == articles.c.content_hash)
                )
                found.update({key: json.loads(data) for key, data in conn.execute(query)})
        return found

    def save_claim_parses(self, parses: Mapping[str, Mapping[str, Any]]) -> None:
        """Keep each article's sentence parses (replacing what was kept), under its current text."""
        with self._writing() as conn:
            rows = {a: {"data": json.dumps(v, ensure_ascii=False)} for a, v in parses.items()}
            _keep_per_article(conn, claim_parses, rows)

    def load_story_verdicts(self, story_ids: Iterable[str]) -> dict[str, dict[str, list[float]]]:
        """The judge's verdicts kept from the last fills of ``story_ids``, merged: judge id ->
        pair key -> verdict (a story refilled under a new id, or merged, reads its old ones)."""
        found: dict[str, dict[str, list[float]]] = {}
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(story_ids)), 500):
                query = select(story_verdicts.c.judge, story_verdicts.c.data).where(
                    story_verdicts.c.story_id.in_(chunk)
                )
                for judge, data in conn.execute(query):
                    found.setdefault(judge, {}).update(json.loads(data))
        return found

    def save_story_verdicts(self, verdicts: Mapping[str, tuple[str, Mapping[str, list[float]]]]) -> None:
        """Keep each story's last fill's verdicts (replacing the story's earlier ones), and drop
        those of stories no longer stored (merged into another, or emptied): a story keeps the
        pairs its last fill asked, so the table grows with the stories, not with the fills."""
        with self._writing() as conn:
            for chunk in _chunks(sorted(verdicts), 500):
                conn.execute(delete(story_verdicts).where(story_verdicts.c.story_id.in_(chunk)))
                rows = [
                    {"story_id": key, "judge": verdicts[key][0], "data": json.dumps(verdicts[key][1])}
                    for key in chunk
                ]
                conn.execute(insert(story_verdicts), rows)
            conn.execute(delete(story_verdicts).where(story_verdicts.c.story_id.not_in(select(stories.c.id))))

    def list_entities(self, limit: int = 100, offset: int = 0, type: str | None = None) -> list[Entity]:
        query = select(entities.c.data).order_by(entities.c.n_mentions.desc(), entities.c.name)
        if type:
            query = query.where(entities.c.type == type)
        with self._reading() as conn:
            rows = conn.execute(query.limit(limit).offset(offset)).all()
            return _with_articles(conn, [r[0] for r in rows])

    def count_entities(self, type: str | None = None) -> int:
        query = select(func.count()).select_from(entities)
        if type:
            query = query.where(entities.c.type == type)
        with self._reading() as conn:
            return int(conn.execute(query).scalar_one())

    def get_entity(self, entity_id: str) -> Entity | None:
        with self._reading() as conn:
            row = conn.execute(select(entities.c.data).where(entities.c.id == entity_id)).first()
            return _with_articles(conn, [row[0]])[0] if row else None

    def find_entities(self, name: str, limit: int = 20) -> list[Entity]:
        """Entities whose canonical name or any alias contains ``name`` (case-insensitive)."""
        pattern = f"%{_like_safe(name.lower())}%"
        query = (
            select(entities.c.data)
            .where(
                func.lower(entities.c.name).like(pattern, escape="\\")
                | func.lower(entities.c.aliases).like(pattern, escape="\\")
            )
            .order_by(entities.c.n_mentions.desc())
            .limit(limit)
        )
        with self._reading() as conn:
            return _with_articles(conn, [r[0] for r in conn.execute(query)])

    def quotes_page(
        self, speaker: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[StoryQuote], int]:
        """One page of :meth:`find_quotes` and how many quotes match in all."""
        found = self.find_quotes(speaker, limit=None)
        return found[offset : offset + limit], len(found)

    def count_search(self, query: str) -> int:
        """How many articles :meth:`search_articles` finds for ``query``."""
        terms = re.findall(r"\w+", query, flags=re.UNICODE)
        if not terms:
            return 0
        with self._reading() as conn:
            if self.is_sqlite:
                return int(
                    conn.execute(
                        text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q"),
                        {"q": " ".join(f'"{t}"' for t in terms)},
                    ).scalar_one()
                )
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM articles, plainto_tsquery('english', :q) q "
                        "WHERE to_tsvector('english', title || ' ' || body) @@ q"
                    ),
                    {"q": " ".join(terms)},
                ).scalar_one()
            )

    def find_quotes(self, speaker: str | None = None, limit: int | None = 50) -> list[StoryQuote]:
        """Quotes across all stories; ``speaker`` matches a speaker's name or any alias of their entity."""
        wanted_ids = {e.id for e in self.find_entities(speaker, limit=50)} if speaker else set()
        needle = speaker.lower() if speaker else None
        found: list[StoryQuote] = []
        with self._reading() as conn:
            rows = conn.execute(select(stories.c.data).order_by(stories.c.last_date.desc().nulls_last()))
            for (data,) in rows:
                for q in story_from_dict(json.loads(data)).quotes:
                    if needle is None or q.entity in wanted_ids or needle in q.speaker.lower():
                        found.append(q)
                        if limit is not None and len(found) >= limit:
                            return found
        return found

    # -- search -------------------------------------------------------------------------------
    def search_articles(self, query: str, limit: int = 20, offset: int = 0) -> list[tuple[Article, str]]:
        """Full-text search; returns articles with a short highlighted snippet."""
        terms = re.findall(r"\w+", query, flags=re.UNICODE)
        if not terms:
            return []
        with self._reading() as conn:
            if self.is_sqlite:
                match = " ".join(f'"{t}"' for t in terms)
                rows = conn.execute(
                    text(
                        "SELECT a.data, snippet(articles_fts, 2, '[', ']', ' … ', 12) FROM articles_fts f "
                        "JOIN articles a ON a.id = f.id WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n OFFSET :o"
                    ),
                    {"q": match, "n": limit, "o": offset},
                ).all()
            else:
                rows = conn.execute(
                    text(
                        "SELECT data, ts_headline('english', body, q, 'StartSel=[,StopSel=],MaxWords=24') "
                        "FROM articles, "
                        "plainto_tsquery('english', :q) q WHERE to_tsvector('english', title || ' ' || body) @@ q "
                        "ORDER BY ts_rank(to_tsvector('english', title || ' ' || body), q) DESC LIMIT :n OFFSET :o"
                    ),
                    {"q": " ".join(terms), "n": limit, "o": offset},
                ).all()
        return [(article_from_dict(json.loads(r[0])), r[1]) for r in rows]

    # -- state --------------------------------------------------------------------------------
    def get_state(self, key: str) -> Any:
        key = _state_key(key)
        with self._reading() as conn:
            row = conn.execute(_STATE_VALUE, {"key": key}).first()
            value = json.loads(row[0]) if row else None
            if isinstance(value, dict) and PARTS in value:
                value = {
                    name: json.loads(conn.execute(_STATE_VALUE, {"key": _part_key(key, i)}).scalar_one())
                    for i, name in enumerate(value[PARTS])
                }
        return value

    def get_state_items(
        self, key: str, prefix: str = "", names: Iterable[str] | None = None
    ) -> dict[str, str]:
        """The items kept under ``key`` by :meth:`set_state_parts`, each as its JSON text (a caller
        holding many decodes only those it needs): every item whose name starts with ``prefix``,
        or only those of ``names`` (prefix included) that are kept. A caller that needs a few of
        many reads only those: the clusterer's state at 100k articles is 325k items, 157 MB."""
        key = _state_key(key)
        query = select(state_items.c.item, state_items.c.value).where(state_items.c.key == key)
        with self._reading() as conn:
            if names is not None:
                out: dict[str, str] = {}
                for chunk in _chunks([n for n in dict.fromkeys(names) if n.startswith(prefix)], 500):
                    out.update((n, v) for n, v in conn.execute(query.where(state_items.c.item.in_(chunk))))
                return out
            if prefix and self.is_sqlite:
                # names compare as bytes: a prefix's items are a range of the primary key (read
                # by a scan of all items, the story heads of a 100k-article store took 0.25 s, 0.006 so)
                upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
                query = query.where((state_items.c.item >= prefix) & (state_items.c.item < upper))
            elif prefix:  # a collation may order other names in between: compare the prefix itself
                query = query.where(func.substr(state_items.c.item, 1, len(prefix)) == prefix)
            return {name: value for name, value in conn.execute(query)}

    def get_state_item(self, key: str, item: str) -> str | None:
        """One item kept under ``key`` (its JSON text), or None."""
        query = select(state_items.c.value).where(
            (state_items.c.key == _state_key(key)) & (state_items.c.item == item)
        )
        with self._reading() as conn:
            value: str | None = conn.execute(query).scalar_one_or_none()
        return value

    def set_state_items(self, key: str, items: Iterable[tuple[str, str | None]]) -> None:
        """Write the items given under ``key`` (a None value deletes its item), leaving the rest."""
        with self._writing() as conn:
            _write_items(conn, _state_key(key), items, False)

    def delete_state(self, key: str) -> None:
        """Forget ``key``, its parts and its items."""
        key = _state_key(key)
        with self._writing() as conn:
            conn.execute(_delete_state_rows(key))
            conn.execute(delete(state_items).where(state_items.c.key == key))

    def set_state(self, key: str, value: Any) -> None:
        """Keep ``value`` (any JSON-ready value) under ``key``."""
        self._write_state(key, value, None)

    def set_state_parts(
        self,
        key: str,
        parts: Iterable[tuple[str, Any]],
        items: Iterable[tuple[str, str | None]] = (),
        all_items: bool = False,
    ) -> None:
        """Keep the dict of ``parts`` under ``key``, one row per part, in one transaction.

        The parts are encoded one at a time as they are produced, so the JSON of the whole is
        never held at once: the clusterer's state at 100k articles is ~160 MB of it, and
        writing it in one piece took about four times that in memory at the run's peak.

        ``items`` (name, JSON text) are kept beside the parts, one row each, and only those
        given are written: a None value deletes its item. ``all_items`` says they are every
        item there is, so the ones stored before and not among them go.
        """
        self._write_state(key, None, parts, items, all_items)

    def _write_state(
        self,
        key: str,
        value: Any,
        parts: Iterable[tuple[str, Any]] | None,
        items: Iterable[tuple[str, str | None]] = (),
        all_items: bool = False,
    ) -> None:
        key = _state_key(key)
        with self._writing() as conn:
            _write_items(conn, key, items, all_items)
            if parts is None:
                conn.execute(_delete_state_rows(key))
                conn.execute(insert(state).values(key=key, value=json.dumps(value)))
                return
            _write_parts(conn, key, parts)


def _write_parts(conn: Connection, key: str, parts: Iterable[tuple[str, Any]]) -> None:
    """Write the parts whose JSON differs from the stored one's (by digest, kept in the head):
    at 100k articles the clusterer's head is 16 MB, of which a ten-article ingest changes the
    counts and lists of about 6 MB and leaves the 10 MB of its neighbour index as it was."""
    row = conn.execute(_STATE_VALUE, {"key": key}).first()
    head = json.loads(row[0]) if row else None
    if isinstance(head, dict) and PARTS in head:
        before = head.get(DIGESTS, [])
        conn.execute(delete(state).where(state.c.key == key))
    else:  # a value kept in one row, or nothing: every part is new
        before = []
        conn.execute(_delete_state_rows(key))
    names: list[str] = []
    digests: list[str] = []
    for name, part in parts:
        encoded = json.dumps(part)
        digest = _digest(encoded)
        if len(names) >= len(before) or before[len(names)] != digest:
            part_key = _part_key(key, len(names))
            conn.execute(delete(state).where(state.c.key == part_key))
            conn.execute(insert(state).values(key=part_key, value=encoded))
        names.append(name)
        digests.append(digest)
    for index in range(len(names), len(before)):
        conn.execute(delete(state).where(state.c.key == _part_key(key, index)))
    conn.execute(insert(state).values(key=key, value=json.dumps({PARTS: names, DIGESTS: digests})))


STORY_SORTS = ("latest", "outlets", "articles", "updated")


def _story_order(sort: str) -> tuple[Any, ...]:
    """latest: last date first; outlets: most independent outlets; articles: most articles;
    updated: most recently rebuilt (what a feed of new and updated stories follows)."""
    latest = stories.c.last_date.desc().nulls_last()
    if sort == "updated":
        return (stories.c.updated_at.desc(), stories.c.id)
    if sort == "outlets":
        return (stories.c.n_outlets.desc(), stories.c.n_articles.desc(), latest, stories.c.id)
    if sort == "articles":
        return (stories.c.n_articles.desc(), stories.c.n_outlets.desc(), latest, stories.c.id)
    if sort != "latest":
        raise ValueError(f"unknown story order {sort!r}: one of {', '.join(STORY_SORTS)}")
    return (latest, stories.c.n_articles.desc(), stories.c.id)


def _story_filters(
    query: Any,
    outlet: str | None,
    entity: str | None,
    since: str | None,
    until: str | None,
    ids: Iterable[str] | None,
) -> Any:
    if outlet:
        query = query.where(
            stories.c.id.in_(
                select(story_articles.c.story_id)
                .join(articles, articles.c.id == story_articles.c.article_id)
                .where(articles.c.outlet == outlet)
            )
        )
    if entity:
        query = query.where(stories.c.data.like(f'%"id": "{_like_safe(entity)}"%', escape="\\"))
    if since:
        query = query.where(stories.c.last_date >= since)
    if until:
        query = query.where(stories.c.first_date <= until)
    if ids is not None:
        query = query.where(stories.c.id.in_(list(ids)))
    return query


def _new_stories_revision(conn: Connection) -> None:
    # what may list any story (search answers) is cached against this token; a story's own page
    # against its updated_at (story_revision)
    conn.execute(delete(state).where(state.c.key == STORIES_REVISION_KEY))
    conn.execute(insert(state).values(key=STORIES_REVISION_KEY, value=json.dumps(uuid.uuid4().hex)))


def _write_items(
    conn: Connection, key: str, items: Iterable[tuple[str, str | None]], all_items: bool
) -> None:
    """Write the items given, in batches; a None value deletes its item."""
    if all_items:
        conn.execute(delete(state_items).where(state_items.c.key == key))
    batch: list[tuple[str, str | None]] = []
    for pair in items:
        batch.append(pair)
        if len(batch) == ITEMS_BATCH:
            _write_item_batch(conn, key, batch, all_items)
            batch = []
    if batch:
        _write_item_batch(conn, key, batch, all_items)


def _write_item_batch(conn: Connection, key: str, batch: list[tuple[str, str | None]], fresh: bool) -> None:
    if not fresh:
        names = [name for name, _ in batch]
        conn.execute(delete(state_items).where((state_items.c.key == key) & state_items.c.item.in_(names)))
    rows = [{"key": key, "item": name, "value": value} for name, value in batch if value is not None]
    if rows:
        conn.execute(insert(state_items), rows)


def _name_key_rows(conn: Connection, keys: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """The (key, name, article) rows kept under any of ``keys``."""
    for chunk in _chunks(sorted(set(keys)), 500):
        query = select(name_keys.c.key, name_keys.c.name, name_keys.c.article_id).where(
            name_keys.c.key.in_(chunk)
        )
        yield from ((key, name, article_id) for key, name, article_id in conn.execute(query))


def _name_counts(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    """How many articles write each of ``names`` (those no article writes are left out)."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(names)), 500):
        query = select(name_counts.c.name, name_counts.c.articles).where(name_counts.c.name.in_(chunk))
        found.update({name: int(n) for name, n in conn.execute(query)})
    return found


def _keep_per_article(conn: Connection, table: Any, values: Mapping[str, dict[str, Any]]) -> None:
    """Replace ``table``'s row of each article of ``values`` (its other columns), under the
    article's current text; an article no longer stored gets none."""
    for chunk in _chunks(sorted(values), 500):
        query = select(articles.c.id, articles.c.content_hash).where(articles.c.id.in_(chunk))
        hashes = {key: content for key, content in conn.execute(query)}
        conn.execute(delete(table).where(table.c.article_id.in_(chunk)))
        rows = [{"article_id": a, "content_hash": hashes[a], **values[a]} for a in chunk if a in hashes]
        if rows:
            conn.execute(insert(table), rows)


def _digest(text: str, piece: int = 1 << 20) -> str:
    # a megabyte at a time: the neighbour index's part is 8 MB of text, and its bytes whole
    # were another 8 MB at the run's peak
    h = hashlib.blake2b(digest_size=16)
    for start in range(0, len(text), piece):
        h.update(text[start : start + piece].encode("utf-8"))
    return h.hexdigest()


def _stale_analyses(query: Any, analyzer: str) -> Any:
    """``query`` over the current analyses another analyzer than ``analyzer`` made."""
    return (
        query.select_from(analyses)
        .join(articles, articles.c.id == analyses.c.article_id)
        .where(analyses.c.content_hash == articles.c.content_hash)
        .where(analyses.c.analyzer.is_(None) | (analyses.c.analyzer != analyzer))
    )


def _delete_state_rows(key: str) -> Any:
    """The statement deleting a state entry and its parts (``key`` already through :func:`_state_key`)."""
    # parts are named "key/0", "key/1"...: "/" < "0" bounds them without a LIKE pattern
    return delete(state).where((state.c.key == key) | ((state.c.key > f"{key}/") & (state.c.key < f"{key}0")))


def _state_key(key: str) -> str:
    # the key column holds 100 characters (PostgreSQL enforces it), less room for "/<part>": a
    # longer key, such as a watched feed's URL, is kept as its start and a digest of the whole
    room = STATE_KEY_CHARS - 8
    if len(key) <= room:
        return key
    return key[: room - 41] + "#" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def _part_key(key: str, index: int) -> str:
    return f"{key}/{index}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app and CLI read while an ingest writes; NORMAL sync is crash-safe in WAL mode
    with contextlib.suppress(Exception):  # a read-only file cannot switch mode; reads still work
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _entity_rows(
    items: Iterable[Entity], tallies: Mapping[str, str], where: str
) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for e in items:
        if e.id in rows:
            raise StoreError(f"{where}: two entities share the id {e.id}")
        # an entity's articles are rows of entity_articles, not part of its JSON (one entity is
        # written in 30k articles of a 100k store, and an ingest changes a few of them)
        data = {f.name: getattr(e, f.name) for f in fields(e) if f.name != "articles"}
        rows[e.id] = dict(
            id=e.id,
            name=e.name,
            type=e.type,
            aliases="\n".join(e.aliases),
            n_mentions=e.mentions,
            data=json.dumps(data, ensure_ascii=False),
            tally=tallies.get(e.id),
        )
    return rows


def _counted(entity: Entity) -> dict[str, int]:
    return dict.fromkeys(entity.articles, 1)


def _with_articles(conn: Connection, datas: list[str]) -> list[Entity]:
    """Entities from their JSON, each with its articles from ``entity_articles`` (a row written
    before schema 7 keeps the list in its JSON)."""
    found = [entity_from_dict(json.loads(d)) for d in datas]
    articles: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks([e.id for e in found], 500):
        query = select(entity_articles.c.entity_id, entity_articles.c.article_id).where(
            entity_articles.c.entity_id.in_(chunk)
        )
        for entity_id, article_id in conn.execute(query):
            articles[entity_id].append(article_id)
    for e in found:
        e.articles = sorted(articles[e.id]) if e.id in articles else e.articles
    return found


def _add_entity_articles(conn: Connection, delta: Mapping[tuple[str, str], int]) -> None:
    """Add mentions to (entity, article) rows; a row left with none goes."""
    # read by article, a query per 500 of them: a query per entity was 1,461 of them (0.54 s)
    # for the first hundred full-length articles of a store
    stored: dict[tuple[str, str], int] = {}
    for chunk in _chunks(sorted({article_id for _, article_id in delta}), 500):
        query = select(
            entity_articles.c.entity_id, entity_articles.c.article_id, entity_articles.c.mentions
        ).where(entity_articles.c.article_id.in_(chunk))
        stored.update({(e, a): int(n) for e, a, n in conn.execute(query) if (e, a) in delta})
    gone: dict[str, list[str]] = defaultdict(list)
    rows = []
    for (entity_id, article_id), n in delta.items():
        if not n:
            continue
        if (entity_id, article_id) in stored:
            gone[entity_id].append(article_id)
        now = stored.get((entity_id, article_id), 0) + n
        if now > 0:
            rows.append({"entity_id": entity_id, "article_id": article_id, "mentions": now})
    for entity_id, removed in gone.items():
        for chunk in _chunks(removed, 500):
            where = (entity_articles.c.entity_id == entity_id) & entity_articles.c.article_id.in_(chunk)
            conn.execute(delete(entity_articles).where(where))
    for start in range(0, len(rows), 5000):
        conn.execute(insert(entity_articles), rows[start : start + 5000])


def _like_safe(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('"', "")
