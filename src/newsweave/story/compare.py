"""Compare the outlets of one story: what they agree on, what only one says, where they conflict.

Public entry point: :func:`compare_story`.

Claims are sentences. Two claims of different articles are *proposed* as the same when their
MiniLM embeddings are paraphrase-close, or fairly close while sharing a name or a number and a
content word; the proposal only ranks. What a reader is told rests on the support judge
(:mod:`newsweave.judge`, through :class:`newsweave.story.cite.Citer`):

* ``corroborated``: claims that at least two independent outlets *state* (the judge says each
  one's own sentence entails it; a syndicated copy, per ``duplicate_of``, and a second article
  of the same outlet count once), each with its evidence sentences;
* ``single_source``: the most newsworthy claims no other outlet makes (nothing even close);
* ``disagreements``: the same happening told with conflicting values (day or date, number,
  title of the same person, assertion against negation), proposed by value rules that need the
  *same* actor and predicate on both sides, and kept only when the judge says the two sentences
  contradict each other, because a false contradiction is worse than a missed one.

Per article it also measures originality (specific information no other outlet carries),
flags padded rewrites (``low_originality``) and keyword stuffing, and lists the word choice
for the same actor or act across outlets ("invasion" vs "special operation").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from newsweave.analyze._base import Embedder
from newsweave.analyze.nlp import reads
from newsweave.judge import SupportJudge, default_judge, label_of
from newsweave.model import (
    AnalyzedArticle,
    Claim,
    ClaimSide,
    Disagreement,
    SingleSourceClaim,
    Story,
    WordChoice,
)
from newsweave.names.match import share_a_name
from newsweave.story.cite import Citer
from newsweave.story.claims import (
    DateValue,
    KeptParses,
    ParsedClaim,
    SentenceCues,
    content_stems,
    dates_conflict,
    numbers_conflict,
    parse_claims,
    sentence_cues,
    titles_conflict,
)
from newsweave.story.sources import counts_as_source, independence_groups
from newsweave.vocab import NUMBER, WEEKDAYS, numbers_in

# Paraphrase thresholds on MiniLM cosine (all-MiniLM-L6-v2): within one story, sentences on
# different facts already score 0.55-0.75 (same people, same place), paraphrases 0.75-0.95.
ALIGN_COSINE = 0.8
# Lower bar when the two sentences also share a specific name or number and content words.
ALIGN_COSINE_ANCHORED = 0.6
ANCHOR_MIN_SHARED_STEMS = 2
# A name in more than this share of the story's sentences ("Russia" in a Russia story) anchors nothing.
COMMON_NAME_SHARE = 0.3
# Same-happening bars for the conflict checks (the frames must also match).
DATE_CONFLICT_MIN_COSINE = 0.3
NUMBER_CONFLICT_MIN_COSINE = 0.55
NEGATION_CONFLICT_MIN_COSINE = 0.7
NEGATION_MIN_JACCARD = 0.5
# Outlet profile.
# Calibrated on the seeds (padded rewrites 000, 004: originality 0.14 / 0.26, padding 0.55 / 0.53;
# reporting 002, 003: 0.54 / 0.41, padding <= 0.13) and the Hanoi examples (digest 0.0; wire
# original and its copy 0.19, padding 0.24: widely repeated, yet reporting, not padding).
LOW_ORIGINALITY = 0.3  # below: adds little of its own ...
PADDED_SHARE = 0.45  # ... and pads at least this share of its words: a padded rewrite
NO_NEW_FACTS = 0.1  # below: adds next to nothing at all, padded or not
MIN_SENTENCES_FOR_ORIGINALITY = 5
MAX_CORROBORATED = 8
# Proposed claims checked with the judge for the corroborated list, most salient first.
MAX_CORROBORATED_CANDIDATES = 3 * MAX_CORROBORATED
MAX_SINGLE_SOURCE = 8
# Claims whose evidence is judged in one call: the next few of a list, so the judge's two threads
# both work (a claim alone is two or three pairs) and a list that fills early wastes little.
CLAIMS_PER_CALL = 4
MAX_SINGLE_SOURCE_PER_ARTICLE = 3
MIN_CLAIM_WORDS = 6


@dataclass
class Comparison:
    corroborated: list[Claim] = field(default_factory=list)
    single_source: list[SingleSourceClaim] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    flags: dict[str, list[str]] = field(default_factory=dict)
    originality: dict[str, float] = field(default_factory=dict)
    # article id -> share of its words in sentences with no new fact that no other source tells
    padding: dict[str, float] = field(default_factory=dict)
    word_choice: list[WordChoice] = field(default_factory=list)
    # article id -> Sentence.index -> every article with a sentence saying the same (itself first);
    # the summariser cites from this so that sources list *every* supporting article.
    support: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    # article id -> Sentence.index -> salience of the claim in the story (0..1)
    salience: dict[str, dict[int, float]] = field(default_factory=dict)
    # article id -> key of its independent source (see :func:`independence_groups`)
    groups: dict[str, str] = field(default_factory=dict)
    # article id -> Sentence.index of its sentences another outlet contradicts
    disputed: dict[str, list[int]] = field(default_factory=dict)
    # cites sentences of this story against its articles (None for an empty story)
    citer: Citer | None = None


@dataclass
class _Unit:
    """One sentence of one article, as a claim candidate."""

    article: str
    index: int  # Sentence.index
    position: int  # position in the article's sentence list
    text: str  # the sentence, headings that the sentence splitter glued on dropped
    group: str  # independence group: outlet, or the original of a syndicated copy
    is_claim: bool
    stems: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    specific: frozenset[str] = frozenset()  # names and numbers not common in the story
    rare_stems: frozenset[str] = frozenset()  # content stems not common in the story


def compare_story(
    story: Story,
    analyzed: Sequence[AnalyzedArticle],
    duplicate_of: dict[str, str] | None = None,
    judge: SupportJudge | None = None,
    embedder: Embedder | None = None,
    kept: KeptParses | None = None,
) -> Comparison:
    """Corroborated, single-source and conflicting claims of one story, and outlet profiles.

    ``judge`` decides what an article states (the shipped cross-encoder when None); ``embedder``
    embeds sentences the analysis stored no vector for (the shipped MiniLM when None); ``kept``
    holds the sentence parses of earlier fills, and takes this one's."""
    judge = judge if judge is not None else default_judge()
    members = _members_of(story, analyzed)
    if not members:
        return Comparison()
    groups = independence_groups(members, duplicate_of or {})
    # claims are compared only where the judge reads the language; the rest are neither claims
    # nor evidence, and their articles get no originality flag
    read = [m for m in members if reads(m.article.language)]
    units = _units_of(read, groups)
    if not units:
        return Comparison(
            flags={m.article.id: [] for m in members},
            originality={m.article.id: 1.0 for m in members},
            groups=groups,
        )
    # two occurrences of a storyline (a March visit, an October visit) report different facts in
    # the same words: a sentence about one cannot corroborate, or be supported by, the other
    event_of = {a: e.id for e in story.events for a in e.articles}
    vectors = sentence_vectors(members, embedder)
    citer = Citer(members, vectors, judge, event_of)
    unit_vectors = vectors[[citer.row_of(*_key(u)) for u in units]]
    sim = unit_vectors @ unit_vectors.T
    aligned = _alignment(units, sim)
    for i, j in zip(*np.nonzero(aligned), strict=True):
        if _different_events(units[i].article, units[j].article, event_of):
            aligned[i, j] = False
    disagreements, conflicting = _disagreements(story, read, units, sim, judge, kept)
    for i, j in conflicting:  # two sentences that contradict each other do not support each other
        aligned[i, j] = aligned[j, i] = False
    salience = _salience(units, unit_vectors, aligned)
    comparison = Comparison(
        support=_support(units, aligned),
        salience=_salience_map(units, salience),
        groups=groups,
        disagreements=disagreements,
        citer=citer,
    )
    for i, j in conflicting:
        for k in (i, j):
            comparison.disputed.setdefault(units[k].article, []).append(units[k].index)
    comparison.corroborated = _corroborated(units, aligned, salience, citer)
    comparison.single_source = _single_source(units, aligned, salience, citer)
    comparison.originality, comparison.padding = _originality(read, units, aligned)
    for m in members:
        comparison.originality.setdefault(m.article.id, 1.0)
        comparison.padding.setdefault(m.article.id, 0.0)
    comparison.flags = _flags(members, comparison.originality, comparison.padding)
    comparison.word_choice = word_choice(members)
    return comparison


