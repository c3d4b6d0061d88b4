"""What newsweave derives once from the packages it ships with, kept on disk between processes.

Public entry points: :func:`cache_dir`, :func:`cached_json`, :func:`cached_file`, :func:`file_digest`.

A derived file is named after everything it was derived from (package versions, a digest of the
code that derives it), so a new version of either is a new file and an old one is never read.
The folder is ``$NEWSWEAVE_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsweave`` (``~/.cache/newsweave``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    if os.environ.get("NEWSWEAVE_CACHE_DIR"):
        return Path(os.environ["NEWSWEAVE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsweave"


def cached_json(name: str, build: Callable[[], Any]) -> Any:
    """The JSON value cached as ``name``; built, written (:func:`cached_file`) and returned when it
    is not there yet, or is damaged. A cache that cannot be read or written costs only the time to
    build: the built value is returned all the same."""
    built: list[Any] = []

    def write(path: Path) -> None:
        built.append(build())
        path.write_text(json.dumps(built[0]), encoding="utf-8")

    path = cached_file(name, write)
    if path is not None and not built:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # half a file a crashed process left: written again
            path.unlink(missing_ok=True)
            cached_file(name, write)
    return built[0] if built else build()


def cached_file(name: str, build: Callable[[Path], None]) -> Path | None:
    """The path of the file cached as ``name``, written by ``build(path)`` first when it is not
    there yet; None when the cache cannot be written (the caller reads what it ships with).

    ``build`` writes a private file that is renamed into place once complete, so processes
    starting together never read half a file.
    """
    target = cache_dir() / name
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".building-", delete=False) as out:
            building = Path(out.name)
    except OSError:
        return None
    try:
        build(building)
        os.replace(building, target)
    except OSError:
        return None
    finally:
        building.unlink(missing_ok=True)
    return target


def file_digest(path: Path) -> str:
    """The first 16 hex digits of the SHA-256 of the file at ``path``, hashed once per version of
    the file (its path, size and modification time) and then read from the cache: the models'
    graphs are 23 MB each, and hashing one cost every process that loaded it 0.03 s."""
    stat = path.stat()
    version = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    key = hashlib.sha256(version.encode()).hexdigest()[:16]
    digest = cached_json(f"sha256-{key}.json", lambda: hashlib.sha256(path.read_bytes()).hexdigest()[:16])
    return str(digest)
