"""Each class of answer failure found by blind question sets, as behaviour on a fixture gazette (answers-gazette.txt):
complete unit lists, exclusion, units of a kind, basis documents, the value a question asks for, places and quoted
terms.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa_bot.answer.question import counted_noun, states_asked_rate

DOC = "示政办发〔2024〕7号"
FINANCE_CLAUSE_UNITS = [
    "市财政局",
    "市商务局",
    "市交通运输局",
    "市公安局",
    "人民银行示例市中心支行",
    "示例银保监分局",
    "市市场监管局",
]


def test_a_who_reply_lists_every_unit(answers_engine) -> None:
    reply = answers_engine.ask("完善物流金融服务由哪些单位负责？")
    assert reply.found, reply.answer
    assert "市发展改革委牵头" in reply.answer
    for unit in FINANCE_CLAUSE_UNITS:
        assert unit in reply.answer
    assert "等" not in reply.answer.split("（《")[0]


def test_exclusion_lists_the_others_not_a_yes_or_no(answers_engine) -> None:
    reply = answers_engine.ask("物流金融服务这项，除了牵头的市发展改革委，还有哪些单位负责？")
    body = reply.answer.split("（《")[0]
    assert reply.found and not body.startswith("是")
    for unit in FINANCE_CLAUSE_UNITS:
        assert unit in body
    assert body.count("市发展改革委") == 1  # named once, as the excluded unit


def test_units_of_a_kind(answers_engine) -> None:
    reply = answers_engine.ask("物流金融服务这项工作，有哪些金融部门参与？")
    body = reply.answer.split("（《")[0]
    assert reply.found
    assert "人民银行示例市中心支行" in body and "示例银保监分局" in body
    assert "市商务局" not in body


def test_whether_a_named_unit_takes_part(answers_engine) -> None:
    yes = answers_engine.ask("公安局是物流金融服务的责任单位吗？")
    no = answers_engine.ask("冷链物流这项，公安局有没有任务？")
    assert yes.found and yes.answer.startswith("是，市公安局是责任单位之一")
    assert no.found and "该条未列市公安局" in no.answer


def test_which_role_a_named_unit_has(answers_engine) -> None:
    """"牵头还是配合" asks the role: the reply names it (not a yes/no and not only the note)."""
    reply = answers_engine.ask("物流金融服务那条，公安局是牵头还是配合？")
    assert reply.found and reply.answer.startswith("市公安局是责任单位之一，不牵头"), reply.answer


def test_the_tasks_a_unit_leads_alone(answers_engine) -> None:
    """"只有我们一家牵头的" asks for the tasks no other unit leads, whoever else is responsible for them."""
    reply = answers_engine.ask("只有我们生态环境局一家牵头的任务有哪些？")
    assert reply.found
    assert "加强生态环境监测" in reply.answer and "推动老旧车辆更新" in reply.answer, reply.answer
    assert "推进物流减排" not in reply.answer  # led together with 市交通运输局


def test_a_units_tasks_across_the_document(answers_engine) -> None:
    reply = answers_engine.ask("市发展改革委牵头哪些工作？")
    assert reply.found
    assert "完善物流金融服务" in reply.answer and "（牵头）" in reply.answer
    assert "推进物流减排" not in reply.answer  # there it is responsible, not lead


def test_the_tasks_no_other_unit_shares(answers_engine) -> None:
    sole = answers_engine.ask("有没有哪项工作是只写了我们住建局一家负责的？")
    shared = answers_engine.ask("市商务局单独负责哪些工作？")
    assert sole.found and "只由市住房城乡建设局承担" in sole.answer and "治理城区内涝" in sole.answer, sole.answer
    assert shared.found and shared.answer.startswith("没有只由市商务局单独承担的任务"), shared.answer
    assert "发展冷链物流" in shared.answer


def test_a_count_of_a_units_tasks(answers_engine) -> None:
    reply = answers_engine.ask("市发展改革委牵头的事一共有几项？")
    assert reply.found and "牵头1项" in reply.answer and "完善物流金融服务" in reply.answer, reply.answer


def test_a_units_tasks_with_a_deadline_and_its_role(answers_engine) -> None:
    dated = answers_engine.ask("我们住建局的任务里哪些有完成时限？")
    role = answers_engine.ask("市公安局在城乡物流方案里牵头哪些工作，配合哪些？")
    assert dated.found and "有完成时限的任务" in dated.answer and "2026" in dated.answer, dated.answer
    assert role.found and "均为配合，不牵头" in role.answer and "完善物流金融服务" in role.answer, role.answer


def test_tasks_of_units_named_by_kind_or_short_name(answers_engine) -> None:
    police = answers_engine.ask("公安部门要配合做什么？")
    bank = answers_engine.ask("人行在这个方案里有哪些任务？")
    assert police.found and "市公安局" in police.answer and "完善物流金融服务" in police.answer, police.answer
    assert bank.found and "人民银行示例市中心支行" in bank.answer and "完善物流金融服务" in bank.answer, bank.answer


def test_a_unit_named_in_a_question_is_no_title_word(answers_engine) -> None:
    """"市生态环境局在城乡物流方案里…" names the 物流 plan; 生态环境 in the unit's name names no 生态环境保护规划."""
    reply = answers_engine.ask("我们市生态环境局在城乡物流方案里牵头哪些工作？")
    assert reply.found and "推进物流减排" in reply.answer and "加强生态环境监测" not in reply.answer, reply.answer


def test_basis_documents_with_their_doc_no(answers_engine) -> None:
    reply = answers_engine.ask("城乡物流提升实施方案依据的省政府文件文号是什么？")
    assert reply.found, reply.answer
    assert "北政办发〔2023〕12号" in reply.answer
    document = answers_engine.index.doc_by_no[DOC]
    assert document.basis[0].doc_no == "北政办发〔2023〕12号"


@pytest.mark.parametrize(
    "question",
    [
        "城乡物流方案是照着省里哪份文件做的？文号多少",
        "城乡物流提升实施方案对应的省政府通知文号是多少",
        "省里的城乡物流提升行动方案文号多少",  # the upper-level document named by its kind
    ],
)
def test_an_upper_level_document_asked_for_is_the_basis_not_the_own_doc_no(answers_engine, question: str) -> None:
    """"照着省里哪份文件做的？文号多少" asks for the document implemented, whose 文号 the preamble gives."""
    reply = answers_engine.ask(question)
    body = reply.answer.split("（《")[0]
    assert reply.found and "北政办发〔2023〕12号" in body and DOC not in body, reply.answer


def test_a_basis_question_about_one_measure_is_answered_by_the_document_that_measure_cites(answers_engine) -> None:
    """"落实财政事权和支出责任要按省里哪个文件" asks what the clause on funding cites, not the plan's own basis."""
    reply = answers_engine.ask("城乡物流方案里落实财政事权和支出责任，要按省里哪个文件？")
    assert reply.found and "北政办发〔2021〕7号" in reply.answer, reply.answer
    assert "北政办发〔2023〕12号" not in reply.answer and reply.citations[0].section.startswith("三、保障措施")
    plain = answers_engine.ask("城乡物流提升实施方案依据的是省里哪个文件？")
    assert plain.found and "北政办发〔2023〕12号" in plain.answer, plain.answer


@pytest.mark.parametrize(
    ("question", "field"),
    [("城乡物流提升实施方案是哪一日印发的？", "2024年4月8日"), ("城乡物流提升实施方案主送哪些单位？", "市直有关单位")],
)
def test_a_document_named_by_its_title(answers_engine, question: str, field: str) -> None:
    reply = answers_engine.ask(question)
    assert reply.found and field in reply.answer, reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "建成的那1个城乡物流协同发展示范县具体设在哪个县？",  # a place the text does not name
        "物流的“三个短板”具体是指哪三个方面？",  # a list the text only mentions
        "物流配送车辆能耗下降多少万吨？",  # a count of another measure
        "市商务局局长叫什么名字？",  # a person's name
        "冷链集配中心的联系电话是多少？",  # a phone number
        "示政办发〔2024〕99号是什么文件？",  # a document not in the corpus
        "排水管网改造具体在什么地方？",  # the clause says 城区, a common noun, not a place
        "人民银行示例市中心支行的行长现在是谁？",  # who holds a post: a person's name
        "冷链集配中心准备建在示例市哪个位置？",  # a site, with the city named between the verb and the ask
        "村级物流服务站的建设方案要报哪个部门备案？",  # whom a plan goes to, asked without 给/到
    ],
)
def test_near_misses_are_not_answered(answers_engine, question: str) -> None:
    reply = answers_engine.ask(question)
    assert reply.found is False, reply.answer
    assert reply.answer.startswith("已收录的政府公报中没有找到")