# --- independence and units -------------------------------------------------------------------


def _members_of(story: Story, analyzed: Sequence[AnalyzedArticle]) -> list[AnalyzedArticle]:
    if not story.articles:
        return list(analyzed)
    wanted = set(story.articles)
    return [a for a in analyzed if a.article.id in wanted]


_NOT_A_CLAIM = re.compile(
    r"^(source|read more|related|leave a comment|advertisement|photo|image|bookmark this)\b", re.I
)


def _units_of(members: Sequence[AnalyzedArticle], groups: dict[str, str]) -> list[_Unit]:
    units = []
    for m in members:
        names_by_sentence = _names_by_sentence(m)
        for pos, s in enumerate(m.sentences):
            units.append(
                _Unit(
                    article=m.article.id,
                    index=s.index,
                    position=pos,
                    text=claim_text(s.text),
                    group=groups[m.article.id],
                    is_claim=is_claim_sentence(claim_text(s.text)),
                    stems=frozenset(content_stems(s.text)),
                    names=frozenset(
                        names_by_sentence.get(s.index, set()) | _capitalised_names(claim_text(s.text))
                    ),
                    numbers=numbers_in(s.text),
                )
            )
    _mark_specific(units)
    return units


def _mark_specific(units: list[_Unit]) -> None:
    """Names, numbers and stems that set a sentence apart within its story (not "Russia" everywhere)."""
    claims = [u for u in units if u.is_claim] or units
    names = Counter(n for u in claims for n in u.names | u.numbers)
    stems = Counter(st for u in claims for st in u.stems)
    limit = max(2.0, COMMON_NAME_SHARE * len(claims))
    for u in units:
        u.specific = frozenset(n for n in u.names | u.numbers if names[n] <= limit)
        u.rare_stems = frozenset(st for st in u.stems if stems[st] <= limit)


