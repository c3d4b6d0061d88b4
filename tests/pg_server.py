"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, loopback port, stopped after.

PostgreSQL refuses to run as root, so under root the server runs as the
``postgres`` system user that Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> str | None:
    """``None`` when a server can be started here, else the reason it cannot."""
    if _bin_dir() is None:
        return "PostgreSQL server binaries are not installed (make test installs Debian's postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to drop to the postgres user"
    return None


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh, empty database on a private server."""
    bindir = _bin_dir()
    assert bindir, available()
    root = tempfile.mkdtemp(prefix="newsweave-pg-")
    data = os.path.join(root, "data")
    port = _free_port()
    prefix: list[str] = []
    if os.geteuid() == 0:
        os.chmod(root, 0o777)
        prefix = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        prefix + [f"{bindir}/initdb", "-D", data, "-U", "newsweave", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    log = os.path.join(root, "server.log")
    subprocess.run(
        prefix
        + [
            f"{bindir}/pg_ctl",
            "-D",
            data,
            "-l",
            log,
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {port} -k {root} -F",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        for _ in range(100):
            if (
                subprocess.run(
                    [f"{bindir}/pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True
                ).returncode
                == 0
            ):
                break
            time.sleep(0.1)
        subprocess.run(
            prefix
            + [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "newsweave", "newsweave"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://newsweave@127.0.0.1:{port}/newsweave"
    finally:
        subprocess.run(
            prefix + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)
