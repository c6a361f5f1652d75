"""A throw-away PostgreSQL server on loopback, for tests and benchmarks.

``PostgresCluster`` runs Debian's (or any) ``initdb``/``pg_ctl`` on a fresh data folder and a
free port, owned by an unprivileged user: ``initdb`` refuses to run as root, so a root process
(CI) runs the server as the ``postgres`` user that the Debian package creates. The server
trusts loopback connections and skips fsync: it holds test data that dies with it, unless
``durable`` asks for the settings a production server keeps (fsync, synchronous commit, full
page writes), for benchmarks that compare against the durable SQLite store.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path

SUPERUSER = "logisync"
"""The cluster's superuser, the one tests connect as."""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed here, or its server would not start."""


def server_binaries() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: on the PATH, else Debian's newest version."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    if versions:
        return Path(versions[-1]).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed: `apt-get install -y postgresql` (make test does it)"
    )


def _version(path: str) -> tuple[int, ...]:
    number = Path(path).parts[-3]
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One server: ``start``, ``url(database)``, ``restart``, ``stop``."""

    def __init__(
        self, folder: Path | None = None, *, port: int | None = None, durable: bool = False
    ) -> None:
        self.bin = server_binaries()
        self.run_as = "postgres" if os.geteuid() == 0 else None
        self.folder = folder or Path(tempfile.mkdtemp(prefix="logisync-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = port or free_port()
        self.durable = durable

    # -- life cycle ------------------------------------------------------------------------
    def start(self) -> PostgresCluster:
        if not self.data.exists():
            self._init()
        self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.log), "-o", self._options())
        return self

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-w", "-m", mode)

    def restart(self) -> None:
        """Stop (dropping every connection, as a failover or an upgrade would) and start."""
        self.stop()
        self.start()

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of ``template``, if given: fast for a migrated schema);
        returns its URL."""
        copy = f" TEMPLATE {_identifier(template)}" if template else ""
        self.sql(f"CREATE DATABASE {_identifier(name)}{copy}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {_identifier(name)} WITH (FORCE)")

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser, outside a transaction."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    # -- internals -------------------------------------------------------------------------
    def _init(self) -> None:
        if self.run_as is not None:  # root: the server's files belong to the server's user
            user = pwd.getpwnam(self.run_as)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )

    def _options(self) -> str:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.folder),
            "fsync": _on_off(self.durable),
            "synchronous_commit": _on_off(self.durable),
            "full_page_writes": _on_off(self.durable),
            "max_connections": "200",
            "shared_buffers": "64MB",
        }
        return " ".join(f"-c {name}={value}" for name, value in settings.items())

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), *args)

    def _run(self, *command: str) -> None:
        if self.run_as is not None:
            command = ("runuser", "-u", self.run_as, "--", *command)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise PostgresUnavailable(
                f"{' '.join(command[-len(command) :][:6])} failed ({done.returncode}):\n"
                f"{done.stdout}{done.stderr}{log[-2000:]}"
            )


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain database name: {name!r}")
    return f'"{name}"'


@contextmanager
def postgres_cluster(*, durable: bool = False) -> Iterator[PostgresCluster]:
    """A started cluster for the duration of the block, destroyed after it."""
    cluster = PostgresCluster(durable=durable)
    try:
        yield cluster.start()
    finally:
        cluster.destroy()


def _on_off(flag: bool) -> str:
    return "on" if flag else "off"


def wait_until_accepting(cluster: PostgresCluster, timeout: float = 30) -> None:
    """Poll with a deadline until the server takes connections (after a restart)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(cluster.url(), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


__all__ = ["PostgresCluster", "PostgresUnavailable", "postgres_cluster", "server_binaries"]
