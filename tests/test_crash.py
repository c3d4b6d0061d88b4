"""Crash safety: kill -9 an ingest at random points; a re-run resumes and nothing is lost or doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsweave.store import open_store

TOPICS = [
    ("port strike", "Dock workers at the northern terminal walked out over pay, the union said."),
    ("rate decision", "The central bank held its benchmark rate at 4.5 percent, citing sticky inflation."),
    ("wildfire", "Firefighters contained a wildfire that burned 2,000 hectares near the coast."),
    ("election", "Election officials said turnout reached 61 percent in the regional vote."),
]


def _write_articles(folder: Path, n: int) -> None:
    for i in range(n):
        topic, lead = TOPICS[i % len(TOPICS)]
        (folder / f"art-{i:03d}.txt").write_text(
            f"Update {i} on the {topic}\n\nBy Staff | Outlet {i % 5} | {1 + i % 27} March 2025\n\n"
            f"{lead} Officials gave more details on day {i}. "
            f"Residents were told to expect further announcements about the {topic}.\n"
        )


def _ingest(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "newsweave", "ingest", str(folder), "--db", str(db), "--no-embed", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


@pytest.mark.timeout(600)
def test_kill_minus_nine_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    n = 60
    _write_articles(folder, n)
    db = tmp_path / "news.db"
    rng = random.Random(7)
    for _ in range(4):
        proc = _ingest(folder, db)
        time.sleep(
            rng.uniform(1.5, 6.0)
        )  # spaCy loads in ~1 s: kills land in reading, analysis and clustering
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # the store opens and reads cleanly after every kill
        with open_store(str(db)) as store:
            assert store.count_articles() <= n
    final = _ingest(folder, db)
    _, err = final.communicate(timeout=500)
    assert final.returncode == 0, err.decode()
    with open_store(str(db)) as store:
        assert store.count_articles() == n
        assert sorted(store.article_ids()) == sorted(f"art-{i:03d}" for i in range(n))
        assert store.unanalyzed_ids() == []
        clustered = [a for s in store.list_stories(limit=1000) for a in s.articles]
        assert sorted(clustered) == sorted(store.article_ids())  # each article in exactly one story
