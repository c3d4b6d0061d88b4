"""How crowded each article's neighbourhood is, from a nearest-neighbour index of its MiniLM vector.

Public entry point: :class:`Neighbourhood`.

Some reports resemble nearly everything around them (a routine wire item among many like it);
others stand apart (a feature with names of its own). One similarity bar treats both alike, so
events of the first kind swallow reports that are merely of the same sort, and the second kind
splits away from its own event. An article's *closeness* is its mean similarity to its nearest
reports; its *crowding* is that closeness less the *usual* closeness: the mean over the
articles that have a neighbour worth the name. The clusterer lowers the similarity of two
articles by their mean crowding (cross-domain similarity local scaling, CSLS, measured against
the collection's usual neighbourhood rather than zero, so that one bar suits collections as
different as ECB+ and NeuS: docs/BENCHMARKS.md). Lone reports are left out of the usual
closeness because a collection of many of them would otherwise make every event covered by
several outlets look crowded, and split it.

The index is an HNSW graph (faiss) over half-precision unit vectors, so finding an article's
neighbours costs about the same at 1k articles as at 100k. A new article may become one of its
neighbours' nearest, so their closeness is updated too; each change is reported to the caller.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import faiss

NEAREST = 2  # neighbours whose similarities make an article's closeness (2 and 3 measured alike)
CHECKED = 8  # neighbours a new article is compared with: it may become one of *their* nearest
# An article this similar to one already indexed is a copy of its text (a wire story republished):
# it shares that article's place instead of taking its own. Counted as a neighbour, a copy would
# make a syndicated article look crowded and split it from its own event; indexed, the copies of a
# text republished by dozens of outlets would fill every search and hide the nearest other reports.
COPY_SIMILARITY = 0.95
# An article whose nearest reports are less similar than this has no neighbour worth the name
# (MiniLM cosine; reports of one event score 0.6-0.9), and does not count towards the usual closeness.
NEIGHBOUR_SIMILARITY = 0.5
HNSW_LINKS = 16  # graph edges per vector (faiss's M)
SEARCH_BREADTH = 48  # candidates a search keeps (efSearch): near-exact for the 8 wanted
INDEX_PIECE = 3 * (
    1 << 21
)  # bytes of the serialised index per state entry (6 MB; a multiple of 3 for base64)

# article id → (previous closeness or None, new closeness), for articles whose closeness changed
Changes = dict[str, tuple[float | None, float]]


class Neighbourhood:
    """Closeness and crowding of every article added, kept current as articles arrive."""

    def __init__(self, name: str = "neighbourhood") -> None:
        self.name = name  # what its entries of the state are called: a clusterer keeps two
        self._index: faiss.IndexHNSWSQ | None = None  # created with the first vector, whose length it takes
        self._ids: list[str] = []  # article id per index slot
        self._slot: dict[str, int] = {}  # article id → its slot, or its original's for a copy
        self._copies: dict[int, list[str]] = {}  # slot → the copies sharing it
        # per slot its NEAREST highest similarities, ascending; -inf where none is known yet
        self._near = np.full((0, NEAREST), -np.inf, dtype=np.float32)
        # the closeness of articles with a neighbour (closeness >= NEIGHBOUR_SIMILARITY), summed
        self._closeness_sum = 0.0
        self._neighboured = 0

    def __len__(self) -> int:
        return len(self._slot)

    def add(self, article_id: str, vector: npt.NDArray[np.float32] | None) -> Changes:
        """Index ``vector`` (a unit vector) under ``article_id``; return whose closeness changed,
        the new article's own included (a copy's is its original's, which does not change).
        Adding an id again, or no vector, changes nothing."""
        if vector is None or article_id in self._slot:
            return {}
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        if self._index is None:
            self._index = _new_index(query.shape[1])
        found = self._nearest(query)
        if found and found[0][0] >= COPY_SIMILARITY:
            original = found[0][1]
            self._slot[article_id] = original
            self._copies.setdefault(original, []).append(article_id)
            closeness = self.closeness(article_id)
            return {} if closeness is None else {article_id: (None, closeness)}
        changes: Changes = {}
        near = np.full(NEAREST, -np.inf, dtype=np.float32)
        for score, slot in found:
            _keep_highest(near, score)
            if score > self._near[slot, 0]:  # the newcomer is now among this neighbour's nearest
                before = _mean_known(self._near[slot])
                _keep_highest(self._near[slot], score)
                after = self._record(before, self._near[slot])
                for neighbour in (self._ids[slot], *self._copies.get(slot, ())):
                    changes[neighbour] = (before, after)
        self._index.add(query)
        self._slot[article_id] = len(self._ids)
        self._ids.append(article_id)
        if len(self._ids) > len(self._near):  # grown by half at a time: appending row by row copies all
            self._near = np.vstack(
                [self._near, np.full((len(self._near) // 2 + 64, NEAREST), -np.inf, np.float32)]
            )
        self._near[len(self._ids) - 1] = near
        if np.isfinite(near).any():
            changes[article_id] = (None, self._record(None, near))
        return changes

    def _nearest(self, query: npt.NDArray[np.float32]) -> list[tuple[float, int]]:
        """The CHECKED most similar indexed articles, most similar first: (similarity, slot)."""
        if self._index is None or not self._ids:
            return []
        scores, slots = self._index.search(query, min(CHECKED, len(self._ids)))
        return [
            (score, slot)
            for score, slot in zip(scores[0].tolist(), slots[0].tolist(), strict=True)
            if slot >= 0
        ]

    def nearest(self, vector: npt.NDArray[np.float32]) -> list[str]:
        """The ids of the CHECKED indexed articles most similar to ``vector``, most similar first."""
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        return [self._ids[slot] for _, slot in self._nearest(query)]

    def closeness(self, article_id: str) -> float | None:
        """Mean similarity of the article to its nearest reports (copies aside); None when it
        has none yet (the first article, and its copies)."""
        slot = self._slot.get(article_id)
        return None if slot is None else _mean_known(self._near[slot])

    @property
    def usual_closeness(self) -> float:
        """The mean closeness of the articles that have a neighbour (0 while none has)."""
        return self._closeness_sum / self._neighboured if self._neighboured else 0.0

    def crowding(self, article_id: str) -> float:
        """How much closer the article's nearest reports are than they usually are."""
        return self.crowding_at(self.closeness(article_id))

    def crowding_at(self, closeness: float | None) -> float:
        """The crowding of a closeness (an article's, or a group's mean); 0 while either is unknown."""
        return 0.0 if closeness is None or not self._neighboured else closeness - self.usual_closeness

    def _record(self, before: float | None, near: npt.NDArray[np.float32]) -> float:
        # the article's closeness moves from ``before`` to the mean of ``near`` (down, too, when a
        # second neighbour joins a single close one); the usual closeness follows
        after = _mean_known(near)
        assert after is not None
        self._count(before, -1)
        self._count(after, +1)
        return after

    def _count(self, closeness: float | None, sign: int) -> None:
        if closeness is not None and closeness >= NEIGHBOUR_SIMILARITY:
            self._closeness_sum += sign * closeness
            self._neighboured += sign

    # ---- state -------------------------------------------------------------------------------

    def state_parts(self) -> Iterator[tuple[str, Any]]:
        """JSON-ready entries of the state: the ids in slot order and the nearest similarities,
        then the serialised index in pieces of INDEX_PIECE bytes (about 1 KB an article), so that a
        store writing one entry at a time never holds the whole index as text."""
        import faiss

        # the serialised index is read a piece at a time, not copied whole into bytes first
        raw = (np.zeros(0, np.uint8) if self._index is None else faiss.serialize_index(self._index)).data
        near = np.ascontiguousarray(self._near[: len(self._ids)], dtype="<f4").tobytes()
        pieces = range(0, len(raw), INDEX_PIECE)
        yield (
            self.name,
            {
                "ids": self._ids,
                # per slot the copies sharing it, as kept: an id → slot map of the 91k copies of a
                # 100k store cost 0.13 s to build and write on every run, these lists 0.02 s
                "copies": [[slot, ids] for slot, ids in self._copies.items()],
                "near": base64.b64encode(near).decode("ascii"),
                "index_pieces": len(pieces),
            },
        )
        for i, start in enumerate(pieces):
            yield (
                f"{self.name}_index_{i}",
                base64.b64encode(raw[start : start + INDEX_PIECE]).decode("ascii"),
            )

    def to_state(self) -> dict[str, Any]:
        return dict(self.state_parts())

    @classmethod
    def from_state(cls, state: dict[str, Any], name: str = "neighbourhood") -> Neighbourhood:
        """Continue from the entries of :meth:`state_parts` (``state`` may hold other entries too);
        an empty one when ``state`` holds none under ``name`` (written before it was kept)."""
        import faiss

        neighbourhood = cls(name)
        head = state.get(name)
        if head is None:
            return neighbourhood
        if head["index_pieces"]:
            raw = b"".join(base64.b64decode(state[f"{name}_index_{i}"]) for i in range(head["index_pieces"]))
            index = faiss.deserialize_index(np.frombuffer(raw, dtype=np.uint8).copy())
            if not isinstance(index, faiss.IndexHNSWSQ):
                kind = type(index).__name__
                raise ValueError(f"the stored neighbourhood index is a {kind}, not the HNSW index it writes")
            index.hnsw.efSearch = SEARCH_BREADTH
            neighbourhood._index = index
        neighbourhood._ids = list(head["ids"])
        neighbourhood._slot = {a: i for i, a in enumerate(neighbourhood._ids)}
        copies = head["copies"]
        pairs = copies.items() if isinstance(copies, dict) else ((c, s) for s, ids in copies for c in ids)
        for copy, slot in pairs:  # a dict of copy → slot in a state written before stop 38
            neighbourhood._slot[copy] = slot
            neighbourhood._copies.setdefault(slot, []).append(copy)
        near = np.frombuffer(base64.b64decode(head["near"]), dtype="<f4").astype(np.float32)
        neighbourhood._near = near.reshape(-1, NEAREST).copy()
        for row in neighbourhood._near:
            neighbourhood._count(_mean_known(row), +1)
        return neighbourhood


def _new_index(dimensions: int) -> faiss.IndexHNSWSQ:
    import faiss

    # faiss's stub asks a ScalarQuantizer; the constructor (as in C++) takes its QuantizerType, an int
    quantizer = faiss.ScalarQuantizer.QT_fp16
    index = faiss.IndexHNSWSQ(dimensions, quantizer, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)  # type: ignore[arg-type]
    index.hnsw.efSearch = SEARCH_BREADTH
    return index


def _keep_highest(near: npt.NDArray[np.float32], score: float) -> None:
    """Put ``score`` among the ascending row of highest similarities if it beats the lowest."""
    if score > near[0]:
        near[0] = score
        near.sort()


def _mean_known(near: npt.NDArray[np.float32]) -> float | None:
    known = [v for v in near.tolist() if not math.isinf(v)]
    return sum(known) / len(known) if known else None
