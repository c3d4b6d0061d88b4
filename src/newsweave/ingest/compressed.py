"""gzip-compressed inputs (``story.html.gz``): decompressed with the same size limit as any file.

Public entry point: :func:`gunzip`. A small file can expand a thousandfold, so the output is
read in chunks and refused as soon as it passes the limit, never inflated whole first.
"""

from __future__ import annotations

import gzip
import io
import zlib

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 16


def is_gzip(data: bytes) -> bool:
    return data.startswith(GZIP_MAGIC)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """The decompressed bytes; ``ValueError`` saying why for a damaged archive or one over ``max_bytes``."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise ValueError(f"decompresses to over the {max_bytes:,}-byte limit")
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"damaged gzip data: {exc}") from None
    return bytes(out)


def inner_name(name: str) -> str:
    """``story.html.gz`` -> ``story.html``: the name that tells the kind of what is inside."""
    return name[:-3] if name.lower().endswith(".gz") else name
