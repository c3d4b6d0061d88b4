"""Named-entity mentions of one article: spaCy NER plus rules where the small model is weak.

Public entry point: :func:`extract_mentions`.

The small English model mislabels and mis-bounds foreign names ("Choe Son" PERSON + "Hui" NORP,
"Choe’s" ORG, "Lavrov and Choe" ORG, "Vassily Nebenzia" ORG). The repairs below use evidence
from the same article only:

* a PERSON span runs on over following capitalised proper nouns ("Choe Son" + "Hui");
* a span preceded by a role ("envoy, Vassily Nebenzia", "Foreign Minister X") is a PERSON;
* full person names seen in the article are looked up again in its text, and so is their
  surname ("Lavrov", "Choe" wherever the model tagged it at least once), so a surname-only
  mention of a known person becomes PERSON and a coordination ("Lavrov and Choe") splits;
* possessives and leading articles are trimmed ("Choe’s" → "Choe", "the DPRK" → "DPRK", GPE);
* the role next to a person is kept as :attr:`Mention.title` ("Kremlin spokesman").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsweave.analyze.nlp import text_of
from newsweave.model import Mention
from newsweave.names.aliases import place_key
from newsweave.names.match import DAY_WORDS, NAMED_DAY_PREFIXES

KEPT_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
# labels the model gives to names it does not know; kept only when a rule relabels them
_REPAIRABLE = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"})
_STATE_ACRONYMS = frozenset({"DPRK", "ROK", "PRC", "ROC", "USSR", "UAE"})

# head nouns of roles and titles; lower-case lemmas
ROLE_WORDS = frozenset(
    [
        "minister",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "envoy",
        "diplomat",
        "leader",
        "secretary",
        "chancellor",
        "premier",
        "governor",
        "senator",
        "general",
        "commander",
        "chairman",
        "chairwoman",
        "chair",
        "chief",
        "director",
        "analyst",
        "professor",
        "official",
        "prime",
        "deputy",
        "mayor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "lawmaker",
        "representative",
        "head",
        "ceo",
        "founder",
        "emperor",
        "sultan",
        "emir",
        "sheikh",
        "ayatollah",
        "cardinal",
        "bishop",
        "judge",
        "prosecutor",
        "attorney",
        "lawyer",
        "adviser",
        "advisor",
        "counterpart",
        "correspondent",
        "reporter",
        "editor",
        "author",
        "actor",
        "actress",
        "singer",
        "coach",
        "captain",
        "colonel",
        "lieutenant",
        "major",
        "sergeant",
        "admiral",
        "marshal",
        "commissioner",
        "speaker",
        "dr",
        "mr",
        "mrs",
        "ms",
        "sir",
        "lord",
        "lady",
        "president-elect",
        "vice",
        "researcher",
        "scientist",
        "expert",
        "economist",
        "spokesperson",
        "negotiator",
        "delegate",
        "consul",
        "mp",
    ]
)
# one-word ORG spans that are really part of a role ("Defense" in "Russian Defense Minister")
_DEPARTMENT_WORDS = frozenset(
    [
        "defense",
        "defence",
        "foreign",
        "interior",
        "finance",
        "justice",
        "health",
        "education",
        "trade",
        "economy",
        "energy",
        "agriculture",
        "culture",
        "labour",
        "labor",
        "transport",
        "environment",
        "security",
    ]
)
_POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’"})
_LEADING_DROP = frozenset({"the", "a", "an"})


@dataclass
class _Candidate:
    start: int  # token offsets into the doc
    end: int
    label: str


def extract_mentions(doc: Doc, article_id: str) -> list[Mention]:
    """Named mentions of ``doc`` (PERSON, ORG, GPE, NORP, LOC, FAC, EVENT) with roles as titles."""
    candidates = [c for c in (_trimmed(doc, e.start, e.end, e.label_) for e in doc.ents) if c is not None]
    candidates = [_person_from_compounds(doc, c, candidates) for c in candidates]
    owner = {i: c for c in candidates for i in range(c.start, c.end)}
    candidates = [_extend_person(doc, c, owner) for c in candidates]
    candidates = [_relabel_by_role(doc, c) for c in candidates]
    candidates = _vote_labels(doc, candidates) + _untagged_role_names(doc, candidates)
    persons = _person_names(doc, candidates)
    candidates = _split_coordinations(doc, candidates, persons)
    candidates = _relabel_known_persons(doc, candidates, persons)
    candidates = _add_unlabelled(doc, candidates, persons)
    candidates = _drop_role_fragments(doc, candidates)
    sentence_of = _sentence_index(doc)
    mentions = []
    for c in sorted(candidates, key=lambda c: c.start):
        if c.label not in KEPT_TYPES:
            continue
        span = doc[c.start : c.end]
        text = span.text
        if not re.search(r"[A-Za-z\u00c0-\uffff]", text) or "\n" in text:
            continue
        title = _title_of(doc, span) if c.label == "PERSON" else None
        mentions.append(
            Mention(
                article_id, sentence_of[c.start], span.start_char, span.end_char, text, c.label, title=title
            )
        )
    return mentions


# --- span clean-up -----------------------------------------------------------


def _trimmed(doc: Doc, start: int, end: int, label: str) -> _Candidate | None:
    """Drop leading articles/stray possessives and trailing possessives or punctuation."""
    if label not in KEPT_TYPES and label not in _REPAIRABLE:
        return None
    while start < end and (
        doc[start].lower_ in _LEADING_DROP or doc[start].text in _POSSESSIVE_TOKENS or doc[start].is_punct
    ):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE_TOKENS or doc[end - 1].is_punct):
        end -= 1
    while (
        end > start + 1 and doc[end - 1].pos_ == "ADV"
    ):  # "the U.S. Fully [vaccinated]": no name ends in an adverb
        end -= 1
    if end <= start:
        return None
    if end < len(doc) and doc[end].lower_ in DAY_WORDS and doc[end - 1].lower_ in NAMED_DAY_PREFIXES:
        end += 1  # "Belfast Good" + "Friday": the day is part of the name ("Good Friday")
    if (
        end - start == 2
        and "." in doc[end - 1].text
        and (place_key(doc[end - 1].text) or "").startswith("country:")
    ):
        return _Candidate(end - 1, end, "GPE")  # "the first Black U.S. secretary": a word before the country
    text = doc[start:end].text
    if text.upper() in _STATE_ACRONYMS:  # "the DPRK" is a state, not an organisation
        label = "GPE"
    return _Candidate(start, end, label)


def _is_name_token(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper() and token.is_alpha


def _is_person_name_token(token: Token) -> bool:
    # "Foreign Minister" is capitalised too, but it is a role, not a name
    lower = token.lower_
    return (
        _is_name_token(token)
        and lower not in ROLE_WORDS
        and lower not in _DEPARTMENT_WORDS
        and lower not in DAY_WORDS
    )  # "Joe Rogan Wednesday": the day is when, not who


def _extend_person(doc: Doc, c: _Candidate, owner: dict[int, _Candidate]) -> _Candidate:
    """'Choe Son' + 'Hui': a PERSON runs on over capitalised proper nouns the model cut off."""
    if c.label != "PERSON":
        return c
    end = c.end
    # "Jeong Hye" + "-" + "won": romanised given names are hyphenated, and the model may stop at the hyphen
    while (
        end + 1 < len(doc)
        and doc[end].text in ("-", "‑")
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and doc[end + 1].text[:1].islower()
    ):
        end += 2
    while (
        end < len(doc)
        and end - c.start < 4
        and _is_person_name_token(doc[end])
        and "\n" not in doc[end - 1].whitespace_
    ):
        other = owner.get(end)
        if (
            other is not None
            and other is not c
            and (other.label in {"GPE", "LOC", "FAC", "DATE"} or other.end - other.start > 1)
        ):
            break
        end += 1
    for i in range(c.end, end):  # the swallowed one-token span ("Hui" NORP) goes away
        if i in owner and owner[i] is not c:
            owner[i].label = "_merged"
    return _Candidate(c.start, end, c.label)


def _person_from_compounds(doc: Doc, c: _Candidate, all_candidates: list[_Candidate]) -> _Candidate:
    """'Choe Son' (untagged) + 'Hui' (NORP): a nationality word does not take name compounds — a person does."""
    if c.label != "NORP" or c.end - c.start != 1 or not _is_person_name_token(doc[c.start]):
        return c
    tagged = {i for o in all_candidates if o is not c for i in range(o.start, o.end)}
    start = c.start
    while (
        start > 0
        and c.start - start < 3
        and start - 1 not in tagged
        and _is_person_name_token(doc[start - 1])
        and doc[start - 1].dep_ == "compound"
        and c.start >= doc[start - 1].head.i >= start
        and "\n" not in doc[start - 1].whitespace_
    ):
        start -= 1
    return _Candidate(start, c.end, "PERSON") if start < c.start else c


def _is_role(token: Token) -> bool:
    # the pipeline runs without the lemmatizer (lemma_ is empty), so the plural is cut by hand
    word = token.lower_
    return word in ROLE_WORDS or (word.endswith("s") and word[:-1] in ROLE_WORDS)


def _relabel_by_role(doc: Doc, c: _Candidate) -> _Candidate:
    """A name introduced by a role ("envoy …, Vassily Nebenzia", "Foreign Minister X") is a person."""
    if c.label in {"PERSON", "GPE", "LOC", "FAC", "EVENT", "NORP"} or c.end - c.start > 3:
        return c
    span = doc[c.start : c.end]
    if not all(_is_name_token(t) for t in span):
        return c
    root = span.root
    by_compound = (
        c.start > 0
        and doc[c.start - 1].lower_ in ROLE_WORDS
        and doc[c.start - 1].head.i in range(c.start, c.end)
    )
    by_apposition = root.dep_ == "appos" and _is_role(root.head)
    if by_compound or by_apposition:
        return _Candidate(c.start, c.end, "PERSON")
    return c


def _vote_labels(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """One text, one label per article: a stray 'Russia' PERSON follows the majority GPE."""
    votes: dict[str, dict[str, int]] = {}
    for c in candidates:
        if c.label in KEPT_TYPES:
            by_label = votes.setdefault(doc[c.start : c.end].text, {})
            by_label[c.label] = by_label.get(c.label, 0) + 1
    for c in candidates:
        counted = votes.get(doc[c.start : c.end].text)
        if counted and c.label in KEPT_TYPES:
            best = max(counted.items(), key=lambda kv: kv[1])
            if best[1] > counted[c.label]:
                c.label = best[0]
    return candidates


def _untagged_role_names(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """'top diplomat, Choe Son-hui,' — a capitalised name right after a role, missed by the model."""
    tagged = {i for c in candidates for i in range(c.start, c.end)}
    found: list[_Candidate] = []
    i = 0
    while i < len(doc):
        if i in tagged or not _is_person_name_token(doc[i]) or not _after_role(doc, i):
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 5 and end not in tagged:
            token = doc[end]
            hyphen_part = token.text in {"-", "‐"} and end + 1 < len(doc) and doc[end + 1].is_alpha
            if hyphen_part:
                end += 2
            elif _is_person_name_token(token) and "\n" not in doc[end - 1].whitespace_:
                end += 1
            else:
                break
        words = doc[i:end].text.replace("-", " ").split()
        if len(words) >= 2:
            found.append(_Candidate(i, end, "PERSON"))
        i = end
    return found


def _after_role(doc: Doc, i: int) -> bool:
    j = i - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    return j >= 0 and doc[j].lower_.rstrip(".") in ROLE_WORDS


# --- article-level name evidence ---------------------------------------------


@dataclass
class _PersonNames:
    full: set[str]  # full names (two or more tokens) of the article's persons
    short: set[str]  # surnames (and East Asian family names) that may stand alone
    first: set[str]  # first name parts, which stand alone only before a possessive


def _person_names(doc: Doc, candidates: list[_Candidate]) -> _PersonNames:
    full: set[str] = set()
    last: set[str] = set()
    first: set[str] = set()
    for c in candidates:
        if c.label != "PERSON":
            continue
        tokens = [t.text for t in doc[c.start : c.end] if t.text not in {"-", "‐"}]
        words = doc[c.start : c.end].text.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            full.add(doc[c.start : c.end].text)
            last.add(tokens[-1].split("-")[0] if "-" in tokens[-1] else tokens[-1])
            first.add(tokens[0])
    # a first token stands alone as a name only where the model tagged it alone somewhere ("Kim", "Choe");
    # otherwise given names ("Sergei") would be taken for surnames
    alone = {doc[c.start : c.end].text for c in candidates if c.end - c.start == 1}
    # short surnames ("Hui" of "Choe Son Hui") likewise need the model's own standalone tag
    short = {
        w for w in (last | first) & alone | {w for w in last if len(w) > 3} if len(w) > 2 and w[:1].isupper()
    }
    return _PersonNames(full, short, {w for w in first if len(w) > 2 and w[:1].isupper()})


def _split_coordinations(doc: Doc, candidates: list[_Candidate], persons: _PersonNames) -> list[_Candidate]:
    """'Lavrov and Choe' (ORG): a coordination of known person names is two persons."""
    out: list[_Candidate] = []
    for c in candidates:
        span = doc[c.start : c.end]
        conj = [t for t in span if t.lower_ in {"and", "&"}]
        if c.label != "PERSON" and len(conj) == 1:
            left, right = doc[c.start : conj[0].i], doc[conj[0].i + 1 : c.end]
            if len(left) and len(right) and (_is_known(left.text, persons) or _is_known(right.text, persons)):
                out.append(_Candidate(left.start, left.end, c.label))
                out.append(_Candidate(right.start, right.end, c.label))
                continue
        out.append(c)
    return out


def _is_known(text: str, persons: _PersonNames) -> bool:
    return text in persons.full or text in persons.short


def _relabel_known_persons(doc: Doc, candidates: list[_Candidate], persons: _PersonNames) -> list[_Candidate]:
    """A span whose text is a person's full name or surname in this article is that person."""
    for c in candidates:
        if c.label == "PERSON" or c.label.startswith("_"):
            continue
        text = doc[c.start : c.end].text
        if text in persons.full or (text in persons.short and c.label not in {"NORP"}):
            c.label = "PERSON"
    return candidates


