"""The hostile-client suite: what an attacker or a careless client does, replayed against real servers on loopback.

Forged X-Forwarded-For against rate limits and the admin lock-out (with and without a trusted proxy), online key
guessing, a database file deleted while serving, bodies nested 1,000 deep on every POST route, slow clients that
never finish a head or a body, a connection flood past the cap, HEAD probes, keys in the query string, control
characters in feedback. Bounded: a few hundred sockets, timeouts of a second or two, 127.0.0.0/8 only (Linux
routes all of it to loopback, so 127.0.0.2 … are other clients to the server).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_helpers import HOST, Reply, Server, copy_index, search_path

pytestmark = pytest.mark.slow

API_KEY = "hostile-api-key-5d1e9c7a3b"
ADMIN_KEY = "hostile-admin-key-8f2a6d0c4e"
QUESTION = "哪个单位牵头规范末端网点管理？"
LIMIT = 5  # QA_BOT_RATE_LIMIT=5/minute
FAILURES = 5  # QA_BOT_AUTH_FAILURE_LIMIT=5/minute
HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 2.0
MAX_CONNECTIONS = 40
DB_FILE = "qa-bot.sqlite3"


def _start(folder: Path, mini_index: Path, embed_cache_dir: Path, **env: Any) -> Server:
    index_dir = copy_index(mini_index, folder / "index", cache=embed_cache_dir)
    return Server(index_dir, folder / "data", folder / "server.log", **env).start()


def _serve(request: pytest.FixtureRequest, **env: Any) -> Iterator[Server]:
    """A module's server on a private copy of the mini index, stopped at the end of the module."""
    folder = request.getfixturevalue("tmp_path_factory").mktemp(f"hostile-{request.fixturename}")
    server = _start(folder, request.getfixturevalue("mini_index"), request.getfixturevalue("embed_cache_dir"), **env)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def direct(request: pytest.FixtureRequest) -> Iterator[Server]:
    """Clients reach it directly (no trusted proxy): whatever X-Forwarded-For says, a client is its TCP peer."""
    yield from _serve(
        request,
        QA_BOT_RATE_LIMIT=f"{LIMIT}/minute",
        QA_BOT_AUTH_FAILURE_LIMIT=f"{FAILURES}/minute",
        QA_BOT_ADMIN_KEY=ADMIN_KEY,
        QA_BOT_HEADER_TIMEOUT_S=HEADER_TIMEOUT,
        QA_BOT_BODY_TIMEOUT_S=BODY_TIMEOUT,
        QA_BOT_MAX_CONNECTIONS=MAX_CONNECTIONS,
    )


@pytest.fixture(scope="module")
def proxied(request: pytest.FixtureRequest) -> Iterator[Server]:
    """Behind a trusted proxy on 127.0.0.1 (the test plays the proxy); 127.0.0.2 and up are not trusted."""
    yield from _serve(
        request,
        QA_BOT_TRUSTED_PROXIES="127.0.0.1",
        QA_BOT_RATE_LIMIT=f"{LIMIT}/minute",
        QA_BOT_AUTH_FAILURE_LIMIT=f"{FAILURES}/minute",
        QA_BOT_ADMIN_KEY=ADMIN_KEY,
    )


@pytest.fixture(scope="module")
def keyed(request: pytest.FixtureRequest) -> Iterator[Server]:
    """API keys on, rate limit off: only the key-guessing lock-out stands in the way."""
    yield from _serve(
        request, QA_BOT_API_KEYS=API_KEY, QA_BOT_ADMIN_KEY=ADMIN_KEY, QA_BOT_AUTH_FAILURE_LIMIT=f"{FAILURES * 2}/minute"
    )


@pytest.fixture(scope="module")
def storing(request: pytest.FixtureRequest) -> Iterator[Server]:
    yield from _serve(request)


def ask(server: Server, source: str | None = None, headers: dict[str, str] | None = None) -> Reply:
    return server.client(source=source).post("/api/ask", {"question": QUESTION}, headers=headers)


def feedback(server: Server, comment: str) -> Reply:
    return server.client().post(
        "/api/feedback", {"question": QUESTION, "answer": "答", "rating": "up", "comment": comment}
    )


