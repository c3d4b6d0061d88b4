"""Cross-document entity resolution: one entity per person across spellings and short forms.

Public entry point: :func:`resolve_entities`.

1. Full person names (two or more name tokens) are grouped by normalised form, then merged when
   :func:`newsweave.names.match.names_match` says they are spellings of one name (Choe Son Hui / Choi
   Song-hee). Candidates are looked up through surname blocking keys, and merging is complete-link:
   two groups join only when every pair of their names matches, so a bridge ("Kim Jong") cannot
   chain Kim Jong Un to Kim Jong Il.
2. A short form ("Lavrov", "Choe", "Kim") joins the full name it abbreviates, looked for first in
   its own article (the nearest full mention before it, the first-mention-then-short-form habit of
   news), then in its story, then across everything when only one person carries that surname.
   A short form shared by two people of the same context stays unresolved rather than guessed.
3. Other names (organisations, places) merge on their normalised text.

Entities are global; their ids hash type and canonical normalised name, so re-running gives the
same ids. The canonical name is the most used full form.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from newsweave.model import AnalyzedArticle, Entity, Mention, Quote
from newsweave.names.aliases import learn_acronyms, place_key
from newsweave.names.match import (
    GENERIC_WORDS,
    SURNAME_PARTICLES,
    ParsedName,
    blocking_keys,
    is_particle_surname,
    matching_pairs,
    name_core,
    names_match,
    names_match_in_story,
    normalize_name,
    normalize_text,
    parse_name,
    phonetic_key,
    strip_possessive,
    tokens_match,
)

PERSON = "PERSON"
_POSSESSIVE_WORD = re.compile(r"(?<=\w)['\u2019]s\b")
# the model sometimes labels a known person's surname ORG ("Choe’s visit"); such one-word names may
# join a person of the same article or story
_RELABELLABLE = frozenset({"ORG", "NORP", "PRODUCT"})
# a block this large is a very common surname key; comparing inside it is still complete-link, but
# capped so a store of millions of names stays near-linear
_MAX_BLOCK = 2000


@dataclass
class _Cluster:
    """A set of person name forms (normalised) believed to be one person."""

    forms: list[str]
    mentions: list[Mention] = field(default_factory=list)


def resolve_entities(
    analyzed: Sequence[AnalyzedArticle], groups: list[list[str]] | None = None
) -> list[Entity]:
    """Merge the mentions of ``analyzed`` into entities; set ``entity_id`` on mentions and quotes.

    ``groups`` are story clusters (lists of article ids): context for linking a surname-only
    mention to a full name seen elsewhere in the same story. Entities are global across stories.
    """
    return resolve_tallied(analyzed, groups).entities


@dataclass
class Resolution:
    """A resolution's entities, each entity's :class:`Tally` (what an increment adds to), and the
    names (text keys) each article writes that joined no person: the counts behind the "a name
    written alone elsewhere is a name of its own" rule."""

    entities: list[Entity]
    tallies: dict[str, Tally]
    written: dict[str, list[str]]


def resolve_tallied(
    analyzed: Sequence[AnalyzedArticle],
    groups: list[list[str]] | None = None,
    settled: Mapping[tuple[str, int], str] | None = None,
    outside: Mapping[str, int] | None = None,
) -> Resolution:
    """:func:`resolve_entities`, with tallies and written names (:class:`Resolution`).

    For an increment: ``settled`` gives the stored entity of mentions (article id, index) already
    resolved, so that full names of one stored person start as one person and are not compared
    again; ``outside`` gives, per text key, how many stored articles not among ``analyzed`` write
    it.
    """
    settled_forms = _settled_forms(analyzed, settled or {})
    for item in analyzed:
        for mention in item.mentions:
            mention.entity_id = None
    analyzed = _without_non_names(analyzed)  # "Bill 8", "Team Biden", "George Floyd Justice": no entity
    story_of = _story_index(groups or [])
    contexts = _contexts(analyzed, groups or [])
    person_clusters, form_cluster = _cluster_full_names(analyzed, settled_forms)
    person_clusters, form_cluster = _merge_within_stories(analyzed, person_clusters, form_cluster, contexts)
    resolver = _ShortFormResolver(analyzed, person_clusters, form_cluster, story_of)
    unresolved: list[Mention] = []
    for item in analyzed:
        for mention in item.mentions:
            if not _name(mention) or resolver.is_coordination(mention):
                continue  # "House", "Wednesday", "Lavrov and Choe": no one thing to name
            cluster = resolver.cluster_of(mention)
            if cluster is not None:
                cluster.mentions.append(mention)
            else:
                unresolved.append(mention)
    acronyms = _store_acronyms(unresolved) | _prefix_acronyms(unresolved)
    linked = _link_short_names(unresolved, contexts, outside or {})
    other: dict[str, list[Mention]] = defaultdict(list)
    for mention in unresolved:
        key = _other_key(mention)
        key = acronyms.get(key, key)
        other[linked.get((mention.article_id, key), key)].append(mention)
    frequency = word_frequency(analyzed)
    speakers = first_person_speakers(analyzed)
    used: set[str] = set()
    tallies: dict[str, Tally] = {}
    entities: list[Entity] = []
    made = [(tally_of(c.mentions, speakers), c.mentions) for c in person_clusters if c.mentions]
    made += [
        (tally_of(group, speakers, key), group)
        for key, ms in other.items()
        if key
        for group in _split_person_from_things(ms, speakers)
    ]
    for tally, mentions in made:
        entity = _distinct(entity_of(new_entity_id(tally, frequency), tally, frequency), mentions, used)
        for m in mentions:
            m.entity_id = entity.id
        entities.append(entity)
        tallies[entity.id] = tally
    _resolve_quotes(analyzed, entities)
    written: dict[str, set[str]] = defaultdict(set)
    for m in unresolved:
        written[m.article_id].add(_text_key(m))
    return Resolution(
        entities=sorted(entities, key=lambda e: (-e.mentions, e.name)),
        tallies=tallies,
        written={a: sorted(keys) for a, keys in written.items()},
    )


# --- what is no one's name ------------------------------------------------------