def _add_unlabelled(doc: Doc, candidates: list[_Candidate], persons: _PersonNames) -> list[_Candidate]:
    """Occurrences of known names (and of state acronyms) the model did not tag at all."""
    taken = [(c.start, c.end) for c in candidates if not c.label.startswith("_")]
    names = sorted(persons.full | persons.short, key=len, reverse=True)
    added: list[_Candidate] = []
    # a first name part followed by a possessive stands for the person too ("Choe’s visit")
    possessive = r"(?=['\u2019]s\b)"
    patterns = (
        [(n, "PERSON", "") for n in names]
        + [(n, "PERSON", possessive) for n in sorted(persons.first)]
        + [(a, "GPE", "") for a in sorted(_STATE_ACRONYMS)]
    )
    for name, label, after in patterns:
        for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])" + after, text_of(doc)):
            span = doc.char_span(match.start(), match.end(), alignment_mode="strict")
            if span is None:
                continue
            inside = [i for i, (s, e) in enumerate(taken) if s < span.end and span.start < e]
            if all(span.start <= taken[i][0] and taken[i][1] <= span.end for i in inside):
                # free, or covering only fragments of itself ("Hui" NORP inside "Choe Son Hui")
                for c in candidates:
                    if (c.start, c.end) in {taken[i] for i in inside}:
                        c.label = "_merged"
                taken = [t for i, t in enumerate(taken) if i not in inside] + [(span.start, span.end)]
                added.append(_Candidate(span.start, span.end, label))
    return [c for c in candidates if not c.label.startswith("_")] + added


