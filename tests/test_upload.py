"""Adding gazette files over HTTP (admin key): an upload is parsed, reported, saved, indexed in the background and
answered from; a bad upload gets a clear 4xx and changes nothing; a file can be removed again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from format_helpers import text_to_docx, text_to_pdf
from server_helpers import copy_index, current_build

from qa_bot.serve.app import create_app
from qa_bot.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN = {"X-Admin-Key": "admin-secret"}
CAIDIAN = FIXTURES / "cities" / "caidian-2023-1.txt"
MAX_UPLOAD = 300 * 1024

pytestmark = pytest.mark.integration


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "mini-gazette.txt").write_bytes((FIXTURES / "mini-gazette.txt").read_bytes())
    return folder


@pytest.fixture
def client(corpus: Path, mini_index: Path, embed_cache_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    index_dir = copy_index(mini_index, tmp_path / "index", cache=embed_cache_dir)
    settings = Settings(
        corpus_dir=corpus, index_dir=index_dir, data_dir=tmp_path / "data", admin_key="admin-secret",
        rate_limit="0", reload_check_seconds=0, max_upload_bytes=MAX_UPLOAD,
    )
    with TestClient(create_app(settings)) as test_client:
        deadline = time.monotonic() + 120
        while test_client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        yield test_client


def wait_built(client: TestClient) -> dict:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        build = client.get("/api/admin/corpus/build", headers=ADMIN).json()["build"]
        if build["state"] != "building":
            return build
        time.sleep(0.3)
    raise AssertionError("rebuild did not finish")


def snapshot(corpus: Path, client: TestClient) -> tuple:
    index_dir = client.app.state.service.settings.index_dir
    return sorted(
        (p.name, p.stat().st_size)
        for p in corpus.parent.rglob("*")
        if p.is_file() and "index" not in p.parts and "data" not in p.parts
    ), current_build(index_dir)


def test_upload_word_file_then_answered_from_it(client, corpus, tmp_path):
    docx = text_to_docx(CAIDIAN.read_text(encoding="utf-8"), tmp_path / "蔡甸区目标任务分解.docx")
    response = client.post("/api/admin/corpus", headers=ADMIN, files={"file": (docx.name, docx.read_bytes())})
    assert response.status_code == 201, response.text
    report = response.json()["file"]
    assert (report["path"], report["format"], report["documents"], report["clauses"], report["notes"]) == (
        docx.name,
        "docx",
        1,
        7,
        3,
    )
    assert (corpus / docx.name).read_bytes() == docx.read_bytes()
    build = wait_built(client)
    assert build["state"] == "done" and build["serving_build_id"] == build["build_id"]
    body = client.post("/api/ask", json={"question": "规上工业增加值增长12%以上由哪个单位负责？"}).json()
    assert body["citations"][0]["doc_no"] == "蔡政办〔2023〕1号" and "区科技和经信局" in body["answer"]
    listed = client.get("/api/admin/corpus", headers=ADMIN).json()["files"]
    assert [f["path"] for f in listed] == ["mini-gazette.txt", docx.name]


def test_remove_file_then_no_longer_answered(client, corpus, tmp_path):
    pdf = text_to_pdf(CAIDIAN.read_text(encoding="utf-8"), tmp_path / "caidian.pdf")
    assert (
        client.post("/api/admin/corpus", headers=ADMIN, files={"file": (pdf.name, pdf.read_bytes())}).status_code == 201
    )
    wait_built(client)
    assert "蔡政办〔2023〕1号" in {d["doc_no"] for d in client.get("/api/documents").json()["documents"]}
    assert client.delete("/api/admin/corpus/caidian.pdf", headers=ADMIN).status_code == 200
    wait_built(client)
    assert not (corpus / "caidian.pdf").exists()
    assert "蔡政办〔2023〕1号" not in {d["doc_no"] for d in client.get("/api/documents").json()["documents"]}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", 415, "不支持的文件类型"),
        ("picture.pdf", PNG, 415, "不是可识别的公报文件"),
        ("gazette.docx", CAIDIAN.read_bytes(), 415, "扩展名"),
        ("huge.txt", CAIDIAN.read_bytes() * 200, 413, "过大"),
        ("../evil.txt", CAIDIAN.read_bytes(), 400, "路径"),
        ("sub/evil.txt", CAIDIAN.read_bytes(), 400, "路径"),
        ("..\\evil.txt", CAIDIAN.read_bytes(), 400, "路径"),
        (".hidden.txt", CAIDIAN.read_bytes(), 400, "文件名不合法"),
        ("notes.txt", "这是一份说明，没有公文头。".encode(), 422, "未能解析"),
        ("mini-gazette.txt", CAIDIAN.read_bytes(), 409, "同名文件"),
    ],
    ids=[
        "exe",
        "png-as-pdf",
        "text-as-docx",
        "too-big",
        "parent-path",
        "sub-path",
        "windows-path",
        "hidden",
        "no-document",
        "exists",
    ],
)
def test_bad_upload_is_refused_and_changes_nothing(client, corpus, name, content, status, words):
    before = snapshot(corpus, client)
    response = client.post("/api/admin/corpus", headers=ADMIN, files={"file": (name, content)})
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert words in error["message"]
    assert client.get("/api/admin/corpus/build", headers=ADMIN).json()["build"]["state"] == "idle"
    assert snapshot(corpus, client) == before


def test_admin_key_is_required(client):
    assert client.get("/api/admin/corpus").status_code == 401
    assert (
        client.post("/api/admin/corpus", headers={"X-Admin-Key": "wrong"}, files={"file": ("a.txt", b"x")}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("name", "status"),
    [("..%2Fmini-gazette.txt", 404), ("a%5C..%5Cmini-gazette.txt", 400), ("missing.txt", 404), ("run.sh", 415)],
    ids=["slash-path", "backslash-path", "missing", "not-a-gazette"],
)
def test_remove_refuses_paths_and_unknown_files(client, corpus, name, status):
    """An encoded "/" never reaches a file (the route does not match); any other path or unknown name is refused."""
    before = snapshot(corpus, client)
    response = client.delete(f"/api/admin/corpus/{name}", headers=ADMIN)
    assert response.status_code == status and "message" in response.json()["error"]
    assert snapshot(corpus, client) == before


def test_random_uploads_never_fail_the_server_nor_write_outside_the_corpus(client, corpus, tmp_path):
    """Random names (paths, dots, control characters, other scripts) and random bytes: a 4xx each, or a saved file
    directly inside the corpus folder; never a 500, never a file elsewhere."""
    import random

    rng = random.Random(14)
    pieces = [
        "..",
        "/",
        "\\",
        ".",
        "\x00",
        "\n",
        "%2F",
        "公报",
        "a",
        "C:",
        "~",
        " ",
        ".txt",
        ".pdf",
        ".docx",
        ".html",
        ".exe",
    ]
    outside_before = sorted(p for p in tmp_path.rglob("*") if corpus not in p.parents and p != corpus)
    for _ in range(40):
        name = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        content = rng.choice([rng.randbytes(rng.randint(0, 2000)), CAIDIAN.read_bytes()[: rng.randint(0, 3000)], PNG])
        response = client.post(
            "/api/admin/corpus", headers=ADMIN, params={"rebuild": "false"}, files={"file": (name, content)}
        )
        assert response.status_code in (201, 400, 409, 413, 415, 422), (name, response.status_code, response.text)
    outside_after = sorted(
        p
        for p in tmp_path.rglob("*")
        if corpus not in p.parents and p != corpus and "index" not in p.parts and "data" not in p.parts
    )
    assert [p for p in outside_after if p not in outside_before] == []
    assert all(p.parent == corpus for p in corpus.rglob("*"))
