"""The parse report: per file what was understood, and a warning naming file and line for what was only half
understood — on `qa-bot index`, `qa-bot documents --check` (exit 1 when there is any), the index manifest and
/api/documents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from parse_helpers import Doc, gazette, write

from qa_bot.cli import main
from qa_bot.index.manifest import current_build, read_manifest
from qa_bot.parse import parse_corpus
from qa_bot.parse.corpus import parse_text_with_warnings

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def line_number(text: str, needle: str) -> int:
    return next(k for k, line in enumerate(text.split("\n"), start=1) if needle in line)


def warnings_of(text: str, name: str = "issue.txt") -> list[tuple[str, int | None, str]]:
    _, warnings = parse_text_with_warnings(text, name)
    return [(w.path, w.line, w.code) for w in warnings]


def test_clean_gazettes_give_no_warning():
    for path in [REPO / "corpus" / "jinzhou-gazette-2022-04.txt", FIXTURES / "mini-gazette.txt"]:
        assert warnings_of(path.read_text(encoding="utf-8"), path.name) == []


def test_cities_warn_only_where_the_stored_copy_lacks_the_signature():
    parsed = parse_corpus(FIXTURES / "cities")
    assert [(w.path, w.line, w.code) for w in parsed.warnings] == [
        ("hunan-2009-24.txt", 3, "no_date"),
        ("shandong-2014-20.txt", 4, "no_date"),
    ]
    report = {r.path: r for r in parsed.reports}
    assert (
        report["caidian-2023-1.txt"].documents,
        report["caidian-2023-1.txt"].clauses,
        report["caidian-2023-1.txt"].notes,
    ) == (1, 7, 3)


def test_document_swallowed_by_the_one_before_is_reported_at_its_line():
    """A 文号 line the parser does not take as a document start (text after the 文号) is named, not silently
    merged: the masthead and the 文号 line of the second document are both reported."""
    second = Doc(doc_no="某政发〔2023〕9号", title="某市人民政府关于加强消防安全工作的通知")
    text = gazette(Doc(), second, toc=False).replace("某政发〔2023〕9号", "某政发〔2023〕9号　　签发：王五")
    found = warnings_of(text)
    masthead = [k for k, line in enumerate(text.split("\n"), start=1) if line == "某市人民政府文件"][1]
    assert found == [
        ("issue.txt", masthead, "missed_doc_no"),
        ("issue.txt", line_number(text, "某政发〔2023〕9号"), "missed_doc_no"),
    ]


def test_signer_beside_the_doc_no_is_understood():
    second = Doc(doc_no="某政发〔2023〕9号", title="某市人民政府关于加强消防安全工作的请示")
    text = gazette(Doc(), second, toc=False).replace("某政发〔2023〕9号", "某政发〔2023〕9号　　签发人：王五")
    documents, warnings = parse_text_with_warnings(text, "issue.txt")
    assert [d.doc_no for d in documents] == ["某政发〔2023〕1号", "某政发〔2023〕9号"] and warnings == []


def test_text_before_the_first_document_is_reported():
    text = gazette(Doc(), toc=False)
    stray = "本期公报收录的文件均已按规定公开，如有疑问请与编辑部联系。"
    text = text.replace("某市人民政府文件", stray + "\n\n某市人民政府文件", 1)
    assert warnings_of(text) == [("issue.txt", line_number(text, stray), "orphan_text")]


def test_header_line_not_understood_and_document_without_clauses():
    text = "\n".join(
        [
            "某市人民政府关于开展春季植树活动的通知",
            "某市人民政府",
            "某市人民政府关于加强消防安全工作的通知",
            "某政发〔2023〕4号",
            "各区人民政府：",
            "",
        ]
    )
    assert warnings_of(text) == [
        ("issue.txt", 1, "header_line"),
        ("issue.txt", 4, "no_date"),
        ("issue.txt", 4, "no_clauses"),
    ]


# -- the CLI, the manifest and the API ------------------------------------------------------------


def test_documents_check_exits_1_and_names_file_and_line(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "cities", corpus)
    result = CliRunner().invoke(main, ["documents", "--check", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "hunan-2009-24.txt:3: 未识别出成文日期" in result.output
    assert "caidian-2023-1.txt（文本）：1 份文件，7 条条款，3 条含责任单位" in result.output


def test_documents_check_json_and_clean_corpus_exit_0(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "mini-gazette.txt", corpus)
    result = CliRunner().invoke(main, ["documents", "--check", "--json", "--corpus", str(corpus)])
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["warnings"] == [] and body["files"][0]["documents"] == 2


def test_unreadable_file_fails_the_check_with_its_name(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "mini-gazette.txt", corpus)
    write(corpus / "notes.txt", "这是一份说明，没有公文头。\n")
    result = CliRunner().invoke(main, ["documents", "--check", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "notes.txt:1" in result.output and "未能解析" in result.output


def test_report_is_in_the_manifest_and_on_the_api(mini_index, mini_engine, tmp_path):
    from qa_bot.serve.app import create_app
    from qa_bot.settings import Settings

    report = read_manifest(current_build(mini_index)).data["corpus"]["report"]
    assert [(r["path"], r["documents"], r["clauses"], r["warnings"]) for r in report] == [
        ("mini-gazette.txt", 2, 14, [])
    ]
    settings = Settings(index_dir=mini_index, data_dir=tmp_path / "data", rate_limit="0")
    with TestClient(create_app(settings, engine=mini_engine)) as client:
        body = client.get("/api/documents").json()
    assert body["files"] == report
    assert len(body["documents"]) == 2


@pytest.mark.integration
def test_index_prints_the_parse_report(tmp_path, embed_cache_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "mini-gazette.txt", corpus)
    shutil.copy(FIXTURES / "cities" / "hunan-2009-24.txt", corpus)
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "cache").symlink_to(embed_cache_dir, target_is_directory=True)
    result = CliRunner().invoke(main, ["index", "--corpus", str(corpus), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "mini-gazette.txt（文本）：2 份文件，14 条条款" in result.output
    assert "hunan-2009-24.txt:3: 未识别出成文日期" in result.output
