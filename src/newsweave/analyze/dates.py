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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeGuard, get_args

from spacy.tokens import Doc, Span, Token

from newsweave.analyze.nlp import text_of
from newsweave.model import DateRef, Precision
from newsweave.vocab import MONTHS, TENS_SPELLED, UNITS_SPELLED, WEEKDAYS

Tense = Literal["past", "future", "unknown"]
# the precisions of a value that is a stretch of the calendar, and the three that are not dates
CalendarPrecision = Literal["day", "week", "month", "quarter", "season", "year", "decade"]
ValuePrecision = Precision | Literal["reference", "duration", "set"]

_MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

# month and weekday alternations for the resolver (lower case) and the scanner (capitalised:
# "may" and "march" are ordinary words, "May" and "March" after a preposition are months)
# a time of day as news writes it before a day: "noon", "5 p.m. EST", "mid-afternoon"
_CLOCK_TEXT = r"(?:noon|midnight|mid-?afternoon|\d{1,2}(?::\d\d)? ?[ap]\.m\.(?: E[SD]T| local time)?)"
_MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_CAP_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_CAP_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR_RE = r"(?:1[89]\d\d|2[01]\d\d)"

# words that may stand before or after an expression without changing its value
_LEADING_WORDS = re.compile(
    r"^(?:(?:at least|as early as|as late as|no later than|(?:a good |a large |the better )?part of|much of|most of|"
    r"on|in|at|since|by|until|till|through|from|during|before|after|as of|of|around|about|circa|"
    r"early|earlier|mid|late|later|the end of|the start of|the beginning of|the middle of|the first half of|"
    r"the second half of|the (?:first|second|third|fourth|final|last) quarter of|"
    r"the summer of|the spring of|the autumn of|the fall of|the winter of|"
    r"summer|spring|autumn|fall|winter)[\s-]+)+"
)
_TRAILING_WORDS = re.compile(
    r"(?:[\s,]+(?:morning|afternoon|evening|night|noon|midday|overnight|and beyond|or later|or earlier|or so))+$"
)
_FUTURE_MODIFIERS = re.compile(r"^(?:next|coming|this coming|upcoming)\s")
_PAST_MODIFIERS = re.compile(r"^(?:last|past|this past|previous)\s")


@dataclass(frozen=True)
class Resolved:
    """A calendar value, its precision, and what it was computed from."""

    value: str
    precision: ValuePrecision
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
    before the anchor; in a future-tense one the next on or after it; in a clause whose tense the
    parse cannot tell ("on track to prevent a shutdown on Thursday") whichever is nearer, the past
    winning a tie.
    "last Tuesday" is strictly before the anchor and "next Tuesday" strictly after it.
    """
    if modifier in ("last", "past", "this past", "previous"):
        return anchor - timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)
    if modifier in ("next", "coming", "this coming", "upcoming"):
        return anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)
    before, after = _weekday_on_or_before(anchor, weekday), _weekday_on_or_after(anchor, weekday)
    if tense == "future":
        return after
    if tense == "unknown" and (after - anchor) < (anchor - before):
        # "appears on track to prevent a shutdown on Thursday at midnight" on a Wednesday is the next
        # day, not six days back (AllSides 5659, 5662)
        return after
    return before


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


def _week_value(day: date) -> str:
    """The ISO week holding ``day`` (TimeML writes "last week" as 1998-W07)."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


# --- the resolver ----------------------------------------------------------------------------------


_ORDINAL_WORDS = {
    w: i + 1
    for i, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
         "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
         "eighteenth", "nineteenth", "twentieth")
    )
}  # fmt: skip
_SPELLED_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_RE}) (?P<day>(?:twenty|thirty)[ -](?:first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth)|thirtieth|" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)) + r")\b"
)


def _spelled_ordinal(words: str) -> int:
    """ "eighth" → 8, "twenty-first" → 21, "thirtieth" → 30 (only the forms ``_SPELLED_DAY`` takes)."""
    if words == "thirtieth":
        return 30
    tens, _, unit = words.replace("-", " ").rpartition(" ")
    return (TENS_SPELLED[tens] if tens else 0) + _ORDINAL_WORDS[unit]


def normalize_expression(text: str, strip_leading: bool = True, strip_trailing: bool = True) -> str:
    """Lower-case, single-spaced, without the prepositions and times of day that do not change the date."""
    text = re.sub(r"[\u2019']s\b", "", text)  # "Tuesday's talks" → "Tuesday talks"
    text = re.sub(r"\s+", " ", text.lower().replace("\u2013", "-").replace("\u2014", "-")).strip(" ,.;:()")
    if strip_leading:
        text = _LEADING_WORDS.sub("", text)
    if strip_trailing:
        text = _TRAILING_WORDS.sub("", text)
    text = re.sub(r"^the\s+(?=\d)", "", text)
    # "March eighth", "July twenty-first" (broadcast transcripts): the day in digits
    text = _SPELLED_DAY.sub(lambda m: f"{m['month']} {_spelled_ordinal(m['day'])}", text)
    # "weeks or months", "recent weeks and months": one vague stretch, valued by its first unit
    text = re.sub(r"\b((?:day|week|month|year)s) (?:or|and) (?:day|week|month|year)s$", r"\1", text)
    return text.strip(" ,.;:")


def resolve_expression(
    text: str,
    anchor: date | None,
    anchor_label: str = "published",
    tense: Tense = "unknown",
    previous: PreviousDate | None = None,
) -> Resolved | None:
    """Resolve one temporal expression to a TimeML-style value; None for durations, ages and non-dates.

    Vague references are kept as such ("now" → PRESENT_REF, "recently" → PAST_REF, "soon" →
    FUTURE_REF, precision "reference"), never turned into a day. ``previous`` is the last date given
    earlier in the same text, for "the same day", "that year", "a year earlier" (after a quarter).
    """
    if len(text) > 80:
        return None
    # the whole phrase first ("later in the year", "last night"), then without the words around it
    # that do not change the day ("on Tuesday morning")
    forms = dict.fromkeys(
        f
        for f in (
            normalize_expression(text, False, False),
            normalize_expression(text, False),
            normalize_expression(text),
        )
        if f
    )
    for norm in forms:
        for rule in (_reference, _absolute, _text_relative):
            try:
                found = rule(norm, previous)
            except (OverflowError, ValueError):  # a previous date at the calendar's edge
                found = None
            if found:
                return found
    if anchor is None:
        return None
    label = f"{anchor_label}:{anchor.isoformat()}"
    if tense == "unknown" and re.match(r"^(?:until|till|through) ", normalize_expression(text, False, False)):
        tense = "future"  # "until Wednesday": the stay runs on to it
    for norm in forms:
        for anchored in (
            _deictic,
            _weekday,
            _weekend,
            _month_day_without_year,
            _month_without_year,
            _year_named_relative,
            _unit_relative,
            _quarter,
            _season,
            _ago,
        ):
            try:
                hit = anchored(norm, anchor, tense)
            except (OverflowError, ValueError):  # arithmetic past year 1 or 9999: no calendar value
                hit = None
            if hit:
                value, precision = hit
                return Resolved(value, precision, label)
    return None


# Vague references to the present, past and future: TimeML keeps them as such.
_REFERENCES = {
    "PRESENT_REF": {
        "now",
        "right now",
        "just now",
        "currently",
        "current",
        "presently",
        "at present",
        "present",
        "these days",
        "nowadays",
        "today's",
        "at the moment",
        "at this time",
        "this time",
        "the moment",
        "the present",
        "this moment",
        # "they already hold 15%", "doesn't own any yet": rarely tagged (TimeBank 2 of 32, 1 of 16), so
        # never scanned for, but PRESENT_REF where an annotator or the model marks them
        "already",
        "yet",
    },
    "PAST_REF": {
        "recently",
        "recent",
        "lately",
        "the past",
        "in the past",
        "previously",
        "formerly",
        "earlier",
        "once",
        "then",
        "the time",
        "at the time",
        "years ago",
        "months ago",
        "decades ago",
        "several years ago",
        "some years ago",
        "recent years",
        "recent months",
        "recent weeks",
        "recent days",
        "past years",
        "more recently",
        "most recently",
        "not long ago",
        "the other day",
        "some time ago",
        "a while ago",
        "long ago",
        # "the then current market price"
        "then current",
        "then-current",
    },
    "FUTURE_REF": {
        "soon",
        "the future",
        "in the future",
        "future",
        "the near future",
        "the near term",
        "the short term",
        "the long term",
        "the coming years",
        "later",
        "one day",
        "someday",
        "shortly",
        "a later date",
        "eventually",
        "coming years",
        "coming months",
        "the months ahead",
        "the years ahead",
        "the weeks ahead",
        "the days ahead",
        "as soon as possible",
    },
}
_REFERENCE_OF = {phrase: value for value, phrases in _REFERENCES.items() for phrase in phrases}
# "recent years", "the last few months", "coming quarters": a stretch of the past or future with no count
_VAGUE_PERIOD = re.compile(
    r"^(?:the |in )?(?:(?P<past>recent|past|last few|past few|past several|last several|"
    r"previous|prior|earlier)|(?P<future>coming|future|next few|coming few|upcoming|"
    r"next several)) (?:days|weeks|months|quarters|years|decades)$"
)


# "at this crucial moment", "at this critical juncture": the present, whatever the adjective
_THIS_MOMENT = re.compile(r"^(?:at )?this (?:[a-z]+ )?(?:moment|juncture|point in time)$")


