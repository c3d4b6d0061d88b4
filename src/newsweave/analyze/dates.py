"""Temporal expressions: find them in a parsed article and resolve them to calendar values.

Public entry points:

* :func:`extract_dates` — every resolvable date of one article as :class:`DateRef` records;
* :func:`resolve_expression` — one expression (``"last year"``, ``"on Tuesday"``) against an anchor;
* :func:`story_anchor` / :func:`resolve_anchor` — the date that relative expressions of an
  article without a publication date resolve against, and where it came from.

Candidates come from spaCy's DATE/TIME entities and from our own patterns for what the small
model misses; the calendar arithmetic (weekdays, "last month", "the same day") is explicit code
here, not a library's guess, so that each rule is visible and tested.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsweave.analyze.nlp import text_of
from newsweave.model import AnalyzedArticle, DateRef, Precision

Tense = Literal["past", "future", "unknown"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                        "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# month and weekday alternations for the resolver (lower case) and the scanner (capitalised:
# "may" and "march" are ordinary words, "May" and "March" after a preposition are months)
_MONTH_RE = r"(?:january|february|march|april|may|june|july|august|september|october|november|december" \
            r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_CAP_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
             r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_CAP_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR_RE = r"(?:1[89]\d\d|2[01]\d\d)"

# words that may stand before or after an expression without changing its value
_LEADING_WORDS = re.compile(
    r"^(?:(?:on|in|at|since|by|until|till|through|from|during|before|after|as of|of|around|about|circa|"
    r"early|earlier|mid|late|later|the end of|the start of|the beginning of|the middle of|the first half of|"
    r"the second half of|the (?:first|second|third|fourth|final|last) quarter of|the summer of|the spring of|the autumn of|the fall of|the winter of|"
    r"summer|spring|autumn|fall|winter)[\s-]+)+")
_TRAILING_WORDS = re.compile(r"(?:[\s,]+(?:morning|afternoon|evening|night|noon|midday|overnight))+$")
_FUTURE_MODIFIERS = re.compile(r"^(?:next|coming|this coming|upcoming)\s")
_PAST_MODIFIERS = re.compile(r"^(?:last|past|this past|previous)\s")


@dataclass(frozen=True)
class Resolved:
    """A calendar value, its precision, and what it was computed from."""

    value: str
    precision: Precision
    anchor: str


@dataclass(frozen=True)
class PreviousDate:
    """The last date the text gave before an expression such as "the same day"."""

    value: str
    precision: Precision


# --- calendar helpers ---------------------------------------------------------------------------

def month_number(name: str) -> int | None:
    name = name.lower().rstrip(".")
    if name in MONTHS:
        return MONTHS.index(name) + 1
    return _MONTH_ABBREVIATIONS.get(name)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _weekday_on_or_before(anchor: date, weekday: int) -> date:
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def _weekday_on_or_after(anchor: date, weekday: int) -> date:
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)


def resolve_weekday(anchor: date, weekday: int, tense: Tense, modifier: str = "") -> date:
    """The calendar day a weekday name means, seen from ``anchor``.

    News convention: a bare weekday in a past-tense sentence is the most recent such day on or
    before the anchor; in a future-tense one the next on or after it; in present tense (e.g.
    "the visit extends until Wednesday") whichever is nearer, the past winning a tie.
    "last Tuesday" is strictly before the anchor and "next Tuesday" strictly after it.
    """
    if modifier in ("last", "past", "this past", "previous"):
        return anchor - timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)
    if modifier in ("next", "coming", "this coming", "upcoming"):
        return anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)
    before, after = _weekday_on_or_before(anchor, weekday), _weekday_on_or_after(anchor, weekday)
    if tense == "past":
        return before
    if tense == "future":
        return after
    return before if (anchor - before) <= (after - anchor) else after


def resolve_month_day(anchor: date, month: int, day: int, tense: Tense) -> date | None:
    """A day of the year written without a year: the occurrence nearest the anchor.

    The tense only overrides "nearest" when the nearest occurrence lies clearly on the wrong side
    (more than a week): "met on December 20" in an article of January 5 is last December, but
    "met on January 20" in an article of December 5 is this past January, not next month.
    """
    candidates = [d for y in range(anchor.year - 4, anchor.year + 5) if (d := _safe_date(y, month, day))]
    if not candidates:
        return None
    tolerance = timedelta(days=7)
    if tense == "past":
        candidates = [d for d in candidates if d <= anchor + tolerance] or candidates
    elif tense == "future":
        candidates = [d for d in candidates if d >= anchor - tolerance] or candidates
    # nearest; on a tie (Feb 29 four years either side) the past
    return min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))


def resolve_month(anchor: date, month: int, tense: Tense) -> tuple[int, int]:
    """A month named without a year: past tense → on or before the anchor's month, future → on or after,
    otherwise the nearer of the two (the past on a tie)."""
    back = anchor.year if month <= anchor.month else anchor.year - 1
    forward = anchor.year if month >= anchor.month else anchor.year + 1
    if tense == "past":
        return back, month
    if tense == "future":
        return forward, month
    distance_back = (anchor.year - back) * 12 + anchor.month - month
    distance_forward = (forward - anchor.year) * 12 + month - anchor.month
    return (back, month) if distance_back <= distance_forward else (forward, month)


def _week_value(monday: date) -> tuple[str, Precision]:
    """A calendar week as the smallest value that holds all of it (month, else year).

    DateRef has no week precision; a week across a year end keeps the year of its Thursday
    (the ISO rule for which year a week belongs to).
    """
    sunday = monday + timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return _month_value(monday.year, monday.month), "month"
    if monday.year == sunday.year:
        return f"{monday.year:04d}", "year"
    return f"{(monday + timedelta(days=3)).year:04d}", "year"


# --- the resolver ----------------------------------------------------------------------------------

def normalize_expression(text: str, strip_leading: bool = True, strip_trailing: bool = True) -> str:
    """Lower-case, single-spaced, without the prepositions and times of day that do not change the date."""
    text = re.sub(r"[\u2019']s\b", "", text)  # "Tuesday's talks" → "Tuesday talks"
    text = re.sub(r"\s+", " ", text.lower().replace("\u2013", "-").replace("\u2014", "-")).strip(" ,.;:()")
    if strip_leading:
        text = _LEADING_WORDS.sub("", text)
    if strip_trailing:
        text = _TRAILING_WORDS.sub("", text)
    text = re.sub(r"^the\s+(?=\d)", "", text)
    return text.strip(" ,.;:")


def resolve_expression(
    text: str,
    anchor: date | None,
    anchor_label: str = "published",
    tense: Tense = "unknown",
    previous: PreviousDate | None = None,
) -> Resolved | None:
    """Resolve one temporal expression; None for durations, ages, vague phrases and non-dates.

    ``previous`` is the last date given earlier in the same text, for "the same day", "that year".
    """
    if len(text) > 80:
        return None
    # the whole phrase first ("later in the year", "last night"), then without the words around it
    # that do not change the day ("on Tuesday morning")
    forms = dict.fromkeys(f for f in (normalize_expression(text, False, False), normalize_expression(text, False),
                                      normalize_expression(text)) if f)
    for norm in forms:
        for rule in (_absolute, _text_relative):
            try:
                found = rule(norm, previous)
            except (OverflowError, ValueError):  # a previous date at the calendar's edge
                found = None
            if found:
                return found
    if anchor is None:
        return None
    label = f"{anchor_label}:{anchor.isoformat()}"
    for norm in forms:
        for anchored in (_deictic, _weekday, _month_day_without_year, _month_without_year, _unit_relative, _ago):
            try:
                hit = anchored(norm, anchor, tense)
            except (OverflowError, ValueError):  # arithmetic past year 1 or 9999: no calendar value
                hit = None
            if hit:
                value, precision = hit
                return Resolved(value, precision, label)
    return None


_ISO = re.compile(rf"^({_YEAR_RE})-(\d\d)-(\d\d)$")
_MONTH_DAY_YEAR = re.compile(
    rf"^(?:{_WEEKDAY_RE},? )?(?P<month>{_MONTH_RE}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:-\d{{1,2}})?,? (?P<year>{_YEAR_RE})$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(?:{_WEEKDAY_RE},? )?(?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:-\d{{1,2}})? (?:of )?"
    rf"(?P<month>{_MONTH_RE}),? (?P<year>{_YEAR_RE})$")
_MONTH_YEAR = re.compile(rf"^(?P<month>{_MONTH_RE}),? (?:of )?(?P<year>{_YEAR_RE})$")
_YEAR_ONLY = re.compile(rf"^(?:the year )?(?P<year>{_YEAR_RE})$")


def _absolute(norm: str, _previous: PreviousDate | None) -> Resolved | None:
    """Expressions that carry their own year."""
    if m := _ISO.match(norm):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return Resolved(d.isoformat(), "day", "absolute") if d else None
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        if m := pattern.match(norm):
            month = month_number(m["month"])
            d = _safe_date(int(m["year"]), month, int(m["day"])) if month else None
            return Resolved(d.isoformat(), "day", "absolute") if d else None
    if (m := _MONTH_YEAR.match(norm)) and (month := month_number(m["month"])):
        return Resolved(_month_value(int(m["year"]), month), "month", "absolute")
    if m := _YEAR_ONLY.match(norm):
        return Resolved(m["year"], "year", "absolute")
    return None


_SAME_DAY = re.compile(r"^(?:(?:earlier|later) )?(?:on )?(?:the same|that same|that) day$")
_DAY_SHIFT = re.compile(r"^(?:on )?the (?P<which>following|next|previous|preceding) day$|"
                        r"^the day (?P<rel>before|after)$|^(?P<n>a|one|two|three) days? (?P<dir>later|earlier)$")
_SAME_YEAR = re.compile(r"^(?:(?:earlier|later) )?(?:in )?(?:the same|that same|that) year$")
_YEAR_SHIFT = re.compile(r"^(?:in )?the (?P<which>following|next|previous|preceding) year$|"
                         r"^(?P<n>a|one|two|three) years? (?P<dir>later|earlier)$")
_SAME_MONTH = re.compile(r"^(?:(?:earlier|later) )?(?:in )?(?:the same|that same|that) month$")
_MONTH_OF_SAME_YEAR = re.compile(rf"^(?P<month>{_MONTH_RE}) (?:of )?(?:the same|that same|that|the following"
                                 rf"|the next|the previous) year$")


def _text_relative(norm: str, previous: PreviousDate | None) -> Resolved | None:
    """Expressions that point at the date the text gave just before ("earlier the same day")."""
    if previous is None:
        return None
    label = f"text:{previous.value}"
    year = int(previous.value[:4])
    if previous.precision == "day":
        day = date.fromisoformat(previous.value)
        if _SAME_DAY.match(norm):
            return Resolved(day.isoformat(), "day", label)
        if m := _DAY_SHIFT.match(norm):
            forward = m["which"] in ("following", "next") or m["rel"] == "after" or m["dir"] == "later"
            n = _NUMBER_WORDS.get(m["n"] or "one", 1)
            return Resolved((day + timedelta(days=n if forward else -n)).isoformat(), "day", label)
    if previous.precision in ("day", "month") and _SAME_MONTH.match(norm):
        return Resolved(previous.value[:7], "month", label)
    if _SAME_YEAR.match(norm):
        return Resolved(f"{year:04d}", "year", label)
    if m := _YEAR_SHIFT.match(norm):
        forward = m["which"] in ("following", "next") or m["dir"] == "later"
        n = _NUMBER_WORDS.get(m["n"] or "one", 1)
        return Resolved(f"{year + (n if forward else -n):04d}", "year", label)
    if (m := _MONTH_OF_SAME_YEAR.match(norm)) and (month := month_number(m["month"])):
        shift = {"following": 1, "next": 1, "previous": -1}.get(norm.split()[-2], 0)
        return Resolved(_month_value(year + shift, month), "month", label)
    return None


_DEICTIC_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "now": None,
    "yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def _deictic(norm: str, anchor: date, _tense: Tense) -> tuple[str, Precision] | None:
    """today, yesterday, tomorrow, last night."""
    offset = _DEICTIC_DAYS.get(norm)
    if offset is None:
        return None
    return (anchor + timedelta(days=offset)).isoformat(), "day"


_WEEKDAY_EXPR = re.compile(rf"^(?:(?P<mod>last|next|this|past|this past|coming|this coming|previous|upcoming) )?"
                           rf"(?P<weekday>{_WEEKDAY_RE})$")


def _weekday(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    m = _WEEKDAY_EXPR.match(norm)
    if not m:
        return None
    modifier = m["mod"] or ""
    if modifier == "this":  # "this Tuesday": the tense decides the direction, like a bare weekday
        modifier = ""
    day = resolve_weekday(anchor, WEEKDAYS.index(m["weekday"]), tense, modifier)
    return day.isoformat(), "day"


_MONTH_DAY = re.compile(rf"^(?:{_WEEKDAY_RE},? )?(?:(?P<month1>{_MONTH_RE}) (?P<day1>\d{{1,2}})(?:st|nd|rd|th)?"
                        rf"|(?:the )?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month2>{_MONTH_RE}))"
                        rf"(?:-\d{{1,2}})?$")


def _month_day_without_year(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    m = _MONTH_DAY.match(norm)
    if not m:
        return None
    month = month_number(m["month1"] or m["month2"])
    if not month:
        return None
    day = resolve_month_day(anchor, month, int(m["day1"] or m["day2"]), tense)
    return (day.isoformat(), "day") if day else None


_MONTH_ALONE = re.compile(rf"^(?:(?P<mod>last|next|this|this past|this coming|coming|past) )?(?P<month>{_MONTH_RE})$")


def _month_without_year(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    m = _MONTH_ALONE.match(norm)
    if not m or not (month := month_number(m["month"])):
        return None
    modifier = m["mod"] or ""
    if modifier in ("last", "past", "this past"):
        tense = "past"
    elif modifier in ("next", "coming", "this coming"):
        tense = "future"
    year, month = resolve_month(anchor, month, tense)
    if modifier == "last" and (year, month) == (anchor.year, anchor.month):
        year -= 1  # "last January" said in January is a year ago
    if modifier == "next" and (year, month) == (anchor.year, anchor.month):
        year += 1
    return _month_value(year, month), "month"


_UNIT_RELATIVE = re.compile(
    r"^(?:(?:earlier|later) (?:in )?)?(?:the )?(?P<mod>last|this|next|past|previous|current|coming|same|following)"
    r" (?P<unit>week|month|year)$|^(?P<inthe>earlier|later) in the (?P<unit2>week|month|year)$")


def _unit_relative(norm: str, anchor: date, _tense: Tense) -> tuple[str, Precision] | None:
    """last week, this month, next year, later in the year."""
    m = _UNIT_RELATIVE.match(norm)
    if not m:
        return None
    if m["inthe"]:  # "later in the year": the anchor's own year/month/week
        modifier, unit = "this", m["unit2"]
    else:
        modifier, unit = m["mod"], m["unit"]
    if modifier == "same":  # "the same week" without a text date before it: not resolvable
        return None
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(modifier, 0)
    if unit == "year":
        return f"{anchor.year + step:04d}", "year"
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, step)
        return _month_value(year, month), "month"
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
    return _week_value(monday)


_AGO = re.compile(r"^(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
                  r"(?P<unit>day|week|month|year)s? (?:ago|earlier|before)$")


def _ago(norm: str, anchor: date, _tense: Tense) -> tuple[str, Precision] | None:
    """three days ago, a year ago; the precision follows the unit."""
    m = _AGO.match(norm)
    if not m:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
    unit = m["unit"]
    if unit in ("day", "week"):
        return (anchor - timedelta(days=n * (7 if unit == "week" else 1))).isoformat(), "day"
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, -n)
        return _month_value(year, month), "month"
    return f"{anchor.year - n:04d}", "year"


# --- finding expressions in a parsed document ---------------------------------------------------

# Patterns for what the small spaCy model leaves untagged; group "date" is the expression.
_SCAN_PATTERNS = [
    re.compile(rf"(?P<date>\b{_CAP_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? {_YEAR_RE})?)\b"),
    re.compile(rf"(?P<date>\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_CAP_MONTH}(?:,? {_YEAR_RE})?)(?!\w)"),
    re.compile(rf"(?P<date>\b{_CAP_MONTH},? (?:of )?{_YEAR_RE})\b"),
    re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Ff]rom|[Ee]arly|[Ll]ate|[Mm]id-?|[Ss]ince) "
               rf"(?P<date>{_YEAR_RE})\b"),
    re.compile(rf"\b(?P<date>{_YEAR_RE}-\d\d-\d\d)\b"),
    re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Ss]ince|[Ee]arly|[Ll]ate|[Mm]id-|[Ll]ast|[Nn]ext"
               rf"|[Tt]his) (?P<date>{_CAP_MONTH})(?![\w-])"),
    re.compile(rf"(?P<date>\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming|[Tt]his past|[Tt]his coming) )?{_CAP_WEEKDAY})\b"),
    re.compile(r"(?P<date>\b(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast night))\b"),
    re.compile(r"(?P<date>\b(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Tt]he same|[Tt]hat same|[Tt]hat) (?:day|month|year))\b"),
    re.compile(r"(?P<date>\b(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Ll]ast|[Tt]his|[Nn]ext) (?:week|month|year))\b"),
    re.compile(r"(?P<date>\b(?:[Ee]arlier|[Ll]ater) in the (?:week|month|year))\b"),
    re.compile(r"(?P<date>\b[Tt]he (?:following|next|previous) (?:day|year))\b"),
    re.compile(r"(?P<date>\b(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
               r"(?:day|week|month|year)s? ago)\b"),
]
# A weekday that is part of a name: "Super Tuesday", "Sunday Evening with Vladimir Solovyov", "Sunday Times".
_NAME_BEFORE_WEEKDAY = {"super", "bloody", "black", "cyber", "good", "easter", "palm", "ash", "holy", "giving",
                        "shrove", "boxing", "maundy"}
_NAME_AFTER_WEEKDAY = {"Evening", "Morning", "Night", "Afternoon", "Times", "Express", "Telegraph", "Mail",
                       "Post", "Mirror", "Herald", "Show", "Live", "Club", "Sport", "Star", "People", "Magazine",
                       "Edition", "Review", "Service", "Agreement", "Accords", "Riots", "Massacre"}
_BEFORE_BARE_MONTH = {"in", "since", "by", "until", "till", "during", "from", "of", "last", "next", "this",
                      "early", "late", "mid", "mid-", "through", "before", "after", "that", "coming", "past", "to"}
_NAMED_ENTITY_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "FAC", "PRODUCT", "LAW", "GPE"}
_FUTURE_WORDS = {"will", "shall", "'ll", "wo", "scheduled", "schedule", "expected", "expects", "expect",
                 "plans", "planned", "plan", "planning", "due", "set", "slated", "intends", "intend", "going",
                 "poised", "upcoming", "prepares", "preparing", "aims", "hopes", "until", "till", "next",
                 "coming"}
_PAST_WORDS = {"ago", "last", "earlier", "previously", "past"}


def tense_of(span: Span) -> Tense:
    """Whether the clause that holds a date speaks of the past or the future (or cannot tell).

    Walks from the expression up to its governing verb, then looks at the verb's tag, its
    auxiliaries and the verb that embeds it ("is scheduled to meet", "expects the talks on ...").
    """
    words = {t.lower_ for t in span}
    if words & {"next", "coming", "upcoming", "tomorrow"}:
        return "future"
    if words & {"last", "ago", "yesterday", "past"}:
        return "past"
    verb = _governing_verb(span.root)
    preposition = span.root.head.lower_ if span.root.dep_ == "pobj" else ""
    if verb is None:
        return "future" if preposition in ("until", "till") else "unknown"
    around = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    if verb.dep_ in ("xcomp", "ccomp") or verb.head.lower_ in _FUTURE_WORDS:
        around.append(verb.head)
        around.extend(c for c in verb.head.children if c.dep_ in ("aux", "auxpass"))
    lowered = {t.lower_ for t in around}
    if lowered & (_FUTURE_WORDS - {"until", "till", "next", "coming"}) or any(t.tag_ == "MD" for t in around):
        return "future"
    if any(t.tag_ in ("VBD", "VBN") for t in around) or lowered & {"has", "have", "had"}:
        return "past"
    if preposition in ("until", "till"):
        return "future"
    return "unknown"


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` in the dependency tree (at most six steps), or None."""
    current = token
    for _ in range(6):
        if current.pos_ in ("VERB", "AUX") and current is not token:
            return current
        if current.head is current:
            return current if current.pos_ in ("VERB", "AUX") else None
        current = current.head
    return None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    from_model: bool


