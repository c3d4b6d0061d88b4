"""A story's timeline: dated statements, merged across outlets when they report the same dated fact.

Public entry point: :func:`build_timeline`. It reads only what analysis stored per article
(sentences, resolved dates, mentions, optional sentence vectors), so it runs on any story
loaded from the store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsweave.analyze.dates import period_start
from newsweave.analyze.nlp import reads
from newsweave.judge import SupportJudge, covers_values, states
from newsweave.model import AnalyzedArticle, DateRef, Evidence, TimelineEntry
from newsweave.vocab import MONTHS, STOPWORDS, WEEKDAYS

MAX_ENTRIES = 15  # a timeline longer than this stops being a summary
# finer first; a relative date ("Sunday" in an undated article) names no calendar value at all
_PRECISION_RANK = {
    "day": 7,
    "week": 6,
    "month": 5,
    "quarter": 4,
    "season": 4,
    "year": 3,
    "decade": 2,
    "relative": 0,
}
# same-fact thresholds: share of the smaller sentence's content words, and sentence-vector cosine
_MIN_SHARED_WORDS = 2
_MIN_WORD_OVERLAP = 0.3
_MIN_SHARED_ENTITIES = 2
_MIN_COSINE = 0.75

# words that say when rather than what; two statements of one date share them by construction
_DATE_WORDS = {
    *WEEKDAYS,
    *MONTHS,
    "day",
    "week",
    "month",
    "year",
    "today",
    "yesterday",
    "tomorrow",
    "earlier",
    "later",
    "last",
    "next",
    "same",
}
_BOILERPLATE = re.compile(
    r"^\W*(?:published|updated|last updated|first published|posted|date|dated|"
    r"created|modified)\b",
    re.I,
)
# a sentence its source cut short ("Trump's attack on January 3, 2020, killed the Islamic..."): what
# it says is unknown, so it is no statement (review of the AllSides store: feed excerpts end so)
_CUT_SHORT = re.compile(r"(?:\.\.\.|\u2026)[\s\"'\u201d\u2019)\]]*$")
# "since September" names when a stretch began that runs up to the report, not when the sentence's
# event happened ("A judge ordered Texas to suspend the law, banning abortions since September")
# ... and so does any date later in a clause that "since" opens: "since the week of March 14, 2020"
# and "Biden's debut address since taking office in January comes as ..." (the AllSides store dated
# a jobless-claims report 2020-03-14 and Biden's U.N. speech 2021-01 by them)
_STRETCH_START = re.compile(r"\bsince\b[^,;:.!?()\u2014]*$", re.I)
# a part of the day on its own ("will handle more goods at night", "overnight") names no day: the
# AllSides store's port story had a timeline entry "night" for it
_PART_OF_DAY_ALONE = re.compile(
    r"(?:(?:the|at|all|one|that|every|each) )?(?:morning|afternoon|evening|night|overnight)s?", re.I
)
# a year that gives a measure's baseline ("from 2005 levels", "in 2019 dollars") says what figures
# are compared with, not when the sentence's event happened: the AllSides store dated Biden's
# promise to halve emissions "from 2005 levels by 2030" to 2005
_BASELINE_AFTER = re.compile(r"^\s+(?:levels?|baselines?|dollars|prices)\b", re.I)
# a date between a determiner and the noun it names is part of a name ("the Jan. 6 committee", "the
# 2020 election", "its Oct. 26 meeting"), not when the sentence's event happened: the AllSides
# store dated Biden's waiver of privilege 2021-01-06 and, resolved forward, 2022-01-06 by it
# ("The House Jan. 6 Select Committee announced on Wednesday" was dated Jan. 6: a name before it too)
_DETERMINER_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur)\s+$")
# after a name only a calendar date is part of it ("the House Jan. 6 Select Committee"): "House
# Democrats this week becomes law" is dated by its week
_NAME_BEFORE = re.compile(
    r"\b(?!(?:In|On|At|By|Since|Until|From|After|Before|During|Through|Of|For|And|But|As)\b)[A-Z][a-z]+\s+$"
)
_YEAR_ONLY = re.compile(r"\d{4}")
_CAPITALISED_AFTER = re.compile(r"^\s+[A-Z]")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|on|at|by|since|until|from|after|before|during|through|of|for|to|between|and|or|than)\s+$", re.I
)
_NOUN_AFTER = re.compile(
    r"^\s+(?!(?:and|or|to|at|in|on|of|for|when|as|after|before|by|through|until|the|a|an|this|that|it|he|"
    r"she|they|we|is|was|were|will|has|had|said)\b)[A-Za-z]"
)
# "MOSCOW, Jan 16 (Reuters) -" in front of a lead sentence
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(?:,[^()\n]{0,30})?\([A-Za-z .]+\)\s*[-\u2013\u2014]+\s*")


@dataclass
class _Statement:
    """One sentence with the date it is about."""

    article_id: str
    sentence: int
    value: str
    precision: str
    anchor: str
    expression: str  # the date as written ("Sunday")
    text: str  # as shown (one line, no dateline, cut when very long)
    sentence_text: str  # the whole sentence, as the judge reads it
    words: frozenset[str]
    entities: frozenset[str]
    vector: list[float] | None
    read: bool = True  # written in a language the judge reads (:func:`newsweave.analyze.nlp.reads`)


@dataclass
class _Group:
    statements: list[_Statement] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(s.article_id for s in self.statements))


def build_timeline(
    analyzed_of_story: Sequence[AnalyzedArticle], judge: SupportJudge | None = None
) -> list[TimelineEntry]:
    """Dated statements of a story, one entry per dated fact with every article that states it.

    Statements are grouped by date and wording; an entry then cites an article only when the
    support judge (``judge``; none: each entry cites only the article it shows) says that
    article's statement entails the one shown, and carries each article's sentence as evidence.

    Entries with a calendar value come first, by the start of the period they name (then the finer
    first); a relative date of an undated article ("Sunday") is kept as written, after them, in
    story order: nothing in its own article says which Sunday.
    """
    groups: list[_Group] = []
    for statement in (s for m in analyzed_of_story for s in _statements_of(m)):
        _add_to_matching_group(groups, statement)
    kept = sorted(groups, key=_importance)[:MAX_ENTRIES]
    kept.sort(key=lambda g: (*_calendar_order(g.statements[0]), _first_position(g, analyzed_of_story)))
    return [_entry(g, judge) for g in kept]


def _calendar_order(statement: _Statement) -> tuple[bool, str, int]:
    start = period_start(statement.value, statement.precision) if statement.value else None
    return start is None, start.isoformat() if start else "", -_PRECISION_RANK.get(statement.precision, 0)


def _entry(group: _Group, judge: SupportJudge | None) -> TimelineEntry:
    shown = _representative(group)
    head = group.statements[0]
    cited = [shown, *_stating(shown, group, judge)]
    anchors = list(dict.fromkeys(s.anchor for s in cited))
    return TimelineEntry(
        date=head.value or shown.expression,
        text=shown.text,
        articles=[s.article_id for s in cited],
        precision=head.precision,
        anchor="; ".join(anchors),
        evidence=[Evidence(s.article_id, s.sentence, s.sentence_text) for s in cited],
    )


def _stating(shown: _Statement, group: _Group, judge: SupportJudge | None) -> list[_Statement]:
    """One statement per other article of ``group`` that the judge says entails ``shown``."""
    others: dict[str, _Statement] = {}
    for s in group.statements:
        if s.article_id != shown.article_id and s.read:
            others.setdefault(s.article_id, s)
    # the date is shared by construction ("on March 4" and "on Monday" resolved to one day): the
    # other values the shown statement gives must be in each cited one; a statement without them
    # cannot state it (:func:`newsweave.judge.states`), so it is not judged
    claim = _without_date(shown)
    candidates = [s for s in others.values() if covers_values(claim, _without_date(s))]
    if judge is None or not candidates or not shown.read:
        return []
    verdicts = judge.judge([(shown.sentence_text, s.sentence_text) for s in candidates])
    return [s for s, v in zip(candidates, verdicts, strict=True) if states(claim, _without_date(s), v)]


def _without_date(statement: _Statement) -> str:
    return statement.sentence_text.replace(statement.expression, " ")


def timeline_window(
    entries: Sequence[TimelineEntry], own_dates: Sequence[str], size: int
) -> tuple[list[TimelineEntry], bool, bool]:
    """At most ``size`` entries around the story's own dates, and whether entries were cut before and after.

    The story's own dates are its articles' publication dates; for undated articles the date most
    articles report. The window keeps the calendar entries nearest the middle of those, then fills
    with relative ones ("Sunday", undated) when room is left.
    """
    dated = [e for e in entries if e.precision != "relative"]
    relative = [e for e in entries if e.precision == "relative"]
    if len(dated) > size:
        centre = _centre(dated, own_dates)
        first = min(max(0, centre - size // 2), len(dated) - size)
        shown, before, after = dated[first : first + size], first > 0, first + size < len(dated)
    else:
        shown, before, after = list(dated), False, False
    room = size - len(shown)
    if relative:
        after = after or len(relative) > room
        shown += relative[:room]
    return shown, before, after


def _centre(dated: Sequence[TimelineEntry], own_dates: Sequence[str]) -> int:
    """Index of the entry nearest the story's own date (the median publication date, else the
    day most articles report)."""
    own = sorted(d for d in own_dates if d)
    if own:
        target = own[(len(own) - 1) // 2][:10]
        return min(range(len(dated)), key=lambda i: (abs(_days(dated[i]) - _days_of(target)), i))
    return max(
        range(len(dated)),
        key=lambda i: (len(dated[i].articles), _PRECISION_RANK.get(dated[i].precision, 0), i),
    )


def _days(entry: TimelineEntry) -> int:
    start = period_start(entry.date, entry.precision)
    return start.toordinal() if start else 0


def _days_of(value: str) -> int:
    start = period_start(value, "day")
    return start.toordinal() if start else 0


# --- statements ------------------------------------------------------------------------------------


def _statements_of(analyzed: AnalyzedArticle) -> list[_Statement]:
    by_sentence: dict[int, list[DateRef]] = {}
    for ref in analyzed.dates:
        by_sentence.setdefault(ref.sentence, []).append(ref)
    vectors = analyzed.sentence_vectors
    out = []
    read = reads(analyzed.article.language)
    for position, sentence in enumerate(analyzed.sentences):
        refs = [
            r for r in by_sentence.get(sentence.index, []) if _dates_its_sentence(analyzed.article.text, r)
        ]
        if not refs or _is_boilerplate(sentence.text, refs, analyzed.article.published):
            continue
        if _CUT_SHORT.search(sentence.text):
            continue
        ref = _main_date(refs)
        vector = vectors[position] if vectors is not None and position < len(vectors) else None
        out.append(
            _Statement(
                article_id=analyzed.article.id,
                sentence=sentence.index,
                value=ref.value,
                precision=ref.precision,
                anchor=ref.anchor,
                expression=ref.text,
                text=trim_sentence(sentence.text),
                sentence_text=sentence.text,
                words=content_words(sentence.text),
                entities=_entities_in(analyzed, sentence.index),
                vector=vector,
                read=read,
            )
        )
    return out


def _dates_its_sentence(text: str, ref: DateRef) -> bool:
    """Whether the date can say when its sentence's event happened: not a part of the day alone
    ("at night"), not the start of a stretch ("since September") or inside a clause "since" opens
    ("since taking office in January"), not part of a name, between a determiner or a name and a
    noun ("the Jan. 6 riot"), and not a measure's baseline ("from 2005 levels")."""
    if ref.precision == "relative" and _PART_OF_DAY_ALONE.fullmatch(ref.text):
        return False
    if text[ref.start : ref.end] != ref.text:
        return True  # offsets that do not point at the date: nothing around it to read
    before = text[max(0, ref.start - 60) : ref.start]
    after = text[ref.end : ref.end + 30]
    named_before = _DETERMINER_BEFORE.search(before) or (
        _NAME_BEFORE.search(before) and any(c.isdigit() for c in ref.text)
    )
    in_a_name = (named_before and _NOUN_AFTER.match(after)) or _model_year(ref.text, before, after)
    return not (_STRETCH_START.search(before) or in_a_name or _BASELINE_AFTER.match(after))