def _reference(norm: str, _previous: PreviousDate | None) -> Resolved | None:
    value = _REFERENCE_OF.get(norm) or ("PRESENT_REF" if _THIS_MOMENT.match(norm) else None)
    if value is None and (m := _VAGUE_PERIOD.match(norm)):
        value = "PAST_REF" if m["past"] else "FUTURE_REF"
    return Resolved(value, "reference", "absolute") if value else None


_ISO = re.compile(rf"^({_YEAR_RE})-(\d\d)-(\d\d)$")
_MONTH_DAY_YEAR = re.compile(
    rf"^(?:{_WEEKDAY_RE},? )?(?P<month>{_MONTH_RE}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:-\d{{1,2}})?,? (?P<year>{_YEAR_RE})$"
)
_DAY_MONTH_YEAR = re.compile(
    rf"^(?:{_WEEKDAY_RE},? )?(?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:-\d{{1,2}})? (?:of )?"
    rf"(?P<month>{_MONTH_RE}),? (?P<year>{_YEAR_RE})$"
)
_MONTH_YEAR = re.compile(rf"^(?P<month>{_MONTH_RE}),? (?:of )?(?P<year>{_YEAR_RE})$")
_YEAR_ONLY = re.compile(rf"^(?:the year )?(?P<year>{_YEAR_RE})$")


_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_RE = r"(?:spring|summer|fall|autumn|winter)"
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "final": 4,
    "last": 4,
}
_ORDINAL_RE = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last)"
_SEASON_OF_YEAR = re.compile(
    rf"^(?:(?:early|late|mid|the) )?(?:the )?(?P<season>{_SEASON_RE}) (?:of )?(?P<year>{_YEAR_RE})$"
    rf"|^(?P<year2>{_YEAR_RE}) (?P<season2>{_SEASON_RE})$"
)
_QUARTER_OF_YEAR = re.compile(
    rf"^(?:the )?(?:(?:fiscal|calendar) )?(?P<ord>{_ORDINAL_RE})[ -](?:fiscal )?quarter"
    rf"(?: of)?,? (?:fiscal )?(?P<year>{_YEAR_RE})$"
    rf"|^(?:the )?(?:fiscal )?(?P<year2>{_YEAR_RE})(?:'s)? (?:fiscal )?(?P<ord2>{_ORDINAL_RE})[ -]quarter$"
)
_HALF_OF_YEAR = re.compile(
    rf"^(?:the )?(?P<ord>first|second|last) (?:half|two quarters) (?:of )?(?P<year>{_YEAR_RE})$"
)
# "the 1990s", "the '90s", "the nineties": TimeML writes a decade as its first three digits (199)
_DECADE = re.compile(
    r"^(?:(?:early|late|mid) )?(?:the )?(?:(?:early|late|mid)[ -]|(?:first|last|second) half of the )?"
    r"(?:(?P<century>1[89]|20)(?P<tens>\d)0'?s|'(?P<short>\d)0s|(?P<word>twenties|thirties|forties|fifties"
    r"|sixties|seventies|eighties|nineties))$"
)
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


_FISCAL_OR_PERIOD_YEAR = re.compile(
    rf"^(?:(?:the )?fiscal (?:year )?(?P<year>{_YEAR_RE})|(?:the )?(?P<y2>{_YEAR_RE}) (?:period|quarter))$"
)
_CENTURY = re.compile(r"^(?:the )?(?P<n>\d\d)(?:st|nd|rd|th) century$")
_SPELLED_YEAR = re.compile(
    r"^(?:the year )?(?:(?P<century>nineteen|twenty) (?P<rest>[a-z -]+)|two thousand"
    r"(?: and)?(?: (?P<small>[a-z -]+))?)$"
)


def _spelled_number(words: str) -> int | None:
    """1..99 written out ("ninety-six", "seventy nine", "five"), else None."""
    parts = re.split(r"[ -]", words.strip())
    if len(parts) == 1:
        return TENS_SPELLED.get(parts[0], UNITS_SPELLED.get(parts[0]))
    if (
        len(parts) == 2
        and parts[0] in TENS_SPELLED
        and TENS_SPELLED[parts[0]] >= 20
        and parts[1] in UNITS_SPELLED
    ):
        return TENS_SPELLED[parts[0]] + UNITS_SPELLED[parts[1]]
    return None


def spelled_year(norm: str) -> int | None:
    """A year as broadcast transcripts write it: "nineteen ninety-six", "the year two thousand"."""
    m = _SPELLED_YEAR.match(norm)
    if not m:
        return None
    if m["century"]:
        rest = _spelled_number(m["rest"])
        return (
            (19 if m["century"] == "nineteen" else 20) * 100 + rest
            if rest is not None and rest >= 10
            else None
        )
    if m["small"] is None:
        return 2000
    small = _spelled_number(m["small"])
    return 2000 + small if small is not None else None


# "the 1988 period" after "the third quarter" is that quarter of 1988 (TimeBank: 3 of 4 are quarters)
_YEAR_PERIOD = re.compile(rf"^(?:the )?(?P<year>{_YEAR_RE}) (?:period|quarter)$")


_SPELLED_YEAR_TAIL = re.compile(
    r"^(?P<head>.+?)(?:,? (?:of )?)(?P<tail>(?:nineteen|twenty|two thousand)\b.*)$"
)


def _absolute(norm: str, previous: PreviousDate | None) -> Resolved | None:
    """Expressions that carry their own year (or their own decade)."""
    # "January nineteen ninety-seven", "the winter of nineteen ninety-four": the year in digits
    if (m := _SPELLED_YEAR_TAIL.match(norm)) and (year := spelled_year(m["tail"])) is not None:
        return _absolute(f"{m['head']} {year}", previous)
    if (m := _YEAR_PERIOD.match(norm)) and previous is not None and previous.precision == "quarter":
        return Resolved(f"{m['year']}{previous.value[4:]}", "quarter", f"text:{previous.value}")
    return _own_year(norm)


def _own_year(norm: str) -> Resolved | None:
    if m := _SEASON_OF_YEAR.match(norm):
        return Resolved(
            f"{m['year'] or m['year2']}-{_SEASONS[m['season'] or m['season2']]}", "season", "absolute"
        )
    if m := _QUARTER_OF_YEAR.match(norm):
        return Resolved(
            f"{m['year'] or m['year2']}-Q{_ORDINALS[m['ord'] or m['ord2']]}", "quarter", "absolute"
        )
    if m := _FISCAL_OR_PERIOD_YEAR.match(norm):
        return Resolved(m["year"] or m["y2"], "year", "absolute")
    if m := _CENTURY.match(norm):
        return Resolved(f"{int(m['n']) - 1:02d}", "decade", "absolute") if 10 <= int(m["n"]) <= 21 else None
    if (year := spelled_year(norm)) is not None:
        return Resolved(f"{year:04d}", "year", "absolute")
    if m := _HALF_OF_YEAR.match(norm):
        return Resolved(f"{m['year']}-H{1 if m['ord'] == 'first' else 2}", "year", "absolute")
    if m := _DECADE.match(norm):
        if m["century"]:
            return Resolved(f"{m['century']}{m['tens']}", "decade", "absolute")
        # a decade named without its century ("the '80s") is of the twentieth century for tens from
        # three up; "the '20s" could be the 1920s or the 2020s, so those stay unresolved
        tens = int(m["short"]) if m["short"] else _DECADE_WORDS[m["word"]]
        return Resolved(f"19{tens}", "decade", "absolute") if tens >= 3 else None
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


_SAME_DAY = re.compile(
    r"^(?:(?:earlier|later) )?(?:on )?(?:the same|that same|that) day$|^(?:(?:earlier|later) in )?the day$"
)
_DAY_SHIFT = re.compile(
    r"^(?:on )?the (?P<which>following|next|previous|preceding) day$|"
    r"^the day (?P<rel>before|after)$|^(?P<n>a|one|two|three) days? (?P<dir>later|earlier)$"
)
_SAME_YEAR = re.compile(r"^(?:(?:earlier|later) )?(?:in )?(?:the same|that same|that) year$")
_YEAR_SHIFT = re.compile(
    r"^(?:in )?the (?P<which>following|next|previous|preceding) year$|"
    r"^(?P<n>a|one|two|three) years? (?P<dir>later|earlier)$"
)
# "the following month" counts from the month the text gave before (TimeBank wsj_0781: April after March)
_MONTH_SHIFT = re.compile(r"^(?:in )?the (?P<which>following|next|previous|preceding) month$")
_SAME_MONTH = re.compile(r"^(?:(?:earlier|later) )?(?:in )?(?:the same|that same|that) month$")
_MONTH_OF_SAME_YEAR = re.compile(
    rf"^(?P<month>{_MONTH_RE}) (?:of )?(?:the same|that same|that|the following"
    rf"|the next|the previous) year$"
)


_WEEKDAY_AROUND = re.compile(
    rf"^the (?P<which>previous|preceding|following|next) (?P<weekday>{_WEEKDAY_RE})$"
)
_YEAR_EARLIER_PERIOD = re.compile(
    r"^(?:a|one) year (?:ago|earlier|before)$|^(?:the |a )?year-(?:earlier|ago)"
    r"(?: (?:quarter|period|three months))?$|^(?:the )?(?:same|comparable|corresponding)"
    r" (?:quarter|period|three months) (?:a year (?:ago|earlier)|last year|of last year)$"
    r"|^the (?:quarter|period) (?:a year (?:ago|earlier)|last year)$"
)
_SAME_PERIOD = re.compile(
    r"^(?:the |that )?(?:latest |most recent |same |recent )?(?:quarter|period|three months)$"
)


