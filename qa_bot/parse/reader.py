"""Read a gazette file into text: PDF/Word/HTML through qa_bot.parse.formats, plain text by its encoding (BOM,
UTF-8 or GBK/GB18030, CRLF), a copy in traditional characters in simplified ones, without the readings (pinyin) a copy
prints after its characters; refuse binary junk and mislabelled files with file and line."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

from qa_bot.errors import CorpusError
from qa_bot.parse.formats import check_format, convert
from qa_bot.text.normalize import in_simplified, traditional, without_pinyin

log = logging.getLogger(__name__)

_CONTROL_OK = {"\n", "\r", "\t", "\f"}
_MAX_CONTROL_RATIO = 0.01


def _first_bad_line(data: bytes, position: int) -> int:
    return data[:position].count(b"\n") + 1


def _check_text(text: str, path: str) -> None:
    if not text.strip():
        raise CorpusError("文件为空或只有空白，没有可解析的内容", path=path)
    controls = [i for i, ch in enumerate(text) if ord(ch) < 32 and ch not in _CONTROL_OK]
    if "\x00" in text or len(controls) > max(3, _MAX_CONTROL_RATIO * len(text)):
        first = controls[0] if controls else text.index("\x00")
        raise CorpusError("不是文本文件（含有大量控制字符或二进制内容）", path=path, line=text[:first].count("\n") + 1)


def decode_gazette(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes to text with "\\n" line ends. Returns (text, encoding name)."""
    if not data.strip():
        raise CorpusError("文件为空或只有空白，没有可解析的内容", path=path)
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CorpusError(
            "不是文本文件（含有 NUL 字节，可能是二进制文件）",
            path=path,
            line=_first_bad_line(data, data.index(b"\x00")),
        )
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        text = data.decode("utf-16" if encoding == "utf-16" else "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
            encoding = "gb18030"
        except UnicodeDecodeError:
            raise CorpusError(
                "无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）",
                path=path,
                line=_first_bad_line(data, utf8_error.start),
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_text(text, path)
    return text, encoding


def gazette_text(data: bytes, path: str) -> tuple[str, str]:
    """Text of a gazette file's bytes and how it was read ("utf-8", "gb18030", "pdf", "docx", "html" …)."""
    text, how, _ = gazette_text_with_notes(data, path)
    return text, how


def gazette_text_with_notes(data: bytes, path: str) -> tuple[str, str, list[tuple[int, str]]]:
    """Text, how it was read, and (line, note) for parts of the file that could not be read (a scanned page)."""
    kind = check_format(data, path)
    if kind == "text":
        text, how = decode_gazette(data, path)
        notes: list[tuple[int, str]] = []
    else:
        text, notes = convert(kind, data, path)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        _check_text(text, path)
        how = kind
    text = without_pinyin(text)  # "發(fā)布": the readings a copy prints after its characters are no text
    if traditional(text):  # users ask in simplified characters: the text is read, searched and quoted in them
        log.info("%s: printed in traditional characters, read in simplified ones", path)
        text = in_simplified(text)
    return text, how, notes


def read_gazette(path: Path) -> tuple[str, str]:
    """Read one gazette file of any supported format; raises CorpusError naming the file (and line) on failure."""
    text, how, _ = read_gazette_with_notes(path)
    return text, how


def read_gazette_with_notes(path: Path) -> tuple[str, str, list[tuple[int, str]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"无法读取文件：{exc.strerror or exc}", path=str(path)) from None
    return gazette_text_with_notes(data, str(path))


__all__ = ["decode_gazette", "gazette_text", "gazette_text_with_notes", "read_gazette", "read_gazette_with_notes"]
