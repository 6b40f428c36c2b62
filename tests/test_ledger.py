"""The task ledger built from parsed gazettes: units normalised across spellings, counts that agree with the clause
data, references kept apart, deadlines, lookups by any alias — on the real gazette and on a fixture gazette."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa_bot.errors import BadInput, NotFound, UnknownUnit
from qa_bot.ledger import Ledger, build_ledger
from qa_bot.parse import parse_corpus
from qa_bot.parse.model import Document
from qa_bot.text.unit_names import UnitNamer, UnitVocabulary, city_of

FIXTURES = Path(__file__).parent / "fixtures"
REAL_CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _documents(corpus: Path) -> list[Document]:
    return parse_corpus(corpus).documents


@pytest.fixture(scope="module")
def real_documents() -> list[Document]:
    return _documents(REAL_CORPUS)


@pytest.fixture(scope="module")
def seed(real_documents: list[Document]) -> Ledger:
    return build_ledger(real_documents)


@pytest.fixture(scope="module")
def fixture_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    folder = tmp_path_factory.mktemp("ledger-corpus")
    shutil.copy(FIXTURES / "ledger-gazette.txt", folder / "ledger-gazette.txt")
    return build_ledger(_documents(folder))


def _clauses_naming(documents: list[Document], spellings: set[str], role: str | None = None) -> set[str]:
    """chunk_ids of the clauses whose parsed note names any of these spellings (in that role)."""
    found = set()
    for document in documents:
        for clause in document.clauses:
            lead = set(clause.lead_units) & spellings
            responsible = set(clause.responsible_units) & spellings
            if (role is None and (lead or responsible)) or (role == "lead" and lead):
                found.add(clause.chunk_id)
    return found


# -- the seed: counts agree with the clause data ---------------------------------------------------------------
def test_postal_bureau_nine_clauses_five_as_lead(seed: Ledger, real_documents: list[Document]) -> None:
    tasks = seed.tasks("市邮政管理局")
    assert len(tasks) == 9
    assert len([t for t in tasks if t.role == "lead"]) == 5
    assert {t.chunk_id for t in tasks} == _clauses_naming(real_documents, {"市邮政管理局"})
    assert {t.chunk_id for t in seed.tasks("市邮政管理局", role="lead")} == _clauses_naming(
        real_documents, {"市邮政管理局"}, "lead"
    )
    unit = seed.unit("市邮政管理局")
    assert unit is not None and (unit.lead, unit.responsible) == (5, 4)


@pytest.mark.parametrize("spelling", ["中国人民银行锦州市中心支行", "人民银行锦州市中心支行"])
def test_peoples_bank_four_clauses_under_either_spelling(
    seed: Ledger, real_documents: list[Document], spelling: str
) -> None:
    tasks = seed.tasks(spelling)
    assert len(tasks) == 4
    assert {t.unit for t in tasks} == {"中国人民银行锦州市中心支行"}
    assert {t.chunk_id for t in tasks} == _clauses_naming(
        real_documents, {"中国人民银行锦州市中心支行", "人民银行锦州市中心支行"}
    )


def test_every_unit_count_agrees_with_the_clauses(seed: Ledger, real_documents: list[Document]) -> None:
    for unit in seed.units():
        spellings = set(unit.spellings)
        assert unit.lead + unit.responsible == len(_clauses_naming(real_documents, spellings)), unit.name
        assert unit.lead == len(_clauses_naming(real_documents, spellings, "lead")), unit.name


def test_no_generic_phrase_is_a_unit(seed: Ledger) -> None:
    names = {u.name for u in seed.units()} | {a for u in seed.units() for a in u.aliases}
    for phrase in ("重点领域牵头单位", "各有关部门", "市直有关部门", "市直有关单位", "有关监管部门"):
        assert phrase not in names
        assert phrase in seed.references
    assert seed.resolve_unit("各有关部门").name is None


def test_units_are_grouped_by_kind(seed: Ledger) -> None:
    kinds = {u.name: u.kind for u in seed.units()}
    assert kinds["市发展改革委"] == "市直部门"
    assert kinds["各县（市）区政府（管委会）"] == "县区政府"
    assert kinds["锦州海事局"] == kinds["中国人民银行锦州市中心支行"] == kinds["锦州银保监分局"] == "中直/驻锦单位"
    assert kinds["中国邮政集团有限公司锦州市分公司"] == kinds["市国投集团"] == "企业"
    order = [u.kind for u in seed.units()]
    assert order == sorted(order, key=["市直部门", "县区政府", "中直/驻锦单位", "企业"].index)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("海事局", "锦州海事局"),
        ("生态环境局", "市生态环境局"),
        ("市供销社", "市供销社"),
        ("发改委", "市发展改革委"),
        ("锦州市财政局", "市财政局"),
        ("各县（市）区", "各县（市）区政府（管委会）"),
        ("市邮政管理局", "市邮政管理局"),
        ("邮政局", "市邮政管理局"),  # the vocabulary's short form
        ("人行", "中国人民银行锦州市中心支行"),  # a national body's branch by the body's short name
        ("妇联", "市妇联"),  # two characters, left of 市
        ("县区政府", "各县（市）区政府（管委会）"),  # without brackets and 各
        ("中国邮政锦州市分公司", "中国邮政集团有限公司锦州市分公司"),  # without the legal form before the branch
    ],
)
def test_any_alias_resolves(seed: Ledger, typed: str, canonical: str) -> None:
    assert seed.resolve_unit(typed).name == canonical


def test_a_party_committee_office_is_named_without_the_committee() -> None:
    """市委组织部 is typed 组织部 and found so in a question; 市委编办's two characters are no name of their own."""
    from qa_bot.text.unit_names import UnitNamer, UnitVocabulary

    namer = UnitNamer(UnitVocabulary.load(), "示例市")
    assert {"组织部", "网信办"} <= {f for n in ("市委组织部", "市委网信办") for f in namer.short_forms(n)}
    assert "编办" not in namer.short_forms("市委编办")


