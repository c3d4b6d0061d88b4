"""The clusterer's state: its groups (subjects), their events, each member's signals, and how
they are written to and read from the store (packed base64, so a 100k-article state stays small)."""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Generic, NotRequired, TypedDict, TypeVar

import numpy as np
import numpy.typing as npt

from newsweave.cluster.features import (
    Features,
    Signature,
    Sparse,
    Vector,
    add_into,
    signature,
    unsigned,
)

# 12: groups and members also hold the multilingual encoder's vectors (an 11 reads as having none);
# 11: members say whether their date is their publication day, groups count those that are (a 10
#     reads as counting none, so its stories keep the three-month rule);
# 10: groups count their members' languages and members keep theirs (a 9 reads as knowing none);
# 9: groups and members also hold the days their leads name (an 8 reads as naming none);
# 8: stories and articles are kept one item each, written back only when changed (7 and older are
# read whole and written as items once);
# 7: stories are happenings (the former events) and each group counts its members' dates; an older
# state is clustered afresh (6 added the neighbourhood index and each event's closeness sum;
# 5 packed term and entity weights as base64; 4 wrote them as decimal dicts; 3 also vectors as lists)
STATE_VERSION = 12


READABLE_STATE_VERSIONS = (7, 8, 9, 10, 11, 12)


@dataclass
class Group:
    """A story or an event: sums of its members' unit vectors, how many each sum holds, a date span."""

    id: str
    articles: list[str] = field(default_factory=list)
    terms: Sparse = field(default_factory=dict)
    entities: Sparse = field(default_factory=dict)
    n_entities: int = 0  # members that have entities (the entity sum's count)
    vector: Vector | None = None
    n_vectors: int = 0
    span: tuple[int, int] | None = None
    numbers: Sparse = field(default_factory=dict)
    n_numbers: int = 0  # members that report numbers (the number sum's count)
    days: Sparse = field(default_factory=dict)
    n_days: int = 0  # members whose lead names a day (the day sum's count)
    closeness_sum: float = 0.0  # the members' closeness (:mod:`newsweave.cluster.neighbours`), summed
    n_closeness: int = 0
    # how many members carry each date span: the group's own dates are those most members carry
    spans: Counter[tuple[int, int]] = field(default_factory=Counter)
    # members per language; members placed before languages were counted (state 9) are in none
    languages: Counter[str] = field(default_factory=Counter)
    # dated members whose date is their publication day (state 11 on; an older state counts none)
    n_published: int = 0
    # the sum of the members' multilingual vectors (pairs in two languages read it), and its count
    multilingual: Vector | None = None
    n_multilingual: int = 0

    @property
    def published_only(self) -> bool:
        """Whether every dated member is dated by its publication day (none by a day its text names)."""
        return 0 < self.n_published == sum(self.spans.values())

    @property
    def dates(self) -> tuple[int, int] | None:
        """The dates most of the group's dated members carry (:func:`majority_span`)."""
        return majority_span(self.spans)

    def add(
        self,
        article_id: str,
        terms: Sparse,
        entities: Sparse,
        vector: Vector | None,
        span: tuple[int, int] | None,
        closeness: float | None = None,
        numbers: Sparse | None = None,
        days: Sparse | None = None,
        language: str | None = None,
        published: bool = False,
        multilingual: Vector | None = None,
    ) -> None:
        self.articles.append(article_id)
        if language:
            self.languages[language] += 1
        if multilingual is not None:
            self.multilingual = _plus(self.multilingual, multilingual)
            self.n_multilingual += 1
        if numbers:
            add_into(self.numbers, numbers)
            self.n_numbers += 1
        if days:
            add_into(self.days, days)
            self.n_days += 1
        if closeness is not None:
            self.closeness_sum += closeness
            self.n_closeness += 1
        add_into(self.terms, terms)
        if entities:
            add_into(self.entities, entities)
            self.n_entities += 1
        if vector is not None:
            self.vector = _plus(self.vector, vector)
            self.n_vectors += 1
        self.span = union_span(self.span, span)
        if span is not None:
            self.spans[span] += 1
            self.n_published += published

    def absorb(self, other: Group) -> None:
        self.articles.extend(other.articles)
        add_into(self.terms, other.terms)
        add_into(self.entities, other.entities)
        self.n_entities += other.n_entities
        if other.vector is not None:
            self.vector = _plus(self.vector, other.vector)
        self.n_vectors += other.n_vectors
        self.span = union_span(self.span, other.span)
        self.spans.update(other.spans)
        add_into(self.numbers, other.numbers)
        self.n_numbers += other.n_numbers
        add_into(self.days, other.days)
        self.n_days += other.n_days
        self.closeness_sum += other.closeness_sum
        self.n_closeness += other.n_closeness
        self.languages.update(other.languages)
        self.n_published += other.n_published
        if other.multilingual is not None:
            self.multilingual = _plus(self.multilingual, other.multilingual)
        self.n_multilingual += other.n_multilingual

    def across(self, language: str) -> float:
        """The share of members in another language than ``language``, of those whose language
        is known (members of an older state are not: they count as sharing it)."""
        return (sum(self.languages.values()) - self.languages[language]) / len(self.articles)

    def across_group(self, other: Group) -> float:
        """The share of the two groups' pairs of members whose languages are known and differ."""
        known = sum(self.languages.values()) * sum(other.languages.values())
        same = sum(n * other.languages[code] for code, n in self.languages.items())
        return (known - same) / (len(self.articles) * len(other.articles))