def _model_year(date_text: str, before: str, after: str) -> bool:
    """A bare year written straight before a name, not after a preposition, is the name's: "the
    production model 2020 LC 500 Convertible" is shown in 2019 (an auto-show report was dated 2020)."""
    return bool(
        _YEAR_ONLY.fullmatch(date_text)
        and _CAPITALISED_AFTER.match(after)
        and not _PREPOSITION_BEFORE.search(before)
    )


def _main_date(refs: list[DateRef]) -> DateRef:
    """The date a sentence is about: the most precise one, the first on a tie ("told journalists on Monday
    that she arrived last year" is a Monday statement)."""
    return min(refs, key=lambda r: (-_PRECISION_RANK.get(r.precision, 0), r.start))


def _is_boilerplate(text: str, refs: list[DateRef], published: str | None) -> bool:
    """A publication line ("Published: 16 January 2024") or a sentence that is little more than a date."""
    if _BOILERPLATE.match(text):
        return True
    rest = text
    for ref in refs:
        rest = rest.replace(ref.text, " ")
    if len(re.findall(r"[A-Za-z]{2,}", rest)) < 3:
        return True
    return published is not None and all(r.value == published for r in refs) and len(text.split()) < 8


def trim_sentence(text: str) -> str:
    """The sentence as shown: one line, no dateline, and whole: a cut sentence may drop what
    qualifies the fact ("..., officials said, but denied it later")."""
    return _DATELINE.sub("", re.sub(r"\s+", " ", text).strip())