def _years_from(previous: PreviousDate, n: int, label: str) -> Resolved:
    """The day ``n`` years from a day the text gave (Feb. 29 becomes Feb. 28)."""
    year = int(previous.value[:4]) + n
    day = date.fromisoformat(previous.value[:10])
    shifted = _safe_date(year, day.month, day.day) or date(year, day.month, day.day - 1)
    return Resolved(shifted.isoformat(), "day", label)


def _text_relative(norm: str, previous: PreviousDate | None) -> Resolved | None:
    """Expressions that point at the date the text gave just before ("earlier the same day")."""
    if previous is None or not previous.value[:4].isdigit() or len(previous.value) < 4:
        return None
    label = f"text:{previous.value}"
    year = int(previous.value[:4])
    if previous.precision == "quarter":
        # financial news: "earned $5 million in the third quarter, against $3 million a year earlier"
        if _YEAR_EARLIER_PERIOD.match(norm):
            return Resolved(f"{year - 1:04d}{previous.value[4:]}", "quarter", label)
        if _SAME_PERIOD.match(norm):
            return Resolved(previous.value, "quarter", label)
    if previous.precision == "day":
        day = date.fromisoformat(previous.value)
        if _SAME_DAY.match(norm):
            return Resolved(day.isoformat(), "day", label)
        if m := _DAY_SHIFT.match(norm):
            forward = m["which"] in ("following", "next") or m["rel"] == "after" or m["dir"] == "later"
            n = _NUMBER_WORDS.get(m["n"] or "one", 1)
            return Resolved((day + timedelta(days=n if forward else -n)).isoformat(), "day", label)
    if previous.precision == "day" and (m := _WEEKDAY_AROUND.match(norm)):
        # "down 4.5% from the previous Friday" after Friday's close: the Friday before that day
        modifier = "previous" if m["which"] in ("previous", "preceding") else "next"
        weekday = resolve_weekday(
            date.fromisoformat(previous.value), WEEKDAYS.index(m["weekday"]), "unknown", modifier
        )
        return Resolved(weekday.isoformat(), "day", label)
    if previous.precision in ("day", "month") and _SAME_MONTH.match(norm):
        return Resolved(previous.value[:7], "month", label)
    if previous.precision in ("day", "month") and (m := _MONTH_SHIFT.match(norm)):
        step = 1 if m["which"] in ("following", "next") else -1
        return Resolved(_month_value(*_shift_month(year, int(previous.value[5:7]), step)), "month", label)
    if _SAME_YEAR.match(norm):
        return Resolved(f"{year:04d}", "year", label)
    if m := _YEAR_SHIFT.match(norm):
        forward = m["which"] in ("following", "next") or m["dir"] == "later"
        n = _NUMBER_WORDS.get(m["n"] or "one", 1) * (1 if forward else -1)
        if m["dir"] and previous.precision == "day":
            # "for the 52 weeks ended Aug. 12 ... a year earlier" is Aug. 12 a year before (TimeBank
            # wsj_1006; after a month the year alone, 1 of 1); a quarter's closing day leaves the
            # quarter the reference (_next_previous)
            return _years_from(previous, n, label)
        return Resolved(f"{year + n:04d}", "year", label)
    if (m := _MONTH_OF_SAME_YEAR.match(norm)) and (month := month_number(m["month"])):
        shift = {"following": 1, "next": 1, "previous": -1}.get(norm.split()[-2], 0)
        return Resolved(_month_value(year + shift, month), "month", label)
    return None


_DEICTIC_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
    # with no date before it in the text, the report's own day
    "later in the day": 0,
    "earlier in the day": 0,
}


def _deictic(norm: str, anchor: date, _tense: Tense) -> tuple[str, Precision] | None:
    """today, yesterday, tomorrow, last night."""
    offset = _DEICTIC_DAYS.get(norm)
    if offset is None:
        return None
    return (anchor + timedelta(days=offset)).isoformat(), "day"


_WEEKDAY_EXPR = re.compile(
    rf"^(?:(?P<mod>last|next|this|past|this past|coming|this coming|previous|upcoming) )?"
    rf"(?P<weekday>{_WEEKDAY_RE})$"
)