@pytest.mark.parametrize(
    ("refused", "reason", "answered", "expected"),
    [
        # "A还是B": a clause naming neither option (建成1个…示范县) does not say which, even when the options are places
        # the text writes without a suffix (东山、西河); a clause naming an option does
        ("城乡物流协同发展示范县最后定的是东山还是西河？", "东山或西河", "水质自动监测站建在东山还是南岭？", "东山"),
        # "分到各县区分别是多少" asks one figure per place: a city-wide figure does not answer it
        ("城区排水管网改造50公里，分到各县区分别是多少？", "分县区", "水质自动监测站分到各地分别建几个？", "各建1个"),
    ],
)
def test_a_clause_answers_a_choice_or_a_breakdown_only_when_it_holds_one(
    answers_engine, refused: str, reason: str, answered: str, expected: str
) -> None:
    reply = answers_engine.ask(refused)
    assert reply.found is False and reason in reply.reason, reply.answer
    reply = answers_engine.ask(answered)
    assert reply.found and expected in reply.answer, reply.answer


def test_ordinary_words_that_jieba_tags_as_places_are_no_other_place(answers_engine) -> None:
    for question in ("为啥城里一下大雨，河里就脏了？", "城里河里的水什么时候能治好？"):
        reply = answers_engine.ask(question)
        assert "河里" not in reply.reason and "城里" not in reply.reason, reply.answer
    other_city = answers_engine.ask("沈阳市冷链物流由哪个单位牵头？")
    assert other_city.found is False and "沈阳" in other_city.reason


def test_generic_words_that_jieba_joins_into_a_place_name_are_no_place(answers_engine) -> None:
    """"全市和县区" splits as 全市/和县/区: 和县 followed by 区 is two generic words, not a county elsewhere."""
    reply = answers_engine.ask("全市和县区的排水管网改造什么时候完成？")
    assert reply.found and "2026" in reply.answer, reply.answer


def test_the_sentence_that_holds_the_asked_figure(answers_engine) -> None:
    reply = answers_engine.ask("城区排水管网要改造多少公里？")
    assert reply.found and "50公里" in reply.answer


def test_an_indicator_left_blank_is_not_answered(mini_engine) -> None:
    reply = mini_engine.ask("挥发性有机物减排量2022年的基数是多少？")
    assert reply.found is False, reply.answer
    answered = mini_engine.ask("挥发性有机物减排量2025年的目标是多少？")
    assert answered.found and "500" in answered.answer


def test_an_indicator_row_about_a_sibling_term_is_not_answered(mini_engine) -> None:
    """A question about 无机物 meets the row of 挥发性有机物: one character apart, another indicator."""
    reply = mini_engine.ask("指标表里无机物减排量属于哪类指标？")
    assert reply.found is False and "有机物" in reply.reason, reply.answer
    answered = mini_engine.ask("指标表里挥发性有机物减排量属于哪类指标？")
    assert answered.found and "预期性" in answered.answer, answered.answer


def test_the_asking_part_decides_what_the_reply_holds(answers_engine) -> None:
    """The asker's own role in a task is context: the reply answers the deadline asked, not who leads."""
    reply = answers_engine.ask("治理城区内涝这项我们市住房城乡建设局是责任单位，排水管网改造要在哪年完成？")
    assert reply.found and "2026" in reply.answer, reply.answer


def test_a_content_question_naming_a_doc_no_is_answered_from_a_clause(answers_engine) -> None:
    """Naming the document by its 文号 does not turn a question about its content into one about the document."""
    reply = answers_engine.ask("示政办发〔2024〕7号对发展冷链物流提出了什么要求？")
    assert reply.found and "冷藏仓储" in reply.answer, reply.answer
    assert reply.citations[0].kind != "header"


def test_a_list_that_leads_up_to_the_quoted_term() -> None:
    """"“最美海岸线”靠哪几个地方" is answered by "依靠A、B、C等，打造“最美海岸线”": the list before the term counts."""
    from qa_bot.answer.evidence import EvidenceJudge
    from qa_bot.answer.question import analyse

    question = analyse("要打造的“最美海岸线”都靠哪几个地方？")
    before = "严格岸线保护，依靠甲山风光、乙湾沙滩、丙头礁石等自然禀赋，打造“最美海岸线”。"
    mentioned = "打造“最美海岸线”，推进海洋生态修复。"
    assert EvidenceJudge._has_list(question, before)
    assert not EvidenceJudge._has_list(question, mentioned)


@pytest.mark.parametrize(
    ("question", "text", "listed"),
    [
        ("试点项目都是哪些？", "启动一批试点项目，给予政策、资金、服务支持。", False),  # a list of something else
        ("试点项目都是哪些？", "首批试点项目包括甲园区项目、乙港区项目、丙物流项目。", True),
        ("预警信息通过哪些渠道发布？", "预警信息通过广播、电视、网站等媒体发布。", True),  # the text's own word
        # 哪些项目 is one jieba word; the list of another thing, or in another sentence, does not answer
        ("重点项目清单里都有哪些项目？", "设立重点项目清单，对清单内的项目，给予政策、资金、服务支持。", False),
        ("重点项目清单里都有哪些项目？", "设立重点项目清单。积极申报国家、省试点示范项目。", False),
        ("重点项目清单里都有哪些项目？", "设立重点项目清单，首批包括甲园区项目、乙港区项目。", True),
        ("要牢固树立哪两个理念？", "牢固树立“甲就是乙”“丙也是丁”的理念。", True),  # quoted items side by side
    ],
)
def test_a_list_of_the_things_asked_for(question: str, text: str, listed: bool) -> None:
    """A list question is answered by a list of what it asks for, where the text names it, not by any list nearby."""
    from qa_bot.answer.evidence import EvidenceJudge
    from qa_bot.answer.question import analyse

    assert EvidenceJudge._has_list(analyse(question), text) is listed


def test_a_free_text_question_takes_the_clause_whose_sentence_answers_it(answers_engine) -> None:
    """Everyday words: of the first clauses, the one whose best sentence comes closest answers ("国三的老车以后还能开
    吗" is answered by "基本淘汰国三及以下排放标准汽车", even when the clause on 老旧车辆 ranks first)."""
    import dataclasses

    from qa_bot.text.normalize import normalize_text

    engine = answers_engine
    question, query, _ = engine.understand("国三的老车以后还能开吗？", None)
    vector = engine.embedder.embed_query(normalize_text(query))
    result = engine.retriever.search(query, 5, None, query_vector=vector)
    sections = [engine.index.records[h.record].section for h in result.hits]
    older = result.hits[next(i for i, s in enumerate(sections) if "老旧车辆" in s)]
    emissions = result.hits[next(i for i, s in enumerate(sections) if "排放管理" in s)]
    hits = [older, emissions] + [h for h in result.hits if h not in (older, emissions)]
    assert engine.judge.closest_sentence_clause(question, hits, older, vector, result.terms) is emissions
    engine.judge.policy = dataclasses.replace(engine.judge.policy, sentence_clause=0)
    try:
        assert engine.judge.closest_sentence_clause(question, hits, older, vector, result.terms) is older
    finally:
        engine.judge.policy = dataclasses.replace(engine.judge.policy, sentence_clause=3)


def test_a_units_tasks_are_what_the_search_shows_first(answers_engine) -> None:
    """"市生态环境局有哪些任务" is answered by its three clauses: the search shows those first, not a clause merely
    alike (机动车排放管理, 市公安局's)."""
    import dataclasses

    engine = answers_engine
    tasks = {"加强生态环境监测", "推动老旧车辆更新", "推进物流减排"}

    def first_three() -> set[str]:
        return {c.section.rsplit("）", 1)[-1] for c in engine.search("市生态环境局有哪些任务？")[:3]}

    assert first_three() == tasks
    engine.policy = dataclasses.replace(engine.policy, task_bonus=0.0)
    try:
        assert first_three() != tasks
    finally:
        engine.policy = dataclasses.replace(engine.policy, task_bonus=1.0)


