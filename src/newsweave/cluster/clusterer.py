"""Online clustering: one story per real-world happening, topical neighbours as related stories.

Public entry points: :class:`StoryClusterer` (``add`` one article at a time,
``stories``, ``to_state``/``from_state``), :func:`cluster_stories`, which
streams a batch through the same ``add``, and :func:`pair_signals` (what the
same-happening judge is trained on).

Articles are first grouped by subject (internally a ``_StoryRecord``: other Covid
rules, other jobs figures). An article is compared with group *representations*,
never re-clustering the collection: per group the sums of its members' TF-IDF,
entity, key-number and MiniLM unit vectors and its members' dates. Because every
signal is a cosine between unit vectors, the *average* similarity of an article
to all members of a group (average link) is one dot product with those sums.
Candidate groups come from an inverted index over each group's heaviest terms
and entities, so the cost of one ``add`` stays nearly flat as the collection grows.
Inside a group, the same-happening judge (:mod:`newsweave.cluster.happening`) gives the
probability that two reports, or a report and an event, describe one happening,
after the pair is marked down by how crowded the two articles' neighbourhoods are
(:mod:`newsweave.cluster.neighbours`); its events, cut at ``event_threshold``, are the
stories a reader sees, and a group's other events are each story's related
stories. An article joins the group holding the event it most likely reports,
even when it is closer to another group's average. While a group is small (up
to 64 articles) its events are re-derived from all its members' pairwise
judgements (:func:`_event_labels`), so they do not depend on arrival order. When
an article brings two groups within the bar of each other, they merge.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np

from newsweave.cluster.happening import HappeningModel, HappeningSignals, gap_days
from newsweave.cluster.neighbours import Neighbourhood
from newsweave.config import ClusterConfig
from newsweave.model import AnalyzedArticle, Event, Story

# 7: stories are happenings (the former events) and each group counts its members' dates; an older
# state is clustered afresh (6 added the neighbourhood index and each event's closeness sum;
# 5 packed term and entity weights as base64; 4 wrote them as decimal dicts; 3 also vectors as lists)
STATE_VERSION = 7
READABLE_STATE_VERSIONS = (7,)
HASH_BITS = 20  # 1M buckets: collisions between content words are rare and harmless

TITLE_REPEAT = 2  # the headline names the event; count its words twice
ARTICLE_TERMS = 80  # heaviest TF-IDF terms kept per article: the tail costs time and adds noise
# Entity keys carry their type, so "Jordan" the country and "Jordan" the player do not match.
ENTITY_TYPE_WEIGHT = {"PERSON": 1.0, "ORG": 1.0, "GPE": 1.0, "NORP": 0.5, "LOC": 0.5, "FAC": 0.5,
                      "EVENT": 0.7, "PRODUCT": 0.4, "WORK_OF_ART": 0.4, "LAW": 0.4}
BLOCKING_TERMS = 10  # an article's most distinctive terms that open candidate stories
BLOCKING_ENTITIES = 6
MAX_CANDIDATES = 40  # stories scored per article, those sharing the most blocking keys
STORY_KEYS = 60  # keys a story keeps in the index (its heaviest summed terms and entities)
# Reports whose own dates lie more than three months apart describe different occurrences (a
# visit and the next one). Nearer dates are left to the words: ECB+ files a charge weeks on under
# the shooting it follows, and a 10-day gate cost 0.016 of its event BCubed F1 (mean of 5 orders).
EVENT_MAX_GAP_DAYS = 90
MERGE_MARGIN = 0.05  # stories the article scored this close to the bar are checked for a late merge
SIGNATURE_TERMS = 40  # terms kept per article in the state, for headlines
EXACT_EVENTS_MAX = 64  # up to this size a story's events are re-derived from all its members' similarities
# a small story's events are derived again once the collection's usual closeness has moved this far
CLOSENESS_DRIFT = 0.01
HAPPENING_GROUPS = 8  # the groups nearest an article whose events are offered to the judge
RELATED_MAX = 5  # related stories linked from a story, the closest first

# The measured defaults live in ClusterConfig; kept as a name for callers that asked for them.
TUNED_CONFIG = ClusterConfig()

_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")
_NUMBER = re.compile(r"(?<![\w.])\$?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(%|percent|per cent|million|billion|trillion)?(?![\w])",
                     re.IGNORECASE)
_UNIT = {"percent": "%", "per cent": "%"}
_YEAR = re.compile(r"(19|20)\d\d")
_MONTH_BEFORE = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE)


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "according", "reported", "report", "news",
                                    "year", "years", "time", "week", "new", "read", "more"}


_STOP = _stopwords()

Sparse = dict[int, float]
Signature = tuple[np.ndarray, np.ndarray]  # hashed term keys (int32) and their weights (float32)


@dataclass
class _Features:
    """What the clusterer reads from one article."""

    id: str
    title: str
    terms: Counter[int]  # raw term counts (hashed); weighted with the running IDF when added
    entities: Sparse  # unit vector over hashed typed-entity keys
    vector: np.ndarray | None
    span: tuple[int, int] | None  # when the article's own occurrence happened (proleptic ordinals)
    numbers: Sparse = field(default_factory=dict)  # unit vector over the key numbers it reports


@dataclass
class _Group:
    """A story or an event: sums of its members' unit vectors, how many each sum holds, a date span."""

    id: str
    articles: list[str] = field(default_factory=list)
    terms: Sparse = field(default_factory=dict)
    entities: Sparse = field(default_factory=dict)
    n_entities: int = 0  # members that have entities (the entity sum's count)
    vector: np.ndarray | None = None
    n_vectors: int = 0
    span: tuple[int, int] | None = None
    numbers: Sparse = field(default_factory=dict)
    n_numbers: int = 0  # members that report numbers (the number sum's count)
    closeness_sum: float = 0.0  # the members' closeness (:mod:`newsweave.cluster.neighbours`), summed
    n_closeness: int = 0
    # how many members carry each date span: the group's own dates are those most members carry
    spans: Counter[tuple[int, int]] = field(default_factory=Counter)

    @property
    def dates(self) -> tuple[int, int] | None:
        """The dates most of the group's dated members carry (:func:`_majority_span`)."""
        return _majority_span(self.spans)

    def add(self, article_id: str, terms: Sparse, entities: Sparse, vector: np.ndarray | None,
            span: tuple[int, int] | None, closeness: float | None = None, numbers: Sparse | None = None) -> None:
        self.articles.append(article_id)
        if numbers:
            _add_into(self.numbers, numbers)
            self.n_numbers += 1
        if closeness is not None:
            self.closeness_sum += closeness
            self.n_closeness += 1
        _add_into(self.terms, terms)
        if entities:
            _add_into(self.entities, entities)
            self.n_entities += 1
        if vector is not None:
            self.vector = vector.copy() if self.vector is None else self.vector + vector
            self.n_vectors += 1
        self.span = _union_span(self.span, span)
        if span is not None:
            self.spans[span] += 1

    def absorb(self, other: _Group) -> None:
        self.articles.extend(other.articles)
        _add_into(self.terms, other.terms)
        _add_into(self.entities, other.entities)
        self.n_entities += other.n_entities
        if other.vector is not None:
            self.vector = other.vector.copy() if self.vector is None else self.vector + other.vector
        self.n_vectors += other.n_vectors
        self.span = _union_span(self.span, other.span)
        self.spans.update(other.spans)
        _add_into(self.numbers, other.numbers)
        self.n_numbers += other.n_numbers
        self.closeness_sum += other.closeness_sum
        self.n_closeness += other.n_closeness