def question_log(server: Server, column: str) -> list[str]:
    """One column ("client", "question") of the server's question log, in order."""
    with sqlite3.connect(f"file:{server.data_dir / DB_FILE}?mode=ro", uri=True) as connection:
        return [row[0] for row in connection.execute(f"SELECT {column} FROM questions ORDER BY id")]


def stored_comments(data_dir: Path) -> set[str]:
    """The feedback comments in the database file on disk (read by another connection, as a backup would)."""
    with sqlite3.connect(f"file:{data_dir / DB_FILE}?mode=ro", uri=True) as connection:
        return {row[0] for row in connection.execute("SELECT comment FROM feedback")}


def error_of(reply: Reply) -> dict[str, str]:
    body = reply.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]


# -- client addresses: forged X-Forwarded-For ------------------------------------------------------------


def test_forged_forwarded_for_does_not_escape_the_rate_limit(direct: Server) -> None:
    """No trusted proxy: 10 asks with 10 different X-Forwarded-For values are one client (≥ 5 get 429)."""
    replies = [
        ask(direct, "127.0.0.11", {"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"198.51.100.{n}"})
        for n in range(10)
    ]
    statuses = Counter(r.status for r in replies)
    assert statuses[429] >= 10 - LIMIT and set(statuses) <= {200, 429}, statuses
    logged = question_log(direct, "client")
    assert "127.0.0.11" in logged and not any(c.startswith("198.51.100.") for c in logged), logged


def test_behind_a_trusted_proxy_forwarded_clients_are_counted_apart(proxied: Server) -> None:
    replies = [ask(proxied, "127.0.0.1", {"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(10)]
    assert [r.status for r in replies] == [200] * 10
    assert question_log(proxied, "client")[-10:] == [f"203.0.113.{n}" for n in range(10)]
    # One forwarded client asking 10 times is limited like any other.
    same = Counter(ask(proxied, "127.0.0.1", {"X-Forwarded-For": "203.0.113.200"}).status for _ in range(10))
    assert same[429] >= 10 - LIMIT, same


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(proxied: Server) -> None:
    """nginx appends the address it saw ($proxy_add_x_forwarded_for): what the client wrote before it is ignored."""
    forged = Counter(
        ask(proxied, "127.0.0.1", {"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.201"}).status for n in range(10)
    )
    assert forged[429] >= 10 - LIMIT, forged
    # A peer that is not a trusted proxy cannot forward anything.
    untrusted = Counter(
        ask(proxied, "127.0.0.12", {"X-Forwarded-For": f"203.0.113.{100 + n}"}).status for n in range(10)
    )
    assert untrusted[429] >= 10 - LIMIT, untrusted
    assert question_log(proxied, "client").count("127.0.0.12") == untrusted[200]


@pytest.mark.parametrize("fixture", ["direct", "proxied"])
def test_admin_key_guesses_lock_out_the_guesser_not_the_administrator(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    server: Server = request.getfixturevalue(fixture)
    # The guesser and the administrator: two peers, or two clients behind the trusted proxy.
    if fixture == "direct":
        guesser, admin = server.client(source="127.0.0.21"), server.client(source="127.0.0.22")
        guesser_headers: dict[str, str] = {}
        admin_headers: dict[str, str] = {}
    else:
        guesser = admin = server.client(source="127.0.0.1")
        guesser_headers, admin_headers = {"X-Forwarded-For": "192.0.2.66"}, {"X-Forwarded-For": "192.0.2.1"}
    statuses = [
        guesser.post("/api/admin/reload", None, headers={**guesser_headers, "X-Admin-Key": f"guess-{n}"}).status
        for n in range(20)
    ]
    assert statuses[:FAILURES] == [403] * FAILURES and set(statuses[FAILURES:]) == {429}, statuses
    assert guesser.post("/api/admin/reload", None, headers={**guesser_headers, "X-Admin-Key": ADMIN_KEY}).status == 429
    for _ in range(FAILURES + 2):  # right keys are not failures: the administrator is never locked out
        assert admin.post("/api/admin/reload", None, headers={**admin_headers, "X-Admin-Key": ADMIN_KEY}).status in (
            200,
            202,
        )


# -- API keys --------------------------------------------------------------------------------------------


def test_wrong_api_keys_are_counted_and_lock_out_the_guesser(keyed: Server) -> None:
    guesser = keyed.client(source="127.0.0.31")
    statuses = [
        guesser.get(search_path("快递"), headers={"Authorization": f"Bearer guess-{n:04d}"}).status for n in range(200)
    ]
    allowed = FAILURES * 2
    assert statuses[:allowed] == [401] * allowed and set(statuses[allowed:]) == {429}, Counter(statuses)
    locked = guesser.get(search_path("快递"), headers={"Authorization": f"Bearer {API_KEY}"})
    assert locked.status == 429 and int(locked.headers["retry-after"]) >= 1
    assert "错误的密钥尝试过多" in error_of(locked)["message"]
    # The right key from elsewhere works, on /api and /v1 alike.
    other = keyed.client(source="127.0.0.32")
    assert other.get(search_path("快递"), headers={"Authorization": f"Bearer {API_KEY}"}).status == 200
    assert other.get("/v1/models", headers={"X-API-Key": API_KEY}).status == 200


def test_keys_in_the_query_string_are_refused_and_never_logged(keyed: Server) -> None:
    client = keyed.client(source="127.0.0.33")
    for name in ("api_key", "key", "access_token", "X-Admin-Key"):
        for value in (API_KEY, ADMIN_KEY):
            reply = client.get(f"/api/search?q=%E5%BF%AB%E9%80%92&{name}={value}")
            assert reply.status == 401
    assert client.get(f"/api/documents/{API_KEY}").status == 401  # a key where no key belongs
    # A key pasted into a question or a comment is not kept either.
    pasted = f"我的密钥是 {API_KEY}，{ADMIN_KEY}"
    assert client.post("/api/ask", {"question": pasted}, headers={"X-API-Key": API_KEY}).status == 200
    reply = client.post(
        "/api/feedback",
        {"question": pasted, "answer": "答", "rating": "up", "comment": pasted},
        headers={"X-API-Key": API_KEY},
    )
    assert reply.status == 201
    log = keyed.log()
    assert "/api/search?q=" in log, log[-2000:]  # the access log is there …
    assert API_KEY not in log and ADMIN_KEY not in log  # … without the keys
    stored = (keyed.data_dir / DB_FILE).read_bytes() + b"".join(
        p.read_bytes() for p in keyed.data_dir.glob(DB_FILE + "-wal")
    )
    assert API_KEY.encode() not in stored and ADMIN_KEY.encode() not in stored
    assert "我的密钥是 ***，***" in question_log(keyed, "question")


# -- one JSON parser, with a depth limit -----------------------------------------------------------------


def _post_routes(server: Server) -> list[str]:
    schema = server.client().get("/openapi.json").json()
    return sorted(path for path, operations in schema["paths"].items() if "post" in operations)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"a":' * 1000 + b"1" + b"}" * 1000,
        b'{"question": "x", "f": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    ],
    ids=["arrays", "objects", "inside-a-field"],
)
def test_a_deeply_nested_body_is_400_on_every_post_route(direct: Server, body: bytes) -> None:
    routes = _post_routes(direct)
    assert {"/api/ask", "/api/feedback", "/v1/chat/completions", "/api/admin/reload"} <= set(routes), routes
    client = direct.client(source="127.0.0.41")
    for route in routes:
        reply = client.post(route, body, headers={"X-Admin-Key": ADMIN_KEY})
        assert reply.status == 400, (route, reply.text)
        message = reply.json()["error"]["message"]
        assert "嵌套超过" in message, (route, message)
    assert "RecursionError" not in direct.log() and "Traceback" not in direct.log()


# -- slow clients and too many connections ---------------------------------------------------------------


def _connect(server: Server, count: int, first_bytes: bytes) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((HOST, server.port), timeout=10)
        sock.sendall(first_bytes)
        sockets.append(sock)
    return sockets


def _until_closed(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends before it closes the connection (AssertionError if it keeps it open)."""
    sock.settimeout(seconds)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        raise AssertionError(f"connection still open after {seconds} s; received {received[:200]!r}") from None
    finally:
        sock.close()
    return received


def _wait_for_files(server: Server, at_most: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while (files := server.open_files()) > at_most and time.monotonic() < deadline:
        time.sleep(0.1)
    return files


def test_clients_that_never_finish_their_headers_are_dropped(direct: Server) -> None:
    baseline = direct.open_files()
    sockets = _connect(direct, 300, b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
    assert direct.open_files() >= baseline + 100  # the server did hold them (the first may be gone already)
    started = time.monotonic()
    for sock in sockets:
        _until_closed(sock, HEADER_TIMEOUT + 10)
    assert time.monotonic() - started < HEADER_TIMEOUT + 10
    assert _wait_for_files(direct, baseline + 2, 10) <= baseline + 2


SLOW_BODY = (
    b"POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    + b'{"question": "'
)


def _status(reply: bytes) -> str:
    return reply.split(b" ", 2)[1].decode() if reply.startswith(b"HTTP/1.1 ") else "closed without a reply"


def test_clients_that_never_finish_their_body_get_408(direct: Server) -> None:
    sockets = _connect(direct, MAX_CONNECTIONS - 10, SLOW_BODY)
    started = time.monotonic()
    replies = [_until_closed(sock, BODY_TIMEOUT + 10) for sock in sockets]
    assert time.monotonic() - started < BODY_TIMEOUT + 10
    assert Counter(_status(reply) for reply in replies) == {"408": len(sockets)}
    error = json.loads(replies[0].split(b"\r\n\r\n", 1)[1])["error"]
    assert error["code"] == "request_timeout" and f"{BODY_TIMEOUT:g} 秒" in error["message"]


def test_a_flood_of_slow_bodies_leaves_no_connection_open(direct: Server) -> None:
    """200 at once, five times the cap: those past it get 503 at once, the others 408 after BODY_TIMEOUT."""
    baseline = direct.open_files()
    sockets = _connect(direct, 200, SLOW_BODY)
    statuses = Counter(_status(_until_closed(sock, BODY_TIMEOUT + 15)) for sock in sockets)
    assert set(statuses) <= {"408", "503"} and statuses["503"] >= 200 - MAX_CONNECTIONS, statuses
    assert _wait_for_files(direct, baseline + 2, 10) <= baseline + 2
    assert direct.client(source="127.0.0.51").get("/healthz").status == 200


def test_connections_past_the_cap_get_503_until_the_slow_ones_are_gone(direct: Server) -> None:
    sockets = _connect(direct, MAX_CONNECTIONS + 5, b"GET /healthz HTTP/1.1\r\n")
    try:
        assert direct.client(source="127.0.0.52").get("/healthz").status == 503
    finally:
        for sock in sockets:
            _until_closed(sock, HEADER_TIMEOUT + 10)
    assert direct.client(source="127.0.0.52").get("/healthz").status == 200


# -- every /api route is rate limited; HEAD probes ---------------------------------------------------------


def test_cheap_reads_have_a_larger_budget_of_their_own(direct: Server) -> None:
    client = direct.client(source="127.0.0.61")
    reads = [
        "/api/documents",
        "/api/examples",
        "/api/units",
        "/api/documents/no-such-document",
        "/api/units/no-such-unit/tasks",
    ]
    statuses = [client.get(path).status for path in reads * 8]
    budget = LIMIT * 5  # QA_BOT_READ_LIMIT_FACTOR: 5
    assert statuses[:budget].count(429) == 0 and statuses.count(429) >= len(statuses) - budget - 2, statuses
    assert set(statuses) <= {200, 404, 429}
    assert ask(direct, "127.0.0.61").status == 200  # the asking budget is another


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_probes_answer_head(direct: Server, path: str) -> None:
    reply = direct.client(source="127.0.0.62").request("HEAD", path)
    assert reply.status == 200 and reply.body == b""


# -- the feedback store when its file disappears ------------------------------------------------------------


def _delete_file(data_dir: Path) -> None:
    (data_dir / DB_FILE).unlink()  # its -wal and -shm stay behind


def _delete_folder(data_dir: Path) -> None:
    for path in data_dir.glob("*"):
        path.unlink()
    data_dir.rmdir()


def _replace_file(data_dir: Path) -> None:
    """Another (empty) database moved over the file, as a restore from backup would."""
    replacement = data_dir.parent / "replacement.sqlite3"
    sqlite3.connect(replacement).close()
    replacement.replace(data_dir / DB_FILE)


@pytest.mark.parametrize(
    "damage", [_delete_file, _delete_folder, _replace_file], ids=["file-deleted", "folder-deleted", "file-replaced"]
)
def test_feedback_is_never_acknowledged_unless_it_is_in_the_file_on_disk(storing: Server, damage: Any) -> None:
    data_dir = storing.data_dir
    assert feedback(storing, "before").status == 201
    damage(data_dir)
    for n in range(3):
        comment = f"{damage.__name__} {n}"
        reply = feedback(storing, comment)
        assert reply.status in (201, 503), reply.text
        if reply.status == 201:
            assert comment in stored_comments(data_dir), f"acknowledged, but not in {data_dir / DB_FILE}"
        else:
            assert error_of(reply)["code"] == "storage_unavailable"
    assert reply.status == 201, f"the store did not recover: {reply.text}"  # a new file was made
    assert storing.readyz()["storage"] == {"backend": "sqlite", "ok": True, "error": None}


def test_an_unwritable_store_answers_503_until_it_can_write_again(storing: Server) -> None:
    data_dir = storing.data_dir
    for path in data_dir.glob("*"):
        path.unlink()
    data_dir.rmdir()
    data_dir.write_text("a file where the data folder was")  # the folder cannot be recreated
    try:
        reply = feedback(storing, "lost?")
        assert reply.status == 503
        error = error_of(reply)
        assert error["code"] == "storage_unavailable" and "未保存" in error["message"]
        storage = storing.readyz()["storage"]
        assert storage["ok"] is False and "反馈数据库" in storage["error"]
        assert ask(storing).status == 200  # answering does not depend on the store
    finally:
        data_dir.unlink()
    assert feedback(storing, "after").status == 201
    assert stored_comments(data_dir) == {"after"}
    assert storing.readyz()["storage"]["ok"] is True


def test_an_unreachable_postgresql_is_503_and_reported_by_readyz(
    mini_index: Path, embed_cache_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("psycopg", reason="needs the postgres extra (make test installs it)")
    hole = socket.socket()  # accepts TCP connections and never answers: a hung or firewalled server
    hole.bind((HOST, 0))
    hole.listen(16)
    url = f"postgresql://qa:hostile-db-secret@{HOST}:{hole.getsockname()[1]}/qa?connect_timeout=1"
    try:
        server = _start(tmp_path, mini_index, embed_cache_dir, QA_BOT_DATABASE_URL=url)
        try:
            reply = feedback(server, "lost?")
            assert reply.status == 503 and error_of(reply)["code"] == "storage_unavailable"
            storage = server.readyz()["storage"]
            assert storage["backend"] == "postgresql" and storage["ok"] is False and "PostgreSQL" in storage["error"]
            assert "hostile-db-secret" not in json.dumps(storage) + server.log()
            assert ask(server).status == 200
        finally:
            server.stop()
    finally:
        hole.close()
    assert not (tmp_path / "data" / DB_FILE).exists()  # nothing went to a local file instead


def test_control_characters_in_feedback_are_refused_and_nothing_is_stored(storing: Server) -> None:
    before = stored_comments(storing.data_dir)
    for control in ("\x00", "\x1b[2J", "\x7f"):
        reply = feedback(storing, f"评论{control}")
        assert reply.status == 422 and "控制字符" in error_of(reply)["message"]
    assert stored_comments(storing.data_dir) == before


# -- afterwards ------------------------------------------------------------------------------------------


def test_no_server_error_anywhere(direct: Server, proxied: Server, keyed: Server, storing: Server) -> None:
    """Runs last in this module: nothing above made any server answer 500 or log a traceback."""
    for server in (direct, proxied, keyed, storing):
        log = server.log()
        assert "Traceback" not in log and '" 500' not in log, log[-3000:]
        assert server.process is not None and server.process.poll() is None