def _model_candidates(doc: Doc) -> Iterable[_Candidate]:
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            yield _Candidate(ent.start_char, ent.end_char, True)


def _pattern_candidates(doc: Doc) -> Iterable[_Candidate]:
    for pattern in _SCAN_PATTERNS:
        for m in pattern.finditer(text_of(doc)):
            yield _Candidate(m.start("date"), m.end("date"), False)


def _is_part_of_a_name(doc: Doc, candidate: _Candidate) -> bool:
    """A weekday or month inside a name ("Sunday Evening" the TV show, "April Ryan", "Super Tuesday")."""
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return True
    for ent in doc.ents:
        if ent.label_ in _NAMED_ENTITY_LABELS and ent.start < span.end and span.start < ent.end:
            return True
    last, first = span[-1], span[0]
    before = doc[first.i - 1] if first.i > 0 else None
    if len(span) == 1 and month_number(first.text) and first.text.lower() not in ("sept", "sep"):
        # a bare month name is a date only after a word that introduces one ("in July", "last March"):
        # "March organizers said", "May" the modal verb
        return before is None or before.lower_ not in _BEFORE_BARE_MONTH
    if last.lower_ in WEEKDAYS:
        after = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if after is not None and after.text in _NAME_AFTER_WEEKDAY:
            return True
        if before is not None and before.lower_ in _NAME_BEFORE_WEEKDAY:
            return True
    return False


