"""Background ingest jobs: one worker thread runs them in order, pages poll their status.

One writer at a time keeps SQLite happy and the online clusterer's saved state
consistent; the web requests keep reading while a job writes (WAL mode).
"""

from __future__ import annotations

import queue
import shutil
import threading
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from newsweave.config import Config
from newsweave.model import IngestError
from newsweave.store import Store, open_store

JobStatus = Literal["queued", "running", "done", "failed"]
# the pipeline's ingest signature: (sources, config, store, progress, on_error) -> RunReport
IngestFn = Callable[..., Any]
STAGE_LABELS = {
    "read": "Reading inputs",
    "analyze": "Analysing articles",
    "cluster": "Clustering stories",
    "stories": "Building stories",
    "done": "Done",
}
MAX_KEPT_JOBS = 200  # finished jobs are forgotten oldest first beyond this


def default_ingest(sources: Sequence[str], config: Config, store: Store, progress: Any, on_error: Any) -> Any:
    # imported here so the web app starts even while an analysis stage is being rebuilt
    from newsweave import pipeline

    return pipeline.ingest(sources, config, store, progress, on_error)


def default_remove(
    ids: Sequence[str], config: Config, store: Store, progress: Any
) -> tuple[list[str], list[str]]:
    from newsweave import pipeline

    return pipeline.remove_articles(ids, config, store, progress)


@dataclass
class Job:
    id: str
    inputs: list[str]
    status: JobStatus = "queued"
    stage: str = "read"
    done: int = 0
    total: int = 0
    message: str = "Waiting for the previous job"
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    articles: list[dict[str, str]] = field(default_factory=list)  # {id, title}
    stories: list[dict[str, str]] = field(default_factory=list)  # {id, headline}
    errors: list[dict[str, str]] = field(default_factory=list)  # {source, reason}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "stage": self.stage,
            "stage_label": STAGE_LABELS.get(self.stage, self.stage),
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "created": self.created,
            "inputs": self.inputs,
            "articles": self.articles,
            "stories": self.stories,
            "errors": self.errors,
        }


@dataclass
class _Task:
    job: Job
    folder: Path | None
    sources: list[str]
    remove: list[str] | None = None  # article ids to remove, instead of sources to read


class JobRunner:
    """Queue of ingest jobs served by one daemon thread that owns its own store connection."""

    def __init__(
        self,
        db: str,
        config: Config,
        ingest: IngestFn = default_ingest,
        remove: Callable[..., tuple[list[str], list[str]]] = default_remove,
    ):
        self.db = db
        self.config = config
        self.ingest = ingest
        self.remove = remove
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def submit_removal(self, ids: list[str]) -> Job:
        """Queue the removal of articles (their stories are rebuilt), behind any ingest."""
        return self.submit([f"remove {i}" for i in ids], None, [], remove=ids)

    def submit(
        self, inputs: list[str], folder: Path | None, sources: list[str], remove: list[str] | None = None
    ) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], inputs=inputs)
        with self._lock:
            self.jobs[job.id] = job
            self._forget_old()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="newsweave-ingest", daemon=True)
                self._thread.start()
        self._queue.put(_Task(job, folder, sources, remove))
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self.jobs.get(job_id)

    def stop(self) -> None:
        self._queue.put(None)

    def _forget_old(self) -> None:
        finished = [j for j in self.jobs.values() if j.status in ("done", "failed")]
        for job in finished[: max(0, len(self.jobs) - MAX_KEPT_JOBS)]:
            del self.jobs[job.id]

    def _work(self) -> None:
        store: Store | None = None
        while (task := self._queue.get()) is not None:
            try:
                store = store or open_store(self.db)
                if task.remove is not None:
                    self._run_removal(task, store)
                else:
                    self._run(task, store)
            except Exception as exc:  # a failed job must not kill the worker for the next one
                task.job.status = "failed"
                task.job.message = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            finally:
                if task.folder is not None:
                    shutil.rmtree(task.folder, ignore_errors=True)
        if store is not None:
            store.close()

    def _run_removal(self, task: _Task, store: Store) -> None:
        job = task.job
        job.status, job.message = "running", "Removing articles"

        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        removed, rebuilt = self.remove(task.remove or [], self.config, store, progress)
        stories = store.list_stories(limit=len(rebuilt), ids=rebuilt) if rebuilt else []
        job.stories = [{"id": s.id, "headline": s.headline} for s in stories]
        job.errors = [
            {"source": a, "reason": "no such article"} for a in task.remove or [] if a not in removed
        ]
        job.stage, job.done, job.total = "done", len(removed), len(task.remove or [])
        job.status = "done" if removed else "failed"
        job.message = f"{len(removed)} articles removed; {len(rebuilt)} stories rebuilt"

    def _run(self, task: _Task, store: Store) -> None:
        job = task.job
        job.status, job.message = "running", STAGE_LABELS["read"]
        folder = task.folder
        assert folder is not None

        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total
            job.message = (
                f"{STAGE_LABELS.get(stage, stage)}: {done} of {total}"
                if total
                else STAGE_LABELS.get(stage, stage)
            )

        def on_error(err: IngestError) -> None:
            job.errors.append({"source": _label(err.source, folder), "reason": err.reason})

        report = self.ingest(task.sources, self.config, store, progress, on_error)
        for article_id, reason in getattr(report, "quarantined", []):
            job.errors.append({"source": article_id, "reason": f"stored but quarantined: {reason}"})
        ids = list(report.new) + list(report.updated) + list(report.unchanged)
        job.articles = [{"id": a.id, "title": a.title} for a in store.get_articles(ids)]
        story_ids = list(dict.fromkeys(s for a in ids for s in store.stories_of_article(a)))
        stories = store.list_stories(limit=len(story_ids), ids=story_ids) if story_ids else []
        job.stories = [{"id": s.id, "headline": s.headline} for s in stories]
        job.stage, job.done, job.total = "done", len(ids), len(ids)
        job.status = "done" if ids or not job.errors else "failed"
        job.message = (
            f"{len(report.new)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged "
            f"articles; {len(job.stories)} stories; {len(job.errors)} inputs skipped"
        )


def _label(source: str, folder: Path) -> str:
    """Hide the temporary folder from messages: the visitor knows the file by its own name."""
    return source.replace(str(folder) + "/", "")
