"""Gazette files added and removed from the admin page: names checked, content type-checked and parsed before
anything is written, written atomically and only ever directly inside the corpus folder.

An uploaded file is untrusted input: its name may carry a path ("../x.txt", "a/b.pdf", "C:\\x.docx"), control
characters or a hidden-file dot; its bytes may be of another format than its name says, too large, or hold no
document. Each of these is refused with a readable message and nothing in the corpus changes.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from qa_bot.errors import CorpusError, NotFound
from qa_bot.parse.corpus import parse_text_with_warnings
from qa_bot.parse.formats import GAZETTE_SUFFIXES, format_for_name
from qa_bot.parse.reader import gazette_text_with_notes
from qa_bot.parse.report import FileReport, make_warning
from qa_bot.serve.errors import BadUpload, FileExists, PayloadTooLarge

UPLOAD_PATH = "/api/admin/corpus"
UPLOAD_OVERHEAD_BYTES = 64 * 1024  # multipart boundaries and headers around the file itself
MAX_NAME_CHARS = 120
_TMP_PREFIX = ".upload-"  # hidden: a half-written upload is never read as a gazette


def check_name(name: str) -> str:
    """The file name itself, or BadUpload (400): no folders, no hidden files, no control characters, a gazette
    suffix."""
    if not name or not name.strip():
        raise BadUpload("缺少文件名。")
    if any(sep in name for sep in ("/", "\\")) or name in (".", "..") or ".." in name:
        raise BadUpload(f"文件名不能包含路径：“{_shown(name)}”。请只上传文件本身。")
    if name.startswith(".") or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise BadUpload(f"文件名不合法：“{_shown(name)}”。")
    if len(name) > MAX_NAME_CHARS:
        raise BadUpload(f"文件名过长（最多 {MAX_NAME_CHARS} 个字符）。")
    if format_for_name(name) is None:
        allowed = "、".join(sorted(GAZETTE_SUFFIXES))
        raise BadUpload(f"不支持的文件类型：“{_shown(name)}”。支持：{allowed}。", status=415)
    return name


def _shown(name: str) -> str:
    printable = "".join(ch if unicodedata.category(ch) not in ("Cc", "Cf") else "?" for ch in name)
    return printable[:60] + ("…" if len(printable) > 60 else "")


def corpus_path(corpus_dir: Path, name: str) -> Path:
    """corpus_dir/name after check_name, confirmed to resolve directly inside corpus_dir (no link leads out)."""
    folder = corpus_dir.resolve()
    path = (folder / check_name(name)).resolve()
    if path.parent != folder:
        raise BadUpload(f"文件名不合法：“{_shown(name)}”。")
    return path


def check_content(name: str, data: bytes, max_bytes: int) -> FileReport:
    """Parse the bytes as the gazette file `name` without writing anything: its parse report, or BadUpload /
    PayloadTooLarge. A file in which no document is found is refused (422)."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"文件过大（{len(data) // 1024} KB），单个文件最多 {max_bytes // (1024 * 1024)} MB。")
    if not data:
        raise BadUpload("文件为空。", status=422)
    try:
        text, how, notes = gazette_text_with_notes(data, name)
        documents, warnings = parse_text_with_warnings(text, name)
        warnings = [make_warning(name, line, "unreadable_part", message=note) for line, note in notes] + warnings
    except CorpusError as exc:
        status = 415 if "扩展名" in exc.reason or "不是可识别" in exc.reason else 422
        where = f"（第 {exc.line} 行）" if exc.line else ""
        raise BadUpload(f"“{_shown(name)}”未能解析{where}：{exc.reason}", status=status) from None
    return FileReport.of(name, how, documents, warnings)


@dataclass(frozen=True)
class StoredFile:
    name: str
    bytes: int
    modified: float


def list_files(corpus_dir: Path) -> list[StoredFile]:
    """The gazette files directly in the corpus folder (what the admin page manages), by name."""
    if not corpus_dir.is_dir():
        return []
    return sorted(
        (
            StoredFile(p.name, p.stat().st_size, p.stat().st_mtime)
            for p in corpus_dir.iterdir()
            if p.is_file() and not p.name.startswith(".") and format_for_name(p.name) is not None
        ),
        key=lambda f: f.name,
    )


def save_file(corpus_dir: Path, name: str, data: bytes, *, replace: bool) -> Path:
    """Write data as corpus_dir/name atomically (a hidden temporary file renamed into place)."""
    target = corpus_path(corpus_dir, name)
    if target.exists() and not replace:
        raise FileExists(f"语料中已有同名文件“{name}”。如要替换，请勾选“替换同名文件”。")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def remove_file(corpus_dir: Path, name: str) -> None:
    target = corpus_path(corpus_dir, name)
    if not target.is_file():
        raise NotFound(f"语料中没有文件“{_shown(name)}”。")
    target.unlink()


__all__ = [
    "MAX_NAME_CHARS",
    "StoredFile",
    "UPLOAD_OVERHEAD_BYTES",
    "UPLOAD_PATH",
    "check_content",
    "check_name",
    "corpus_path",
    "list_files",
    "remove_file",
    "save_file",
]