def _drop_role_fragments(doc: Doc, candidates: list[_Candidate]) -> list[_Candidate]:
    """'Defense' (ORG) inside 'Russian Defense Minister Sergey Shoigu' is part of a title, not a name."""
    out = []
    for c in candidates:
        if (
            c.label == "ORG"
            and c.end - c.start == 1
            and doc[c.start].lower_ in _DEPARTMENT_WORDS
            and c.end < len(doc)
            and doc[c.end].lower_ in ROLE_WORDS | {"ministry", "department"}
        ):
            continue
        out.append(c)
    return out


# --- titles and sentences ----------------------------------------------------


def _title_of(doc: Doc, span: Span) -> str | None:
    """The role written next to a person: 'Kremlin spokesman', 'Russian Foreign Minister', 'envoy'."""
    start = span.start
    i = start - 1
    while i >= 0 and "\n" not in doc[i].whitespace_ and _is_title_token(doc[i], span):
        i -= 1
    tokens = [t for t in doc[i + 1 : start] if t.lower_ not in _LEADING_DROP]
    while tokens and (tokens[0].text in _POSSESSIVE_TOKENS or tokens[0].is_punct):
        tokens = tokens[1:]
    if tokens and any(t.lower_.rstrip(".") in ROLE_WORDS for t in tokens):
        return " ".join(t.text for t in tokens)
    root = span.root
    if root.dep_ == "appos" and _is_role(root.head) and root.head.i < start:
        head = root.head
        left = [t for t in head.lefts if t.dep_ in {"compound", "amod"}]
        return " ".join(t.text for t in [*left, head])
    return None


def _is_title_token(token: Token, span: Span) -> bool:
    # modifiers of the name ("spokesman", "Kremlin", "Foreign", "Russian") that attach to it
    if token.is_punct and token.text not in {".", "-"}:
        return False
    if token.lower_.rstrip(".") in ROLE_WORDS:
        return True
    attached = token.head.i >= token.i and (
        token.head.i in range(span.start, span.end) or token.head.i < span.start
    )
    return (
        attached
        and token.dep_ in {"compound", "amod", "nmod", "poss", "case"}
        and (token.pos_ in {"PROPN", "ADJ", "NOUN", "PART"})
    )


def _sentence_index(doc: Doc) -> list[int]:
    index = [0] * (len(doc) + 1)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index
