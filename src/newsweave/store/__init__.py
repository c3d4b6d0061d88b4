"""Where every stage's output is kept: SQLite by default, PostgreSQL when asked.

Public entry point: :func:`open_store`. Both backends share one schema, written
with SQLAlchemy Core; only full-text search differs (FTS5 on SQLite, ``tsvector``
on PostgreSQL).
"""

from __future__ import annotations

from newsweave.store.base import Store, StoreError, UpsertResult


def open_store(url: str) -> Store:
    """Open (creating if needed) the store at ``url``: a file path or a SQLAlchemy URL."""
    return Store(url)


__all__ = ["Store", "StoreError", "UpsertResult", "open_store"]
