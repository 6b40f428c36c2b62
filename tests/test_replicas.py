"""Stateless replicas: the follow-up context travels with the request as a signed token (qa_bot.answer.context).

Unit tests of the token, the API around it (two in-process apps that share nothing but the index and the secret),
and two real `qa-bot serve` processes on the real gazette: a follow-up asked of replica 2 with the context replica 1
handed out gets the answer replica 1 alone would give, over /api/ask, /api/ask/stream and /v1/chat/completions.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from server_helpers import Client, Server, serving, sse_events

from qa_bot.answer.context import MAX_TOKEN_CHARS, ContextTokens
from qa_bot.answer.engine import QaEngine
from qa_bot.answer.session import TURN_TEXT_CHARS, Turn
from qa_bot.serve import create_app
from qa_bot.settings import Settings

SECRET = "replica-test-secret-0123456789abcdef"
TURN = Turn(
    question="哪个单位牵头农村寄递物流体系建设？",
    kind="lead",
    meta_field=None,
    doc_id="锦政办发-2022-20",
    subject="农村寄递物流体系建设",
)


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# -- the token ---------------------------------------------------------------------------------------


def test_round_trip_is_compact_and_url_safe() -> None:
    tokens = ContextTokens(SECRET, ttl_seconds=1800)
    token = tokens.issue(TURN)
    assert tokens.read(token) == TURN
    assert token.startswith("c1.") and len(token) < 400
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in token)
    meta = Turn(question="测政办发〔2023〕5号是哪天印发的？", kind="meta", meta_field="date", doc_id=None, subject="")
    assert tokens.read(tokens.issue(meta)) == meta


def test_longest_question_keeps_the_token_under_2_kb() -> None:
    tokens = ContextTokens(SECRET, ttl_seconds=1800)
    long = Turn(question="问" * 500, kind="content", meta_field=None, doc_id="d" * 100, subject="题" * 500)
    token = tokens.issue(long)
    assert len(token) < 2048 < MAX_TOKEN_CHARS
    read = tokens.read(token)
    assert read is not None and (read.kind, read.doc_id) == ("content", "d" * 100)
    assert read.question == "问" * TURN_TEXT_CHARS and read.subject == "题" * TURN_TEXT_CHARS


def test_every_one_character_change_is_rejected() -> None:
    tokens = ContextTokens(SECRET, ttl_seconds=1800)
    token = tokens.issue(TURN)
    for position, char in enumerate(token):
        for other in {"A", "b", "_", "."} - {char}:
            tampered = token[:position] + other + token[position + 1 :]
            assert tokens.read(tampered) is None, (position, other)
    assert tokens.read(token + "A") is None and tokens.read(token[:-1]) is None


def test_a_forged_payload_or_another_secret_is_rejected() -> None:
    ours = ContextTokens(SECRET, ttl_seconds=1800)
    theirs = ContextTokens(SECRET + "-other", ttl_seconds=1800)
    assert theirs.check(ours.issue(TURN)) == (None, "bad signature")
    assert ours.read(theirs.issue(TURN)) is None
    # Someone else's payload with our signature over the original: still refused.
    _, payload, signature = ours.issue(TURN).split(".")
    forged = ours.issue(Turn("q", "meta", "date", "other-doc", "s")).split(".")[1]
    assert ours.read(f"c1.{forged}.{signature}") is None
    assert ours.read(f"c1.{payload}.{signature}") == TURN


def test_expiry_follows_the_session_ttl() -> None:
    clock = Clock()
    tokens = ContextTokens(SECRET, ttl_seconds=1800, clock=clock)
    token = tokens.issue(TURN)
    clock.now += 1800
    assert tokens.read(token) == TURN
    clock.now += 1
    assert tokens.check(token) == (None, "expired")
    clock.now -= 1801 + 3600  # issued an hour in the future (a replica's clock far ahead): refused too
    assert tokens.check(token) == (None, "issued in the future")
    clock.now += 3600 - 30  # a little clock skew between replicas is fine
    assert tokens.read(token) == TURN


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        7,
        1.5,
        True,
        ["c1"],
        {"a": 1},
        "",
        "garbage",
        "c1",
        "c1..",
        "c1.a.b",
        "c2.YQ.YQ",
        "c1.中文.签名",
        "c1.YQ=.YQ",
        "c1.a b.c",
    ]
    + ["x" * 100_000],
)
def test_garbage_reads_as_no_context(garbage: object) -> None:
    assert ContextTokens(SECRET, ttl_seconds=1800).read(garbage) is None


def test_well_signed_but_malformed_payloads_are_rejected() -> None:
    """Defence in depth: even a payload carrying our signature must have the right shape."""
    tokens = ContextTokens(SECRET, ttl_seconds=1800)

    def signed(value: Any) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
        return f"c1.{payload}.{tokens._sign(payload)}"

    now = int(Clock()())
    fresh = ContextTokens(SECRET, ttl_seconds=1800, clock=Clock())
    good = [1, now, "q", "lead", None, "d", "s"]
    assert fresh.read(signed(good)) == Turn("q", "lead", None, "d", "s")
    bad_shapes: list[Any] = [
        [2, *good[1:]],
        [1, True, *good[2:]],
        [1, str(now), *good[2:]],
        good[:-1],
        [*good, "x"],
        {"v": 1},
    ]
    bad_shapes += [
        [1, now, "q", "", None, "d", "s"],
        [1, now, 5, "lead", None, "d", "s"],
        [1, now, "q", "lead", 3, "d", "s"],
    ]
    for bad in bad_shapes:
        assert fresh.read(signed(bad)) is None, bad


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        ContextTokens("", ttl_seconds=10)


# -- the API, two in-process apps that share only the index ----------------------------------------------

FIRST = "哪个单位牵头完善县乡村三级物流体系？"
FOLLOW_UP = "那冷链寄递呢？"
DELIVERY = "测政办发〔2023〕5号"


def test_engine_takes_the_context_and_hands_back_the_turn(mini_engine: QaEngine) -> None:
    """The engine knows nothing of tokens: it takes the previous Turn and returns the next one (Reply.turn)."""
    first = mini_engine.ask(FIRST, session_id="engine-context-1")
    assert first.turn is not None and first.turn.kind == "lead" and first.turn.question == FIRST
    follow = mini_engine.ask(FOLLOW_UP, session_id="engine-context-2", context=first.turn)
    assert (
        follow.answer.startswith("市商务局牵头") and follow.turn is not None and follow.turn.doc_id == first.turn.doc_id
    )
    assert mini_engine.sessions.get("engine-context-2") == follow.turn  # session_id keeps working alongside
    missed = mini_engine.ask("测政办发〔2099〕9号由哪个单位牵头？", context=follow.turn)
    assert missed.found is False and missed.turn == follow.turn  # an unanswered question keeps the context going
    alone = mini_engine.ask(FOLLOW_UP, session_id="engine-context-3")  # no previous turn: nothing is continued
    assert "follow_up" not in alone.question.flags and (
        alone.turn is None or alone.turn.doc_id is None or alone.turn.question == FOLLOW_UP
    )


def replica_settings(mini_index: Path, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "index_dir": mini_index,
        "data_dir": data_dir,
        "rate_limit": "0",
        "stream_delay_ms": 0,
        "context_secret": SECRET,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
def two_apps(mini_index: Path, mini_engine: QaEngine, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """Two services with their own engines (so their own sessions) and data dirs; same index, same secret."""
    apps = []
    for name in ("one", "two"):
        settings = replica_settings(mini_index, tmp_path / name)
        apps.append(create_app(settings, engine=QaEngine(settings, mini_engine.index, mini_engine.embedder)))
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        yield one, two


def test_follow_up_on_the_other_app_with_the_context(two_apps: tuple[TestClient, TestClient]) -> None:
    one, two = two_apps
    first = one.post("/api/ask", json={"question": FIRST}).json()
    assert first["answer"].startswith("市邮政管理局牵头") and isinstance(first["context"], str)
    lost = two.post("/api/ask", json={"question": FOLLOW_UP, "session_id": first["session_id"]}).json()
    assert lost["found"] is False and lost["context"] is None  # app two never saw that session: nothing to continue
    follow = two.post("/api/ask", json={"question": FOLLOW_UP, "context": first["context"]}).json()
    assert follow["found"] and follow["answer"].startswith("市商务局牵头")
    assert follow["citations"][0]["doc_no"] == DELIVERY and follow["citations"][0]["section"].endswith(
        "（二）发展冷链寄递"
    )
    assert follow["kind"] == "lead" and follow["context"] not in (None, first["context"])


def test_stream_done_carries_the_context(two_apps: tuple[TestClient, TestClient]) -> None:
    one, two = two_apps
    events = sse_events(one.post("/api/ask/stream", json={"question": FIRST}).text)
    done = events[-1][1]
    assert events[-1][0] == "done" and isinstance(done["context"], str)
    events = sse_events(two.post("/api/ask/stream", json={"question": FOLLOW_UP, "context": done["context"]}).text)
    assert events[-1][0] == "done" and events[-1][1]["answer"].startswith("市商务局牵头")
    assert "".join(data["text"] for event, data in events if event == "delta") == events[-1][1]["answer"]


def test_context_wins_over_the_session(two_apps: tuple[TestClient, TestClient]) -> None:
    one, _ = two_apps
    one.post("/api/ask", json={"question": FIRST, "session_id": "s-lead"})  # the session continues a who-question
    content = one.post("/api/ask", json={"question": "发展冷链寄递要做哪些事？"}).json()  # the context a what-question
    by_session = one.post("/api/ask", json={"question": "那规范末端网点管理呢？", "session_id": "s-lead"}).json()
    assert by_session["answer"].startswith("市邮政管理局牵头")
    one.post("/api/ask", json={"question": FIRST, "session_id": "s-lead-2"})
    both = one.post(
        "/api/ask", json={"question": "那规范末端网点管理呢？", "session_id": "s-lead-2", "context": content["context"]}
    ).json()
    assert both["kind"] == "content" and both["answer"].startswith("简化快递末端网点备案手续")


def test_a_not_found_reply_keeps_the_context_going(two_apps: tuple[TestClient, TestClient]) -> None:
    """As with sessions: a question left unanswered does not end the conversation's context."""
    one, two = two_apps
    first = one.post("/api/ask", json={"question": FIRST}).json()
    missed = two.post(
        "/api/ask", json={"question": "测政办发〔2099〕9号由哪个单位牵头？", "context": first["context"]}
    ).json()
    assert missed["found"] is False and isinstance(missed["context"], str)
    follow = one.post("/api/ask", json={"question": FOLLOW_UP, "context": missed["context"]}).json()
    assert follow["answer"].startswith("市商务局牵头")