def _weekday(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    m = _WEEKDAY_EXPR.match(norm)
    if not m:
        return None
    modifier = m["mod"] or ""
    if modifier == "this":  # "this Tuesday": the tense decides the direction, like a bare weekday
        modifier = ""
    day = resolve_weekday(anchor, WEEKDAYS.index(m["weekday"]), tense, modifier)
    return day.isoformat(), "day"


_MONTH_DAY = re.compile(
    rf"^(?:(?:this coming |next |this |coming |last |this past )?{_WEEKDAY_RE},? )?"
    rf"(?:(?P<month1>{_MONTH_RE}) (?P<day1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?:the )?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month2>{_MONTH_RE}))"
    rf"(?:-\d{{1,2}})?$"
)


def _month_day_without_year(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    m = _MONTH_DAY.match(norm)
    if not m:
        return None
    month = month_number(m["month1"] or m["month2"])
    if not month:
        return None
    day = resolve_month_day(anchor, month, int(m["day1"] or m["day2"]), tense)
    return (day.isoformat(), "day") if day else None


_MONTH_ALONE = re.compile(
    rf"^(?:(?P<mod>last|next|this|this past|this coming|coming|past) )?(?P<month>{_MONTH_RE})$"
)


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
    r" (?P<unit>week|month|year)$|^(?P<inthe>earlier|later) in the (?P<unit2>week|month|year)$"
)


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
    return _week_value(anchor + timedelta(weeks=step)), "week"


_MONTH_OF_RELATIVE_YEAR = re.compile(rf"^(?P<month>{_MONTH_RE}) (?:of )?(?P<mod>this|last|next) year$")
# "year-end", "the end of the year": TimeML writes the year (the end is its mod); TimeBank 6 of 7 tagged
_ANCHOR_YEAR = re.compile(
    r"^the (?:(?:full|current|present|fiscal|calendar|whole|entire) )+year$|^the year$"
    r"|^(?:the )?(?:year[- ]end|year end|the end of the year)$"
)


def _year_named_relative(norm: str, anchor: date, _tense: Tense) -> tuple[str, Precision] | None:
    """ "June last year", "January this year"; "the current fiscal year", "the full year" (the anchor's);
    "the last decade" (the one before the anchor's: 198 in 1998)."""
    if re.match(r"^(?:the )?(?:last|previous) decade$", norm):
        return f"{anchor.year // 10 - 1:03d}", "decade"
    if (m := _MONTH_OF_RELATIVE_YEAR.match(norm)) and (month := month_number(m["month"])):
        step = {"this": 0, "last": -1, "next": 1}[m["mod"]]
        return _month_value(anchor.year + step, month), "month"
    if _ANCHOR_YEAR.match(norm):
        return f"{anchor.year:04d}", "year"
    return None


_WEEKEND = re.compile(r"^(?:the |this |last |next |this past |this coming |past |coming )?weekend$")


def _weekend(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    """ "the weekend": the one before the report in a past-tense clause, the next one in a future one."""
    if not _WEEKEND.match(norm):
        return None
    if norm.startswith(("last", "this past", "past")):
        tense = "past"
    elif norm.startswith(("next", "this coming", "coming")):
        tense = "future"
    saturday = resolve_weekday(anchor, 5, tense if tense != "unknown" else "past")
    return _week_value(saturday) + "-WE", "week"


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


# "this year's third quarter" (normalised without "'s"), "the year-ago third quarter", "its fourth
# quarter", "the fiscal-first quarter": TimeBank's financial reports (15 gold quarters unresolved)
_QUARTER = re.compile(
    r"^(?:(?P<rel>this|last|next) year |(?:the |its |their )?(?:(?:comparable|corresponding) )?"
    r"(?P<ago>year-ago|year-earlier) |the |its |their |a )?(?:(?P<mod>latest|last|past|previous|current|this"
    rf"|next|coming|most recent|recent) )?(?:(?:fiscal|calendar)[ -])?(?:(?P<ord>{_ORDINAL_RE})[ -])?"
    r"(?:fiscal[ -])?(?P<unit>quarter|period)$|^the (?P<latest>latest|most recent) (?:period|three months)$"
)


_COMPARED_QUARTER = re.compile(
    r"^(?:the )?(?:same |comparable |corresponding )?(?:quarter|period) (?:a year (?:ago|earlier)|last year)$"
)


_ADJECTIVE_BEFORE_ORDINAL = re.compile(
    rf"^(a|the|its|their) (?!fiscal\b|calendar\b)[a-z]+ (?={_ORDINAL_RE}[ -](?:fiscal[ -])?quarter$)"
)


def _quarter(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    """ "the third quarter" (the latest third quarter begun by the anchor, the next one in a future
    clause), "the latest quarter" (the last one finished), "next quarter"."""
    # "the corresponding period last year", "the quarter a year ago" with no reported quarter before
    norm = _COMPARED_QUARTER.sub("the year-ago quarter", norm)
    # "a flat second quarter", "the disappointing third quarter": the adjective does not move it
    norm = _ADJECTIVE_BEFORE_ORDINAL.sub(r"\1 ", norm)
    m = _QUARTER.match(norm)
    if not m or (norm.startswith("a ") and not m["ord"]):  # "a quarter" is a length or a share
        return None
    if m["unit"] == "period" and not (m["ago"] or m["rel"] or m["mod"] in ("latest", "most recent")):
        # "the period" alone names no quarter
        return None
    year, current = anchor.year, _quarter_of(anchor)
    shift = -1 if m["rel"] == "last" or m["ago"] else 1 if m["rel"] == "next" else 0
    if m["ord"]:
        quarter = _ORDINALS[m["ord"]]
        if m["rel"] or m["ago"]:
            year += shift
        elif tense != "future" and quarter > current:
            year -= 1  # a quarter not yet begun, spoken of in the past: last year's
        return f"{year:04d}-Q{quarter}", "quarter"
    step = {"next": 1, "coming": 1, "current": 0, "this": 0}.get(m["mod"] or "", -1)
    index = year * 4 + current - 1 + step + 4 * shift
    return f"{index // 4:04d}-Q{index % 4 + 1}", "quarter"


_SEASON = re.compile(
    rf"^(?:the )?(?:(?P<mod>last|this|next|past|this past|coming|this coming|early|late|mid) )?"
    rf"(?P<season>{_SEASON_RE})$"
)
# the months of each season, Northern Hemisphere; winter is counted in the year it begins (December)
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _season(norm: str, anchor: date, tense: Tense) -> tuple[str, Precision] | None:
    """ "last fall" (the latest fall over before the anchor), "this summer", "next spring"."""
    m = _SEASON.match(norm)
    if not m:
        return None
    code = _SEASONS[m["season"]]
    first, last = _SEASON_MONTHS[code]
    month = anchor.month if not (code == "WI" and anchor.month <= 2) else anchor.month + 12
    year = anchor.year if not (code == "WI" and anchor.month <= 2) else anchor.year - 1
    modifier = m["mod"] or ""
    if modifier == "last":
        # the previous year's: "last spring" in October is a year and a half back, "this past spring"
        # the one just over (TimeBank: 1988-SP and 1989-SP in October 1989; the "last fall")
        return f"{year - 1:04d}-{code}", "season"
    if modifier in ("past", "this past"):
        # over before the anchor's month
        return f"{year if last < month else year - 1:04d}-{code}", "season"
    if modifier in ("next", "coming", "this coming"):
        return f"{year if first > month else year + 1:04d}-{code}", "season"
    if tense == "past" and first > month:
        year -= 1
    elif tense == "future" and last < month:
        year += 1
    return f"{year:04d}-{code}", "season"


_HEDGES = (
    r"(?:(?:almost|nearly|about|around|some|roughly|more than|less than|fewer than|over|under|just over"
    r"|just under|only|just|barely|approximately|at least|at most|no more than|no less than|up to|well over"
    r") )?"
)
_AGO = re.compile(
    rf"^{_HEDGES}(?P<n>\d{{1,3}}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    rf" (?P<unit>day|week|month|year|decade)s?(?: or so)? (?:ago|earlier|before)$"
)


def _ago(norm: str, anchor: date, _tense: Tense) -> tuple[str, Precision] | None:
    """three days ago, a year ago, a decade ago, "year-earlier results"; the precision follows the unit."""
    if re.match(r"^(?:the )?year-(?:ago|earlier)$", norm):
        return f"{anchor.year - 1:04d}", "year"
    m = _AGO.match(norm)
    if not m:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
    unit = m["unit"]
    if unit == "day":
        return (anchor - timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return _week_value(anchor - timedelta(weeks=n)), "week"
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, -n)
        return _month_value(year, month), "month"
    if unit == "decade":
        return f"{(anchor.year - 10 * n) // 10:03d}", "decade"
    return f"{anchor.year - n:04d}", "year"


# --- finding expressions in a parsed document ---------------------------------------------------

# a day as a time of day hangs on it ("Thursday", "Nov. 9", "yesterday")
_DAY_TEXT = rf"(?:{_CAP_WEEKDAY}|{_CAP_MONTH} \d{{1,2}}|[Yy]esterday|[Tt]oday)"
# Patterns for what the small spaCy model leaves untagged; group "date" is the expression.
_SCAN_PATTERNS = [
    re.compile(rf"(?P<date>\b{_CAP_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? {_YEAR_RE})?)\b"),
    re.compile(rf"(?P<date>\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_CAP_MONTH}(?:,? {_YEAR_RE})?)(?!\w)"),
    re.compile(rf"(?P<date>\b{_CAP_MONTH},? (?:of )?{_YEAR_RE})\b"),
    re.compile(
        rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Ff]rom|[Ee]arly|[Ll]ate|[Mm]id-?) "
        rf"(?P<date>{_YEAR_RE})\b"
    ),
    re.compile(rf"\b(?P<date>{_YEAR_RE}-\d\d-\d\d)\b"),
    re.compile(
        rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-|[Ll]ast|[Nn]ext"
        rf"|[Tt]his) (?P<date>{_CAP_MONTH})(?![\w-])"
    ),
    re.compile(
        rf"(?P<date>\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming|[Tt]his past|[Tt]his coming) )?{_CAP_WEEKDAY})\b"
    ),
    re.compile(r"(?P<date>\b(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast night))\b"),
    # two vague stretches joined, one expression ("within weeks or months", "in recent weeks and months")
    re.compile(r"(?P<date>\b(?:[Rr]ecent )?(?:day|week|month|year)s (?:or|and) (?:day|week|month|year)s)\b"),
    # a period compared with a year before ("the corresponding period last year", "the quarter a year ago")
    re.compile(
        r"(?P<date>\b[Tt]he (?:same |comparable |corresponding )?(?:quarter|period) (?:a year (?:ago|earlier)"
        r"|last year))\b"
    ),
    # a recurring day or month ("each Thursday", "every July": TimeML sets XXXX-WXX-4, XXXX-07)
    re.compile(rf"(?P<date>\b(?:[Ee]ach|[Ee]very) (?:{_CAP_WEEKDAY}|{_CAP_MONTH}))\b"),
    # a day with its time or part of day, one TIMEX3 ("noon Thursday", "Thursday evening", "5 p.m.
    # EST Nov. 9", "mid-afternoon yesterday"), where the model tags the day alone (TimeBank: 8 TIMEs)
    re.compile(
        rf"(?P<date>\b(?:{_CLOCK_TEXT},? )?{_DAY_TEXT}"
        r" (?:morning|afternoon|evening|night))\b"
    ),
    re.compile(rf"(?P<date>\b{_CLOCK_TEXT},? {_DAY_TEXT})\b"),
    re.compile(
        r"(?P<date>\b(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Tt]he same|[Tt]hat same|[Tt]hat) (?:day|month|year))\b"
    ),
    re.compile(r"(?P<date>\b(?:(?:[Ee]arlier|[Ll]ater) )?(?:[Ll]ast|[Tt]his|[Nn]ext) (?:week|month|year))\b"),
    re.compile(r"(?P<date>\b(?:[Ee]arlier|[Ll]ater) in the (?:week|month|year))\b"),
    re.compile(r"(?P<date>\b[Tt]he (?:following|next|previous) (?:day|year))\b"),
    re.compile(
        r"(?P<date>\b(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
        r"(?:day|week|month|year)s? ago)\b"
    ),
    # references the small model leaves untagged; on TimeBank these words are a TIMEX3 in at least
    # 60% of their uses ("now" 45 of 60, "recently" 12 of 17, "currently" 10 of 16, "the future" 4
    # of 7), while "current", "recent", "soon", "already" and "the past" are under 40% and left out
    re.compile(r"(?P<date>\b(?:[Nn]ow|[Rr]ecently|[Cc]urrently|[Tt]he future))\b(?![-'])"),
    # "in the past" with no length after it (4 of 4), "the near future", "the short term" (3 of 3)
    re.compile(
        r"(?P<date>\b[Tt]he past)\b(?! (?:\d|few|several|couple|\w+ (?:days|weeks|months|quarters|years"
        r"|decades|summers|winters|springs|falls|autumns)|(?:day|week|month|quarter|year|decade|century)s?)\b)"
    ),
    re.compile(r"(?P<date>\b[Tt]he (?:near|short|long) (?:future|term))\b"),
    # a numbered quarter, also as an adjective ("third-quarter results": 94 of 95)
    re.compile(
        r"(?P<date>\b(?:(?:[Tt]his|[Ll]ast|[Nn]ext) year's )?(?:[Ff]iscal[ -])?(?:[Ff]irst|[Ss]econd|[Tt]hird"
        r"|[Ff]ourth)[- ]quarter)\b"
    ),
    # ... and with an article and an adjective before it ("after a flat second quarter")
    re.compile(r"(?P<date>\b[Aa] [a-z]+ (?:first|second|third|fourth) quarter)\b(?!-)"),
    # hedged lengths the model leaves untagged ("over a week", "at least 20 more years": 24 of 25;
    # "more than a quarter of" is a share, so quarters are left out)
    re.compile(
        r"(?P<date>\b(?:[Oo]ver|[Nn]early|[Aa]lmost|[Mm]ore than|[Aa]t least|[Ll]ess than|[Uu]p to|[Ww]ithin) "
        r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|\d+|several|a few)"
        r"(?: more)? (?:second|minute|hour|day|week|month|year|decade)s?(?: ago)?)\b"
    ),
    # financial reports: "the quarter" (17 of 22), "the latest period" (5 of 5)
    re.compile(
        r"(?P<date>\b[Tt]he (?:latest |most recent |year-ago |year-earlier |(?:19|20)\d\d )?(?:quarter|period)"
        r"|\b[Tt]hat quarter|\b[Tt]he latest three months)\b(?!-)"
    ),
]
# A weekday that is part of a name: "Super Tuesday", "Sunday Evening with Vladimir Solovyov", "Sunday Times".
_NAME_BEFORE_WEEKDAY = {
    "super",
    "bloody",
    "black",
    "cyber",
    "good",
    "easter",
    "palm",
    "ash",
    "holy",
    "giving",
    "shrove",
    "boxing",
    "maundy",
}
_NAME_AFTER_WEEKDAY = {
    "Evening",
    "Morning",
    "Night",
    "Afternoon",
    "Times",
    "Express",
    "Telegraph",
    "Mail",
    "Post",
    "Mirror",
    "Herald",
    "Show",
    "Live",
    "Club",
    "Sport",
    "Star",
    "People",
    "Magazine",
    "Edition",
    "Review",
    "Service",
    "Agreement",
    "Accords",
    "Riots",
    "Massacre",
}
_BEFORE_BARE_MONTH = {
    "in",
    "since",
    "by",
    "until",
    "till",
    "during",
    "from",
    "of",
    "last",
    "next",
    "this",
    "early",
    "late",
    "mid",
    "mid-",
    "through",
    "before",
    "after",
    "that",
    "coming",
    "past",
    "to",
    # "figures for January", "a June agreement" (TimeBank 4 of 4)
    "for",
    "a",
    "an",
}
_NAMED_ENTITY_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "FAC", "PRODUCT", "LAW", "GPE"}
# verbs and auxiliaries that put the event after the report ("is scheduled to meet", "plans to vote")
_FUTURE_VERBS = {
    "will",
    "shall",
    "'ll",
    "wo",
    "scheduled",
    "schedule",
    "expected",
    "expects",
    "expect",
    "plans",
    "planned",
    "plan",
    "planning",
    "due",
    "set",
    "slated",
    "intends",
    "intend",
    "going",
    "poised",
    "prepares",
    "preparing",
    "aims",
    "hopes",
}
# of those, words that point ahead only with an infinitive after them ("set to resume Monday") or when
# the date is what they set ("set Nov. 10 as the deadline", "set for Monday"), not when a preposition
# says when they happened ("a record high set on Aug. 6": TimeBank NYT19980206, put a year ahead)
_FUTURE_ONLY_BEFORE_TO = {"set", "going"}
_SETS_THE_DATE = {"for", "as"}
_WILL = {"will", "shall", "'ll", "wo"}
# words in front of an expression that place it whatever the clause says: "since January" began
# before the report; "before midnight Thursday", "until Friday", "ahead of Tuesday's vote" lie ahead
# unless the clause is in the past; "following"/"after the March vote" lie behind unless it is future
_SINCE = {"since"}
_AHEAD_CUES = {"before", "until", "till", "ahead"}
_BEHIND_CUES = {"following", "after"}
# a deadline a past-tense verb moved ("extended the offer to Nov. 20", "extended loans through
# January") may lie on either side of the report, unlike what "lasted until Jan. 5": the nearest
# reading (TimeBank: 3 such dates put a year back); so may one it gave ("gave Merieux until
# mid-November to submit", TimeBank wsj_0533)
_DEADLINE_CUES = {"to", "through", "until", "till"}
_DEADLINE_VERBS = (
    "extend", "postpon", "delay", "defer", "push", "reschedul", "adjourn", "move", "moving", "gave", "give",
)  # fmt: skip
# a date that names when a noun's event happened ("Tuesday's hearing", "the Jan. 6 attack", "the
# decision Thursday" parsed as subject): the clause's "could"/"would" speak of the noun's effects
_NOMINAL_DEPS = {"nsubj", "nsubjpass", "poss", "compound", "nmod"}