def test_a_question_naming_a_party_office_without_the_committee_finds_it(seed: Ledger) -> None:
    assert [u.name for u in seed.mentions("组织部在气象方案里分到哪些事？")] == ["市委组织部"]


def test_an_enterprise_branch_is_named_without_its_legal_form() -> None:
    """中国X集团有限公司某市分公司 is typed 中国X某市分公司; a company's own name keeps its legal form (中国X有限公司 is
    another company)."""
    from qa_bot.text.unit_names import UnitNamer, UnitVocabulary

    namer = UnitNamer(UnitVocabulary.load(), "示例市")
    forms = namer.short_forms("中国电信集团有限公司示例市分公司")
    assert "中国电信示例市分公司" in forms
    assert "中国电信集团示例市分公司" in forms  # part of the legal form left out
    assert not any(f.endswith("电信有限公司") for f in forms)


def test_unknown_unit_gets_the_closest_names(seed: Ledger) -> None:
    resolution = seed.resolve_unit("市财政厅")
    assert resolution.name is None and "市财政局" in resolution.closest
    assert seed.resolve_unit("邮政管局").closest[0] == "市邮政管理局"  # before the alike 市财政局
    assert seed.resolve_unit("邮管局").name == "市邮政管理局"  # the short name officials use (unit_vocabulary.toml)
    with pytest.raises(UnknownUnit) as raised:
        seed.tasks("市邮政局管理")
    assert "市邮政管理局" in raised.value.closest
    assert "市邮政管理局" in raised.value.message


def test_filters_and_bad_filters(seed: Ledger) -> None:
    in_one = seed.tasks("市发展改革委", doc="锦政办发〔2022〕20号")
    assert in_one and {t.doc_no for t in in_one} == {"锦政办发〔2022〕20号"}
    assert seed.tasks("市发展改革委", doc="锦政办发-2022-20") == in_one
    with pytest.raises(NotFound):
        seed.tasks("市发展改革委", doc="锦政办发〔2099〕1号")
    with pytest.raises(BadInput):
        seed.tasks("市发展改革委", role="boss")


def test_deadlines_come_from_the_note_or_the_clause(seed: Ledger) -> None:
    labelled = [
        t
        for t in seed.tasks("市发展改革委", doc="锦政办发〔2022〕19号")
        if t.section.startswith("五、保障措施 > （一）")
    ]
    assert labelled and labelled[0].deadline == "2022年11月底前"
    stated = [t for t in seed.tasks("市机关事务保障中心") if "公共机构能效" in t.task]
    assert stated and stated[0].deadline == "到2025年"


def test_mentions_find_units_in_a_question(seed: Ledger) -> None:
    assert [u.name for u in seed.mentions("市邮政管理局牵头哪些工作？")] == ["市邮政管理局"]
    assert [u.name for u in seed.mentions("海事局要负责什么？")] == ["锦州海事局"]
    assert [u.name for u in seed.mentions("生态环境局和市供销社有多少项牵头任务？")] == ["市生态环境局", "市供销社"]


def test_stored_form_round_trips(seed: Ledger) -> None:
    again = Ledger.from_dict(seed.to_dict())
    assert [u.to_dict() for u in again.units()] == [u.to_dict() for u in seed.units()]
    assert again.tasks("人民银行锦州市中心支行") == seed.tasks("人民银行锦州市中心支行")


