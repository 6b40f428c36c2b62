"""The typed records a build stores and every later stage reads: a document read back from the index is the document
the parser made (nothing dropped on the way), and a build of an older version, lacking newer fields, still loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.index.loaded import load_index
from qa_bot.parse import parse_corpus
from qa_bot.parse.model import Document
from tests.conftest import FIXTURES, REAL_CORPUS

CORPORA = [REAL_CORPUS, FIXTURES / "cities", FIXTURES / "cities2", FIXTURES / "cities3"]


@pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])
def test_a_stored_document_reads_back_as_the_parsed_one(corpus: Path) -> None:
    documents = parse_corpus(corpus).documents
    assert documents
    for document in documents:
        stored = json.loads(json.dumps(document.to_dict(), ensure_ascii=False))  # as documents.json holds it
        again = Document.from_dict(stored)
        assert again.to_dict() == stored, document.doc_id
        assert again.clauses == document.clauses  # every clause field, the table rows and the notes included
        assert again.display_title == document.display_title and again.basis == document.basis


def test_the_index_serves_the_parsed_documents(mini_index: Path, mini_corpus: Path) -> None:
    parsed = parse_corpus(mini_corpus).documents
    loaded = load_index(mini_index)
    assert [d.to_dict() for d in loaded.documents] == [d.to_dict() for d in parsed]
    assert loaded.clause_by_id["测政办发-2023-5/2.3"].lead_units == ("市邮政管理局",)


def test_a_document_stored_by_an_older_build_still_loads() -> None:
    oldest = {"doc_id": "测政办发-2023-5", "doc_no": "测政办发〔2023〕5号", "title": "通知", "plan_title": "方案",
              "issuer": "测试市人民政府办公室", "date": "2023-03-15", "clauses": [
                  {"chunk_id": "测政办发-2023-5/1", "doc_id": "测政办发-2023-5", "section_path": ["一、目标"],
                   "text": "目标。", "kind": "item"}]}
    document = Document.from_dict(oldest)
    assert document.display_title == "方案" and document.signers == () and document.basis == ()
    assert document.clauses[0].section == "一、目标" and document.clauses[0].lead_units == ()
