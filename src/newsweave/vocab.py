"""The words and word patterns the stages share, each list once, with what it is for (English,
and :func:`stop_words` for other languages).

A stage that needs "a word", "a weekday" or "a word that says nothing" takes it from here, so two
stages cannot disagree about them. Lists that differ on purpose are kept apart, named for their use.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

# a run of letters or digits: what two copies of one text share, and what a quote or a headline is made of
WORD = re.compile(r"\w+")
# a word as the cleaner counts it in a line: letters or digits, with a clitic ("don't", "Kim's")
LINE_WORD = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?")  # in any script: a Russian line has words too
# a content word of a claim: letters, inner apostrophes and hyphens ("Vice-President", "o'clock")
CLAIM_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
# a term of the clusterer, in lower-cased text: letters, inner apostrophes and hyphens
TERM = re.compile(r"[a-z][a-z'\-]*[a-z]")
# a number as written: digits with thousands separators and decimals ("1,000", "4.9", "2024")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text states, thousands separators dropped: "1,000" and "1000" are one number
    to the comparison and to the citation rule alike."""
    return frozenset(n.replace(",", "") for n in NUMBER.findall(text))


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# numbers written as words: the units, and the tens (ten to nineteen, then each ten to ninety)
UNITS_SPELLED = {
    w: i
    for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))
}
TENS_SPELLED = {
    **{w: 10 + i for i, w in enumerate(("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                          "seventeen", "eighteen", "nineteen"))},
    **{w: 20 + 10 * i for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                               "ninety"))},
}  # fmt: skip

# days a text names relative to its own date
RELATIVE_DAYS = ("today", "tonight", "yesterday", "tomorrow")

# spaCy's English stopwords (326 words): what the clusterer and the timeline leave out of a text's terms
STOPWORDS: frozenset[str] = frozenset(STOP_WORDS)
# words every report uses whatever it reports: left out of the clusterer's terms as well
REPORTING_WORDS = frozenset(
    {"said", "says", "told", "according", "reported", "report", "news", "year", "years", "time", "week",
     "new", "read", "more"}
)  # fmt: skip
# function words and reporting verbs, smaller than spaCy's list: two claims compared by their
# content stems keep quantity and modality words ("all", "most", "only", "might") spaCy would drop
CLAIM_STOPWORDS = frozenset([
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "into", "onto", "over", "under", "about", "after", "before", "during", "since",
    "until", "than", "then", "that", "this", "these", "those", "there", "here", "is", "are", "was",
    "were", "be", "been", "being", "am", "do", "does", "did", "doing", "has", "have", "had",
    "having", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "it",
    "its", "it's", "he", "him", "his", "she", "her", "hers", "they", "them", "their", "we", "us",
    "our", "you", "your", "i", "me", "my", "mine", "who", "whom", "whose", "which", "what", "when",
    "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some",
    "such", "no", "nor", "not", "only", "own", "same", "so", "too", "very", "also", "just", "said",
    "says", "say", "told", "according", "new", "one", "two", "s", "t",
])  # fmt: skip
# the commonest function words: a boilerplate line is known by having few words outside them
FUNCTION_WORDS = frozenset([
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as",
    "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "he", "she",
    "they", "we", "you", "i", "his", "her", "their", "our", "your", "not", "no",
])  # fmt: skip


@lru_cache(maxsize=32)
def stop_words(language: str) -> frozenset[str]:
    """A language's stop words: spaCy's list for it (shipped with spaCy, no model needed), empty
    for a language spaCy has none for. English gives :data:`STOPWORDS`."""
    if language == "en":
        return STOPWORDS
    try:
        return frozenset(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
    except ImportError:
        return frozenset()