@dataclass
class _StoryRecord(_Group):
    events: list[_Group] = field(default_factory=list)
    keys: set[int] = field(default_factory=set)  # what the story is indexed under
    # While the story is small: its members' similarities (rows and columns in ``articles`` order),
    # from which its events are re-derived exactly each time it changes. None once it has grown.
    matrix: np.ndarray | None = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    settled_closeness: float = 0.0  # the collection's usual closeness when its events were last derived


@dataclass
class _Member:
    """One article's weighted signals, kept while its story is small enough to re-split exactly.

    Terms and entities are held as arrays (:func:`_signature`), a quarter of a dict's memory,
    and expanded only while a story's similarities are being computed."""

    terms: Signature
    entities: Signature
    vector: np.ndarray | None
    span: tuple[int, int] | None
    numbers: Signature

    @classmethod
    def of(cls, features: _Features, terms: Sparse) -> _Member:
        return cls(_signature(terms), _signature(features.entities), features.vector, features.span,
                   _signature(features.numbers))

    def expanded(self) -> _Signals:
        return _Signals(_unsigned(self.terms), _unsigned(self.entities), self.vector, self.span,
                        _unsigned(self.numbers))


@dataclass
class _Signals:
    """A member's signals as sparse dicts, for scoring."""

    terms: Sparse
    entities: Sparse
    vector: np.ndarray | None
    span: tuple[int, int] | None
    numbers: Sparse