def claim_text(text: str) -> str:
    """The sentence without the headings or teaser lines a sentence splitter glued in front of it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    while len(lines) > 1 and (lines[0][-1:] not in ".!?\"”’'" or _NOT_A_CLAIM.match(lines[0])):
        lines.pop(0)
    return " ".join(lines)


def is_claim_sentence(text: str) -> bool:
    """A sentence that states something: long enough, punctuated, not site furniture, and not cut
    short by its source (an excerpt ending in "..." says less than the sentence it cuts)."""
    words = text.split()
    if len(words) < MIN_CLAIM_WORDS or _NOT_A_CLAIM.match(text.strip()):
        return False
    end = text.rstrip()
    if end.endswith(("...", "…")):
        return False
    return end[-1:] in {".", "!", "?", '"', "”", "’", "'", ")"}


def _names_by_sentence(m: AnalyzedArticle) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for mention in m.mentions:
        out[mention.sentence].add((mention.entity_id or mention.text).lower())
    return out


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b")


def _capitalised_names(text: str) -> set[str]:
    """Runs of capitalised words ("South Korea"): names the NER may have missed.

    The sentence's first word is skipped, being capitalised anyway.
    """
    names = set()
    for m in _CAPITALISED.finditer(text):
        name = m.group(0)
        if m.start() == 0:
            name = name.partition(" ")[2]
        if len(name) >= 3 and name.lower() not in _COMMON_CAPITALISED:
            names.add(name.lower())
    return names


_COMMON_CAPITALISED = {
    "the",
    "this",
    "that",
    "these",
    "those",
    "but",
    "and",
    "however",
    "meanwhile",
    "earlier",
    *WEEKDAYS,
}


# --- vectors, alignment and salience ------------------------------------------------------------


def sentence_vectors(members: Sequence[AnalyzedArticle], embedder: Embedder | None = None) -> np.ndarray:
    """Unit vectors of every sentence of ``members`` in order; computed by ``embedder`` (the
    shipped MiniLM when None) when the analysis has none."""
    rows: list[np.ndarray | None] = []
    missing: list[str] = []
    for m in members:
        have = m.sentence_vectors
        if have is not None and len(have) != len(m.sentences):
            have = None
        for i, s in enumerate(m.sentences):
            if have is not None:
                rows.append(np.asarray(have[i], dtype=np.float32))
            else:
                rows.append(None)
                missing.append(s.text)
    computed = iter(embed_with(embedder, missing)) if missing else iter(())
    out = np.stack([r if r is not None else next(computed) for r in rows]) if rows else np.zeros((0, 384))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def embed_with(embedder: Embedder | None, texts: list[str]) -> np.ndarray:
    """``texts`` embedded by ``embedder``, or by the shipped MiniLM (loaded only when needed)."""
    if embedder is None:
        from newsweave.analyze.embed import MiniLM

        embedder = MiniLM()
    return np.asarray(embedder.embed(texts), dtype=np.float32)


def _alignment(units: list[_Unit], sim: np.ndarray) -> np.ndarray:
    """Boolean matrix: claim i and claim j (different sources) say the same thing."""
    n = len(units)
    aligned = np.zeros((n, n), dtype=bool)
    claims = np.array([u.is_claim for u in units], dtype=bool)
    # no pair below the anchored bar says the same (_says_the_same), so only the pairs above it
    # are looked at: a story of 45 members has ~20,000 pairs of claims, a few hundred above it
    near = np.triu(np.asarray(sim) >= ALIGN_COSINE_ANCHORED, k=1) & claims[:, None] & claims[None, :]
    for i, j in zip(*np.nonzero(near), strict=True):
        if units[i].group != units[j].group and _says_the_same(units[i], units[j], sim[i, j]):
            aligned[i, j] = aligned[j, i] = True
    return aligned


def _says_the_same(a: _Unit, b: _Unit, cosine: float) -> bool:
    if cosine >= ALIGN_COSINE:
        return True
    if cosine < ALIGN_COSINE_ANCHORED:
        return False
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        # below the paraphrase bar, sentences that each give figures and share none tell
        # different facts ("about 2,300 dockworkers" and "some 3,200 dockworkers"; a meeting
        # "in 2023" and the first one "since 2019"): neither may cite the other as support
        return False
    anchored = bool(a.specific & b.specific) or share_a_name(a.specific - a.numbers, b.specific - b.numbers)
    return anchored and len(a.rare_stems & b.rare_stems) >= ANCHOR_MIN_SHARED_STEMS


def _salience(units: list[_Unit], vectors: np.ndarray, aligned: np.ndarray) -> np.ndarray:
    """How central a claim is: closeness to the story centroid, plus outlets repeating it, plus the lead."""
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    central = vectors @ centroid
    n_sources = np.array(
        [len({units[j].group for j in np.flatnonzero(aligned[i])}) for i in range(len(units))]
    )
    lead = np.array([1.0 / (1.0 + u.position) for u in units])
    score = central + 0.15 * np.minimum(n_sources, 3) + 0.1 * lead
    score = np.where([u.is_claim for u in units], score, -1.0)
    lo, hi = float(score.min()), float(score.max())
    return (score - lo) / (hi - lo) if hi > lo else np.ones_like(score)


def _salience_map(units: list[_Unit], salience: np.ndarray) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for u, s in zip(units, salience, strict=True):
        out[u.article][u.index] = round(float(s), 4)
    return dict(out)


def _support(units: list[_Unit], aligned: np.ndarray) -> dict[str, dict[int, list[str]]]:
    out: dict[str, dict[int, list[str]]] = defaultdict(dict)
    for i, u in enumerate(units):
        others = [units[j].article for j in np.flatnonzero(aligned[i])]
        out[u.article][u.index] = [u.article] + sorted(set(others) - {u.article})
    return dict(out)


# --- corroborated and single-source -------------------------------------------------------------


def _key(u: _Unit) -> tuple[str, int]:
    """A unit as the citer names a sentence: (article, position in its sentence list)."""
    return u.article, u.position


def _judged_in_turn(
    order: list[int], units: list[_Unit], citer: Citer, skip: Callable[[int], bool]
) -> Iterator[int]:
    """The units of ``order`` not skipped, in turn, each once the judge has its evidence and that
    of the next few (``CLAIMS_PER_CALL``) in one call; ``skip`` is asked again as the caller's
    list fills, so a unit the caller has since ruled out is neither judged nor given."""
    for n, i in enumerate(order):
        if skip(i):
            continue
        citer.prefetch([_key(units[j]) for j in order[n : n + CLAIMS_PER_CALL] if not skip(j)])
        yield i


def _corroborated(units: list[_Unit], aligned: np.ndarray, salience: np.ndarray, citer: Citer) -> list[Claim]:
    """Claims >= 2 independent outlets state, by the judge; most salient first, one per group of
    proposed partners, each with the sentence of every article that states it."""
    candidates = []
    for i, u in enumerate(units):
        sources = {
            g for g in {u.group} | {units[j].group for j in np.flatnonzero(aligned[i])} if counts_as_source(g)
        }
        if len(sources) >= 2 and u.specific:  # a vague line ("ties are deepening") is not a claim to list
            candidates.append((len(sources), float(salience[i]), i))
    candidates.sort(reverse=True)
    group_of = {u.article: u.group for u in units}
    taken: set[int] = set()
    claims: list[Claim] = []
    order = [i for _, _, i in candidates[:MAX_CORROBORATED_CANDIDATES]]
    for i in _judged_in_turn(order, units, citer, taken.__contains__):
        evidence = citer.evidence(units[i].article, units[i].position)
        if len({group_of[e.article] for e in evidence if counts_as_source(group_of[e.article])}) < 2:
            continue  # proposed by similarity, but no second independent outlet states it
        # the partners and the wire copies of this sentence say it too: one claim, not one per copy
        copies = {k for k, u in enumerate(units) if u.group == units[i].group and u.text == units[i].text}
        taken.update(set(np.flatnonzero(aligned[i]).tolist()) | copies | {i})
        claims.append(Claim(text=units[i].text, articles=[e.article for e in evidence], evidence=evidence))
        if len(claims) >= MAX_CORROBORATED:
            break
    return claims


def _single_source(
    units: list[_Unit], aligned: np.ndarray, salience: np.ndarray, citer: Citer
) -> list[SingleSourceClaim]:
    """Newsworthy claims no other outlet makes: unaligned, naming something no other outlet names,
    and no other outlet's sentence stating it by the judge."""
    said_elsewhere = _facts_elsewhere(units)
    picked: list[tuple[float, int]] = []
    for i, u in enumerate(units):
        if not u.is_claim or aligned[i].any():
            continue
        new_names = u.specific - u.numbers - said_elsewhere[u.group]
        new_stems = u.rare_stems - said_elsewhere[u.group]
        if not new_names and not (u.numbers - said_elsewhere[u.group]):
            continue  # no name or number of its own: commentary or padding, not a fact
        # news is a dated or counted happening with names of its own; hedged commentary is not
        # centrality counts for less here than in the summary: a fact only one outlet has is off-centre
        score = (
            0.5 * float(salience[i])
            + 0.15 * min(len(new_names), 2)
            + 0.05 * min(len(new_stems), 4)
            + 0.15 * bool(_DATED.search(u.text) or u.numbers)
            - 0.2 * bool(_COMMENTARY.search(u.text))
            - 0.3 * bool(_SPECULATION.search(u.text))
        )
        picked.append((score, i))
    picked.sort(reverse=True)
    group_of = {u.article: u.group for u in units}
    shown: set[str] = set()
    per_article: Counter[str] = Counter()
    out: list[SingleSourceClaim] = []

    def passed_over(j: int) -> bool:
        # its article has its share listed, or it is a syndicated copy of a claim already listed
        return per_article[units[j].article] >= MAX_SINGLE_SOURCE_PER_ARTICLE or units[j].text in shown

    for i in _judged_in_turn([i for _, i in picked], units, citer, passed_over):
        u = units[i]
        if any(group_of[e.article] != u.group for e in citer.evidence(u.article, u.position)):
            continue  # another outlet says it after all, in other words
        shown.add(u.text)
        per_article[u.article] += 1
        out.append(SingleSourceClaim(text=u.text, article=u.article, sentence=u.index))
        if len(out) >= MAX_SINGLE_SOURCE:
            break
    return out