@dataclass
class StoryRecord(Group):
    # Its events (groups of its members reporting one happening). A story read back keeps them
    # as stored (``stored_events``) until they are first asked for: an article is scored against
    # 40 candidate stories as wholes and against the events of 8, and the events were 94 % of
    # what decoding a candidate cost (100k articles: 4,948 events in 309 candidates, 0.57 s).
    stored_events: list[GroupState] | None = field(default=None, repr=False)
    keys: set[int] = field(default_factory=set)  # what the story is indexed under
    # While the story is small (``exact``): its members' similarities (rows and columns in ``articles``
    # order), from which its events are re-derived exactly each time it changes. None once it has
    # grown, and also while no one has needed it since the state was read: the clusterer scores it
    # when first asked (a 10k-article store held 390 such stories; scoring them all on every read was
    # 1.2 of the 2.0 s that reading took).
    exact: bool = True
    matrix: npt.NDArray[np.float32] | None = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    settled_closeness: float = 0.0  # the collection's usual closeness when its events were last derived
    _events: list[Group] = field(default_factory=list, repr=False)

    @property
    def events(self) -> list[Group]:
        if self.stored_events is not None:
            self._events = [Group(**group_fields(e)) for e in self.stored_events]
            self.stored_events = None
        return self._events

    @events.setter
    def events(self, value: list[Group]) -> None:
        self._events = value
        self.stored_events = None


@dataclass
class Member:
    """One article's weighted signals, kept while its story is small enough to re-split exactly.

    Terms and entities are held as arrays (:func:`signature`), a quarter of a dict's memory,
    and expanded only while a story's similarities are being computed."""

    terms: Signature
    entities: Signature
    vector: Vector | None
    span: tuple[int, int] | None
    numbers: Signature
    days: Signature
    language: str = ""  # "" in a state written before languages were kept
    published: bool = False  # whether ``span`` is the publication day (False in a state before 11)
    multilingual: Vector | None = None  # None in a state written before (11 and older)

    @classmethod
    def of(cls, features: Features, terms: Sparse) -> Member:
        return cls(
            signature(terms),
            signature(features.entities),
            features.vector,
            features.span,
            signature(features.numbers),
            signature(features.days),
            features.language,
            features.published,
            features.multilingual,
        )

    def expanded(self) -> Signals:
        return Signals(
            unsigned(self.terms),
            unsigned(self.entities),
            self.vector,
            self.span,
            unsigned(self.numbers),
            unsigned(self.days),
            self.language,
            self.published,
            self.multilingual,
        )


@dataclass
class Signals:
    """A member's signals as sparse dicts, for scoring."""

    terms: Sparse
    entities: Sparse
    vector: Vector | None
    span: tuple[int, int] | None
    numbers: Sparse
    days: Sparse
    language: str = ""
    published: bool = False
    multilingual: Vector | None = None


def majority_span(spans: Counter[tuple[int, int]]) -> tuple[int, int] | None:
    """The shortest run of dates that holds more than half of the dated members (by their first
    day), from the first day of its earliest to the last day of its latest. One report dated
    far from the rest (a follow-up months on, a date read wrongly) then neither names nor dates
    the happening the others describe; with no majority (two reports, far apart) it spans all."""
    if not spans:
        return None
    dated = sorted(spans.elements())
    need = len(dated) // 2 + 1
    start = min(range(len(dated) - need + 1), key=lambda i: (dated[i + need - 1][0] - dated[i][0], i))
    window = dated[start : start + need]
    return window[0][0], max(s[1] for s in window)