class StoryClusterer:
    """Assigns a stream of analysed articles to stories and, inside them, to events."""

    def __init__(self, config: ClusterConfig | None = None, weights: tuple[float, float, float] | None = None,
                 happening_model: HappeningModel | None = None) -> None:
        self.config = config or ClusterConfig()
        self.weights = weights or (self.config.weight_terms, self.config.weight_entities, self.config.weight_vector)
        self.judge = happening_model or HappeningModel.shipped()
        self._df: Counter[int] = Counter()  # document frequency per hashed term
        self._docs = 0
        self._counted: set[str] = set()  # ids already in the document frequencies
        self._stories: dict[str, _StoryRecord] = {}
        self._story_of: dict[str, str] = {}
        self._event_of: dict[str, str] = {}
        self._titles: dict[str, str] = {}
        self._spans: dict[str, tuple[int, int]] = {}  # per dated article its own dates (labels read them)
        # per article its heaviest terms as two small arrays, not a dict: a dict of 40 floats
        # costs ~2.8 KB and this is kept for every article ever clustered (280 MB at 100k)
        self._signatures: dict[str, Signature] = {}
        self._members: dict[str, _Member] = {}  # members of stories still small enough to re-split
        self._index: dict[int, set[str]] = {}  # blocking key → story ids
        self._neighbourhood = Neighbourhood()
        self._unsettled: set[str] = set()  # small stories a member's closeness changed in since their split

    # ---- public ---------------------------------------------------------------------------

    def observe(self, items: Iterable[AnalyzedArticle]) -> None:
        """Count term document frequencies without clustering (a batch knows its vocabulary up front)."""
        for item in items:
            self._count_terms(item.article.id, _term_counts(item))

    def add(self, item: AnalyzedArticle) -> tuple[str, str]:
        """Place one article; return its (story id, event id). Adding it again is a no-op."""
        article_id = item.article.id
        if article_id in self._story_of:
            return self._story_of[article_id], self._event_of[article_id]
        features = _features(item)
        for other, (before, after) in self._neighbourhood.add(article_id, features.vector).items():
            if other != article_id:
                self._reclose(other, before, after)
        closeness = self._neighbourhood.closeness(article_id)
        self._count_terms(article_id, features.terms)
        terms = self._tfidf(features.terms)
        story, _, near = self._best_story(features, terms)
        if story is None:
            story = self._new_story(article_id)
        exact = story.matrix is not None and len(story.articles) < EXACT_EVENTS_MAX
        if not exact:
            event = self._place_in_event(story, features, terms)
            event.add(article_id, terms, features.entities, features.vector, features.span, closeness,
                      features.numbers)
            self._event_of[article_id] = event.id
        story.add(article_id, terms, features.entities, features.vector, features.span)
        self._story_of[article_id] = story.id
        self._titles[article_id] = features.title
        if features.span is not None:
            self._spans[article_id] = features.span
        self._signatures[article_id] = _signature(_top(terms, SIGNATURE_TERMS))
        if exact:
            assert story.matrix is not None
            self._members[article_id] = _Member.of(features, terms)
            story.matrix = self._grow_matrix(story.matrix, story.articles[:-1], [article_id])
            self._resplit(story)
        else:
            self._drop_exact(story)
        self._reindex(story)
        self._late_merges(story, near)
        event_id = self._event_of[article_id]
        return _story_id(event_id), event_id

    def forget(self, article_id: str) -> str | None:
        """Take an article out of its story and event (it was removed, or its text changed and it
        is to be placed again); return the id of the story it left, or None if it was not placed.

        A story still small enough to re-split holds each member's signals, so its sums lose the
        article's exactly and its events are derived again. A larger story's sums hold no
        record of one member: they keep its terms and vector, as after a merge, a drift of one
        article in many. The neighbour index keeps its vector (faiss's HNSW cannot delete), which
        moves crowding estimates by one neighbour; ``rebuild --recluster`` starts both afresh.
        """
        story_id = self._story_of.pop(article_id, None)
        if story_id is None:
            return None
        event_id = self._event_of.pop(article_id, None)
        story = self._stories[story_id]
        position = story.articles.index(article_id)
        story.articles.pop(position)
        member = self._members.pop(article_id, None)
        for event in story.events:
            if event.id == event_id and article_id in event.articles:
                event.articles.remove(article_id)
                if member is not None:
                    _subtract(event, member.expanded())
        story.events = [e for e in story.events if e.articles]
        if member is not None:
            _subtract(story, member.expanded())
        self._titles.pop(article_id, None)
        self._signatures.pop(article_id, None)
        if not story.articles:
            for key in story.keys:
                self._index[key].discard(story_id)
            del self._stories[story_id]
            return story_id
        if story.matrix is not None:
            story.matrix = np.delete(np.delete(story.matrix, position, axis=0), position, axis=1)
            self._resplit(story)
        self._reindex(story)
        return story_id

    def stories(self) -> list[Story]:
        """Every story (one happening) with its related stories, largest first (ties by id)."""
        self._settle()
        out = [story for record in self._stories.values() for story in self._happenings(record)]
        return sorted(out, key=lambda s: (-len(s.articles), s.id))

    def story_of(self, article_id: str) -> str | None:
        """The id of the story (happening) the article is in, if it has been placed."""
        event_id = self._event_of.get(article_id)
        return _story_id(event_id) if event_id else None

    @property
    def empty(self) -> bool:
        """Whether no article has been placed yet (a new clusterer, or one from an unreadable state)."""
        return not self._story_of

    def to_state(self) -> dict[str, Any]:
        """JSON-ready state; :meth:`from_state` continues from it."""
        return dict(self.state_parts())

    def state_parts(self) -> Iterator[tuple[str, Any]]:
        """The entries of :meth:`to_state`, each made when asked for: a store writes them one at
        a time, so the largest (members, stories) are never all held as JSON-ready data at once."""
        self._settle()
        yield "version", STATE_VERSION
        yield "weights", list(self.weights)
        yield "docs", self._docs
        yield "df", {str(k): v for k, v in self._df.items()}
        yield "counted", sorted(self._counted)
        yield "titles", self._titles
        yield "spans", {a: list(s) for a, s in self._spans.items()}
        yield "signatures", {a: _signature_out(s) for a, s in self._signatures.items()}
        yield "stories", [_story_out(s) for s in self._stories.values()]
        yield "members", {a: _member_out(m) for a, m in self._members.items()}
        yield from self._neighbourhood.state_parts()

    @classmethod
    def from_state(cls, state: dict[str, Any], config: ClusterConfig | None = None) -> StoryClusterer:
        """Continue from :meth:`to_state`; a state of an older layout gives an empty clusterer,
        so a caller that streams what the clusterer does not know re-clusters everything."""
        if state.get("version") not in READABLE_STATE_VERSIONS:
            return cls(config)
        clusterer = cls(config, tuple(state["weights"]))  # type: ignore[arg-type]
        clusterer._docs = state["docs"]
        clusterer._df = Counter({int(k): v for k, v in state["df"].items()})
        clusterer._counted = set(state["counted"])
        clusterer._titles = dict(state["titles"])
        clusterer._spans = {a: (s[0], s[1]) for a, s in state["spans"].items()}
        clusterer._signatures = {a: _signature_in(s) for a, s in state["signatures"].items()}
        clusterer._members = {a: _member_in(m) for a, m in state["members"].items()}
        clusterer._neighbourhood = Neighbourhood.from_state(state)
        for data in state["stories"]:
            story = _story_in(data)
            if data["exact"]:
                story.matrix = clusterer._grow_matrix(np.zeros((0, 0), dtype=np.float32), [], story.articles)
            else:
                story.matrix = None
            clusterer._stories[story.id] = story
            for event in story.events:
                for a in event.articles:
                    clusterer._story_of[a] = story.id
                    clusterer._event_of[a] = event.id
            clusterer._reindex(story)
        return clusterer

    # ---- scoring --------------------------------------------------------------------------

    def _count_terms(self, article_id: str, counts: Counter[int]) -> None:
        if article_id in self._counted:
            return
        self._counted.add(article_id)
        self._docs += 1
        self._df.update(counts.keys())

    def _tfidf(self, counts: Counter[int]) -> Sparse:
        """Sublinear tf times the IDF of the documents seen so far, heaviest terms only."""
        n = self._docs
        weights = {t: (1.0 + math.log(c)) * (math.log((n + 1) / (self._df[t] + 1)) + 1.0) for t, c in counts.items()}
        return _normalised(_top(weights, ARTICLE_TERMS))

    def _combine(self, terms: float, entities: float | None, vector: float | None) -> float:
        """Weighted mean of the signals present; a missing one gives its weight to the rest."""
        parts = [(self.weights[0], terms)]
        if entities is not None:
            parts.append((self.weights[1], entities))
        if vector is not None:
            parts.append((self.weights[2], vector))
        total = sum(w for w, _ in parts)
        return sum(w * s for w, s in parts) / total if total else 0.0

    def _similarity(self, group: _Group, features: _Features, terms: Sparse) -> float:
        """Average similarity of the article to the group's members (average link)."""
        entities = vector = None
        if features.entities and group.n_entities:
            entities = _dot(features.entities, group.entities) / group.n_entities
        if features.vector is not None and group.vector is not None and group.n_vectors:
            vector = float(features.vector @ group.vector) / group.n_vectors
        return self._combine(_dot(terms, group.terms) / len(group.articles), entities, vector)

    def _group_similarity(self, a: _Group, b: _Group) -> float:
        """Average similarity between the members of two groups (average link)."""
        entities = vector = None
        if a.n_entities and b.n_entities:
            entities = _dot(a.entities, b.entities) / (a.n_entities * b.n_entities)
        if a.vector is not None and b.vector is not None and a.n_vectors and b.n_vectors:
            vector = float(a.vector @ b.vector) / (a.n_vectors * b.n_vectors)
        return self._combine(_dot(a.terms, b.terms) / (len(a.articles) * len(b.articles)), entities, vector)

    def _candidates(self, features: _Features, terms: Sparse) -> list[_StoryRecord]:
        keys = list(_top(terms, BLOCKING_TERMS)) + list(_top(features.entities, BLOCKING_ENTITIES))
        shared: Counter[str] = Counter()
        for key in keys:
            shared.update(self._index.get(key, ()))
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        return [self._stories[s] for s, _ in best]

    def _best_story(self, features: _Features, terms: Sparse) -> tuple[_StoryRecord | None, float, list[_StoryRecord]]:
        """The group the article joins (None: a group of its own) and the others near it.

        A group holding an event the judge finds the article part of comes first, however the
        article scores against the group as a whole: a report of one happening of a broad subject
        (one Covid rule among many) is often closer to its happening than to the subject's average."""
        scored = [(self._similarity(s, features, terms), s) for s in self._candidates(features, terms)]
        if not scored:
            return None, 0.0, []
        scored.sort(key=lambda x: (-x[0], x[1].id))
        bar = min(self.config.story_threshold, self.config.merge_threshold) - MERGE_MARGIN
        home = self._happening_home([s for _, s in scored[:HAPPENING_GROUPS]], features, terms)
        if home is None and scored[0][0] >= self.config.story_threshold:
            home = scored[0][1]
        near = [s for score, s in scored if score >= bar and s is not home]
        return home, 1.0, near

    def _happening_home(self, groups: list[_StoryRecord], features: _Features, terms: Sparse) -> _StoryRecord | None:
        """The group whose event the article is most likely a report of, at or above the bar."""
        best: tuple[float, str, _StoryRecord] | None = None
        for group in groups:
            for event in group.events:
                p = self._event_probability(event, features, terms)
                if p is not None and p >= self.config.event_threshold and (best is None or (p, event.id) > best[:2]):
                    best = (p, event.id, group)
        return best[2] if best else None

    def _place_in_event(self, story: _StoryRecord, features: _Features, terms: Sparse) -> _Group:
        """The event the same-happening judge finds the article most likely part of, above the bar."""
        best: tuple[float, str] | None = None
        for event in story.events:
            score = self._event_probability(event, features, terms)
            if score is None:
                continue
            if score >= self.config.event_threshold and (best is None or (score, event.id) > (best[0], best[1])):
                best = (score, event.id)
        if best is not None:
            return next(e for e in story.events if e.id == best[1])
        event = _Group(id="e-" + _short_hash(features.id))
        story.events.append(event)
        return event

    def _event_probability(self, event: _Group, features: _Features, terms: Sparse) -> float | None:
        """The judge's probability that the article reports the event's happening (average link);
        None when its own dates lie far from the event's."""
        dates = event.dates
        if gap_days(dates, features.span) > EVENT_MAX_GAP_DAYS:
            return None  # a report dated far from the event's own dates is another occurrence
        signals = HappeningSignals(
            terms=_dot(terms, event.terms) / len(event.articles),
            vector=float(features.vector @ event.vector) / event.n_vectors
            if features.vector is not None and event.vector is not None and event.n_vectors else None,
            entities=_dot(features.entities, event.entities) / event.n_entities
            if features.entities and event.n_entities else None,
            numbers=_dot(features.numbers, event.numbers) / event.n_numbers
            if features.numbers and event.n_numbers else None,
            crowding=(self._neighbourhood.crowding(features.id) + self._crowding(event)) / 2)
        return self.judge.probability(signals)

    # ---- events of a small story, derived exactly ---------------------------------------------

    def _pair_logit(self, a: _Signals, b: _Signals) -> float:
        """The same-happening judge's log-odds for two articles, before their crowding (which
        changes as reports arrive, so is added when events are derived); reports whose own
        dates lie far apart are never one happening (-inf)."""
        if gap_days(a.span, b.span) > EVENT_MAX_GAP_DAYS:
            return -math.inf
        return self.judge.logit(_pair_signals(a, b, 0.0))

    def _grow_matrix(self, matrix: np.ndarray, old: list[str], new: list[str]) -> np.ndarray:
        """The similarity matrix of ``old + new`` from that of ``old``: only the new pairs are scored."""
        members = [self._members[a].expanded() for a in old + new]
        n, k = len(old), len(new)
        grown = np.ones((n + k, n + k), dtype=np.float32)
        grown[:n, :n] = matrix
        for i in range(n, n + k):
            for j in range(i):
                grown[i, j] = grown[j, i] = self._pair_logit(members[i], members[j])
        return grown

    def _resplit(self, story: _StoryRecord) -> None:
        """Average link over the story's members, cut by :func:`_event_labels`. This undoes what the
        arrival order did to a small story's events (an early article that opened an event of
        its own, two events an early article joined); the events of a story up to
        EXACT_EVENTS_MAX articles depend only on its members."""
        assert story.matrix is not None
        articles = story.articles
        crowding = np.array([self._neighbourhood.crowding(a) for a in articles], dtype=np.float32)
        logits = story.matrix + self.judge.crowding_weight * (crowding[:, None] + crowding[None, :]) / 2
        # average link over 2p - 1 (far-apart dates: -1), cut where p falls below the bar
        with np.errstate(over="ignore", invalid="ignore"):
            similarity = np.where(np.isneginf(story.matrix), -1.0, np.tanh(logits / 2))
        labels = _event_labels(similarity, 2 * self.config.event_threshold - 1)
        story.settled_closeness = self._neighbourhood.usual_closeness
        self._unsettled.discard(story.id)
        groups: dict[int, list[str]] = {}
        for article_id, label in zip(articles, labels, strict=True):
            groups.setdefault(label, []).append(article_id)
        old = {e.id: e for e in story.events}
        story.events = []
        for members in groups.values():
            # grow the largest old event that lies wholly inside the new one (usually the whole of it)
            inside = Counter(self._event_of.get(a) for a in members)
            whole = [old[e] for e, n in inside.items() if e in old and len(old[e].articles) == n]
            event = max(whole, key=lambda e: (len(e.articles), e.id), default=None) or _Group(id="")
            old.pop(event.id, None)
            have = set(event.articles)
            for article_id in members:
                if article_id not in have:
                    m = self._members[article_id].expanded()
                    event.add(article_id, m.terms, m.entities, m.vector, m.span,
                              self._neighbourhood.closeness(article_id), m.numbers)
            # an event keeps its id as reports come and go (its story's id, and so its page's
            # address, is made from it); a new event is named after its first member
            event.id = event.id or "e-" + _short_hash(min(members))
            for article_id in members:
                self._event_of[article_id] = event.id
            story.events.append(event)

    # ---- crowding -----------------------------------------------------------------------------

    def _crowding(self, group: _Group) -> float:
        """The mean crowding of a group's members (see :mod:`newsweave.cluster.neighbours`)."""
        return self._neighbourhood.crowding_at(group.closeness_sum / group.n_closeness if group.n_closeness else None)

    def _reclose(self, article_id: str, before: float | None, after: float) -> None:
        """A newer article became one of ``article_id``'s nearest: update its event's sum, and
        derive a small story's events again before they are next read."""
        story = self._stories[self._story_of[article_id]]
        event = next(e for e in story.events if e.id == self._event_of[article_id])
        event.closeness_sum += after - (before or 0.0)
        event.n_closeness += before is None
        if story.matrix is not None:
            self._unsettled.add(story.id)

    def _settle(self) -> None:
        """Derive again the events of small stories whose members' crowding has changed since."""
        mean = self._neighbourhood.usual_closeness
        for story in self._stories.values():
            if story.matrix is not None and (story.id in self._unsettled
                                             or abs(story.settled_closeness - mean) > CLOSENESS_DRIFT):
                self._resplit(story)
        self._unsettled.clear()

    def _drop_exact(self, story: _StoryRecord) -> None:
        """A story that has grown keeps its events and places new articles incrementally,
        so the cost of an article stays flat however large its story becomes."""
        if story.matrix is None:
            return
        story.matrix = None
        for article_id in story.articles:
            self._members.pop(article_id, None)

    # ---- bookkeeping ----------------------------------------------------------------------

    def _new_story(self, article_id: str) -> _StoryRecord:
        story = _StoryRecord(id="s-" + _short_hash(article_id))
        self._stories[story.id] = story
        return story

    def _reindex(self, story: _StoryRecord) -> None:
        keys = set(_top(story.terms, STORY_KEYS)) | set(_top(story.entities, STORY_KEYS // 3))
        for key in story.keys - keys:
            self._index[key].discard(story.id)
        for key in keys - story.keys:
            self._index.setdefault(key, set()).add(story.id)
        story.keys = keys

    def _late_merges(self, story: _StoryRecord, near: list[_StoryRecord]) -> _StoryRecord:
        """Merge stories the new evidence has brought together (average link between their members)."""
        for other in near:
            if other.id == story.id or other.id not in self._stories:
                continue
            if self._group_similarity(story, other) >= self.config.merge_threshold:
                story = self._merge(story, other)
        return story

    def _merge(self, a: _StoryRecord, b: _StoryRecord) -> _StoryRecord:
        keep, gone = (a, b) if a.id < b.id else (b, a)
        for key in gone.keys:
            self._index[key].discard(gone.id)
        del self._stories[gone.id]
        exact = (keep.matrix is not None and gone.matrix is not None
                 and len(keep.articles) + len(gone.articles) <= EXACT_EVENTS_MAX)
        if exact:
            assert keep.matrix is not None
            keep.matrix = self._grow_matrix(keep.matrix, keep.articles, gone.articles)
        else:
            self._drop_exact(keep)
            self._drop_exact(gone)
        keep.absorb(gone)
        keep.events.extend(gone.events)
        for article_id in gone.articles:
            self._story_of[article_id] = keep.id
        if exact:
            self._resplit(keep)
        else:
            self._merge_events(keep)
        self._reindex(keep)
        return keep

    def _merge_events(self, story: _StoryRecord) -> None:
        """Events of merged stories that describe one occurrence become one."""
        events = sorted(story.events, key=lambda e: e.id)
        merged: list[_Group] = []
        for event in events:
            twin = next((m for m in merged if gap_days(m.dates, event.dates) <= EVENT_MAX_GAP_DAYS
                         and self.judge.probability(self._event_signals(m, event)) >= self.config.event_threshold),
                        None)
            if twin is None:
                merged.append(event)
                continue
            twin.absorb(event)
            for article_id in event.articles:
                self._event_of[article_id] = twin.id
        story.events = merged

    def _event_signals(self, a: _Group, b: _Group) -> HappeningSignals:
        """The judge's signals between two events: average link from their sums."""
        return HappeningSignals(
            terms=_dot(a.terms, b.terms) / (len(a.articles) * len(b.articles)),
            vector=float(a.vector @ b.vector) / (a.n_vectors * b.n_vectors)
            if a.vector is not None and b.vector is not None and a.n_vectors and b.n_vectors else None,
            entities=_dot(a.entities, b.entities) / (a.n_entities * b.n_entities)
            if a.n_entities and b.n_entities else None,
            numbers=_dot(a.numbers, b.numbers) / (a.n_numbers * b.n_numbers) if a.n_numbers and b.n_numbers else None,
            crowding=(self._crowding(a) + self._crowding(b)) / 2)

    def _happenings(self, record: _StoryRecord) -> list[Story]:
        """One story per event of a topical group; the group's other events are its related stories.

        A group gathers reports of one subject (average similarity >= story_threshold: other Covid
        rules, other jobs figures); its events are the happenings a reader means by a story."""
        related = self._related(record.events)
        out = []
        for event in record.events:
            dates = event.dates
            label = self._central_title(event, dates)
            when = Event(id=event.id, label=label, articles=sorted(event.articles),
                         start=_iso(dates[0]) if dates else None, end=_iso(dates[1]) if dates else None)
            out.append(Story(id=_story_id(event.id), headline=label, articles=sorted(event.articles),
                             events=[when], related=[_story_id(e) for e in related[event.id]]))
        return out

    def _related(self, events: list[_Group]) -> dict[str, list[str]]:
        """Per event the ids of up to RELATED_MAX others of its group, the closest (MiniLM means) first."""
        ids = [e.id for e in events]
        out: dict[str, list[str]] = {i: [] for i in ids}
        if len(events) < 2:
            return out
        width = next((len(e.vector) for e in events if e.vector is not None), 0)
        means = np.zeros((len(events), width), dtype=np.float32)
        for i, e in enumerate(events):
            if e.vector is not None and e.n_vectors:
                means[i] = e.vector / e.n_vectors
        closeness = means @ means.T
        for i, event_id in enumerate(ids):
            order = sorted((j for j in range(len(ids)) if j != i), key=lambda j: (-closeness[i, j], ids[j]))
            out[event_id] = [ids[j] for j in order[:RELATED_MAX]]
        return out

    def _central_title(self, group: _Group, dates: tuple[int, int] | None = None) -> str:
        """Title of the member whose terms are closest to the group's sum, among the members
        that carry the group's own dates (when it has some): a late follow-up or an odd report
        does not name the happening most of its reports describe."""
        def centrality(article_id: str) -> float:
            signature = self._signatures.get(article_id)
            return _signature_dot(signature, group.terms) if signature is not None else 0.0

        members = group.articles
        if dates is not None:
            members = [a for a in members if _within(self._spans.get(a), dates)] or members
        best = max(members, key=lambda a: (centrality(a), _neg(a)))
        return self._titles.get(best, "")


def cluster_stories(analyzed: list[AnalyzedArticle], config: ClusterConfig | None = None) -> list[Story]:
    """Cluster a batch by streaming it through :class:`StoryClusterer`.

    The batch is streamed in a canonical order (publication date, then id) so
    that the result does not depend on the order of the input list.
    """
    clusterer = StoryClusterer(config)
    clusterer.observe(analyzed)
    for item in sorted(analyzed, key=lambda a: (a.article.published or "9999", a.article.id)):
        clusterer.add(item)
    return clusterer.stories()


def pair_signals(items: list[AnalyzedArticle],
                 pairs: Iterable[tuple[int, int]]) -> list[tuple[HappeningSignals, float]]:
    """For each pair of ``items`` (by index), the same-happening judge's signals and the topical
    similarity that decides whether the two would share a group at all, as a clusterer that has
    seen the whole batch measures them: what ``training/same_happening`` learns from."""
    clusterer = StoryClusterer(happening_model=HappeningModel.untrained())
    clusterer.observe(items)
    signals = []
    for item in items:
        features = _features(item)
        clusterer._neighbourhood.add(item.article.id, features.vector)
        signals.append(_Signals(clusterer._tfidf(features.terms), features.entities, features.vector,
                                features.span, features.numbers))
    crowding = [clusterer._neighbourhood.crowding(item.article.id) for item in items]
    out = []
    for i, j in pairs:
        judged = _pair_signals(signals[i], signals[j], (crowding[i] + crowding[j]) / 2)
        out.append((judged, clusterer._combine(judged.terms, judged.entities, judged.vector)))
    return out


# ---- features ----------------------------------------------------------------------------------

def _features(item: AnalyzedArticle) -> _Features:
    vector = None
    if item.vector is not None:
        vector = np.asarray(item.vector, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        vector = vector / norm if norm else None
    return _Features(id=item.article.id, title=item.article.title, terms=_term_counts(item),
                     entities=_entity_vector(item), vector=vector, span=_event_time(item),
                     numbers=_number_vector(f"{item.article.title}\n{item.article.text}"))


def _term_counts(item: AnalyzedArticle) -> Counter[int]:
    words = _words(item.article.title) * TITLE_REPEAT + _words(item.article.text)
    return Counter(_hash(w) for w in words)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP]


def _entity_vector(item: AnalyzedArticle) -> Sparse:
    weights: dict[int, float] = {}
    for mention in item.mentions:
        type_weight = ENTITY_TYPE_WEIGHT.get(mention.type, 0.0)
        for key in _entity_keys(mention.text, mention.type):
            h = _hash(f"ent:{mention.type}:{key}")
            weights[h] = weights.get(h, 0.0) + type_weight
    return _normalised({k: 1.0 + math.log(v) if v >= 1 else v for k, v in weights.items() if v > 0})


def _number_vector(text: str) -> Sparse:
    """The key numbers a report gives (a toll, a magnitude, a rate, a sum), as a unit vector:
    two reports of one happening repeat them, two of one subject (last week's jobless claims and
    this week's) differ in them. Years and days of a month are left out: they date, not measure."""
    counts: Counter[int] = Counter()
    for match in _NUMBER.finditer(text):
        value, unit = match.group(1).replace(",", ""), (match.group(2) or "").lower()
        if not unit and "." not in value and (len(value) < 2 or _YEAR.fullmatch(value)):
            continue  # a lone digit is too common to tell happenings apart; a year dates them
        if _MONTH_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        counts[_hash(f"num:{value}{_UNIT.get(unit, unit)}")] += 1
    return _normalised({k: 1.0 + math.log(v) for k, v in counts.items()})


def _entity_keys(text: str, kind: str) -> list[str]:
    name = re.sub(r"^(the|a|an)\s+|'s$|’s$", "", text.strip().lower())
    name = re.sub(r"[^\w\s-]", "", name).replace("-", " ")
    name = " ".join(name.split())
    if not name:
        return []
    keys = [name]
    if kind == "PERSON" and " " in name:
        keys.append(name.split()[-1])  # the surname alone is how later mentions name a person
    return keys


def _event_time(item: AnalyzedArticle) -> tuple[int, int] | None:
    """The day the article's own occurrence happened: its publication day; else the day-level
    date its text names most often (the most recent on ties). Years and months are left out:
    in a report they are background ("talks began in 2019"), not the day being reported."""
    if item.article.published:
        span = _value_span(item.article.published[:10])
        if span:
            return span
    days = Counter(d.value for d in item.dates if d.precision == "day" and d.value)
    if not days:
        return None
    value = max(days, key=lambda v: (days[v], v))
    return _value_span(value)


def _value_span(value: str) -> tuple[int, int] | None:
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts).toordinal()
            return day, day
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return first.toordinal(), following.toordinal() - 1
        if len(parts) == 1:
            return date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal()
    except ValueError:
        return None
    return None


# ---- small helpers -----------------------------------------------------------------------------

def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _neg(text: str) -> tuple[int, ...]:
    # max() picks the smallest id on ties
    return tuple(-ord(c) for c in text)


def _normalised(weights: dict[int, float]) -> Sparse:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm else {}


def _top(weights: Sparse, k: int) -> Sparse:
    if len(weights) <= k:
        return dict(weights)
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def _signature(weights: Sparse) -> Signature:
    return np.fromiter(weights.keys(), np.int32, len(weights)), np.fromiter(weights.values(), np.float32, len(weights))


def _unsigned(signature: Signature) -> Sparse:
    return dict(zip(signature[0].tolist(), signature[1].tolist(), strict=True))


def _signature_dot(signature: Signature, weights: Sparse) -> float:
    # straight from the arrays: this runs for every article of every story each time stories are listed
    return sum(v * weights.get(k, 0.0) for k, v in zip(signature[0].tolist(), signature[1].tolist(), strict=True))


def _add_into(total: Sparse, vector: Sparse) -> None:
    """Add ``vector`` into ``total`` in place."""
    for k, v in vector.items():
        total[k] = total.get(k, 0.0) + v


def _dot(a: Sparse, b: Sparse) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _subtract(group: _Group, member: _Signals) -> None:
    """Take one member's signals out of a group's sums (the date span stays: it is not a sum)."""
    _add_into(group.terms, {k: -v for k, v in member.terms.items()})
    if member.entities:
        _add_into(group.entities, {k: -v for k, v in member.entities.items()})
        group.n_entities = max(0, group.n_entities - 1)
    if member.vector is not None and group.vector is not None:
        group.vector = group.vector - member.vector
        group.n_vectors = max(0, group.n_vectors - 1)


def _story_id(event_id: str) -> str:
    """A story is one happening: it takes its event's id, as ``s-`` and the same hash."""
    return "s-" + event_id.removeprefix("e-")


def _majority_span(spans: Counter[tuple[int, int]]) -> tuple[int, int] | None:
    """The shortest run of dates that holds more than half of the dated members (by their first
    day), from the first day of its earliest to the last day of its latest. One report dated
    far from the rest (a follow-up months on, a date read wrongly) then neither names nor dates
    the happening the others describe; with no majority (two reports, far apart) it spans all."""
    if not spans:
        return None
    dated = sorted(spans.elements())
    need = len(dated) // 2 + 1
    start = min(range(len(dated) - need + 1), key=lambda i: (dated[i + need - 1][0] - dated[i][0], i))
    window = dated[start:start + need]
    return window[0][0], max(s[1] for s in window)


def _within(span: tuple[int, int] | None, dates: tuple[int, int]) -> bool:
    return span is not None and dates[0] <= span[0] and span[1] <= dates[1]


def _union_span(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def clustering_settings(config: ClusterConfig) -> dict[str, float]:
    """The settings that decide how articles are grouped, as stored beside a clustered store."""
    settings = asdict(config)
    del settings["dedup_threshold"]  # marks copies; it never moves an article between stories
    return settings


def _event_labels(similarity: np.ndarray, bar: float) -> list[int]:
    """Events of a small story from its members' pairwise similarities: one label per member,
    the story's average-link tree cut where its halves are on average less similar than ``bar``
    (scipy's ``fcluster`` at distance ``1 - bar``)."""
    from scipy.cluster.hierarchy import linkage

    n = len(similarity)
    if n < 2:
        return [1] * n
    distances = np.clip(1.0 - similarity[np.triu_indices(n, 1)], 0.0, 2.0)
    # row i of the tree joins nodes a and b into node n + i; leaves are 0..n-1. Walked from the
    # top as a list (a parent's row comes after its children's), which at 60 articles costs half
    # of fcluster's building of a tree of Python nodes: a node kept whole gives its label to all
    # under it, a divided one leaves its halves to decide for themselves
    tree = linkage(distances.astype(np.float64), method="average").tolist()
    label = [0] * (2 * n - 1)
    next_label = 1
    for i in range(n - 2, -1, -1):
        node, (a, b, dist, _) = n + i, tree[i]
        if not label[node]:
            if dist > 1.0 - bar:  # the bar compared as fcluster's distance cut does
                continue
            label[node], next_label = next_label, next_label + 1
        label[int(a)] = label[int(b)] = label[node]
    for leaf in range(n):  # a report whose every ancestor was divided is an event alone
        if not label[leaf]:
            label[leaf], next_label = next_label, next_label + 1
    return label[:n]


def _pair_signals(a: _Signals, b: _Signals, crowding: float) -> HappeningSignals:
    return HappeningSignals(
        terms=_dot(a.terms, b.terms),
        vector=float(a.vector @ b.vector) if a.vector is not None and b.vector is not None else None,
        entities=_dot(a.entities, b.entities) if a.entities and b.entities else None,
        numbers=_dot(a.numbers, b.numbers) if a.numbers and b.numbers else None,
        crowding=crowding)


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


# ---- state (de)serialisation -------------------------------------------------------------------

def _packed(keys: np.ndarray, values: np.ndarray, value_type: str) -> str:
    # keys (int32) then values, as one base64 string: a 100k-article state held as JSON dicts of
    # decimal floats was ~190 MB of text and several times that in objects while being written
    return base64.b64encode(
        np.asarray(keys, dtype="<i4").tobytes() + np.asarray(values, dtype=value_type).tobytes()
    ).decode("ascii")


def _unpacked(data: str, value_type: str) -> tuple[np.ndarray, np.ndarray]:
    raw = base64.b64decode(data)
    n = len(raw) // (4 + np.dtype(value_type).itemsize)
    return np.frombuffer(raw, "<i4", n).astype(np.int32), np.frombuffer(raw, value_type, n, offset=4 * n)


def _sparse_out(s: Sparse) -> str:
    # sums stay float64, so a reloaded clusterer scores exactly as the one that was saved
    return _packed(np.fromiter(s.keys(), np.int64, len(s)), np.fromiter(s.values(), np.float64, len(s)), "<f8")


def _sparse_in(s: str) -> Sparse:
    keys, values = _unpacked(s, "<f8")
    return dict(zip(keys.tolist(), values.tolist(), strict=True))


def _signature_out(signature: Signature) -> str:
    return _packed(signature[0], signature[1], "<f4")


def _signature_in(data: str) -> Signature:
    keys, values = _unpacked(data, "<f4")
    return keys, values.astype(np.float32)


def _vector_out(vector: np.ndarray | None) -> str | None:
    # 2 KB of base64 instead of ~4 KB of decimal floats, and one string instead of 384 floats
    # while the state is being written: the state of 100k articles is mostly these vectors
    if vector is None:
        return None
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def _vector_in(data: str | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(base64.b64decode(data), dtype="<f4").astype(np.float32)


def _group_out(g: _Group) -> dict[str, Any]:
    return {"id": g.id, "articles": g.articles, "terms": _sparse_out(g.terms),
            "entities": _sparse_out(g.entities), "n_entities": g.n_entities,
            "vector": _vector_out(g.vector), "n_vectors": g.n_vectors,
            "span": list(g.span) if g.span else None,
            "closeness_sum": g.closeness_sum, "n_closeness": g.n_closeness,
            "numbers": _sparse_out(g.numbers), "n_numbers": g.n_numbers,
            "spans": [[a, b, n] for (a, b), n in sorted(g.spans.items())]}


def _group_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"id": data["id"], "articles": list(data["articles"]), "terms": _sparse_in(data["terms"]),
            "entities": _sparse_in(data["entities"]), "n_entities": data["n_entities"],
            "vector": _vector_in(data["vector"]),
            "n_vectors": data["n_vectors"],
            "span": tuple(data["span"]) if data["span"] else None,
            "closeness_sum": data["closeness_sum"], "n_closeness": data["n_closeness"],
            "numbers": _sparse_in(data["numbers"]), "n_numbers": data["n_numbers"],
            "spans": Counter({(a, b): n for a, b, n in data["spans"]})}


def _story_out(s: _StoryRecord) -> dict[str, Any]:
    return {**_group_out(s), "events": [_group_out(e) for e in s.events], "exact": s.matrix is not None,
            "settled_closeness": s.settled_closeness}


def _member_out(m: _Member) -> dict[str, Any]:
    return {"terms": _signature_out(m.terms), "entities": _signature_out(m.entities),
            "vector": _vector_out(m.vector),
            "span": list(m.span) if m.span else None, "numbers": _signature_out(m.numbers)}


def _member_in(data: dict[str, Any]) -> _Member:
    return _Member(terms=_signature_in(data["terms"]), entities=_signature_in(data["entities"]),
                   vector=_vector_in(data["vector"]),
                   span=tuple(data["span"]) if data["span"] else None, numbers=_signature_in(data["numbers"]))


def _story_in(data: dict[str, Any]) -> _StoryRecord:
    return _StoryRecord(**_group_fields(data), events=[_Group(**_group_fields(e)) for e in data["events"]],
                        settled_closeness=data["settled_closeness"])
