"""The parser on the real gazette, corpus/jinzhou-gazette-2022-04.txt.

Every expected value below was read off the gazette text (line numbers are 1-based lines of that file).
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from parse_helpers import (
    GAZETTE,
    clause_by_section,
    clause_containing,
    clause_text_problems,
    join_lines,
    line_of,
    span_problems,
)

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.reader import read_gazette
from qa_bot.text.normalize import compact


@pytest.fixture(scope="module")
def text() -> str:
    return read_gazette(GAZETTE)[0]


@pytest.fixture(scope="module")
def docs():
    return parse_file(GAZETTE)


@pytest.fixture(scope="module")
def by_no(docs):
    return {d.doc_no: d for d in docs}


@pytest.fixture(scope="module")
def all_clauses(docs):
    return [c for d in docs for c in d.clauses]


# --------------------------------------------------------------------------------------------
# Documents and their metadata

OFFICE = "锦州市人民政府办公室"
GOVERNMENT = "锦州市人民政府"
TO_COUNTIES = "各县（市）区人民政府（管委会），市政府有关部门"
TO_COUNTIES_AND_UNITS = "各县（市）区人民政府（管委会），市政府有关部门，市直有关单位"

DOCS = [
    {
        "doc_no": "锦政发〔2022〕17号",
        "issuer": GOVERNMENT,
        "title": "锦州市人民政府关于印发锦州市全民科学素质行动规划纲要（2021—2035年）的通知",
        "plan_title": "锦州市全民科学素质行动规划纲要（2021—2035年）",
        "addressees": TO_COUNTIES,
        "date": "2022-12-09",
        "category": "市政府文件",
        "page": 3,
        "notice": "现将《锦州市全民科学素质行动规划纲要（2021—2035年）》印发给你们，请认真贯彻执行。",
    },
    {
        "doc_no": "锦政发〔2022〕20号",
        "issuer": GOVERNMENT,
        "title": "锦州市人民政府关于印发锦州市“十四五”节能减排综合工作方案的通知",
        "plan_title": "锦州市“十四五”节能减排综合工作方案",
        "addressees": TO_COUNTIES,
        "date": "2022-12-29",
        "category": "市政府文件",
        "page": 16,
        "notice": "现将《锦州市“十四五”节能减排综合工作方案》印发给你们，请遵照执行。",
    },
    {
        "doc_no": "锦政办发〔2022〕19号",
        "issuer": OFFICE,
        "title": "锦州市人民政府办公室关于印发锦州市推进重点领域盘活存量资产扩大有效投资实施方案的通知",
        "plan_title": "锦州市推进重点领域盘活存量资产扩大有效投资实施方案",
        "addressees": TO_COUNTIES_AND_UNITS,
        "date": "2022-10-26",
        "category": "市政府办公室文件",
        "page": 32,
        "notice": (
            "《锦州市推进重点领域盘活存量资产扩大有效投资实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。"
        ),
    },
    {
        "doc_no": "锦政办发〔2022〕20号",
        "issuer": OFFICE,
        "title": "锦州市人民政府办公室关于印发锦州市加快推进农村寄递物流体系建设实施方案的通知",
        "plan_title": "锦州市加快推进农村寄递物流体系建设实施方案",
        "addressees": TO_COUNTIES,
        "date": "2022-12-09",
        "category": "市政府办公室文件",
        "page": 46,
        "notice": "经市政府同意，现将《锦州市加快推进农村寄递物流体系建设实施方案》印发给你们，请认真贯彻落实。",
    },
    {
        "doc_no": "锦政办发〔2022〕21号",
        "issuer": OFFICE,
        "title": "锦州市人民政府办公室关于印发锦州市“十四五”生态环境保护规划的通知",
        "plan_title": "锦州市“十四五”生态环境保护规划",
        "addressees": TO_COUNTIES,
        "date": "2022-12-09",
        "category": "市政府办公室文件",
        "page": 55,
        "notice": "经市政府同意，现将《锦州市“十四五”生态环境保护规划》印发给你们，请遵照执行。",
    },
    {
        "doc_no": "锦政办发〔2022〕22号",
        "issuer": OFFICE,
        "title": "锦州市人民政府办公室关于印发锦州市贯彻落实《气象高质量发展纲要（2022—2035年）》实施方案的通知",
        "plan_title": "锦州市贯彻落实《气象高质量发展纲要（2022—2035年）》实施方案",
        "addressees": TO_COUNTIES_AND_UNITS,
        "date": "2022-12-09",
        "category": "市政府办公室文件",
        "page": 101,
        "notice": (
            "经市政府同意，现将《锦州市贯彻落实〈气象高质量发展纲要（2022—2035年）〉实施方案》印发给你们，请认真贯彻落实。"
        ),
    },
]
DOC_NOS = [d["doc_no"] for d in DOCS]
# Line of the "锦州市人民政府(办公室)文件" masthead that opens each document.
DOC_FIRST_LINES = [49, 191, 297, 421, 497, 1059]


def test_six_documents_in_issue_order(docs):
    assert [d.doc_no for d in docs] == DOC_NOS


@pytest.mark.parametrize("expected", DOCS, ids=DOC_NOS)
def test_document_metadata(by_no, expected):
    doc = by_no[expected["doc_no"]]
    assert doc.issuer == expected["issuer"]
    assert doc.issuers == (expected["issuer"],)
    assert doc.title == expected["title"]
    assert doc.plan_title == expected["plan_title"]
    assert doc.display_title == expected["plan_title"]
    assert doc.addressees == expected["addressees"]
    assert doc.date == expected["date"]
    assert doc.publicity == "此件公开发布"
    assert doc.gazette == "锦州市人民政府公报"
    assert doc.issue == "2022年第4期（总第19期）"
    assert doc.category == expected["category"]
    assert doc.page == expected["page"]
    assert doc.source == GAZETTE.name


@pytest.mark.parametrize("expected", DOCS, ids=DOC_NOS)
def test_notice_is_one_clause(by_no, expected):
    doc = by_no[expected["doc_no"]]
    notices = [c for c in doc.clauses if c.kind == "notice"]
    assert [c.text for c in notices] == [expected["notice"]]
    assert notices[0].section == "通知"
    # the plan title and the signature are metadata, not clauses
    assert all(c.text not in (doc.plan_title, doc.issuer, "（此件公开发布）") for c in doc.clauses)


def test_documents_start_at_their_masthead(docs, text):
    assert [line_of(text, d.span[0]) for d in docs] == DOC_FIRST_LINES
    for doc, nxt in pairwise(docs):
        assert doc.span[1] <= nxt.span[0]


def test_table_of_contents_gives_no_document_and_no_clause(docs, text):
    toc_end = sum(len(line) + 1 for line in text.split("\n")[:48])  # offset of line 49
    assert all(d.span[0] >= toc_end for d in docs)
    for doc in docs:
        for clause in doc.clauses:
            assert line_of(text, clause.span[0]) > 47, clause.chunk_id
        for heading in doc.headings:
            assert line_of(text, heading.span[0]) > 47, heading.path
        for span in doc.header_spans:
            assert line_of(text, span[0]) > 47
    toc_titles = {
        "锦州市人民政府关于印发锦州市全民科学素质",
        "行动规划纲要(2021—2035年)的通知",
        "目 录",
        "【市政府文件】",
    }
    assert not any(compact(c.text) in {compact(t) for t in toc_titles} for d in docs for c in d.clauses)


# --------------------------------------------------------------------------------------------
# Nothing lost, nothing duplicated


@pytest.mark.parametrize("doc_no", DOC_NOS)
def test_spans_tile_the_document(by_no, text, doc_no):
    assert span_problems(text, by_no[doc_no]) == []


@pytest.mark.parametrize("doc_no", DOC_NOS)
def test_clause_text_is_its_normalised_source(by_no, text, doc_no):
    assert clause_text_problems(text, by_no[doc_no]) == []


def test_clause_texts_are_not_duplicated(docs):
    texts = [c.text for d in docs for c in d.clauses]
    assert len(texts) == len(set(texts))


# --------------------------------------------------------------------------------------------
# Page breaks: every paragraph the page layout cut in two is joined again.
# Key: line number of the continuation line; value: words that only exist once the two halves are joined.

JOINS = {
    75: "存在一些问题和不足",
    83: "的制度安排基本实现",
    97: "内在驱动力和想象力",
    121: "开展新技术新品种示范推广",
    135: "大力开展面向基层的领导干部",
    149: "科研管理部门将科普工作",
    165: "农村中学科技馆建设，加强校园科技馆建设",
    175: "以志愿服务为重要手段的基层科普服务体系",
    185: "地方经济社会发展的一项重要任务",
    215: "奠定坚实基础",
    225: "钢铁、水泥、炼油、合成氨",
    231: "可再生能源等在城镇供热中的规模化应用",
    235: "LNG动力船舶发展",
    239: "分散化的无害化处理方式",
    245: "以水生态环境持续改善为核心",
    249: "非化石能源占能源消费总量比重达到13.7%左右",
    255: "分类收集、分类运输、分类处理",
    263: "优化总量减排指标分解方式",
    269: "市工业和信息化局、市司法局",
    275: "产业及经济发展条件好的地区",
    281: "城市基础设施能源消费统计制度",
    289: "各县（市）区政府（管委会）对本行政区域",
    295: "宣传节能减排法规、标准和知识",
    321: "全方位振兴提供重要支撑",
    335: "等重点领域存量资产盘活工作",
    357: "市文化旅游广电局、市国资委",
    369: "市国资委等，各县（市）区政府（管委会）〕",
    377: "信贷抵押资产收购处置、实质性重组",
    383: "保障性租赁住房经营性公共服务空间",
    391: "财政、自然资源、生态环境",
    397: "统筹发展和安全若干重大工程",
    411: "原始权益人向基础设施REITs转让",
    415: "锦州银保监分局等，各县（市）区政府（管委会）〕",
    419: "加大督促力度。〔牵头单位：市发展改革委",
    449: "寄递服务能力和效率",
    463: "大力开展邮快合作快递进村",
    467: "市邮政管理局牵头，市发展改革委、市农业农村局",
    473: "农产品批发市场转型升级",
    479: "市交通运输局、市商务局、市供销社",
    485: "多站合一、多点合一",
    525: "污染防治攻攻坚战实施意见",  # the gazette itself repeats 攻 across the break
    535: "全部强制要求限期达标治理",
    549: "截污纳管建设",
    577: "占全市国土面积的30.27%",
    595: "作出了系统部署和安排",
    613: "“十三五”期间国家的规定）要求",
    625: "达不到雨污分流效果",
    639: "列入国家级监管17条",
    659: "“五位一体”总体布局",
    679: "常规污染物排放总量明显减少",
    737: "人工智能、大数据技术",
    757: "逐步淘汰国三及以下柴油车",
    803: "去除率，开展无组织排放排查整治",
    817: "临时闲置土地",
    845: "收集管网方案。2025年底前",
    857: "水土流失严重的情况",
    869: "全市工业生产、城市道路清洁",
    883: "全面开展入海排污口分类整治",
    913: "规划用途，确需开发利用的",
    925: "318个行政村的综合整治工作",
    933: "农村黑臭水体治理模式",
    939: "加大环境监管执法力度",
    951: "突出主导功能提升",
    961: "水土流失综合治理",
    979: "环境影响评价审批",
    987: "一般工业固体废物产生、贮存",
    1003: "政策措施，县（市）区党委和政府承担主体责任",
    1017: "坚持环境科研服务环境管理需求",
    1039: "环境基础设施建设和经营领域",
    1053: "反映问题渠道的畅通",
    1087: "气象监测预报预警服务业务",
    1097: "发展基于场景",
    1105: "实施“网格+气象”行动",
    1111: "〔责任单位：市气象局、市公安局",
    1121: "智慧交通气象服务",
    1131: "提升气象服务需求智能感知",
    1139: "市自然资源局、市生态环境局",
    1151: "市发展改革委、市财政局",
}


def test_join_list_is_complete():
    assert len(JOINS) == 78


def test_joins_happen_exactly_at_the_page_breaks(all_clauses, text):
    found = sorted(line for c in all_clauses for line in join_lines(text, c.joins))
    missing = sorted(set(JOINS) - set(found))
    unexpected = sorted(set(found) - set(JOINS))
    assert (missing, unexpected) == ([], [])
    assert found == sorted(JOINS)  # and none twice


@pytest.mark.parametrize("line, repaired", sorted(JOINS.items()), ids=[f"line{n}" for n in sorted(JOINS)])
def test_joined_clause_reads_through_the_break(all_clauses, text, line, repaired):
    owners = [c for c in all_clauses if line in join_lines(text, c.joins)]
    assert len(owners) == 1, f"line {line} was not joined to the paragraph above it"
    clause = owners[0]
    assert line_of(text, clause.span[0]) < line <= line_of(text, clause.span[1])
    assert compact(repaired) in compact(clause.text)


def test_no_clause_starts_with_a_continuation_line(all_clauses, text):
    starts = {line_of(text, c.span[0]) for c in all_clauses}
    assert starts.isdisjoint(JOINS)


# --------------------------------------------------------------------------------------------
# Responsibility notes: 锦政办发〔2022〕20号 (农村寄递), every clause with a note

POST = "中国邮政集团有限公司锦州市分公司"
COUNTIES = "各县（市）区"
NOTES_20 = {
    "三、体系建设 > （一）强化农村地区邮政体系支撑作用": (
        ["市邮政管理局"],
        ["市发展改革委", "市财政局", "市商务局", "市乡村振兴局", POST, COUNTIES],
    ),
    "三、体系建设 > （二）建立健全末端共同配送体系": (
        ["市商务局", "市交通运输局", "市邮政管理局"],
        ["市发展改革委", "市农业农村局", "市乡村振兴局", "市供销社", POST, COUNTIES],
    ),
    "三、体系建设 > （三）优化协同发展体系": (
        ["市交通运输局", "市商务局", "市邮政管理局"],
        [POST, COUNTIES],
    ),
    "三、体系建设 > （四）构建冷链寄递体系": (
        [],
        [
            "市发展改革委",
            "市财政局",
            "市交通运输局",
            "市农业农村局",
            "市商务局",
            "市邮政管理局",
            "市乡村振兴局",
            "市供销社",
            POST,
            COUNTIES,
        ],
    ),
    "四、重点任务 > （一）全面推进“快递进村”工程": (
        ["市邮政管理局"],
        ["市发展改革委", "市财政局", "市人力资源社会保障局", "市交通运输局", "市商务局", "市供销社", POST, COUNTIES],
    ),
    "四、重点任务 > （二）完善农产品上行发展体系": (
        ["市邮政管理局"],
        ["市发展改革委", "市商务局", "市乡村振兴局", POST, COUNTIES],
    ),
    "四、重点任务 > （三）加快农村寄递物流基础设施建设": (
        [],
        [
            "市发展改革委",
            "市财政局",
            "市交通运输局",
            "市农业农村局",
            "市商务局",
            "市邮政管理局",
            "市供销社",
            POST,
            COUNTIES,
        ],
    ),
    "四、重点任务 > （四）深化寄递领域“放管服”改革": (
        [],
        ["市邮政管理局", COUNTIES],
    ),
}


@pytest.mark.parametrize("section", list(NOTES_20))
def test_rural_delivery_units(by_no, section):
    clause = clause_by_section(by_no["锦政办发〔2022〕20号"], section)
    lead, responsible = NOTES_20[section]
    assert clause.kind == "item"
    assert list(clause.lead_units) == lead
    assert list(clause.responsible_units) == responsible
    assert clause.note is not None and "按职责分工负责" in clause.note
    assert clause.note.endswith(("〕", "]"))


def test_rural_delivery_clauses_without_note_have_no_units(by_no):
    doc = by_no["锦政办发〔2022〕20号"]
    with_units = {c.section for c in doc.clauses if c.lead_units or c.responsible_units or c.note}
    assert with_units == set(NOTES_20)
    assert len(doc.clauses) > len(NOTES_20) + 5  # preamble, principles and 保障措施 are clauses too


# 锦政办发〔2022〕19号, 二、重点领域 （一）…（十）: 〔牵头单位：…。责任单位：…〕
CITY = "各县（市）区政府（管委会）"
ZONES_19 = {
    "（一）交通运输领域": (["市交通运输局", "市发展改革委", "市住房城乡建设局"], ["市国资委", CITY]),
    "（二）农林水利设施领域": (["市国资委", "市水利局", "市农业农村局", "市林草局"], ["市发展改革委", CITY]),
    "（三）能源领域": (["市发展改革委"], ["市国资委", CITY]),
    "（四）市政设施领域": (["市住房城乡建设局"], [CITY]),
    "（五）环境基础设施领域": (
        ["市发展改革委", "市住房城乡建设局", "市自然资源局", "市生态环境局", "市工业和信息化局"],
        ["市国资委", CITY],
    ),
    "（六）园区及物流领域": (["市商务局", "市科技局", "市农业农村局", "市文化旅游广电局"], ["市发展改革委", CITY]),
    "（七）房地产领域": (["市住房城乡建设局", "市教育局", "市机关事务保障中心"], [CITY]),
    # the note of （八） runs over a page break and closes with a half-width "]"
    "（八）服务业领域": (["市商务局", "市文化旅游广电局", "市国资委"], ["市委宣传部", "市卫生健康委", CITY]),
    "（九）新型基础设施领域": (
        ["市发展改革委"],
        ["市科技局", "市工业和信息化局", "市教育局", "市营商局", "市信息中心", "市机关事务保障中心", CITY],
    ),
    "（十）土地资源领域": (["市自然资源局"], [CITY]),
}


@pytest.mark.parametrize("heading", list(ZONES_19))
def test_key_sector_units(by_no, heading):
    clause = clause_by_section(by_no["锦政办发〔2022〕19号"], f"二、重点领域 > {heading}")
    lead, responsible = ZONES_19[heading]
    assert list(clause.lead_units) == lead
    assert list(clause.responsible_units) == responsible
    assert clause.note is not None and clause.note.startswith("〔牵头单位")


def test_note_pushed_to_next_page_belongs_to_its_clause(by_no):
    doc = by_no["锦政办发〔2022〕19号"]
    clause = clause_by_section(doc, "五、保障措施 > （五）加强督导考核")
    assert list(clause.lead_units) == ["市发展改革委"]
    assert list(clause.responsible_units) == ["市政府办公室", "市委市政府督考办", "市财政局", "市国资委", CITY]
    assert not any(c.text.startswith("〔牵头单位") for c in doc.clauses)


def test_two_role_note_with_deadline(by_no):
    clause = clause_by_section(by_no["锦政办发〔2022〕19号"], "四、重点工作安排 > （三）全面推进盘活存量资产工作")
    assert list(clause.lead_units) == [CITY]
    assert list(clause.responsible_units) == ["市直有关部门"]
    assert clause.deadline == "持续推进，2022年11月底前完成实施方案和2022年工作要点"


# --------------------------------------------------------------------------------------------
# 表1 of 锦政办发〔2022〕21号: twenty indicator rows, lines 696–715

TABLE_1 = [
    # serial, 领域, 指标, 2020年, 2025年, 指标类别
    (1, "环境质量改善", "细颗粒物（PM2.5）浓度（μg/m³）", "46", "35", "约束性"),
    (2, "环境质量改善", "空气质量优良天数比例（%）", "72.8", "87.7", "约束性"),
    (3, "环境质量改善", "重污染天数比率（%）", "0.82", "基本消除", "约束性"),
    (4, "环境质量改善", "地表水水质达到或优于Ⅲ类比例（%）", "37.5", "77.8", "约束性"),
    (5, "环境质量改善", "地表水劣Ⅴ类水体比例（%）", "0", "0", "约束性"),
    (6, "环境质量改善", "城市黑臭水体比例", "—", "基本消除", "预期性"),
    (7, "环境质量改善", "地下水质量Ⅴ类比例（%）", "—", "50", "预期性"),
    (8, "环境质量改善", "县级以上集中式饮用水水源水质达到或优于Ⅲ类比例（%）", "—", "100", "约束性"),
    (9, "环境质量改善", "近岸海域水质优良（一、二类比例）（%）", "65.8", "69", "预期性"),
    (10, "环境治理", "城市生活垃圾回收利用率", "—", "35", "约束性"),
    (11, "环境治理", "农村生活污水治理率（%）", "10.8", "40", "预期性"),
    (
        12,
        "环境治理",
        "氮氧化物、挥发性有机物、化学需氧量、氨氮）重点工程减排量（万吨）",
        "—",
        "完成省下达指标",
        "约束性",
    ),
    (13, "应对气候变化", "单位国内生产总值二氧化碳排放降低（%）", "5.4", "完成省下达指标", "约束性"),
    (14, "应对气候变化", "单位地区生产总值能源消耗降低（%）", "-0.04", "完成省下达指标", "约束性"),
    (15, "环境风险防控", "受污染耕地安全利用率（%）", "100", "100", "预期性"),
    (16, "环境风险防控", "重点建设用地安全利用率（%）", "100", "100", "预期性"),
    (17, "环境风险防控", "放射源辐射事故年发生率（起/每万枚）", "0", "0", "预期性"),
    (18, "生态质量指数", "生态质量指数（EQI）", "—", "稳中向好", "预期性"),
    (19, "生态质量指数", "森林覆盖率（%）", "—", "18.36", "约束性"),
    (20, "生态质量指数", "生态保护红线面积（万平方公里）", "—", "不减少", "约束性"),
]


@pytest.fixture(scope="module")
def table_rows(by_no):
    return [c for c in by_no["锦政办发〔2022〕21号"].clauses if c.kind == "table_row"]


def test_table_has_twenty_rows(table_rows, docs):
    assert len(table_rows) == 20
    assert sum(c.kind == "table_row" for d in docs for c in d.clauses) == 20


@pytest.mark.parametrize("serial, group, name, v2020, v2025, category", TABLE_1, ids=[f"row{r[0]}" for r in TABLE_1])
def test_table_row(table_rows, text, serial, group, name, v2020, v2025, category):
    row = table_rows[serial - 1]
    assert line_of(text, row.span[0]) == 695 + serial
    assert row.table is not None
    assert row.table.table_title.startswith("表1")
    assert "生态环境规划指标体系" in row.table.table_title
    assert row.table.group == group
    cells = dict(row.table.cells)
    assert cells["序号"] == str(serial)
    assert cells["指标"] == name
    assert (cells["2020年"], cells["2025年"], cells["指标类别"]) == (v2020, v2025, category)
    assert name in row.text
    assert f"2020年 {v2020}" in row.text
    assert f"2025年 {v2025}" in row.text
    assert category in row.text
    assert "表1" in row.section and group in row.section


def test_table_caption_and_header_are_not_clauses(by_no, text):
    doc = by_no["锦政办发〔2022〕21号"]
    lines = {line_of(text, c.span[0]) for c in doc.clauses}
    assert 693 not in lines and 695 not in lines


def test_notation_is_normalised_everywhere(docs):
    texts = (
        [c.text for d in docs for c in d.clauses]
        + [d.title for d in docs]
        + [h for d in docs for hd in d.headings for h in hd.path]
    )
    for bad in ("_{", "m ³", "NO_x", "VOC_s", "₁₀", "PM _"):
        assert not [t for t in texts if bad in t], bad


@pytest.mark.parametrize(
    "words",
    [
        "细颗粒物（PM2.5）平均浓度47微克/立方米",  # line 541: PM_{2.5}
        "完成锦州石化公司等60家VOCs企业污染治理工作",  # line 529: VOC_s
        "实施重点行业VOCs和NOx深度治理",  # line 799: NO_x
        "安装PM2.5、PM10在线监测仪",  # line 813: PM_{2.5}、PM₁₀
        "强化PM2.5和臭氧协同控制",  # line 791
    ],
)
def test_notation_in_prose(by_no, words):
    clause = clause_containing(by_no["锦政办发〔2022〕21号"], words)
    assert words in clause.text


# --------------------------------------------------------------------------------------------
# Section paths and headings


def test_section_of_a_noted_clause(by_no):
    doc = by_no["锦政办发〔2022〕20号"]
    clause = clause_containing(doc, "进一步加强邮政县、乡镇综合服务基础设施建设")
    assert clause.section == "三、体系建设 > （一）强化农村地区邮政体系支撑作用"
    assert clause.section_path == ("三、体系建设", "（一）强化农村地区邮政体系支撑作用")
    assert clause.kind == "item"


@pytest.mark.parametrize(
    "doc_no, words, title",
    [
        ("锦政办发〔2022〕20号", "进一步加强邮政县、乡镇综合服务基础设施建设", "强化农村地区邮政体系支撑作用"),
        ("锦政发〔2022〕17号", "坚持立德树人，实施科学家精神进校园行动", "将弘扬科学精神贯穿于青少年教育全链条"),
        ("锦政发〔2022〕20号", "以钢铁、有色金属、建材、石化化工等行业为重点", "重点行业绿色升级改造"),
        ("锦政办发〔2022〕21号", "严格控制涉重金属行业企业污染物排放", "加强耕地污染源头控制"),
        ("锦政办发〔2022〕22号", "更新改造智能火箭发射系统", "提升人工影响天气能力"),
    ],
)
def test_numbered_line_with_body_is_titled_by_its_first_sentence(by_no, doc_no, words, title):
    doc = by_no[doc_no]
    clause = clause_containing(doc, words)
    assert clause.kind == "item"
    assert clause.section_path[-1].endswith(title)
    assert title in [h.title for h in doc.headings]


def test_nested_numbering_of_the_science_plan(by_no):
    doc = by_no["锦政发〔2022〕17号"]
    clause = clause_containing(doc, "坚持立德树人，实施科学家精神进校园行动")
    assert clause.section_path[:2] == ("三、实施科学素质提升行动", "（一）青少年科学素质提升行动")
    assert len(clause.section_path) == 3
    assert clause.section_path[2].startswith("1") and clause.section_path[2].endswith(
        "将弘扬科学精神贯穿于青少年教育全链条"
    )
    # item 1 of 四、 restarts numbering under a different parent
    other = clause_containing(doc, "围绕结构调整“三篇大文章”")
    assert other.section_path[:2] == ("四、实施科学素质建设重点工程", "（一）产业科普助力工程")
    assert other.section_path[2].endswith("增强产业科普服务能力")
    assert clause.chunk_id != other.chunk_id


def test_preamble_and_heading_paragraphs(by_no):
    doc = by_no["锦政发〔2022〕17号"]
    preamble = clause_containing(doc, "为全面贯彻落实党中央、国务院和省委、省政府关于科学普及")
    assert preamble.kind == "preamble" and preamble.section == "引言"
    basis = clause_containing(doc, "在取得可喜进展的同时")
    assert basis.kind == "paragraph" and basis.section == "一、工作基础"


CHAPTERS_21 = [
    ("第一章", "“十三五”时期回顾与总结"),
    ("第二章", "“十四五”时期面临形势"),
    ("第三章", "“十四五”规划总体要求"),
    ("第四章", "“十四五”生态环境保护主要任务"),
    ("第五章", "保障措施"),
]


def test_chapters_of_the_environment_plan(by_no):
    doc = by_no["锦政办发〔2022〕21号"]
    chapters = [(h.label.strip(), h.title) for h in doc.headings if h.depth == 1 and h.label.startswith("第")]
    assert chapters == CHAPTERS_21
    assert [(h.label.strip(), h.title) for h in doc.headings if h.depth == 1] == CHAPTERS_21


@pytest.mark.parametrize(
    "words, chapter, middle, last",
    [
        (
            "出台《锦州市党委、政府及相关部门环境保护工作责任规定》",
            0,
            (),
            "一、建立健全法规制度，生态文明体系建设迈出新步伐",
        ),
        ("城区机械化清扫率为76%", 1, ("二、存在的问题", "（一）大气环境"), "扬尘源方面"),
        ("坚持从源头预防，把生态环境保护贯穿于", 2, (), "二、规划编制的基本原则"),
        ("为确保环境保护“十四五”规划的顺利实施", 4, None, None),
    ],
)
def test_clauses_sit_under_their_chapter(by_no, words, chapter, middle, last):
    clause = clause_containing(by_no["锦政办发〔2022〕21号"], words)
    label, title = CHAPTERS_21[chapter]
    assert clause.section_path[0].replace(" ", "") == label + title
    if last is None:
        assert len(clause.section_path) == 1
    else:
        assert clause.section_path[1:-1] == middle
        assert clause.section_path[-1].endswith(last)


def test_preamble_before_the_first_chapter(by_no):
    clause = clause_containing(by_no["锦政办发〔2022〕21号"], "是我国全面建设社会主义现代化国家")
    assert clause.kind == "preamble" and clause.section_path == ()


def test_meteorology_sections(by_no):
    doc = by_no["锦政办发〔2022〕22号"]
    clause = clause_containing(doc, "加强面向交通、能源、旅游、环境健康、体育等重点领域")
    assert clause.section == "二、增强气象科技自主创新能力 > （一）将气象科技创新纳入市、县级政府科技创新总体规划"
    assert list(clause.responsible_units) == ["市气象局", "市科技局", CITY]
    assert clause.lead_units == ()
    last = clause_containing(doc, "坚持和完善双重计划体制")
    assert last.section == "九、强化组织实施 > （二十二）加强投入保障"


# --------------------------------------------------------------------------------------------
# Chunk ids


def test_chunk_ids_unique_across_the_corpus(docs):
    ids = [c.chunk_id for d in docs for c in d.clauses]
    assert len(ids) == len(set(ids))
    assert len({d.doc_id for d in docs}) == 6
    for doc in docs:
        assert all(c.doc_id == doc.doc_id and c.chunk_id.startswith(doc.doc_id + "/") for c in doc.clauses)


def test_chunk_ids_are_stable(docs, text):
    again = parse_text(text, GAZETTE.name)
    assert [c.chunk_id for d in again for c in d.clauses] == [c.chunk_id for d in docs for c in d.clauses]


def test_chunk_ids_do_not_depend_on_clause_text(docs, text):
    edited = text.replace("科普队伍不断发展壮大", "科普队伍持续发展壮大").replace("狠抓工作落实", "狠抓各项工作落实")
    edited = edited.replace(
        "市邮政管理局牵头，市发展改革委、市财政局、市商务局", "市邮政管理局牵头，市发展改革委、市商务局"
    )
    assert edited != text
    again = parse_text(edited, GAZETTE.name)
    assert [c.chunk_id for d in again for c in d.clauses] == [c.chunk_id for d in docs for c in d.clauses]
    for doc in docs:
        for clause in doc.clauses:
            assert not re.search(r"[0-9a-f]{8,}", clause.chunk_id.split("/", 1)[1]), clause.chunk_id