@pytest.mark.parametrize("token", ["garbage", "c1.e30.AAAA", "c1." + "A" * 4000 + ".B", "x" * MAX_TOKEN_CHARS, ""])
def test_a_bad_token_means_a_fresh_question(two_apps: tuple[TestClient, TestClient], token: str) -> None:
    one, _ = two_apps
    fresh = one.post("/api/ask", json={"question": FOLLOW_UP}).json()
    response = one.post("/api/ask", json={"question": FOLLOW_UP, "context": token})
    assert response.status_code == 200
    assert (response.json()["answer"], response.json()["found"]) == (fresh["answer"], fresh["found"])


def test_tampered_and_expired_tokens_mean_a_fresh_question(two_apps: tuple[TestClient, TestClient]) -> None:
    one, two = two_apps
    fresh = two.post("/api/ask", json={"question": FOLLOW_UP}).json()
    token = one.post("/api/ask", json={"question": FIRST}).json()["context"]
    tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    assert two.post("/api/ask", json={"question": FOLLOW_UP, "context": tampered}).json()["answer"] == fresh["answer"]
    clock = Clock()
    old = ContextTokens(SECRET, ttl_seconds=1800, clock=clock).issue(Turn(FIRST, "lead", None, "测政办发-2023-5", ""))
    two.app.state.context_tokens = ContextTokens(SECRET, ttl_seconds=1800, clock=Clock(clock.now + 1801))
    assert two.post("/api/ask", json={"question": FOLLOW_UP, "context": old}).json()["answer"] == fresh["answer"]
    two.app.state.context_tokens = ContextTokens(SECRET, ttl_seconds=1800, clock=Clock(clock.now + 1799))
    assert (
        two.post("/api/ask", json={"question": FOLLOW_UP, "context": old}).json()["answer"].startswith("市商务局牵头")
    )


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (7, "字段 context 必须是字符串"),
        (["c1"], "字段 context 必须是字符串"),
        ({"turn": 1}, "字段 context 必须是字符串"),
        ("x" * (MAX_TOKEN_CHARS + 1), f"字段 context 不能超过 {MAX_TOKEN_CHARS} 个字符"),
        ("c1." + "字" * 5000, f"字段 context 不能超过 {MAX_TOKEN_CHARS} 个字符"),
    ],
    ids=["number", "list", "object", "over-4k", "over-4k-chinese"],
)
def test_a_token_of_the_wrong_type_or_absurd_length_is_a_422(
    two_apps: tuple[TestClient, TestClient], context: Any, message: str
) -> None:
    one, _ = two_apps
    for path in ("/api/ask", "/api/ask/stream"):
        response = one.post(path, json={"question": FIRST, "context": context})
        assert response.status_code == 422
        assert response.json() == {"error": {"code": "invalid_field", "message": message}}


