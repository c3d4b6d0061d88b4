"""Rendered responses kept in memory while the stories they show are unchanged.

A story page is read far more often than it changes; the store's stories revision
(:meth:`newsweave.store.Store.stories_revision`) changes on every story write, so a
cached body is served only while it is still what a fresh render would give.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ResponseCache:
    """A bounded, thread-safe LRU of response bodies keyed by (what, revision)."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_render(self, key: Hashable, revision: str | None, render: Callable[[], bytes]) -> bytes:
        """The cached body for ``key`` at ``revision``, rendering (outside the lock) when there is none."""
        full = (key, revision)
        with self._lock:
            body = self._items.get(full)
            if body is not None:
                self._items.move_to_end(full)
                self.hits += 1
                return body
            self.misses += 1
        body = render()
        with self._lock:
            self._items[full] = body
            self._items.move_to_end(full)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return body
