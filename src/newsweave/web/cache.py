"""Rendered responses kept in memory while the stories they show are unchanged.

A story page is read far more often than it changes; the store's stories revision
(:meth:`newsweave.store.Store.stories_revision`) changes on every story write, so a
cached body is served only while it is still what a fresh render would give.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ResponseCache:
    """A bounded, thread-safe LRU of response bodies keyed by (what, revision)."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_render(
        self, key: Hashable, revision: str | None, render: Callable[[], bytes], max_age: float | None = None
    ) -> bytes:
        """The cached body for ``key`` at ``revision``, rendering (outside the lock) when there is none.

        ``max_age`` (seconds) bounds how old a body may be, for what also changes between
        story writes (search finds articles as soon as they are stored).
        """
        full = (key, revision)
        now = time.monotonic()
        with self._lock:
            entry = self._items.get(full)
            if entry is not None and (max_age is None or now - entry[1] <= max_age):
                self._items.move_to_end(full)
                self.hits += 1
                return entry[0]
            self.misses += 1
        body = render()
        with self._lock:
            self._items[full] = (body, now)
            self._items.move_to_end(full)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return body
