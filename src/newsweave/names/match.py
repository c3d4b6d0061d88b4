"""Person-name normalisation and a transliteration-aware name matcher.

News outlets romanise the same Korean, Russian or Arabic name in many ways
(Choe Son Hui / Choi Song-hee, Sergei / Sergey, Muhammad / Mohamed). The rules
here are general romanisation alternations, not a list of known people:

* :func:`normalize_name` — Unicode to ASCII (Hangul, Chinese and Cyrillic romanised
  first, :mod:`newsweave.names.scripts`), hyphens and apostrophes, honorifics, possessives, ``SURNAME, Given``.
* :func:`phonetic_key` — a skeleton of one name token in which systematic
  alternations (kh/h, ch/j, ou/u, y/i, -ng/-n, doubled letters, vowel quality)
  collapse to the same string.
* :func:`names_match` — two full names are the same person when their surnames
  match and their given names align (first given name included), allowing
  omitted middle names and joined syllables ("Jong-un" / "Jongun").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from newsweave.names.scripts import to_ascii as scripts_to_ascii
from newsweave.vocab import MONTHS, RELATIVE_DAYS, WEEKDAYS

# --- Unicode → ASCII ---------------------------------------------------------


def to_ascii(text: str) -> str:
    """Transliterate any script to ASCII: Hangul, Han and Cyrillic by their own romanisers
    (:mod:`newsweave.names.scripts`), the rest by Unidecode."""
    return scripts_to_ascii(text)


# --- normalisation -----------------------------------------------------------

_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "shaykh",
        "sheik",
        "haji",
        "hajji",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "sgt",
        "rtd",
        "mister",
        "madam",
        "mme",
        "mlle",
        "herr",
        "frau",
        "jr",
        "sr",
    ]
)
# roles written before a name ("President Nixon", "Gov. Sarah Palin"); dropped only at the start
_LEADING_TITLES = frozenset(
    [
        "president",
        "vice",
        "gov",
        "governor",
        "sen",
        "senator",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "minister",
        "prime",
        "foreign",
        "defense",
        "defence",
        "secretary",
        "general",
        "gen",
        "colonel",
        "captain",
        "lieutenant",
        "sergeant",
        "officer",
        "det",
        "detective",
        "judge",
        "justice",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "chancellor",
        "premier",
        "mayor",
        "deputy",
        "chief",
        "coach",
        "chairman",
        "leader",
        "former",
        "late",
        "supreme",
    ]
)
# particles that attach to the next token: "al-Zawahiri" / "Alzawahiri" / "AL ZAWAHIRI" are one token
_ATTACHING_PARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "an", "az", "ash", "at", "ibn", "bin"})
# letters after a comma that are degrees or generations, not a given name ("Regina Benjamin, MD")
_POST_NOMINALS = frozenset(
    {
        "md",
        "phd",
        "dds",
        "rn",
        "esq",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "obe",
        "cbe",
        "kbe",
        "mbe",
        "qc",
        "kc",
        "mp",
    }
)
_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u02bb\u02bc\u02be\u02bf]")
_NON_LETTERS = re.compile(r"[^a-z0-9 ]+")
_PARTICLE_SEP = "_"


@dataclass(frozen=True)
class ParsedName:
    """A name as lowercase ASCII tokens; ``surname`` is known only when the source said so (a comma)."""

    tokens: tuple[str, ...]
    surname: tuple[str, ...] | None = None
    given: tuple[str, ...] | None = None
    generation: str | None = None  # "jr", "sr", "ii", "iii" ...: father and son share every other part


def strip_possessive(text: str) -> str:
    """'Choe’s' → 'Choe', 'Lavrov's' → 'Lavrov' (the possessive is not part of the name)."""
    text = text.strip()
    if _POSSESSIVE.search(text) and len(text) > 3:
        if text[-1] in "'\u2019":  # plural possessive "Jones'" — drop the apostrophe only
            return text[:-1]
        return text[:-2]
    return text


def _clean_tokens(text: str) -> list[str]:
    text = to_ascii(text).lower()
    text = _APOSTROPHES.sub("", text)
    text = re.sub(r"[-\u2010-\u2015_./]", " ", text)
    text = _NON_LETTERS.sub(" ", text)
    tokens = [t for t in text.split() if t and t not in _HONORIFICS and not t.isdigit()]
    while len(tokens) > 1 and tokens[0] in _LEADING_TITLES:
        tokens = tokens[1:]
    return _attach_particles(tokens)


def _attach_particles(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in _ATTACHING_PARTICLES and i + 1 < len(tokens):
            out.append(tokens[i] + "_" + tokens[i + 1])  # "_" remembers the particle for matching
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


_GENERATION_AT_END = re.compile(r"[\s,]+(jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)  # not "V": an initial as often


def _generation(text: str) -> tuple[str, str | None]:
    """'Martin Luther King Jr.' → ('Martin Luther King', 'jr'), 'Donald Jr.' → ('Donald', 'jr')."""
    found = _GENERATION_AT_END.search(text)
    before = len(text[: found.start()].replace(",", " ").split()) if found else 0
    if found is None or before < (1 if found.group(1).lower() in {"jr", "sr"} else 2):
        return text, None  # a numeral follows a full name ("Henry Ford II"), not a lone word
    return text[: found.start()], found.group(1).lower()


@lru_cache(maxsize=100_000)  # resolution parses each mention several times; a store repeats few names
def parse_name(text: str) -> ParsedName:
    """Tokens of a name; 'CHOE, Son Hui' (registry order) becomes given + surname, surname remembered."""
    text, generation = _generation(strip_possessive(text))
    parsed = _parse_name(text)
    return ParsedName(parsed.tokens, parsed.surname, parsed.given, generation) if generation else parsed


def _parse_name(text: str) -> ParsedName:
    if text.count(",") == 1:
        surname_part, given_part = text.split(",")
        after = _NON_LETTERS.sub(" ", given_part.lower().replace(".", "")).split()
        if len(surname_part.split()) >= 2 and all(t in _POST_NOMINALS for t in after):
            return ParsedName(
                tuple(_clean_tokens(surname_part))
            )  # "Regina Benjamin, MD": a full name, a degree
        surname, given = _clean_tokens(surname_part), _clean_tokens(given_part)
        while given and given[0] in _LEADING_TITLES:  # "LAVROV, Minister Sergei": as in running text
            given = given[1:]
        if surname and not given:
            return ParsedName(tuple(surname))
        if surname and given:
            return ParsedName(tuple(given + surname), tuple(surname), tuple(given))
    tokens = tuple(_clean_tokens(text.replace(",", " ")))
    return ParsedName(tokens)


def normalize_text(text: str) -> str:
    """A thing's name as one comparable string: ASCII, lowercase, words only; unlike a person's name no
    word is taken for a title ("Justice Department" keeps "justice", "General Assembly" "general")."""
    text = _APOSTROPHES.sub("", to_ascii(strip_possessive(text)).lower())
    text = _NON_LETTERS.sub(" ", re.sub(r"[-\u2010-\u2015_./]", " ", text))
    tokens = [t for t in text.split() if not t.isdigit()]
    while len(tokens) > 1 and tokens[-1] in _HONORIFICS:  # "Joint Chiefs of Staff Gen. [Mark Milley]"
        tokens.pop()
    return " ".join(tokens)


def normalize_name(text: str) -> str:
    """One comparable string per spelling: ASCII, lowercase, no hyphens/apostrophes, given-name first."""
    parsed = parse_name(text)
    tokens = parsed.tokens + ((parsed.generation,) if parsed.generation else ())  # "Jr." names another person
    return " ".join(tokens).replace(_PARTICLE_SEP, " ")


# --- transliteration skeleton ------------------------------------------------

# Ordered rewrites: digraphs that romanisation systems spell differently map to one symbol.
_REWRITES: tuple[tuple[str, str], ...] = (
    ("tsch", "C"),
    ("dzh", "J"),
    ("tch", "C"),
    ("sch", "S"),
    ("sh", "S"),
    ("zh", "J"),
    ("dj", "J"),
    ("ch", "J"),
    ("j", "J"),
    ("C", "J"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("dz", "d"),
    ("ts", "z"),
    ("tz", "z"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
)
_VOWEL_RUN = re.compile(r"[aeiou]+")


# skeletons at least this long may differ by one edit (chosen on OFAC SDN aliases)
FUZZY_MIN_LEN = 5
FUZZY_TWO_EDITS_LEN = 8
CONSONANTS_MIN = 5
_VOWELS_ONLY = re.compile(r"[aeiouy]")


@lru_cache(maxsize=200_000)
def _consonant_form(token: str) -> str:
    """The token with romanisation digraphs unified and doubled letters single; vowels still there."""
    s = token.lower().replace(_PARTICLE_SEP, "")
    if s.startswith("ye") or s.startswith("yo"):  # Yevgeny / Evgeny, Yolkin / Elkin
        s = s[1:]
    if len(s) > 3 and s.endswith("ng"):  # Korean -ng / -n (Song / Son)
        s = s[:-1]
    for old, new in _REWRITES:
        s = s.replace(old, new)
    if s.startswith(
        "g"
    ):  # Arabic qaf and Korean ㄱ are written q, k or g first: Qaddafi / Gaddafi, Kim / Gim
        s = "k" + s[1:]
    if len(s) > 4 and s.endswith("h") and s[-2] in "aeiou":  # Abdullah / Abdulla
        s = s[:-1]
    if len(s) > 4 and s.endswith("e") and s[-2] not in "aeiou":  # Tajeddine / Tajeddin
        s = s[:-1]
    return re.sub(r"(.)\1+", r"\1", s)  # doubled letters: Muhammad / Muhamad


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """Skeleton of a romanised name token: consonants kept, each vowel run collapsed to 'a'.

    choe/choi → 'Ja', son/song → 'san', hui/hee → 'ha', sergei/sergey → 'sarga',
    yevgeny/evgeny → 'avgana', zakharova/zaharova → 'zaharava', dmitriy/dmitry → 'dmatra'.
    """
    s = _VOWEL_RUN.sub("a", _consonant_form(token))
    return re.sub(r"(?<=[^a])ar$", "r", s)  # Alexander / Aleksandr, Peter / Petr


@lru_cache(maxsize=200_000)
def _token_keys(token: str) -> tuple[str, ...]:
    """Skeletons of a token with and without its attached particle ("al_gaddafi" → algadafi, gadafi)."""
    keys = [phonetic_key(token)]
    if _PARTICLE_SEP in token:
        keys.append(phonetic_key(token.split(_PARTICLE_SEP, 1)[1]))
    elif len(token) >= 7 and token[:2] in (
        "al",
        "el",
    ):  # the article written joined: "Elkaddafi", "Alzubaidi"
        keys.append(phonetic_key(token[2:]))
    return tuple(keys)


def tokens_match(a: str, b: str) -> bool:
    """Two name tokens are spellings of one name part."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial matches the name it abbreviates
        return a[0] == b[0]
    keys_a, keys_b = _token_keys(a), _token_keys(b)
    if any(k in keys_b for k in keys_a):
        return True
    # long tokens may differ by one more letter than the skeleton absorbs (Pavliuchenko / Pavlichenko);
    # measured with vowels kept, so Mahmud / Mohammad (same skeleton length) stay apart
    fa, fb = _consonant_form(a), _consonant_form(b)
    longest = max(len(fa), len(fb))
    if longest < FUZZY_MIN_LEN or fa[0] != fb[0]:
        return False
    allowed = 2 if longest >= FUZZY_TWO_EDITS_LEN else 1
    if Levenshtein.distance(fa, fb, score_cutoff=allowed) <= allowed:
        return True
    # vowels are what romanisations disagree on most (Droukadal / Drokdal, Zimouski / Zimowsky): the
    # consonants alone may decide when there are at least four of them
    ca, cb = _VOWELS_ONLY.sub("", fa.replace("v", "u")), _VOWELS_ONLY.sub("", fb.replace("v", "u"))
    return len(ca) >= CONSONANTS_MIN and ca == cb


def _parts_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Token sequences match one-to-one, or as wholes once joined ('jong un' / 'jongun')."""
    if len(a) == len(b) and all(tokens_match(x, y) for x, y in zip(a, b, strict=True)):
        return True
    joined_a, joined_b = "".join(a), "".join(b)
    return len(joined_a) > 2 and phonetic_key(joined_a) == phonetic_key(joined_b)


def spellings_match(a: str, b: str) -> bool:
    """Two names are spellings of one name part by part, with no rule about people (a place, an
    organisation, a one-word name): 'Кения' / 'Kenya', 'Pyongyang' / 'P'yŏngyang'."""
    ta, tb = parse_name(a).tokens, parse_name(b).tokens
    if not ta or not tb or not _parts_match(ta, tb):
        return False
    # the vowels must agree too: 'Кения' (keniia) is Kenya, not Ghana, whose skeletons are one ('kana');
    # a letter in four may still differ (Nairobi / Nayrobi). Cross-script set (benchmarks/entities.py):
    # precision 0.851 -> 0.918, recall 0.342 -> 0.295
    fa, fb = _consonant_form("".join(ta)), _consonant_form("".join(tb))
    allowed = max(1, min(len(fa), len(fb)) // 4)
    return Levenshtein.distance(fa, fb, score_cutoff=allowed) <= allowed


def _given_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names match when the first ones match and the shorter list aligns in order inside the longer.

    Omitted middle names and patronymics are common between spellings, so the shorter list may skip
    tokens of the longer one; the first given name may not be skipped (Alexander X vs Sergei Alexander X).
    """
    if not a or not b:
        return False
    if len(a) > 1 and len(b) > 1 and _is_patronymic(a[-1]) and _is_patronymic(b[-1]):
        # a patronymic is written in its Russian or its Belarusian/Ukrainian form ("Grigoryevich" /
        # "Ryhoravich") or from a misread father's name: the given names before it decide
        a, b = a[:-1], b[:-1]
    if _parts_match(a, b):
        return True
    a, b = _drop_leading_initial(a, b), _drop_leading_initial(b, a)  # "W. Mark Felt" / "Mark Felt"
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not tokens_match(short[0], long_[0]) or (len(short[0]) == 1 and len(short) == 1):
        return False
    j = 1
    for token in short[1:]:
        while j < len(long_) and not tokens_match(token, long_[j]):
            j += 1
        if j == len(long_):
            return False
        j += 1
    return True


_PATRONYMIC = re.compile(r"(?:vich|vitj|vitch|vych|ovic|evic|ich|vna|auna|ovna|evna|ichna|ivna|yivna)$")


def _is_patronymic(token: str) -> bool:
    """'Grigoryevich', 'Ryhoravich', 'Mikhailovna', 'Mihaulauna': a father's name as a middle name."""
    return len(token) >= 7 and bool(_PATRONYMIC.search(token))


Reading = tuple[tuple[str, ...], tuple[str, ...], bool]


def _drop_leading_initial(a: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    if len(a) > 1 and len(a[0]) == 1 and other and other[0][:1] != a[0]:
        return a[1:]
    return a


def _readings(name: ParsedName) -> list[Reading]:
    """(surname, given, explicit) readings: the registry's own split, else surname last or (East Asian) first."""
    if name.surname is not None and name.given is not None:
        return [(name.surname, name.given, True)]
    t = name.tokens
    if len(t) < 2:
        return [(t, (), False)]
    readings: list[Reading] = [((t[-1],), t[:-1], False), ((t[0],), t[1:], False)]
    if len(t) >= 3:  # compound surname: "Perez Rojas", "Muorwel Malual"
        readings.append((t[-2:], t[:-2], False))
    return readings


def names_match(a: str | ParsedName, b: str | ParsedName) -> bool:
    """Same person by name alone: surnames match and given names align (both must have given names)."""
    pa = a if isinstance(a, ParsedName) else parse_name(a)
    pb = b if isinstance(b, ParsedName) else parse_name(b)
    if len(pa.tokens) < 2 or len(pb.tokens) < 2 or _other_person(pa, pb):
        return False
    if pa.tokens == pb.tokens:
        return True
    # "same person" is symmetric; the reading rules below are not in every corner, so try both ways
    return _directed_match(pa, pb) or _directed_match(pb, pa)


def _other_person(pa: ParsedName, pb: ParsedName) -> bool:
    """Names that say they are two people: different generations ("Jr." / "Sr." / none), or middle
    initials on both sides that do not pair up one to one ("George H. W. Bush" / "George W. Bush").

    Only when both names write a middle initial: one full middle name beside initials, or an
    omitted middle name, is how registries shorten one name (OFAC: "Ahmad Abdulla Mohammad A" /
    "Ahmed Abdullah"; applying the rule there lost 15 true pairs and no false one).
    """
    if pa.generation != pb.generation and {pa.generation, pb.generation} != {"sr", None}:
        # "Donald Trump Jr." is not "Donald Trump", nor "Dale Ferris III" "Dale Ferris II"; a father is
        # written with and without "Sr." (ECB+: "W. Mark Felt Sr." / "Mark Felt")
        return True
    ma, mb = _middles(pa), _middles(pb)
    if not (any(len(t) == 1 for t in ma) and any(len(t) == 1 for t in mb)):
        return False
    if len(pa.tokens[0]) == 1 or len(pb.tokens[0]) == 1:
        return False  # "A.S. Mujel": initials throughout say nothing about which middle names
    return len(ma) != len(mb) or not all(tokens_match(x, y) for x, y in zip(ma, mb, strict=True))


def _middles(name: ParsedName) -> tuple[str, ...]:
    """The parts between the first given name and the surname (the registry's split when it gave one)."""
    if name.given is not None:
        return name.given[1:]
    return name.tokens[1:-1] if len(name.tokens) >= 3 else ()


def _directed_match(pa: ParsedName, pb: ParsedName) -> bool:
    for sa, ga, explicit_a in _readings(pa):
        for sb, gb, explicit_b in _readings(pb):
            if _parts_match(sa, sb) and _given_match(ga, gb):
                return True
            # a compound surname written in part is weaker evidence: the given names must agree in full
            if _partial_surname_match(sa, sb, explicit_a, explicit_b) and _parts_match(ga, gb):
                return True
    # same parts in another order: registries and outlets disagree on which part is the surname
    return len(pa.tokens) == len(pb.tokens) and _permutation_match(pa.tokens, pb.tokens)


def _permutation_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Every token of ``a`` pairs with a distinct token of ``b`` (exact pairs first, then spellings)."""
    left = list(b)
    pending = []
    for token in a:
        if token in left:
            left.remove(token)
        else:
            pending.append(token)
    for token in pending:
        partner = next((t for t in left if len(t) > 1 and len(token) > 1 and tokens_match(token, t)), None)
        if partner is None:
            return False
        left.remove(partner)
    return True


def _partial_surname_match(
    a: tuple[str, ...], b: tuple[str, ...], explicit_a: bool, explicit_b: bool
) -> bool:
    # a compound surname written in part ("SARRIA DIAZ, Edgar" / "SARRIA, Edgar"): only when a registry
    # marked the compound as a surname — guessing compounds in running text would merge Kim Yo Jong
    # with Kim Jong Un
    if len(a) == len(b):
        return False
    short, long_, long_explicit = (a, b, explicit_b) if len(a) < len(b) else (b, a, explicit_a)
    return long_explicit and len(short[0]) > 2 and tokens_match(short[0], long_[0])


def blocking_keys(name: ParsedName) -> set[str]:
    """Keys under which candidate matches are looked up: the skeleton of each possible surname.

    Two names that can match share a surname reading, so comparing only names that share a key
    keeps resolution near-linear. A 4-letter prefix key catches skeletons one letter apart.
    """
    keys: set[str] = set()
    for surname, _, _ in _readings(name):
        for key in _token_keys(surname[0]) if surname else ():
            keys.add(key)
            keys.add("p:" + key[:4])
        if surname and len(form := _consonant_form(surname[0])) >= FUZZY_MIN_LEN:
            # spellings one edit apart share a form with one letter deleted ("katafi" / "kadafi" → "kaafi"),
            # which the fuzzy token rule accepts but the skeleton and prefix keys missed
            keys.update("d:" + form[:i] + form[i + 1 :] for i in range(len(form)))
            if len(form) >= FUZZY_TWO_EDITS_LEN:  # two edits allowed: two letters deleted
                keys.update(
                    "d:" + form[:i] + form[i + 1 : j] + form[j + 1 :]
                    for i in range(len(form))
                    for j in range(i + 1, len(form))
                )
            keys.add("c:" + _VOWELS_ONLY.sub("", form.replace("v", "u")))
        joined = phonetic_key("".join(surname))
        if joined:
            keys.add(joined)
    if name.tokens:  # the permutation rule pairs names whose parts are ordered differently
        keys.add("t:" + "|".join(sorted(phonetic_key(t) for t in name.tokens)))
    return keys


def matching_pairs(
    parsed: Sequence[ParsedName], max_block: int | None = None, involving: AbstractSet[int] | None = None
) -> list[tuple[int, int]]:
    """Index pairs (i < j) that :func:`names_match` accepts, compared only within shared blocking keys.

    ``max_block`` caps how many names one key compares (a very common surname skeleton would
    otherwise make resolution quadratic); with ``involving``, only pairs with a name of those
    indices are compared (the others are known already).
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(parsed):
        for key in blocking_keys(name):
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    found: list[tuple[int, int]] = []
    for members in blocks.values():
        members = members[:max_block] if max_block else members
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                pair = (i, j) if i < j else (j, i)
                if pair in seen or (involving is not None and i not in involving and j not in involving):
                    continue
                seen.add(pair)
                if names_match(parsed[i], parsed[j]):
                    found.append(pair)
    return found


# --- looser evidence inside one story --------------------------------------------

# particles that begin a multi-word surname ("Gaetano Lo Presti", "Robert De Niro", "van der Sar")
SURNAME_PARTICLES = frozenset(
    {
        "lo",
        "la",
        "le",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "den",
        "ten",
        "ter",
        "al",
        "el",
        "bin",
        "ben",
        "ibn",
        "abu",
        "st",
        "mac",
    }
)
# common English hypocoristics that are not a prefix of the full given name
_NICKNAMES: dict[str, frozenset[str]] = {
    nick: frozenset(fulls.split())
    for nick, fulls in {
        "bob": "robert",
        "bobby": "robert",
        "rob": "robert",
        "robbie": "robert",
        "bert": "robert albert herbert",
        "bill": "william",
        "billy": "william",
        "will": "william",
        "willie": "william",
        "liam": "william",
        "jim": "james",
        "jimmy": "james",
        "jamie": "james",
        "dick": "richard",
        "rick": "richard",
        "ricky": "richard",
        "rich": "richard",
        "mike": "michael",
        "mick": "michael",
        "ted": "edward theodore",
        "ed": "edward edwin edmund",
        "eddie": "edward",
        "ned": "edward",
        "tony": "anthony antonio",
        "jack": "john",
        "johnny": "john",
        "chuck": "charles",
        "charlie": "charles",
        "hank": "henry",
        "harry": "henry harold",
        "peggy": "margaret",
        "maggie": "margaret",
        "meg": "margaret",
        "liz": "elizabeth",
        "beth": "elizabeth",
        "betty": "elizabeth",
        "kate": "katherine catherine kathryn",
        "katie": "katherine catherine kathryn",
        "kathy": "katherine kathryn",
        "cathy": "catherine",
        "sue": "susan suzanne",
        "steve": "stephen steven",
        "joe": "joseph",
        "larry": "lawrence laurence",
        "andy": "andrew",
        "drew": "andrew",
        "matt": "matthew",
        "mo": "maurice mohammed muhammad",
        "peg": "margaret",
        "sandy": "sandra alexander",
        "sasha": "alexander aleksandr",
        "dave": "david",
        "jerry": "gerald jerome",
        "terry": "terence",
        "greg": "gregory",
        "ben": "benjamin",
        "sam": "samuel",
    }.items()
}


def is_particle_surname(tokens: tuple[str, ...]) -> bool:
    """'Lo Presti', 'De Niro', 'van der Sar': a surname with its particles, not a given name + surname."""
    return 2 <= len(tokens) <= 3 and all(t in SURNAME_PARTICLES for t in tokens[:-1]) and tokens[0] != "ben"


def _given_variants(a: str, b: str) -> bool:
    """Two first given names of one person: a shortened form ('Fred' / 'Frederick'), a shared stem
    ('Alexis' / 'Alexandros') or a common nickname ('Bill' / 'William').

    Shortened forms must be short and cut off at least three letters, so Paul / Paula, Daniel /
    Danielle or Joseph / Josephine stay apart; a shared stem needs four letters and at least two
    more letters on each side (Mario / Maria stay apart).
    """
    if tokens_match(a, b) and len(a) > 1 and len(b) > 1:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in _NICKNAMES and long_ in _NICKNAMES[short]:
        return True
    if long_.startswith(short):
        return 2 <= len(short) <= 5 and len(long_) - len(short) >= 3
    common = len(_common_prefix(a, b))
    return common >= 4 and len(short) - common >= 2


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def names_match_in_story(a: str | ParsedName, b: str | ParsedName) -> bool:
    """Same person when both names occur in one story: :func:`names_match`, or looser evidence.

    Inside one story a shared surname is strong context, so these also count: one name is the
    other with words in front ('Charger Jamal Williams' / 'Jamal Williams', 'Gaetano Lo Presti' /
    'Lo Presti'), or the surnames match and the first given names are variants of one name
    ('Fred LaRue' / 'Frederick C. LaRue', 'Katie Jenkin' / 'Kathryn Jenkin').
    """
    pa = a if isinstance(a, ParsedName) else parse_name(a)
    pb = b if isinstance(b, ParsedName) else parse_name(b)
    if names_match(pa, pb):
        return True
    if _other_person(pa, pb):
        return False
    ta, tb = pa.tokens, pb.tokens
    if len(ta) < 2 or len(tb) < 2 or not tokens_match(ta[-1], tb[-1]):
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) < len(long_) and all(
        tokens_match(x, y) for x, y in zip(short, long_[-len(short) :], strict=True)
    ):
        return len(short[0]) > 1  # "J. Smith" is not a tail of "Anna J. Smith"
    if is_particle_surname(ta) or is_particle_surname(tb):
        return False
    return _given_variants(ta[0], tb[0]) and len(ta[0]) > 1 and len(tb[0]) > 1


# --- what is not a name ------------------------------------------------------------

# days: the small model runs a name on over them ("Joe Rogan Wednesday") or tags them alone
DAY_WORDS = frozenset(WEEKDAYS + RELATIVE_DAYS)
# months are no name alone, but are kept inside one ("Theresa May", "June Carter"); "May" alone is a person
# as often as a month, so it is left to the model
_MONTHS = frozenset(MONTHS) - {"may"}
# words that name a kind of thing, a role or a body, not one thing: alone they are no name ("the House",
# "Chief Clerk of the House" → "Clerk"), and as the last word of a longer name they do not make it the
# same thing ("White House" is not "House"). Capitalised in news because of what precedes them.
GENERIC_WORDS = frozenset(
    [
        "house",
        "senate",
        "court",
        "clerk",
        "department",
        "ministry",
        "committee",
        "commission",
        "council",
        "office",
        "agency",
        "bureau",
        "board",
        "party",
        "government",
        "administration",
        "state",
        "states",
        "city",
        "county",
        "company",
        "group",
        "union",
        "parliament",
        "assembly",
        "cabinet",
        "caucus",
        "chamber",
        "republic",
        "kingdom",
        "center",
        "centre",
        "institute",
        "university",
        "school",
        "hospital",
        "police",
        "army",
        "navy",
        "force",
        "forces",
        "service",
        "services",
        "authority",
        "bank",
        "fund",
        "team",
        "club",
        "church",
        "foundation",
        "association",
        "organization",
        "organisation",
        "network",
        "news",
        "press",
        "times",
        "post",
        "journal",
        "daily",
        "media",
        "capitol",
        "embassy",
        "mission",
        "delegation",
        "statement",
        "act",
        "bill",
        "law",
        "rule",
        "order",
        "program",
        "programme",
        "plan",
        "report",
        "task",
        *_LEADING_TITLES,
        "speaker",
        "clerk",
        "chair",
        "director",
        "secretary",
        "attorney",
        "ambassador",
        "envoy",
        "spokesperson",
        "official",
        "officials",
        "sheriff",
        "commissioner",
        "dr",
        "mr",
        "mrs",
        "ms",
    ]
)
# prefixes and suffixes that turn a name into a description ("non-Covid", "Covid-related", "Trump-backed")
_DERIVED = re.compile(
    r"^(?:non|anti|pro|post|pre|ex|mid|neo|pan)-|-(?:\w+ed|\w+ing|like|style|era|free|wide|"
    r"year|years|old|time|type)$",
    re.IGNORECASE,
)
_INNER_POSSESSIVE = re.compile(r"^.*\S['\u2019]s\s+(?=\S)")
# plurals that end in no s and name people: a possessive of one is part of the name it opens
# ("People’s Liberation Army", "Children’s Hospital", "Women’s March")
_GROUPS_OF_PEOPLE = frozenset({"people", "children", "women", "men"})
# "World Health Organization (WHO" or "(WHO)": the acronym in brackets after a name is not part of it
_TRAILING_BRACKET = re.compile(r"(?<=\w)\s*\((?:[^()]*|[A-Z.&]{2,10}\))$")
# days that are part of a name: "Good Friday" is no Friday of this week
NAMED_DAY_PREFIXES = frozenset(
    {"good", "black", "super", "ash", "easter", "palm", "bloody", "cyber", "holy", "maundy", "shrove", "whit"}
)


@lru_cache(maxsize=100_000)
def name_core(text: str) -> str:
    """The name in a mention's text, or "" when it holds none.

    Days and months at either end go ("Joe Rogan Wednesday" → "Joe Rogan"); a name behind an inner
    possessive is the one meant ("Pfizer’s COVID-19" → "COVID-19"); a lone generic word ("House",
    "Clerk"), a day or month or a derived description ("Covid-related") is no name.
    """
    text = " ".join(_behind_inner_possessive(strip_possessive(_TRAILING_BRACKET.sub("", text))).split())
    if not any(ch.isupper() or ch.isdigit() for ch in text):
        return ""  # "n't", "un": a name is written with a capital
    words = text.split()
    while (
        words
        and words[-1].lower().strip(".,") in DAY_WORDS
        and not (len(words) > 1 and words[-2].lower() in NAMED_DAY_PREFIXES)
    ):
        words = words[:-1]
    while words and words[0].lower().strip(".,") in DAY_WORDS:
        words = words[1:]
    if len(words) == 1 and words[0].lower().strip(".,") in _MONTHS:
        return ""
    if not words or any(_DERIVED.search(w) for w in (words[0], words[-1])):
        return ""
    if all(w.lower().strip(".,") in GENERIC_WORDS | {"the"} for w in words):
        return ""  # "House", "Chief Clerk", "Foreign Ministry" alone: a kind of thing, not one thing
    return " ".join(words)


def _behind_inner_possessive(text: str) -> str:
    """The name behind an inner possessive ("Pfizer’s COVID-19" → "COVID-19"), unless the possessor is
    a group of people, which names nothing alone: "People’s Bank of China" is not the Bank of China
    (AllSides 5672: its statement was given to "Bank of China")."""
    found = _INNER_POSSESSIVE.match(text)
    if found is None:
        return text
    possessor = re.sub(r"['\u2019]s\s+$", "", found.group()).split()[-1]
    return text if possessor.lower() in _GROUPS_OF_PEOPLE else text[found.end() :]


def is_generic_word(word: str) -> bool:
    """A word that names a kind of thing or a role ("House", "Clerk"), not one thing."""
    return word.lower().strip(".,") in GENERIC_WORDS


def share_a_name(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of names (of two sentences of one story) share one person or thing, by
    :func:`loosely_same_name`."""
    return any(loosely_same_name(x, y) for x in a for y in b)


def loosely_same_name(x: str, y: str) -> bool:
    """Within one story's sentences, the looser test of two mentions naming one person or thing:
    nearly the same words in any order, or every word of the shorter in the longer ("Lavrov" /
    "Sergei Lavrov", "Choe" / "Choe Son Hui"). Organisations and one-word names pass too, which
    :func:`names_match` (people, across a whole store) never lets through."""
    x, y = x.lower().strip(), y.lower().strip()
    if not x or not y:
        return False
    if x == y or fuzz.token_sort_ratio(x, y) >= 88:
        return True
    tx, ty = x.replace("-", " ").split(), y.replace("-", " ").split()
    short, long_ = (tx, ty) if len(tx) <= len(ty) else (ty, tx)
    # "Lavrov" in "Sergei Lavrov", "Choe" in "Choe Son Hui"
    return all(any(fuzz.ratio(s, t) >= 80 for t in long_) for s in short) and max(map(len, short)) >= 3