@pytest.mark.parametrize(
    ("question", "doc_no"),
    [
        ("物流方案里冷链要做什么？", "示政办发〔2024〕7号"),  # 城乡物流提升实施方案, shortened
        ("生态规划对县区有什么要求？", "示政发〔2024〕3号"),  # 生态环境保护规划, shortened
        ("交通方案里有什么要求？", None),  # fits no title
    ],
)
def test_a_document_named_by_a_shortened_title(answers_engine, question: str, doc_no: str | None) -> None:
    """People name a document by a few of its title's characters before its kind ("气象实施方案"); a shortening that
    fits one title names that document, one that fits none or several names none."""
    analysed, _, _ = answers_engine.understand(question, None)
    named = answers_engine.judge.named_documents(analysed)
    assert [answers_engine.index.doc_by_id[d].doc_no for d in named] == ([doc_no] if doc_no else [])



@pytest.mark.parametrize("question", ["存量资产盘活方案一共涉及几个重点领域？", "盘活方案聚焦多少个重点领域"])
def test_a_count_of_a_named_kind_is_found_where_the_text_states_it(counts_engine, question: str) -> None:
    """"几个重点领域" is answered by the one sentence stating "7 个重点领域", though every other clause of the plan
    repeats 重点领域 and outranks it on the words."""
    reply = counts_engine.ask(question)
    assert reply.found and "7个重点领域" in reply.answer, reply.answer


def test_an_amount_asked_is_no_count_of_a_kind() -> None:
    """"多少万吨标准煤" asks an amount, "几项重点工程" counts 工程, not whatever 科学 the first words name."""
    assert counted_noun("能源消费总量目标是多少万吨标准煤？") is None
    pattern = counted_noun("纲要提出实施多少项科学素质建设重点工程？")
    assert pattern is not None and pattern.search("实施5项重点工程") and not pattern.search("实施5项科学素质提升行动")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("存量资产盘活工作机制到2025年要达到什么程度？", "初步建成"),
        ("盘活工作要从注重规模数量转向注重什么？", "质量和效益"),
    ],
)
def test_a_quality_asked_with_figure_words_needs_no_figure(counts_engine, question: str, expected: str) -> None:
    """"达到什么程度", "从注重数量转向注重什么" ask a quality: the clause's words answer, no number is required."""
    reply = counts_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_a_phone_number_asked_and_standing_in_the_clause_answers_in_everyday_words(counts_engine) -> None:
    """"打啥电话反映" shares few words with "畅通“12345”政务服务便民热线": the number asked for standing in the clause
    settles it, where the soft support model alone refused."""
    reply = counts_engine.ask("看到厂房一直空着没人管，打啥电话反映？")
    assert reply.found and "12345" in reply.answer, reply.answer
    none = counts_engine.ask("存量资产盘活方案的联系人是谁？")
    assert not none.found, none.answer


def test_a_unit_introducing_the_asker_is_not_what_the_question_is_about(counts_engine) -> None:
    """"市水务局这边确认一下，方案一共部署了几项重点工作？" asks about the plan; the unit only says who asks. Asked
    with "我们" the question is about the unit's own tasks."""
    plan = counts_engine.ask("市水务局这边确认一下，存量资产盘活方案一共部署了几项重点工作？")
    assert plan.found and "7项重点工作" in plan.answer, plan.answer
    for question in ("市水务局这边问一下，我们牵头哪些工作？", "市水务局这边想问一下，牵头的任务都有哪些？"):
        own = counts_engine.ask(question)
        body = own.answer.split("（《")[0]
        assert own.found and "水利领域" in body and "1项任务" in body, own.answer


def test_a_year_only_in_the_period_of_a_document_it_rests_on_is_not_covered(counts_engine) -> None:
    """The plan rests on 《…行动方案（2024—2030年）》: that names the basis' period, no target of the plan's own."""
    reply = counts_engine.ask("存量资产盘活实施方案到2030年要盘活几个重点领域？")
    assert reply.found is False and "2030" in reply.reason, reply.answer
    plain = counts_engine.ask("存量资产盘活实施方案要盘活几个重点领域？")
    assert plain.found and "7" in plain.answer, plain.answer


def test_who_leads_a_documents_work_as_a_whole_is_who_coordinates_it(counts_engine) -> None:
    """A who-leads question about the plan's aim, whose clause has no note, is answered by the clause naming who
    coordinates the whole work (履行…领导小组办公室职责); a task named by its heading is not."""
    whole = counts_engine.ask("建成存量资产盘活工作机制，是哪个单位牵头？")
    assert whole.found and whole.answer.startswith("市发展改革委履行"), whole.answer
    assert whole.citations[0].section.endswith("加强组织领导")
    task = counts_engine.ask("强化社会监督这项工作谁牵头？")
    assert "市发展改革委" not in task.answer, task.answer
    # a clause that itself names who does the asked thing answers, whatever coordinates the whole
    named = counts_engine.ask("所需经费纳入预算由谁负责？")
    assert named.found and "县（市）区政府" in named.answer and "市发展改革委" not in named.answer, named.answer


@pytest.mark.parametrize("question", ["全市第一批试点项目都有哪些？能说说名字吗？", "试点项目是哪几个？"])
def test_items_asked_of_a_list_the_text_only_mentions_are_not_answered(counts_engine, question: str) -> None:
    """"启动一批全市试点项目" names no project: two conditions joined by 、 ("符合盘活要求、具备盘活条件") and the
    subjects of a duty ("各县（市）区、各部门要落实…") are no list of them."""
    reply = counts_engine.ask(question)
    assert reply.found is False and "没有列出" in reply.reason, reply.answer


def test_a_count_in_the_questions_own_measure_is_found_under_another_classifier(answers_engine) -> None:
    """Vehicles are counted in 辆 or 台: "淘汰了多少辆" is answered by "淘汰老旧车辆1200台", and such a count in the
    question's own measure standing in the reply settles that the clause answers."""
    import dataclasses

    reply = answers_engine.ask("前些年一共淘汰了多少辆老旧车？")
    assert reply.found and "1200台" in reply.answer, reply.answer
    model = answers_engine.support_model
    answers_engine.support_model = dataclasses.replace(model, threshold=1.0)  # a support model that refuses all
    try:
        settled = answers_engine.ask("路上那些老破车，前几年一共清掉多少辆了？")
    finally:
        answers_engine.support_model = model
    assert settled.found and "1200台" in settled.answer, settled.answer


def test_items_of_a_part_of_a_document_are_its_subsections(answers_engine) -> None:
    """"重点任务都有哪些" asks the items of the part headed 二、重点任务: its subsections' headings, in order, citing
    the first. The document's own title words ("城乡物流提升") name no part of it."""
    reply = answers_engine.ask("城乡物流提升方案的重点任务都有哪些？")
    assert reply.found and "完善物流金融服务；发展冷链物流；治理城区内涝；推进物流减排" in reply.answer, reply.answer
    assert reply.citations[0].section.startswith("二、重点任务")
    whole = answers_engine.ask("城乡物流提升实施方案都包括哪些内容？")
    assert "重点任务包括" not in whole.answer, whole.answer


def test_a_parts_items_are_found_past_the_title_words_the_question_repeats(background_engine) -> None:
    """"大气污染防治规划的提升行动分别是哪几项": the run the question shares with the heading
    实施大气污染防治提升行动 is 提升行动, once the title's words (大气污染防治规划) are set aside (before, 大气污染防治
    was the longest run and named no part); its subsections are the items."""
    reply = background_engine.ask("大气污染防治规划的提升行动分别是哪几项？")
    assert reply.found and "餐饮门店清洁空气提升行动；供暖企业清洁空气提升行动" in reply.answer, reply.answer


@pytest.mark.integration
def test_a_documents_title_words_name_no_part_of_it(real_engine) -> None:
    """"生态环境保护规划要牢固树立哪两个理念" shares 生态环境保护 with the title and with the chapter heading
    "“十四五”生态环境保护主要任务": the title's words ask no list of that chapter's parts; the sentence naming the
    two answers."""
    reply = real_engine.ask("生态环境保护规划要牢固树立哪两个理念？")
    assert "主要任务包括" not in reply.answer and "绿水青山" in reply.answer, reply.answer


@pytest.mark.integration
def test_a_parts_subsections_cite_the_parts_own_opening(real_engine) -> None:
    """The five 科学素质提升行动 are the subsections of 三、实施科学素质提升行动, whose own paragraph ("…实施5项
    科学素质提升行动") is what the reply cites."""
    reply = real_engine.ask("纲要里的科学素质提升行动都有哪几项？")
    assert reply.found and "青少年科学素质提升行动；产业工人科学素质提升行动" in reply.answer, reply.answer
    assert reply.citations[0].section == "三、实施科学素质提升行动", reply.citations[0].section


