"""The eleventh batch of real documents (tests/fixtures/cities11/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on the
lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems, without_non_text

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_file, parse_text

CITIES11 = Path(__file__).parent / "fixtures" / "cities11"
READING = {entry["file"]: entry for entry in json.loads((CITIES11 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES11.glob("*.txt"))}


@pytest.mark.parametrize("name", sorted(READING))
def test_one_document_a_file_its_spans_its_text(parsed, name):
    """Each file is the one document read in expected.json; header and clause spans together are its text (a page
    number printed from a PDF, "— — — 2 —", is none), none twice, each clause's text its source."""
    text = without_non_text((CITIES11 / name).read_text(encoding="utf-8"))
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


# --- responsibility notes --------------------------------------------------------------------------------------------


def test_cooperating_units_on_a_line_of_their_own():
    """ "牵头责任单位:X、Y" then "主要协作单位:Z、W" on a line of its own under an item: the co-operating units are
    responsible, never part of the last lead's name; an item without its full stop still takes the lines under it."""
    text = "示例县人民政府关于印发任务分解的通知\n\n示政发〔2021〕1号\n\n各乡镇人民政府：\n\n"
    text += "1.加快发展健康、养老、育幼、家政等服务业。\n\n牵头责任单位:县卫健委、县民政局\n\n"
    text += "主要协作单位:各乡镇人民政府、经济开发区管委会,县政府有关部门\n\n"
    text += "2.加强重大公共卫生安全风险源头防控\n\n牵头责任单位:县卫健委\n\n协作单位:各乡镇人民政府\n"
    [document] = parse_text(text, "x.txt")
    first, second = (c for c in document.clauses if c.text[:2] in ("1.", "2."))
    assert (first.lead_units, first.responsible_units) == (
        ("县卫健委", "县民政局"),
        ("各乡镇人民政府", "经济开发区管委会", "县政府有关部门"),
    )
    assert (second.lead_units, second.responsible_units) == (("县卫健委",), ("各乡镇人民政府",))


# --- headers ---------------------------------------------------------------------------------------------------------


def test_click_count_field_under_the_title():
    """A portal's fields under the title ("来源:信息公开办", "发布日期:2016-03-01", "点击数:人次") over the 文号 on a
    line of its own: "点击数" is a field as "点击" is, so the title above the fields is the document's."""
    title = "示例县人民政府办公室关于对2016年民生实事进行重点督办的通知"
    text = f"{title}\n来源:信息公开办\n发布日期:2016-03-01\n点击数:人次\n\n示府办〔2016〕20号\n\n"
    text += "各乡镇人民政府、街道办事处,县级各部门:\n\n    现将2016年“民生实事”目标任务分解下达。\n\n"
    text += "                               示例县人民政府办公室\n\n                    2016年2月26日   \n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.date) == ("示府办〔2016〕20号", title, "2016-02-26")


def test_file_holding_a_task_table_alone():
    """A page holding a department's task table alone, printed one cell to a line ("序号" / "指标" / "工作任务" / … /
    "1" / …), no 文号, title or addressees: one document without header, never "no header found"."""
    text = "序号\n指标\n工作任务\n完成时限\n责任单位\n"
    text += "1\n公共文化服务\n免费开放服务人次较上年增长15%。\n12月底前\n文化馆\n"
    text += "2\n文化产业\n培育规模以上文化服务企业1家。\n10月底前\n文化宣传股\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.issuer) == (None, "", "")
    assert any("增长15%" in c.text for c in document.clauses)


def test_note_without_table_stays_refused():
    """ "序号" in a plain note is no table: a text without any header is still refused."""
    with pytest.raises(CorpusError):
        parse_text("序号\n这是一份说明，没有公文头。\n第二段也没有文号。\n", "x.txt")


# --- tables ----------------------------------------------------------------------------------------------------------


def _table_rows(document) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    return {c.text.split("：")[0]: (c.lead_units, c.responsible_units) for c in document.clauses if c.table}