_DATED = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
# "may also touch on", "could signal", "potentially paving the way": a guess about what might
# happen is weaker news than a plan or a fact
_SPECULATION = re.compile(r"\b(may|might|could|potentially|possibly|perhaps)\b(?! not)", re.I)
_COMMENTARY = re.compile(
    r"\b(analysts?|experts?|observers?|commentators?|critics)\b|\b(is|are) seen as\b|"
    r"\bsuggests?\b|\bappears? to\b|\b(particularly |especially )?significant\b|"
    r"\b(underscores?|reflects?|symboli[sz]es?|signals?)\b",
    re.I,
)


def _facts_elsewhere(units: list[_Unit]) -> dict[str, set[str]]:
    """Per independence group: every name, number and content stem the *other* groups use."""
    by_group: dict[str, set[str]] = defaultdict(set)
    for u in units:
        by_group[u.group] |= u.names | u.numbers | u.stems
    return {g: set().union(*(facts for h, facts in by_group.items() if h != g)) for g in by_group}


# --- disagreements ------------------------------------------------------------------------------


def _disagreements(
    story: Story,
    members: Sequence[AnalyzedArticle],
    units: list[_Unit],
    sim: np.ndarray,
    judge: SupportJudge,
    kept: KeptParses | None = None,
) -> tuple[list[Disagreement], list[tuple[int, int]]]:
    """Conflicting claims, and every conflicting pair of unit positions (also those not listed).

    The value rules propose; a pair is a conflict only when the judge says one sentence
    contradicts the other."""
    event_of = {a: e.id for e in story.events for a in e.articles}
    index_of = {(u.article, u.index): k for k, u in enumerate(units)}
    cues = sentence_cues(members)
    candidates = [k for k in cues if k in index_of and units[index_of[k]].is_claim]
    keys = _worth_parsing(candidates, units, index_of, sim, cues, event_of)
    by_key = {(p.article, p.index): p for p in parse_claims(members, set(keys), cues, kept)}
    found: list[Disagreement] = []
    pairs: list[tuple[int, int]] = []
    seen: set[tuple[str, str, str]] = set()
    for x, key_a in enumerate(keys):
        for key_b in keys[x + 1 :]:
            ua, ub = units[index_of[key_a]], units[index_of[key_b]]
            if ua.group == ub.group or _different_events(ua.article, ub.article, event_of):
                continue
            cosine = float(sim[index_of[key_a], index_of[key_b]])
            about = conflict_between(by_key[key_a], by_key[key_b], cosine)
            if about is None or not confirmed_conflict(ua.text, ub.text, about, judge):
                continue
            pairs.append((index_of[key_a], index_of[key_b]))
            first, second = sorted((ua.group, ub.group))
            marker = (about.split(":")[0], first, second)
            if marker in seen:
                continue  # one disagreement per kind and pair of sources (a wire copy adds nothing)
            seen.add(marker)
            found.append(
                Disagreement(
                    about=about,
                    claims=[
                        ClaimSide(article=ua.article, text=ua.text, sentence=ua.index),
                        ClaimSide(article=ub.article, text=ub.text, sentence=ub.index),
                    ],
                )
            )
    return found, pairs