# -- fixture gazette: aliases, a unit in two documents, notes in every form ------------------------------------
def test_fixture_aliases_are_one_unit(fixture_ledger: Ledger) -> None:
    assert fixture_ledger.city == "测试市"
    bank = fixture_ledger.tasks("人民银行测试市中心支行")
    assert [t.role for t in bank] == ["lead", "responsible"] and {t.unit for t in bank} == {
        "中国人民银行测试市中心支行"
    }
    planning = fixture_ledger.unit("市发改委")
    assert (
        planning is not None
        and planning.name == "市发展改革委"
        and set(planning.spellings) == {"市发改委", "市发展改革委"}
    )
    finance = fixture_ledger.unit("财政局")
    assert finance is not None and finance.name == "市财政局" and (finance.lead, finance.responsible) == (1, 1)


def test_fixture_unit_in_two_documents_with_notes_in_three_forms(fixture_ledger: Ledger) -> None:
    tasks = fixture_ledger.tasks("市邮政管理局")
    # bracketed sentence note, a separate 牵头单位：/责任单位： block, and a note in the second document
    assert [(t.doc_no, t.task, t.role) for t in tasks] == [
        ("测政办发〔2023〕11号", "完善末端网点布局", "lead"),
        ("测政办发〔2023〕11号", "发展冷链物流", "lead"),
        ("测政发〔2023〕8号", "推广新能源快递车辆", "lead"),
    ]
    assert tasks[0].deadline == "到2025年" and tasks[2].deadline == "到2024年"
    assert tasks[0].co_responsible == ("市发展改革委", "市财政局") and tasks[0].references == ("各有关部门",)
    assert tasks[1].co_lead == ("市商务局",) and tasks[1].references == ("重点领域牵头单位",)
    unit = fixture_ledger.unit("邮政管理局")
    assert unit is not None and unit.documents == 2


def test_fixture_labelled_note_gives_deadline_and_kinds(fixture_ledger: Ledger) -> None:
    (bank,) = fixture_ledger.tasks("中国人民银行测试市中心支行", role="lead")
    assert bank.deadline == "2023年12月底前" and bank.co_responsible == ("市金融局", "测试海事局")
    kinds = {u.name: u.kind for u in fixture_ledger.units()}
    assert (
        kinds["测试海事局"] == "中直/驻测单位"
        and kinds["测试市国投集团"] == "企业"
        and kinds["各区人民政府"] == "县区政府"
    )
    assert set(fixture_ledger.references) == {"各有关部门", "重点领域牵头单位"}


# -- name rules --------------------------------------------------------------------------------------------------
def test_city_comes_from_the_issuers() -> None:
    assert city_of(["某某市人民政府办公室", "某某市人民政府", "辽宁省人民政府"]) == "某某市"
    assert city_of(["国务院"]) is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("某某市发展和改革委员会", "市发改委"),
        ("中国人民银行某某市中心支行", "人民银行某某市中心支行"),
        ("各区", "各区人民政府"),
    ],
)
def test_spellings_share_a_key(one: str, other: str) -> None:
    namer = UnitNamer(UnitVocabulary.load(), city="某某市")
    assert namer.key(one) == namer.key(other)


def test_a_ledger_stored_with_other_rules_is_rebuilt_on_load(
    real_documents: list[Document], seed: Ledger, tmp_path: Path
) -> None:
    import json

    from qa_bot.ledger import LEDGER_FILE, load_ledger, save_ledger

    save_ledger(seed, tmp_path)
    stored = json.loads((tmp_path / LEDGER_FILE).read_text(encoding="utf-8"))
    stored["rules"], stored["units"], stored["tasks"] = "older-rules", [], []
    (tmp_path / LEDGER_FILE).write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    rebuilt = load_ledger(tmp_path, real_documents)
    assert rebuilt.rules == seed.rules and len(rebuilt.tasks("市邮政管理局")) == 9


@pytest.mark.parametrize(
    ("text", "deadlines"),
    [
        ("到2023年，基本完成整治，到2025年，全面完成。", ["到2023年", "到2025年"]),
        ("2022年11月底前完成全市台账。", ["2022年11月底前"]),
        ("制定本地区2022—2025年实施方案。", []),  # a period, not a deadline
    ],
)
def test_deadlines_a_clause_states(text: str, deadlines: list[str]) -> None:
    from qa_bot.text.units import stated_deadlines

    assert stated_deadlines(text) == deadlines


def test_public_api_is_complete() -> None:
    import qa_bot.ledger as package

    submodules = {"build", "export", "model", "store"}
    public = {name for name in dir(package) if not name.startswith("_")} - submodules
    assert set(package.__all__) == public  # everything imported into the package is listed, nothing listed is missing
