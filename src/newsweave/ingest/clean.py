"""Boilerplate removal for scraped article text.

Public entry point: :func:`clean_article`. It works line by line and decides by
the *shape* of a line and by repetition, never by a list of particular sites:

* widget and navigation lines: short lines made of interface vocabulary
  ("leave a comment", "scroll to top", "share this", "subscribe");
* teasers: the headline-shaped line that follows a navigation marker such as
  "Read more", "Related", "Previous article" or "Next article";
* calls to action ("For more updates, visit ...", "No time to read? ...");
* attribution lines ("Source: X.") repeated after paragraphs: removed from the
  text and kept once in ``attributed_to``;
* short lines repeated inside one article, or across articles of one outlet.

Every removed line is recorded in ``Article.removed``; real content (quotes,
subheadings, short factual paragraphs) has none of these shapes and stays.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import replace

from newsweave.config import CleanConfig
from newsweave.ingest.language import identify_language
from newsweave.model import Article
from newsweave.vocab import FUNCTION_WORDS, LINE_WORD, stop_words

_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]\s*$")

# Interface vocabulary: a line made only of this kind of phrase is a widget.
_WIDGET_PATTERNS = [
    r"(leave|post|add|write|view|show|hide)( a| your)? (comment|reply|comments|replies)",
    r"\d+ (comments?|replies|shares)",
    r"comments?( \(\d+\))?",
    r"(scroll|back|go|return) to (the )?top",
    r"skip to (main )?(content|navigation)",
    r".*your email address will not be published.*",
    r".*required fields are marked.*",
    r"(share|tweet|pin|email|print)( this| the)?( article| story| post| page)?( on [a-z]+)?( via [a-z]+)?",
    r"(copy|share) (the )?link",
    r"(subscribe|sign up|register)( now| today| here)?( to| for)?( our| the)?( newsletter| updates| alerts)?.*",
    r"follow us( on [a-z ]+)?",
    r"click here.*",
    r"advertisement|sponsored( content)?|ad",
    r"(tags?|topics?|categories|filed under)\s*:.*",
    r"(listen|watch)( to)?( this)?( article| story| video)?",
    r"(we use cookies|accept( all)? cookies|cookie (policy|settings)).*",
    r"(log|sign) ?(in|out)|menu|search|home",
    r"no time to read\??",
    r"get (a|the) (quick )?summary",
    r"(for|to get|to read|read) more( latest)? (updates|news|stories|coverage|information)\b.*",
    r"photo( credit)?\s*:.*|image\s*:.*|credit\s*:.*",
    r"(all rights reserved|copyright|©).*",
]
_WIDGET = re.compile(r"^(?:" + "|".join(_WIDGET_PATTERNS) + r")[\s.!:]*$", re.IGNORECASE)

# Navigation markers: the line after them is a teaser headline for another page.
_NAV_MARKER = re.compile(
    r"^(read (more|also|next)|see also|also read|related( articles| stories| news| coverage)?|"
    r"more (from|on|stories)( [a-z ]+)?|you (may|might) also like|recommended( for you)?|trending( now)?|"
    r"(previous|prev|next|older|newer)( article| post| story)?|up next|most (read|popular))[\s:»>›.]*$",
    re.IGNORECASE,
)
# A trailing "Source: X." after a paragraph, or a line that is only that.
_ATTRIBUTION_TAIL = re.compile(
    r"(?:(?<=[.!?”\"’])|^)\s*(?:Sources?|Via|Courtesy of)\s*:\s*(?P<who>[^.:\n]{2,80}?)\s*\.?\s*$"
)
_SOURCE_HEADING = re.compile(r"^(sources?|via|credits?|originally published (by|in|at))\s*:?$", re.IGNORECASE)
_CREDIT_SPLIT = re.compile(r"\s+[–—|-]\s+|:\s+")


def words(text: str) -> list[str]:
    return LINE_WORD.findall(text)


def _is_headline_shaped(line: str, max_words: int = 20) -> bool:
    """A title-like line: a few words and no sentence punctuation at the end."""
    n = len(words(line))
    return 1 <= n <= max_words and not re.search(r"[.!;:,]\s*$", line)


def _key(line: str) -> str:
    return " ".join(w.lower() for w in words(line))


def boilerplate_lines_by_outlet(articles: Iterable[Article], min_articles: int = 2) -> dict[str, set[str]]:
    """Short non-sentence lines that recur across articles of one outlet (site furniture)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        if not article.outlet:
            continue
        lines = {_key(line) for line in (article.raw_text or article.text).splitlines() if line.strip()}
        seen[article.outlet].update(k for k in lines if k and len(k.split()) <= 12)
    return {outlet: {k for k, n in counts.items() if n >= min_articles} for outlet, counts in seen.items()}


