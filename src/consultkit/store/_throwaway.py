"""A throwaway PostgreSQL server in a temporary directory, for tests and benchmarks (never for data).

It uses the server binaries on this machine (``initdb`` and ``pg_ctl``, found in Debian's
``/usr/lib/postgresql/<version>/bin`` or on ``PATH``), listens only on a Unix socket in the temporary
directory, trusts local connections, skips fsync, and is stopped and deleted on exit even when the block
raises. As root (CI), the server runs as the ``postgres`` account, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

__all__ = ["PostgresUnavailable", "throwaway_postgres"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why."""


def _bin_dir() -> str:
    """The newest Debian server directory, else where ``initdb`` on ``PATH`` really lives."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    on_path = shutil.which("initdb")
    if found or on_path:
        return os.path.dirname(found[-1] if found else os.path.realpath(str(on_path)))
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH; "
        "install them, e.g. apt-get install -y postgresql"
    )


def _run_as() -> list[str]:
    """``runuser -u postgres --`` when running as root, else nothing."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root and there is no 'postgres' account to run the server"
        ) from None
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def throwaway_postgres(*, user: str = "consultkit", database: str = "consultkit") -> Iterator[str]:
    """Start a server, create ``database``, yield its ``postgresql://`` URL; stop and delete it afterwards."""
    bin_dir = _bin_dir()
    prefix = _run_as()
    root = tempfile.mkdtemp(prefix="consultkit-pg-")
    data, socket_dir = os.path.join(root, "data"), os.path.join(root, "socket")
    os.mkdir(socket_dir)
    if prefix:
        owner = pwd.getpwnam("postgres")
        for path in (root, socket_dir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    pg_ctl = [*prefix, os.path.join(bin_dir, "pg_ctl"), "-D", data]
    started = False
    try:
        _check(
            [
                *prefix,
                os.path.join(bin_dir, "initdb"),
                "-D",
                data,
                "-U",
                user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ],
            "initdb",
        )
        options = f"-k {socket_dir} -c listen_addresses='' -F -c max_connections=50"
        _check(
            [*pg_ctl, "-o", options, "-l", os.path.join(root, "server.log"), "-w", "-t", "60", "start"],
            "pg_ctl start",
        )
        started = True
        _check(
            [*prefix, os.path.join(bin_dir, "createdb"), "-h", socket_dir, "-U", user, database], "createdb"
        )
        yield f"postgresql://{user}@/{database}?host={socket_dir}"
    finally:
        if started:
            subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def _check(command: list[str], step: str) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PostgresUnavailable(f"{step} could not run: {exc}") from exc
    if result.returncode != 0:
        raise PostgresUnavailable(f"{step} failed ({result.returncode}): {result.stderr.strip()[-500:]}")