def packed(keys: npt.NDArray[np.integer], values: npt.NDArray[np.floating], value_type: str) -> str:
    # keys (int32) then values, as one base64 string: a 100k-article state held as JSON dicts of
    # decimal floats was ~190 MB of text and several times that in objects while being written
    return base64.b64encode(
        np.asarray(keys, dtype="<i4").tobytes() + np.asarray(values, dtype=value_type).tobytes()
    ).decode("ascii")


def unpacked(data: str, value_type: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.floating]]:
    raw = base64.b64decode(data)
    n = len(raw) // (4 + np.dtype(value_type).itemsize)
    return np.frombuffer(raw, "<i4", n).astype(np.int32), np.frombuffer(raw, value_type, n, offset=4 * n)


def sparse_out(s: Sparse) -> str:
    # sums stay float64, so a reloaded clusterer scores exactly as the one that was saved
    return packed(np.fromiter(s.keys(), np.int64, len(s)), np.fromiter(s.values(), np.float64, len(s)), "<f8")


def sparse_in(s: str) -> Sparse:
    keys, values = unpacked(s, "<f8")
    return dict(zip(keys.tolist(), values.tolist(), strict=True))


def signature_out(signature: Signature) -> str:
    return packed(signature[0], signature[1], "<f4")


def signature_in(data: str) -> Signature:
    keys, values = unpacked(data, "<f4")
    return keys, values.astype(np.float32)


def vector_out(vector: Vector | None) -> str | None:
    # 2 KB of base64 instead of ~4 KB of decimal floats, and one string instead of 384 floats
    # while the state is being written: the state of 100k articles is mostly these vectors
    if vector is None:
        return None
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def vector_in(data: str | None) -> Vector | None:
    if data is None:
        return None
    return np.frombuffer(base64.b64decode(data), dtype="<f4").astype(np.float32)


class GroupState(TypedDict):
    """A :class:`Group` as the stored state holds it (sparse sums and vectors packed as base64)."""

    id: str
    articles: list[str]
    terms: str
    entities: str
    n_entities: int
    vector: str | None
    n_vectors: int
    span: list[int] | None
    closeness_sum: float
    n_closeness: int
    numbers: str
    n_numbers: int
    days: NotRequired[str]  # state 9 on; none in an older state
    n_days: NotRequired[int]
    spans: list[list[int]]  # [first day, last day, members carrying that span]
    languages: NotRequired[dict[str, int]]  # state 10 on
    n_published: NotRequired[int]  # state 11 on
    multilingual: NotRequired[str | None]  # state 12 on
    n_multilingual: NotRequired[int]


class StoryState(GroupState):
    events: list[GroupState]
    exact: bool  # whether the story kept its similarity matrix (rebuilt on reading)
    settled_closeness: float


class MemberState(TypedDict):
    terms: str
    entities: str
    vector: str | None
    span: list[int] | None
    numbers: str
    days: NotRequired[str]
    language: NotRequired[str]  # state 10 on
    published: NotRequired[bool]  # state 11 on
    multilingual: NotRequired[str | None]  # state 12 on


def group_out(g: Group) -> GroupState:
    return {
        "id": g.id,
        "articles": g.articles,
        "terms": sparse_out(g.terms),
        "entities": sparse_out(g.entities),
        "n_entities": g.n_entities,
        "vector": vector_out(g.vector),
        "n_vectors": g.n_vectors,
        "span": list(g.span) if g.span else None,
        "closeness_sum": g.closeness_sum,
        "n_closeness": g.n_closeness,
        "numbers": sparse_out(g.numbers),
        "n_numbers": g.n_numbers,
        "days": sparse_out(g.days),
        "n_days": g.n_days,
        "spans": [[a, b, n] for (a, b), n in sorted(g.spans.items())],
        "languages": dict(sorted(g.languages.items())),
        "n_published": g.n_published,
        "multilingual": vector_out(g.multilingual),
        "n_multilingual": g.n_multilingual,
    }


def group_fields(data: GroupState) -> dict[str, Any]:
    return {
        "id": data["id"],
        "articles": list(data["articles"]),
        "terms": sparse_in(data["terms"]),
        "entities": sparse_in(data["entities"]),
        "n_entities": data["n_entities"],
        "vector": vector_in(data["vector"]),
        "n_vectors": data["n_vectors"],
        "span": tuple(data["span"]) if data["span"] else None,
        "closeness_sum": data["closeness_sum"],
        "n_closeness": data["n_closeness"],
        "numbers": sparse_in(data["numbers"]),
        "n_numbers": data["n_numbers"],
        "days": sparse_in(data["days"]) if "days" in data else {},
        "n_days": data.get("n_days", 0),
        "spans": Counter({(a, b): n for a, b, n in data["spans"]}),
        "languages": Counter(data.get("languages", {})),
        "n_published": data.get("n_published", 0),
        "multilingual": vector_in(data.get("multilingual")),
        "n_multilingual": data.get("n_multilingual", 0),
    }