@pytest.mark.parametrize(
    ("question", "expected", "other"),
    [
        ("十四五全市要种多少亩树？", "58.6万亩", "41.2万亩"),
        ("十四五要新建几处森林防火检查站？", "12处", "18处"),
        ("十三五期间一共造了多少亩林？", "41.2万亩", "58.6万亩"),
        ("要新建几处森林防火检查站？", "12处", "18处"),  # no period named: the plan's own
        ("已经新建了几处森林防火检查站？", "18处", "12处"),  # asked about the past: the review answers
        ("全市有多少个省级森林乡村？", "52个", "58.6万亩"),  # asked what is so: the review answers
    ],
)
def test_a_plan_period_asked_is_answered_from_its_own_chapter(
    periods_engine, question: str, expected: str, other: str
) -> None:
    """A question naming a five-year period, or none and not asking about the past, is answered from the chapter on
    that period (the plan's own), not from the review of the last one that holds the same words and measures."""
    reply = periods_engine.ask(question)
    assert reply.found and expected in reply.answer and other not in reply.answer


def test_the_year_a_when_question_names_is_its_context_not_the_answer(periods_engine) -> None:
    """"2023年搞完现状调查以后，…啥时候基本完成？" names 2023 as context: the sentence repeating it
    ("2023年，…完成…调查") does not answer by when the greening is done."""
    reply = periods_engine.ask("村屯绿化在2023年搞完现状调查以后，整个绿化美化啥时候基本完成？")
    assert reply.found and "2025年底前" in reply.answer, reply.answer


def test_a_figure_asked_as_it_stands_now_is_not_the_plans_target(periods_engine) -> None:
    """"现在的森林覆盖率" is how things stand (the review's 33.5%), not what the plan sets for its end (36%)."""
    now = periods_engine.ask("示例市现在的森林覆盖率是多少？")
    assert "36%" not in now.answer and (not now.found or "33.5%" in now.answer), now.answer
    target = periods_engine.ask("到2025年森林覆盖率要达到多少？")
    assert target.found and "36%" in target.answer, target.answer


def test_a_who_question_with_a_figure_besides_gets_both(periods_engine) -> None:
    """"要完成多少万亩？由哪个单位牵头？": the figure from the clause, then its lead and responsible units."""
    reply = periods_engine.ask("扩大造林绿化面积这项，到2025年要完成多少万亩？由哪个单位牵头？")
    assert reply.found and "58.6万亩" in reply.answer and "市林业和草原局牵头" in reply.answer, reply.answer


def test_a_body_named_after_the_corpus_place_but_in_no_document_is_not_found(periods_engine) -> None:
    """"示例海关", "示例市民政局" are named like the corpus's bodies (after its place) but no document names them:
    not found, saying so — not another unit's tasks."""
    for question in ("示例海关牵头的是哪一项任务？完成时限是什么时候？", "示例市民政局要负责什么？"):
        reply = periods_engine.ask(question)
        assert not reply.found and "没有提到示例" in reply.answer, reply.answer
    assert periods_engine.ask("市应急管理局要负责什么？").found


def test_a_role_asked_in_another_part_does_not_narrow_the_tasks_counted(periods_engine) -> None:
    """"任务一共几项？有牵头的吗？": all the unit's tasks are counted (saying none is led); the documents are counted in
    the question's own measure word ("几个文件" → "1个文件")."""
    reply = periods_engine.ask("点到市应急管理局的任务一共几项？有它牵头的吗？")
    assert reply.found and "1项任务" in reply.answer and "不牵头" in reply.answer, reply.answer
    assert "1个文件" in periods_engine.ask("市应急管理局一共出现在几个文件里？").answer


@pytest.mark.parametrize(
    ("question", "clause", "reason"),
    [
        # the plan gives the period's total, no yearly figure
        ("十四五期间每年要造林多少万亩？", "全市计划完成造林面积58.6万亩", "每年"),
        ("要新建的12处森林防火检查站具体建在哪些乡镇？", "建设森林防火检查站12处", "地点"),  # the clause names no place
    ],
)
def test_an_amount_per_year_or_the_places_asked_are_not_the_total_or_the_count(
    periods_engine, question: str, clause: str, reason: str
) -> None:
    """A yearly amount is not answered by the period's total, nor "在哪些乡镇" by how many there are."""
    reply = periods_engine.ask(question)
    assert not reply.found, reply.answer
    hit = next(h for h in reply.hits if clause in periods_engine.index.records[h.record].text)
    assert reason in (periods_engine.judge.unsupported_reason(reply.question, hit) or "")


def test_a_note_giving_the_following_tasks_to_a_unit_once_for_all_is_part_of_its_tasks(periods_engine) -> None:
    """"以下均需各县（市）区政府落实，不再列出": the later notes do not name the unit, so its ledger alone undercounts;
    the reply about its tasks says so, with the document and the task the note stands under."""
    reply = periods_engine.ask("各县（市）区政府要落实哪些任务？")
    assert reply.found and "以下均需各县（市）区政府落实，不再列出" in reply.answer, reply.answer
    assert "扩大造林绿化面积" in reply.answer
    assert "不再列出" not in periods_engine.ask("市应急管理局要负责什么？").answer


def test_a_choice_of_amounts_the_clause_names_neither_of_is_not_answered(periods_engine) -> None:
    """"每季度一次还是每半年一次" offers two values; a clause saying only 定期 gives neither."""
    reply = periods_engine.ask("造林任务的督促检查是每季度一次还是每半年一次？")
    assert not reply.found, reply.answer
    assert periods_engine.ask("造林任务完成情况由谁督促检查？").found


def test_a_thing_named_in_the_documents_words_must_stand_in_the_answering_clause(periods_engine) -> None:
    """"森林防火管理办法修订什么时候完成" names the rules by their printed name; the clause naming them gives no date,
    and a dated clause about something else does not answer."""
    reply = periods_engine.ask("示例市森林防火管理办法修订，要求什么时候前完成？")
    assert not reply.found, reply.answer
    records = periods_engine.index.records
    dated = next(h for h in reply.hits if "全面建成森林防火管理制度体系" in records[h.record].text)
    naming = next(h for h in reply.hits if "修订完善示例市森林防火管理办法" in records[h.record].text)
    assert "森林防火管理办法" in (periods_engine.judge.unsupported_reason(reply.question, dated) or "")
    assert "森林防火管理办法" not in (periods_engine.judge.unsupported_reason(reply.question, naming) or "")


def test_items_named_one_by_one_after_ji_are_a_list(periods_engine) -> None:
    """"“三个统筹”，即A，B，C" lists three items set off by commas, not by 、."""
    reply = periods_engine.ask("规划里说的“三个统筹”具体指哪三个？")
    assert reply.found and "统筹城乡绿化" in reply.answer, reply.answer


def test_a_count_of_lead_units_is_answered_by_the_text_stating_it(periods_engine) -> None:
    """"涉及几个牵头单位" asks a count the notice states ("涉及8个牵头单位"), though that paragraph has no note."""
    reply = periods_engine.ask("林业发展规划一共涉及几个牵头单位？")
    assert reply.found and "8个" in reply.answer, reply.answer


def test_a_task_named_by_its_whole_heading_among_other_words(counts_engine) -> None:
    """"能源领域盘活存量资产谁牵头" holds the whole heading "（二）能源领域": retrieval prefers that item, not every
    clause about 盘活 (a heading of fewer than four characters names no task so)."""
    prefer = counts_engine._heading_bonus("能源领域盘活存量资产谁牵头")
    assert prefer is not None
    favoured = {r.section for r in counts_engine.index.records if prefer(r) > 0}
    assert favoured and all(s.endswith("能源领域") for s in favoured), favoured
    reply = counts_engine.ask("能源领域盘活存量资产谁牵头？")
    assert reply.found and reply.answer.startswith("市发展改革委"), reply.answer


def test_a_date_asked_of_the_upper_level_document_is_not_the_own_documents(answers_engine) -> None:
    """"北方省…行动方案是哪天印发的" asks about the province's document, which the gazette cites without a date: the
    city's own plan, whose card lists it as its basis, does not answer with its own date."""
    reply = answers_engine.ask("北方省城乡物流提升那个行动方案是哪天印发的？")
    assert not reply.found, reply.answer
    assert answers_engine.ask("城乡物流提升实施方案是哪天印发的？").found


