"""Online clustering: one story per real-world happening, topical neighbours as related stories.

Public entry points: :class:`StoryClusterer` (``add`` one article at a time,
``stories``, ``to_state``/``from_state``), :func:`cluster_stories`, which
streams a batch through the same ``add``, and :func:`pair_signals` (what the
same-happening judge is trained on).

Articles are first grouped by subject (internally a ``StoryRecord``: other Covid
rules, other jobs figures). An article is compared with group *representations*,
never re-clustering the collection: per group the sums of its members' TF-IDF,
entity, key-number and MiniLM unit vectors (and multilingual ones, read where a pair's two
reports are in two languages: :func:`vector_signal`) and its members' dates. Because every
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
judgements (:func:`event_labels`), so they do not depend on arrival order. When
an article brings two groups within the bar of each other, or the judge finds a happening of
one and a happening of the other one happening, they merge.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from newsweave.analyze.nlp import reads
from newsweave.cluster.features import (
    Features,
    Signature,
    Sparse,
    Vector,
    add_into,
    features_of,
    is_multilingual,
    normalised,
    signature,
    signature_dot,
    sparse_dot,
    term_counts,
    top_k,
)
from newsweave.cluster.happening import QUIET_PENALTY, HappeningModel, HappeningSignals, gap_days
from newsweave.cluster.neighbours import Neighbourhood
from newsweave.cluster.state import (
    READABLE_STATE_VERSIONS,
    STATE_VERSION,
    Group,
    ItemReader,
    Member,
    RowMap,
    Signals,
    StoryHead,
    StoryRecord,
    head_in,
    head_out,
    member_in,
    member_out,
    signature_in,
    signature_out,
    span_in,
    split_items,
    story_in,
    story_out,
)
from newsweave.config import ClusterConfig
from newsweave.model import AnalyzedArticle, Event, Story

ARTICLE_TERMS = 80  # heaviest TF-IDF terms kept per article: the tail costs time and adds noise


BLOCKING_TERMS = 10  # an article's most distinctive terms that open candidate stories


BLOCKING_ENTITIES = 6


MAX_CANDIDATES = 40  # stories scored per article, those sharing the most blocking keys


STORY_KEYS = 60  # keys a story keeps in the index (its heaviest summed terms and entities)


# Reports whose own dates lie more than three months apart describe different occurrences (a
# visit and the next one). Nearer dates are left to the words: ECB+ files a charge weeks on under
# the shooting it follows, and a 10-day gate cost 0.016 of its event BCubed F1 (mean of 5 orders).
EVENT_MAX_GAP_DAYS = 90
# Reports dated by their publication, with more than three quiet days between them and the
# happening's coverage, report a new development (a vote, then the authorisation it led to; the
# results of a trial, then the request they backed): a story is one happening, and news of a
# happening runs on from day to day. Read by the definition, 47 of the 54 AllSides dev
# stories that joined two happenings (docs/BENCHMARKS.md "Stop 35: what the golds allow") joined
# reports 4 or more days apart, and 20 of the 21 that joined one happening's reports lay within 3.
# Days a text names do not count: ECB+ files a verdict under the shooting it follows.
PUBLISHED_GAP_DAYS = 3


MERGE_MARGIN = 0.05  # stories the article scored this close to the bar are checked for a late merge


SIGNATURE_TERMS = 40  # terms kept per article in the state, for headlines


EXACT_EVENTS_MAX = 64  # up to this size a story's events are re-derived from all its members' similarities


# a small story's events are derived again once the collection's usual closeness has moved this far
CLOSENESS_DRIFT = 0.01


HAPPENING_GROUPS = 8  # the groups nearest an article whose events are offered to the judge


RELATED_MAX = 5  # related stories linked from a story, the closest first


# The measured defaults live in ClusterConfig; kept as a name for callers that asked for them.
TUNED_CONFIG = ClusterConfig()


ACROSS_NEIGHBOURHOOD = "across_neighbourhood"  # the state's name for the multilingual vectors' index


class StoryClusterer:
    """Assigns a stream of analysed articles to stories and, inside them, to events."""

    def __init__(
        self,
        config: ClusterConfig | None = None,
        weights: tuple[float, float, float] | None = None,
        happening_model: HappeningModel | None = None,
    ) -> None:
        self.config = config or ClusterConfig()
        self.weights = weights or (
            self.config.weight_terms,
            self.config.weight_entities,
            self.config.weight_vector,
        )
        self.judge = happening_model or HappeningModel.shipped()
        self._df: Counter[int] = Counter()  # document frequency per hashed term
        self._docs = 0
        self._counted: set[str] = set()  # ids already in the document frequencies
        # stories and per-article records are kept one stored row each (:class:`RowMap`): those
        # read back are decoded when first needed, and a save writes only what changed
        self._heads: dict[str, StoryHead] = {}  # stories read back and not decoded yet
        # decoded by a function of the heads, not a method: a bound method would tie the clusterer
        # into a cycle that only a collection frees (100k articles: 100 MB held into the
        # story stage, and a collection 0.12 s)
        self._stories: RowMap[StoryRecord] = RowMap(partial(_story_in, self._heads), story_out)
        self._story_of: dict[str, str] = {}
        self._event_of: dict[str, str] = {}
        self._titles: RowMap[str] = RowMap(_same, _same)
        # per dated article its own dates (labels read them)
        self._spans: RowMap[tuple[int, int]] = RowMap(span_in, list)
        # per article its heaviest terms as two small arrays, not a dict: a dict of 40 floats
        # costs ~2.8 KB and this is kept for every article ever clustered (280 MB at 100k)
        self._signatures: RowMap[Signature] = RowMap(signature_in, signature_out)
        # members of stories still small enough to re-split
        self._members: RowMap[Member] = RowMap(member_in, member_out)
        self._rewrite = True  # the next save writes every item (a new clusterer, or an older layout read)
        self._index: dict[int, set[str]] = {}  # blocking key → story ids
        self._neighbourhood = Neighbourhood()
        # the same over the multilingual vectors: a report's nearest in other languages, whose
        # stories the index of words and names cannot offer it (see _nearest_stories)
        self._across = Neighbourhood(ACROSS_NEIGHBOURHOOD)
        # articles placed per language; None for a state written before they were counted (state 11)
        self._languages: Counter[str] | None = Counter()
        self._unsettled: set[str] = set()  # small stories a member's closeness changed in since their split
        self._settled_at: float | None = None  # the usual closeness at the last pass of _settle

    # ---- public ---------------------------------------------------------------------------

    def observe(self, items: Iterable[AnalyzedArticle]) -> None:
        """Count term document frequencies without clustering (a batch knows its vocabulary up front)."""
        for item in items:
            self._count_terms(item.article.id, term_counts(item))

    def add(self, item: AnalyzedArticle) -> tuple[str, str]:
        """Place one article; return its (story id, event id). Adding it again is a no-op."""
        article_id = item.article.id
        if article_id in self._story_of:
            return self._story_of[article_id], self._event_of[article_id]
        features = features_of(item)
        for other, (before, after) in self._neighbourhood.add(article_id, features.vector).items():
            if other != article_id:
                self._reclose(other, before, after)
        closeness = self._neighbourhood.closeness(article_id)
        self._across.add(article_id, features.multilingual)
        if self._languages is not None:
            self._languages[features.language] += 1
        self._count_terms(article_id, features.terms)
        terms = self._tfidf(features.terms)
        story, _, near = self._best_story(features, terms)
        if story is None:
            story = self._new_story(article_id)
        exact = story.exact and len(story.articles) < EXACT_EVENTS_MAX
        base = self._matrix(story) if exact else None  # of the members before this one
        if not exact:
            event = self._place_in_event(story, features, terms)
            event.add(
                article_id,
                terms,
                features.entities,
                features.vector,
                features.span,
                closeness,
                features.numbers,
                features.days,
                features.language,
                features.published,
                features.multilingual,
            )
            self._event_of[article_id] = event.id
        story.add(
            article_id,
            terms,
            features.entities,
            features.vector,
            features.span,
            language=features.language,
            published=features.published,
            multilingual=features.multilingual,
        )
        self._story_of[article_id] = story.id
        self._titles[article_id] = features.title
        if features.span is not None:
            self._spans[article_id] = features.span
        self._signatures[article_id] = signature(top_k(terms, SIGNATURE_TERMS))
        if base is not None:
            self._members[article_id] = Member.of(features, terms)
            story.matrix = self._grow_matrix(base, story.articles[:-1], [article_id])
            self._resplit(story)
        else:
            self._drop_exact(story)
        self._reindex(story)
        self._late_merges(story, near, article_id)
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
        if story.exact:
            if story.matrix is not None:  # else it is scored from the members left when next needed
                story.matrix = np.delete(np.delete(story.matrix, position, axis=0), position, axis=1)
            self._resplit(story)
        self._reindex(story)
        return story_id

    def stories(self, groups: Iterable[str] | None = None, outline: bool = False) -> list[Story]:
        """Every story (one happening) with its related stories, largest first (ties by id); or
        only the stories of ``groups`` (ids from :meth:`changed`) that are still there.

        ``outline`` leaves out what names and dates each (its headline, its event's label and
        dates: :meth:`described` adds them): an ingest compares every story of a changed group
        with the stored one and fills only those that changed (100k articles: 27 of 202)."""
        self._settle()
        wanted = list(self._stories) if groups is None else sorted(groups)
        self._stories.prefetch(wanted)  # a state read when needed reads them in one query, not one each
        records = [self._stories[g] for g in wanted if g in self._stories]
        if not outline:
            self._prefetch_names([a for r in records for a in r.articles])
        out = [story for record in records for story in self._happenings(record, outline)]
        return sorted(out, key=lambda s: (-len(s.articles), s.id))

    def described(self, stories: Iterable[Story]) -> list[Story]:
        """``stories`` (outlines from :meth:`stories`) with their headlines and event dates."""
        stories = list(stories)
        self._prefetch_names([a for s in stories for a in s.articles])
        out = []
        for story in stories:
            record = self._stories[self._story_of[story.articles[0]]]
            event = next(e for e in record.events if e.id == story.events[0].id)
            when = self._when(event)
            out.append(replace(story, headline=when.label, events=[when]))
        return out

    def _prefetch_names(self, members: list[str]) -> None:
        # the titles, terms and dates of their members name each happening (_central_title)
        for items in (self._titles, self._spans, self._signatures):
            items.prefetch(members)

    def changed(self) -> set[str] | None:
        """The groups changed since the clusterer was read or last saved: only their stories can
        have changed. None for all of them (a new clusterer, or one read from an older layout)."""
        self._settle()
        return None if self._rewrite else set(self._stories.changed)

    def memberships(self) -> list[list[str]]:
        """Every story's articles as :meth:`stories` gives them (sorted, largest story first),
        read from where each article is placed, without decoding any story."""
        by_story: dict[str, list[str]] = {}
        for article_id, event_id in self._event_of.items():
            by_story.setdefault(_story_id(event_id), []).append(article_id)
        ordered = sorted(by_story.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        return [sorted(articles) for _, articles in ordered]

    def story_of(self, article_id: str) -> str | None:
        """The id of the story (happening) the article is in, if it has been placed."""
        event_id = self._event_of.get(article_id)
        return _story_id(event_id) if event_id else None

    @property
    def empty(self) -> bool:
        """Whether no article has been placed yet (a new clusterer, or one from an unreadable state)."""
        return not self._story_of

    def to_state(self) -> dict[str, Any]:
        """JSON-ready state, items included; :meth:`from_state` continues from it."""
        self._settle()
        return {**dict(self._head_parts()), "items": dict(self._items(every=True, forget=False))}

    def state_for_store(
        self,
    ) -> tuple[Iterator[tuple[str, Any]], Iterator[tuple[str, str | None]], bool]:
        """What a store keeps: the head's parts, each made when asked for, the items (name and
        JSON, None for one deleted) changed since the clusterer was read or last saved, and
        whether those are every item (then the store drops any others it holds)."""
        self._settle()
        every, self._rewrite = self._rewrite, False
        return self._head_parts(), self._items(every=every, forget=True), every

    def _head_parts(self) -> Iterator[tuple[str, Any]]:
        yield "version", STATE_VERSION
        yield "weights", list(self.weights)
        yield "docs", self._docs
        yield "df", {str(k): v for k, v in self._df.items()}
        yield "counted", sorted(self._counted)
        yield from self._neighbourhood.state_parts()
        yield from self._across.state_parts()
        if self._languages is not None:
            yield "languages", dict(sorted(self._languages.items()))

    def _items(self, every: bool, forget: bool) -> Iterator[tuple[str, str | None]]:
        yield from self._titles.saved("t/", every, forget)
        yield from self._spans.saved("p/", every, forget)
        yield from self._signatures.saved("g/", every, forget)
        yield from self._members.saved("m/", every, forget)
        for story_id in list(self._stories) if every else sorted(self._stories.changed):
            story = self._stories.get(story_id)
            yield "h/" + story_id, None if story is None else json.dumps(head_out(story))
            yield "s/" + story_id, None if story is None else json.dumps(story_out(story))
        if forget:
            self._stories.changed.clear()

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        config: ClusterConfig | None = None,
        items: dict[str, str] | ItemReader | None = None,
    ) -> StoryClusterer:
        """Continue from :meth:`to_state` (or a store's head and ``items``, or an
        :data:`ItemReader` of them, which reads each when first needed); a state of an older
        layout gives an empty clusterer, so a caller that streams what the clusterer does not
        know re-clusters everything."""
        if state.get("version") not in READABLE_STATE_VERSIONS:
            return cls(config)
        clusterer = cls(config, tuple(state["weights"]))
        clusterer._docs = state["docs"]
        clusterer._df = Counter({int(k): v for k, v in state["df"].items()})
        clusterer._counted = set(state["counted"])
        clusterer._neighbourhood = Neighbourhood.from_state(state)
        clusterer._across = Neighbourhood.from_state(state, ACROSS_NEIGHBOURHOOD)
        languages = state.get("languages")
        clusterer._languages = None if languages is None else Counter(languages)
        if state["version"] == 7:
            clusterer._read_whole(state)
        elif callable(items):
            clusterer._read_from(items)
        else:
            clusterer._read_items(split_items(items if items is not None else state.get("items", {})))
        return clusterer

    def _read_from(self, reader: ItemReader) -> None:
        """Read the story heads now and every other item when first needed (:class:`RowMap`)."""
        heads = reader("h/", None)
        self._titles.read_from(partial(reader, "t/"))
        self._spans.read_from(partial(reader, "p/"))
        self._signatures.read_from(partial(reader, "g/"))
        self._members.read_from(partial(reader, "m/"))
        self._stories.read_from(partial(reader, "s/"), heads)
        self._read_heads(heads)

    def _read_items(self, rows: dict[str, dict[str, str]]) -> None:
        self._titles.read(rows["t/"])
        self._spans.read(rows["p/"])
        self._signatures.read(rows["g/"])
        self._members.read(rows["m/"])
        self._stories.read(rows["s/"])
        self._read_heads(rows["h/"])

    def _read_heads(self, heads: dict[str, str]) -> None:
        for story_id, data in heads.items():
            head = self._heads[story_id] = head_in(json.loads(data))
            for event_id, articles in head.events:
                for a in articles:
                    self._story_of[a] = story_id
                    self._event_of[a] = event_id
            for key in head.keys:
                self._index.setdefault(key, set()).add(story_id)
        self._rewrite = False

    def _read_whole(self, state: dict[str, Any]) -> None:
        """A version-7 state, which held every story and article in a few parts: read whole,
        and written back as items at the next save."""
        for a, title in state["titles"].items():
            self._titles[a] = title
        for a, span in state["spans"].items():
            self._spans[a] = (span[0], span[1])
        for a, data in state["signatures"].items():
            self._signatures[a] = signature_in(data)
        for a, data in state["members"].items():
            self._members[a] = member_in(data)
        for data in state["stories"]:
            story = story_in(data)  # an exact story's matrix is scored when first needed
            self._stories[story.id] = story
            for event in story.events:
                for a in event.articles:
                    self._story_of[a] = story.id
                    self._event_of[a] = event.id
            self._reindex(story)

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
        weights = {
            t: (1.0 + math.log(c)) * (math.log((n + 1) / (self._df[t] + 1)) + 1.0) for t, c in counts.items()
        }
        return normalised(top_k(weights, ARTICLE_TERMS))

    def _combine(
        self,
        terms: float,
        entities: float | None,
        vector: float | None,
        across: float = 0.0,
        multilingual: bool = False,
    ) -> float:
        """Weighted mean of the signals present; a missing one gives its weight to the rest.
        The words and vector are read as the judge reads them (:meth:`HappeningModel.comparable`),
        so reports in two languages meet in one subject as they meet in one happening."""
        terms, vector = self.judge.comparable(terms, vector, across, multilingual)
        parts = [(self.weights[0], terms)]
        if entities is not None:
            parts.append((self.weights[1], entities))
        if vector is not None:
            parts.append((self.weights[2], vector))
        total = sum(w for w, _ in parts)
        return sum(w * s for w, s in parts) / total if total else 0.0

    def _similarity(self, group: Group, features: Features, terms: Sparse) -> float:
        """Average similarity of the article to the group's members (average link)."""
        entities = None
        if features.entities and group.n_entities:
            entities = sparse_dot(features.entities, group.entities) / group.n_entities
        across = group.across(features.language)
        vector, multilingual = article_vector_signal(features, group, across)
        return self._combine(
            sparse_dot(terms, group.terms) / len(group.articles), entities, vector, across, multilingual
        )

    def _group_similarity(self, a: Group, b: Group) -> float:
        """Average similarity between the members of two groups (average link)."""
        entities = None
        if a.n_entities and b.n_entities:
            entities = sparse_dot(a.entities, b.entities) / (a.n_entities * b.n_entities)
        across = a.across_group(b)
        vector, multilingual = group_vector_signal(a, b, across)
        return self._combine(
            sparse_dot(a.terms, b.terms) / (len(a.articles) * len(b.articles)),
            entities,
            vector,
            across,
            multilingual,
        )

    def _candidates(self, features: Features, terms: Sparse) -> list[StoryRecord]:
        keys = list(top_k(terms, BLOCKING_TERMS)) + list(top_k(features.entities, BLOCKING_ENTITIES))
        best = self._sharing_keys(keys)
        chosen = best + self._nearest_stories(features, set(best))
        self._stories.prefetch(chosen)
        return [self._stories[s] for s in chosen]

    def _sharing_keys(self, keys: Iterable[int], besides: str | None = None) -> list[str]:
        """The MAX_CANDIDATES stories (other than ``besides``) indexed under most of ``keys``."""
        shared: Counter[str] = Counter()
        for key in keys:
            shared.update(self._index.get(key, ()))
        if besides is not None:
            shared.pop(besides, None)
        return [s for s, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]]

    def _nearest_stories(self, features: Features, known: set[str]) -> list[str]:
        """The stories of the article's nearest reports by multilingual vectors that share no key
        with it: reports in another language share few words, so the index of words and names
        does not offer their stories. Beside MiniLM document vectors only stories holding a report
        in another language are offered (the others are judged on MiniLM, and found by words)."""
        if is_multilingual(features.vector):
            assert features.vector is not None
            near, beside = self._neighbourhood.nearest(features.vector), False
        elif features.multilingual is not None and self._several_languages():
            near, beside = self._across.nearest(features.multilingual), True
        else:
            return []
        out: list[str] = []
        for other in near:
            story = self._story_of.get(other)
            if story is None or story in known or story in out:
                continue
            if not beside or self._stories[story].across(features.language) > 0:
                out.append(story)
        return out

    def _several_languages(self) -> bool:
        """Whether articles of two or more languages have been placed (or it is not known): until
        then no story holds a report in another language, and none is looked for."""
        return self._languages is None or len(self._languages) > 1

    def _best_story(
        self, features: Features, terms: Sparse
    ) -> tuple[StoryRecord | None, float, list[StoryRecord]]:
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

    def _happening_home(
        self, groups: list[StoryRecord], features: Features, terms: Sparse
    ) -> StoryRecord | None:
        """The group whose event the article is most likely a report of, at or above the bar."""
        best: tuple[float, str, StoryRecord] | None = None
        for group in groups:
            for event in group.events:
                p = self._event_probability(event, features, terms)
                if (
                    p is not None
                    and p >= self.config.event_threshold
                    and (best is None or (p, event.id) > best[:2])
                ):
                    best = (p, event.id, group)
        return best[2] if best else None

    def _place_in_event(self, story: StoryRecord, features: Features, terms: Sparse) -> Group:
        """The event the same-happening judge finds the article most likely part of, above the bar."""
        best: tuple[float, str] | None = None
        for event in story.events:
            score = self._event_probability(event, features, terms)
            if score is None:
                continue
            if score >= self.config.event_threshold and (
                best is None or (score, event.id) > (best[0], best[1])
            ):
                best = (score, event.id)
        if best is not None:
            return next(e for e in story.events if e.id == best[1])
        event = Group(id="e-" + _short_hash(features.id))
        story.events.append(event)
        return event

    def _event_probability(self, event: Group, features: Features, terms: Sparse) -> float | None:
        """The judge's probability that the article reports the event's happening (average link);
        None when its own dates lie far from the event's."""
        dates = event.dates
        if gap_days(dates, features.span) > EVENT_MAX_GAP_DAYS:
            return None  # a report dated far from the event's own dates is another occurrence
        across = event.across(features.language)
        vector, multilingual = article_vector_signal(features, event, across)
        signals = HappeningSignals(
            terms=sparse_dot(terms, event.terms) / len(event.articles),
            vector=vector,
            entities=sparse_dot(features.entities, event.entities) / event.n_entities
            if features.entities and event.n_entities
            else None,
            numbers=sparse_dot(features.numbers, event.numbers) / event.n_numbers
            if features.numbers and event.n_numbers
            else None,
            crowding=(self._neighbourhood.crowding(features.id) + self._crowding(event)) / 2,
            days=sparse_dot(features.days, event.days) / event.n_days
            if features.days and event.n_days
            else None,
            across=across,
            multilingual=multilingual,
            quiet=features.published and event.published_only and _quiet_between(event.span, features.span),
        )
        return self.judge.probability(signals)

    # ---- events of a small story, derived exactly ---------------------------------------------

    def _pair_logit(self, a: Signals, b: Signals) -> float:
        """The same-happening judge's log-odds for two articles, before their crowding (which
        changes as reports arrive, so is added when events are derived); reports whose own
        dates lie far apart are never one happening (-inf)."""
        if gap_days(a.span, b.span) > EVENT_MAX_GAP_DAYS:
            return -math.inf
        return self.judge.logit(_pair_signals(a, b, 0.0))

    def _grow_matrix(
        self, matrix: npt.NDArray[np.float32], old: list[str], new: list[str]
    ) -> npt.NDArray[np.float32]:
        """The similarity matrix of ``old + new`` from that of ``old``: only the new pairs are scored."""
        self._members.prefetch(old + new)
        members = [self._members[a].expanded() for a in old + new]
        n, k = len(old), len(new)
        grown = np.ones((n + k, n + k), dtype=np.float32)
        grown[:n, :n] = matrix
        for i in range(n, n + k):
            for j in range(i):
                grown[i, j] = grown[j, i] = self._pair_logit(members[i], members[j])
        return grown

    def _matrix(self, story: StoryRecord) -> npt.NDArray[np.float32]:
        """An exact story's similarity matrix over its current members, scored now if it was not
        kept (a state read from the store holds none: see :class:`StoryRecord`)."""
        if story.matrix is None:
            story.matrix = self._grow_matrix(np.zeros((0, 0), dtype=np.float32), [], story.articles)
        return story.matrix

    def _resplit(self, story: StoryRecord) -> None:
        """Average link over the story's members, cut by :func:`event_labels`. This undoes what the
        arrival order did to a small story's events (an early article that opened an event of
        its own, two events an early article joined); the events of a story up to
        EXACT_EVENTS_MAX articles depend only on its members."""
        matrix = self._matrix(story)
        articles = story.articles
        crowding = np.array([self._neighbourhood.crowding(a) for a in articles], dtype=np.float32)
        logits = matrix + self.judge.crowding_weight * (crowding[:, None] + crowding[None, :]) / 2
        labels = self._cut(matrix, logits)
        # then each happening's own coverage: reports of it on either side of days of quiet (other
        # happenings of the subject may have filled those days) are judged as a new development
        quiet = self._quiet_pairs(articles, labels)
        if quiet.any():
            labels = self._cut(matrix, logits - QUIET_PENALTY * quiet)
        story.settled_closeness = self._neighbourhood.usual_closeness
        self._unsettled.discard(story.id)
        self._stories.mark(story.id)
        groups: dict[int, list[str]] = {}
        for article_id, label in zip(articles, labels, strict=True):
            groups.setdefault(label, []).append(article_id)
        old = {e.id: e for e in story.events}
        story.events = []
        for members in groups.values():
            # grow the largest old event that lies wholly inside the new one (usually the whole of it)
            inside = Counter(self._event_of.get(a) for a in members)
            whole = [old[e] for e, n in inside.items() if e in old and len(old[e].articles) == n]
            event = max(whole, key=lambda e: (len(e.articles), e.id), default=None) or Group(id="")
            old.pop(event.id, None)
            have = set(event.articles)
            for article_id in members:
                if article_id not in have:
                    m = self._members[article_id].expanded()
                    event.add(
                        article_id,
                        m.terms,
                        m.entities,
                        m.vector,
                        m.span,
                        self._neighbourhood.closeness(article_id),
                        m.numbers,
                        m.days,
                        m.language,
                        m.published,
                        m.multilingual,
                    )
            # an event keeps its id as reports come and go (its story's id, and so its page's
            # address, is made from it); a new event is named after its first member
            event.id = event.id or "e-" + _short_hash(min(members))
            for article_id in members:
                self._event_of[article_id] = event.id
            story.events.append(event)

    def _cut(self, matrix: npt.NDArray[np.float32], logits: npt.NDArray[np.floating]) -> list[int]:
        """Average link over 2p - 1 (:func:`_link`), cut where p falls below the bar."""
        return event_labels(_link(matrix, logits), 2 * self.config.event_threshold - 1)

    def _quiet_pairs(self, articles: list[str], labels: list[int]) -> npt.NDArray[np.bool_]:
        """Pairs of one event whose reports lie in two runs of its coverage: runs are cut where more
        than PUBLISHED_GAP_DAYS pass between one report's publication and the next. An event with
        a member not dated by its publication has no runs."""
        quiet = np.zeros((len(articles), len(articles)), dtype=bool)
        events: dict[int, list[int]] = {}
        for k, label in enumerate(labels):
            events.setdefault(label, []).append(k)
        for members in events.values():
            spans = [m.span for m in (self._members[articles[k]] for k in members) if m.published and m.span]
            if len(members) < 2 or len(spans) < len(members):
                continue
            runs = np.zeros(len(members), dtype=np.int32)
            run, end = -1, None
            for i in sorted(range(len(members)), key=lambda i: spans[i]):
                if end is None or spans[i][0] - end > PUBLISHED_GAP_DAYS:
                    run += 1
                runs[i] = run
                end = spans[i][1] if end is None else max(end, spans[i][1])
            quiet[np.ix_(members, members)] = runs[:, None] != runs[None, :]
        return quiet

    # ---- crowding -----------------------------------------------------------------------------

    def _crowding(self, group: Group) -> float:
        """The mean crowding of a group's members (see :mod:`newsweave.cluster.neighbours`)."""
        return self._neighbourhood.crowding_at(
            group.closeness_sum / group.n_closeness if group.n_closeness else None
        )

    def _reclose(self, article_id: str, before: float | None, after: float) -> None:
        """A newer article became one of ``article_id``'s nearest: update its event's sum, and
        derive a small story's events again before they are next read."""
        story = self._stories[self._story_of[article_id]]
        event = next(e for e in story.events if e.id == self._event_of[article_id])
        event.closeness_sum += after - (before or 0.0)
        event.n_closeness += before is None
        self._stories.mark(story.id)
        if story.exact:
            self._unsettled.add(story.id)

    def _settle(self) -> None:
        """Derive again the events of small stories whose members' crowding has changed since, and
        merge into each the groups holding one of its happenings (:meth:`_join_happenings`)."""
        mean = self._neighbourhood.usual_closeness
        if not self._unsettled and mean == self._settled_at:
            return  # nothing moved since the last pass (a save asks three times: every story each)
        resplit = []
        for story_id in list(self._stories):
            head = self._heads.get(story_id)  # a story not decoded yet is judged by its head
            exact, settled = (head.exact, head.settled_closeness) if head else self._exactness(story_id)
            if exact and (story_id in self._unsettled or abs(settled - mean) > CLOSENESS_DRIFT):
                self._resplit(self._stories[story_id])
                resplit.append(story_id)
        # what moved a story's events may also have brought one of them within the bar of a
        # happening in another group (measured: docs/BENCHMARKS.md "Stop 36")
        for story_id in resplit:
            if story_id in self._stories:
                self._join_happenings(self._stories[story_id])
        self._unsettled.clear()
        self._settled_at = mean

    def _join_happenings(self, story: StoryRecord) -> None:
        """Merge into ``story`` the groups near it (sharing its index keys, about as alike as one
        subject's reports) that hold a happening the judge finds one with one of its events."""
        bar = min(self.config.story_threshold, self.config.merge_threshold) - MERGE_MARGIN
        near = self._sharing_keys(story.keys, besides=story.id)
        self._stories.prefetch(near)
        for other_id in near:
            other = self._stories.get(other_id)
            if other is None or other.id == story.id or self._group_similarity(story, other) < bar:
                continue
            if any(self._shares_happening(story, other, e.id) for e in story.events):
                story = self._merge(story, other)

    def _exactness(self, story_id: str) -> tuple[bool, float]:
        story = self._stories[story_id]
        return story.exact, story.settled_closeness

    def _drop_exact(self, story: StoryRecord) -> None:
        """A story that has grown keeps its events and places new articles incrementally,
        so the cost of an article stays flat however large its story becomes."""
        if not story.exact:
            return
        story.exact, story.matrix = False, None
        self._stories.mark(story.id)
        self._members.prefetch(story.articles)
        for article_id in story.articles:
            self._members.pop(article_id, None)

    # ---- bookkeeping ----------------------------------------------------------------------

    def _new_story(self, article_id: str) -> StoryRecord:
        story = StoryRecord(id="s-" + _short_hash(article_id))
        self._stories[story.id] = story
        return story

    def _reindex(self, story: StoryRecord) -> None:
        self._stories.mark(story.id)  # every change to a story ends here or in a re-split
        keys = set(top_k(story.terms, STORY_KEYS)) | set(top_k(story.entities, STORY_KEYS // 3))
        for key in story.keys - keys:
            self._index[key].discard(story.id)
        for key in keys - story.keys:
            self._index.setdefault(key, set()).add(story.id)
        story.keys = keys

    def _late_merges(self, story: StoryRecord, near: list[StoryRecord], article_id: str) -> StoryRecord:
        """Merge groups the new evidence has brought together: their members are on average as
        alike as one subject's (average link), or the happening the new article now belongs to is
        judged one with a happening of the other group."""
        for other in near:
            if other.id == story.id or other.id not in self._stories:
                continue
            if self._group_similarity(story, other) >= self.config.merge_threshold or self._shares_happening(
                story, other, self._event_of[article_id]
            ):
                story = self._merge(story, other)
        return story

    def _shares_happening(self, story: StoryRecord, other: StoryRecord, event_id: str) -> bool:
        """Whether the judge finds the story's event ``event_id`` and an event of ``other`` one
        happening (average link, at the bar that cuts a group's events)."""
        event = next((e for e in story.events if e.id == event_id), None)
        if event is None:
            return False
        exact = story.exact and other.exact
        return any(
            gap_days(event.dates, e.dates) <= EVENT_MAX_GAP_DAYS
            and (
                self._mean_link(event, e) >= 2 * self.config.event_threshold - 1
                if exact
                else self.judge.probability(self._event_signals(event, e)) >= self.config.event_threshold
            )
            for e in other.events
        )

    def _mean_link(self, a: Group, b: Group) -> float:
        """Average link between two events of small stories as their stories' events are cut by
        (:meth:`_cut`: the mean of 2p - 1 over their reports' pairs, crowding and days of quiet
        included), from the members' own signals rather than the events' sums."""
        self._members.prefetch(a.articles + b.articles)
        left = [self._members[x].expanded() for x in a.articles]
        right = [self._members[y].expanded() for y in b.articles]
        matrix = np.array([[self._pair_logit(x, y) for y in right] for x in left], dtype=np.float64)
        crowding_a = np.array([self._neighbourhood.crowding(x) for x in a.articles])
        crowding_b = np.array([self._neighbourhood.crowding(y) for y in b.articles])
        quiet = (
            QUIET_PENALTY if a.published_only and b.published_only and _quiet_between(a.span, b.span) else 0.0
        )
        crowding = self.judge.crowding_weight * (crowding_a[:, None] + crowding_b[None, :]) / 2
        return float(_link(matrix, matrix + crowding - quiet).mean())

    def _merge(self, a: StoryRecord, b: StoryRecord) -> StoryRecord:
        keep, gone = (a, b) if a.id < b.id else (b, a)
        for key in gone.keys:
            self._index[key].discard(gone.id)
        del self._stories[gone.id]
        exact = keep.exact and gone.exact and len(keep.articles) + len(gone.articles) <= EXACT_EVENTS_MAX
        if exact:
            keep.matrix = self._grow_matrix(self._matrix(keep), keep.articles, gone.articles)
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

    def _merge_events(self, story: StoryRecord) -> None:
        """Events of merged stories that describe one occurrence become one."""
        events = sorted(story.events, key=lambda e: e.id)
        merged: list[Group] = []
        for event in events:
            twin = next(
                (
                    m
                    for m in merged
                    if gap_days(m.dates, event.dates) <= EVENT_MAX_GAP_DAYS
                    and self.judge.probability(self._event_signals(m, event)) >= self.config.event_threshold
                ),
                None,
            )
            if twin is None:
                merged.append(event)
                continue
            twin.absorb(event)
            for article_id in event.articles:
                self._event_of[article_id] = twin.id
        story.events = merged

    def _event_signals(self, a: Group, b: Group) -> HappeningSignals:
        """The judge's signals between two events: average link from their sums."""
        across = a.across_group(b)
        vector, multilingual = group_vector_signal(a, b, across)
        return HappeningSignals(
            terms=sparse_dot(a.terms, b.terms) / (len(a.articles) * len(b.articles)),
            vector=vector,
            entities=sparse_dot(a.entities, b.entities) / (a.n_entities * b.n_entities)
            if a.n_entities and b.n_entities
            else None,
            numbers=sparse_dot(a.numbers, b.numbers) / (a.n_numbers * b.n_numbers)
            if a.n_numbers and b.n_numbers
            else None,
            crowding=(self._crowding(a) + self._crowding(b)) / 2,
            days=sparse_dot(a.days, b.days) / (a.n_days * b.n_days) if a.n_days and b.n_days else None,
            across=across,
            multilingual=multilingual,
            quiet=a.published_only and b.published_only and _quiet_between(a.span, b.span),
        )

    def _happenings(self, record: StoryRecord, outline: bool = False) -> list[Story]:
        """One story per event of a topical group; the group's other events are its related stories.

        A group gathers reports of one subject (average similarity >= story_threshold: other Covid
        rules, other jobs figures); its events are the happenings a reader means by a story."""
        related = self._related(record.events)
        out = []
        for event in record.events:
            when = (
                Event(id=event.id, label="", articles=sorted(event.articles))
                if outline
                else self._when(event)
            )
            out.append(
                Story(
                    id=_story_id(event.id),
                    headline=when.label,
                    articles=sorted(event.articles),
                    events=[when],
                    related=[_story_id(e) for e in related[event.id]],
                )
            )
        return out

    def _when(self, event: Group) -> Event:
        """The event as a story tells it: named by its central title, dated by its members' dates."""
        dates = event.dates
        return Event(
            id=event.id,
            label=self._central_title(event, dates),
            articles=sorted(event.articles),
            start=_iso(dates[0]) if dates else None,
            end=_iso(dates[1]) if dates else None,
        )

    def _related(self, events: list[Group]) -> dict[str, list[str]]:
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

    def _central_title(self, group: Group, dates: tuple[int, int] | None = None) -> str:
        """Title of the member whose terms are closest to the group's sum, among the members
        that carry the group's own dates (when it has some): a late follow-up or an odd report
        does not name the happening most of its reports describe."""

        def centrality(article_id: str) -> float:
            signature = self._signatures.get(article_id)
            return signature_dot(signature, group.terms) if signature is not None else 0.0

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


def pair_signals(
    items: list[AnalyzedArticle], pairs: Iterable[tuple[int, int]]
) -> list[tuple[HappeningSignals, float]]:
    """For each pair of ``items`` (by index), the same-happening judge's signals and the topical
    similarity that decides whether the two would share a group at all, as a clusterer that has
    seen the whole batch measures them: what ``training/same_happening`` learns from."""
    clusterer = StoryClusterer(happening_model=HappeningModel.untrained())
    clusterer.observe(items)
    signals = []
    for item in items:
        features = features_of(item)
        clusterer._neighbourhood.add(item.article.id, features.vector)
        signals.append(
            Signals(
                clusterer._tfidf(features.terms),
                features.entities,
                features.vector,
                features.span,
                features.numbers,
                features.days,
                features.language,
                multilingual=features.multilingual,
            )
        )
    crowding = [clusterer._neighbourhood.crowding(item.article.id) for item in items]
    out = []
    for i, j in pairs:
        judged = _pair_signals(signals[i], signals[j], (crowding[i] + crowding[j]) / 2)
        out.append(
            (
                judged,
                clusterer._combine(
                    judged.terms, judged.entities, judged.vector, judged.across, judged.multilingual
                ),
            )
        )
    return out


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def _neg(text: str) -> tuple[int, ...]:
    # max() picks the smallest id on ties
    return tuple(-ord(c) for c in text)


def _subtract(group: Group, member: Signals) -> None:
    """Take one member's signals out of a group's sums (the date span stays: it is not a sum)."""
    add_into(group.terms, {k: -v for k, v in member.terms.items()})
    if member.entities:
        add_into(group.entities, {k: -v for k, v in member.entities.items()})
        group.n_entities = max(0, group.n_entities - 1)
    if member.vector is not None and group.vector is not None:
        group.vector = group.vector - member.vector
        group.n_vectors = max(0, group.n_vectors - 1)
    if member.multilingual is not None and group.multilingual is not None:
        group.multilingual = group.multilingual - member.multilingual
        group.n_multilingual = max(0, group.n_multilingual - 1)
    if group.languages[member.language] > 0:
        group.languages[member.language] -= 1


def _story_in(heads: dict[str, StoryHead], data: Any) -> StoryRecord:
    """A story read back, decoded when first needed; its keys are those its head was indexed under."""
    story = story_in(data)
    story.keys = set(heads.pop(story.id).keys)
    return story


def _story_id(event_id: str) -> str:
    """A story is one happening: it takes its event's id, as ``s-`` and the same hash."""
    return "s-" + event_id.removeprefix("e-")


def _link(matrix: npt.NDArray[np.floating], logits: npt.NDArray[np.floating]) -> npt.NDArray[np.floating]:
    """The judge's pairs as the events' average link reads them: 2p - 1 for the log-odds ``logits``,
    -1 where ``matrix`` holds a pair never one happening (far-apart dates: -inf)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(np.isneginf(matrix), -1.0, np.tanh(logits / 2))


def _quiet_between(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Whether more than PUBLISHED_GAP_DAYS pass between two spans of publication days."""
    return gap_days(a, b) > PUBLISHED_GAP_DAYS


def _within(span: tuple[int, int] | None, dates: tuple[int, int]) -> bool:
    return span is not None and dates[0] <= span[0] and span[1] <= dates[1]


def clustering_settings(config: ClusterConfig) -> dict[str, float]:
    """The settings that decide how articles are grouped, as stored beside a clustered store."""
    settings = asdict(config)
    del settings["dedup_threshold"]  # marks copies; it never moves an article between stories
    return settings


def event_labels(similarity: npt.NDArray[np.floating], bar: float) -> list[int]:
    """Events of a small story from its members' pairwise similarities: one label per member,
    the story's average-link tree cut where its halves are on average less similar than ``bar``
    (scipy's ``fcluster`` at distance ``1 - bar``)."""
    n = len(similarity)
    if n < 2:
        return [1] * n
    # in the similarities' own type, then widened, as the condensed matrix for scipy was made
    distances = np.clip(1.0 - similarity, 0.0, 2.0).astype(np.float64)
    # row i of the tree joins nodes a and b into node n + i; leaves are 0..n-1. Walked from the
    # top as a list (a parent's row comes after its children's), which at 60 articles costs half
    # of fcluster's building of a tree of Python nodes: a node kept whole gives its label to all
    # under it, a divided one leaves its halves to decide for themselves
    tree = average_link(distances)
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


def average_link(distances: npt.NDArray[np.float64]) -> list[list[float]]:
    """The average-link tree of the square ``distances``, row for row as scipy's
    ``linkage(method="average")`` gives it (tests/test_cluster.py compares them, ties included):
    importing scipy's clustering for this was 0.3-0.8 s of every fresh process that re-split a
    story. The nearest-neighbour chain (Mullner 2011): follow each cluster to its nearest
    (the chain's previous cluster when no other is strictly nearer, else the lowest index) until
    two are each other's nearest, merge them into the higher index, and update its distances as
    the size-weighted mean; then the merges in order of distance (stable), numbered as nodes."""
    n = len(distances)
    d = distances.copy()
    np.fill_diagonal(d, np.inf)
    size = np.ones(n)
    active = np.ones(n, dtype=bool)
    merges: list[tuple[int, int, float]] = []
    chain: list[int] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(int(np.argmax(active)))
        while True:
            x = chain[-1]
            row = np.where(active, d[x], np.inf)
            y = int(np.argmin(row))
            if len(chain) > 1 and not row[y] < row[chain[-2]]:
                y = chain[-2]
                break
            chain.append(y)
        chain = chain[:-2]
        x, y = min(x, y), max(x, y)
        nx, ny = size[x], size[y]
        merges.append((x, y, float(d[x, y])))
        active[x] = False
        size[y] = nx + ny
        mean = (nx * d[x] + ny * d[y]) / (nx + ny)
        mean[~active] = np.inf
        mean[y] = np.inf
        d[y], d[:, y] = mean, mean
    return _numbered(sorted(merges, key=lambda m: m[2]), n)


def _numbered(merges: list[tuple[int, int, float]], n: int) -> list[list[float]]:
    """Merges (of two clusters, each by a member's index) as tree rows: each side named by the
    node it is in by then, with the size of the two together."""
    parent = list(range(2 * n - 1))
    size = [1] * n + [0] * (n - 1)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows = []
    for k, (x, y, dist) in enumerate(merges):
        a, b = root(x), root(y)
        parent[a] = parent[b] = n + k
        size[n + k] = size[a] + size[b]
        rows.append([float(min(a, b)), float(max(a, b)), dist, float(size[n + k])])
    return rows


def _pair_signals(a: Signals, b: Signals, crowding: float) -> HappeningSignals:
    across = float(bool(a.language and b.language and a.language != b.language))
    vector, multilingual = vector_signal(
        across,
        (a.vector, 1, b.vector, 1),
        (a.multilingual, 1, b.multilingual, 1),
        reads(a.language) and reads(b.language),
    )
    return HappeningSignals(
        terms=sparse_dot(a.terms, b.terms),
        vector=vector,
        entities=sparse_dot(a.entities, b.entities) if a.entities and b.entities else None,
        numbers=sparse_dot(a.numbers, b.numbers) if a.numbers and b.numbers else None,
        crowding=crowding,
        days=sparse_dot(a.days, b.days) if a.days and b.days else None,
        across=across,
        multilingual=multilingual,
    )


# (a side's vector or sum of vectors, how many it sums; the other side's, how many)
Sides = tuple[Vector | None, int, Vector | None, int]


def vector_signal(
    across: float, document: Sides, multilingual: Sides, read: bool = True
) -> tuple[float | None, bool]:
    """The average cosine of two sides' vectors, and whether it is the multilingual encoder's.

    MiniLM reads English (``read``: every report of both sides is in a language the models read,
    :func:`newsweave.analyze.nlp.reads`): a Spanish and an English report of one strike are far
    apart in it, and two Spanish reports are read poorly. So where some of the sides' pairs are in
    two languages (``across`` > 0), or the sides are in a language MiniLM does not read, and both
    sides have multilingual vectors, those are read. Otherwise the document vectors are, so English
    pairs are judged exactly as before the second vector (every English figure unchanged).
    Measured on ML-Crisis (es/fr/it), story P / R / F1: MiniLM alone 0.924 / 0.316 / 0.471, this
    0.922 / 0.328 / 0.484; before the days of quiet, multilingual vectors for pairs in two languages
    only gave 0.866 / 0.329 / 0.477 and this 0.875 / 0.329 / 0.478 (docs/BENCHMARKS.md, "Two vectors")."""
    if across > 0 or not read:
        cosine = _mean_cosine(*multilingual)
        if cosine is not None:
            return cosine, True
    return _mean_cosine(*document), is_multilingual(document[0])


def article_vector_signal(features: Features, group: Group, across: float) -> tuple[float | None, bool]:
    """:func:`vector_signal` between an article and a group, from the group's sums."""
    return vector_signal(
        across,
        (features.vector, 1, group.vector, group.n_vectors),
        (features.multilingual, 1, group.multilingual, group.n_multilingual),
        reads(features.language),
    )


def group_vector_signal(a: Group, b: Group, across: float) -> tuple[float | None, bool]:
    """:func:`vector_signal` between two groups, from their sums."""
    return vector_signal(
        across,
        (a.vector, a.n_vectors, b.vector, b.n_vectors),
        (a.multilingual, a.n_multilingual, b.multilingual, b.n_multilingual),
        all(reads(code) for code in a.languages + b.languages),
    )


def _mean_cosine(a: Vector | None, n_a: int, b: Vector | None, n_b: int) -> float | None:
    return float(a @ b) / (n_a * n_b) if a is not None and b is not None and n_a and n_b else None


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _same(value: Any) -> Any:
    return value
