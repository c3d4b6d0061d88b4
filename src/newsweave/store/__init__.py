"""Where every stage's output is kept: SQLite by default, PostgreSQL when asked.

Public entry point: :func:`open_store`. Both backends share one schema, written
with SQLAlchemy Core (``schema``: tables and migrations); only full-text search
differs (FTS5 on SQLite, ``tsvector`` on PostgreSQL). ``base`` holds the
:class:`Store`, ``serialize`` the records' JSON form.
"""

from __future__ import annotations

from newsweave.store.base import STORY_SORTS, Store, StoreError, UpsertResult


def open_store(url: str) -> Store:
    """Open (creating if needed) the store at ``url``: a file path or a SQLAlchemy URL."""
    return Store(url)


__all__ = ["STORY_SORTS", "Store", "StoreError", "UpsertResult", "open_store"]