def _overlapping_groups(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    groups: list[list[_Candidate]] = []
    group_end = -1
    for c in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if groups and c.start < group_end:
            groups[-1].append(c)
            group_end = max(group_end, c.end)
        else:
            groups.append([c])
            group_end = c.end
    return groups


def extract_dates(
    doc: Doc, article_id: str, anchor: date | None, anchor_label: str = "published"
) -> list[DateRef]:
    """Every temporal expression of ``doc`` that resolves to a calendar value, in text order.

    ``anchor`` (normally the publication date) resolves relative expressions; without it only
    expressions that carry their own year, and those chained to them ("in October of the same
    year"), are returned. Durations, ages and vague phrases ("three-day", "two years",
    "the months ahead") are left out.
    """
    sentence_starts = [s.start_char for s in doc.sents]
    candidates = [c for c in [*_model_candidates(doc), *_pattern_candidates(doc)]
                  if not _is_part_of_a_name(doc, c)]
    found: list[DateRef] = []
    previous: PreviousDate | None = None
    for group in _overlapping_groups(candidates):
        # the longest reading that resolves wins ("earlier the same day" over "the same day");
        # on equal length the model's span
        for candidate in sorted(group, key=lambda c: (-(c.end - c.start), not c.from_model)):
            ref = _resolve_candidate(doc, candidate, article_id, anchor, anchor_label, previous, sentence_starts)
            if ref is not None:
                found.append(ref)
                previous = PreviousDate(ref.value, ref.precision)
                break
    return found


def _resolve_candidate(
    doc: Doc,
    candidate: _Candidate,
    article_id: str,
    anchor: date | None,
    anchor_label: str,
    previous: PreviousDate | None,
    sentence_starts: list[int],
) -> DateRef | None:
    text = text_of(doc)[candidate.start:candidate.end]
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    tense = tense_of(span) if span is not None and len(span) else "unknown"
    resolved = resolve_expression(text, anchor, anchor_label, tense, previous)
    if resolved is None:
        return None
    sentence = max(0, bisect.bisect_right(sentence_starts, candidate.start) - 1)
    return DateRef(article_id, sentence, candidate.start, candidate.end, text, resolved.value,
                   resolved.precision, resolved.anchor)


# --- anchors for articles without a publication date ---------------------------------------------

_YEARLESS_MONTH_DAY = re.compile(
    rf"\b(?:(?P<month1>{_CAP_MONTH}) (?P<day1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)? "
    rf"(?:of )?(?P<month2>{_CAP_MONTH}))(?!,? ?\d)(?![\w-])")


def _published(analyzed: AnalyzedArticle) -> date | None:
    try:
        return date.fromisoformat(analyzed.article.published) if analyzed.article.published else None
    except ValueError:
        return None


def _full_absolute_dates(analyzed: AnalyzedArticle) -> list[date]:
    return [date.fromisoformat(d.value) for d in analyzed.dates if d.anchor == "absolute" and d.precision == "day"]


def _period_end(value: str, precision: Precision) -> date:
    """The last day of a year, month or day value."""
    year = int(value[:4])
    if precision == "year":
        return date(year, 12, 31)
    if precision == "month":
        next_year, next_month = _shift_month(year, int(value[5:7]), 1)
        return date(next_year, next_month, 1) - timedelta(days=1)
    return date.fromisoformat(value)


def _latest_dated_reference(members: Sequence[AnalyzedArticle]) -> date | None:
    """The end of the latest period the story names with an explicit year ("September 2023" → 2023-09-30),
    including values chained to one ("in October of the same year")."""
    ends = [_period_end(d.value, d.precision) for m in members for d in m.dates
            if d.anchor == "absolute" or d.anchor.startswith("text:")]
    return max(ends) if ends else None


def _yearless_days_after(members: Sequence[AnalyzedArticle], floor: date) -> list[date]:
    """Days written without a year ("January 16"), each placed at its first occurrence after ``floor``."""
    days: list[date] = []
    for m in members:
        text = m.article.text
        for match in _YEARLESS_MONTH_DAY.finditer(text):
            month = month_number(match["month1"] or match["month2"])
            day = int(match["day1"] or match["day2"])
            if not month:
                continue
            for year in range(floor.year, floor.year + 5):  # Feb 29 may need a few years
                d = _safe_date(year, month, day)
                if d and d > floor:
                    days.append(d)
                    break
    return days


def story_anchor(analyzed_of_story: Sequence[AnalyzedArticle]) -> tuple[date, str] | None:
    """The best date for the relative expressions of the story's undated articles, labelled "story".

    In order of trust:

    1. the median publication date of the articles that have one;
    2. the latest full date written with its year in any article ("16 January 2024") — news is
       written after the things it reports, so the latest such date is the closest bound;
    3. a day written without a year ("January 16"), placed in the first year after the latest
       period the story names with its year ("September 2023", "October of the same year"):
       a report of a meeting "on January 16" that recalls September 2023 as past is from 2024;
    4. None: relative dates then stay unresolved rather than guessed.
    """
    published = sorted(d for m in analyzed_of_story if (d := _published(m)))
    if published:
        return published[(len(published) - 1) // 2], "story"
    full = [d for m in analyzed_of_story for d in _full_absolute_dates(m)]
    if full:
        return max(full), "story"
    floor = _latest_dated_reference(analyzed_of_story)
    if floor is None:
        return None
    days = _yearless_days_after(analyzed_of_story, floor)
    if not days:
        return None
    # the day most articles name; on a tie the latest
    counts = Counter(days)
    return max(counts, key=lambda d: (counts[d], d)), "story"


def resolve_anchor(
    analyzed: AnalyzedArticle, siblings: Sequence[AnalyzedArticle] = ()
) -> tuple[date, str] | None:
    """The anchor for one article: its publication date ("published"), else the latest full date its
    own text gives ("text"), else the story's anchor from it and its siblings ("story")."""
    if (published := _published(analyzed)) is not None:
        return published, "published"
    own = _full_absolute_dates(analyzed)
    if own:
        return max(own), "text"
    others = [s for s in siblings if s.article.id != analyzed.article.id]
    return story_anchor([analyzed, *others])