def test_runs_of_one_length_are_all_names_the_clause_may_hold(periods_engine) -> None:
    """Two runs of the document's words of one length ("全市盘活存量资产", "盘活存量资产台账" in one question) are
    both what the question names: a clause holding either may answer, not only the first found."""
    doc_id = periods_engine.index.documents[0].doc_id
    runs = periods_engine.judge._named_runs("重点林区视频监控，造林任务完成情况", doc_id)
    assert set(runs) == {"重点林区视频监控", "造林任务完成情况"}


def test_an_indicators_values_carry_its_unit_as_a_reader_says_it(mini_engine) -> None:
    """A row "细颗粒物（PM2.5）浓度（μg/m³）" gives its values with the unit said as 微克/立方米, a share with %."""
    reply = mini_engine.ask("细颗粒物浓度2025年目标是多少？")
    assert reply.found and "30微克/立方米" in reply.answer, reply.answer
    assert "90%" in mini_engine.ask("空气质量优良天数比例2025年目标是多少？").answer


def test_a_units_one_task_with_a_figure_asked_besides_gives_the_figure(answers_engine) -> None:
    """"是不是只有我们一家负责？要改造多少公里？": the unit's one task, and the sentence of its clause that holds the
    figure asked besides (not only the clause's opening sentence)."""
    reply = answers_engine.ask("治理城区内涝是不是只有我们市住房城乡建设局一家负责？要改造多少公里管网？")
    assert reply.found and "治理城区内涝" in reply.answer and "50公里" in reply.answer, reply.answer


def test_a_count_of_a_units_tasks_comes_first_in_the_questions_measure(periods_engine) -> None:
    """"牵头的有几个" is answered with the count first ("共2个"), then the tasks."""
    reply = periods_engine.ask("市林业和草原局牵头的有几个？")
    assert reply.found and reply.answer.startswith("共2个"), reply.answer


def test_the_tasks_whose_notes_leave_a_unit_out(periods_engine) -> None:
    """"哪一项没有列我们": the document's tasks whose notes do not name the unit, each once — not the unit's own."""
    reply = periods_engine.ask("林业规划的任务里，哪一项没有列市应急管理局？")
    assert reply.found and "扩大造林绿化面积" in reply.answer and "完善林业投入机制" in reply.answer, reply.answer
    assert "加强森林防火" not in reply.answer


def test_a_generic_phrase_of_a_note_is_no_unit_and_names_no_document(periods_engine) -> None:
    """"重点领域牵头单位" in a note points at units without naming one: a question quoting it to leave it out is about
    the unit it names, across every document."""
    question = periods_engine.understand("市财政局牵头的任务一共几项（“重点领域牵头单位”这种泛称不算）？")[0]
    assert question.named_units == ("市财政局",) and question.intent.name == "unit_tasks"


def test_a_who_question_asking_the_deadline_in_its_next_clause_gets_the_notes_deadline(periods_engine) -> None:
    """"是谁牵头，完成时限是什么时候": two asking clauses in one sentence; the note's 完成时限 is given besides the
    units."""
    reply = periods_engine.ask("完善林业投入机制这条是谁牵头，完成时限是什么时候？")
    assert reply.found and "市财政局牵头" in reply.answer and "2025年12月底前" in reply.answer, reply.answer


def test_whether_a_unit_left_out_of_a_note_need_not_act_cites_the_note_covering_it(periods_engine) -> None:
    """A clause not naming the unit, in a document whose earlier note gives it the following tasks once for all: the
    reply says the clause does not list it, and quotes the note."""
    reply = periods_engine.ask("加强森林防火这条没写县区政府，是不是说各县（市）区政府不用落实？")
    assert reply.found and "以下均需各县（市）区政府落实，不再列出" in reply.answer, reply.answer


def test_a_day_asked_keeps_the_piece_of_a_long_sentence_stating_it(notices_engine) -> None:
    """"从哪天开始征求意见": a sentence too long to give whole is cut around the piece with the day ("自…5月10日起"),
    not around the words the question shares with the rest of it."""
    reply = notices_engine.ask("村庄清洁行动实施方案是从哪天开始公开征求意见的？")
    assert reply.found and "5月10日" in reply.answer, reply.answer


def test_a_time_limit_asked_prefers_the_close_hit_stating_one(notices_engine) -> None:
    """"在什么时间前发完": of two close hits holding a date, the one stating a limit ("4月27日前") is chosen over
    the one whose year only sets the context ("为做好2020年春季学期…")."""
    question = notices_engine.understand("第一批返校学校在什么时间前要发完防控手册？")[0]
    records = notices_engine.index.records
    found = notices_engine.ask(question.text).hits
    context = next(h for h in found if "春季学期" in records[h.record].text)
    limit = next(h for h in found if "4月27日前" in records[h.record].text)
    chosen = notices_engine.judge._choose(question, [context, limit])
    assert chosen is limit


def test_an_email_address_asked_is_found_in_the_named_documents_contact_line(cities12_engine) -> None:
    """"用哪个电子邮箱" of a document it names: the line "电子邮件:…" of that document, which the question's other words
    do not find; not a phone number of another document for a question naming none."""
    reply = cities12_engine.ask("向廊坊市农业农村局提人居环境整治五年行动方案的意见，走哪个电子邮箱？")
    assert reply.found and "lfsxmz@126.com" in reply.answer, reply.answer


def test_a_document_named_with_its_issuer_before_its_title_is_covered_by_both(notices_engine) -> None:
    """"<issuer>关于…的通知": the issuer's name counts towards naming the document whose title omits it."""
    judge = notices_engine.judge
    question = notices_engine.understand("示例市教育局关于印发防控手册的通知是哪天发的？")[0]
    [doc_id] = [d.doc_id for d in notices_engine.index.documents if d.title == "关于印发防控手册的通知"]
    assert judge._title_coverage(question, doc_id) >= notices_engine.policy.min_title_coverage


def test_a_value_asked_now_is_stated_by_the_value_reached_with_its_year(periods_engine) -> None:
    """"现在到底是多少" with the kind of figure named before it: the review's sentence giving the value reached in a
    year decides; a target ("到2025年…达到36%") or a question asking ahead does not."""
    judge = periods_engine.judge
    now = periods_engine.understand("听说咱们这儿森林覆盖的比例挺低的，现在到底是多少啊？")[0]
    ahead = periods_engine.understand("森林覆盖的比例将来要达到多少？")[0]
    reached = "森林覆盖率从2015年的31.8%提高到2020年的33.5%"
    assert judge.states_now(now, reached) and not judge.states_now(ahead, reached)
    assert not judge.states_now(now, "到2025年，全市计划完成造林面积58.6万亩，森林覆盖率达到36%")


def test_an_ordinal_is_no_figure_asked(notices_engine) -> None:
    """"增长多少" is not answered by "第12次常务会议通过"."""
    reply = notices_engine.ask("示例市2024年营商环境优化行动方案提出生产总值预期增长多少？")
    assert not reply.found, reply.answer


def test_a_quoted_heading_names_the_clause_whose_list_is_asked(notices_engine) -> None:
    """"“坚持高效便利”原则下要推行哪些制度": the quote is the item's own heading; its list stands further on."""
    reply = notices_engine.ask("营商环境方案在“坚持高效便利”原则下要积极推行哪些制度？")
    assert reply.found and "首问负责" in reply.answer, reply.answer


def test_which_ones_of_a_count_the_question_names_needs_them_listed(periods_engine) -> None:
    """"那18处…都是哪几处": the question names the count itself; the clause restating it ("新建…检查站18处") lists
    none of them."""
    reply = periods_engine.ask("十三五期间新建的那18处森林防火检查站，都是哪几处？")
    assert not reply.found and "没有列出" in reply.answer, reply.answer


def test_what_the_leading_group_does_does_not_say_which_unit_coordinates(periods_engine) -> None:
    """A first hit saying what the 领导小组 does names no unit: "哪个单位在张罗" is answered by the clause of the unit
    holding the group's office (履行…领导小组办公室职责)."""
    question = periods_engine.understand("林业规划这事，市里到底是哪个单位在张罗？")[0]
    records = periods_engine.index.records
    group = next(i for i, r in enumerate(records) if "领导小组对各县" in r.text)
    like = periods_engine.ask(question.text).hits[0]
    at = periods_engine.judge.coordinator(question, [periods_engine._hit_at(group, like)])
    assert question.intent.name == "lead" and at is not None and "办公室职责" in records[at].text
    # … put first also when the search found it below
    hits = [periods_engine._hit_at(group, like), periods_engine._hit_at(at, like)]
    assert periods_engine.judge.coordinator(question, hits) == at


