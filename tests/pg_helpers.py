"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, loopback only, then removed.

The binaries are Debian's (/usr/lib/postgresql/<version>/bin, `make postgres-deps` installs them), else whatever
initdb/pg_ctl are on PATH. PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user
(created by Debian's package) through runuser, and the temporary folder is handed to it; otherwise as ourselves.

The server listens on 127.0.0.1 on a free port (password required: scram-sha-256) and on a unix socket in the
temporary folder (trust, for the superuser that creates the test databases). fsync is off: nothing here must
survive a crash of the machine.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

HOST = "127.0.0.1"
SUPERUSER = "postgres"
APP_USER = "qa_app"
# Characters that must be percent-encoded in a URL, so that masking is checked on both forms.
APP_PASSWORD = "Pw-q4@b0t/s3cr3t:z"
NO_POSTGRES = "找不到 PostgreSQL（/usr/lib/postgresql/*/bin/initdb 或 PATH 上的 initdb）：请运行 make postgres-deps"


class PostgresMissing(RuntimeError):
    pass


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl: the newest Debian version, else the one on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    raise PostgresMissing(NO_POSTGRES)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A running server; `url(db)` is what QA_BOT_DATABASE_URL would hold."""

    root: Path
    bindir: Path
    port: int
    run_as: str | None  # None: the current user
    user: str = APP_USER
    password: str = APP_PASSWORD
    _databases: int = field(default=0, repr=False)

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self, dbname: str, *, password: str | None = None, scheme: str = "postgresql") -> str:
        secret = quote(self.password if password is None else password, safe="")
        return f"{scheme}://{self.user}:{secret}@{HOST}:{self.port}/{dbname}"

    def admin(self, dbname: str = "postgres") -> Any:
        """An autocommit superuser connection over the unix socket."""
        import psycopg

        return psycopg.connect(
            host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True
        )

    def create_database(self, prefix: str = "qa") -> str:
        """A new empty database owned by the application user; returns its name."""
        from psycopg import sql

        self._databases += 1
        name = f"{prefix}_{self._databases}_{secrets.token_hex(3)}"
        with self.admin() as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(self.user))
            )
        return name

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _command(run_as: str | None, *args: str | Path) -> list[str]:
    argv = [str(a) for a in args]
    return ["runuser", "-u", run_as, "--", *argv] if run_as else argv


def _run(run_as: str | None, root: Path, *args: str | Path) -> None:
    result = subprocess.run(_command(run_as, *args), cwd=root, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(str(args[0])).name} failed ({result.returncode}): {result.stdout}\n{result.stderr}")


@contextmanager
def running_postgres() -> Iterator[PgServer]:
    """Start a server in a new temporary folder; stop it and remove the folder afterwards."""
    bindir = find_bindir()
    run_as: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise PostgresMissing(
                f"以 root 运行测试时需要系统用户 {SUPERUSER}（Debian 的 postgresql 包会创建它）：请运行 make"
                " postgres-deps"
            ) from None
        run_as = SUPERUSER
    # Under /tmp itself: pytest's own temporary folders are root-only (0700), the server user could not enter them.
    root = Path(tempfile.mkdtemp(prefix="qa-bot-pg-"))
    server = PgServer(root=root, bindir=bindir, port=0, run_as=run_as)
    started = False
    try:
        server.socket_dir.mkdir()
        pwfile = root / "superuser-password"
        pwfile.write_text(secrets.token_hex(16) + "\n", encoding="utf-8")
        if run_as:
            shutil.chown(root, user=run_as)
            for path in (server.socket_dir, pwfile):
                shutil.chown(path, user=run_as)
        _run(
            run_as,
            root,
            bindir / "initdb",
            "-D",
            server.data_dir,
            "-U",
            SUPERUSER,
            "--pwfile",
            pwfile,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        for attempt in range(3):  # the free port may be taken between the probe and the start
            server.port = free_port()
            options = (
                f"-c listen_addresses={HOST} -c port={server.port} -c unix_socket_directories={server.socket_dir} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
            )
            result = subprocess.run(
                _command(
                    run_as,
                    bindir / "pg_ctl",
                    "-D",
                    server.data_dir,
                    "-l",
                    server.log_file,
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ),
                cwd=root,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if result.returncode == 0:
                started = True
                break
            if attempt == 2:
                raise RuntimeError(f"pg_ctl start failed: {result.stdout}\n{result.stderr}\n{server.log_tail()}")
            time.sleep(0.5)
        from psycopg import sql

        with server.admin() as connection:
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(APP_USER), sql.Literal(APP_PASSWORD))
            )
        yield server
    finally:
        if started:
            subprocess.run(
                _command(run_as, bindir / "pg_ctl", "-D", server.data_dir, "-m", "immediate", "-w", "-t", "30", "stop"),
                cwd=root,
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(root, ignore_errors=True)