def clean_article(
    article: Article, config: CleanConfig | None = None, outlet_lines: Collection[str] = ()
) -> Article:
    """Return a copy of ``article`` with clutter removed, attributions moved, flags set."""
    config = config or CleanConfig()
    raw = article.raw_text or article.text
    lines = [line.strip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    removed: list[str] = []
    attributed: list[str] = list(article.attributed_to)
    kept: list[str] = []

    counts = Counter(_key(line) for line in lines if line)
    repeated_short = {k for k, n in counts.items() if n >= 2 and k and len(k.split()) <= 8}
    skip_next_teaser = False
    credit_next = False
    for line in lines:
        if not line:
            continue
        key = _key(line)
        if credit_next:
            credit_next = False
            removed.append(line)
            _add_unique(attributed, _CREDIT_SPLIT.split(line)[0].strip(" .–—-"))
            continue
        if skip_next_teaser and _is_headline_shaped(line):
            skip_next_teaser = False
            removed.append(line)
            continue
        skip_next_teaser = False
        if _NAV_MARKER.match(line):
            removed.append(line)
            skip_next_teaser = True
            continue
        if _SOURCE_HEADING.match(line):
            removed.append(line)
            credit_next = True
            continue
        if (
            _WIDGET.match(line)
            or (key in repeated_short and not _SENTENCE_END.search(line))
            or (key in outlet_lines and not _SENTENCE_END.search(line))
        ):
            removed.append(line)
            continue
        tail = _ATTRIBUTION_TAIL.search(line)
        if tail:
            who = tail.group("who").strip()
            removed.append(line[tail.start() :].strip())
            _add_unique(attributed, who)
            line = line[: tail.start()].rstrip()
            if not line:
                continue
        kept.append(line)

    text = "\n\n".join(kept)
    flags = list(article.flags)
    metadata = dict(article.metadata)
    language = identify_language(f"{article.title}\n{text}", article.language)
    stuffed = find_stuffed_phrase(text, config, language)
    if stuffed and "keyword_stuffing" not in flags:
        flags.append("keyword_stuffing")
        metadata["stuffed_phrase"] = stuffed
    return replace(
        article,
        text=text,
        language=language,
        removed=removed,
        attributed_to=attributed,
        flags=flags,
        metadata=metadata,
        raw_text=raw,
    )


def _add_unique(items: list[str], value: str) -> None:
    if value and value.lower() not in {v.lower() for v in items}:
        items.append(value)


def find_stuffed_phrase(text: str, config: CleanConfig | None = None, language: str = "en") -> str | None:
    """The phrase repeated unnaturally often (SEO keyword stuffing), if any. Function words are
    ``language``'s (English ones would count "de los" of a Spanish report as content words).

    A phrase of ``stuffing_min_words`` content-bearing words that recurs at least
    ``stuffing_min_repeats`` times, and at least 3 times per 1,000 words, is far
    beyond what a reporter repeats naturally.
    """
    config = config or CleanConfig()
    tokens = [w.lower() for w in words(text)]
    best: str | None = None
    # grow the phrase while it keeps recurring, so the report names the whole stuffed keyword
    function_words = FUNCTION_WORDS if language == "en" else stop_words(language)
    if not function_words:
        return None  # without the language's function words every phrase would look like content
    for n in range(config.stuffing_min_words, 13):
        phrase = _most_repeated_phrase(tokens, n, function_words)
        if phrase is None:
            break
        gram, count = phrase
        if count >= config.stuffing_min_repeats and count * 1000 / len(tokens) >= 3:
            best = " ".join(gram)
        else:
            break
    return best


def _most_repeated_phrase(
    tokens: list[str], n: int, function_words: frozenset[str]
) -> tuple[tuple[str, ...], int] | None:
    grams = Counter(
        tuple(tokens[i : i + n])
        for i in range(len(tokens) - n + 1)
        if sum(t not in function_words for t in tokens[i : i + n]) >= n - 1
    )
    return grams.most_common(1)[0] if grams else None