def test_table_one_cell_to_a_line_with_units_listed_one_to_a_line():
    """A table printed one cell to a line whose rows do not line up: a 责任单位 cell listing its units one to a line
    ("县水务局" / "县住建局" / "县护城河指挥部"), a row holding a second task with its own deadline under the same
    serial — each cell under its column by what it is, every unit of the cell responsible for its row's task."""
    text = "示例县人民政府办公室关于重点督办的通知\n\n示府办〔2016〕20号\n\n各乡镇人民政府：\n\n"
    text += "现将民生实事目标任务分解下达。\n\n示例县人民政府办公室\n\n2016年2月26日\n\n"
    text += "附件\n\n民生实事目标任务分解表\n\n"
    text += "\n\n".join(
        ["序号", "民生实事", "责任单位", "完成时限"]
        + ["1", "启动建设城区段综合治理工程。", "县水务局", "县住建局", "县护城河指挥部", "12月底前"]
        + ["2", "新建2座人行天桥。", "县住建局", "9月投入使用"]
        + ["3", "开工建设县老年养护楼。", "县民政局", "5月底前动工", "开工建设老年大学。", "12月底前"]
        + ["4", "城区再新建1个农贸市场。", "县商务局", "12月底前"]
    )
    [document] = parse_text(text + "\n", "x.txt")
    rows = _table_rows(document)
    assert rows["启动建设城区段综合治理工程。"] == ((), ("县水务局", "县住建局", "县护城河指挥部"))
    assert rows["新建2座人行天桥。"] == ((), ("县住建局",))
    assert rows["开工建设县老年养护楼。"] == ((), ("县民政局",))
    assert rows["开工建设老年大学。"] == ((), ())
    assert rows["城区再新建1个农贸市场。"] == ((), ("县商务局",))
    [later] = [c for c in document.clauses if c.text.startswith("开工建设老年大学")]
    assert dict(later.table.cells)["完成时限"] == "12月底前"


def test_table_of_offices_and_leaders_with_merged_cells():
    """ "责任股室" over "(单位)" names one column, the offices responsible; a leader's name ("周 斐") is no unit, and
    rows that print only their serial and task (the merged cells printed once above) keep their task."""
    cells = ["序号", "指标", "工作任务", "完成时限", "责任领导", "责任股室", "(单位)", "备注"]
    cells += ["1", "公共文化服务", "免费开放服务人次较上年增长15%。", "12月底前", "夏俊贵"]
    cells += ["文化宣传股", "文化馆", "图书馆"]
    cells += ["2", "开展好“三下乡”活动。"]
    cells += ["3", "文化市场管理", "开展专项整治行动4次以上,查办案件不少于5件。", "执法大队"]
    cells += ["4", "旅游项目", "新建、改建旅游厕所6 座。", "5月底", "周 斐", "旅游股"]
    [document] = parse_text("\n".join(cells) + "\n", "x.txt")
    rows = _table_rows(document)
    assert rows["公共文化服务"] == ((), ("文化宣传股", "文化馆", "图书馆"))
    assert rows["文化市场管理"] == ((), ("执法大队",))
    assert rows["旅游项目"] == ((), ("旅游股",))
    [second] = [c for c in document.clauses if c.table and dict(c.table.cells)["序号"] == "2"]
    assert dict(second.table.cells)["工作任务"] == "开展好“三下乡”活动。"


def _notice_sending_a_plan(between: str = "", attached: bool = True) -> str:
    text = "示卫计〔2015〕69号\n各乡镇人民政府、街道办事处,市直各相关部门:\n"
    text += "根据省卫生和计划生育委员会、财政厅《关于印发<示例省新型农村合作医疗统筹补偿指导方案(2016版)>的通知》"
    text += "(示卫基层〔2015〕25号)文件精神和要求,市卫生和计划生育委员会、市财政局制定了"
    text += "《示例市新型农村合作医疗统筹补偿实施方案(2016版)》,现印发给你们,请遵照执行。\n"
    text += "示例市卫生和计划生育委员会 示例市财政局\n2015年11月23日\n" + between
    title = "示例市新型农村合作医疗统筹补偿实施方案\n(2016版)\n" if attached else ""
    return text + title + "一、指导思想\n以省政府综合改革试点方案为指导。\n"


def test_wrapping_verb_inside_a_cited_name():
    """ "根据……《关于印发<A>的通知》(文号)……制定了《B》,现印发给你们": the notice sends B — the 印发 inside the cited
    name is the basis's, so A is its basis, not the attached document (whose title the copy does not print)."""
    [document] = parse_text(_notice_sending_a_plan(attached=False), "x.txt")
    assert document.display_title == "示例市新型农村合作医疗统筹补偿实施方案（2016版）"
    assert [b.doc_no for b in document.basis] == ["示卫基层〔2015〕25号"]


