"""Resolving an ingest's names without reading every stored name (issue 28).

A full run (:func:`newsweave.names.resolve.resolve_tallied`) reads every mention of the store:
at 100k articles, 534k mentions and 22 s of a ten-article ingest. An increment instead resolves
the articles of the stories it touched (the *scope*) together with one stored article per name
that shares a lookup key with theirs (the *surroundings*: the other people called "Lavrov", the
long name an acronym stands for), by the same rules. Then:

- each entity found there is the stored entity that most of its stored mentions belong to, or a
  new one when none of its mentions was stored;
- what each scope article gave its entities last time (kept with its resolution) is taken off
  their tallies and what it gives now is added, so an entity written in thousands of articles
  is updated from its counts, never re-read.

Stored articles outside the scope keep their entities: an increment never re-decides them, so a
new article can join a stored person but does not split or merge stored ones. A full run
(``newsweave rebuild``, or the first ingest after an upgrade) decides everything again. Measured
before it was built (10 articles into a 10k store, three draws): the scope's entities differed
from a full run's for 1 of 954 mentions, with ~1,000 surrounding articles read.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

from newsweave.model import AnalyzedArticle, Entity, Mention
from newsweave.names.resolve import (
    Tally,
    entity_of,
    filing_keys,
    first_person_speakers,
    lookup_keys,
    resolve_tallied,
    tally_of,
    text_key,
    word_frequency,
)

# names read per lookup key: a common surname or word ("house") has hundreds, and the ones that
# decide a mention are among those written alike; 100 kept the 10k-store divergence at 1 in 954
NAMES_PER_KEY = 100

KEY_CHARS, NAME_CHARS = 300, 400  # the store's name_keys columns (PostgreSQL enforces their widths)
Tallies = Callable[[Iterable[str]], dict[str, str]]  # entity ids → their stored tallies (JSON)


@dataclass
class Increment:
    """What an increment changes: entities to write (with tallies), ids to delete, and the
    resolution of each scope article."""

    entities: list[Entity] = field(default_factory=list)
    tallies: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    resolutions: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # change of the articles writing each name
    # change of the mentions each (entity, article) holds; the entities above carry no article
    # list (the store keeps a row per entity and article)
    articles: dict[tuple[str, str], int] = field(default_factory=dict)


def resolution_of(
    item: AnalyzedArticle,
    key_of: Callable[[str], str | None],
    speakers: AbstractSet[tuple[str, int]],
    written: Sequence[str],
) -> str:
    """An article's resolution as kept: the entity of each mention and of each quote, in order;
    what the article gives each entity's tally (``key_of`` gives an entity's kind: its key, None
    for a person); and the names it writes that joined no person (``written``). The last two are
    taken off again when the article is resolved anew or removed, whatever its text is by then."""
    gives = {e: tally_of(ms, speakers, key_of(e)).to_dict() for e, ms in _by_entity([item]).items()}
    return json.dumps(
        {
            "m": [m.entity_id for m in item.mentions],
            "q": [q.entity_id for q in item.quotes],
            "gives": gives,
            "written": list(written),
        },
        ensure_ascii=False,
    )


def apply_resolution(item: AnalyzedArticle, kept: str) -> bool:
    """Give ``item``'s mentions and quotes the entities of a kept resolution; False when it does
    not fit (another number of mentions or quotes) and nothing was set."""
    data = json.loads(kept)
    if len(data["m"]) != len(item.mentions) or len(data["q"]) != len(item.quotes):
        return False
    for mention, entity_id in zip(item.mentions, data["m"], strict=True):
        mention.entity_id = entity_id
    for quote, entity_id in zip(item.quotes, data["q"], strict=True):
        quote.entity_id = entity_id
    return True


def key_rows(items: Iterable[AnalyzedArticle]) -> list[tuple[str, str, str]]:
    """(lookup key, name, article) rows of ``items``: where later increments find these names."""
    first: dict[tuple[str, str], tuple[Mention, list[str]]] = {}
    for item in items:
        for m in item.mentions:
            _, writers = first.setdefault((m.type, m.text), (m, []))
            if len(writers) < 2 and item.article.id not in writers:
                writers.append(item.article.id)
    return [
        (key[:KEY_CHARS], f"{m.type}|{m.text}"[:NAME_CHARS], a)
        for m, writers in first.values()
        for key in filing_keys(m)
        for a in writers
    ]


def scope_keys(items: Iterable[AnalyzedArticle]) -> set[str]:
    return {key[:KEY_CHARS] for item in items for m in item.mentions for key in lookup_keys(m)}


def resolve_increment(
    scope: Sequence[AnalyzedArticle],
    around: Sequence[AnalyzedArticle],
    kept: Mapping[str, str],
    groups: list[list[str]],
    stored_tallies: Tallies,
    stored_counts: Callable[[Iterable[str]], dict[str, int]],
) -> Increment | None:
    """Resolve ``scope`` (fresh analyses) beside ``around``; ``kept`` holds the kept resolutions
    of both (of the scope's, also those its articles had before their text changed);
    ``stored_counts`` gives how many stored articles write each name. None when a stored entity it
    needs has no tally: a full run is due."""
    rows = {article_id: json.loads(text) for article_id, text in kept.items()}  # read once
    known = _stored_ids(around, rows)
    read = _taken(rows[item.article.id] for item in [*scope, *around] if item.article.id in rows).names
    names = {text_key(m) for item in scope for m in item.mentions} - {""}
    outside = {name: max(0, n - read[name]) for name, n in stored_counts(names).items()}
    resolved = resolve_tallied([*scope, *around], groups, known, outside)
    found = resolved.tallies
    votes = _votes(around, known)
    taken = _taken(rows[item.article.id] for item in scope if item.article.id in rows)
    wanted = set(taken.tallies) | set(found) | {s for v in votes.values() for s in v}
    stored = {key: Tally.from_json(text) for key, text in stored_tallies(wanted).items()}
    target = {e: _target(e, tally, votes.get(e, Counter()), stored) for e, tally in found.items()}
    people = {target[e] for e, tally in found.items() if tally.person}
    _remap(scope, target)
    now = _by_entity(scope)
    if any(e not in stored for e in taken.tallies) or any(
        t not in stored for e, t in target.items() if t != e
    ):
        return None
    speakers = first_person_speakers(scope)
    # the entities this increment changes
    changed = {e: stored[e] for e in set(taken.tallies) | set(now) if e in stored}
    moved = _take_off(taken, changed)
    for entity_id, mentions in now.items():
        if entity_id not in changed:  # a new entity, of the kind this resolution found
            changed[entity_id] = Tally(key=found[entity_id].key)
        if entity_id in people:  # a stored name ("Biden") that a person's full name now joins
            changed[entity_id].key = None
        given = tally_of(mentions, speakers, changed[entity_id].key)
        changed[entity_id].add(given)
        moved.update({(entity_id, a): n for a, n in given.articles.items()})
    out = _written(changed, word_frequency([*scope, *around]))
    out.articles = {pair: n for pair, n in moved.items() if n}
    out.resolutions = {
        item.article.id: resolution_of(
            item, lambda e: changed[e].key, speakers, resolved.written.get(item.article.id, [])
        )
        for item in scope
    }
    counts = Counter(name for item in scope for name in resolved.written.get(item.article.id, []))
    counts.subtract(taken.names)
    out.counts = {name: n for name, n in counts.items() if n}
    return out


def forget(kept: Iterable[str], stored_tallies: Tallies) -> Increment:
    """Take removed articles' kept resolutions off their entities (an entity left with no
    mention goes)."""
    taken = _taken(json.loads(text) for text in kept)
    changed = {key: Tally.from_json(text) for key, text in stored_tallies(taken.tallies).items()}
    moved = _take_off(taken, changed)
    out = _written(changed, Counter())
    out.articles = {pair: n for pair, n in moved.items() if n}
    out.counts = {name: -n for name, n in taken.names.items()}
    return out


def _written(changed: Mapping[str, Tally], frequency: Counter[str]) -> Increment:
    out = Increment()
    for entity_id, tally in changed.items():
        if not tally.spellings:
            out.removed.append(entity_id)
            continue
        out.entities.append(replace(entity_of(entity_id, tally, frequency), articles=[]))
        out.tallies[entity_id] = tally.to_json()
    return out


@dataclass
class _Taken:
    """What kept resolutions gave, summed: each entity's tally (a person's key is None; a tally
    taken off keeps the kind of the stored one, ``Tally.add`` reads counts only) and how many of
    them write each name."""

    tallies: dict[str, Tally]
    names: Counter[str]


def _taken(rows: Iterable[Mapping[str, Any]]) -> _Taken:
    taken = _Taken(tallies={}, names=Counter())
    for row in rows:
        for entity_id, data in row.get("gives", {}).items():
            taken.tallies.setdefault(entity_id, Tally()).add(Tally.from_dict(data))
        taken.names.update(row.get("written", []))
    return taken


def _take_off(taken: _Taken, changed: Mapping[str, Tally]) -> Counter[tuple[str, str]]:
    """Take ``taken`` off the tallies of ``changed``; return the (entity, article) mentions it
    took off, as negative counts."""
    moved: Counter[tuple[str, str]] = Counter()
    for entity_id, tally in taken.tallies.items():
        if entity_id in changed:
            changed[entity_id].add(tally, sign=-1)
        moved.subtract({(entity_id, a): n for a, n in tally.articles.items()})
    return moved


def _stored_ids(
    around: Sequence[AnalyzedArticle], rows: Mapping[str, Mapping[str, Any]]
) -> dict[tuple[str, int], str]:
    """(article, mention index) → stored entity, for the surrounding articles."""
    known: dict[tuple[str, int], str] = {}
    for item in around:
        row = rows.get(item.article.id)
        if row is None:
            continue
        ids = row["m"]
        if len(ids) == len(item.mentions):
            known.update({(item.article.id, n): e for n, e in enumerate(ids) if e})
    return known


def _votes(
    around: Sequence[AnalyzedArticle], known: Mapping[tuple[str, int], str]
) -> dict[str, Counter[str]]:
    """Entity of this resolution → how many of its surrounding mentions each stored entity has."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in around:
        for n, mention in enumerate(item.mentions):
            stored = known.get((item.article.id, n))
            if mention.entity_id and stored:
                votes[mention.entity_id][stored] += 1
    return votes