def test_a_unit_introducing_the_asker_is_no_unknown_unit(periods_engine) -> None:
    """"县林业局同事问：…" names who asks: a body the corpus does not know there does not make the question
    unanswerable."""
    reply = periods_engine.ask("县林业局同事问：加强森林防火这条，除了林草局还有谁负责？")
    assert reply.found and "市应急管理局" in reply.answer, reply.answer


def test_a_county_named_without_a_further_suffix_is_a_place(periods_engine) -> None:
    """"沛县那边…是多少": a county whose two-character name ends in 县 is a place whatever follows it, when the corpus
    writes it so; the clause about the whole city does not answer for it."""
    question = periods_engine.understand("沛县那边森林覆盖率现在是多少？")[0]
    record = next(r for r in periods_engine.index.records if "森林覆盖率从2015年" in r.text)
    assert periods_engine.judge._missing_place(question, record.text, record.doc_id) == "沛县"


def test_a_clause_quoted_by_its_heading_is_the_one_cited(periods_engine) -> None:
    """"“健全森林防火制度”这一条，检查站要建多少处？" points at one clause by its heading; the clause whose other words
    match better (检查站12处) is another task, and the reply says the quoted one gives no such count."""
    reply = periods_engine.ask("规划里“健全森林防火制度”这一条，检查站要建多少处？")
    assert not reply.found, reply.answer
    assert "健全森林防火制度" in reply.citations[0].section, reply.citations[0].section


@pytest.mark.parametrize(
    ("question", "picked", "left_out"),
    [
        ("哪几份文件是2024年4月印发的？", "示政办发〔2024〕7号", "示政发〔2024〕3号"),  # by the month made
        ("哪份文件的落款日期是2024年3月1日？", "示政发〔2024〕3号", "示政办发〔2024〕7号"),  # by the day
        ("哪些文件是市政府办公室印发的？", "示政办发〔2024〕7号", "示政发〔2024〕3号"),  # by the issuer, place left out
    ],
)
def test_documents_picked_by_their_date_or_issuer(answers_engine, question: str, picked: str, left_out: str) -> None:
    reply = answers_engine.ask(question)
    assert reply.found and picked in reply.answer and left_out not in reply.answer, reply.answer


def test_no_document_of_the_month_asked_is_said_so(answers_engine) -> None:
    reply = answers_engine.ask("哪几份文件是2024年5月印发的？")
    assert "没有" in reply.answer and "〔2024〕" not in reply.answer, reply.answer


def test_an_asker_introducing_their_office_names_no_unknown_body(answers_engine) -> None:
    """"我们是县区政府办，…" says who asks: the question is about the drainage works, not about that office."""
    reply = answers_engine.ask("我们是县区政府办，城区排水管网改造什么时候完成？")
    assert reply.found and "2026年" in reply.answer, reply.answer


def test_a_unit_with_no_task_in_the_role_asked_whether_gets_its_other_tasks(answers_engine) -> None:
    """"有没有牵头的任务？" of a unit that only helps: none, and the tasks it has, not a clause about something else."""
    reply = answers_engine.ask("市农业农村局有没有牵头的任务？")
    assert reply.found and reply.answer.startswith("没有牵头的任务"), reply.answer
    assert "发展冷链物流" in reply.answer, reply.answer


def test_a_units_part_in_a_document_that_never_names_it_is_not_found(answers_engine) -> None:
    """The weather bureau has a task in the ecology plan only: what it does in the logistics plan is not stated."""
    reply = answers_engine.ask("市气象局在物流方案里负责哪一块？")
    assert not reply.found and "没有提到市气象局" in (reply.reason or ""), reply.answer


def test_quoted_examples_of_a_kind_need_only_one_in_the_clause(answers_engine) -> None:
    """"“冷链集配中心”“冷库”这类设施": examples of a kind; a clause naming one of them answers."""
    reply = answers_engine.ask("有没有“冷链集配中心”“冷库”这类设施的建设要求？")
    assert reply.found and "冷链集配中心" in reply.answer, reply.answer
    both = answers_engine.ask("“冷链集配中心”和“冷库”分别建几个？")  # each asked: the clause must hold both
    assert not both.found, both.answer


def test_the_list_of_a_counted_thing_asked_by_name_list_needs_that_many(answers_engine) -> None:
    """"10个监测站的具体名单" asks ten names; a clause listing two places does not give them."""
    reply = answers_engine.ask("10个空气质量自动监测站的具体名单有哪些？")
    assert not reply.found, reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("我家楼下的小锅炉房会不会被淘汰？", "35蒸吨"),
        ("小锅炉还让不让用？", "35蒸吨"),
        ("市里对烧烤店有啥新规定？", "入店经营"),
        ("露天烧烤以后还能摆吗？", "入店经营"),
    ],
)
def test_what_is_to_be_done_is_said_by_the_tasks_not_the_review(
    background_engine, question: str, expected: str
) -> None:
    """A resident asking what will happen is answered by the plan's task, though the review of the last period
    ("淘汰…小锅炉230台", "整治烧烤店120家") uses their words better."""
    reply = background_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("十三五期间整治了多少家烧烤店？", "120家"),
        ("现在全市有多少家餐饮门店？", "2100余家"),
        ("为啥一到冬天城区污染就重？", "燃煤小锅炉"),  # a cause is told among the problems
    ],
)
def test_how_things_stood_is_still_said_by_the_review(background_engine, question: str, expected: str) -> None:
    reply = background_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_a_day_asked_is_not_given_by_a_year(periods_engine) -> None:
    """"哪一天建成" asks a day; "到2025年，全面建成…" gives a year."""
    reply = periods_engine.ask("森林防火管理制度体系哪一天建成？")
    assert not reply.found and "日期" in (reply.reason or ""), reply.answer


@pytest.mark.parametrize(
    ("question", "what"),
    [("挥发性有机物减排500吨分别落在哪些县区？", "地点"), ("挥发性有机物减排指标表里由哪位同志负责？", "人名")],
)
def test_an_indicator_row_gives_no_place_or_name(mini_engine, question: str, what: str) -> None:
    """An indicator row holds figures: the places or the person asked of it are not there."""
    reply = mini_engine.ask(question)
    assert not reply.found and what in (reply.reason or ""), reply.answer


def test_a_document_whose_copy_lost_its_issuer_may_be_of_the_place_asked(cities13_engine) -> None:
    """A copy with only its 文号 (平政办〔2013〕11号) and text names no place: a question naming its city, and the year
    of its 文号 beside it, is not about another place or year."""
    reply = cities13_engine.ask("平顶山市2013年的重点工作里，新兴产业集群这块由哪个单位牵头？")
    assert reply.found and "市发改委" in reply.answer, reply.answer
    assert "《》" not in reply.answer  # no empty title in the reference


def test_a_traditional_copy_answers_a_question_in_simplified_characters(cities13_engine) -> None:
    """A copy printed in traditional characters (盤錦市人民政府辦公室) is read in simplified ones."""
    reply = cities13_engine.ask("盘锦市政府督考办的电子邮箱是什么？")
    assert reply.found and "pjzfdcs@163.com" in reply.answer, reply.answer


def test_a_five_year_period_spelled_out_is_the_period_asked(cities13_engine) -> None:
    """“十四五”规划 is the 第十四个五年规划 of the title: the quote is in the document."""
    reply = cities13_engine.ask("荆门市“十四五”规划纲要是在哪次会议上审议通过的？")
    assert reply.found and "九届五次" in reply.answer, reply.answer


def test_a_year_of_a_lists_lead_in_holds_for_its_items(cities13_engine) -> None:
    """"到2025年，…主要指标如下：" over "1.地区生产总值…3000亿元": the item speaks for 2025; its sentence, not its
    note, answers."""
    reply = cities13_engine.ask("荆门市到2025年地区生产总值要突破多少？")
    assert reply.found and "3000亿元" in reply.answer, reply.answer


def test_a_place_and_year_before_a_question_name_no_thing(cities13_engine) -> None:
    """"常熟市2018年…" is where and when, not a thing the clause must name."""
    reply = cities13_engine.ask("常熟市2018年一共分解出多少项工作任务？")
    assert reply.found and "138项" in reply.answer, reply.answer