def confirmed_conflict(a: str, b: str, about: str, judge: SupportJudge) -> bool:
    """Whether the judge confirms the conflict the value rules proposed (``about``, as
    :func:`conflict_between` words it) between sentences ``a`` and ``b``.

    The rules compare the values (a day, a count, a title, a polarity) as values; what they
    cannot tell is whether the two sentences tell the *same* statement. So the values are made
    the same (``b`` given ``a``'s value, or both without their negation) and the judge must say
    that each sentence then states the other: the value is all they differ in. This stops the
    rules' false alarms: "a drone strike killed 10 members of one family" against "killed an aid
    worker and nine members of his family"; "did not take questions" against "declined to call
    on reporters after Johnson took questions". The judge's own "contradicts" is not enough: on
    such pairs it says 0.65-0.87, and on "arrived on Sunday" against "arrived on Monday" it says
    "entails" (0.91): it learnt paraphrase far better than contradiction (benchmarks/support.py,
    FNC-1 disagree precision below 0.34 at every bar).
    """
    same_a, same_b = _harmonised(a, b, about)
    if same_a is None or same_b is None:
        return False
    return all(label_of(v) == "entails" for v in judge.judge([(same_a, same_b), (same_b, same_a)]))


_VALUES = re.compile(r"\((?P<a>[^()]+) vs (?P<b>[^()]+)\)$")
_NEGATOR = re.compile(r"\s*\b(?:not|never|no longer)\b|n['’]t\b", re.I)


