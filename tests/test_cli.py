"""The `qa-bot` command line against the mini gazette: documents, show, ask, search, index, eval (output and exit
codes)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qa_bot.cli import main
from qa_bot.index.manifest import BUILDS, CURRENT

FIXTURES = Path(__file__).parent / "fixtures"
DOC5 = "测政办发〔2023〕5号"
DOC2 = "测政发〔2023〕2号"
LEAD_QUESTION = "哪个单位牵头规范末端网点管理？"
LEAD_CLAUSE = "测政办发-2023-5/2.3"
CITATION_KEYS = {"doc_no", "title", "section", "text", "chunk_id", "score"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Questions with the clause each must cite first, used one by one and in batches.
BATCH = [
    (LEAD_QUESTION, LEAD_CLAUSE),
    ("冷链寄递哪个单位牵头", "测政办发-2023-5/2.2"),
    ("细颗粒物浓度的指标类别是什么", "测政发-2023-2/1.1-t1-r1"),
]


@pytest.fixture
def env(mini_index: Path, mini_corpus: Path) -> dict[str, str]:
    return {"QA_BOT_INDEX_DIR": str(mini_index), "QA_BOT_CORPUS_DIR": str(mini_corpus)}


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, args, env=env, input=stdin)


def json_lines(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


# -- documents / show ----------------------------------------------------------------------------
def test_documents_lists_both(env: dict[str, str]) -> None:
    result = run(["documents"], env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert DOC5 in lines[0] and "测试市快递进村实施方案" in lines[0] and "2023-03-15" in lines[0]
    assert DOC2 in lines[1] and "测试市空气质量提升规划" in lines[1] and "2023-02-01" in lines[1]


def test_documents_json(env: dict[str, str]) -> None:
    result = run(["documents", "--json"], env)
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)["documents"]
    by_no = {d["doc_no"]: d for d in documents}
    assert set(by_no) == {DOC5, DOC2}
    for d in documents:
        assert {"doc_no", "title", "issuer", "date", "issue", "clause_count"} <= set(d)
        assert d["issue"] == "2023年第1期（总第5期）"
        assert d["clause_count"] == 7
    assert "快递进村实施方案" in by_no[DOC5]["title"]
    assert by_no[DOC5]["issuer"] == "测试市人民政府办公室"
    assert by_no[DOC5]["date"] == "2023-03-15"
    assert "空气质量提升规划" in by_no[DOC2]["title"]
    assert by_no[DOC2]["issuer"] == "测试市人民政府"
    assert by_no[DOC2]["date"] == "2023-02-01"


@pytest.mark.parametrize("asked", [DOC5, "测政办发[2023]5号", "测政办发-2023-5"])
def test_show_json(env: dict[str, str], asked: str) -> None:
    result = run(["show", asked, "--json"], env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"doc_no", "title", "issuer", "date", "clauses"} <= set(body)
    assert body["doc_no"] == DOC5
    assert body["title"] == "测试市快递进村实施方案"
    assert body["issuer"] == "测试市人民政府办公室"
    assert body["date"] == "2023-03-15"
    for clause in body["clauses"]:
        assert set(clause) >= {"chunk_id", "section", "text", "lead_units", "responsible_units"}
    assert [c["section"] for c in body["clauses"]] == [
        "通知",
        "引言",
        "一、工作目标",
        "二、重点任务 > （一）完善县乡村三级物流体系",
        "二、重点任务 > （二）发展冷链寄递",
        "二、重点任务 > （三）规范末端网点管理",
        "三、保障措施",
    ]
    by_id = {c["chunk_id"]: c for c in body["clauses"]}
    assert by_id[LEAD_CLAUSE]["lead_units"] == ["市邮政管理局"]
    assert by_id[LEAD_CLAUSE]["responsible_units"] == ["各区人民政府"]
    assert by_id["测政办发-2023-5/2.2"]["lead_units"] == ["市商务局"]
    assert by_id["测政办发-2023-5/2.2"]["responsible_units"] == ["市农业农村局", "市供销社"]


def test_show_plain(env: dict[str, str]) -> None:
    result = run(["show", DOC2], env)
    assert result.exit_code == 0, result.output
    assert "测试市空气质量提升规划" in result.stdout
    assert "2.推进道路清扫保洁" in result.stdout
    assert result.stdout.index("第一章 总体要求") < result.stdout.index("第二章 重点任务")


def test_show_unknown_document(env: dict[str, str]) -> None:
    result = run(["show", "测政办发〔2099〕1号", "--json"], env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "测政办发〔2099〕1号" in result.stderr
    assert CHINESE.search(result.stderr.replace("测政办发〔2099〕1号", ""))


# -- ask -----------------------------------------------------------------------------------------
def test_ask_json(env: dict[str, str]) -> None:
    result = run(["ask", LEAD_QUESTION, "--json"], env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert {"answer", "found", "citations", "latency_ms"} <= set(body)
    assert body["found"] is True
    assert "市邮政管理局" in body["answer"]
    assert isinstance(body["latency_ms"], (int, float))
    first = body["citations"][0]
    assert CITATION_KEYS <= set(first)
    assert first["chunk_id"] == LEAD_CLAUSE
    assert first["doc_no"] == DOC5


def test_ask_plain(env: dict[str, str]) -> None:
    result = run(["ask", LEAD_QUESTION], env)
    assert result.exit_code == 0, result.output
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)
    answer, _, citations = result.stdout.partition("\n")
    assert "市邮政管理局" in answer
    assert "[1]" in citations
    assert DOC5 in citations
    assert "（三）规范末端网点管理" in citations
    assert "简化快递末端网点备案手续" in citations


def test_ask_top_k(env: dict[str, str]) -> None:
    result = run(["ask", LEAD_QUESTION, "--json", "--top-k", "2"], env)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["citations"]) == 2


def test_ask_batch(env: dict[str, str]) -> None:
    result = run(["ask", "-", "--json"], env, stdin="".join(q + "\n" for q, _ in BATCH))
    assert result.exit_code == 0, result.output
    bodies = json_lines(result)
    assert len(bodies) == len(BATCH)
    for body, (_, chunk_id) in zip(bodies, BATCH, strict=True):
        assert body["found"] is True
        assert body["citations"][0]["chunk_id"] == chunk_id


def test_ask_batch_skips_blank_and_reports_bad_lines(env: dict[str, str]) -> None:
    too_long = "快递" * 300  # 600 characters
    stdin = f"{BATCH[0][0]}\n   \n{too_long}\n{BATCH[1][0]}\n"
    result = run(["ask", "-", "--json"], env, stdin=stdin)
    assert result.exit_code == 2
    bodies = json_lines(result)
    assert len(bodies) == 3  # the blank line is skipped, not answered and not an error
    assert bodies[0]["citations"][0]["chunk_id"] == BATCH[0][1]
    assert "error" in bodies[1] and "answer" not in bodies[1]
    assert CHINESE.search(bodies[1]["error"]["message"])
    assert bodies[2]["citations"][0]["chunk_id"] == BATCH[1][1]


# -- search --------------------------------------------------------------------------------------
def test_search_json(env: dict[str, str]) -> None:
    result = run(["search", LEAD_QUESTION, "--json"], env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {"hits"}
    assert body["hits"][0]["chunk_id"] == LEAD_CLAUSE
    for hit in body["hits"]:
        assert CITATION_KEYS <= set(hit)


def test_search_plain(env: dict[str, str]) -> None:
    result = run(["search", LEAD_QUESTION, "--top-k", "3"], env)
    assert result.exit_code == 0, result.output
    ranked = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(ranked) == 3
    assert ranked[0].startswith("[1]") and LEAD_CLAUSE in ranked[0]


def test_search_batch(env: dict[str, str]) -> None:
    result = run(["search", "-", "--json", "--top-k", "2"], env, stdin="".join(q + "\n" for q, _ in BATCH))
    assert result.exit_code == 0, result.output
    bodies = json_lines(result)
    assert len(bodies) == len(BATCH)
    for body, (_, chunk_id) in zip(bodies, BATCH, strict=True):
        assert len(body["hits"]) == 2
        assert body["hits"][0]["chunk_id"] == chunk_id


@pytest.mark.parametrize("top_k", ["0", "-1", "51"])
def test_search_bad_top_k(env: dict[str, str], top_k: str) -> None:
    result = run(["search", LEAD_QUESTION, "--json", "--top-k", top_k], env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert CHINESE.search(result.stderr)


@pytest.mark.parametrize("command", ["search", "ask"])
@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question(env: dict[str, str], command: str, question: str) -> None:
    result = run([command, question, "--json"], env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert CHINESE.search(result.stderr)


# -- index ---------------------------------------------------------------------------------------
def test_index_builds_then_if_stale_does_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "mini-gazette.txt", corpus / "mini-gazette.txt")
    index_dir = tmp_path / "index"  # its own cache: texts are embedded, so a progress bar is drawn

    result = run(["index", "--corpus", str(corpus), "--index", str(index_dir)], env={})
    assert result.exit_code == 0, result.output
    assert "索引已构建" in result.stdout
    assert "14 条条款" in result.stdout
    assert "向量化" in result.stderr and "100%" in result.stderr  # tqdm's bar, on stderr only
    assert "向量化" not in result.stdout
    built = (index_dir / CURRENT).read_text(encoding="utf-8")
    builds = sorted(p.name for p in (index_dir / BUILDS).iterdir())

    again = run(["index", "--if-stale", "--corpus", str(corpus), "--index", str(index_dir)], env={})
    assert again.exit_code == 0, again.output
    assert "索引已是最新" in again.stderr
    assert "索引已构建" not in again.stdout
    assert (index_dir / CURRENT).read_text(encoding="utf-8") == built
    assert sorted(p.name for p in (index_dir / BUILDS).iterdir()) == builds

    with (corpus / "mini-gazette.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n3. 加强监督检查。（市生态环境局负责）\n")
    changed = run(["index", "--if-stale", "--corpus", str(corpus), "--index", str(index_dir)], env={})
    assert changed.exit_code == 0, changed.output
    assert "mini-gazette.txt" in changed.stderr
    assert "15 条条款" in changed.stdout
    assert (index_dir / CURRENT).read_text(encoding="utf-8") != built


def test_index_missing_corpus(tmp_path: Path) -> None:
    result = run(["index", "--corpus", str(tmp_path / "no-such-folder"), "--index", str(tmp_path / "index")], env={})
    assert result.exit_code == 2
    assert CHINESE.search(result.stderr)
    assert not (tmp_path / "index" / CURRENT).exists()


# -- eval ----------------------------------------------------------------------------------------
GOLD = [
    {
        "id": "m1",
        "question": LEAD_QUESTION,
        "answerable": True,
        "doc_no": DOC5,
        "evidence": "牵头单位：市邮政管理局",
        "answer_any": ["市邮政管理局"],
        "type": "lead",
    },
    {
        "id": "m2",
        "question": "冷链寄递哪个单位牵头",
        "answerable": True,
        "doc_no": DOC5,
        "evidence": "市商务局牵头，市农业农村局",
        "answer_any": ["市商务局"],
        "type": "lead",
    },
    {
        "id": "m3",
        "question": "细颗粒物浓度的指标类别是什么",
        "answerable": True,
        "doc_no": DOC2,
        "evidence": "细颗粒物 (PM _{2.5}) 浓度",
        "answer_any": ["约束性"],
        "type": "table",
    },
    {
        "id": "m4",
        "question": "北京市地铁票价是多少",
        "answerable": False,
        "doc_no": None,
        "evidence": None,
        "answer_any": [],
        "type": "unanswerable",
    },
]


def write_gold(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def test_eval_json(env: dict[str, str], tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "gold.jsonl", GOLD)
    result = run(["eval", "--gold", str(gold), "--json"], env)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    overall = summary["overall"]
    for key in ("hit_at_1", "hit_at_5", "mrr", "answer_accuracy", "refusal_accuracy"):
        assert key in overall
    assert overall["questions"] == 4
    assert overall["answerable"] == 3 and overall["unanswerable"] == 1
    assert overall["hit_at_1"] == 1.0
    assert overall["answer_accuracy"] == 1.0
    assert overall["refusal_accuracy"] == 1.0
    assert summary["misses"] == []


def test_eval_writes_reports(env: dict[str, str], tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "gold.jsonl", GOLD)
    out = tmp_path / "report"
    result = run(["eval", "--gold", str(gold), "--out", str(out)], env)
    assert result.exit_code == 0, result.output
    assert "Hit@1" in result.stdout
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# qa-bot 评测报告")
    assert "<html" in (out / "report.html").read_text(encoding="utf-8")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["overall"]["questions"] == 4


def _unknown_field(items: list[dict]) -> list[dict]:
    items[1] = {**items[1], "comment": "extra"}
    return items


def _duplicate_id(items: list[dict]) -> list[dict]:
    items[2] = {**items[2], "id": items[0]["id"]}
    return items


def _evidence_not_in_corpus(items: list[dict]) -> list[dict]:
    items[1] = {**items[1], "evidence": "市财政局牵头，市审计局配合"}
    return items


@pytest.mark.parametrize(
    ("spoil", "line", "mentions"),
    [(_unknown_field, 2, "comment"), (_duplicate_id, 3, "m1"), (_evidence_not_in_corpus, 2, "市财政局牵头")],
    ids=["unknown-field", "duplicate-id", "evidence-not-in-corpus"],
)
def test_eval_rejects_bad_gold_file(env: dict[str, str], tmp_path: Path, spoil, line: int, mentions: str) -> None:
    gold = write_gold(tmp_path / "gold.jsonl", spoil([dict(item) for item in GOLD]))
    result = run(["eval", "--gold", str(gold), "--json"], env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{gold}:{line}" in result.stderr
    assert mentions in result.stderr