def tense_of(span: Span) -> Tense:
    """Whether the clause that holds a date speaks of the past or the future (or cannot tell).

    Words in the expression decide first ("next Friday", "two days ago"), then "since" before it,
    then the tense of the governing clause, then the preposition before it ("before", "after").
    """
    words = {t.lower_ for t in span}
    if words & {"next", "coming", "upcoming", "tomorrow"}:
        return "future"
    if words & {"last", "ago", "yesterday", "past"}:
        return "past"
    cues = _cue_words(span)
    if cues & _SINCE:
        return "past"
    adjective = _adjective_above(span.root)
    if _in_past_perfect(span.root):
        # "had been due to expire Friday evening", "had been scheduled to expire at midnight Friday":
        # a plan already overtaken lies behind the report (TimeBank wsj_0533, wsj_0542)
        return "past"
    if adjective is None:
        clause = "future" if _scheduled_present(span.root) else _clause_tense(span.root)
    else:  # "due this September" lies ahead; "payable Dec. 15" says nothing of the verb's tense
        clause = "future" if adjective.lower_ in _FUTURE_VERBS else "unknown"
    if clause == "past" and cues & _DEADLINE_CUES and _sets_a_deadline(span.root):
        return "unknown"
    if clause != "unknown":
        return clause
    # "before Friday's purchases": the purchases' day, not a deadline ahead (TimeBank wsj_0557)
    if cues & _AHEAD_CUES and not _is_nominal(span.root):
        return "future"
    if cues & _BEHIND_CUES:
        return "past"
    if span.root.lower_ in WEEKDAYS and _is_nominal(span.root):
        return "past"  # "a premium over Thursday's closing price": a day's recorded fact (TimeBank wsj_0612)
    return "unknown"


def _cue_words(span: Span) -> set[str]:
    """The word just before the expression and the words between it and its governing verb."""
    doc = span.doc
    cues = {doc[span.start - 1].lower_} if span.start > 0 else set()
    current = span.root
    for _ in range(6):
        if current.head is current or _is_verb(current.head):
            head = current.head
            if head is not current and head.dep_ == "prep":
                cues.add(head.lower_)  # "following" parsed as a verb
            elif head is not current and head.tag_ == "VBG" and head.dep_ == "pcomp":
                cues.add(head.head.lower_)  # "since taking office in January"
            break
        current = current.head
        cues.add(current.lower_)
    return cues


def _clause_tense(root: Token) -> Tense:
    """The tense of the finite clause above ``root``: a gerund ("the committee investigating the
    Jan. 6 attack") says nothing itself, so the verb above it decides."""
    nominal = _is_nominal(root)
    verb = _governing_verb(root)
    for _ in range(3):
        if verb is None:
            return "unknown"
        auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        around = [verb, *auxiliaries]
        if verb.dep_ in ("xcomp", "ccomp"):  # "expected to meet", "said it would meet"
            around += [verb.head, *(c for c in verb.head.children if c.dep_ in ("aux", "auxpass"))]
        modals = {t.lower_ for t in around if t.tag_ == "MD"}
        if modals & _WILL or (modals and not nominal) or any(_points_ahead(t, verb, root) for t in around):
            return "future"
        if modals:  # "would be paid to holders of record Dec. 21": a participle after a modal is no past
            return "unknown"
        if any(t.tag_ == "TO" for t in auxiliaries) and verb.head.lower_ in ("is", "are", "am"):
            return "future"  # "is to resume trading Tuesday": an arrangement ahead (TimeBank wsj_0810)
        if any(t.tag_ == "TO" for t in auxiliaries) or (
            verb.dep_ in ("xcomp", "ccomp") and any(t.tag_ in ("VBZ", "VBP") for t in (verb, *auxiliaries))
        ):
            # "agreed to buy it in February", "guidelines to be published in early November", "said it is
            # calling the stock on Dec. 7": the past verb above does not date this later or present event
            # (TimeBank: 6 months and days put a year back by the verb above)
            return "unknown"
        if verb.tag_ == "VBN" and not auxiliaries and verb.dep_ in ("ccomp", "xcomp", "oprd"):
            # "language to keep the government funded through Dec. 3": a participle that completes
            # another verb has no tense of its own (AllSides 5656 put Dec. 3 a year back)
            verb = verb.head
            continue
        if any(t.tag_ in ("VBD", "VBN") for t in around if not _present_passive(t, auxiliaries)) or any(
            t.lower_ in ("has", "have", "had") for t in auxiliaries
        ):
            return "past"
        # only a gerund climbs: an infinitive ("an agreement to acquire it in January", "orders to
        # start November trading") names a later event, which TimeBank dates ahead of the verb above
        if verb.tag_ != "VBG" or auxiliaries:
            return "unknown"
        verb = _governing_verb(verb)
    return "unknown"


def _present_passive(word: Token, auxiliaries: list[Token]) -> bool:
    """A participle whose tense is a present auxiliary's: "if the bill is not passed by Thursday"."""
    return word.tag_ == "VBN" and bool(auxiliaries) and all(a.tag_ in ("VBZ", "VBP") for a in auxiliaries)


def _points_ahead(word: Token, verb: Token, root: Token) -> bool:
    """Whether ``word``, the verb over the date at ``root`` or a word around it, puts the event after
    the report."""
    if word.lower_ not in _FUTURE_VERBS or word.pos_ not in ("VERB", "AUX", "ADJ"):
        return False
    if word.lower_ not in _FUTURE_ONLY_BEFORE_TO or word is not verb:
        return True
    preposition = root.head if root.head.dep_ == "prep" else None
    return preposition is None or preposition.lower_ in _SETS_THE_DATE


def _scheduled_present(root: Token) -> bool:
    """A bare weekday on a verb in the simple present, "Arafat and Netanyahu meet separately Monday
    with Albright": news writes a scheduled event so (TimeBank VOA19980501: put a week back). Only a
    weekday: "(Early voting begins June 12.)" in an op-ed dated ten days later is no date a year ahead
    (AllSides 5931), and a weekday read on the wrong side is off by days, not a year."""
    verb = root.head
    return (
        root.lower_ in WEEKDAYS
        and root.dep_ == "npadvmod"
        and verb.tag_ in ("VBP", "VBZ")
        and verb.lower_ not in ("is", "are", "am", "'s", "'re", "has", "have", "says", "say")
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


def _in_past_perfect(root: Token) -> bool:
    """Whether the verb over a date, or the verb its infinitive hangs from, is in the past perfect."""
    verb = _governing_verb(root)
    for _ in range(3):  # "had been due to expire Friday": expire → due → been, which has "had"
        if verb is None:
            return False
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children):
            return True
        if verb.dep_ not in ("xcomp", "ccomp", "acomp"):
            return False
        verb = verb.head
    return False


