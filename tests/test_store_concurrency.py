"""Several processes creating one new store and writing the same articles at once: none dies, none is lost."""

from __future__ import annotations

import multiprocessing
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from newsweave.model import Article
from newsweave.store import open_store

PROCESSES = 4


def _article(n: int, version: str = "") -> Article:
    body = f"Report {n}: the port reopened on Thursday after a strike. {version}"
    return Article(id=f"a{n}", title=f"Port reopens {n}", text=body, raw_text=body, outlet="Ledger")


def _writer(url: str, worker: int, out: Any) -> None:
    try:
        with open_store(url) as store:
            shared = [_article(n) for n in range(40)]  # every process stores these
            own = [_article(100 + worker * 10 + n) for n in range(10)]
            for begin in range(0, 40, 8):
                store.upsert_articles(shared[begin : begin + 8] + own[begin // 4 : begin // 4 + 2])
            store.set_state(f"worker-{worker}", worker)
        out.put("ok")
    except BaseException as exc:  # the parent reports what killed the process
        out.put(f"died: {type(exc).__name__}: {exc}")


@pytest.fixture(params=["sqlite", "postgres"])
def new_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "new.db")
    server = request.getfixturevalue("postgres_url")
    name = "fresh_" + uuid.uuid4().hex[:8]
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def test_processes_creating_and_filling_one_new_store_at_once_all_finish(new_store_url: str) -> None:
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    runs = [context.Process(target=_writer, args=(new_store_url, w, out)) for w in range(PROCESSES)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(120)
    assert sorted(out.get(timeout=5) for _ in runs) == ["ok"] * PROCESSES
    with open_store(new_store_url) as store:
        assert store.count_articles() == 40 + PROCESSES * 10
        assert all(store.get_state(f"worker-{w}") == w for w in range(PROCESSES))