def _target(entity_id: str, tally: Tally, votes: Counter[str], stored: Mapping[str, Tally]) -> str:
    """The stored entity an entity of this resolution is, else itself (a new one).

    A person is the stored entity most of its surrounding mentions belong to. A name that is no
    person's is the stored entity of its key (its id is made of its type and key, as a full run
    makes it), or a stored person most of its surrounding mentions belong to (a lone "Biden" the
    store gave Joe Biden). Never another name's entity: the surrounding mentions may belong to it
    by a link made inside their own story ("Merck" standing for "Drugmaker Merck" in the one
    story that wrote both, while "Merck" was rare), which must not pull every later "Merck" along.
    """
    ranked = sorted(votes, key=lambda s: (-votes[s], s))
    if tally.person:
        return ranked[0] if ranked else entity_id
    same_key = [e for e in [entity_id, *ranked] if e in stored and stored[e].key == tally.key]
    people = [e for e in ranked if e in stored and stored[e].person]
    return (same_key or people or [entity_id])[0]


def _remap(scope: Sequence[AnalyzedArticle], target: Mapping[str, str]) -> None:
    for item in scope:
        for mention in item.mentions:
            if mention.entity_id:
                mention.entity_id = target.get(mention.entity_id, mention.entity_id)
        for quote in item.quotes:
            if quote.entity_id:
                quote.entity_id = target.get(quote.entity_id, quote.entity_id)


def _by_entity(items: Sequence[AnalyzedArticle]) -> dict[str, list[Mention]]:
    found: dict[str, list[Mention]] = defaultdict(list)
    for item in items:
        for mention in item.mentions:
            if mention.entity_id:
                found[mention.entity_id].append(mention)
    return found