def _sets_a_deadline(root: Token) -> bool:
    verb = _governing_verb(root)
    # by the word's stem: the shared pipeline runs no lemmatizer
    return verb is not None and verb.lower_.startswith(_DEADLINE_VERBS)


def _adjective_above(root: Token) -> Token | None:
    """The adjective between a date and its verb, if any: "declared a dividend, payable Dec. 15",
    "created an office, effective Feb. 1" date what the adjective says, not the verb's event (on
    TimeBank all 7 such month-days lay ahead of a past-tense verb)."""
    current = root
    for _ in range(6):
        if current.head is current or _is_verb(current.head):
            return None
        current = current.head
        if current.pos_ == "ADJ":
            return current
    return None


def _is_nominal(root: Token) -> bool:
    """Whether a date says when a noun's event happened rather than when the clause's verb does."""
    return root.dep_ in _NOMINAL_DEPS or (root.dep_ == "npadvmod" and root.head.pos_ in ("NOUN", "PROPN"))


def _is_verb(token: Token) -> bool:
    """A verb that heads a clause; "following", "including" used as prepositions are not."""
    return token.pos_ in ("VERB", "AUX") and token.dep_ != "prep"


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` in the dependency tree (at most six steps), or None."""
    current = token
    for _ in range(6):
        if _is_verb(current) and current is not token:
            return current
        if current.head is current:
            return current if _is_verb(current) else None
        current = current.head
    return None


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    from_model: bool


# words that join two expressions inside one model span: "Aug. 26 to Oct. 20", "the quarter ended
# Sept. 30", "the first nine months of 1997", "between 1985 and 1987" (TimeML marks each part; on
# TimeBank 31 gold expressions sat inside such a span unfound)
_JOINS = re.compile(r"\s+(?:to|through|and|or(?! so\b)|ended|ending|of)\s+|^(?:between|both|from)\s+", re.I)


def _model_candidates(doc: Doc) -> Iterable[_Candidate]:
    text = text_of(doc)
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        yield _Candidate(ent.start_char, ent.end_char, True)
        start = ent.start_char
        for join in _JOINS.finditer(ent.text):
            if join.start() > 0 or join.end() < len(ent.text):
                yield from _piece(text, start, ent.start_char + join.start())
            start = ent.start_char + join.end()
        if start > ent.start_char:
            yield from _piece(text, start, ent.end_char)


def _piece(text: str, start: int, end: int) -> Iterable[_Candidate]:
    """A part of a model span between joining words, if it holds any word."""
    if text[start:end].strip(" ,"):
        yield _Candidate(start, end - (len(text[start:end]) - len(text[start:end].rstrip(" ,"))), True)


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


# --- durations, sets and times of day ----------------------------------------------------------------

# amounts a duration or a set is counted in: up to sixty, and a hundred
# "a couple of years" is two (TimeBank writes P2Y in both of its uses)
_AMOUNTS = {
    **_NUMBER_WORDS,
    **{w: n for w, n in TENS_SPELLED.items() if n <= 60},
    "hundred": 100,
    "a couple of": 2,
    "couple of": 2,
}
_VAGUE_AMOUNTS = {"several", "few", "a few", "many", "some", "a number of"}
_UNIT_CODES = {
    "second": "TS",
    "minute": "TM",
    "hour": "TH",
    "day": "D",
    "night": "D",
    "week": "W",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    # TimeBank's letters: E a decade ("about a decade" P1E), C a century ("for centuries" PXC)
    "decade": "E",
    "century": "C",
}
_DURATION = re.compile(
    r"^(?:the |a |an )?(?:(?:past|last|next|first|coming|previous|following|latest|final|recent|prior|remaining"
    r"|same|year-earlier|year-ago) )?(?P<n>\d{1,3}(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred|several|few"
    r"|a few|many|some|a couple of|couple of|a number of)?[ -]?(?:more |full |straight |consecutive )?"
    r"(?P<unit>second|minute|hour|day|night|week|month|quarter|year|decade|century|centuries)s?"
    r"(?:-long| long| old|-old)?$"
)
_SET = {
    "daily": "P1D",
    "every day": "P1D",
    "each day": "P1D",
    "a day": "P1D",
    "per day": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "every week": "P1W",
    "each week": "P1W",
    "a week": "P1W",
    "per week": "P1W",
    "monthly": "P1M",
    "every month": "P1M",
    "each month": "P1M",
    "a month": "P1M",
    "per month": "P1M",
    "every quarter": "P3M",
    "yearly": "P1Y",
    "every year": "P1Y",
    "each year": "P1Y",
    "a year": "P1Y",
    "per year": "P1Y",
    "hourly": "PT1H",
}
# "annual", "quarterly", "annually", "daily" qualify a noun or a verb ("annual report", "reported
# quarterly"): on TimeBank all 22 uses the model tags are no TIMEX3, so they are not expressions here
_PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "mid afternoon": "AF",
    "mid-afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}
_PART_OF_DAY = re.compile(r"\b(mid[ -]afternoon|morning|afternoon|evening|tonight|night|overnight)\b")
_CLOCK = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d\d))? ?(?P<ampm>[ap]\.? ?m\.?)(?![a-z])|\b(?P<noon>noon|midnight)\b"
)
_TIMESTAMP = re.compile(r"^(?P<mo>\d\d)/(?P<d>\d\d)/(?P<y>\d{4}) (?P<h>\d\d):(?P<mi>\d\d):(?P<s>\d\d)$")
Kind = Literal["DATE", "TIME", "DURATION", "SET"]


# a length said with a hedge or a range keeps the length TimeML writes ("nearly three years" P3Y,
# "more than four hours" PT4H; the hedge is its mod attribute): on TimeBank 24 gold durations were
# missed only for the hedge, 2 for "or so", 3 for "trading days"
_DURATION_HEDGE = re.compile(rf"^{_HEDGES}")
_DURATION_RANGE = re.compile(
    r"^(?P<pre>(?:the )?(?:next|past|last|first) )?(?:between )?\S+ (?:to|or) \S+ (?P<rest>\S+s)$"
)
_DURATION_COUNTED = re.compile(r"\b(?:trading|business|working|calendar) (?=(?:day|hour)s?\b)")
# unqualified plurals are a length of unknown count: "for weeks", "over the years" (TimeBank: "weeks",
# "months", "years", "days" alone are a TIMEX3 in 12 of 12 uses the model tags)
_BARE_PLURAL = re.compile(
    r"^(?:the (?:early |first )?)?(?:second|minute|hour|day|week|month|year|decade)s$|^centuries$"
)


# "2 1/2 years" P2Y6M, "a minute and a half" PT1M30S, "an hour and a half" PT1H30M
_HALF = re.compile(
    r"^(?:(?P<n>\d{1,3}) 1/2 (?P<unit>year|day|hour|minute)s|(?:a|an|one) (?P<unit1>year|day|hour|minute)"
    r" and a half)$"
)
_HALF_OF = {
    "year": ("", "Y", "6M"),
    "day": ("", "D", "T12H"),
    "hour": ("T", "H", "30M"),
    "minute": ("T", "M", "30S"),
}


def _and_a_half(m: re.Match[str]) -> str:
    time, code, half = _HALF_OF[m["unit"] or m["unit1"]]
    return f"P{time}{m['n'] or 1}{code}{half}"


def _duration(norm: str) -> str | None:
    """ "three days" → P3D, "the past two weeks" → P2W, "several years" → PXY, "five hours" → PT5H,
    "nearly three years" → P3Y, "two to three weeks" → PXW, "weeks" → PXW."""
    hedged = _DURATION_COUNTED.sub("", _DURATION_HEDGE.sub("", norm))
    # "an additional year", "barely a month" (the hedge gone): one of the unit
    one = r"^(?:an? additional|another) " + (
        r"|^an? (?!few\b|couple\b|number\b|hundred\b|thousand\b)" if hedged != norm else ""
    )
    norm = re.sub(one, "one ", hedged)
    if hedged != norm and norm == "one quarter":
        return None  # "more than a quarter (of the market)" is a share
    norm = re.sub(r" (?:or so|later)$", "", norm)
    if (m := _HALF.match(norm)) and (value := _and_a_half(m)):
        return value
    if m := _DURATION_RANGE.match(norm):  # "two to three weeks": no one count
        norm = f"{m['pre'] or ''}several {m['rest']}"
    if _BARE_PLURAL.match(norm):
        norm = "several " + norm.split()[-1]
    m = _DURATION.match(norm)
    if not m or m["n"] is None or re.search(r"\bold$|-old$", norm):
        # "the quarter", "recent years": a date or a reference, not a length; "52 years old" is an age
        return None
    unit = "century" if m["unit"] == "centuries" else m["unit"]
    amount = m["n"]
    if amount is None or amount in _VAGUE_AMOUNTS:
        count = "1" if amount is None and not norm.rstrip().endswith("s") else "X"
    elif amount.replace(".", "").isdigit():
        count = amount.rstrip("0").rstrip(".") if "." in amount else amount
    else:
        count = str(_AMOUNTS[amount])
    code = _UNIT_CODES[unit]
    return f"PT{count}{code[1]}" if code.startswith("T") else f"P{count}{code}"


def _time_of_day(
    text: str, norm: str, anchor: date | None, tense: Tense, previous: PreviousDate | None, anchor_label: str
) -> Resolved | None:
    """ "this morning", "Thursday evening", "10 p.m. Wednesday", "noon Thursday", a wire timestamp."""
    if m := _TIMESTAMP.match(norm):
        d = _safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
        return Resolved(f"{d.isoformat()}T{m['h']}:{m['mi']}:{m['s']}", "day", "absolute") if d else None
    lowered = text.lower()
    clock = _CLOCK.search(lowered)
    part = _PART_OF_DAY.search(lowered)
    if not clock and not part:
        return None
    rest = lowered
    for found in (clock, part):
        if found:
            rest = rest.replace(found.group(0), " ")
    rest = re.sub(
        r"\b(?:est|edt|gmt|pst|pdt|cst|cdt|local time|at|around|about|late|early|later|earlier|on|of)\b",
        " ",
        rest,
    )
    rest = re.sub(r"[\s,]+", " ", rest).strip()
    if part and part.group(1) == "tonight" and not rest:
        rest = "today"
    if part and _PARTS_OF_DAY[part.group(1)] in ("MO", "AF", "EV") and rest in ("this", ""):
        rest = "today"
    if part and part.group(1) == "night" and rest == "last":
        rest = "yesterday"
    if not rest:
        rest = "today" if clock else ""
    day = resolve_expression(rest, anchor, anchor_label, tense, previous) if rest else None
    if day is None or day.precision != "day":
        return None
    if clock:
        if clock["noon"]:
            # "midnight Friday" ends Friday: TimeML writes it T24:00 of that day
            hour, minute = (12, "00") if clock["noon"] == "noon" else (24, "00")
        else:
            hour = int(clock["h"]) % 12 + (12 if clock["ampm"].startswith("p") else 0)
            minute = clock["m"] or "00"
        return Resolved(f"{day.value}T{hour:02d}:{minute}", "day", day.anchor)
    assert part is not None  # no clock, so a part of the day was found (checked above)
    return Resolved(f"{day.value}T{_PARTS_OF_DAY[part.group(1)]}", "day", day.anchor)


@dataclass(frozen=True)
class Expression:
    """A temporal expression as TimeML types it, with its value when one can be given.

    ``value`` is None for an expression that needs an anchor the article does not have; for
    durations and sets it is a period (P3D), for references PRESENT_REF/PAST_REF/FUTURE_REF.
    """

    start: int
    end: int
    text: str
    kind: Kind
    value: str | None
    precision: ValuePrecision
    anchor: str


def classify(
    text: str,
    anchor: date | None,
    anchor_label: str = "published",
    tense: Tense = "unknown",
    previous: PreviousDate | None = None,
) -> tuple[Kind, Resolved | None] | None:
    """The TimeML kind of one expression and its value (None when it needs a missing anchor);
    None when ``text`` is no temporal expression the rules know."""
    norm = normalize_expression(text, False, False)
    if norm in _SET or re.match(
        r"^(?:every|each) (?:other )?(?:day|week|month|year|morning|evening|night|"
        rf"{_WEEKDAY_RE}|{_MONTH_RE})$",
        norm,
    ):
        return "SET", Resolved(_SET.get(norm) or _recurring(norm.split()[-1]), "set", "absolute")
    if (
        not _AGO.match(norm)
        and not norm.startswith(("last ", "next ", "this ", "that "))
        and (period := _duration(norm))
    ):
        return "DURATION", Resolved(period, "duration", "absolute")
    if _TIMESTAMP.match(norm) or _CLOCK.search(norm) or _PART_OF_DAY.search(norm):
        return "TIME", _time_of_day(text, norm, anchor, tense, previous, anchor_label)
    resolved = resolve_expression(text, anchor, anchor_label, tense, previous)
    if resolved is not None:
        return "DATE", resolved
    if anchor is None and resolve_expression(text, _PROBE_ANCHOR, anchor_label, tense, previous) is not None:
        return "DATE", None  # relative: it would resolve against an anchor this article lacks
    return None


def _recurring(unit: str) -> str:
    """TimeML's value of "each Thursday" (XXXX-WXX-4) and "each July" (XXXX-07); XXXX otherwise."""
    if unit in WEEKDAYS:
        return f"XXXX-WXX-{WEEKDAYS.index(unit) + 1}"
    if (month := month_number(unit)) is not None:
        return f"XXXX-{month:02d}"
    return "XXXX"


# any fixed date serves to ask "would this resolve with an anchor?"
_PROBE_ANCHOR = date(2000, 6, 15)


# --- finding expressions in a parsed document ---------------------------------------------------------


def find_expressions(doc: Doc, anchor: date | None, anchor_label: str = "published") -> list[Expression]:
    """Every temporal expression of ``doc`` (dates, times, durations, sets), in text order.

    Relative expressions resolve against ``anchor`` only (the article's publication date, or a
    date its own text gives); without one they keep value None. Among overlapping readings the
    longest one the rules know wins (on equal length the model's span).
    """
    candidates = [
        c for c in [*_model_candidates(doc), *_pattern_candidates(doc)] if not _is_part_of_a_name(doc, c)
    ]
    found: list[Expression] = []
    previous: PreviousDate | None = None
    for group in _overlapping_groups(candidates):
        # the longest reading first; what it leaves uncovered may hold another expression
        # ("the quarter ended Sept. 30" read as "the quarter" leaves "Sept. 30")
        chosen: list[Expression] = []
        for candidate in sorted(group, key=lambda c: (-(c.end - c.start), not c.from_model)):
            if any(candidate.start < e.end and e.start < candidate.end for e in chosen):
                continue
            expression = _classify_candidate(
                doc, candidate.start, candidate.end, anchor, anchor_label, previous
            )
            if expression is not None:
                chosen.append(expression)
        for expression in sorted(chosen, key=lambda e: e.start):
            found.append(expression)
            previous = _next_previous(expression, previous, anchor, text_of(doc))
    return found


_CLOSING_DAY = re.compile(r"quarter,? (?:ended|ending) $")


def _next_previous(
    expression: Expression, previous: PreviousDate | None, anchor: date | None, text: str
) -> PreviousDate | None:
    """The date "the same day" or "a year earlier" refers to once the text has said ``expression``."""
    if (
        previous is not None
        and previous.precision == "quarter"
        and _CLOSING_DAY.search(text, 0, expression.start)
    ):
        # "for the quarter ended Sept. 30, up from $3 million a year ago": the comparison is with the
        # quarter, whose last day adds nothing (TimeBank: 4 more gold spans right, 1 closing-day value lost)
        return previous
    if (
        expression.kind == "DURATION"
        and previous is not None
        and (previous.precision == "quarter" or _is_reporting_period(expression))
    ):
        # "For the nine months, ... a year earlier": the report has moved from the quarter to a
        # longer period, which "a year earlier" now compares with (TimeBank: 4 of 4 the year)
        return None
    return _as_previous(expression, anchor) or previous


def _is_reporting_period(expression: Expression) -> bool:
    """A stretch of months a company reports on ("the first nine months", "the six months"):
    "a year earlier" after it compares with that stretch, not with a day named before it
    (TimeBank wsj_0568: "Friday ... the first nine months ... a year earlier" is 1988)."""
    return expression.value is not None and re.fullmatch(r"P\d+M", expression.value) is not None


def resolve_span(
    doc: Doc,
    start: int,
    end: int,
    anchor: date | None,
    anchor_label: str = "published",
    previous: PreviousDate | None = None,
) -> tuple[Resolved | None, PreviousDate | None]:
    """The value of the expression at ``doc.text[start:end]`` read in its sentence, and the date
    later expressions of the text chain to ("the same day")."""
    expression = _classify_candidate(doc, start, end, anchor, anchor_label, previous)
    if expression is None or expression.value is None:
        return None, previous
    resolved = Resolved(expression.value, expression.precision, expression.anchor)
    return resolved, _next_previous(expression, previous, anchor, text_of(doc))


# "today is the eighth day of Desert Shield", "It's the second day of an offensive": the report's day
_NTH_DAY = re.compile(rf"^(?:the )?(?:{'|'.join(_ORDINAL_WORDS)}) day$", re.I)
_BEFORE_THEN = {"until", "till", "by", "since"}


def _placed_by_context(
    span: Span, anchor: date | None, anchor_label: str, previous: PreviousDate | None
) -> Resolved | None:
    """A value only the words around an expression give: "the eighth day" said of today, "until
    then" after a date the text gave (TimeBank: 3 gold dates unresolved for want of this)."""
    if len(span) == 0:
        return None
    root, before = span.root, span.doc[span.start - 1] if span.start > 0 else None
    if (
        anchor is not None
        and _NTH_DAY.match(span.text)
        and root.dep_ == "attr"
        and root.head.tag_ == "VBZ"
        and root.head.lower_ in ("is", "'s")
    ):
        return Resolved(anchor.isoformat(), "day", f"{anchor_label}:{anchor.isoformat()}")
    if (
        span.text.lower() == "then"
        and before is not None
        and before.lower_ in _BEFORE_THEN
        and previous is not None
        and previous.precision == "day"
    ):
        return Resolved(previous.value, "day", f"text:{previous.value}")
    return None


_ONE_DAY = re.compile(r"^(?:one|some) day$", re.I)
_POINTING_WORD = re.compile(r"\s+(ago|earlier|later)\b", re.I)
_YEAR_ENDED = re.compile(r"^(?:the|its) (?:fiscal )?year$", re.I)
_ENDED = re.compile(r",? (?:ended|ending)\b")


def _classify_candidate(
    doc: Doc, start: int, end: int, anchor: date | None, anchor_label: str, previous: PreviousDate | None
) -> Expression | None:
    text = text_of(doc)[start:end]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span) == 1 and span[0].dep_ == "amod" and span[0].lower_ in _SET:
        # "daily volume", "weekly flights" qualify a noun: TimeBank tags 1 of the 4 the model finds
        return None
    if _YEAR_ENDED.match(text) and _ENDED.match(text_of(doc), end):
        # "for the year ended March 31": a year's length closed by the day after it (TimeBank 7 of 8 P1Y)
        return Expression(start, end, text, "DURATION", "P1Y", "duration", "absolute")
    if span is not None and _ONE_DAY.match(text) and span.start > 0 and span.doc[span.start - 1].tag_ == "MD":
        # "Islam will one day be the second largest religion": some time ahead, not a day's length
        return Expression(start, end, text, "DATE", "FUTURE_REF", "reference", "absolute")
    if span is not None and (placed := _placed_by_context(span, anchor, anchor_label, previous)) is not None:
        return Expression(start, end, text, "DATE", placed.value, placed.precision, placed.anchor)
    tense = tense_of(span) if span is not None and len(span) else "unknown"
    found = classify(text, anchor, anchor_label, tense, previous)
    if (
        found is not None
        and found[0] in ("DURATION", "SET")
        and (after := _POINTING_WORD.match(text_of(doc), end))
    ):
        # "earnings a year earlier" with the span stopping at "a year": the word after it makes the
        # length a point (TimeBank writes the span without it twice, both dates)
        pointed = classify(f"{text} {after[1]}", anchor, anchor_label, tense, previous)
        found = pointed if pointed is not None and pointed[0] == "DATE" else found
    if found is None:
        return None
    kind, resolved = found
    if resolved is None:
        return Expression(start, end, text, kind, None, "relative", "none")
    return Expression(start, end, text, kind, resolved.value, resolved.precision, resolved.anchor)


_CALENDAR_PRECISIONS: tuple[CalendarPrecision, ...] = get_args(CalendarPrecision)


def _is_calendar(precision: str) -> TypeGuard[CalendarPrecision]:
    return precision in _CALENDAR_PRECISIONS


_COMPARED_PERIOD = re.compile(r"year-ago|year-earlier|last year|year (?:ago|earlier)")
_YEAR_BACK = re.compile(r"^(?:a|one) year (?:ago|earlier)$|^(?:the )?year-(?:ago|earlier)$")


def _as_previous(expression: Expression, anchor: date | None = None) -> PreviousDate | None:
    """What "the same day", "that year" or "a year earlier" after this expression refer to."""
    precision = expression.precision
    if expression.value is None or not _is_calendar(precision):
        return None
    if precision == "quarter" and (
        expression.anchor.startswith("text:") or _COMPARED_PERIOD.search(expression.text.lower())
    ):
        return None  # "a year earlier" compares with the quarter reported, which stays the reference
    if _YEAR_BACK.match(expression.text.lower()):
        # "a loss of C$2.3 million a year ago. Sales were C$348.2 million against C$307.2 million a
        # year earlier": both compare with the same year, so the first is no new reference point
        return None
    if precision == "quarter" and re.fullmatch(r"(?i)an? .*quarter", expression.text):
        # "After a flat second quarter, ...": a quarter recalled in passing is not the one reported
        # (TimeBank wsj_0292: the three comparisons after it are with the third quarter)
        return None
    end = _period_end(expression.value, precision)
    if precision == "quarter" and anchor is not None and end is not None and end >= anchor:
        return None  # a quarter not over ("into the fourth quarter", "of 1990") is no quarter reported
    value = expression.value.split("T")[0]
    return PreviousDate(value, precision)


# --- the article's dates ----------------------------------------------------------------------------


def extract_dates(
    doc: Doc, article_id: str, anchor: date | None, anchor_label: str = "published"
) -> list[DateRef]:
    """The calendar dates of one article, in text order, each with its precision and anchor.

    ``anchor`` is the article's publication date. Without one, relative expressions resolve only
    against a date the article's own text gives (:func:`text_anchor`); failing that they stay
    relative (precision "relative", no value) and are shown as written, never borrowed from
    other articles. References (PRESENT_REF, ...), durations and sets are not dates.
    """
    expressions = find_expressions(doc, anchor, anchor_label)
    if anchor is None:
        expressions = _anchor_from_own_text(doc, expressions)
    sentence_starts = [s.start_char for s in doc.sents]
    refs = []
    for e in expressions:
        if e.kind == "DURATION" or e.kind == "SET" or _TIMESTAMP.match(e.text.strip()):
            continue  # a wire header's clock time is not something the story reports
        precision = _date_precision(e)
        if precision is None:
            continue
        sentence = max(0, bisect.bisect_right(sentence_starts, e.start) - 1)
        value = e.value.split("T")[0] if e.value is not None else ""
        refs.append(
            DateRef(
                article_id,
                sentence,
                e.start,
                e.end,
                e.text,
                value,
                precision,
                e.anchor,
            )
        )
    return refs


def _date_precision(e: Expression) -> Precision | None:
    """The precision of ``e`` as a date: "relative" when it has no value, None when it is no date
    (a reference, duration or set)."""
    if e.value is None:
        return "relative"
    return e.precision if _is_calendar(e.precision) else None


def _anchor_from_own_text(doc: Doc, expressions: list[Expression]) -> list[Expression]:
    """Expressions of an undated article, resolved against what its own text gives.

    The latest full date the text writes with its year ("16 January 2024") anchors every relative
    expression ("text:2024-01-16"): news is written after the days it reports. Failing that, a day
    written without a year ("on January 16") is placed in the first year after the latest period
    the text names with its year ("September 2023"): the report looks back on that period, so the
    day it reports comes after it. Anything else stays relative.
    """
    days = [e for e in expressions if e.anchor == "absolute" and e.precision == "day" and e.value]
    if days:
        latest = max(date.fromisoformat(e.value.split("T")[0]) for e in days if e.value)
        return find_expressions(doc, latest, "text")
    periods = [
        end
        for e in expressions
        if e.value
        and e.precision in _CALENDAR_PRECISIONS
        and (e.anchor == "absolute" or e.anchor.startswith("text:"))
        and (end := _period_end(e.value, e.precision)) is not None
    ]
    if not periods:
        return expressions
    floor = max(periods)
    out = []
    for e in expressions:
        placed = _yearless_day_after(e.text, floor) if e.value is None else None
        if placed is not None:
            e = Expression(
                e.start,
                e.end,
                e.text,
                e.kind,
                placed.isoformat(),
                "day",
                f"text:{_floor_label(expressions, floor)}",
            )
        out.append(e)
    return out


def _floor_label(expressions: list[Expression], floor: date) -> str:
    """The value as written of the period whose end is ``floor`` ("2023-09")."""
    for e in expressions:
        if e.value and e.precision in _CALENDAR_PRECISIONS and _period_end(e.value, e.precision) == floor:
            return e.value
    return floor.isoformat()


def _yearless_day_after(text: str, floor: date) -> date | None:
    """A month and day written without a year, in the first year after ``floor``; None for anything else.

    A weekday written with it ("Monday, June 16") outweighs the guess: the day goes in the year,
    nearest to ``floor``, in which the date falls on that weekday ("July 2025" in a sentence on a
    possible repeat of a strike would otherwise put a Monday, June 16 in 2026, a Tuesday), and
    stays relative when no year near it agrees.
    """
    norm = normalize_expression(text)
    m = _MONTH_DAY.match(norm)
    if not m or not (month := month_number(m["month1"] or m["month2"])):
        return None
    day = int(m["day1"] or m["day2"])
    weekday = next((i for i, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", norm)), None)
    if weekday is not None:
        agreeing = [
            d
            for year in range(floor.year - 3, floor.year + 4)
            if (d := _safe_date(year, month, day)) and d.weekday() == weekday
        ]
        return min(agreeing, key=lambda d: abs(d.year - floor.year), default=None)
    for year in range(floor.year, floor.year + 5):  # 29 February may need a few years
        d = _safe_date(year, month, day)
        if d and d > floor:
            return d
    return None


def _period_end(value: str, precision: str) -> date | None:
    """The last day of a calendar value (a day, week, month, quarter, season, year or decade)."""
    try:
        year = int(value[:4]) if precision != "decade" else int(value) * 10 + 9
        if precision == "day":
            return date.fromisoformat(value[:10])
        if precision == "month":
            next_year, next_month = _shift_month(year, int(value[5:7]), 1)
            return date(next_year, next_month, 1) - timedelta(days=1)
        if precision == "quarter":
            next_year, next_month = _shift_month(year, 3 * int(value[6]), 1)
            return date(next_year, next_month, 1) - timedelta(days=1)
        if precision == "week":
            return date.fromisocalendar(year, int(value[6:8]), 7)
        if precision == "season":
            first, last = _SEASON_MONTHS[value[5:7]]
            next_year, next_month = _shift_month(year, last, 1)
            return date(next_year, next_month, 1) - timedelta(days=1)
        return date(year, 12, 31)
    except (ValueError, KeyError, IndexError):
        return None


def period_start(value: str, precision: str) -> date | None:
    """The first day of a calendar value, for ordering values of different precision."""
    try:
        if precision == "decade":
            return date(int(value) * 10, 1, 1)
        year = int(value[:4])
        if precision == "day":
            return date.fromisoformat(value[:10])
        if precision == "month":
            return date(year, int(value[5:7]), 1)
        if precision == "quarter":
            return date(year, 3 * int(value[6]) - 2, 1)
        if precision == "week":
            return date.fromisocalendar(year, int(value[6:8]), 1)
        if precision == "season":
            return date(year, _SEASON_MONTHS[value[5:7]][0], 1)
        return date(year, 1, 1)
    except (ValueError, KeyError, IndexError):
        return None
