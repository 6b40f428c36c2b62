"""The eighteenth batch of real documents (tests/fixtures/cities18/, see SOURCES.md there): the general rules its
files showed missing, each on lines made up in the forms that needed them (the files themselves are read against
the human's reading in tests/test_parse_readings.py)."""

from __future__ import annotations

from qa_bot.parse import parse_text
from qa_bot.text.units import is_role_line


def test_places_listed_before_a_government_share_its_name_in_a_role_line() -> None:
    """"由A公司、市发展改革委，川汇区、商水县、沈丘县人民政府，市开发区管委会负责落实": the places before
    沈丘县人民政府 are their governments too, so the line is a role line (the task's note) — a place alone among units
    is not."""
    assert is_role_line("由示例铁路公司、市发展改革委，东区、北河县、南山县人民政府，市开发区管委会负责落实")
    assert not is_role_line("由市发展改革委、东区、北河县负责落实")  # no government for them to share


def test_a_numbered_task_keeps_its_note_of_places_and_their_governments() -> None:
    text = (
        "示例市人民政府\n关于做好2024年重点工作的通知\n示政〔2024〕2号\n各县(市、区)人民政府,市人民政府各部门:\n"
        "为做好今年工作,现通知如下。\n一、强化项目带动\n"
        "1.抓好重点项目建设,确保完成年度投资计划。\n由市发展改革委,各县市区人民政府负责落实\n"
        "2.全面完成铁路复线电气化改造。\n"
        "由示例铁路公司、市发展改革委,东区、北河县、南山县人民政府,市开发区管委会负责落实\n"
    )
    [document] = parse_text(text, "x.txt")
    [railway] = [c for c in document.clauses if "铁路复线" in c.text]
    assert railway.responsible_units == (
        "示例铁路公司", "市发展改革委", "东区", "北河县", "南山县人民政府", "市开发区管委会"
    )


def test_a_plan_without_notice_takes_its_issuer_and_date_from_the_portals_fields() -> None:
    """A plan printed under a portal's field rows with spaced labels and no colons ("索 引 号 … 发文时间 2016-07-04",
    "发布机构 示例市政府办 文 号"): 发文时间 is its date, and a government's office by its short name (市政府办) its
    issuer."""
    text = (
        "索 引 号 640400001/2016-14852 发文时间 2016-07-04\n发布机构 示例市政府办 文 号\n"
        "公开方式 主动公开 有效性 有效\n标 题: 示例市草原火灾应急预案\n示例市草原火灾应急预案\n\n"
        "  1 总则\n\n  1.1 编制目的\n\n  为及时控制草原火灾,保护人民生命财产安全,制定本预案。\n"
    )
    [document] = parse_text(text, "x.txt")
    assert document.title == "示例市草原火灾应急预案"
    assert document.issuer == "示例市政府办"
    assert document.date == "2016-07-04"


def test_a_document_run_together_on_one_line_below_a_policy_portals_fields() -> None:
    """A policy portal prints the title, its own label and fields ("政策", "发布时间:…"), then the notice, its
    signature, its date and the attached 意见 on one long line, parts set off by spaces only: split, the signature's
    date is the document's (not the portal's 发布时间), and the 意见's text is its body."""
    text = (
        "示例市人民政府办公室印发示例市关于加强城市精细化管理的意见的通知\n政策\n发布部门:信息补充中\n"
        "发布时间:2022年03月18日\n有效性:有效\n"
        "各县、区人民政府,市政府各部门:《示例市关于加强城市精细化管理的意见》已经市政府常务会议研究通过,现印发给你们,"
        "请认真抓好贯彻落实。 示例市人民政府办公室 2022年3月17日 示例市关于加强城市精细化管理的意见 "
        "为进一步提升城市精细化管理水平,助力全国文明城市创建,结合我市实际,提出如下意见。 一、总体要求 "
        "坚持人民至上,以群众满意为标准,推进城市管理向精细化、智能化转变。 "
        "二、重点任务 扎实完成市政公用、城管执法、环境卫生、园林绿化等方面工作。\n"
    )
    [document] = parse_text(text, "x.txt")
    assert document.title == "示例市人民政府办公室印发示例市关于加强城市精细化管理的意见的通知"
    assert document.date == "2022-03-17"
    assert any("市政公用" in c.text for c in document.clauses)


def test_a_table_one_cell_to_a_line_with_spaced_out_column_names_and_a_long_unit_list() -> None:
    """A task table printed one cell to a line, its column names spaced out over their width ("牵 头 部 门"), a 配合部门
    cell listing eight units on one line: the lead and the co-units are the row's note, the class is its 目标类型."""
    units = "、".join(("区财政局", "区住房和城建局", "区商务局", "区文旅局", "区统计局", "区投促局", "区功能区管委会"))
    cells = ("序号", "任 务 名 称", "指 标 要 求", "牵 头 部 门", "配 合 部 门", "目 标 类 型")
    cells += ("1", "地区生产总值", "增长5.5%(市下达指标)", "区发改经信局", units + "、各街道办事处", "A类")
    cells += ("2", "服务业增加值", "增长6%", "区发改经信局", "区财政局、区商务局", "B类")
    text = "示例区人民政府办公室关于印发2019年目标任务分解表的通知\n\n"
    text += "为确保完成各项目标任务，现将分解表印发给你们。\n\n"
    text += "附件1\n\n2019年目标任务分解表\n\n" + "\n\n".join(cells) + "\n"
    [document] = parse_text(text, "x.txt")
    [gdp] = [c for c in document.clauses if c.text.startswith("地区生产总值")]
    assert gdp.lead_units == ("区发改经信局",)
    assert "各街道办事处" in gdp.responsible_units and "区统计局" in gdp.responsible_units
    assert gdp.table is not None and dict(gdp.table.cells)["目标类型"] == "A类"
