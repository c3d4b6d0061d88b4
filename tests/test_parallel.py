"""parallel: where jobs run; in this process, on threads, outcomes still come back in job order."""

from __future__ import annotations

import threading
import time

import pytest

from newsweave import parallel
from newsweave.config import Config


def test_jobs_on_threads_overlap_and_come_back_in_job_order_with_their_errors() -> None:
    running, most = set(), 0
    lock = threading.Lock()

    def slow(job: int, config: Config) -> int:
        nonlocal most
        with lock:
            running.add(job)
            most = max(most, len(running))
        time.sleep(0.05 if job % 2 == 0 else 0.01)  # the even ones finish after the odd ones
        with lock:
            running.discard(job)
        if job == 3:
            raise ValueError("job 3 failed")
        return job * 10

    outcomes = list(parallel.run(slow, range(6), Config(), count=6, min_jobs=100, threads=2))
    assert [o.value for o in outcomes] == [0, 10, 20, None, 40, 50]
    assert isinstance(outcomes[3].error, ValueError)
    assert most == 2


def test_without_threads_jobs_run_one_at_a_time() -> None:
    seen: list[str] = []

    def record(job: int, config: Config) -> int:
        seen.append(threading.current_thread().name)
        return job

    assert [o.value for o in parallel.run(record, range(3), Config(), count=3, min_jobs=100)] == [0, 1, 2]
    assert set(seen) == {threading.current_thread().name}


def test_a_helper_process_is_started_only_when_asked_and_prepares_in_a_process_of_its_own() -> None:
    import os

    with parallel.helper_process(False) as none:
        assert none is None
    with parallel.helper_process(True, os.getpid) as helper:
        assert helper is not None
        assert helper.submit(os.getpid).result(timeout=120) != os.getpid()


def test_a_run_collects_cyclic_garbage_less_often_and_leaves_the_thresholds_as_they_were() -> None:
    import gc

    from newsweave.parallel import ALLOCATIONS_PER_COLLECTION, fewer_collections

    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []

    @fewer_collections()
    def run(fail: bool) -> None:
        seen.append(gc.get_threshold())
        if fail:
            raise RuntimeError("a run that fails")

    run(False)
    with pytest.raises(RuntimeError):
        run(True)
    assert seen == [(ALLOCATIONS_PER_COLLECTION, *before[1:])] * 2
    assert gc.get_threshold() == before
