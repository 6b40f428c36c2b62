"""Text normalisation: widths, brackets, notation, stray spaces; numbers survive."""

from __future__ import annotations

import pytest

from qa_bot.text.normalize import compact, normalize_notation, normalize_text, normalize_widths, remove_stray_spaces


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＡＢＣ１２３", "ABC123"),
        ("２０２５年", "2025年"),
        ("提高１５％以上", "提高15%以上"),
        ("(一)加强领导", "（一）加强领导"),
        ("济政字[2021]12号", "济政字〔2021〕12号"),
        pytest.param("济政字［2021］12号", "济政字〔2021〕12号", id="fullwidth-square-doc-no"),
        pytest.param("［市教育局牵头］", "〔市教育局牵头〕", id="fullwidth-square-note"),
        ("市,区", "市，区"),
        ("要求:", "要求："),
        ("下降;重大风险", "下降；重大风险"),
        ("是否达标?", "是否达标？"),
        ("，；：！？（）〔〕", "，；：！？（）〔〕"),
        ("1,000", "1,000"),
        ("10:30", "10:30"),
        ("a,b", "a,b"),
        ("µg", "μg"),
        ("PM₁₀", "PM10"),
        ("2．完善机制", "2.完善机制"),
        pytest.param("以适应县、社公路建设的发展.", "以适应县、社公路建设的发展。", id="full-stop-typed-as-dot"),
        pytest.param("试行.交通部", "试行。交通部", id="dot-between-sentences"),
        pytest.param("（试行）.", "（试行）。", id="dot-after-bracket"),
        ("增长1.5倍", "增长1.5倍"),
        ("2.采用的技术标准", "2.采用的技术标准"),
        ("PM2.5浓度", "PM2.5浓度"),
        ("见附件1.", "见附件1."),
        ("附件.docx", "附件.docx"),
    ],
)
def test_normalize_widths(raw, expected):
    assert normalize_widths(raw) == expected


def test_widths_keep_spaces_for_heading_detection():
    assert normalize_widths("第三条 本办法") == "第三条 本办法"
    assert normalize_widths("第三条\u3000本办法") == "第三条 本办法"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("PM _{2.5}", "PM2.5"),
        ("PM_{2.5}", "PM2.5"),
        ("PM_{10}", "PM10"),
        ("NO_x", "NOx"),
        ("VOC_s", "VOCs"),
        ("电子信箱：zy_xxb@163.com", "电子信箱：zy_xxb@163.com"),  # an address, no notation
        ("μg/m ³", "μg/m³"),
        ("万m ²", "万m²"),
    ],
)
def test_normalize_notation(raw, expected):
    assert normalize_notation(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("细颗粒物 (PM _{2.5}) 浓度 (μg/m ³)", "细颗粒物（PM2.5）浓度（μg/m³）"),
        ("加强 VOCs 和 NO_x 排放监管", "加强VOCs和NOx排放监管"),
        ("安装 PM_{2.5}、PM₁₀ 在线监测仪", "安装PM2.5、PM10在线监测仪"),
        ("完成锦州石化公司等60家VOC_s企业污染治理工作", "完成锦州石化公司等60家VOCs企业污染治理工作"),
        ("近岸海域水质优良(一、二类比例) (%)", "近岸海域水质优良（一、二类比例）（%）"),
    ],
)
def test_normalize_text_notation(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            "锦州市人民政府关于印发锦州市全民 科学素质行动规划纲要(2021—2035年)的通知",
            "锦州市人民政府关于印发锦州市全民科学素质行动规划纲要（2021—2035年）的通知",
        ),
        ("锦州市全民科学素质行动规划纲要 (2021—2035年)", "锦州市全民科学素质行动规划纲要（2021—2035年）"),
        (
            "锦州市人民政府关于印发锦州市“十四五” 节能减排综合工作方案的通知",
            "锦州市人民政府关于印发锦州市“十四五”节能减排综合工作方案的通知",
        ),
        (
            "锦州市人民政府办公室关于印发 锦州市推进重点领域盘活存量资产 扩大有效投资实施方案的通知",
            "锦州市人民政府办公室关于印发锦州市推进重点领域盘活存量资产扩大有效投资实施方案的通知",
        ),
        ("锦州市加快推进农村寄递物流体系建设 实施方案", "锦州市加快推进农村寄递物流体系建设实施方案"),
        ("  标题\u3000两侧  ", "标题两侧"),
    ],
)
def test_stray_spaces_in_titles(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("到 2025 年，我市公民具备科学素质的比例超过 15%", "到2025年，我市公民具备科学素质的比例超过15%"),
        ("抓住 REITs 发行上市", "抓住REITs发行上市"),
        ("Hello   world", "Hello world"),
        ("X 波段双偏振天气雷达", "X波段双偏振天气雷达"),
    ],
)
def test_remove_stray_spaces(raw, expected):
    assert remove_stray_spaces(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("共投入资金1,000万元", "共投入资金1,000万元"),
        ("拆除小锅炉1105台", "拆除小锅炉1105台"),
        ("从3.49%提高到9.5%", "从3.49%提高到9.5%"),
        ("单位地区生产总值能源消耗降低 -0.04", "单位地区生产总值能源消耗降低-0.04"),
        ("会议时间:10:30", "会议时间：10:30"),
        ("建成2~3个海绵城市示范项目", "建成2~3个海绵城市示范项目"),
        ("1,000,000 元", "1,000,000元"),
    ],
)
def test_numbers_survive(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "细颗粒物 (PM _{2.5}) 浓度 (μg/m ³)",
        "锦州市人民政府关于印发锦州市全民 科学素质行动规划纲要(2021—2035年)的通知",
        "〔责任单位:市气象局、市委宣传部,各县(市)区政府(管委会)〕",
        "共投入资金1,000万元，会议时间:10:30",
        pytest.param("［市教育局牵头，市财政局按职责分工负责］", id="fullwidth-square"),
    ],
)
def test_normalize_text_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_nfc():
    assert normalize_text("cafe\u0301") == "café"


def test_compact_removes_all_whitespace():
    assert compact("存在一些问\n\n题和不足") == "存在一些问题和不足"
    assert compact("Hello  world\t!") == "Helloworld!"
    assert compact("(市 应急局)") == "（市应急局）"


@pytest.mark.parametrize(
    ("evidence", "text"),
    [
        ("市邮政管理局 牵头，市发展改革委", "〔市邮政管理局牵头,市发展改革委、市财政局按职责分工负责〕"),
        ("细颗粒物（PM_{2.5}）浓度", "细颗粒物(PM2.5)浓度下降"),
        (
            "空气质量优良天数比例 (%) 72.8 87.7 约束性",
            "空气质量优良天数比例（%）：2020年 72.8；2025年 87.7；指标类别 约束性",
        ),
    ],
)
def test_evidence_is_found_whatever_its_spacing_punctuation_or_row_layout(evidence: str, text: str) -> None:
    from qa_bot.text.normalize import evidence_in

    assert evidence_in(evidence, text)


def test_evidence_that_is_not_there_is_not_found() -> None:
    from qa_bot.text.normalize import evidence_in

    assert not evidence_in("市商务局牵头", "市邮政管理局牵头，市商务局负责")
    assert not evidence_in("72.8 87.7", "87.7；72.8")