def story_out(s: StoryRecord) -> StoryState:
    return {
        **group_out(s),
        "events": s.stored_events if s.stored_events is not None else [group_out(e) for e in s.events],
        "exact": s.exact,
        "settled_closeness": s.settled_closeness,
    }


def member_out(m: Member) -> MemberState:
    return {
        "terms": signature_out(m.terms),
        "entities": signature_out(m.entities),
        "vector": vector_out(m.vector),
        "span": list(m.span) if m.span else None,
        "numbers": signature_out(m.numbers),
        "days": signature_out(m.days),
        "language": m.language,
        "published": m.published,
        "multilingual": vector_out(m.multilingual),
    }


def member_in(data: MemberState) -> Member:
    return Member(
        terms=signature_in(data["terms"]),
        entities=signature_in(data["entities"]),
        vector=vector_in(data["vector"]),
        span=(data["span"][0], data["span"][1]) if data["span"] else None,
        numbers=signature_in(data["numbers"]),
        days=signature_in(data["days"]) if "days" in data else signature({}),
        language=data.get("language", ""),
        published=data.get("published", False),
        multilingual=vector_in(data.get("multilingual")),
    )


def story_in(data: StoryState) -> StoryRecord:
    return StoryRecord(
        **group_fields(data),
        stored_events=data["events"],
        settled_closeness=data["settled_closeness"],
        exact=data["exact"],
        matrix=None,
    )


