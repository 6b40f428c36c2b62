"""The seventeenth batch of real documents (tests/fixtures/cities17/, see SOURCES.md there): the general rules the
files the parser could not yet read showed missing, each on lines made up in the forms that needed them (the files
themselves are read against the human's reading in tests/test_parse_readings.py)."""

from __future__ import annotations

from qa_bot.parse import parse_text


def _barred(*cells: str) -> str:
    """A table flattened one cell to a line, each cell closed by " |" (an empty one by a bare bar)."""
    return "\n".join(cell if cell in ("|", "||") else f"{cell} |" for cell in cells)


_HEADER = ("序号", "主要任务", "全年目标任务", "分管 领导", "牵头 单位", "责任主体与协同单位")
_HEADER += ("上月进展", "本月进展", "说明")


def _progress_table(caption: str = "2023年示例区重点民生实事项目推进情况(1-5月)") -> str:
    rows = (
        ("7", "新建口袋公园12个。", "王一", "园林局", "城建局、相关街道", "已完成选址。", "已建成5个。", "||"),
        ("8", "改造老旧小区30个。", "王一", "住建局", "财政局", "开工10个。", "开工18个。", "材料涨价,进度慢。", "|"),
    )
    return "\n" + caption + "\n" + _barred(*_HEADER, *[cell for row in rows for cell in row]) + "\n"


def test_table_page_under_its_caption_is_one_document_titled_by_it():
    """A portal page holding a progress table alone under its caption, a caption naming no kind of document: one
    document, the caption its title — no error that the file cannot be split."""
    [document] = parse_text(_progress_table(), "x.txt")
    assert document.title == "2023年示例区重点民生实事项目推进情况（1-5月）"
    assert document.doc_no is None


def test_barred_cells_numbered_from_inside_the_table_are_rows_with_their_units():
    """Cells closed by bars, rows numbered from 7 (the copy starts inside a longer table), the task column merged
    away: each row is a clause that opens with its task, led by the 牵头单位 column, the "责任主体与协同单位" column its
    responsible units; no bar is left in any clause."""
    [document] = parse_text(_progress_table(), "x.txt")
    rows = [c for c in document.clauses if c.table]
    assert [r.text.split("：")[0] for r in rows] == ["新建口袋公园12个。", "改造老旧小区30个。"]
    assert [(r.lead_units, r.responsible_units) for r in rows] == [
        (("园林局",), ("城建局", "相关街道")),
        (("住建局",), ("财政局",)),
    ]
    assert not any("|" in c.text for c in document.clauses)


def test_progress_columns_after_the_units_fill_in_turn():
    """After the units, one sentence per column in order: last month's progress under its column, this month's under
    its own, the remark column empty where the row has none."""
    [document] = parse_text(_progress_table(), "x.txt")
    first, second = (dict(c.table.cells) for c in document.clauses if c.table)
    assert (first["上月进展"], first["本月进展"], first["说明"]) == ("已完成选址。", "已建成5个。", "")
    assert second["说明"] == "材料涨价，进度慢。"


def test_a_line_that_happens_to_end_in_a_bar_keeps_it():
    """A bar at the end of a few lines is no table's cell mark: the text keeps it."""
    text = (
        "示例区人民政府关于做好防汛工作的通知\n\n示政发〔2023〕2号\n\n各镇人民政府:\n\n"
        "一、加强值班值守。值班电话:1234567 |\n\n二、做好物资储备。\n\n示例区人民政府\n\n2023年5月3日\n"
    )
    [document] = parse_text(text, "x.txt")
    assert any("1234567 |" in c.text for c in document.clauses)


def test_a_report_issued_by_the_office_its_source_field_names_without_the_share_buttons():
    """A progress report printing no issuer under a portal's source field naming the government's 督查室, its share
    buttons one to a line under "分享到:": the 督查室 issued it, and no button is a clause."""
    text = (
        "2023年县政府为民办实事事项3月份进展情况通报\n\n"
        "来源:县政府督查室 发布日期:2023-04-06 10:00 责任编辑: 【字体: 小   中   大 分享到:\n微信\nX\n\n"
        "    截至3月底,12项为民办实事事项正在有序推进。\n\n一、进展情况\n\n"
        "    (一)老旧小区改造\n\n已开工3个小区,完成投资1200万元。\n"
    )
    [document] = parse_text(text, "x.txt")
    assert document.issuer == "县政府督查室"
    assert not [c for c in document.clauses if c.text.strip() in ("微信", "X")]
    assert any("截至3月底" in c.text for c in document.clauses)


def test_a_notice_signed_by_a_bureau_and_a_police_brigade_under_a_picture_caption():
    """A joint 通告 whose copy keeps a picture's caption ("【资料图】") above it and is signed by a bureau and a traffic
    police brigade (大队): the caption is no part of the title, and both sign it."""
    text = (
        "【资料图】\n“文明停车”专项整治通告\n"
        "为规范城区停车秩序,区综合行政执法局、交警大队将联合开展专项整治。现将有关事项通告如下:\n"
        "一、整治时间\n集中整治阶段自2023年5月26日至6月26日。\n"
        "示例区综合行政执法局\n示例市公安局交通巡逻警察支队示例区大队\n2023年5月23日\n"
    )
    [document] = parse_text(text, "x.txt")
    assert document.title == "“文明停车”专项整治通告"
    assert document.issuer == "示例区综合行政执法局、示例市公安局交通巡逻警察支队示例区大队"
    assert document.date == "2023-05-23"