def test_a_contact_named_under_its_label_answers_who_to_call(cities13_engine) -> None:
    """"联系人:孟军,电话:6552711": a name under its label and a local number under its own."""
    reply = cities13_engine.ask("金乡县农村一二三产业融合兴村强县示范行动项目申报，联系人是谁，电话多少？")
    assert reply.found and "孟军" in reply.answer and "6552711" in reply.answer, reply.answer


def test_twice_a_year_answers_how_often(cities13_engine) -> None:
    """"分两次进行全面督查" states how often."""
    reply = cities13_engine.ask("泰安市政府督查室一年全面督查几次？")
    assert reply.found and "分两次" in reply.answer, reply.answer


def test_a_clause_saying_which_listed_unit_leads_answers_who_leads(cities13_engine) -> None:
    """"排名第一的责任单位为牵头单位" says who leads when several units are listed: that clause answers, not the
    paragraph of the whole document's work."""
    reply = cities13_engine.ask("鄂州那份分解落实意见规定，一项工作有几个责任单位时哪个算牵头？")
    assert reply.found and "排名第一的责任单位为牵头单位" in reply.answer, reply.answer


def test_a_clause_named_by_its_heading_lists_what_the_heading_names(background_engine) -> None:
    """"规划里的餐饮领域具体指哪些门店": the question holds the heading 餐饮领域 whole; that clause's list ("主要包括
    火锅店、小吃店…") answers, though its heading sentence, not its list, repeats the question's words — and a list of
    other things in a clause sharing more words ("在线监测、视频巡查…提升餐饮油烟治理水平") does not."""
    reply = background_engine.ask("大气污染防治规划里的餐饮领域具体指哪些门店？")
    assert reply.found and "火锅店、小吃店" in reply.answer, reply.answer


def test_a_numbered_paragraph_of_a_notice_says_its_first_sentence(cities14_engine) -> None:
    """"二、责任分解中，列第一位的责任单位为牵头单位或汇总单位。各牵头单位…": a notice's numbered paragraph heads no
    section; its first sentence is what it says, not a heading restating the question."""
    reply = cities14_engine.ask("杭州市政府办公厅那份责任分解说，列在最前面的责任单位是什么单位？")
    assert reply.found and "牵头单位或汇总单位" in reply.answer, reply.answer


def test_a_lead_leader_is_a_person_under_his_label(cities14_engine) -> None:
    """"牵头领导是哪位" asks the name under "牵头领导:", not the lead unit."""
    reply = cities14_engine.ask("海城市固定资产投资这项的牵头领导是哪位？")
    assert reply.found and "刘兴达" in reply.answer, reply.answer


def test_the_year_a_preamble_or_a_sections_opening_sets_holds_for_what_follows(cities15_engine) -> None:
    """"现就2013年……提出责任分工意见如下：" opens a document whose items name no year; "到2020年，全面建成……" opens
    the targets under it. A question naming that year is answered from an item, not refused for lacking it."""
    reply = cities15_engine.ask("黑龙江2013年的重点工作里，省级重点产业项目要抓多少个？")
    assert reply.found and "600个" in reply.answer, reply.answer
    reply = cities15_engine.ask("镇江的养老服务实施意见，到2020年护理型床位要占多大比例？")
    assert reply.found and "50%" in reply.answer, reply.answer


def test_a_year_before_a_documents_title_words_names_the_document(cities15_engine) -> None:
    """"湖北2018年优化营商环境的意见": 2018 is the year of the document's 文号, said before its title's words; its
    clauses need not state it."""
    reply = cities15_engine.ask("湖北2018年优化营商环境的意见要把湖北建成哪几个新高地？")
    assert reply.found and "三个新高地" in reply.answer, reply.answer


def test_a_monthly_limit_a_typed_day_and_a_monthly_frequency_answer_when(cities15_engine) -> None:
    """"每月25日前" answers by when; "3月18曰" (a copy's typo) names a day; "按月公开" says how often."""
    reply = cities15_engine.ask("长宁区重点工作目标的完成情况每个月最晚什么时候报？")
    assert reply.found and "25日前" in reply.answer, reply.answer
    reply = cities15_engine.ask("吴堡县沿黄公路哪天开始封路？")
    assert reply.found and "3月18" in reply.answer, reply.answer
    reply = cities15_engine.ask("潍坊2017年政务公开方案里，财政收支情况隔多久公开一次？")
    assert reply.found and "按月" in reply.answer, reply.answer


def test_a_units_role_in_things_named_by_their_own_noun(real_engine) -> None:
    """"作为牵头单位的重点领域有哪几个" asks the unit's tasks it leads; "只是责任单位、不牵头" asks the others."""
    reply = real_engine.ask("市发展改革委在盘活存量资产方案里作为牵头单位的领域有哪几个？")
    assert reply.found and "交通运输领域" in reply.answer and "农林水利设施领域" not in reply.answer, reply.answer
    reply = real_engine.ask("盘活存量资产方案里，哪些领域市发展改革委只是责任单位、不牵头？")
    assert reply.found and "农林水利设施领域" in reply.answer and "交通运输领域" not in reply.answer, reply.answer


def test_a_copy_without_year_or_issuer_may_be_of_the_year_asked(cities11_engine) -> None:
    """A task table whose copy prints neither title, issuer nor year: "略阳县2019年…" may be its year as its place, and
    the reply names the document by its id, not by an empty 《》."""
    reply = cities11_engine.ask("略阳县2019年的文化旅游任务，一年要接待多少游客？")
    assert reply.found and "140万人次" in reply.answer, reply.answer
    assert "《》" not in reply.answer and "（，" not in reply.answer and "lueyang" in reply.answer, reply.answer


def test_an_item_is_named_by_the_heading_paragraph_it_stands_under(cities8_engine) -> None:
    """"二、…新建中小学标准化食堂100所" heads "（四）以农村中小学为重点，新建标准化食堂100所。（责任单位：…）": a
    question naming the task in the heading's words is answered from the item and its note."""
    reply = cities8_engine.ask("青政发〔2019〕1号里，新建100所中小学标准化食堂由哪些单位负责？")
    assert reply.found and "市市场监管局" in reply.answer, reply.answer


def test_a_year_before_the_title_words_of_a_document_without_a_year(cities8_engine) -> None:
    """"襄阳市2018年出的…优化营商环境实施方案": the copy gives the plan no year; the year said before its title's
    words names it, and the documents it rests on answer."""
    reply = cities8_engine.ask("襄阳2018年的优化营商环境实施方案是为落实湖北省的哪份文件？")
    assert reply.found and "湖北省人民政府关于进一步优化营商环境的若干意见" in reply.answer, reply.answer


def test_a_task_table_row_without_a_number_gives_no_amount(cities11_engine) -> None:
    """A task table with no period columns states its numbers in the task's words ("不少于100场"): a row whose task
    holds none ("完成…修缮项目方案设计") does not say how much the work costs."""
    reply = cities11_engine.ask("略阳县那份任务表里，灵岩寺摩崖石刻修缮要投入多少万元？")
    assert not reply.found, reply.answer
    reply = cities11_engine.ask("略阳县2019年的惠民演出一年至少要演多少场？")
    assert reply.found and "100场" in reply.answer, reply.answer


def test_a_leader_under_his_label_and_a_place_the_issuer_does_not_name(cities16_engine) -> None:
    """"分管省领导：林克庆" under an item is the person asked for; a document issued by "省人民政府" (no place in the
    name) may be of the province a question names."""
    reply = cities16_engine.ask("粤府〔2021〕22号里固定资产投资增长那一项，分管的省领导是谁？")
    assert reply.found and "林克庆" in reply.answer, reply.answer
    reply = cities16_engine.ask("湖北省优化营商环境的若干意见里，提高市场开放程度由哪个部门牵头？")
    assert reply.found and "省发展改革委" in reply.answer, reply.answer


def test_a_documents_own_name_is_no_thing_its_clause_must_hold(cities16_engine) -> None:
    """"森林防火禁火通告" names the document (its title's words but for 的): the part on the dates answers."""
    reply = cities16_engine.ask("化州的森林防火禁火通告，禁火从哪天开始到哪天结束？")
    assert reply.found and "2024年9月30日" in reply.answer, reply.answer



