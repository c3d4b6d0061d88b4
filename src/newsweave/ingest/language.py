"""Which language an article is written in, from its own words (py3langid, offline).

Public entry point: :func:`identify_language`. py3langid's naive-Bayes model over byte n-grams
ships inside the wheel (97 languages), so nothing is fetched at run time.

Chosen on the ML-Crisis es/fr/it articles and the ECB+ English ones (``benchmarks/language.py``,
2,443 articles): py3langid 0.998 accurate at ~84k words/s; lingua-language-detector 2.1.1 0.994 at
~15k words/s; fasttext-langdetect fetches its model at run time, so it is not offline.
"""

from __future__ import annotations

from array import array
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np

from newsweave.cache import cached_file

# Below this many words a language guess is a guess: the article keeps the language it came with.
MIN_WORDS = 5
# Above this normalised probability 99.8% of the benchmark's articles are kept and 0.998 of those
# are right; the rest keep the language they came with rather than a doubtful one.
MIN_CONFIDENCE = 0.9
# Only the start is read: a language shows in its first few thousand characters, and the cost grows
# with length (a 200 kB page of text would otherwise cost a tenth of a second).
MAX_CHARS = 5000


def identify_language(text: str, fallback: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in, or ``fallback`` when the text is too
    short to tell or the model is unsure."""
    sample = text[:MAX_CHARS]
    if len(sample.split()) < MIN_WORDS:
        return fallback
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= MIN_CONFIDENCE else fallback


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier, read from its unpacked arrays in the cache: the wheel ships the model
    xz-compressed, and unpacking it took every process 0.96 CPU s (a ten-article ingest started
    from the command line paid it; the unpacked arrays read in about 0.05 s)."""
    from py3langid.langid import LanguageIdentifier

    unpacked = cached_file(f"py3langid-{version('py3langid')}-model.npz", _unpack_model)
    if unpacked is not None:
        try:
            with np.load(unpacked, allow_pickle=False) as model:
                return LanguageIdentifier(
                    model["ptc"],
                    model["pc"],
                    model["classes"].tolist(),
                    _stdlib_array(model["nextmove"]),
                    model["output"].tolist(),
                    norm_probs=True,
                    tk_row=_stdlib_array(model["row"]),
                )
        except (OSError, ValueError, KeyError, BadZipFile):
            unpacked.unlink(missing_ok=True)  # damaged: read the shipped model, unpack it next time
    return _shipped_identifier()


def _shipped_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _unpack_model(target: Path) -> None:
    shipped = _shipped_identifier()
    with target.open("wb") as out:
        np.savez(
            out,
            ptc=np.asarray(shipped.nb_ptc),
            pc=np.asarray(shipped.nb_pc),
            classes=np.array(shipped.nb_classes),
            nextmove=np.frombuffer(shipped.tk_nextmove, dtype=f"u{shipped.tk_nextmove.itemsize}"),
            output=np.asarray(shipped.tk_output, dtype=np.int32),
            row=np.frombuffer(shipped.tk_row, dtype=f"u{shipped.tk_row.itemsize}"),
        )


def _stdlib_array(values: Any) -> array[int]:
    """The state tables as py3langid walks them: a stdlib array of unsigned integers of their width."""
    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