def test_imprint_under_the_signature():
    """The 版记 under the signature ("抄送:…", "X办公室 2015年11月23日印发") is the header's, no clause: the attached
    title printed under it is the document's, the body starts at its first part."""
    imprint = "抄送:省卫生计生委、财政厅,市卫生计生委、财政局\n示例市卫计委办公室 2015年11月23日印发\n"
    [document] = parse_text(_notice_sending_a_plan(imprint), "x.txt")
    assert not [c for c in document.clauses if "抄送" in c.text or "印发" in c.text and c.kind != "notice"]
    assert [c.section for c in document.clauses if c.kind != "notice"] == ["一、指导思想"]


def _department_page(title: str) -> str:
    text = f"{title}\n\n文章来源:示例县卫生健康委员会 浏览量: 发表时间:2021-05-07 10:49 责任编辑:卫健委政务公开\n\n"
    text += "1.创建国家卫生县城。\n\n牵头责任单位:县卫健委\n\n2.推广家庭医生签约服务。\n\n牵头责任单位:县卫健委\n"
    return text


def test_headline_over_the_pages_fields_a_blank_line_between():
    """A page without 文号 or addressees: its headline, a blank line, the page's fields on one line ("文章来源:…
    浏览量: 发表时间:… 责任编辑:…"), then numbered items: the headline is the title, the field line no clause."""
    [document] = parse_text(_department_page("县卫健委2021年政府工作报告任务分解"), "x.txt")
    assert document.title == "县卫健委2021年政府工作报告任务分解"
    assert [c.text[:2] for c in document.clauses] == ["1.", "2."]


def test_issuer_named_by_its_short_name_in_the_title():
    """A title opening with a body's short name ("县卫健委……") under a source field that spells it out ("文章来源:
    示例县卫生健康委员会"): the body issued it; a title not opening with its short name leaves the page's source
    alone."""
    [document] = parse_text(_department_page("县卫健委2021年政府工作报告任务分解"), "x.txt")
    assert document.issuers == ("示例县卫生健康委员会",)
    [document] = parse_text(_department_page("2021年政府工作报告任务分解"), "x.txt")
    assert document.issuers == ()


def test_rules_title_and_issuer_over_the_notice_that_issues_them():
    """A law database's page: the rules' title, their issuer, then "颁布《rules》的通知" with addressees, text,
    signature and date, and the rules printed again: the document is the notice, its attached document the rules."""
    rules = "示例市城市规划区内户外广告设置管理规定"
    text = f"{rules}\n\n广东省示例市人民政府\n\n\n颁布《{rules}》的通知\n\n"
    text += f"各县(市、区)人民政府,市府直属各单位:现将《{rules}》发给你们,请认真贯彻执行。\n\n"
    text += f"示例市人民政府\n二○○二年十二月十九日\n\n{rules}\n\n第一条 为加强户外广告设置的管理,制定本规定。\n\n"
    text += "第二条 凡在市城市规划区内设置户外广告的,均应遵守本规定。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.display_title) == (f"颁布《{rules}》的通知", rules)
    assert (document.issuers, document.date) == (("示例市人民政府",), "2002-12-19")
    assert [c.kind for c in document.clauses] == ["notice", "item", "item"]


# --- text copied from a PDF ------------------------------------------------------------------------------------------