def test_a_county_has_the_task_given_to_every_county(shares_engine) -> None:
    """A task and time limit given to "各县（市）区" hold for a county the city's documents name; not for one they
    never name, and a city-wide target is no county's figure."""
    named = shares_engine.ask("北河县的农村生活垃圾收运处置体系最晚什么时候要建成？")
    assert named.found and "2025年底前" in named.answer, named.answer
    unknown = shares_engine.ask("西山县的农村生活垃圾收运处置体系最晚什么时候要建成？")
    assert not unknown.found, unknown.answer
    figure = shares_engine.ask("北河县的农村生活污水治理率要达到多少？")
    assert not figure.found, figure.answer


def test_whether_my_own_village_is_counted_is_not_said(shares_engine) -> None:
    """A count ("建成美丽乡村30个") names none of them: whether the asker's village is one is not answered."""
    reply = shares_engine.ask("说要建成30个美丽乡村，我们村在不在里面？")
    assert not reply.found and "名单" in reply.answer, reply.answer


def test_the_items_a_count_stands_for_are_not_listed(shares_engine) -> None:
    reply = shares_engine.ask("农村人居环境整治里，美丽乡村具体列了哪几个村？")
    assert not reply.found, reply.answer


def test_a_units_own_part_of_a_joint_task(shares_engine) -> None:
    """A note giving a task to several units says nothing of each one's part; a sentence naming a unit's part does."""
    joint = shares_engine.ask("整治村庄环境这项，市农业农村局具体负责哪一块？")
    assert not joint.found and "具体分工" in joint.answer, joint.answer
    own = shares_engine.ask("垃圾收运体系建设中，市城市管理局具体负责哪一块？")
    assert own.found and "督导检查" in own.answer, own.answer


def test_a_year_holds_for_the_sentences_after_it(shares_engine) -> None:
    """"到2026年，…普及率达到90%…。农村生活污水治理率达到45%。": the rate is the 2026 target as much as the
    sentence naming the year; the one holding what is asked answers."""
    reply = shares_engine.ask("到2026年，农村生活污水治理率要到多少？")
    assert reply.found and "45%" in reply.answer.split("（《")[0], reply.answer


def test_a_document_without_a_title_is_named_by_its_number_in_its_date(cities17_engine) -> None:
    """A 批复 whose copy prints its 文号 but no title: "哪天印发" names it by its 文号, not by an empty 《》."""
    reply = cities17_engine.ask("弋府字〔2015〕23号的成文日期是哪天？")
    assert reply.found and "2015年3月3日" in reply.answer, reply.answer
    assert "《》" not in reply.answer, reply.answer


def test_a_notice_without_title_is_about_what_its_preamble_says(shares_engine) -> None:
    """A 通告 whose copy lost its title says what it is about in its preamble ("决定…实施长江流域重点水域禁捕工作"):
    a question naming that is about each of its parts; asked when, the part headed by its time answers."""
    reply = shares_engine.ask("东河县长江流域重点水域禁捕从哪天开始，到哪天结束？")
    assert reply.found and "2025年3月1日起" in reply.answer, reply.answer
    assert "《》" not in reply.answer


def test_each_part_of_a_question_asking_two_figures_is_answered(shares_engine) -> None:
    """"A率要到多少？B率呢？": the part asking by its 呢 asks what the part before it asked; the reply gives both
    figures, each from its own sentence, in the question's order."""
    reply = shares_engine.ask("农村卫生厕所普及率要到多少？农村生活污水治理率呢？")
    body = reply.answer.split("（《")[0]
    assert reply.found and "90%" in body and "45%" in body, reply.answer
    assert body.index("90%") < body.index("45%")


def test_a_rate_named_with_its_figure_answers(shares_engine, real_engine) -> None:
    """The rate the question names stands in the best sentence with its percentage ("秸秆利用率要多少" ~ "秸秆综合利用率
    稳定在86%以上"): answered, however little else of the short question the clause repeats; a rate no clause gives
    is not."""
    reply = real_engine.ask("秸秆的利用率要多少？")
    assert reply.found and "86%" in reply.answer, reply.answer
    other = shares_engine.ask("垃圾分类覆盖率要求多少")
    assert not other.found, other.answer
    assert states_asked_rate("厕所普及率要求多少", "农村卫生厕所普及率达到90%")
    assert not states_asked_rate("厕所普及率要求多少", "农村生活污水治理率达到45%")  # another rate
    assert not states_asked_rate("秸秆利用率要求多少", "化肥农药利用率达到43%以上")  # the same word, another thing


def test_one_lead_only_and_who_else_is_responsible(shares_engine) -> None:
    """"牵头单位是不是只有X一家？责任单位是谁？" of a task X leads alone: the task, and who is responsible with X."""
    reply = shares_engine.ask("整治村庄环境这项，牵头单位是不是只有水务局一家？责任单位是谁？")
    assert reply.found and "整治村庄环境" in reply.answer, reply.answer
    assert "市卫生健康委" in reply.answer and "市农业农村局" in reply.answer, reply.answer


def test_a_sum_asked_of_a_task_row_without_one_is_not_found(cities17_engine) -> None:
    """A progress table's row counts what it builds ("新建建筑垃圾中转站8个") and states no amount: asked what the
    project costs, the reply is not found — a count is no sum of money."""
    reply = cities17_engine.ask("崇川区新建建筑垃圾中转站这个项目要花多少钱？")
    assert not reply.found, reply.answer


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "expected"),
    [("重点管控单元占全市国土面积的比例是多少？", "25.53%"), ("一般管控单元占了全市国土面积的多少？", "30.27%")],
)
def test_a_figure_only_the_review_states_is_answered(real_engine, question: str, expected: str) -> None:
    """A share of the land only the review of the last period states ("重点管控单元24个，占全市国土面积的25.53%"),
    though the search ranks it first: put behind the tasks ahead (which name the same units with no share), it still
    answers when none of them can."""
    reply = real_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_a_row_of_another_indicator_does_not_answer(values_engine) -> None:
    """A question naming one indicator of a table (臭氧浓度, its 2020 value left blank) is not answered by another row
    of the table that gives a 2020 value (细颗粒物浓度); a row whose 2020 value is given answers."""
    question = "臭氧浓度2020年的基数是多少？"
    analysed, _, _ = values_engine.understand(question)
    index = values_engine.index
    [other] = [i for i, r in enumerate(index.records) if r.kind == "table_row" and r.text.startswith("细颗粒物")]
    [first] = values_engine.ask(question).hits[:1]
    reason = values_engine.judge.unsupported_reason(analysed, replace(first, record=other))
    assert reason is not None and "臭氧" in reason, reason
    assert not values_engine.ask(question).found
    given = values_engine.ask("城市污水集中收集率2020年的基数是多少？")
    assert given.found and "62" in given.answer, given.answer


def test_a_date_is_not_taken_from_the_next_task_of_the_clause(values_engine) -> None:
    """"推进示例特钢公司节能改造。推进水泥、焦化行业超低排放改造，到2025年，…": the year is the next task's; asked when
    the first is due, the reply is not found. Asked of the task the year belongs to, it answers."""
    undated = values_engine.ask("示例特钢公司节能改造要求哪一年完成？")
    assert not undated.found, undated.answer
    dated = values_engine.ask("水泥熟料产能超低排放改造哪一年完成？")
    assert dated.found and "2025年" in dated.answer, dated.answer


def test_a_person_in_a_post_no_clause_names_is_not_found(values_engine) -> None:
    """"方案解读的新闻发言人是谁" asks for a person: a clause about the press conference names none."""
    reply = values_engine.ask("这个节能减排方案解读的新闻发言人是谁？")
    assert not reply.found, reply.answer


def test_an_items_first_sentence_past_its_heading_holds_the_figures(values_engine) -> None:
    """"1.抓好…60个市级重点项目，总投资320.5亿元，年度计划投资88.6亿元。" — its heading is the words before the
    first comma, but the sentence goes on with the figures: it is ranked with the others, not dropped as a restated
    heading."""
    reply = values_engine.ask("60个市级重点项目的总投资和年度计划投资各是多少？")
    assert reply.found and "320.5亿元" in reply.answer and "88.6亿元" in reply.answer, reply.answer


def test_who_punishes_is_said_by_the_body_a_sentence_names(values_engine) -> None:
    """No responsibility note, but the sentence names who acts ("由公安机关依法予以处罚"): a 机关 is a body."""
    reply = values_engine.ask("阻碍节能监察执法的人由谁来处罚？")
    assert reply.found and "公安机关" in reply.answer, reply.answer
