"""Rendered responses kept in memory while the stories they show are unchanged.

A story page is read far more often than it changes; the story's revision
(:meth:`newsweave.store.Store.story_revision`) changes whenever that story is written, so a
cached body is served only while it is still what a fresh render would give. Readers that
ask for the same missing body at once wait for one render instead of each doing it: right
after an ingest rewrites a popular story, fifty readers would otherwise render it fifty times.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from starlette.concurrency import run_in_threadpool


class ResponseCache:
    """A bounded, thread-safe LRU of response bodies keyed by (what, revision)."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: dict[Hashable, threading.Event] = {}  # keys being rendered now
        self.hits = self.misses = 0

    async def get(
        self, key: Hashable, revision: str | None, render: Callable[[], bytes], max_age: float | None = None
    ) -> bytes:
        """:meth:`get_or_render` for an async endpoint: a hit is answered on the event loop, and
        only a render (store reads, a template) goes to a worker thread."""
        with self._lock:
            body = self._fresh((key, revision), time.monotonic(), max_age)
        if body is not None:
            return body
        return await run_in_threadpool(self.get_or_render, key, revision, render, max_age)

    def _fresh(self, full: Hashable, now: float, max_age: float | None) -> bytes | None:
        """The cached body if it is young enough, counted as a hit; call with the lock held."""
        entry = self._items.get(full)
        if entry is None or (max_age is not None and now - entry[1] > max_age):
            return None
        self._items.move_to_end(full)
        self.hits += 1
        return entry[0]

    def get_or_render(
        self, key: Hashable, revision: str | None, render: Callable[[], bytes], max_age: float | None = None
    ) -> bytes:
        """The cached body for ``key`` at ``revision``, rendering (outside the lock) when there is none.

        ``max_age`` (seconds) bounds how old a body may be, for what also changes between
        story writes (search finds articles as soon as they are stored).
        """
        full = (key, revision)
        while True:
            now = time.monotonic()
            with self._lock:
                body = self._fresh(full, now, max_age)
                if body is not None:
                    return body
                underway = self._rendering.get(full)
                if underway is None:
                    done = self._rendering[full] = threading.Event()
                    self.misses += 1
                    break
            # another reader is rendering this body: wait for it, then look again (if its render
            # failed, the next look finds no entry and this reader renders, and fails, itself)
            underway.wait()
        try:
            body = render()
            with self._lock:
                self._items[full] = (body, now)
                self._items.move_to_end(full)
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
            return body
        finally:
            with self._lock:
                del self._rendering[full]
            done.set()