def content_words(text: str) -> frozenset[str]:
    """Lower-case content words, crudely stemmed so "arrived" meets "arrives"; date words left out."""
    words = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if len(word) < 3 or word in STOPWORDS or word in _DATE_WORDS:
            continue
        words.add(_stem(word))
    return frozenset(words)


def _stem(word: str) -> str:
    """The first six letters: a crude but well-tried stemmer that also meets "Russia"/"Russian",
    "minister"/"ministry", "expected"/"expects"."""
    return word[:6]


def _entities_in(analyzed: AnalyzedArticle, sentence: int) -> frozenset[str]:
    """Named things of a sentence: the resolved entity when known, else the surname-like last word."""
    keys = set()
    for mention in analyzed.mentions:
        if mention.sentence != sentence:
            continue
        if mention.entity_id:
            keys.add(mention.entity_id)
        elif mention.text.split():
            keys.add(mention.text.split()[-1].lower())
    return frozenset(keys)


# --- merging -----------------------------------------------------------------------------------------


def _add_to_matching_group(groups: list[_Group], statement: _Statement) -> None:
    """Join the group of the same date whose statements say the same thing, else start one.

    A group holds one statement per article: two sentences of one article with one date are two
    facts ("told journalists on Monday", "arrived on Monday"), not one fact told twice.
    """
    best, best_score = None, 0.0
    for group in groups:
        head = group.statements[0]
        if (head.value, head.precision) != (statement.value, statement.precision):
            continue
        if statement.precision == "relative":
            continue  # two undated articles' "Sunday" need not be the same day
        if statement.article_id in group.articles:
            continue
        score = max(_similarity(statement, other) for other in group.statements)
        if score > best_score:
            best, best_score = group, score
    if best is not None:
        best.statements.append(statement)
    else:
        groups.append(_Group([statement]))


