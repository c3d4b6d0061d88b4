"""The shared spaCy pipeline: its faster attribute ruler must annotate exactly like spaCy's."""

from __future__ import annotations

import spacy

from newsweave.analyze.nlp import DEFAULT_MODEL, load_nlp, text_of

TEXTS = [
    "Choe Son Hui arrived in Moscow on Monday. She did not say whether she'd meet Putin, but "
    'officials said it is likely. "We ain\'t gonna comment," a spokesman told reporters.',
    "There is a man who has been waiting since 2019; it was him, and nothin' but you. Do you have it? "
    "I did. Y'all got ta let's c'm on  now.\n\nThe ministry, which had denied it, confirmed that 3,200 "
    "troops were sent. Whether they return is unclear.",
    "   ",
    "",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_faster_attribute_ruler_gives_spacys_annotations() -> None:
    stock = spacy.load(DEFAULT_MODEL, exclude=["lemmatizer"])
    ours = load_nlp()
    for text in TEXTS:
        expected = _annotations(stock(text))
        got = _annotations(ours(text))
        assert got == expected, text
    # the text exercises rules of every kind: a tag map entry, a listed form, a dependency
    doc = ours(TEXTS[1])
    assert {t.pos_ for t in doc} >= {"AUX", "PRON", "SCONJ", "SPACE"}


def test_text_of_is_the_doc_text() -> None:
    doc = load_nlp()(TEXTS[0])
    assert text_of(doc) == doc.text == TEXTS[0]
    assert text_of(doc) is text_of(doc)  # built once


def test_the_pipeline_is_loaded_once_however_it_is_asked_for() -> None:
    assert load_nlp() is load_nlp(DEFAULT_MODEL)


def test_the_pipeline_tokenizes_with_the_tokenizer_its_package_stored() -> None:
    stock = spacy.load(DEFAULT_MODEL, exclude=["lemmatizer"])
    ours = load_nlp()
    # every rule, pattern and setting, as spaCy serializes them
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == stock.tokenizer.to_bytes(exclude=["vocab"])
    assert len(ours.tokenizer.rules) > 1000
    for text in TEXTS:
        expected = [(t.text, t.whitespace_, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in stock(text)]
        assert [
            (t.text, t.whitespace_, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in ours(text)
        ] == expected


def test_components_that_never_run_are_not_loaded() -> None:
    nlp = load_nlp()
    assert "senter" not in nlp.component_names and "lemmatizer" not in nlp.component_names
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "ner"]


def test_the_loaded_pipeline_is_kept_out_of_later_collections() -> None:
    import subprocess
    import sys

    probe = (
        "import gc; from newsweave.analyze.nlp import load_nlp; before = gc.get_freeze_count(); "
        "load_nlp(); print(gc.isenabled(), gc.get_freeze_count() - before)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    enabled, frozen = out.split()
    assert enabled == "True" and int(frozen) > 50_000