def union_span(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


V = TypeVar("V")


# reads stored rows of one kind: those of the keys given (the ones kept), or every one for None
Fetch = Callable[[list[str] | None], dict[str, str]]
# reads a store's items of one kind (:data:`ITEM_KINDS`): (kind, keys without it, or None for
# every one) -> the rows kept, keyed without the kind
ItemReader = Callable[[str, list[str] | None], dict[str, str]]


class RowMap(MutableMapping[str, V], Generic[V]):
    """A dict kept one stored row per key: the rows read back are decoded when first asked for,
    and the keys set or deleted since are the rows a save writes.

    A 10-article ingest into a 100k-article store touches a few dozen of the clusterer's
    200k stories and articles; decoding and writing back all of them was 8.5 s of its 26 s.
    Read with :meth:`read_from`, rows are also fetched from the store only when first asked
    for (or :meth:`prefetch`-ed, many in one query): reading all 325k of them as text was
    1.1 of the 2 s before that ingest's clustering, and 157 MB.
    """

    def __init__(self, decode: Callable[[Any], V], encode: Callable[[V], Any]):
        self._decode = decode
        self._encode = encode
        self._rows: dict[str, str] = {}  # stored JSON not decoded yet
        self._values: dict[str, V] = {}
        self.changed: set[str] = set()
        self._fetch: Fetch | None = None  # where rows not read yet are, when read lazily
        # keys stored and not fetched yet, when the caller knows them; None: ask the store
        self._unfetched: set[str] | None = None
        self._absent: set[str] = set()  # keys known to have no row (asked for, or deleted)

    def read(self, rows: dict[str, str]) -> None:
        """Hold the stored ``rows`` (key → JSON) in place of everything held so far, unchanged."""
        self._start(rows, None, None)

    def read_from(self, fetch: Fetch, keys: Iterable[str] | None = None) -> None:
        """Hold the rows ``fetch`` reads in place of everything held so far, fetching each when
        first asked for; ``keys``, when given, are every stored key (no other is asked for)."""
        self._start({}, fetch, None if keys is None else set(keys))

    def _start(self, rows: dict[str, str], fetch: Fetch | None, keys: set[str] | None) -> None:
        self._rows = rows
        self._fetch, self._unfetched = fetch, keys
        self._values.clear()
        self._absent.clear()
        self.changed.clear()

    def prefetch(self, keys: Iterable[str]) -> None:
        """Fetch the stored rows of ``keys`` not fetched yet, in one read."""
        if self._fetch is None:
            return
        wanted = [k for k in dict.fromkeys(keys) if self._may_be_stored(k)]
        if not wanted:
            return
        found = self._fetch(wanted)
        for key in wanted:
            if key in found:
                self._rows[key] = found[key]
            else:
                self._absent.add(key)
            if self._unfetched is not None:
                self._unfetched.discard(key)

    def _may_be_stored(self, key: str) -> bool:
        """Whether ``key`` may have a stored row not fetched yet."""
        if key in self._values or key in self._rows or key in self._absent:
            return False
        return self._unfetched is None or key in self._unfetched

    def _fetch_all(self) -> None:
        if self._fetch is None:
            return
        if self._unfetched is not None:
            self.prefetch(list(self._unfetched))
            return
        for key, row in self._fetch(None).items():
            if key not in self._values and key not in self._rows and key not in self._absent:
                self._rows[key] = row
        self._fetch = None  # every row is held now

    def _held(self, key: str) -> bool:
        """Whether ``key`` has a value, fetching its row if it may have one."""
        if key in self._values or key in self._rows:
            return True
        if self._fetch is not None and self._may_be_stored(key):
            self.prefetch([key])
            return key in self._rows
        return False

    def __getitem__(self, key: str) -> V:
        if key in self._values:
            return self._values[key]
        if not self._held(key):
            raise KeyError(key)
        value = self._decode(json.loads(self._rows.pop(key)))
        self._values[key] = value
        return value

    def __setitem__(self, key: str, value: V) -> None:
        self._rows.pop(key, None)
        self._absent.discard(key)
        if self._unfetched is not None:
            self._unfetched.discard(key)
        self._values[key] = value
        self.changed.add(key)

    def __delitem__(self, key: str) -> None:
        if self._values.pop(key, None) is None:
            if not self._held(key):
                raise KeyError(key)
            del self._rows[key]
        self._absent.add(key)
        self.changed.add(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._held(key)

    def __iter__(self) -> Iterator[str]:
        if self._unfetched is None:  # the keys are those of the rows: read them all
            self._fetch_all()
        yield from list(self._values)
        yield from list(self._rows)
        yield from list(self._unfetched or ())

    def __len__(self) -> int:
        if self._unfetched is None:
            self._fetch_all()
        return len(self._values) + len(self._rows) + len(self._unfetched or ())

    def mark(self, key: str) -> None:
        """``key``'s value was changed in place: write it back at the next save."""
        self.changed.add(key)

    def saved(self, prefix: str, every: bool, forget: bool = True) -> Iterator[tuple[str, str | None]]:
        """(item name, JSON or None for deleted) of the changed keys, or of every key when ``every``
        (rows never decoded are given as they were read); with ``forget`` the changes are
        forgotten once all are given."""
        if every:
            self._fetch_all()
        keys = list(self) if every else sorted(self.changed)
        for key in keys:
            if key in self._rows:
                yield prefix + key, self._rows[key]
                continue
            value = self._values.get(key)
            yield prefix + key, None if value is None else json.dumps(self._encode(value))
        if forget:
            self.changed.clear()


ITEM_KINDS = ("t/", "p/", "g/", "m/", "h/", "s/")  # title, dates, signature, member; story head and body


def _plus(total: Vector | None, vector: Vector) -> Vector:
    """``total`` with ``vector`` added, a new array (a group's sum never shares a member's)."""
    return vector.copy() if total is None else total + vector


def span_in(data: list[int]) -> tuple[int, int]:
    return data[0], data[1]


def split_items(items: dict[str, str]) -> dict[str, dict[str, str]]:
    """The stored items by kind (:data:`ITEM_KINDS`), each keyed by the rest of its name."""
    out: dict[str, dict[str, str]] = {kind: {} for kind in ITEM_KINDS}
    for name, value in items.items():
        out.setdefault(name[:2], {})[name[2:]] = value  # a caller's own kinds are left to it
    return out


@dataclass
class StoryHead:
    """What the clusterer needs of a stored story before it is decoded: where its articles are,
    what it is indexed under and whether its events are due to be derived again."""

    keys: list[int]
    exact: bool
    settled_closeness: float
    events: list[tuple[str, list[str]]]


def head_out(story: StoryRecord) -> dict[str, Any]:
    return {
        "keys": sorted(story.keys),
        "exact": story.exact,
        "settled_closeness": story.settled_closeness,
        "events": [[e.id, e.articles] for e in story.events],
    }


def head_in(data: dict[str, Any]) -> StoryHead:
    return StoryHead(
        keys=list(data["keys"]),
        exact=data["exact"],
        settled_closeness=data["settled_closeness"],
        events=[(e[0], list(e[1])) for e in data["events"]],
    )