def _harmonised(a: str, b: str, about: str) -> tuple[str | None, str | None]:
    """``a`` and ``b`` with the conflicting values made the same, or (None, None) when the
    values cannot be found in the sentences."""
    if about.startswith("negation:"):
        return _NEGATOR.sub("", a), _NEGATOR.sub("", b)
    found = _VALUES.search(about)
    if not found or found["b"] not in b or found["a"] not in a:
        return None, None
    return a, b.replace(found["b"], found["a"], 1)


def _worth_parsing(
    keys: list[tuple[str, int]],
    units: list[_Unit],
    index_of: dict[tuple[str, int], int],
    sim: np.ndarray,
    cues: dict[tuple[str, int], SentenceCues],
    event_of: dict[str, str],
) -> list[tuple[str, int]]:
    """The claims that could conflict with another source's claim, by the checks of :func:`conflict_between`.

    Parsing is most of a story's comparison cost; a pair is only parsed when its cues and
    cosine leave a conflict possible, so the result is the same as parsing everything.
    """
    keep: set[tuple[str, int]] = set()
    for x, key_a in enumerate(keys):
        for key_b in keys[x + 1 :]:
            if key_a in keep and key_b in keep:
                continue
            ua, ub = units[index_of[key_a]], units[index_of[key_b]]
            if ua.group == ub.group or _different_events(ua.article, ub.article, event_of):
                continue
            ca, cb = cues[key_a], cues[key_b]
            cosine = float(sim[index_of[key_a], index_of[key_b]])
            if (
                (cosine >= DATE_CONFLICT_MIN_COSINE and ca.dates and cb.dates)
                or (cosine >= NUMBER_CONFLICT_MIN_COSINE and ca.numbers and cb.numbers)
                or (ca.titles and cb.titles)
                or cosine >= NEGATION_CONFLICT_MIN_COSINE
            ):
                keep.update((key_a, key_b))
    return [k for k in keys if k in keep]


def _different_events(a: str, b: str, event_of: dict[str, str]) -> bool:
    return a in event_of and b in event_of and event_of[a] != event_of[b]