_WRAPPED = (
    "示例区人民政府办公室关于印发示例区任务分解方案的通知\n示例办发〔2019〕5号\n各街道办事处,区政府各部门:\n"
    "现将《示例区任务分解方案》印发给你们,请认真贯彻执行。\n示例区人民政府办公室\n2019年4月16日\n"
    "示例区任务分解方案\n"
    "为贯彻落实北京市街道工作会议精神及《中共北京市委北京\n"
    "市人民政府关于加强新时代街道工作的意见》相关要求,以首善\n"
    "标准建设文明街道、活力街道、宜居街道、平安街道,现结合示\n"
    "例区实际,制定如下任务分解方案。\n"
    "一、提高城市基层党建工作水平,加强党对基层治理的全面\n"
    "领导\n"
    "1.完善街道党工委对地区治理重大工作的领导体制机制,优\n"
    "化决策程序,涉及基层治理的重大事项、重点工作、重要问题由\n"
    "街道党工委讨论决定,全面提升街道抓党建、抓治理、抓服务的\n"
    "领导能力。\n"
    "牵头单位:区委组织部\n"
    "协办单位:区委编办、区民政局(区委社会工委)、园区党工\n"
    "委、各街道党工委\n"
    "{mark}\n"
    "2.以区域化党建为重点,构建市、区、街道、社区党组织四\n"
    "级上下贯通,社区党建、单位党建、行业党建多方联动的体系。\n"
)


def test_hard_wrapped_text_from_a_pdf():
    """A copy of a PDF keeps the page's line breaks, mid-word ("……机制,优" / "化决策程序"): a line that fills the
    page's width and ends no sentence goes on on the next line — a heading's too — so the item is one clause with
    its note lines ("牵头单位:", "协办单位:" wrapped in turn) under it."""
    [document] = parse_text(_WRAPPED.format(mark="—3—"), "x.txt")
    [item] = [c for c in document.clauses if c.text.startswith("1.")]
    assert "优化决策程序" in item.text
    assert item.section.startswith("一、提高城市基层党建工作水平，加强党对基层治理的全面领导")
    assert (item.lead_units, item.responsible_units) == (
        ("区委组织部",),
        ("区委编办", "区民政局（区委社会工委）", "园区党工委", "各街道党工委"),
    )


def test_page_number_with_its_rule_broken_into_dashes():
    """ "— — — 3 —": a page number whose rule a PDF copy broke into dashes is a page break, no text."""
    [document] = parse_text(_WRAPPED.format(mark="— — — 3 —"), "x.txt")
    assert not [c for c in document.clauses if "—" in c.text]


def test_headline_naming_the_attached_document_of_a_notice_cut_at_its_top():
    """A copying site's headline ("贯彻落实《…》的任务分解方案"), its column line ("栏目:…发布:2019-04-17浏览:…"),
    then a notice whose top is lost ("认真贯彻执行。"), its signature, and the plan's own title ending in the
    headline's words: the headline named the plan, the notice's own title is not printed."""
    plan = "示例区贯彻落实《关于加强新时代街道工作的意见》的任务分解方案"
    text = "贯彻落实《关于加强新时代街道工作的意见》的任务分解方案\n\n"
    text += "栏目:策划方案发布:2019-04-17浏览:3013下载230次收藏\n"
    text += "认真贯彻执行。\n中共示例区委办公室\n示例区人民政府办公室\n2019 年 4 月 16 日\n"
    text += f"{plan}\n为贯彻落实街道工作会议精神,制定如下任务分解方案。\n一、提高城市基层党建工作水平\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.display_title) == ("", plan)
    assert document.issuers == ("中共示例区委办公室", "示例区人民政府办公室")
    assert [c.text for c in document.clauses if c.kind == "notice"] == ["认真贯彻执行。"]


def test_document_on_one_line_under_the_pages_fields():
    """The page's fields as a "|" table (文号 among them), then the whole document on one line, its parts separated
    by spaces: addressees, text, 附件 line, signature, date, the plan's title, "1.总则 1.1目的依据 …": split as a
    copy that lost its line breaks — the 文号 the fields', the plan the attached document, its sections numbered."""
    fields = "索引号 | 001008003001086/2020-42401 | ||\n组配分类 | 部门文件 | 发布机构 | 示例镇 |\n"
    fields += "生成日期 | 2020-10-22 | 公开方式 | 主动公开 |\n文号 | 示山政〔2020〕72号 |\n"
    plan = "示例镇突发公共事件总体应急预案(修订)"
    body = "各科室,各站所,各村: 为提高处置突发公共事件的能力,保障公众的生命财产安全,维护社会稳定。"
    body += f"经研究,制定《{plan}》,现印发给你们,请根据本预案的要求制定切实可行的专项应急预案。"
    body += f" 附件:{plan} 示例市示例镇人民政府 2020年10月22日 "
    body += f"{plan} 1.总则 1.1目的依据 提高政府保障公共安全和处置突发公共事件的能力,维护社会稳定,结合实际,制定本预案。"
    body += " 1.2工作原则 (1)以人为本,预防为主。切实履行政府的社会管理和公共服务职能。\n"
    [document] = parse_text(fields + body, "x.txt")
    assert (document.doc_no, document.title, document.date) == ("示山政〔2020〕72号", "", "2020-10-22")
    assert document.issuers == ("示例市示例镇人民政府",)
    assert document.display_title == "示例镇突发公共事件总体应急预案（修订）"
    assert any(c.section.startswith("1.2 工作原则") and c.text.startswith("（1）以人为本") for c in document.clauses)