def test_a_different_secret_means_a_fresh_question(mini_index: Path, mini_engine: QaEngine, tmp_path: Path) -> None:
    apps = [
        create_app(replica_settings(mini_index, tmp_path / "a"), engine=mini_engine),
        create_app(
            replica_settings(mini_index, tmp_path / "b", context_secret="another-secret-entirely"), engine=mini_engine
        ),
    ]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as other:
        token = one.post("/api/ask", json={"question": FIRST}).json()["context"]
        fresh = other.post("/api/ask", json={"question": FOLLOW_UP}).json()
        response = other.post("/api/ask", json={"question": FOLLOW_UP, "context": token})
        assert response.status_code == 200 and response.json()["answer"] == fresh["answer"]
        assert response.json()["found"] is False


def test_no_secret_logs_one_warning(
    mini_index: Path, mini_engine: QaEngine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="qa_bot.serve"):
        create_app(replica_settings(mini_index, tmp_path / "a"), engine=mini_engine)
    assert not [r for r in caplog.records if "QA_BOT_CONTEXT_SECRET" in r.getMessage()]
    with caplog.at_level(logging.WARNING, logger="qa_bot.serve"):
        app = create_app(replica_settings(mini_index, tmp_path / "b", context_secret=""), engine=mini_engine)
    warnings = [r for r in caplog.records if "QA_BOT_CONTEXT_SECRET" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "only work on the replica that answered" in warnings[0].getMessage()
    with TestClient(app) as client:  # still signs (with the process's own secret), so follow-ups work here
        token = client.post("/api/ask", json={"question": FIRST}).json()["context"]
        assert (
            client.post("/api/ask", json={"question": FOLLOW_UP, "context": token})
            .json()["answer"]
            .startswith("市商务局牵头")
        )


def test_chat_completions_replay_matches_the_one_process_answer(two_apps: tuple[TestClient, TestClient]) -> None:
    one, two = two_apps
    # Four questions: a replay of only the last two earlier ones would answer the last as a what-question.
    chain = [FIRST, FOLLOW_UP, "那规范末端网点管理呢？", "那完善县乡村三级物流体系呢？"]
    messages: list[dict[str, str]] = []
    answers = []
    for question in chain:  # a client on app one, which keeps each turn in its process
        messages.append({"role": "user", "content": question})
        body = one.post("/v1/chat/completions", json={"model": "qa-bot", "messages": messages}).json()
        answers.append(body["choices"][0]["message"])
        messages.append({"role": "assistant", "content": body["choices"][0]["message"]["content"]})
    replayed = two.post("/v1/chat/completions", json={"model": "qa-bot", "messages": messages[:-1]}).json()
    message = replayed["choices"][0]["message"]
    assert message["content"] == answers[-1]["content"] and message["content"].startswith("市邮政管理局牵头")
    assert message["references"][0] == answers[-1]["references"][0]


# -- two real replicas on the real gazette -----------------------------------------------------------------

REAL_PAIRS = [
    # (first question, follow-up): the follow-up stays in the first answer's document and keeps asking "who leads".
    ("哪个单位牵头农村寄递物流体系建设？", "那冷链寄递呢？"),
    ("节能减排工作方案由哪个单位牵头推进重点行业绿色升级？", "那交通物流呢？"),
]
REAL_CHAIN = ["哪个单位牵头农村寄递物流体系建设？", "那冷链寄递呢？", "那末端网点呢？", "那快递进村呢？"]


def ask(client: Client, path: str = "/api/ask", **body: Any) -> dict[str, Any]:
    reply = client.post(path, body)
    assert reply.status == 200, reply.text
    if path.endswith("/stream"):
        event, data = sse_events(reply.text)[-1]
        assert event == "done", reply.text
        return data
    return reply.json()


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    first = lambda body: body["citations"][0] if body["citations"] else None  # noqa: E731 — a follow-up asked back cites nothing
    return (a["answer"], a["found"], first(a)) == (b["answer"], b["found"], first(b))


@pytest.fixture(scope="module")
def replicas(real_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Two `qa-bot serve` processes: same read-only index, same secret, nothing else shared."""
    root = tmp_path_factory.mktemp("replicas")
    with (
        serving(real_index, root / "one", QA_BOT_CONTEXT_SECRET=SECRET) as one,
        serving(real_index, root / "two", QA_BOT_CONTEXT_SECRET=SECRET) as two,
    ):
        yield one, two


@pytest.mark.slow
def test_replicas_are_ready_on_the_same_build(replicas: tuple[Server, Server]) -> None:
    one, two = replicas
    assert one.pid != two.pid and one.data_dir != two.data_dir
    ready = [server.readyz() for server in replicas]
    assert [r["status"] for r in ready] == ["ready", "ready"]
    assert ready[0]["build_id"] == ready[1]["build_id"] and ready[0]["documents"] == ready[1]["documents"] == 6
    for server in replicas:
        assert "QA_BOT_CONTEXT_SECRET is not set" not in server.log()


@pytest.mark.slow
@pytest.mark.parametrize(("first_question", "follow_up"), REAL_PAIRS)
@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
def test_follow_up_on_the_other_replica(
    replicas: tuple[Server, Server], first_question: str, follow_up: str, path: str
) -> None:
    one, two = replicas
    c1, c2 = one.client(), two.client()
    # The one-process baseline: both questions on replica one, in one session.
    base_first = ask(c1, path, question=first_question, session_id="baseline-" + path)
    baseline = ask(c1, path, question=follow_up, session_id="baseline-" + path)
    assert base_first["found"] and baseline["found"] and baseline["kind"] == "lead"
    # A load balancer sends the second question elsewhere: the context goes with it.
    first = ask(c1, path, question=first_question)
    follow = ask(c2, path, question=follow_up, context=first["context"])
    assert same(follow, baseline), (follow["answer"], baseline["answer"])
    assert follow["citations"][0]["doc_no"] == first["citations"][0]["doc_no"]  # the user stays in the same document
    assert isinstance(follow["context"], str)
    # Without it, replica two has no conversation behind the follow-up (its session store never saw the first one):
    # it asks back which work is meant.
    alone = ask(c2, path, question=follow_up, session_id=first["session_id"])
    assert not same(alone, baseline) and alone["clarify"] is True
    # And the conversation goes on from replica two's context, back on replica one.
    again = ask(c1, path, question=follow_up, context=follow["context"])
    assert again["citations"][0]["doc_no"] == first["citations"][0]["doc_no"]


@pytest.mark.slow
def test_replica_with_another_secret_answers_afresh(
    replicas: tuple[Server, Server], real_index: Path, tmp_path: Path
) -> None:
    one, _ = replicas
    first_question, follow_up = REAL_PAIRS[0]
    first = ask(one.client(), question=first_question)
    baseline = ask(one.client(), question=follow_up, context=first["context"])
    with serving(real_index, tmp_path / "stranger", QA_BOT_CONTEXT_SECRET="some-other-secret-0123456789") as stranger:
        client = stranger.client()
        fresh = ask(client, question=follow_up)
        reply = client.post("/api/ask", {"question": follow_up, "context": first["context"]})
        assert reply.status == 200, reply.text
        assert same(reply.json(), fresh) and not same(reply.json(), baseline)
        assert "Traceback" not in stranger.log()


@pytest.mark.slow
def test_chat_completions_on_the_other_replica(replicas: tuple[Server, Server]) -> None:
    """The OpenAI route carries the whole conversation: replica two replays it and answers as replica one did,
    also for a chain of follow-ups longer than two."""
    one, two = replicas
    c1, c2 = one.client(), two.client()
    messages: list[dict[str, str]] = []
    on_one = []
    for question in REAL_CHAIN:
        messages.append({"role": "user", "content": question})
        reply = c1.post("/v1/chat/completions", {"model": "qa-bot", "messages": messages})
        assert reply.status == 200, reply.text
        message = reply.json()["choices"][0]["message"]
        on_one.append(message)
        messages.append({"role": "assistant", "content": message["content"]})
    for turn in range(1, len(REAL_CHAIN)):
        history = messages[: 2 * turn + 1]  # up to and including question `turn`
        reply = c2.post("/v1/chat/completions", {"model": "qa-bot", "messages": history})
        assert reply.status == 200, reply.text
        message = reply.json()["choices"][0]["message"]
        assert message["content"] == on_one[turn]["content"], (turn, message["content"], on_one[turn]["content"])
        assert message["references"][0] == on_one[turn]["references"][0]
        assert message["references"][0]["doc_no"] == on_one[0]["references"][0]["doc_no"]
