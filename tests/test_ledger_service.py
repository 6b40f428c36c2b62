"""The task ledger through its outside doors, on an index of the fixture gazette: `qa-bot units/tasks` (JSON, text,
CSV, XLSX, exit codes), GET /api/units and /api/units/{name}/tasks (JSON, downloads, 404 with the closest names,
422s), the spreadsheets read back, and a build made before the ledger existed."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from index_helpers import build_index_in as _build
from openpyxl import load_workbook

from qa_bot.cli import main
from qa_bot.index.loaded import load_index
from qa_bot.index.manifest import current_build
from qa_bot.ledger import HEADERS, LEDGER_FILE
from qa_bot.serve import create_app
from qa_bot.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
POSTAL = "市邮政管理局"
POSTAL_TASKS = ["完善末端网点布局", "发展冷链物流", "推广新能源快递车辆"]
BANK = "中国人民银行测试市中心支行"
TASK_KEYS = {"doc_no", "title", "section", "chunk_id", "task", "role", "co_units", "deadline", "text"}
UNIT_KEYS = {"name", "aliases", "kind", "lead", "responsible"}


@pytest.fixture(scope="module")
def ledger_index(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path) -> Path:
    corpus = tmp_path_factory.mktemp("ledger-corpus")
    shutil.copy(FIXTURES / "ledger-gazette.txt", corpus / "ledger-gazette.txt")
    return _build(corpus, tmp_path_factory.mktemp("ledger-index"), embed_cache_dir)


@pytest.fixture(scope="module")
def client(ledger_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from qa_bot.answer.engine import QaEngine

    settings = Settings(
        index_dir=ledger_index, data_dir=tmp_path_factory.mktemp("data"), rate_limit="0", reload_check_seconds=0
    )
    with TestClient(create_app(settings, engine=QaEngine.load(settings))) as test_client:
        yield test_client


def run(args: list[str], index: Path) -> Result:
    return CliRunner().invoke(main, args, env={"QA_BOT_INDEX_DIR": str(index)})


def tasks_url(name: str, query: str = "") -> str:
    return f"/api/units/{quote(name, safe='')}/tasks" + (f"?{query}" if query else "")


# -- command line ------------------------------------------------------------------------------------------------
def test_units_json_counts_by_role(ledger_index: Path) -> None:
    result = run(["units", "--json"], ledger_index)
    assert result.exit_code == 0, result.output
    units = {u["name"]: u for u in json.loads(result.stdout)["units"]}
    assert all(UNIT_KEYS <= set(u) for u in units.values())
    assert (units[POSTAL]["lead"], units[POSTAL]["responsible"]) == (3, 0)
    assert (units[BANK]["lead"], units[BANK]["responsible"]) == (1, 1)
    assert "人民银行测试市中心支行" in units[BANK]["aliases"]
    assert "各有关部门" not in units and "重点领域牵头单位" not in units


def test_units_text_groups_by_kind(ledger_index: Path) -> None:
    result = run(["units"], ledger_index)
    assert result.exit_code == 0, result.output
    assert "【市直部门】" in result.stdout and "【中直/驻测单位】" in result.stdout and "【企业】" in result.stdout
    assert "泛指（不计为单位）：" in result.stdout and "各有关部门" in result.stdout


def test_tasks_json_by_alias_with_filters(ledger_index: Path) -> None:
    result = run(["tasks", "--unit", "邮政管理局", "--json"], ledger_index)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["unit"] == POSTAL and [t["task"] for t in body["tasks"]] == POSTAL_TASKS
    assert all(TASK_KEYS <= set(t) and t["role"] == "lead" for t in body["tasks"])
    one_doc = json.loads(run(["tasks", "--unit", POSTAL, "--doc", "测政发〔2023〕8号", "--json"], ledger_index).stdout)
    assert [t["task"] for t in one_doc["tasks"]] == ["推广新能源快递车辆"]
    responsible = json.loads(
        run(["tasks", "--unit", "人民银行测试市中心支行", "--role", "responsible", "--json"], ledger_index).stdout
    )
    assert responsible["unit"] == BANK and [t["task"] for t in responsible["tasks"]] == ["强化资金保障"]
    assert responsible["tasks"][0]["co_units"] == ["市发展改革委", "市财政局"]


def test_tasks_text_lists_by_document(ledger_index: Path) -> None:
    result = run(["tasks", "--unit", POSTAL], ledger_index)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{POSTAL}：3 项任务")
    assert "《测试市快递物流提升行动方案》测政办发〔2023〕11号" in result.stdout
    assert "[牵头] 完善末端网点布局" in result.stdout and "完成时限：到2025年" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["tasks", "--unit", "市邮政局管理"], 2, "市邮政管理局"),
        (["tasks", "--unit", POSTAL, "--role", "boss"], 2, "只能是 lead（牵头）或 responsible（负责）"),
        (["tasks", "--unit", POSTAL, "--doc", "测政发〔2099〕1号"], 2, "测政发〔2023〕8号"),
        (["tasks", "--unit", POSTAL, "--json", "--csv", "x.csv"], 2, "只能选一个"),
    ],
)
def test_tasks_bad_input_exits_2(ledger_index: Path, args: list[str], code: int, says: str) -> None:
    result = run(args, ledger_index)
    assert result.exit_code == code and says in result.output


def test_units_without_index_exits_3(tmp_path: Path) -> None:
    result = run(["units"], tmp_path / "none")
    assert result.exit_code == 3 and "qa-bot index" in result.output


def test_tasks_csv_and_xlsx_files_read_back(ledger_index: Path, tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "postal.csv", tmp_path / "postal.xlsx"
    assert run(["tasks", "--unit", POSTAL, "--csv", str(csv_path)], ledger_index).exit_code == 0
    assert run(["tasks", "--unit", POSTAL, "--xlsx", str(xlsx_path)], ledger_index).exit_code == 0
    rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADERS and [r[HEADERS.index("任务")] for r in rows[1:]] == POSTAL_TASKS
    assert rows[1][HEADERS.index("原文链接")].startswith("http://127.0.0.1:8000/#/doc/")
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert [
        sheet.cell(row=r, column=HEADERS.index("任务") + 1).value for r in range(2, sheet.max_row + 1)
    ] == POSTAL_TASKS


def test_tasks_file_that_cannot_be_written_exits_2(ledger_index: Path, tmp_path: Path) -> None:
    result = run(["tasks", "--unit", POSTAL, "--xlsx", str(tmp_path / "missing" / "x.xlsx")], ledger_index)
    assert result.exit_code == 2 and "无法写入文件" in result.output


# -- HTTP ----------------------------------------------------------------------------------------------------------
def test_api_units_has_the_cli_shape(client: TestClient, ledger_index: Path) -> None:
    response = client.get("/api/units")
    assert response.status_code == 200
    assert response.json()["units"] == json.loads(run(["units", "--json"], ledger_index).stdout)["units"]


@pytest.mark.parametrize("name", [POSTAL, "邮政管理局", "测试市邮政管理局"])
def test_api_tasks_by_any_alias(client: TestClient, name: str) -> None:
    response = client.get(tasks_url(name))
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == POSTAL and [t["task"] for t in body["tasks"]] == POSTAL_TASKS
    assert body["tasks"][0]["doc_id"] == "测政办发-2023-11" and body["tasks"][0]["chunk_id"] == "测政办发-2023-11/1.1"


def test_api_tasks_filters(client: TestClient) -> None:
    lead = client.get(tasks_url(BANK, "role=lead")).json()["tasks"]
    assert [t["task"] for t in lead] == ["加强金融支持"] and lead[0]["deadline"] == "2023年12月底前"
    by_doc = client.get(tasks_url("市交通运输局", "doc=" + quote("测政发〔2023〕8号"))).json()["tasks"]
    assert {t["doc_no"] for t in by_doc} == {"测政发〔2023〕8号"} and len(by_doc) == 2
    both = client.get(tasks_url("市交通运输局", "role=&doc=&format=")).json()["tasks"]
    assert len(both) == 2


def test_api_unknown_unit_is_404_with_closest_names(client: TestClient) -> None:
    response = client.get(tasks_url("市邮政局管理"))
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_unit" and POSTAL in error["closest"] and POSTAL in error["message"]
    slash = client.get("/api/units/a%2Fb/tasks")
    assert slash.status_code == 404 and slash.json()["error"]["code"] == "unknown_unit"
    long = client.get(tasks_url("局" * 5000))
    assert (
        long.status_code == 404 and long.json()["error"]["closest"] == [] and len(long.json()["error"]["message"]) < 200
    )


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("role=boss", 422, "role"),
        ("format=pdf", 422, "format"),
        ("doc=" + quote("测政发〔2099〕1号"), 404, "测政发〔2023〕8号"),
    ],
)
def test_api_bad_filters_are_4xx_in_chinese(client: TestClient, query: str, status: int, says: str) -> None:
    response = client.get(tasks_url(POSTAL, query))
    assert response.status_code == status
    assert says in response.json()["error"]["message"]


def test_api_csv_download(client: TestClient) -> None:
    response = client.get(tasks_url(POSTAL, "format=csv"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f"{POSTAL}-任务台账-" in unquote(disposition)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[HEADERS.index("任务")] for r in rows[1:]] == POSTAL_TASKS
    assert rows[1][HEADERS.index("原文链接")] == "http://testserver/#/doc/" + quote(
        "测政办发-2023-11", safe=""
    ) + "?chunk=" + quote("测政办发-2023-11/1.1", safe="")


def test_api_xlsx_download_reads_back(client: TestClient) -> None:
    response = client.get(tasks_url("人民银行测试市中心支行", "format=xlsx"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert unquote(response.headers["content-disposition"]).split("''")[1].startswith(f"{BANK}-任务台账-")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == BANK and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(HEADERS)
    column = {name: n + 1 for n, name in enumerate(HEADERS)}
    assert [sheet.cell(row=r, column=column["角色"]).value for r in (2, 3)] == ["牵头", "负责"]
    assert sheet.cell(row=2, column=column["完成时限"]).value == "2023年12月底前"
    link = sheet.cell(row=2, column=column["原文链接"])
    assert link.value == "查看原文" and link.hyperlink.target.startswith("http://testserver/#/doc/")
    assert sheet.cell(row=2, column=column["条款原文"]).alignment.wrap_text
    # 任务 fits its longest text, a Chinese character counting two units
    assert sheet.column_dimensions["F"].width >= 2 * len("加强金融支持") > len("加强金融支持") + 2


def test_index_builds_the_ledger(tmp_path: Path, embed_cache_dir: Path) -> None:
    from qa_bot.index.build import CACHE_DIR

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    index.mkdir()
    shutil.copy(FIXTURES / "ledger-gazette.txt", corpus / "ledger-gazette.txt")
    (index / CACHE_DIR).symlink_to(embed_cache_dir, target_is_directory=True)
    result = CliRunner().invoke(main, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    # six clauses name 17 unit-tasks (3+3+3+3+3+2), counted by hand from the fixture
    assert "任务分工台账：10 个单位，17 项任务" in result.stdout
    stored = json.loads((current_build(index) / LEDGER_FILE).read_text(encoding="utf-8"))
    assert {u["name"] for u in stored["units"]} >= {POSTAL, BANK}
    assert len(stored["tasks"]) == sum(u["lead"] + u["responsible"] for u in stored["units"]) == 17


# -- a build made before the ledger ------------------------------------------------------------------------------
def test_old_build_without_ledger_still_serves_it(ledger_index: Path, tmp_path: Path) -> None:
    old = tmp_path / "old-index"
    shutil.copytree(ledger_index, old, symlinks=True)
    folder = current_build(old)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].pop(LEDGER_FILE)
    manifest.pop("ledger")
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (folder / LEDGER_FILE).unlink()
    assert load_index(old).ledger.unit(POSTAL) is not None
    result = run(["tasks", "--unit", POSTAL, "--json"], old)
    assert result.exit_code == 0 and [t["task"] for t in json.loads(result.stdout)["tasks"]] == POSTAL_TASKS


def test_chat_names_the_documents_that_mention_a_unit_outside_its_notes(client: TestClient) -> None:
    """"哪些文件涉及市交通运输局" lists the documents giving it tasks, and the one whose text names it without a
    note."""
    reply = client.post("/api/ask", json={"question": "哪些文件涉及市交通运输局？"}).json()
    assert reply["found"] and "测政发〔2023〕8号" in reply["answer"]
    assert "测政办发〔2023〕11号" in reply["answer"] and "未列为牵头或责任单位" in reply["answer"], reply["answer"]
    tasks = client.post("/api/ask", json={"question": "市交通运输局牵头哪些工作？"}).json()
    assert "测政办发〔2023〕11号" not in tasks["answer"]  # its tasks, not every mention