def _similarity(a: _Statement, b: _Statement) -> float:
    """How surely two statements of one date report the same fact; 0 when they do not."""
    if a.vector is not None and b.vector is not None:
        cosine = _cosine(a.vector, b.vector)
        if cosine >= _MIN_COSINE:
            return cosine
    shared = len(a.words & b.words)
    overlap = shared / min(len(a.words), len(b.words)) if shared else 0.0
    if shared >= _MIN_SHARED_WORDS and overlap >= _MIN_WORD_OVERLAP:
        return overlap
    # the same two resolved entities on the same date ("Choe Son Hui" and "Choi Song Hee" meeting
    # Lavrov on January 16) are one fact even when the outlets' words differ
    if len(a.entities & b.entities) >= _MIN_SHARED_ENTITIES and shared >= 1:
        return max(overlap, _MIN_WORD_OVERLAP)
    return 0.0


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _representative(group: _Group) -> _Statement:
    """The statement closest to all the others (the shortest on a tie)."""
    if len(group.statements) == 1:
        return group.statements[0]
    return max(
        group.statements,
        key=lambda s: (sum(_similarity(s, o) for o in group.statements if o is not s), -len(s.text)),
    )


def _importance(group: _Group) -> tuple[int, int, int]:
    """Sort key, most important first: reported by more articles, more precise, earlier in its article."""
    head = group.statements[0]
    return (
        -len(group.articles),
        -_PRECISION_RANK.get(head.precision, 0),
        min(s.sentence for s in group.statements),
    )


def _first_position(group: _Group, analyzed_of_story: Sequence[AnalyzedArticle]) -> tuple[int, int]:
    order = {m.article.id: i for i, m in enumerate(analyzed_of_story)}
    return min((order.get(s.article_id, 0), s.sentence) for s in group.statements)
