"""Database URLs: parsing and checking QA_BOT_DATABASE_URL, and keeping its password out of logs and messages.

    ""                                  data_dir/qa-bot.sqlite3 (the default: one file per service)
    sqlite:///relative/path.sqlite3     a SQLite file relative to the working directory
    sqlite:////absolute/path.sqlite3    a SQLite file by absolute path
    postgresql://user:pass@host:5432/db one PostgreSQL database shared by every replica (also postgres://;
                                        needs the postgres extra: pip install 'qa-bot[postgres]')

The password of a URL never reaches a log line or an error message: they show `mask_url(url)`.

psycopg is imported only when a PostgreSQL URL is configured (`_psycopg`): checking such a URL already needs its
conninfo parser, and PostgresStorage takes the module from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from qa_bot.serve.storage.errors import DatabaseConfigError

DB_FILENAME = "qa-bot.sqlite3"
INSTALL_HINT = "pip install 'qa-bot[postgres]'"
ACCEPTED_FORMS = (
    "可用的写法：留空（data_dir/qa-bot.sqlite3）、sqlite:///相对路径、sqlite:////绝对路径、"
    "postgresql://用户:密码@主机:端口/数据库（或 postgres://…）"
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PASSWORD_PARAM = re.compile(r"(?i)([?&]password=)[^&#]*")


def _passwords_of(url: str) -> list[str]:
    """The passwords as written in the URL: of the userinfo part, and of password= query parameters."""
    found = []
    if "://" in url:
        rest = url.split("://", 1)[1]
        head = re.split(r"[?#]", rest, maxsplit=1)[0]
        at = head.rfind("@")
        if at >= 0 and ":" in head[:at]:
            found.append(head[:at].split(":", 1)[1])
    found += [match.group(0).split("=", 1)[1] for match in _PASSWORD_PARAM.finditer(url)]
    return [password for password in found if password]


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, for logs and messages."""
    if "://" in url:
        scheme, rest = url.split("://", 1)
        query = re.search(r"[?#]", rest)
        head, tail = (rest[: query.start()], rest[query.start() :]) if query else (rest, "")
        at = head.rfind("@")
        if at >= 0 and ":" in head[:at]:
            user = head[:at].split(":", 1)[0]
            head = f"{user}:***{head[at:]}"
        url = f"{scheme}://{head}{tail}"
    return _PASSWORD_PARAM.sub(r"\1***", url)


def scrub(text: str, url: str) -> str:
    """`text` with every form of the URL's passwords (as written, percent-decoded) replaced by ***."""
    forms = {form for password in _passwords_of(url) for form in (password, unquote(password))}
    for form in sorted(forms, key=len, reverse=True):
        if form:
            text = text.replace(form, "***")
    return text


@dataclass(frozen=True)
class DatabaseUrl:
    """A checked QA_BOT_DATABASE_URL: backend "sqlite" (path) or "postgresql" (url)."""

    backend: str
    url: str
    path: Path | None = None

    @property
    def display(self) -> str:
        return mask_url(self.url)


def parse_database_url(url: str, data_dir: Path) -> DatabaseUrl:
    """Check the URL (DatabaseConfigError, in Chinese, password masked, if qa-bot cannot use it)."""
    url = (url or "").strip()
    if not url:
        path = Path(data_dir) / DB_FILENAME
        return DatabaseUrl("sqlite", f"sqlite:///{path}", path)
    shown = mask_url(url)
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme == "sqlite":
        if not url.lower().startswith("sqlite:///") or not url[len("sqlite:///") :].strip():
            raise DatabaseConfigError(
                f"QA_BOT_DATABASE_URL={shown} 不是有效的 SQLite 地址：应为 sqlite:/// 后接文件路径"
                f"（sqlite:///data/qa-bot.sqlite3 为相对路径，sqlite:////var/lib/qa-bot/qa-bot.sqlite3 为绝对路径）。"
            )
        path = Path(url[len("sqlite:///") :])
        return DatabaseUrl("sqlite", url, path)
    if scheme in ("postgresql", "postgres") and url[len(scheme) :].startswith("://"):
        url = scheme + url[len(scheme) :]  # libpq wants the scheme in lower case
        _check_postgres_url(url)
        return DatabaseUrl("postgresql", url)
    raise DatabaseConfigError(f"无法识别的数据库地址 QA_BOT_DATABASE_URL={shown}。{ACCEPTED_FORMS}")


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseConfigError(
            f"QA_BOT_DATABASE_URL 指向 PostgreSQL，但没有安装 PostgreSQL 驱动 psycopg。请运行：{INSTALL_HINT}"
        ) from None
    return psycopg


def _check_postgres_url(url: str) -> dict[str, Any]:
    psycopg = _psycopg()
    shown = mask_url(url)
    try:
        params: dict[str, Any] = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise DatabaseConfigError(
            f"QA_BOT_DATABASE_URL={shown} 无法解析：{scrub(str(exc), url)}。{ACCEPTED_FORMS}"
        ) from None
    for port in str(params.get("port", "")).split(","):
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise DatabaseConfigError(f"QA_BOT_DATABASE_URL={shown} 的端口无效：{scrub(port, url)}。{ACCEPTED_FORMS}")
    return params


__all__ = [
    "ACCEPTED_FORMS",
    "DB_FILENAME",
    "INSTALL_HINT",
    "DatabaseUrl",
    "mask_url",
    "parse_database_url",
    "scrub",
]