def conflict_between(a: ParsedClaim, b: ParsedClaim, cosine: float) -> str | None:
    """What two claims of one happening disagree on, or None. Checks dates, numbers, titles, negation."""
    if cosine >= DATE_CONFLICT_MIN_COSINE:
        for fa in a.dated:
            for fb in b.dated:
                if fa.frame_matches(fb) and dates_conflict(fa.value, fb.value):
                    return f"date: {fa.describe()} ({_show(fa.value)} vs {_show(fb.value)})"
    if cosine >= NUMBER_CONFLICT_MIN_COSINE:
        for na in a.counted:
            for nb in b.counted:
                if na.frame_matches(nb) and numbers_conflict(na.value, nb.value):
                    return f"number: {na.describe()} ({na.text} vs {nb.text})"
    for ta in a.titles:
        for tb in b.titles:
            if share_a_name({ta.person}, {tb.person}) and titles_conflict(ta.title, tb.title):
                return f"title: {ta.person} ({ta.title} vs {tb.title})"
    if cosine >= NEGATION_CONFLICT_MIN_COSINE:
        shared = a.polarity.keys() & b.polarity.keys()
        for verb in sorted(shared):
            if a.polarity[verb] != b.polarity[verb] and _jaccard(a.stems, b.stems) >= NEGATION_MIN_JACCARD:
                return f"negation: {verb}"
    return None


def _show(value: DateValue) -> str:
    return value.text


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


# --- outlet profile -----------------------------------------------------------------------------


def _originality(
    members: Sequence[AnalyzedArticle], units: list[_Unit], aligned: np.ndarray
) -> tuple[dict[str, float], dict[str, float]]:
    """Share of an article's words in sentences that state a fact no other source states.

    A fact is a name, a number or a date. Sentences are weighted by their length, because a
    padded rewrite is long: rewording another outlet's facts adds nothing, and neither does
    a generic sentence with no name, number or date ("The visit reflects a broader
    approach..."), so a padded rewrite scores low while first-hand reporting scores high.
    """
    facts = _sentence_facts(members, units)
    out: dict[str, float] = {}
    padding: dict[str, float] = {}
    for m in members:
        own = [k for k, u in enumerate(units) if u.article == m.article.id and u.is_claim]
        elsewhere = [facts[k] for k, u in enumerate(units) if u.group != units[own[0]].group] if own else []
        known = set().union(*elsewhere) if elsewhere else set()
        words = {k: len(units[k].text.split()) for k in own}
        total = sum(words.values()) or 1
        new = {k for k in own if _has_new_fact(facts[k], known)}
        told_elsewhere = {k for k in own if aligned[k].any()}
        out[m.article.id] = round(sum(words[k] for k in new) / total, 3) if own else 0.0
        padding[m.article.id] = round(sum(words[k] for k in own if k not in new | told_elsewhere) / total, 3)
    return out, padding


def _sentence_facts(members: Sequence[AnalyzedArticle], units: list[_Unit]) -> list[frozenset[str]]:
    """Names (dots dropped: "U.S." = "US"), numbers and resolved dates of each unit."""
    dates: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in members:
        for d in m.dates:
            if d.value:  # a relative date of an undated article has no value to share
                dates[(m.article.id, d.sentence)].add(f"date:{d.value}")
    return [
        frozenset(
            {n.replace(".", "") for n in u.names if n.lower() not in _NOT_A_FACT}
            | u.numbers
            | dates[(u.article, u.index)]
        )
        for u in units
    ]


def _has_new_fact(facts: frozenset[str], known: set[str]) -> bool:
    """Whether one of ``facts`` is not in ``known``, names compared across spellings."""
    known_dates = [k for k in known if k.startswith("date:")]
    for fact in facts - known:
        if fact.startswith("date:"):  # "March 2025" is known when another source gives a day in it
            if not any(k.startswith(fact) or fact.startswith(k) for k in known_dates):
                return True
            continue
        if NUMBER.fullmatch(fact):  # a year is the date's, compared above
            if not (_YEAR.fullmatch(fact) and any(k.startswith(f"date:{fact}") for k in known_dates)):
                return True
            continue
        if not share_a_name({fact}, {k for k in known if not k.startswith("date:")}):
            return True
    return False


_YEAR = re.compile(r"(?:19|20)\d\d")
# Capitalised words that are not names of anything (sentence openers after a colon, months).
_NOT_A_FACT = {
    "given",
    "coverage",
    "overall",
    "ultimately",
    "observers",
    "analysts",
    "experts",
    "officials",
    "bookmark",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}


