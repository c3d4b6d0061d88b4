"""The embedder contract: what the story stages need of a sentence encoder.

The shipped one is :class:`newsweave.analyze.embed.MiniLM`; tests and other encoders pass their own
object with this one method, and no stage imports an encoder's internals.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt


class Embedder(Protocol):
    """Texts → one unit-length float32 row per text, in input order."""

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]: ...
