"""The web app's response cache: one render per revision, however many readers ask at once."""

from __future__ import annotations

import threading
import time

import pytest

from newsweave.web.cache import ResponseCache


def _ask_together(cache: ResponseCache, render, n: int = 8) -> list[object]:
    results: list[object] = [None] * n

    def ask(i: int) -> None:
        try:
            results[i] = cache.get_or_render(("story", "s1"), "rev-1", render)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each reader got
            results[i] = exc

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
        assert not t.is_alive(), "a reader is still waiting"
    return results


def test_readers_asking_at_once_share_one_render() -> None:
    cache, calls = ResponseCache(), []

    def render() -> bytes:
        calls.append(1)
        time.sleep(0.2)  # long enough for every reader to arrive while it runs
        return b"<html>story</html>"

    assert _ask_together(cache, render) == [b"<html>story</html>"] * 8
    assert len(calls) == 1 and cache.misses == 1 and cache.hits == 7


def test_a_failing_render_reaches_every_reader_and_blocks_none() -> None:
    cache = ResponseCache()

    def render() -> bytes:
        time.sleep(0.05)
        raise LookupError("no story with id 's1'")

    results = _ask_together(cache, render, n=4)
    assert all(isinstance(r, LookupError) for r in results)
    # nothing was cached: the next reader renders again
    assert cache.get_or_render(("story", "s1"), "rev-1", lambda: b"ok") == b"ok"


def test_a_new_revision_renders_again_and_old_bodies_age_out() -> None:
    cache = ResponseCache(max_entries=2)
    assert cache.get_or_render("k", "r1", lambda: b"one") == b"one"
    assert cache.get_or_render("k", "r1", lambda: b"unused") == b"one"
    assert cache.get_or_render("k", "r2", lambda: b"two") == b"two"
    cache.get_or_render("other", "r1", lambda: b"x")
    assert cache.get_or_render("k", "r1", lambda: b"again") == b"again"  # evicted as least recent
    with pytest.raises(ValueError):
        cache.get_or_render("bad", None, lambda: (_ for _ in ()).throw(ValueError("broken")))