def _flags(
    members: Sequence[AnalyzedArticle], originality: dict[str, float], padding: dict[str, float]
) -> dict[str, list[str]]:
    from newsweave.ingest.clean import find_stuffed_phrase

    several_sources = len(members) > 1
    flags: dict[str, list[str]] = {}
    for m in members:
        found: list[str] = []
        n_claims = sum(is_claim_sentence(s.text) for s in m.sentences)
        if (
            several_sources
            and n_claims >= MIN_SENTENCES_FOR_ORIGINALITY
            and _padded_rewrite(originality[m.article.id], padding[m.article.id])
        ):
            found.append("low_originality")
        if "keyword_stuffing" in m.article.flags or find_stuffed_phrase(
            m.article.text, language=m.article.language
        ):
            found.append("keyword_stuffing")
        flags[m.article.id] = found
    return flags


def _padded_rewrite(originality: float, padding: float) -> bool:
    """Adds little of its own and pads the rest, or adds next to nothing at all.

    Low originality alone is not enough: the wire story every other outlet repeats has few
    facts the others lack, yet every sentence of it is reporting.
    """
    return originality < NO_NEW_FACTS or (originality < LOW_ORIGINALITY and padding >= PADDED_SHARE)


# Labels that frame the same actor or act differently (after NewsWCL50's word-choice codes).
FRAMING_LEXICON: dict[str, tuple[str, ...]] = {
    "military action": (
        "special military operation",
        "special operation",
        "invasion",
        "war of aggression",
        "aggression",
        "incursion",
        "offensive",
        "war",
        "conflict",
        "liberation",
    ),
    "government": (
        "regime",
        "government",
        "administration",
        "authorities",
        "leadership",
        "junta",
        "dictatorship",
    ),
    "leader": ("dictator", "despot", "tyrant", "strongman", "autocrat", "leader", "president"),
    "armed group": (
        "terrorists",
        "militants",
        "insurgents",
        "rebels",
        "fighters",
        "freedom fighters",
        "separatists",
        "extremists",
        "jihadists",
    ),
    "migrants": (
        "illegal aliens",
        "illegals",
        "illegal immigrants",
        "undocumented immigrants",
        "migrants",
        "asylum seekers",
        "refugees",
        "invaders",
    ),
    "unrest": ("riots", "riot", "rioters", "protests", "protesters", "demonstrators", "unrest", "mob"),
    "agreement": ("deal", "agreement", "pact", "accord", "treaty"),
    "alliance": ("alliance", "partnership", "axis", "friendship", "cooperation"),
}


# The words of the lexicon that judge what they name ("regime", "rioters", "illegal aliens"). Two
# outlets differ in word choice when one labels with such a word and the other names the concept
# without it; neutral words alone differ by style or by referent. Read whole, the seed digest said
# the outlets chose "leader: president" against "leader, president" (Kim is a leader, Putin a
# president) and "alliance, partnership, cooperation" against "cooperation".
LOADED_TERMS = frozenset(
    {
        "special military operation",
        "special operation",
        "war of aggression",
        "aggression",
        "liberation",
        "incursion",
        "regime",
        "junta",
        "dictatorship",
        "dictator",
        "despot",
        "tyrant",
        "strongman",
        "autocrat",
        "terrorists",
        "freedom fighters",
        "extremists",
        "jihadists",
        "illegal aliens",
        "illegals",
        "illegal immigrants",
        "invaders",
        "riots",
        "riot",
        "rioters",
        "mob",
        "axis",
    }
)


def word_choice(members: Sequence[AnalyzedArticle]) -> list[WordChoice]:
    """Concepts that one article labels with a loaded word and another names without it."""
    out = []
    lowered = [(m.article.id, m.article.text.lower()) for m in members]
    for concept, variants in FRAMING_LEXICON.items():
        terms: dict[str, list[str]] = {}
        for article_id, text in lowered:
            used = _terms_used(text, variants)
            if used:
                terms[article_id] = used
        loaded = {t for used in terms.values() for t in used if t in LOADED_TERMS}
        if any(not loaded & set(used) for used in terms.values()) and loaded:
            out.append(WordChoice(concept=concept, terms=terms))
    return out


def _terms_used(lowered: str, variants: tuple[str, ...]) -> list[str]:
    """The variants a lowercased text uses, each as a whole word."""
    used: list[str] = []
    for v in variants:  # longest first in the lexicon, so "special operation" is not also "operation"
        # most variants are not in a text at all, which a substring test tells 20x faster than
        # the pattern (word choice was a fifth of a refill's Python at 100k)
        if v in lowered and _term(v).search(lowered) and not any(v in u for u in used):
            used.append(v)
    return used


@lru_cache(maxsize=1024)
def _term(variant: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(variant)}\b")
