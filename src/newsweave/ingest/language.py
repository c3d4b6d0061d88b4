"""Which language an article is written in, from its own words (py3langid, offline).

Public entry point: :func:`identify_language`. py3langid's naive-Bayes model over byte n-grams
ships inside the wheel (97 languages), so nothing is fetched at run time.

Chosen on the ML-Crisis es/fr/it articles and the ECB+ English ones (``benchmarks/language.py``,
2,443 articles): py3langid 0.998 accurate at ~84k words/s; lingua-language-detector 2.1.1 0.994 at
~15k words/s; fasttext-langdetect fetches its model at run time, so it is not offline.
"""

from __future__ import annotations

from functools import lru_cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

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


# the arrays py3langid's identifier is made of, each unpacked once into the cache as a .npy file
ARRAYS = ("ptc", "pc", "classes", "nextmove", "output", "row")
# the two big tables (28 and 39 MB) are mapped, not read: identifying a text reads only the
# feature rows and automaton states its bytes reach
MAPPED = frozenset({"ptc", "nextmove"})


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier over its arrays unpacked in the cache.

    The wheel ships the model xz-compressed: unpacking it took every process 0.96 CPU s. Read
    back whole from the cache it still took 0.11 CPU s and 73 MB resident (204 MB at the peak:
    68 MB read, then the state table copied twice into a stdlib array); mapped, it opens in 0.02
    s and holds the pages the texts reach (42 MB after a first guess, a peak of 100 MB). The
    automaton is walked through a memoryview of the mapped table, as fast as the stdlib array
    per step, and every guess is the same."""
    from py3langid.langid import LanguageIdentifier

    try:
        model = {name: _cached_array(name) for name in ARRAYS}
    except (OSError, ValueError):  # no cache, or a damaged file (unpacked again next time)
        return _shipped_identifier()
    return LanguageIdentifier(
        model["ptc"],
        model["pc"],
        model["classes"].tolist(),
        model["nextmove"].data,
        model["output"].tolist(),
        norm_probs=True,
        tk_row=model["row"].data,
    )


def _cached_array(name: str) -> np.ndarray:
    path = cached_file(f"py3langid-{version('py3langid')}-{name}.npy", partial(_unpack_array, name))
    if path is None:
        raise OSError("the cache cannot be written")
    try:
        loaded: np.ndarray = np.load(path, mmap_mode="r" if name in MAPPED else None, allow_pickle=False)
        return loaded
    except (OSError, ValueError):
        path.unlink(missing_ok=True)
        raise


@lru_cache(maxsize=1)
def _shipped_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _unpack_array(name: str, target: Path) -> None:
    with target.open("wb") as out:
        np.save(out, _shipped_arrays()[name], allow_pickle=False)


def _shipped_arrays() -> dict[str, np.ndarray]:
    shipped = _shipped_identifier()
    return {
        "ptc": np.asarray(shipped.nb_ptc),
        "pc": np.asarray(shipped.nb_pc),
        "classes": np.array(shipped.nb_classes),
        "nextmove": np.frombuffer(shipped.tk_nextmove, dtype=f"u{shipped.tk_nextmove.itemsize}"),
        "output": np.asarray(shipped.tk_output, dtype=np.int32),
        "row": np.frombuffer(shipped.tk_row, dtype=f"u{shipped.tk_row.itemsize}"),
    }
