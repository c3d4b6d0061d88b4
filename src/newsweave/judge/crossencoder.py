"""The shipped support judge: MiniLM fine-tuned as a cross-encoder, int8 ONNX, run with onnxruntime.

The model reads the claim and the evidence together ([CLS] claim [SEP] evidence [SEP]) and gives
four probabilities (entails, contradicts, related, unrelated). It was trained here on MRPC and
FNC-1 train pairs and on contradictions derived from them (``src/newsweave/judge/ (train.py, MODEL_CARD.md)``; the model
card there gives the data, the commit and the figures). Nothing is downloaded: the graph is a
file of this package and the WordPiece vocabulary is MiniLM's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import onnxruntime as ort
    from tokenizers import Encoding, Tokenizer

from newsweave.analyze.embed import each_alone, onnx_session
from newsweave.cache import file_digest
from newsweave.judge._base import Verdict

MODEL_FILE = Path(__file__).with_name("support-minilm-l6-int8.onnx")
MAX_TOKENS = 128  # claim and evidence together; the training pairs were cut at this length
# Verdicts kept per process: a story is rebuilt whenever an article joins it, and most of its
# pairs were judged the time before.
CACHE_PAIRS = 200_000


class CrossEncoderJudge:
    """:class:`newsweave.judge.SupportJudge` over the shipped ONNX graph.

    Each pair runs alone (no padding, so a verdict never depends on the pairs batched with it:
    the int8 graph scales activations per call), ``threads`` pairs at once, one onnxruntime
    thread each, as the embedder does.
    """

    def __init__(self, threads: int = 2, model_file: Path = MODEL_FILE) -> None:
        self.threads = max(1, threads)
        self.model_file = model_file
        self._cache: dict[tuple[str, str], Verdict] = {}

    @property
    def model_id(self) -> str:
        """The graph's file name and content hash: verdicts kept under another are not this model's."""
        return _file_id(str(self.model_file))

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        # safe to call from several threads (stories are filled two at a time): the verdicts
        # this call returns are read into its own dict, so a clear of the cache by another
        # call in between cannot lose them
        keys = [(a or "", b or "") for a, b in pairs]
        known: dict[tuple[str, str], Verdict] = {}
        for key in dict.fromkeys(keys):
            cached = self._cache.get(key)
            if cached is not None:
                known[key] = cached
        todo = sorted(set(keys) - known.keys())
        fresh = dict(zip(todo, self._run(todo), strict=True))
        if len(self._cache) + len(fresh) > CACHE_PAIRS:
            self._cache.clear()
        self._cache.update(fresh)
        known.update(fresh)
        return [known[key] for key in keys]

    def _run(self, pairs: list[tuple[str, str]]) -> list[Verdict]:
        if not pairs:
            return []
        session = _session(str(self.model_file))
        names = {i.name for i in session.get_inputs()}
        encodings = _tokenizer().encode_batch(pairs)
        out: list[Verdict | None] = [None] * len(pairs)

        def run(row: int) -> None:
            out[row] = _verdict(session, names, encodings[row])

        order = sorted(range(len(pairs)), key=lambda i: -len(encodings[i].ids))
        each_alone(run, order, self.threads)
        return [v for v in out if v is not None]


def _verdict(session: ort.InferenceSession, names: set[str], encoding: Encoding) -> Verdict:
    ids = np.asarray([encoding.ids], dtype=np.int64)
    feeds = {
        "input_ids": ids,
        "attention_mask": np.ones_like(ids),
        "token_type_ids": np.asarray([encoding.type_ids], dtype=np.int64),
    }
    scores: npt.NDArray[np.float32] = session.run(["logits"], {k: v for k, v in feeds.items() if k in names})[
        0
    ]
    logits = scores[0].astype(np.float64)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return Verdict(entails=float(p[0]), contradicts=float(p[1]), related=float(p[2]), unrelated=float(p[3]))


@lru_cache(maxsize=2)
def _file_id(path: str) -> str:
    # the file's digest as the cache keeps it: hashing the 23 MB graph here took 0.03 s, twice in
    # every story's fill (the id is asked when the fill starts and when its verdicts are kept)
    return f"{Path(path).name}:{file_digest(Path(path))}"


@lru_cache(maxsize=2)
def _session(path: str) -> ort.InferenceSession:
    if not Path(path).is_file():
        raise RuntimeError(f"support judge model {path} is missing: reinstall newsweave")
    return onnx_session(Path(path))


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    from tokenizers import Tokenizer

    from newsweave.analyze.embed import tokenizer_file

    tokenizer = Tokenizer.from_file(str(tokenizer_file()))
    tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer
