"""The HTTP API through FastAPI's TestClient: every route, every error path, storage, static page and headers."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from qa_bot.answer.engine import QaEngine, Reply
from qa_bot.feedback import DB_FILENAME
from qa_bot.serve import create_app
from qa_bot.serve.streaming import pieces
from qa_bot.settings import Settings

QUESTION = "哪个单位牵头规范末端网点管理？"
DOC_NO = "测政办发〔2023〕5号"
OTHER_DOC_NO = "测政发〔2023〕2号"
JSON_HEADERS = {"content-type": "application/json"}
CITATION_KEYS = {"doc_id", "doc_no", "title", "section", "text", "chunk_id", "score"}
CLAUSE_KEYS = {
    "chunk_id",
    "section",
    "section_path",
    "text",
    "kind",
    "lead_units",
    "responsible_units",
    "deadline",
    "table",
}


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def make_settings(mini_index: Path, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"index_dir": mini_index, "data_dir": data_dir, "rate_limit": "0", "stream_delay_ms": 0}
    return Settings(**{**values, **overrides})


@pytest.fixture
def settings(mini_index: Path, data_dir: Path) -> Settings:
    return make_settings(mini_index, data_dir)


@pytest.fixture
def client(settings: Settings, mini_engine: QaEngine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=mini_engine)) as test_client:
        yield test_client


def error_of(response: Any) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    return body["error"]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def sse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def rows(data_dir: Path, sql: str) -> list[sqlite3.Row]:
    connection = sqlite3.connect(data_dir / DB_FILENAME)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


class BrokenEngine:
    """Has the loaded index, but every question fails with an unexpected error."""

    def __init__(self, real: QaEngine) -> None:
        self.index = real.index

    def ask(self, question: Any, **kwargs: Any) -> Reply:
        raise RuntimeError("secret internal detail")

    def search(self, query: Any, **kwargs: Any) -> list[dict[str, Any]]:
        raise RuntimeError("secret internal detail")


class UnserialisableReply(Reply):
    def body(self) -> dict[str, Any]:
        return {**super().body(), "oops": object()}


class HalfBrokenEngine:
    """Answers, but the final body cannot be encoded: the stream has started when it fails."""

    def __init__(self, real: QaEngine) -> None:
        self.real = real
        self.index = real.index

    def ask(self, question: Any, **kwargs: Any) -> Reply:
        reply = self.real.ask(question, **kwargs)
        return UnserialisableReply(**{name: getattr(reply, name) for name in reply.__dataclass_fields__})


class SlowEngine:
    """Blocks inside ask until released, to show that other requests are still served meanwhile."""

    def __init__(self, real: QaEngine) -> None:
        self.real = real
        self.index = real.index
        self.entered = threading.Event()
        self.release = threading.Event()

    def ask(self, question: Any, **kwargs: Any) -> Reply:
        self.entered.set()
        self.release.wait(10)
        return self.real.ask(question, **kwargs)


# -- health ----------------------------------------------------------------------------------------


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_when_loaded(client: TestClient, mini_engine: QaEngine) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["build_id"] == mini_engine.index.build_id
    assert body["documents"] == 2
    assert body["clauses"] == sum(len(d.clauses) for d in mini_engine.index.documents)
    assert body["store"] == "local"


def test_readyz_before_load(settings: Settings) -> None:
    client = TestClient(create_app(settings))  # no lifespan yet: nothing loaded
    response = client.get("/readyz")
    assert response.status_code == 503
    error = error_of(response)
    assert error["code"] == "index_loading" and has_chinese(error["message"])
    assert client.get("/healthz").status_code == 200
    assert client.post("/api/ask", json={"question": QUESTION}).status_code == 503


def test_app_loads_index_itself(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        assert app.state.service.wait_loaded(60)
        assert client.get("/readyz").status_code == 200
        assert "市邮政管理局" in client.post("/api/ask", json={"question": QUESTION}).json()["answer"]


def test_readyz_when_index_missing(tmp_path: Path, data_dir: Path) -> None:
    app = create_app(make_settings(tmp_path / "no-index", data_dir))
    with TestClient(app) as client:
        assert not app.state.service.wait_loaded(60)
        response = client.get("/readyz")
        assert response.status_code == 503
        error = error_of(response)
        assert error["code"] == "index_not_ready"
        assert "qa-bot index" in error["message"] and has_chinese(error["message"])
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/documents").status_code == 503


# -- ask -------------------------------------------------------------------------------------------


def test_ask_answers_with_citation(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": QUESTION, "top_k": 3, "session_id": "s-ask"})
    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert "市邮政管理局" in body["answer"]
    assert body["citations"][0]["doc_no"] == DOC_NO
    assert "规范末端网点管理" in body["citations"][0]["section"]
    assert 1 <= len(body["citations"]) <= 3
    assert all(CITATION_KEYS <= set(c) for c in body["citations"])
    assert isinstance(body["latency_ms"], (int, float))
    assert isinstance(body["question_id"], int)
    assert body["session_id"] == "s-ask"


def test_ask_with_filters_stays_in_document(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "哪个单位牵头？", "filters": {"doc": OTHER_DOC_NO}}).json()
    assert body["citations"] and {c["doc_no"] for c in body["citations"]} == {OTHER_DOC_NO}


def test_ask_unanswerable_is_not_found(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "北京市2030年的人口规划目标是多少？"}).json()
    assert body["found"] is False and has_chinese(body["answer"])


BAD_ASKS = [
    pytest.param({"question": ""}, 422, "不能为空", id="empty"),
    pytest.param({"question": "   \n "}, 422, "不能为空", id="blank"),
    pytest.param({"question": "问" * 501}, 422, "问题过长", id="over-long"),
    pytest.param({"question": 123}, 422, "字段 question 必须是字符串", id="question-number"),
    pytest.param({"question": ["a"]}, 422, "字段 question 必须是字符串", id="question-list"),
    pytest.param({"question": None}, 422, "字段 question 必须是字符串", id="question-null"),
    pytest.param({"top_k": 3}, 422, "缺少字段 question", id="question-missing"),
    pytest.param({"question": QUESTION, "top_k": "5"}, 422, "字段 top_k 必须是整数", id="top_k-string"),
    pytest.param({"question": QUESTION, "top_k": True}, 422, "字段 top_k 必须是整数", id="top_k-bool"),
    pytest.param({"question": QUESTION, "top_k": 2.5}, 422, "字段 top_k 必须是整数", id="top_k-float"),
    pytest.param({"question": QUESTION, "top_k": 0}, 422, "top_k 必须是 1 到 50 之间的整数", id="top_k-zero"),
    pytest.param({"question": QUESTION, "top_k": 51}, 422, "top_k 必须是 1 到 50 之间的整数", id="top_k-too-big"),
    pytest.param({"question": QUESTION, "session_id": 7}, 422, "字段 session_id 必须是字符串", id="session-number"),
    pytest.param({"question": QUESTION, "filters": "x"}, 422, "字段 filters 必须是对象", id="filters-string"),
    pytest.param(
        {"question": QUESTION, "filters": {"date_from": "昨天"}},
        422,
        "字段 filters.date_from 必须是 YYYY-MM-DD",
        id="bad-date",
    ),
    pytest.param(
        {"question": QUESTION, "filters": {"doc": 5}}, 422, "字段 filters.doc 必须是字符串", id="filter-doc-number"
    ),
    pytest.param([QUESTION], 422, "请求体必须是一个 JSON 对象", id="body-list"),
    pytest.param("问题", 422, "请求体必须是一个 JSON 对象", id="body-string"),
]


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream"])
@pytest.mark.parametrize(("payload", "status", "message"), BAD_ASKS)
def test_ask_refuses_bad_input(client: TestClient, route: str, payload: Any, status: int, message: str) -> None:
    response = client.post(route, json=payload)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert message in error_of(response)["message"]


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream", "/api/feedback"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "请求体不是合法的 JSON"),
        (b'{"question": "a",}', "请求体不是合法的 JSON"),
        (b"\xff\xfe\x00garbage", "请求体不是合法的 JSON"),
        (b"[" * 5000, "请求体不是合法的 JSON：嵌套超过 32 层"),
    ],
    ids=["broken", "trailing-comma", "not-utf8", "deep"],
)
def test_non_json_body_is_400(client: TestClient, route: str, content: bytes, message: str) -> None:
    response = client.post(route, content=content, headers=JSON_HEADERS)
    assert response.status_code == 400
    assert error_of(response) == {"code": "invalid_json", "message": message}


def test_empty_body_is_explained(client: TestClient) -> None:
    response = client.post("/api/ask", content=b"", headers=JSON_HEADERS)
    assert response.status_code == 422
    assert "请求体" in error_of(response)["message"]


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream", "/api/feedback"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(client: TestClient, route: str, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(route, content=json.dumps({"question": QUESTION}).encode(), headers=headers)
    assert response.status_code == 415
    error = error_of(response)
    assert error["code"] == "unsupported_media_type" and "application/json" in error["message"]


def test_json_with_charset_is_accepted(client: TestClient) -> None:
    payload = json.dumps({"question": QUESTION}, ensure_ascii=False).encode()
    response = client.post("/api/ask", content=payload, headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200


def test_body_too_large_is_413(client: TestClient, settings: Settings) -> None:
    big = json.dumps({"question": "问" * settings.max_body_bytes}).encode()
    response = client.post("/api/ask", content=big, headers=JSON_HEADERS)
    assert response.status_code == 413
    assert error_of(response) == {"code": "payload_too_large", "message": "请求体过大"}


def test_chunked_body_too_large_is_413(client: TestClient, settings: Settings) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the server has to count
        yield b'{"question": "'
        for _ in range(settings.max_body_bytes // 1000 + 1):
            yield b"a" * 1000
        yield b'"}'

    response = client.post("/api/feedback", content=chunks(), headers=JSON_HEADERS)
    assert response.status_code == 413
    assert error_of(response)["message"] == "请求体过大"


def test_body_just_under_limit_is_parsed(mini_index: Path, data_dir: Path, mini_engine: QaEngine) -> None:
    settings = make_settings(mini_index, data_dir, max_body_bytes=200)
    with TestClient(create_app(settings, engine=mini_engine)) as client:
        small = json.dumps({"question": "问" * 20}, ensure_ascii=False).encode()
        assert len(small) <= 200
        assert client.post("/api/ask", content=small, headers=JSON_HEADERS).status_code == 200
        large = json.dumps({"question": "问" * 80}, ensure_ascii=False).encode()
        assert client.post("/api/ask", content=large, headers=JSON_HEADERS).status_code == 413


def test_unexpected_error_is_generic_500(settings: Settings, mini_engine: QaEngine) -> None:
    with TestClient(create_app(settings, engine=BrokenEngine(mini_engine))) as client:  # type: ignore[arg-type]
        for response in (
            client.post("/api/ask", json={"question": QUESTION}),
            client.get("/api/search", params={"q": "快递"}),
        ):
            assert response.status_code == 500
            error = error_of(response)
            assert error == {"code": "internal_error", "message": "服务器内部错误，请稍后重试。"}
            assert "secret" not in response.text


def test_requests_do_not_block_each_other(settings: Settings, mini_engine: QaEngine) -> None:
    engine = SlowEngine(mini_engine)
    with TestClient(create_app(settings, engine=engine)) as client:  # type: ignore[arg-type]
        results: list[int] = []
        asking = threading.Thread(
            target=lambda: results.append(client.post("/api/ask", json={"question": QUESTION}).status_code)
        )
        asking.start()
        try:
            assert engine.entered.wait(10)
            assert client.get("/api/documents").status_code == 200  # served while the ask is still busy
            assert not results
        finally:
            engine.release.set()
            asking.join(20)
        assert results == [200]


# -- stream ----------------------------------------------------------------------------------------


def test_stream_sends_pieces_then_done(client: TestClient) -> None:
    response = client.post("/api/ask/stream", json={"question": QUESTION, "session_id": "s-stream"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert response.text.endswith("\n\n")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"delta"} and len(names) >= 3
    deltas = [data["text"] for _, data in events[:-1]]
    assert all(1 <= len(piece) <= 12 for piece in deltas)
    done = events[-1][1]
    assert "".join(deltas) == done["answer"]
    assert "市邮政管理局" in done["answer"] and done["citations"][0]["doc_no"] == DOC_NO
    assert isinstance(done["question_id"], int) and done["session_id"] == "s-stream"


def test_stream_error_after_start_is_error_event(settings: Settings, mini_engine: QaEngine) -> None:
    with TestClient(create_app(settings, engine=HalfBrokenEngine(mini_engine))) as client:  # type: ignore[arg-type]
        response = client.post("/api/ask/stream", json={"question": QUESTION})
    assert response.status_code == 200
    events = sse_events(response.text)
    assert events[0][0] == "delta"
    assert events[-1] == ("error", {"error": {"code": "internal_error", "message": "服务器内部错误，请稍后重试。"}})
    assert "done" not in [name for name, _ in events]


@pytest.mark.parametrize(
    "text",
    [
        "市邮政管理局牵头，各区人民政府按职责分工负责。",
        "表情😀😀😀😀😀😀😀😀😀😀😀😀😀😀很多",
        "家庭👨\u200d👩\u200d👧\u200d👦" * 4,
        "e\u0301" * 20,
        "短",
    ],
)
def test_stream_pieces_keep_characters_whole(text: str) -> None:
    parts = list(pieces(text))
    assert "".join(parts) == text
    for part in parts:
        assert part and part[0] not in "\u200d\u0301\ufe0f"
        assert len(part) <= 12 or "\u200d" in part or "\u0301" in part
        part.encode("utf-8")  # no lone surrogates


# -- search ----------------------------------------------------------------------------------------


def test_search_returns_citations(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "快递末端网点备案", "top_k": 2})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert 1 <= len(hits) <= 2
    assert all(CITATION_KEYS <= set(h) for h in hits)
    assert hits[0]["doc_no"] == DOC_NO


def test_search_filters(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "牵头", "doc": OTHER_DOC_NO}).json()["hits"]
    assert hits and {h["doc_no"] for h in hits} == {OTHER_DOC_NO}
    hits = client.get("/api/search", params={"q": "快递", "date_from": "2023-03-01", "date_to": "2023-12-31"}).json()[
        "hits"
    ]
    assert hits and {h["date"] for h in hits} == {"2023-03-15"}
    hits = client.get("/api/search", params={"q": "快递", "issuer": "测试市人民政府办公室"}).json()["hits"]
    assert hits and {h["issuer"] for h in hits} == {"测试市人民政府办公室"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "缺少参数 q"),
        ({"q": "  "}, "不能为空"),
        ({"q": "快递", "top_k": "abc"}, "参数 top_k 必须是整数"),
        ({"q": "快递", "top_k": 0}, "top_k 必须是 1 到 50 之间的整数"),
        ({"q": "快递", "top_k": 999}, "top_k 必须是 1 到 50 之间的整数"),
        ({"q": "快递", "date_from": "2023/01/01x"}, "参数 date_from 必须是 YYYY-MM-DD"),
        ({"q": "问" * 501}, "问题过长"),
    ],
)
def test_search_refuses_bad_input(client: TestClient, params: dict[str, Any], message: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert message in error_of(response)["message"]


# -- documents -------------------------------------------------------------------------------------


def test_document_list(client: TestClient) -> None:
    response = client.get("/api/documents")
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert [d["doc_no"] for d in documents] == [DOC_NO, OTHER_DOC_NO]
    first = documents[0]
    assert "clauses" not in first
    assert first["title"] == "测试市人民政府办公室关于印发测试市快递进村实施方案的通知"
    assert first["issuer"] == "测试市人民政府办公室" and first["date"] == "2023-03-15"
    assert first["issue"] == "2023年第1期（总第5期）" and first["clause_count"] == 7


@pytest.mark.parametrize(
    "doc_id", ["测政办发-2023-5", DOC_NO, "测政办发[2023]5号"], ids=["doc_id", "doc_no", "half-width-brackets"]
)
def test_one_document(client: TestClient, doc_id: str) -> None:
    response = client.get(f"/api/documents/{doc_id}")  # the client URL-encodes the path
    assert response.status_code == 200
    document = response.json()
    assert document["doc_no"] == DOC_NO
    clauses = document["clauses"]
    assert len(clauses) == document["clause_count"] == 7
    assert all(set(c) == CLAUSE_KEYS for c in clauses)
    texts = [c["text"] for c in clauses]
    order = [
        "经市政府同意",
        "为加快农村快递网络建设",
        "到2025年底",
        "（一）完善县乡村",
        "（二）发展冷链",
        "（三）规范末端",
        "加强组织领导",
    ]
    assert [next(i for i, t in enumerate(texts) if t.startswith(start)) for start in order] == list(range(7))
    terminal = clauses[5]
    assert terminal["lead_units"] == ["市邮政管理局"] and terminal["responsible_units"] == ["各区人民政府"]
    assert terminal["deadline"] == "2023年12月底前"
    assert terminal["section_path"] == ["二、重点任务", "（三）规范末端网点管理"]
    sections = document["sections"]
    assert [s["title"] for s in sections] == ["工作目标", "重点任务", "保障措施"]
    assert [s["title"] for s in sections[1]["children"]] == [
        "完善县乡村三级物流体系",
        "发展冷链寄递",
        "规范末端网点管理",
    ]


def test_document_with_table_rows(client: TestClient) -> None:
    document = client.get("/api/documents/测政发-2023-2").json()
    rows_ = [c for c in document["clauses"] if c["kind"] == "table_row"]
    assert len(rows_) == 3 and rows_[0]["table"]["table_title"].startswith("表1")
    chapter = document["sections"][1]
    assert chapter["title"] == "重点任务" and [c["title"] for c in chapter["children"][0]["children"]] == [
        "加强建筑工地扬尘管控",
        "推进道路清扫保洁",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/no-such-doc",
        "/api/documents/%E6%B5%8B%E6%94%BF%E5%8F%91%E3%80%942099%E3%80%951%E5%8F%B7",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/../../etc/passwd",
        "/api/documents/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_unknown_document_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found" and has_chinese(error["message"])
    assert "root:" not in response.text


# -- examples --------------------------------------------------------------------------------------


def test_examples_come_from_the_corpus(client: TestClient, settings: Settings, mini_engine: QaEngine) -> None:
    response = client.get("/api/examples")
    assert response.status_code == 200
    examples = response.json()["examples"]
    assert len(examples) == 6 and len(set(examples)) == 6
    assert all(isinstance(e, str) and e.endswith("？") for e in examples)
    assert any("牵头" in e for e in examples)
    assert any("2025年目标是多少" in e for e in examples)
    assert f"{DOC_NO}是什么时候印发的？" in examples
    assert any("扬尘" in e or "道路" in e for e in examples)  # both documents are represented
    with TestClient(create_app(settings, engine=mini_engine)) as again:
        assert again.get("/api/examples").json()["examples"] == examples
    for example in examples:
        assert client.post("/api/ask", json={"question": example}).json()["found"] is True, example


# -- feedback and question log ---------------------------------------------------------------------


def feedback_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "question": QUESTION,
        "answer": "市邮政管理局牵头。",
        "rating": "down",
        "comment": "缺少完成时限",
        "chunk_ids": ["测政办发-2023-5/2.3"],
    }
    return {**payload, **overrides}


def test_feedback_is_stored(client: TestClient, data_dir: Path) -> None:
    asked = client.post("/api/ask", json={"question": QUESTION, "session_id": "s-fb"}).json()
    response = client.post("/api/feedback", json=feedback_payload(question_id=asked["question_id"], session_id="s-fb"))
    assert response.status_code == 201
    body = response.json()
    assert body["stored"] is True and isinstance(body["id"], int)
    (row,) = rows(data_dir, "SELECT * FROM feedback")
    assert row["id"] == body["id"] and row["question_id"] == asked["question_id"]
    assert (row["rating"], row["comment"], row["session_id"]) == ("down", "缺少完成时限", "s-fb")
    assert json.loads(row["chunk_ids"]) == ["测政办发-2023-5/2.3"]


def test_feedback_as_the_chat_page_sends_it(client: TestClient) -> None:
    payload = feedback_payload(
        question_id=None, rating="up", comment="", session_id="0b6f5c8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f"
    )
    assert client.post("/api/feedback", json=payload).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": "meh"}, "字段 rating 必须是 up、down 之一"),
        ({"rating": None}, "字段 rating 必须是 up、down 之一"),
        ({"rating": "__missing__"}, "缺少字段 rating"),
        ({"question": "__missing__"}, "缺少字段 question"),
        ({"question": ""}, "字段 question 不能为空"),
        ({"comment": "长" * 2001}, "字段 comment 不能超过 2000 个字符"),
        ({"comment": 5}, "字段 comment 必须是字符串"),
        ({"question_id": "abc"}, "字段 question_id 必须是整数"),
        ({"chunk_ids": "a"}, "字段 chunk_ids 必须是数组"),
        ({"chunk_ids": [1]}, "字段 chunk_ids[0] 必须是字符串"),
    ],
)
def test_feedback_refuses_bad_input(
    client: TestClient, data_dir: Path, overrides: dict[str, Any], message: str
) -> None:
    payload = {k: v for k, v in feedback_payload(**overrides).items() if v != "__missing__"}
    response = client.post("/api/feedback", json=payload)
    assert response.status_code == 422
    assert message in error_of(response)["message"]


def test_feedback_comment_of_2000_chars_is_fine(client: TestClient) -> None:
    assert client.post("/api/feedback", json=feedback_payload(comment="长" * 2000)).status_code == 201


def test_feedback_survives_a_new_app(settings: Settings, mini_engine: QaEngine, data_dir: Path) -> None:
    with TestClient(create_app(settings, engine=mini_engine)) as first:
        first_id = first.post("/api/feedback", json=feedback_payload(comment="第一次")).json()["id"]
    with TestClient(create_app(settings, engine=mini_engine)) as second:
        second_id = second.post("/api/feedback", json=feedback_payload(comment="第二次")).json()["id"]
    assert second_id > first_id
    assert [r["comment"] for r in rows(data_dir, "SELECT comment FROM feedback ORDER BY id")] == ["第一次", "第二次"]
    assert rows(data_dir, "SELECT version FROM schema_version")[0]["version"] >= 1
    assert rows(data_dir, "PRAGMA journal_mode")[0][0] == "wal"


def test_question_log_is_written(client: TestClient, data_dir: Path) -> None:
    body = client.post("/api/ask", json={"question": f"  {QUESTION}  ", "session_id": "s-log"}).json()
    client.post("/api/ask/stream", json={"question": QUESTION, "session_id": "s-log"})
    logged = rows(data_dir, "SELECT * FROM questions WHERE session_id = 's-log' ORDER BY id")
    assert len(logged) == 2
    row = logged[0]
    assert row["id"] == body["question_id"]
    assert row["question"] == QUESTION and row["answer"] == body["answer"] and row["found"] == 1
    assert row["latency_ms"] > 0 and row["client"] == "testclient" and row["created_at"]
    assert json.loads(row["chunk_ids"])[0] == body["citations"][0]["chunk_id"]


def test_data_dir_is_created(mini_index: Path, tmp_path: Path, mini_engine: QaEngine) -> None:
    nested = tmp_path / "a" / "b" / "data"
    with TestClient(create_app(make_settings(mini_index, nested), engine=mini_engine)) as client:
        assert client.post("/api/feedback", json=feedback_payload()).status_code == 201
    assert (nested / DB_FILENAME).is_file()


# -- routing errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/nope",
        "/api",
        "/nope.html",
        "/miniprogram/config.js",
        "/miniprogram/",
        "/test/fetch.test.js",
        "/tools/sync-client.js",
        "/.gitignore",
        "/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_unknown_route_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found" and has_chinese(error["message"])


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/api/ask", "POST"),
        ("PUT", "/api/ask/stream", "POST"),
        ("DELETE", "/api/documents", "GET"),
        ("POST", "/healthz", "GET"),
        ("GET", "/api/feedback", "POST"),
        ("POST", "/api/search", "GET"),
    ],
)
def test_wrong_method_is_405(client: TestClient, method: str, path: str, allowed: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed" and method in error["message"]
    assert allowed in response.headers["allow"]


# -- static page and headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/app.js", "text/javascript"),
        ("/js/chat.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/icons/logo.svg", "image/svg+xml"),
    ],
)
def test_chat_page_files(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if path == "/":
        assert "政府公报智能问答" in response.text


EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors"
    " 'self'"
)


@pytest.mark.parametrize(
    "request_",
    [("GET", "/"), ("GET", "/api/documents"), ("GET", "/api/nope"), ("POST", "/api/ask"), ("GET", "/healthz")],
)
def test_security_headers_everywhere(client: TestClient, request_: tuple[str, str]) -> None:
    response = client.request(*request_)
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_frame_ancestors_for_wechat_web_view(mini_index: Path, data_dir: Path, mini_engine: QaEngine) -> None:
    settings = make_settings(mini_index, data_dir, frame_ancestors="'self' https://servicewechat.com")
    with TestClient(create_app(settings, engine=mini_engine)) as client:
        response = client.get("/")
    assert response.headers["content-security-policy"].endswith("frame-ancestors 'self' https://servicewechat.com")
    assert "x-frame-options" not in response.headers


def test_openapi_docs(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "/docs-assets/swagger-ui-bundle.js" in page.text  # works with no network
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert "'unsafe-inline'" not in client.get("/").headers["content-security-policy"]
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/ask",
        "/api/ask/stream",
        "/api/search",
        "/api/documents",
        "/api/feedback",
        "/api/examples",
        "/healthz",
        "/readyz",
    } <= set(paths)



def test_openapi_shows_the_shapes_routes_return(client: TestClient) -> None:
    """Every JSON route names its response model, and the citation schema is the one /api/search really returns."""
    spec = client.get("/openapi.json").json()
    components = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answered = next(r for status, r in operation["responses"].items() if status.startswith("2"))
            schema = answered.get("content", {}).get("application/json", {}).get("schema", {})
            if path != "/api/ask/stream":
                assert schema.get("$ref", "").startswith("#/components/schemas/"), (method, path, answered)
    search = components["SearchOut"]["properties"]["hits"]["items"]["$ref"].rsplit("/", 1)[-1]
    asked = components["AskOut"]["properties"]["citations"]["items"]["$ref"].rsplit("/", 1)[-1]
    citation_fields = set(components[search]["properties"])
    assert {"doc_no", "title", "section", "text", "chunk_id", "score"} <= citation_fields
    assert set(components[asked]["properties"]) == citation_fields | {"quote"}
    hits = client.get("/api/search", params={"q": "快递"}).json()["hits"]
    assert hits and all(set(hit) == citation_fields for hit in hits)
    answer = client.post("/api/ask", json={"question": QUESTION}).json()
    assert answer["citations"] and all(set(c) == citation_fields | {"quote"} for c in answer["citations"])


# -- access control --------------------------------------------------------------------------------


def test_api_keys(mini_index: Path, data_dir: Path, mini_engine: QaEngine) -> None:
    settings = make_settings(mini_index, data_dir, api_keys="key-one, key-two")
    with TestClient(create_app(settings, engine=mini_engine)) as client:
        missing = client.post("/api/ask", json={"question": QUESTION})
        assert missing.status_code == 401 and error_of(missing)["code"] == "unauthorized"
        assert has_chinese(error_of(missing)["message"])
        wrong = client.get("/api/documents", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert (
            client.post(
                "/api/ask", json={"question": QUESTION}, headers={"Authorization": "Bearer key-two"}
            ).status_code
            == 200
        )
        assert client.get("/api/documents", headers={"X-API-Key": "key-one"}).status_code == 200
        assert client.get("/healthz").status_code == 200 and client.get("/").status_code == 200
    assert b"key-two" not in (data_dir / DB_FILENAME).read_bytes()


def test_rate_limit(mini_index: Path, data_dir: Path, mini_engine: QaEngine) -> None:
    settings = make_settings(mini_index, data_dir, rate_limit="2/minute")
    with TestClient(create_app(settings, engine=mini_engine)) as client:
        for _ in range(2):
            assert client.get("/api/search", params={"q": "快递"}).status_code == 200
        limited = client.post(
            "/api/ask", json={"question": QUESTION}, headers={"X-API-Key": "made-up"}
        )  # no fresh budget
        assert limited.status_code == 429
        assert "请求过于频繁" in error_of(limited)["message"]
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/api/documents").status_code == 200  # reading the corpus is not limited


def test_cors_origins(mini_index: Path, data_dir: Path, mini_engine: QaEngine) -> None:
    settings = make_settings(mini_index, data_dir, cors_origins="https://h5.example.gov.cn")
    with TestClient(create_app(settings, engine=mini_engine)) as client:
        preflight = client.options(
            "/api/ask",
            headers={
                "Origin": "https://h5.example.gov.cn",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.headers["access-control-allow-origin"] == "https://h5.example.gov.cn"
        other = client.get("/api/documents", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# -- start-up --------------------------------------------------------------------------------------


def test_run_refuses_a_missing_index_before_serving(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from qa_bot.errors import IndexNotReady
    from qa_bot.serve import run

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(args))
    with pytest.raises(IndexNotReady) as raised:
        run(make_settings(tmp_path / "no-index", data_dir))
    assert "qa-bot index" in raised.value.message
    assert started == []


def test_run_serves_the_loaded_engine(mini_index: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from qa_bot.serve import run

    served: dict[str, Any] = {}

    def fake_uvicorn_run(app: Any, **kwargs: Any) -> None:
        served.update(kwargs)
        with TestClient(app) as client:
            served["ready"] = client.get("/readyz").status_code

    monkeypatch.setattr(uvicorn, "run", fake_uvicorn_run)
    run(make_settings(mini_index, data_dir, host="127.0.0.2", port=8123))
    assert (served["host"], served["port"], served["ready"]) == ("127.0.0.2", 8123, 200)