# words that are never part of a person's name, though a PERSON label may put one in front of a
# name ("Team Biden", "Camp Trump"); words such as "Bill" or "King" are names too and are not here
_NEVER_IN_PERSON_NAMES = frozenset(
    {
        "team",
        "camp",
        "department",
        "ministry",
        "committee",
        "commission",
        "agency",
        "bureau",
        "party",
        "government",
        "administration",
        "county",
        "company",
    }
)
# words that end the name of an office, a body or a law, never a person's (the small model tags
# "Strategy Officer" PERSON); surnames that are also such words ("Law", "Church", "Post") are not here
_NEVER_LAST_IN_PERSON_NAMES = frozenset(
    {
        "officer", "act", "hospital", "center", "centre", "university", "school", "company", "party",
        "agency", "administration", "association", "authority", "board", "bureau", "commission",
        "committee", "council", "department", "foundation", "institute", "ministry", "organisation",
        "organization", "program", "programme", "office", "network", "group",
    }
)  # fmt: skip
# titles that are common surnames too ("Martin Luther King"): a full name that ends in one is a person
_SURNAME_TITLES = frozenset(
    {"king", "queen", "prince", "pope", "major", "marshal", "chancellor", "sheriff", "bishop", "judge"}
)


def _without_non_names(analyzed: Sequence[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """The articles without PERSON mentions that name no one (they get no entity).

    A number is no part of a person's name ("Bill 8" is a bill); a word such as "Team" in front
    of a name makes it a group ("Team Biden"); a person's full name run on by a generic word is
    the name of a thing named after the person ("George Floyd Justice [in Policing Act]").
    """
    forms = {_person_form(m) for a in analyzed for m in a.mentions if _is_full_person(m)}
    dropped = {id(m) for a in analyzed for m in a.mentions if m.type == PERSON and _names_no_one(m, forms)}
    if not dropped:
        return list(analyzed)
    return [replace(a, mentions=[m for m in a.mentions if id(m) not in dropped]) for a in analyzed]


def _names_no_one(mention: Mention, person_forms: set[str]) -> bool:
    words = _person_text(mention).split(",")[0].split()  # "Eric Kirkpatrick, 61": the age follows a comma
    if not words or any(w.isdigit() for w in words):
        return bool(words)  # "Bill 8"; "COVID-19" is a name, if not a person's
    if len(words) >= 2 and words[0].lower() in _NEVER_IN_PERSON_NAMES:
        return True
    if len(words) >= 2 and words[-1].lower().strip(".,") in _NEVER_LAST_IN_PERSON_NAMES:
        return True  # "Chief Strategy Officer", "Walter Reed Hospital": an office or a body, no one
    if any(w.lower().endswith(("'s", "\u2019s")) for w in words[:-1]):
        # "Children’s Covid cases": what a possessive opens is a thing of theirs, never a person's
        # name (the AllSides store had a person "Children’s Covid" whom every "Covid" joined)
        return True
    tokens = _person_form(mention).split()
    for n in range(2, len(tokens)):
        rest = tokens[n:]
        if " ".join(tokens[:n]) in person_forms and all(
            t in GENERIC_WORDS and t not in _SURNAME_TITLES for t in rest
        ):
            return True
    return False


# --- full names ----------------------------------------------------------------


# A store writes few distinct names many times ("Trump" in thousands of articles): what depends
# only on a mention's type and text is computed once per (type, text). At 100k articles the key
# functions below were called ~1M times each.
_NAMES_CACHED = 200_000


def _is_full_person(mention: Mention) -> bool:
    return mention.type == PERSON and _is_full_person_name(mention.text)


@lru_cache(maxsize=_NAMES_CACHED)
def _is_full_person_name(mention_text: str) -> bool:
    text = _person_name(mention_text)
    tokens = parse_name(text).tokens
    first = text.split()[0].lower() if text else ""
    return (
        len(tokens) >= 2
        and not is_particle_surname(tokens)
        and first not in _NEVER_IN_PERSON_NAMES
        and first not in _PLACE_WORDS
    )


def _person_text(mention: Mention) -> str:
    return _person_name(mention.text)


@lru_cache(maxsize=_NAMES_CACHED)
def _person_name(mention_text: str) -> str:
    """The name without descriptors in lower case before it ("defensive tackle Jamal Williams"), nor
    a team and an abbreviated position ("Browns DL Sheldon Richardson": "Browns" had joined him)."""
    words = name_core(mention_text).split()
    start = 0
    while start < len(words) - 1 and words[start].islower() and words[start] not in SURNAME_PARTICLES:
        start += 1
    for at in range(start + 1, len(words) - 2):
        if _POSITION.fullmatch(words[at]):
            start = at + 1
    return " ".join(words[start:])


# an abbreviated role in capitals written between a team or office and a full name ("QB", "DL", "CEO")
_POSITION = re.compile(r"[A-Z]{2,4}")


def _person_form(mention: Mention) -> str:
    return _person_form_of(mention.text)


@lru_cache(maxsize=_NAMES_CACHED)
def _person_form_of(mention_text: str) -> str:
    return normalize_name(_person_name(mention_text))


def _settled_forms(
    analyzed: Sequence[AnalyzedArticle], settled: Mapping[tuple[str, int], str]
) -> dict[str, str]:
    """Full person form → the stored entity most of its settled mentions have."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in analyzed:
        for n, m in enumerate(item.mentions):
            entity_id = settled.get((item.article.id, n))
            if entity_id and _is_full_person(m):
                votes[_person_form(m)][entity_id] += 1
    return {form: min(v, key=lambda e: (-v[e], e)) for form, v in votes.items()}


def _cluster_full_names(
    analyzed: Sequence[AnalyzedArticle], settled: Mapping[str, str]
) -> tuple[list[_Cluster], dict[str, _Cluster]]:
    forms = sorted({_person_form(m) for a in analyzed for m in a.mentions if _is_full_person(m)})
    parsed = {f: parse_name(f) for f in forms}
    parent = {f: f for f in forms}
    members = {f: [f] for f in forms}

    def find(f: str) -> str:
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    for first, *rest in _by_value({f: e for f, e in settled.items() if f in parent}).values():
        for f in rest:  # one stored person's spellings, as the store holds them
            parent[f] = first
            members[first].extend(members.pop(f))
    for a, b in _candidate_pairs(forms, parsed, {f for f in forms if f not in settled} if settled else None):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        # complete link: every name of one group must match every name of the other
        if all(names_match(parsed[x], parsed[y]) for x in members[ra] for y in members[rb]):
            parent[rb] = ra
            members[ra].extend(members.pop(rb))
    clusters: dict[str, _Cluster] = {}
    form_cluster: dict[str, _Cluster] = {}
    for f in forms:
        root = find(f)
        cluster = clusters.setdefault(root, _Cluster(forms=members[root]))
        form_cluster[f] = cluster
    return list(clusters.values()), form_cluster


def _by_value(mapping: Mapping[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in sorted(mapping.items()):
        out[value].append(key)
    return out


def _candidate_pairs(
    forms: list[str], parsed: dict[str, ParsedName], new: AbstractSet[str] | None = None
) -> list[tuple[str, str]]:
    """Pairs sharing a blocking key that names_match accepts, most similar first; with ``new``,
    only pairs with one of those forms."""
    names = [parsed[f] for f in forms]
    involving = None if new is None else {i for i, f in enumerate(forms) if f in new}
    pairs = [
        (_closeness(names[i], names[j]), min(forms[i], forms[j]), max(forms[i], forms[j]))
        for i, j in matching_pairs(names, _MAX_BLOCK, involving)
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [(a, b) for _, a, b in pairs]


def _closeness(a: ParsedName, b: ParsedName) -> float:
    # merge order for complete link: identical skeletons first, then by shared token share
    ka = {phonetic_key(t) for t in a.tokens}
    kb = {phonetic_key(t) for t in b.tokens}
    return len(ka & kb) / len(ka | kb)


def _contexts(analyzed: Sequence[AnalyzedArticle], groups: list[list[str]]) -> list[list[str]]:
    """Sets of articles about one story: the story groups, and each ungrouped article on its own."""
    grouped = {aid for group in groups for aid in group}
    return [list(g) for g in groups] + [[a.article.id] for a in analyzed if a.article.id not in grouped]


def _merge_within_stories(
    analyzed: Sequence[AnalyzedArticle],
    clusters: list[_Cluster],
    form_cluster: dict[str, _Cluster],
    contexts: list[list[str]],
) -> tuple[list[_Cluster], dict[str, _Cluster]]:
    """Join person clusters whose names share a story and match on the looser in-story evidence.

    Pairs are looked up per story through the surname skeleton (a story holds tens of names, not
    the store's millions) and merging stays complete-link, so 'Katie Jenkin' joins 'Kathryn Jenkin'
    but a 'John Jenkin' of the same story stays apart.
    """
    forms_of: dict[str, set[str]] = defaultdict(set)
    for item in analyzed:
        for m in item.mentions:
            if _is_full_person(m):
                forms_of[item.article.id].add(_person_form(m))
    root: dict[int, _Cluster] = {id(c): c for c in clusters}

    def find(c: _Cluster) -> _Cluster:
        while root[id(c)] is not c:
            c = root[id(c)]
        return c

    parsed: dict[str, ParsedName] = {}
    for context in contexts:
        blocks: dict[str, list[str]] = defaultdict(list)
        for form in sorted({f for aid in context for f in forms_of.get(aid, ())}):
            tokens = parsed.setdefault(form, parse_name(form)).tokens
            blocks[phonetic_key(tokens[-1])].append(form)
        for block in blocks.values():
            for i, a in enumerate(block):
                for b in block[i + 1 :]:
                    ca, cb = find(form_cluster[a]), find(form_cluster[b])
                    if ca is cb or not names_match_in_story(parsed[a], parsed[b]):
                        continue
                    if all(names_match_in_story(x, y) for x in ca.forms for y in cb.forms):
                        root[id(cb)] = ca
                        ca.forms.extend(cb.forms)
    merged = [c for c in clusters if find(c) is c]
    return merged, {f: find(c) for f, c in form_cluster.items()}


# --- short forms ---------------------------------------------------------------


class _ShortFormResolver:
    """Finds the person cluster of any mention; short forms look in article, story, then everywhere."""

    def __init__(
        self,
        analyzed: Sequence[AnalyzedArticle],
        clusters: list[_Cluster],
        form_cluster: dict[str, _Cluster],
        story_of: dict[str, list[int]],
    ):
        self.form_cluster = form_cluster
        self.story_of = story_of
        # where each cluster's full names occur: article → [(offset, cluster)]
        self.full_in_article: dict[str, list[tuple[int, _Cluster]]] = defaultdict(list)
        self.clusters_in_story: dict[int, set[int]] = defaultdict(set)
        for item in analyzed:
            aid = item.article.id
            for m in item.mentions:
                if _is_full_person(m):
                    cluster = form_cluster[_person_form(m)]
                    self.full_in_article[aid].append((m.start, cluster))
                    for story in story_of.get(aid, []):
                        self.clusters_in_story[story].add(id(cluster))
        # short-form token → clusters whose names start or end with it
        self.by_short: dict[str, list[_Cluster]] = defaultdict(list)
        for cluster in clusters:
            for short in _short_keys(cluster):
                self.by_short[short].append(cluster)

    def cluster_of(self, mention: Mention) -> _Cluster | None:
        if _is_full_person(mention):
            return self.form_cluster[_person_form(mention)]
        tokens = parse_name(_person_text(mention)).tokens
        if mention.type == PERSON and is_particle_surname(tokens):
            # "Lo Presti": the surname of a "Gaetano Lo Presti", never a given name "Lo"
            candidates = [c for c in self.by_short.get(phonetic_key(tokens[-1]), []) if _ends_with(c, tokens)]
            return self._in_article(mention, candidates) or self._in_story(mention, candidates)
        if mention.type in _RELABELLABLE and len(tokens) >= 2:
            return self._person_named(mention)
        if len(tokens) != 1 or len(tokens[0]) < 3 or parse_name(_person_text(mention)).generation:
            return None  # "Donald Jr." is no short form of Donald Trump
        if mention.type == PERSON:
            candidates = self.by_short.get(phonetic_key(tokens[0]), [])
            surnames = [
                c for c in candidates if _is_last_token(c, tokens[0]) or _family_name_first(c, tokens[0])
            ]
            found = self._in_article(mention, surnames) or self._in_story(mention, surnames)
            if found is None:  # a first name ("Joe") only where one person of the article carries it
                found = self._in_article(mention, candidates, unique=True)
            exact = [c for c in surnames if tokens[0] in _last_tokens(c)]
            if found is None and len(surnames) == len(exact) == 1:
                found = exact[0]  # only one person anywhere carries this surname, spelled so
            return found
        if mention.type not in _RELABELLABLE or _surface(mention).isupper():
            return None  # "UN" is an acronym, not the last syllable of Kim Jong Un
        # a mislabelled surname needs its exact spelling in a full name of the same article or story
        candidates = [
            c for c in self.by_short.get(phonetic_key(tokens[0]), []) if tokens[0] in _short_tokens(c)
        ]
        if not candidates:
            return None
        return self._in_article(mention, candidates) or self._in_story(mention, candidates)

    def _person_named(self, mention: Mention) -> _Cluster | None:
        """'Steven Portnoy' labelled ORG where 'Steve Portnoy' is a person of the same article or story:
        the person, when exactly one person there carries a matching full name; the person's own
        PERSON mentions outvote the one label."""
        parsed = parse_name(_person_text(mention))
        if len(parsed.tokens) > 4 or any(t in GENERIC_WORDS for t in parsed.tokens):
            return None  # "Joe Biden Administration" is named after the person, it is not the person
        article = {id(c): c for _, c in self.full_in_article.get(mention.article_id, [])}
        stories = self.story_of.get(mention.article_id, [])
        present = {cid for s in stories for cid in self.clusters_in_story[s]}
        nearby = [
            c
            for c in self.by_short.get(phonetic_key(parsed.tokens[-1]), [])
            if (id(c) in article or id(c) in present) and _is_last_token(c, parsed.tokens[-1])
        ]
        found = {
            id(c): c for c in nearby if all(names_match_in_story(parsed, parse_name(f)) for f in c.forms)
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def is_coordination(self, mention: Mention) -> bool:
        """'Lavrov and Choe' (ORG): two names the model read as one, at least one of them a person's."""
        if mention.type == PERSON:
            return False
        parts = re.split(r"\s+(?:and|&)\s+", _name(mention))
        if len(parts) != 2:
            return False
        for part in parts:
            tokens = parse_name(part).tokens
            if tokens and any(
                tokens[-1] in _short_tokens(c) for c in self.by_short.get(phonetic_key(tokens[-1]), [])
            ):
                return True
        return False

    def _in_article(
        self, mention: Mention, candidates: list[_Cluster], unique: bool = False
    ) -> _Cluster | None:
        wanted = {id(c) for c in candidates}
        here = [
            (start, c) for start, c in self.full_in_article.get(mention.article_id, []) if id(c) in wanted
        ]
        if not here:
            return None
        if len({id(c) for _, c in here}) == 1:
            return here[0][1]
        if unique:
            return None
        before = [(start, c) for start, c in here if start < mention.start]
        if before:  # first mention then short form: the nearest full name before it
            return max(before, key=lambda p: p[0])[1]
        return min(here, key=lambda p: p[0])[1]

    def _in_story(self, mention: Mention, candidates: list[_Cluster]) -> _Cluster | None:
        stories = self.story_of.get(mention.article_id, [])
        present = {cid for s in stories for cid in self.clusters_in_story[s]}
        found = [c for c in candidates if id(c) in present]
        if len(found) == 1:
            return found[0]
        if len(found) > 1 and mention.title:  # the role can tell two namesakes apart
            titled = [c for c in found if _shares_title(c, mention.title)]
            if len(titled) == 1:
                return titled[0]
        return None


def _short_keys(cluster: _Cluster) -> set[str]:
    keys: set[str] = set()
    for form in cluster.forms:
        tokens = parse_name(form).tokens
        keys.add(phonetic_key(tokens[-1]))  # surname
        keys.add(phonetic_key(tokens[0]))  # East Asian family name first ("Kim", "Choe")
    return keys


def _ends_with(cluster: _Cluster, tokens: tuple[str, ...]) -> bool:
    return any(parse_name(form).tokens[-len(tokens) :] == tokens for form in cluster.forms)


def _last_tokens(cluster: _Cluster) -> set[str]:
    return {parse_name(form).tokens[-1] for form in cluster.forms}


def _is_last_token(cluster: _Cluster, token: str) -> bool:
    key = phonetic_key(token)
    return any(phonetic_key(t) == key for t in _last_tokens(cluster))


def _family_name_first(cluster: _Cluster, token: str) -> bool:
    """'Kim' of 'Kim Jong Un', 'Choe' of 'Choe Son Hui': a family name written first, before a
    given name of two short syllables; 'Joe' of 'Joe Biden' is a given name."""
    key = phonetic_key(token)
    for form in cluster.forms:
        tokens = parse_name(form).tokens
        if (
            len(tokens) >= 3
            and phonetic_key(tokens[0]) == key
            and len(tokens[-1]) <= 4
            and len(tokens[-2]) <= 4
        ):
            return True
    return False


def _short_tokens(cluster: _Cluster) -> set[str]:
    return {t for form in cluster.forms for t in (parse_name(form).tokens[0], parse_name(form).tokens[-1])}


def _shares_title(cluster: _Cluster, title: str) -> bool:
    words = {w.lower() for w in title.split()}
    return any(m.title and words & {w.lower() for w in m.title.split()} for m in cluster.mentions)


def _story_index(groups: Iterable[list[str]]) -> dict[str, list[int]]:
    story_of: dict[str, list[int]] = defaultdict(list)
    for n, group in enumerate(groups):
        for aid in group:
            story_of[aid].append(n)
    return story_of


# --- entities ------------------------------------------------------------------


def _name(mention: Mention) -> str:
    """The name the mention holds ("Joe Rogan" of "Joe Rogan Wednesday"); "" for "House" or "Wednesday"."""
    return name_core(mention.text)


def _surface(mention: Mention) -> str:
    return _surface_of(mention.text)


@lru_cache(maxsize=_NAMES_CACHED)
def _surface_of(mention_text: str) -> str:
    return " ".join(strip_possessive(name_core(mention_text)).split())


def _entity_id(type_: str, key: str) -> str:
    digest = hashlib.sha1(f"{type_}|{key}".encode()).hexdigest()[:12]
    return f"{type_.lower()}-{digest}"


def _distinct(entity: Entity, mentions: list[Mention], used: set[str]) -> Entity:
    """``entity`` with an id no earlier entity of this resolution has.

    An id is made from the entity's name, and two entities the resolver keeps apart can end up
    with one name (two people written alike whom the rules tell apart): the later one then gets an
    id of its own, made from where it is first mentioned, so the two are stored side by side
    instead of the save failing (an ingest of 181 full-length articles and 5 more stopped so).
    """
    if entity.id in used:
        article_id, start = min((m.article_id, m.start) for m in mentions)
        entity.id = _entity_id(entity.type, f"{entity.id}@{article_id}:{start}")
    used.add(entity.id)
    return entity


@dataclass
class Tally:
    """An entity as counts over its mentions: what an ingest adds to and takes from it, so that an
    entity written in thousands of articles is updated without reading them again."""

    key: str | None = None  # the key of a name that is no person's; None for a person
    # every mention's spelling both ways, so that an entity can turn out a person's later (a lone
    # "Biden" first, then "Joe Biden"): as a person's name, without the words before it ("rang
    # Taylor", "Browns DL"), of full-name mentions, and as written
    names: Counter[str] = field(default_factory=Counter)
    full: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)  # the model's labels other than PERSON
    said: int = 0  # mentions shown to be a person: a role beside it, or a quote that says "I"
    titled: int = 0  # mentions with a title or role

    @property
    def person(self) -> bool:
        return self.key is None

    @property
    def spellings(self) -> Counter[str]:
        """The entity's spellings: a person's names, another's names as written."""
        return self.names if self.person else self.surfaces

    def add(self, other: Tally, sign: int = 1) -> None:
        for mine, theirs in (
            (self.names, other.names),
            (self.full, other.full),
            (self.surfaces, other.surfaces),
            (self.articles, other.articles),
            (self.labels, other.labels),
        ):
            mine.update({k: sign * n for k, n in theirs.items()})
            for k in [k for k, n in mine.items() if n <= 0]:
                del mine[k]
        self.said += sign * other.said
        self.titled += sign * other.titled

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "names": dict(self.names),
            "full": dict(self.full),
            "surfaces": dict(self.surfaces),
            "articles": dict(self.articles),
            "labels": dict(self.labels),
            "said": self.said,
            "titled": self.titled,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tally:
        return cls(
            key=data["key"],
            names=Counter(data["names"]),
            full=Counter(data["full"]),
            surfaces=Counter(data["surfaces"]),
            articles=Counter(data.get("articles", {})),
            labels=Counter(data["labels"]),
            said=int(data["said"]),
            titled=int(data["titled"]),
        )

    def to_json(self) -> str:
        """As stored with the entity: without its articles, which the store keeps a row each
        (``entity_articles``), so that an entity written in 30k articles is not rewritten whole."""
        data = self.to_dict()
        del data["articles"]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Tally:
        return cls.from_dict(json.loads(text))


def tally_of(
    mentions: Iterable[Mention], speakers: AbstractSet[tuple[str, int]], key: str | None = None
) -> Tally:
    """The tally of ``mentions``: a person's when ``key`` is None, else of the name with that key."""
    tally = Tally(key=key)
    for m in mentions:
        name = _person_text(m)
        tally.names[name] += 1
        if _is_full_person(m):
            tally.full[name] += 1
        tally.surfaces[_surface(m)] += 1
        tally.articles[m.article_id] += 1
        if m.type != PERSON:
            tally.labels[m.type] += 1
        tally.said += _is_said_person(m, speakers)
        tally.titled += bool(m.title)
    return tally


def entity_of(entity_id: str, tally: Tally, frequency: Counter[str]) -> Entity:
    """The entity a tally makes: its name the most used spelling (a person's full names first),
    its type by the mentions' votes."""
    spellings = tally.spellings
    if tally.person:
        # the person's name as written, without the descriptors before it ("Browns DL", "defensive tackle")
        name = _canonical(tally.full or spellings, frequency)
        type_ = PERSON
    else:
        name = _canonical(spellings, frequency)
        type_ = _entity_type_of(tally.key or "", tally)
    aliases = [n for n, _ in sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Entity(
        id=entity_id,
        name=name,
        type=type_,
        aliases=aliases,
        articles=sorted(tally.articles),
        mentions=sum(spellings.values()),
    )


def new_entity_id(tally: Tally, frequency: Counter[str]) -> str:
    """A person's id hashes the canonical name; another name's, its type and key."""
    if tally.person:
        return _entity_id(PERSON, normalize_name(_canonical(tally.full or tally.spellings, frequency)))
    return _entity_id(_entity_type_of(tally.key or "", tally), tally.key or "")


def word_frequency(analyzed: Sequence[AnalyzedArticle]) -> Counter[str]:
    """How many mentions of the store write each word, as written: a misspelt word is rare."""
    return Counter(w for item in analyzed for m in item.mentions for w in set(_surface(m).split()))


def _canonical(counts: Counter[str], frequency: Counter[str]) -> str:
    """The most used spelling, never a truncated one ("Zabihullah Mujahi" beside "... Mujahid").

    Ties go to the spelling whose rarest words the store writes most often ("Centers for Disease
    Control" beside "Center for Diseases Control"), then to the longer, then alphabetical order.
    """
    names = [
        n
        for n in counts
        if not any(_truncates(n, other) for other in counts) and not _sentence_stop(n, counts)
    ] or list(counts)

    def rarity(n: str) -> list[int]:
        return sorted(frequency.get(w, 0) for w in n.split())

    return min(names, key=lambda n: (-counts[n], -len(n.split()), [-f for f in rarity(n)], -len(n), n))


def _sentence_stop(name: str, spellings: Counter[str]) -> bool:
    """'ISIS-K.' beside 'ISIS-K': the full stop ends the sentence ('U.S.' keeps its last dot)."""
    bare = name.rstrip(".")
    return bare != name and "." not in bare and bare in spellings


def _truncates(short: str, long_: str) -> bool:
    """'Zabihullah Mujahi' cuts the last letters off a word of 'Zabiullah Mujahid' (a short word such
    as "Son" / "Song" is a romanisation, not a cut; the other words
    are spellings of one another)."""
    a, b = short.lower().split(), long_.lower().split()
    if len(a) != len(b):
        return False
    cut = [
        y.startswith(x) and 1 <= len(y) - len(x) <= 2 and len(x) >= 5 and y[len(x) :].isalpha()
        for x, y in zip(a, b, strict=True)
    ]
    return any(cut) and all(c or tokens_match(x, y) for c, x, y in zip(cut, a, b, strict=True))


# company forms and web domains that do not change which organisation is meant
_ORG_TAILS = frozenset(
    {"inc", "corp", "corporation", "co", "ltd", "llc", "plc", "limited", "incorporated", "com", "org", "net"}
)


def _other_key(mention: Mention) -> str:
    return _other_key_of(mention.type, mention.text)


@lru_cache(maxsize=_NAMES_CACHED)
def _other_key_of(type_: str, text: str) -> str:
    """One key per thing: a country's or big city's every name, else the normalised text."""
    if type_ != "NORP":  # "American" is a people, "America" a country
        place = place_key(re.sub(r"^[Tt]he\s+", "", strip_possessive(name_core(text))))  # "the U.S."
        if place is not None:
            return place
    return _text_key_of(type_, text)


# heads written both before ("Department of Justice") and after ("Justice Department") their name
_OF_HEADS = frozenset({"department", "ministry"})
_ORDINALS = {
    word: f"{n}{suffix}"
    for n, (word, suffix) in enumerate(
        [
            ("first", "st"),
            ("second", "nd"),
            ("third", "rd"),
            ("fourth", "th"),
            ("fifth", "th"),
            ("sixth", "th"),
            ("seventh", "th"),
            ("eighth", "th"),
            ("ninth", "th"),
            ("tenth", "th"),
            ("eleventh", "th"),
        ],
        start=1,
    )
}


def _text_key(mention: Mention) -> str:
    return _text_key_of(mention.type, mention.text)


def text_key(mention: Mention) -> str:
    """The name a mention writes, normalised ("" for no name): what the counts of articles
    writing a name are kept by."""
    return _text_key(mention) if _name(mention) else ""


@lru_cache(maxsize=_NAMES_CACHED)
def _text_key_of(type_: str, text: str) -> str:
    name = name_core(text)
    if type_ == "ORG":  # "U.S. Food and Drug Administration" is the Food and Drug Administration
        words = name.split()
        for n in (1, 2):
            if len(words) - n >= 2 and (place_key(" ".join(words[:n])) or "").startswith("country:"):
                name = " ".join(words[n:])
                break
    # possessive on any word ("City Attorney's Office"), leading article, company form or domain
    # a title in front goes ("Mr. Kudlow", "President Obama" labelled ORG), but not from the name of a body,
    # where it is a word of the name ("Justice Department", "General Assembly")
    body = type_ != PERSON and name.split()[-1].lower().strip(".,") in GENERIC_WORDS
    normalize = normalize_text if body else normalize_name
    tokens = normalize(_POSSESSIVE_WORD.sub("", name.replace(",", " "))).split()
    if tokens[:1] == ["the"]:
        tokens = tokens[1:]
    # person names drop numbers; "Internet Explorer 8" is not "... 9" ("COVID-19" keeps its one key)
    tokens += re.findall(r"(?<![-\w])\d+\b", name)
    while len(tokens) > 1 and tokens[-1] in _ORG_TAILS:
        tokens = tokens[:-1]
    tokens = [_ORDINALS.get(t, t) for t in tokens]  # "Fifth Circuit" is the "5th Circuit"
    if len(tokens) >= 2 and tokens[-1] in _OF_HEADS and "of" not in tokens:
        # "Justice Department" is the "Department of Justice"; the "of" form keeps "Homeland Security" its
        # tail
        tokens = [tokens[-1], "of", *tokens[:-1]]
    return " ".join(tokens)


def _store_acronyms(mentions: list[Mention]) -> dict[str, str]:
    """Acronym key → key of the long name, from 'Long Name (ACR)' in any article of the store.

    An acronym written after two different long names ("AP": Associated Press, Advanced
    Placement) gets none here; the story-level rules may still join it where the story is clear.
    """
    longs: dict[str, set[str]] = defaultdict(set)
    for long_, short in learn_acronyms(mentions):
        if _types_compatible(long_.type, short.type):
            longs[_other_key(short)].add(_other_key(long_))
    return {short: next(iter(keys)) for short, keys in longs.items() if len(keys) == 1 and short not in keys}


def _prefix_acronyms(mentions: list[Mention]) -> dict[str, str]:
    """Key of a name that begins with an abbreviation → key of the one name that spells it out.

    "U.N. General Assembly" / "United Nations General Assembly", "L.A. County" / "Los Angeles
    County": the rest of the name is the same and the abbreviation is the initials of the words it
    replaces. A dotted abbreviation ("U.N.") or one in capitals ("UN") counts; an abbreviation two
    long names could spell out gets none.
    """
    keys = {_other_key(m) for m in mentions if m.type != PERSON}
    spelled: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key in keys:
        tokens = key.split()
        for n in (2, 3, 4):
            if len(tokens) > n and all(len(t) > 1 for t in tokens[:n]):
                spelled[("".join(t[0] for t in tokens[:n]), " ".join(tokens[n:]))].add(key)
    links: dict[str, str] = {}
    for m in mentions:
        abbreviation, rest = _leading_abbreviation(m)
        found = spelled.get((abbreviation, rest), set()) if abbreviation else set()
        if len(found) == 1:
            links[_other_key(m)] = next(iter(found))
    return links


def _leading_abbreviation(mention: Mention) -> tuple[str, str]:
    """('un', 'general assembly') of "U.N. General Assembly" or "UN General Assembly", else ('', '')."""
    words = _name(mention).split()
    if len(words) < 2 or mention.type == PERSON:
        return "", ""
    first = words[0]
    letters = first.replace(".", "")
    dotted = re.fullmatch(r"(?:[A-Z]\.){2,4}", first) is not None
    if not (dotted or (2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper())):
        return "", ""
    tokens = normalize_text(" ".join(words)).split()
    rest = tokens[len(letters) if dotted else 1 :]  # "U.N." is two tokens of the key, "UN" one
    return (letters.lower(), " ".join(rest)) if rest else ("", "")


# labels the small model confuses for one thing; a person is never any of them
_TYPE_FAMILIES = ({"ORG", "NORP", "PRODUCT", "FAC"}, {"GPE", "LOC", "FAC"})


def _types_compatible(a: str, b: str) -> bool:
    return a == b or any(a in family and b in family for family in _TYPE_FAMILIES)


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|me|my|myself)\b")


def first_person_speakers(analyzed: Sequence[AnalyzedArticle]) -> set[tuple[str, int]]:
    """(article, offset) of speaker mentions whose quote speaks as "I": a person, whatever the label."""
    return {
        (q.speaker_mention.article_id, q.speaker_mention.start)
        for item in analyzed
        for q in item.quotes
        if q.speaker_mention is not None and q.kind == "direct" and _FIRST_PERSON.search(q.text)
    }


def _is_said_person(mention: Mention, speakers: AbstractSet[tuple[str, int]]) -> bool:
    """A person by more than the model's label: a role next to it, or it speaks as "I"."""
    return (mention.type == PERSON and mention.title is not None) or (
        mention.article_id,
        mention.start,
    ) in speakers


def _split_person_from_things(mentions: list[Mention], speakers: set[tuple[str, int]]) -> list[list[Mention]]:
    """One key, two things: a person shown as one ("President Washington", a Washington who says "I")
    never joins a place or an organisation of the same name; bare PERSON labels go with the person."""
    persons = [m for m in mentions if _is_said_person(m, speakers)]
    things = [m for m in mentions if m.type != PERSON and not _is_said_person(m, speakers)]
    if not persons or not things:
        return [mentions]
    thing_ids = {id(m) for m in things}
    return [[m for m in mentions if id(m) not in thing_ids], things]


DISEASE = "DISEASE"
UNTYPED = "NAME"  # a name nothing in the store shows the kind of
# the names of diseases news writes as proper nouns; the model calls them ORG or PERSON (55 "COVID-19"
# mentions in the AllSides store: 30 ORG, 20 PERSON, none a thing that acts)
_DISEASE = re.compile(
    r"^(?:covid|sars|mers|ebola|zika|hiv|aids|mpox|monkeypox|influenza|h\d+ ?n\d+)"
    r"(?: ?(?:\d+|cov ?\d*))*$"
)
# a first word that makes a name a place ("Ciudad Acuna", "Puerto Madero", "Fort Worth")
_PLACE_WORDS = frozenset({"ciudad", "puerto", "fort", "mount"})


def _entity_type_of(key: str, tally: Tally) -> str:
    """The type all mentions vote for, where a bare PERSON label counts only when nothing else is said.

    The small model calls many one-word names of companies, diseases and places PERSON ("Pfizer",
    "COVID-19", "Kiev": 20 of 24 "Pfizer" mentions in the AllSides store). A mention that reached
    this point joined no person of the store, so its PERSON label is the weakest vote: any other
    label outvotes it, and a known place is a place. A mention with a role beside it or whose quote
    speaks as "I" makes the entity a person whatever the other labels say.
    """
    if tally.said:
        return PERSON  # an organisation does not say "I"
    if key.startswith(("country:", "city:")) or key.split()[0] in _PLACE_WORDS:
        return "GPE"
    if _DISEASE.match(key):
        return DISEASE
    strong = tally.labels
    if strong:
        return min(strong, key=lambda t: (-strong[t], t))
    if len(key.split()) == 1 and not tally.titled:
        # one word, only ever labelled PERSON, no title, role or "I" anywhere: the AllSides store's
        # People lists held "Twitter", "Bitcoin", "Molnupiravir", "Moderna" and "Dodgers" so. A name
        # is kept, untyped, and a reader's list of people holds only those shown to be people.
        return UNTYPED
    return PERSON


# --- short names of organisations and teams within a story ------------------------

_INITIALS_SKIP = frozenset({"the", "of", "and", "for", "in", "on", "at", "to", "a", "an"})


def _link_short_names(
    mentions: list[Mention], contexts: list[list[str]], outside: Mapping[str, int]
) -> dict[tuple[str, str], str]:
    """(article id, key) → the key of the fuller name it stands for in its story.

    News names an organisation in full once and then by a part of it: "the Angels" after "Los
    Angeles Angels", "Kansas City" for "Kansas City Chiefs", "AP" for "Associated Press",
    "Blazers" for "Trailblazers", or a misspelling. Only names of one type in one story link, and
    only to a single fuller name; the link holds for that story's articles, so a "Saints" of
    another story is not pulled along.
    """
    by_article: dict[str, list[Mention]] = defaultdict(list)
    written_in: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        by_article[m.article_id].append(m)
        written_in[_text_key(m)].add(m.article_id)
    linked: dict[tuple[str, str], str] = {}
    for context in contexts:
        inside = set(context)
        names: dict[tuple[str, str], list[Mention]] = defaultdict(list)
        final: dict[str, str] = {}  # text key → the mention's key ("turkmenistan" → the country's key)
        for aid in context:
            for m in by_article.get(aid, []):
                text = _text_key(m)
                if m.type != PERSON and text:
                    names[(m.type, text)].append(m)
                    final.setdefault(text, _other_key(m))
        # articles of other stories that write each name of this story (only this story's names: a
        # store holds hundreds of thousands), with those of stored articles not read (an increment)
        elsewhere = {
            text: outside.get(text, 0)
            + len(written_in[text])
            - sum(aid in written_in[text] for aid in inside)
            for _, text in names
        }
        for key, target in _story_links(names, elsewhere).items():
            if final[key] == final[target]:
                continue
            for aid in context:
                linked.setdefault((aid, final[key]), final[target])
    return linked


# a part of a longer name written alone in this many articles of other stories is a name of its own
# ("White House" beside "Trump White House"), not the longer name's short form in this story
STANDALONE_ARTICLES = 3


def _story_links(names: dict[tuple[str, str], list[Mention]], elsewhere: dict[str, int]) -> dict[str, str]:
    """Within one story: each key → the fullest key of its linked set (union of one-target links)."""
    parent = {key: key for _, key in names}

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    by_type: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for type_, key in sorted(names):
        by_type[type_][_stem(key)].append(key)
    for type_, stems in by_type.items():
        for keys in stems.values():  # "Colt" / "Colts" are one name
            for key in keys[1:]:
                parent[find(key)] = find(keys[0])
        uppercase = {
            stem
            for stem, keys in stems.items()
            if any(_surface(m).isupper() for k in keys for m in names[(type_, k)])
        }
        articles = {
            stem: {m.article_id for k in keys for m in names[(type_, k)]} for stem, keys in stems.items()
        }
        for stem in stems:
            alone = sum(elsewhere.get(k, 0) for k in stems[stem]) >= STANDALONE_ARTICLES
            targets = [
                t
                for t in _fuller_names(stem, list(stems), stem in uppercase)
                if _written_with(stem, t, articles) and not (alone and _is_part(stem, t))
            ]
            competing = [t for t in targets if not _qualifies(stem, t)]
            for target in targets if len(competing) <= 1 else []:
                parent[find(stems[stem][0])] = find(stems[target][0])
    members: dict[str, list[str]] = defaultdict(list)
    for key in parent:
        members[find(key)].append(key)
    out: dict[str, str] = {}
    for group in members.values():
        fullest = max(group, key=lambda k: (len(k.split()), len(k), k))
        out.update({k: fullest for k in group if k != fullest})
    return out


def _is_part(short: str, long_: str) -> bool:
    s, lt = short.split(), long_.split()
    return len(s) < len(lt) and (lt[: len(s)] == s or lt[-len(s) :] == s)


def _written_with(short: str, long_: str, articles: dict[str, set[str]]) -> bool:
    """A leading part ("Kansas City" of "Kansas City Chiefs") stands for the longer name only in the
    articles that write the longer name too; elsewhere it is most often a name of its own ("White
    House" beside "White House Covid")."""
    s, lt = short.split(), long_.split()
    if lt[: len(s)] != s or lt[-len(s) :] == s:
        return True
    return articles[short] <= articles[long_]


def _stem(key: str) -> str:
    # plural-blind: team names are used in both numbers ("Indianapolis Colt" / "Colts")
    return " ".join(
        t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in key.split()
    )


def _fuller_names(key: str, keys: list[str], uppercase: bool) -> list[str]:
    """The maximal names of ``keys`` that ``key`` is a part, an acronym or a misspelling of."""
    tokens = key.split()
    found = [other for other in keys if other != key and _stands_for(tokens, other.split(), uppercase)]
    # "Angels" is part of "LA Angels" and of "Los Angeles Angels" only if one holds the other
    return [f for f in found if not any(g != f and _stands_for(f.split(), g.split(), False) for g in found)]


def _qualifies(short: str, long_: str) -> bool:
    # "Surgeon General of the United States" says which Surgeon General; it competes with no other
    # fuller name ("U.S. Surgeon General"), while "New York Giants" and "New York Jets" do compete
    return long_.startswith(short + " of ")


def _stands_for(short: list[str], long_: list[str], uppercase: bool) -> bool:
    n = len(short)
    content = [t for t in short if t not in _INITIALS_SKIP]
    if len(content) >= 3 and len(long_) > n and set(content) <= set(long_):
        return True  # the same words reordered or with more words ("Central Elections Commission")
    if n < len(long_) and (long_[-n:] == short or (long_[:n] == short and short[0] not in _INITIALS_SKIP)):
        return True  # head ("the Angels") or leading part ("Kansas City", "Staunton Police")
    if n == 1 and len(long_) > 1 and 2 <= len(short[0]) <= 6 and (uppercase or len(short[0]) <= 3):
        initials = {"".join(t[0] for t in long_), "".join(t[0] for t in long_ if t not in _INITIALS_SKIP)}
        if short[0] in initials or (
            short[0][0] == "t" and short[0][1:] in initials
        ):  # "THR": The Hollywood R.
            return True  # acronym ("CEC", "AP")
    if n == 1 and len(short[0]) >= 5 and long_[-1] != short[0] and long_[-1].endswith(short[0]):
        return True  # the head of a compound ("Blazers" / "Trailblazers")
    if len(long_) >= n and len(" ".join(long_)) >= len(" ".join(short)):
        return _misspelt(" ".join(short), " ".join(long_))
    return False


def _misspelt(a: str, b: str) -> bool:
    # one name written two ways in one story: a typo or swapped letters ("Turkeminstan"), or a long
    # name with a word slightly changed ("Motion Pictures Arts")
    shortest = min(len(a), len(b))
    if shortest < 5 or a[0] != b[0]:
        return False
    allowed = 2 if shortest >= 9 else 1
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed or (shortest >= 20 and fuzz.ratio(a, b) >= 95)


# --- quotes --------------------------------------------------------------------


def _resolve_quotes(analyzed: Sequence[AnalyzedArticle], entities: list[Entity]) -> None:
    """A quote's speaker is the entity of its speaker mention, else an entity named like the speaker."""
    by_alias: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        for alias in [e.name, *e.aliases]:
            by_alias[normalize_name(alias)].add(e.id)
    article_entities = {
        item.article.id: {m.entity_id for m in item.mentions if m.entity_id} for item in analyzed
    }
    for item in analyzed:
        by_span = {(m.start, m.end): m for m in item.mentions}
        for quote in item.quotes:
            quote.entity_id = _quote_entity(
                quote, by_span, by_alias, article_entities.get(item.article.id, set())
            )
            if quote.speaker_mention is not None and quote.speaker_mention.entity_id is None:
                quote.speaker_mention.entity_id = quote.entity_id


def _quote_entity(
    quote: Quote, by_span: dict[tuple[int, int], Mention], by_alias: dict[str, set[str]], in_article: set[str]
) -> str | None:
    if quote.speaker_mention is not None:
        if quote.speaker_mention.entity_id:
            return quote.speaker_mention.entity_id
        own = by_span.get((quote.speaker_mention.start, quote.speaker_mention.end))
        if own is not None and own.entity_id:
            return own.entity_id
    candidates = by_alias.get(normalize_name(quote.speaker), set())
    local = candidates & in_article
    if len(local) == 1:
        return next(iter(local))
    if len(candidates) == 1:
        return next(iter(candidates))
    return None


# --- where an increment looks ----------------------------------------------------


def filing_keys(mention: Mention) -> frozenset[str]:
    """The keys a stored name is found under by an increment's :func:`lookup_keys`: a person's
    given-name and surname keys (the short forms that may stand for the person) and a full name's
    blocking keys; another name's key, text key and initials."""
    if not _name(mention):
        return frozenset()
    return _keys_of(mention.type, mention.text, True)


def lookup_keys(mention: Mention) -> frozenset[str]:
    """The keys under which the stored names that could decide this mention's entity are filed:
    a full name's blocking keys (its spellings), a short form's key (the people it may stand
    for), another name's key, text key and initials (acronyms, spelled-out prefixes), and the key
    of its last word (a surname the model labelled ORG, "Choe's visit", or a person's name it did:
    "Steven Portnoy").

    An increment resolves its articles beside one stored article per name filed under any of
    these (:func:`newsweave.names.increment.resolve_increment`)."""
    if not _name(mention):
        return frozenset()
    return _keys_of(mention.type, mention.text, False)


@lru_cache(maxsize=_NAMES_CACHED)
def _keys_of(type_: str, text: str, filing: bool) -> frozenset[str]:
    keys: set[str] = set()
    if type_ == PERSON:
        parsed = parse_name(_person_name(text))
        tokens = parsed.tokens
        if len(tokens) >= 2:
            keys |= {"b:" + k for k in blocking_keys(parsed)}
        if tokens and (filing or len(tokens) == 1):
            keys |= {"s:" + phonetic_key(tokens[0]), "s:" + phonetic_key(tokens[-1])}
        return frozenset(keys)
    words = _text_key_of(type_, text).split()
    keys |= {"o:" + _other_key_of(type_, text), "o:" + " ".join(words)}
    if words:
        keys.add("a:" + ("".join(w[0] for w in words) if len(words) > 1 else words[0]))
    if not filing and words and len(words) <= 4 and not any(w in GENERIC_WORDS for w in words):
        keys.add("s:" + phonetic_key(words[-1]))  # only people are filed under these
    return frozenset(keys)