def test_spaced_table_rows_with_cells_broken_by_stray_spaces():
    """A table printed one row to a line, cells separated by single spaces, some cells broken by a stray space
    ("加强水资源保 护", "严守用水 效率控制 红线") or left empty (two spaces in a row): the units columns closing the
    header take the row's last parts — 牵头单位 leads, 参与单位 and 责任单位 are responsible."""
    text = "示例市河长制办公室关于印发《示例市主要任务分解方案》的通知\n\n示例市主要任务分解表\n\n"
    text += "序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位\n"
    text += "1 加强水资源保 护 严守水资源开发利用控制红线 实施双控行动,防止不合理新增取水。 市水利局"
    text += " 市发展改革委、农业局等 各县(市、区)人民政府,高新区管委会\n"
    text += "2  严守用水 效率控制 红线 落实用水效率评估体系。 市水利局 市发展改革委等 各县(市、区)人民政府\n"
    text += "3   抓好工业节水。加快实施工业节水技术改造。 市工业和信息化委 市发展改革委等 各县(市、区)人民政府\n"
    [document] = parse_text(text, "x.txt")
    rows = {dict(c.table.cells)["序号"]: c for c in document.clauses if c.table}
    assert dict(rows["1"].table.cells)["类别"] == "加强水资源保护"
    assert (rows["1"].lead_units, rows["1"].responsible_units) == (
        ("市水利局",),
        ("市发展改革委", "农业局", "各县（市、区）人民政府", "高新区管委会"),
    )
    assert dict(rows["2"].table.cells)["主要任务"] == "严守用水效率控制红线"
    assert rows["3"].lead_units == ("市工业和信息化委",)


def test_table_ending_in_units_columns_with_a_group_column_before_the_serial():
    """ "考核项目" / "序号" / … / "责任部门" / "评分部门", one cell to a line, the group printed once before the first
    serial and merged cells printed once: rows are read from their end — the last units column takes one cell, the
    责任部门 every unit listed one to a line before it; the measure column "单位" holds no units."""
    cells = ["考核项目", "序号", "考核指标", "考核内容", "单位", "年度目标", "责任部门", "评分部门"]
    cells += ["农业高质高效", "1", "确保粮食有效供给", "农林牧渔业增加值增幅", "%", "≥2%"]
    cells += ["县海洋与渔业局", "县农业农村局", "市海洋渔业局市农业农村局"]
    cells += ["2", "农业劳动生产率及增幅", "万元/人", "全市统筹", "县海洋与渔业局", "县农业农村局", "市农业农村局"]
    cells += ["3", "粮食安全责任制", "-", "良好以上", "县经济和信息化局", "市商务局"]
    text = "示例县委办公室示例县人民政府办公室关于印发《2021年示例县任务清单》的通知\n\n各乡镇党委、政府:\n\n"
    text += "《2021年示例县任务清单》已经县委、县政府同意,现印发给你们。\n\n示例县委办公室  示例县人民政府办公室\n\n"
    text += "2021年9月16日\n\n2021年示例县任务清单\n\n" + "\n\n".join(cells) + "\n"
    [document] = parse_text(text, "x.txt")
    rows = {dict(c.table.cells)["序号"]: c for c in document.clauses if c.table}
    assert rows["1"].responsible_units == ("县海洋与渔业局", "县农业农村局")
    assert dict(rows["1"].table.cells)["考核项目"] == "农业高质高效"
    assert rows["2"].responsible_units == ("县海洋与渔业局", "县农业农村局")
    assert dict(rows["3"].table.cells)["考核内容"] == "粮食安全责任制"
    assert rows["3"].responsible_units == ("县经济和信息化局",)
