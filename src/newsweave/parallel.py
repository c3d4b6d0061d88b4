"""Where work runs: in this process, in worker processes, or on a Dask cluster; one rule for all.

Both parallel stages (analysing batches of articles, filling stories) hand :func:`run` a function
and its jobs and get back one :class:`Outcome` per job, in the order of the jobs. Only the parent
reads and writes the store; a job carries what its function needs.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, TypeVar

from newsweave.config import Config

J = TypeVar("J")
R = TypeVar("R")


@dataclass
class Outcome(Generic[R]):
    """What one job gave: its value, or the exception it raised."""

    value: R | None = None
    error: BaseException | None = None


def run(
    fn: Callable[[J, Config], R],
    jobs: Iterable[J],
    config: Config,
    *,
    count: int,
    min_jobs: int,
    min_jobs_on_dask: int | None = None,
    threads: int = 1,
) -> Iterator[Outcome[R]]:
    """``fn(job, config)`` for each of ``count`` jobs, in order: on the Dask cluster
    (``config.dask_scheduler``) or in ``config.workers`` processes when there are at least
    ``min_jobs`` jobs (a worker's start, which loads spaCy, costs seconds; ``min_jobs_on_dask``, when
    given, for the cluster, whose workers may be running already), else here, one by one or,
    with ``threads`` > 1, that many at once (for a thread-safe ``fn`` whose heavy part releases
    the GIL). A few jobs are in flight at a time, so memory stays flat on a large backfill."""
    where = _where(config, count, min_jobs, min_jobs_on_dask)
    if where == "dask":
        yield from _on_dask(fn, jobs, config)
    elif where == "processes":
        yield from _in_processes(fn, jobs, worker_config(config))
    elif threads > 1:
        yield from _in_threads(fn, jobs, config, threads)
    else:
        for job in jobs:
            yield _outcome(partial(fn, job, config))


def spreads(config: Config, *, count: int, min_jobs: int, min_jobs_on_dask: int | None = None) -> bool:
    """Whether :func:`run` with these arguments sends the jobs to the cluster or to worker processes."""
    return _where(config, count, min_jobs, min_jobs_on_dask) != "here"


def _where(config: Config, count: int, min_jobs: int, min_jobs_on_dask: int | None) -> str:
    if config.dask_scheduler and count >= (min_jobs if min_jobs_on_dask is None else min_jobs_on_dask):
        return "dask"
    if count >= min_jobs and config.workers > 1:
        return "processes"
    return "here"


# Python's cyclic collector runs after every 700 net allocations. A run makes millions of objects
# (spaCy's tokens, the analyses) beside hundreds of thousands that live throughout (the models, the
# clusterer's state), and every collection of the oldest generation walks those again: 1.6 s of a
# first ingest of 100 full-length articles, 0.7-1.0 s of ten articles into a 100k store (9 and 7
# full collections). After every 50,000 allocations: 0.18 and 0.14 s, none of them full.
ALLOCATIONS_PER_COLLECTION = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while a run lasts; the thresholds are as they were after
    (a decorator too: each call of the function is such a run)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], ALLOCATIONS_PER_COLLECTION), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def collect_less_here() -> None:
    """For a process that does one run's work and ends (a helper, a worker): collect less for its life."""
    gc.set_threshold(max(gc.get_threshold()[0], ALLOCATIONS_PER_COLLECTION), *gc.get_threshold()[1:])


@contextmanager
def helper_process(start: bool, prepare: Callable[[], None] | None = None) -> Iterator[Executor | None]:
    """One process beside this one (spawned, ended on leaving), or None when ``start`` is false.

    For work whose Python would hold the GIL against this process's own (MiniLM beside spaCy):
    ``prepare`` runs there at once, so its loading overlaps the caller's next step. Not a worker
    setting: one command still runs it all, and a run too small to overlap anything starts none.
    """
    if not start:
        yield None
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # as for workers: threads do not survive a fork
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=collect_less_here) as helper:
        if prepare is not None:
            helper.submit(prepare)
        yield helper


def worker_config(config: Config) -> Config:
    """``config`` for one of ``config.workers`` processes: the workers share the cores, so each
    gets its share of onnxruntime's threads."""
    threads = max(1, config.analyze.embed_threads // config.workers)
    return replace(config, analyze=replace(config.analyze, embed_threads=threads))


def _in_processes(fn: Callable[[J, Config], R], jobs: Iterable[J], config: Config) -> Iterator[Outcome[R]]:
    import multiprocessing

    # spawn, not fork: onnxruntime and spaCy threads do not survive a fork safely
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=config.workers, mp_context=context, initializer=collect_less_here
    ) as pool:
        yield from _bounded((pool.submit(fn, job, config) for job in jobs), config.workers * 2)


def _in_threads(
    fn: Callable[[J, Config], R], jobs: Iterable[J], config: Config, threads: int
) -> Iterator[Outcome[R]]:
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="newsweave-job") as pool:
        yield from _bounded((pool.submit(fn, job, config) for job in jobs), threads * 2)


def _on_dask(fn: Callable[[J, Config], R], jobs: Iterable[J], config: Config) -> Iterator[Outcome[R]]:
    from dask.distributed import Client

    with Client(config.dask_scheduler) as client:  # type: ignore[no-untyped-call]  # dask's Client is untyped
        yield from _bounded(
            (client.submit(fn, job, config, pure=False) for job in jobs), _dask_in_flight(client)
        )


def _dask_in_flight(client: Any) -> int:
    # two jobs per worker thread keep every worker busy while the parent stores results
    threads: int = sum(client.nthreads().values())
    return max(2, 2 * threads)


def _bounded(futures: Iterator[Future[R]], in_flight: int) -> Iterator[Outcome[R]]:
    pending: deque[Future[R]] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= in_flight:
            yield _outcome(pending.popleft().result)
    while pending:
        yield _outcome(pending.popleft().result)


def _outcome(call: Callable[[], R]) -> Outcome[R]:
    try:
        return Outcome(value=call())
    except Exception as exc:  # the caller decides: analysis retries one by one, a story fill raises
        return Outcome(error=exc)
