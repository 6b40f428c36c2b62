"""Gold question files: load and validate (unknown fields, duplicate ids, evidence not in the corpus → clear errors)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from qa_bot.errors import BadGoldFile
from qa_bot.parse.corpus import corpus_files
from qa_bot.parse.reader import read_gazette
from qa_bot.text.normalize import evidence_in

FIELDS = ("id", "question", "answerable", "doc_no", "evidence", "answer_any", "type")
FORMAT_HELP = (
    "每行一个 JSON 对象，字段为 id、question、answerable、doc_no、evidence、answer_any、type；"
    "type 是作者自定的分类标签（按标签分别统计），是否可回答只看 answerable"
)


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    answerable: bool
    doc_no: str | None
    evidence: str | None
    answer_any: tuple[str, ...]
    type: str
    line: int


def _fail(path: Path, line: int, message: str) -> BadGoldFile:
    return BadGoldFile(f"{path}:{line}: {message}（格式：{FORMAT_HELP}）")


def load_gold(path: Path, *, corpus_dir: Path | None = None) -> list[GoldQuestion]:
    """Read a gold JSONL file; every problem names the file and line. Evidence is checked against corpus_dir."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise BadGoldFile(f"找不到标准问题集文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadGoldFile(f"无法读取标准问题集文件 {path}：{exc}") from None
    corpus = ""
    if corpus_dir is not None:
        corpus = "\n".join(read_gazette(f)[0] for f in corpus_files(corpus_dir))
    questions: list[GoldQuestion] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _fail(path, number, f"不是合法的 JSON（{exc.msg}）") from None
        if not isinstance(item, dict):
            raise _fail(path, number, "每行必须是一个 JSON 对象")
        unknown = sorted(set(item) - set(FIELDS))
        missing = [f for f in FIELDS if f not in item]
        if unknown:
            raise _fail(path, number, f"未知字段 {', '.join(unknown)}")
        if missing:
            raise _fail(path, number, f"缺少字段 {', '.join(missing)}")
        qid = item["id"]
        if not isinstance(qid, str) or not qid:
            raise _fail(path, number, "id 必须是非空字符串")
        if qid in seen:
            raise _fail(path, number, f"id “{qid}” 重复（第 {seen[qid]} 行已出现）")
        seen[qid] = number
        if not isinstance(item["question"], str) or not item["question"].strip():
            raise _fail(path, number, "question 必须是非空字符串")
        if item["doc_no"] is not None and not isinstance(item["doc_no"], str):
            raise _fail(path, number, "doc_no 必须是字符串（问题涉及整期公报而非某一文件时可为空）")
        if not isinstance(item["answerable"], bool):
            raise _fail(path, number, "answerable 必须是 true 或 false")
        if not isinstance(item["type"], str) or not item["type"].strip():
            raise _fail(path, number, "type 必须是非空字符串（任意分类标签）")
        answers = item["answer_any"]
        if not isinstance(answers, list) or not all(isinstance(a, str) and a for a in answers):
            raise _fail(path, number, "answer_any 必须是字符串列表")
        if item["answerable"]:
            if not isinstance(item["evidence"], str) or not item["evidence"].strip():
                raise _fail(path, number, "可回答的问题必须给出 evidence")
            if not answers:
                raise _fail(path, number, "可回答的问题必须给出 answer_any")
            if corpus and not evidence_in(item["evidence"], corpus):
                raise _fail(path, number, f"evidence 在语料中找不到：“{item['evidence']}”")
        questions.append(
            GoldQuestion(
                id=qid,
                question=item["question"],
                answerable=item["answerable"],
                doc_no=item["doc_no"] or None,
                evidence=item["evidence"],
                answer_any=tuple(answers),
                type=item["type"],
                line=number,
            )
        )
    if not questions:
        raise BadGoldFile(f"{path}: 文件中没有问题")
    return questions


__all__ = ["FIELDS", "GoldQuestion", "load_gold"]
