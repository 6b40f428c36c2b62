"""Question intents, one table row each: what a question is recognised as, with and without the corpus' units."""

from __future__ import annotations

import pytest

from qa_bot.answer.engine import looks_like_follow_up
from qa_bot.answer.intents import INTENTS
from qa_bot.answer.question import ASKED_VALUES, CorpusFacts, analyse

UNITS = CorpusFacts(
    units=(
        "中国邮政集团有限公司示例市分公司",
        "人民银行示例市中心支行",
        "市发展改革委",
        "市邮政管理局",
        "市公安局",
        "市商务局",
        "市供销社",
    ),
    title_terms=("城乡物流提升", "空气质量提升"),
)


ROWS = [
        ("本期公报是哪一年第几期？", "gazette"),
        ("本期公报里成文日期最晚的是哪一份文件？", "doc_compare"),
        ("城乡物流提升实施方案依据的是省里哪个文件，文号是多少？", "basis"),
        ("示政办发〔2024〕7号所贯彻的省政府文件文号是什么", "basis"),
        ("城乡物流方案对应的省政府通知文号是多少", "basis"),
        ("支持村级物流服务站建设要按省里哪个文件？", "basis"),
        ("城乡物流方案的通知里引用了哪个考核办法？文号多少", "basis"),
        ("城乡物流提升实施方案的文号是什么", "doc_no"),
        ("城乡物流提升实施方案从哪天起施行？", "in_force"),
        ("城乡物流提升实施方案什么时候废止", "expires"),
        ("城乡物流提升实施方案是市政府还是市政府办公室印发的？", "issuer"),
        ("城乡物流提升实施方案是哪个机构发布的？", "issuer"),  # any word for the issuing body
        ("城乡物流提升实施方案是哪一日印发的", "doc_date"),
        ("突发环境事件应急预案是哪天印发的？", "doc_date"),  # a 预案 is a document too
        ("户外广告设置管理规定是哪一天颁布的？", "doc_date"),  # 颁布 issues a document as 印发 does
        ("示例市人民政府令第3号是哪一天公布的？", "doc_date"),  # … and 公布 a government order
        ("示例市人民政府印发城乡物流提升实施方案是在哪一天？", "doc_date"),  # without a comma before the ask
        ("这份应急预案的落款单位全称是什么？", "issuer"),  # the body signing it
        ("城乡物流提升实施方案主送哪些单位", "addressees"),
        ("城乡物流提升实施方案还发给了哪些单位？", "addressees"),
        ("城乡物流提升实施方案是否公开发布", "publicity"),
        ("示政办发〔2024〕7号是谁签发的", "signer"),
        ("示政办发〔2024〕7号是关于什么的文件？", "doc_topic"),
        ("市邮政管理局牵头哪些工作？", "unit_tasks"),
        ("我们市商务局在哪些文件里有任务", "unit_tasks"),
        ("我们市商务局只在哪两个文件里有分工？", "unit_tasks"),  # which documents, counted in the question
        ("这期公报给我们市供销社安排了什么工作？", "unit_tasks"),
        ("市供销社在物流方案里被安排了什么？", "unit_tasks"),  # a passive asking what was assigned
        ("市发展改革委牵头的事一共有几项？", "unit_tasks"),  # a count of a unit's tasks
        ("市商务局牵头的是哪几项？", "unit_tasks"),
        ("市商务局在物流方案里摊到的是哪方面的事？", "unit_tasks"),  # any verb assigning a task, any asking word
        ("市商务局在物流方案里需要落实什么？", "unit_tasks"),
        ("市商务局在物流方案里有分工吗？分到哪些？", "unit_tasks"),
        ("物流方案里哪件事把市商务局列进去了？", "unit_tasks"),
        ("市商务局有没有被分到任务？是哪项？", "unit_tasks"),  # "是哪项" after the task asked about
        ("我们市商务局作为牵头单位的重点领域有哪几个？", "unit_tasks"),  # the things it leads, by their own noun
        ("物流方案里哪些环节市商务局只是责任单位？", "unit_tasks"),
        ("城乡物流提升实施方案啥时候印发的", "doc_date"),  # spoken 啥 is 什么
        ("物流提升这块主要靠哪两个部门统筹", "units"),  # 哪两个部门 asks units as 哪些部门 does
        ("物流方案里市商务局牵头的有几个？", "unit_tasks"),  # a count of its lead tasks, not of units
        ("公安部门要配合做什么？", "unit_tasks"),  # units named by their kind
        ("市发展改革委在这个方案里牵头哪几块？", "unit_tasks"),
        ("有没有哪条是只写了我们市商务局一家负责的？", "unit_tasks"),  # tasks no other unit shares
        ("市商务局在哪几个文件里有任务", "unit_tasks"),
        ("市发展改革委的任务里哪些有完成时限", "unit_tasks"),
        ("市供销社在物流方案里涉及几项任务", "unit_tasks"),
        ("市公安局被列为责任单位的任务，所有文件加起来一共有几条", "unit_tasks"),
        ("我们市商务局的任务里，哪些是卡了完成时间的", "unit_tasks"),  # the asking part narrows the unit's tasks
        ("市公安局在物流方案里被列了几项？", "unit_tasks"),  # listed (被列) is assigned
        ("市公安局这期公报里有没有牵头任务？", "unit_tasks"),  # whether it has any is which it has
        ("市商务局在物流方案里牵头哪几个重点领域？", "unit_tasks"),  # a field of work asked with its qualifier
        ("物流方案的任务里，哪一项没有列我们市商务局？", "unit_tasks"),  # the tasks that leave it out
        ("冷链物流那条，跟我们一起负责的是谁？", "units"),  # who shares it
        ("物流金融服务的责任单位里，一共列了几个市直单位？", "units"),  # units counted by their level
    ("市公安局在这期公报里一共出现了几次？", "unit_tasks"),  # how often it is named is its tasks counted
    ("物流方案里也有市供销社，是哪一条？", "unit_tasks"),  # which clause names it
        ("物流方案是在哪一天召开的常务会议上通过的？", "deadline"),  # 哪一天 asks when as 哪天 does
        ("市供销社这期被安排了几项活儿？", "unit_tasks"),  # a count of its tasks in any words
        ("我们市商务局在物流方案里有几项？", "unit_tasks"),  # the count ending the question
        ("市商务局在本期有没有当牵头单位的任务？", "unit_tasks"),
        ("物流方案里有没有给公安部门安排的事？", "unit_tasks"),
        ("冷链物流这事，市里是哪个单位在张罗？", "lead"),  # 在张罗 as 张罗
        ("物流金融服务这项，除了市发展改革委，还有哪些单位负责？", "exclusion"),
        ("物流金融服务有哪些金融部门参与？", "unit_kind"),
        ("市公安局是物流金融服务的责任单位吗", "unit_check"),
        ("物流金融服务那条，市公安局是牵头还是配合", "unit_check"),  # a role choice, not who leads
        ("冷链物流谁牵头", "lead"),
        ("冷链集配中心归哪个部门管", "lead"),
        ("冷链物流有哪些责任单位", "units"),
        ("冷链物流各责任单位最晚什么时候报告进展？", "deadline"),  # asks when, not which units
        ("冷链物流责任单位多久要向市政府报一次进展？", "deadline"),  # how often, not which units
        ("冷链物流都有哪几家负责？", "units"),  # 哪几家 counts bodies without naming their kind
        ("挥发性有机物减排量是约束性指标吗", "table"),
        ("排水管网改造什么时候完成", "deadline"),
        ("排水管网要改造多少公里", "figure"),
        ("每个服务站要配几组快件箱？", "figure"),  # 几 with any measure word asks a number
        ("冷链物流要做哪些事", "content"),
        ("要改造的开发区是哪几个", "content"),  # a list, not a number
]


@pytest.mark.parametrize(("question", "intent"), ROWS)
def test_intent(question: str, intent: str) -> None:
    assert analyse(question, UNITS).intent.name == intent


def test_every_intent_has_a_row_above() -> None:
    """A new intent comes with its test row: every intent of the table is exercised by test_intent."""
    tested = {intent for _, intent in ROWS}
    assert {i.name for i in INTENTS} <= tested


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("市气象局局长叫什么名字", "person"),
        ("服务站的联系电话是多少", "phone"),
        ("示范县具体设在哪个县", "place"),
        ("补贴标准是每件多少元", "money"),
        ("减排量是多少万吨", "count"),
        ("优良天数比例要达到多少", "share"),
        ("“三个短板”具体指哪三个方面", "items"),
        ("科技馆开放时间是几点", "hours"),
        ("预警短信发到哪个号码", "phone"),
        ("市信息办的电子邮箱是哪个", "email"),
        ("第一批试点项目都有哪些？能说说名字吗？", "items"),
        ("试点项目是哪几个？", "items"),
        ("造林任务分到各县区分别是多少", "breakdown"),
        ("各乡镇分别要建几个服务站", "breakdown"),
        ("服务站的负责人叫啥", "person"),
        ("寄一件补几毛钱", "money"),  # money counted in 毛, 块钱, 角钱
        ("服务站的地址在哪", "place"),
        ("执行中碰到问题要反馈给谁？", "recipient"),  # whom something goes to
        ("承诺书要推送到哪个平台？", "recipient"),  # … or the platform it is pushed to
        ("规范性文件的有效期最长是几年？", "duration"),  # a length of time, which a calendar year does not give
        ("一共改了5件规章，另外4件是哪几个规章？", "items"),  # any kind of document or rule listed
        ("市科协现在的主席是谁", "person"),  # the holder of a post
        ("雷达准备建在市里哪个位置", "place"),  # a site, with words between the verb and the ask
        ("市生态环境局在哪办公", "place"),
        ("说要建1个示范县，这个示范县具体定的是哪个？", "place"),  # the place named first, asked by a last 哪个
        ("方案要报哪个部门审核", "recipient"),  # whom it goes to, without 给/到
        ("这期公报的主编是谁？", "person"),  # an editor's post
        ("纲要保障经费依据的是哪两部法规？", "law"),  # the laws a text follows, by their titles
        ("港口一天进出多少辆大货车？", "count"),
        ("不烧煤取暖的到2025年能占多少？", "share"),  # what part of the whole
        ("台账里具体列了哪几个农场？", "items"),  # the things a list names, by their noun
        ("市商务局在这项任务里具体负责哪一块？", "share_of_work"),  # one unit's part of a joint task
        ("农业农村局在这项工作中具体承担哪部分？", "share_of_work"),
        ("说要建200个示范村，我们村在不在里面", "membership"),  # whether the asker's own place is one counted
        ("补贴名单包括我家吗", "membership"),
    ],
)
def test_asked_values(question: str, asked: str) -> None:
    assert asked in {v.name for v in analyse(question).asks}


def test_vehicles_coming_and_going_are_no_sum_of_money() -> None:
    """"进出多少辆": 出多少 asks money only when no counted measure follows it."""
    assert "money" not in {v.name for v in analyse("港口一天进出多少辆大货车？").asks}
    assert "money" in {v.name for v in analyse("这笔补助市里出多少？").asks}


def test_a_few_before_ma_asks_whether_not_how_many() -> None:
    """"会往乡镇多放几个吗": 几个 right before 吗 is "a few"; the question asks whether, not a count."""
    question = analyse("人工增雨的作业点会往乡镇多放几个吗？", UNITS)
    assert question.intent.name != "figure" and "count" not in {v.name for v in question.asks}
    assert "count" in {v.name for v in analyse("人工增雨的作业点要在乡镇放几个？", UNITS).asks}


def test_values_held_as_other_places_print_them() -> None:
    """A name under its label or beside its post ("联系人:田英才", "市长:董伟", "朱伟县长牵头"), a local phone number
    under its label ("电话:6552712"), a check done "分两次", the laws a text follows in 《》."""
    values = {v.name: v.holds for v in ASKED_VALUES}
    person, phone, frequency, law = values["person"], values["phone"], values["frequency"], values["law"]
    assert person is not None and phone is not None and frequency is not None and law is not None
    for text in ("联系人:田英才,电话:6552712", "市长:董伟", "一、朱伟县长牵头重点工作", "牵头领导:刘 哲"):
        assert person.search(text), text
    for text in ("由市长主持，各副市长分工负责", "落实到市长、各位副市长", "分管副市长负责", "常务副市长主持"):
        assert not person.search(text), text
    assert person.search("张三副市长主持")
    assert phone.search("联系人:田英才,电话:6552712") and not phone.search("编号6552712")
    assert frequency.search("市政府督查室在上半年结束时和年终分两次进行全面督查")
    assert law.search("按照《中华人民共和国科学技术普及法》有关规定") and not law.search("按照有关法律法规")


@pytest.mark.parametrize(
    "question",
    [
        "盘活资金可以用在哪些地方",
        "调查评估要在哪年完成",
        "哪几个部门负责冷链物流",
        "市里办的技能大赛叫啥名",
        "办公室设在哪个单位",
        "快递不按地址送还乱收钱，管不管",  # an address the parcel goes to is not asked for
        "这个行动一共分几块？",  # parts, not money
        "规划期是哪几年？",  # which years, no length of time
        "十四五这几年能耗要降多少？",  # "these few years" asks nothing
        "居民消费价格涨幅的控制目标是多少？",  # a price index's rise is a share, not money
    ],
)
def test_words_that_only_look_like_asked_values(question: str) -> None:
    """"在哪年" asks a year, not a place; "哪几个部门" asks for the units, not a count; a contest's name is no
    person's; "设在哪个单位" asks a body, not a place."""
    asks = {v.name for v in analyse(question, UNITS).asks}
    assert not {"place", "count", "person", "money", "duration"} & asks


def test_a_count_of_households_is_no_sum_of_money() -> None:
    money = next(v for v in ASKED_VALUES if v.name == "money")
    assert money.holds is not None
    assert not money.holds.search("已完成2.4万户散煤替代，造林63.25万亩")
    assert money.holds.search("安排补贴资金5000万，每户补贴2000元")


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("我们市商务局是冷链物流的牵头单位，这项工作要在哪年完成？", "deadline"),
        ("市公安局负责的那项排水管网改造，一共要改造多少公里？", "figure"),
        ("冷链集配中心我们市供销社要配合，准备建在哪里？", "content"),
        ("冷链物流，哪个单位牵头？", "lead"),
        ("冷链物流这项，还有哪些单位负责？", "units"),
    ],
)
def test_the_asking_part_decides(question: str, intent: str) -> None:
    """The asker's context ("我们局是牵头单位，…") does not turn a question about a deadline or a figure into a
    who-question; the part holding the question word decides when it is a question by itself."""
    assert analyse(question, UNITS).intent.name == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("国务院关于落实《政府工作报告》重点工作部门分工的意见，文号是什么？", "doc_no"),
        ("城乡物流提升实施方案是何日印发的？", "doc_date"),
    ],
)
def test_words_of_a_title_are_not_cues(question: str, intent: str) -> None:
    """"落实《…》" inside a title the question names is not a question about the documents it rests on."""
    assert analyse(question, UNITS).intent.name == intent


@pytest.mark.parametrize(
    "question",
    ["物流方案要求各牵头单位按什么要求加强组织领导？", "冷链物流这项的牵头领导是哪位？"],
)
def test_every_lead_and_a_lead_leader_ask_no_lead_unit(question: str) -> None:
    """"各牵头单位要…" names every lead unit, and a 牵头领导 is a person: neither asks which unit leads."""
    assert analyse(question, UNITS).intent.name != "lead"


def test_which_number_an_order_has_is_asked_of_a_document_the_corpus_holds() -> None:
    """"《X》是第几号省政府令" asks the 文号 of X when X is one of the documents; of a rule a text only cites ("被…废止
    的《Y》最初是以第几号令公布的") it does not, and it asks no day (第几号 is no 几号)."""
    facts = CorpusFacts(units=UNITS.units, titles=("示例省地震安全性评价管理办法",))
    assert analyse("《示例省地震安全性评价管理办法》是第几号省政府令？", facts).intent.name == "doc_no"
    cited = analyse("被第273号令废止的《示例省人工影响天气管理办法》最初是以第几号省政府令公布的？", facts)
    assert cited.intent.name not in ("doc_no", "deadline")


def test_a_titles_own_verb_is_no_cue() -> None:
    """"分解落实…目标任务的通知，文号是什么": the 落实 of a title the question repeats (without 《》) asks nothing about
    the documents it rests on."""
    title = "示例市人民政府关于分解落实2007年政府工作报告目标任务的通知"
    facts = CorpusFacts(units=UNITS.units, titles=(title,))
    assert analyse("示例市分解落实2007年政府工作报告目标任务的通知，文号是什么？", facts).intent.name == "doc_no"
    assert analyse("这份通知落实的是上级哪个文件？", facts).intent.name == "basis"


def test_a_condition_asks_nothing() -> None:
    """"要是哪个县没完成，会怎么处理？" asks what happens, not which county: a conditional part asks no value."""
    assert "place" not in {v.name for v in analyse("要是哪个县没完成排水管网改造，会怎么处理？", UNITS).asks}
    assert "place" in {v.name for v in analyse("示范县具体设在哪个县？", UNITS).asks}


def test_a_space_typed_between_parts_sets_off_a_condition() -> None:
    """A phone's space instead of a comma ("哪个县区要是资产一直闲着 咋办"): the conditional part still asks nothing,
    and what follows asks what happens."""
    assert "place" not in {v.name for v in analyse("哪个县区要是资产一直闲着 咋办", UNITS).asks}
    assert "place" not in {v.name for v in analyse("哪个县区的资产一直闲着 咋办", UNITS).asks}
    assert "place" in {v.name for v in analyse("哪个县区 建了示范点", UNITS).asks}


def test_whether_a_task_has_one_lead_only() -> None:
    """"牵头单位是不是只有X一家" asks whether X leads alone, whoever else is responsible."""
    assert "sole_lead" in analyse("物流金融这项，牵头单位是不是只有市商务局一家？", UNITS).flags
    assert "sole_lead" not in analyse("物流金融这项，是不是只有市商务局一家负责？", UNITS).flags


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("投诉以后多少天内给回复？", "count"),
        ("试点项目都是哪些？", "items"),
        ("清单里都有哪几个项目？", "items"),
        ("要健全几级服务体系？", "count"),
    ],
)
def test_more_asked_values(question: str, asked: str) -> None:
    assert asked in {v.name for v in analyse(question).asks}


def test_units_by_short_name_and_kind() -> None:
    q = analyse("供销社和金融部门有没有参与冷链物流", UNITS)
    assert "市供销社" in q.named_units
    assert q.unit_kind == "金融"


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("那冷链物流呢？", True),
        ("那么冷链物流谁牵头", True),
        ("还有冷链物流", True),
        ("那个冷链集配中心建在哪儿？", False),
    ],
)
def test_what_reads_as_a_follow_up(question: str, follow_up: bool) -> None:
    """A leading "那个" is a filler word of a full question, not a reference to the previous turn."""
    assert looks_like_follow_up(question) is follow_up


def test_which_years_asks_a_period_not_a_list() -> None:
    assert "items" not in {v.name for v in analyse("规划的规划期具体是哪几年？").asks}
    assert "items" in {v.name for v in analyse("规划具体包括哪些内容？").asks}



@pytest.mark.parametrize(
    ("question", "choices"),
    [
        ("示范县最后定的是北山还是南河？", ("北山", "南河")),
        ("示范县定的是哪个？北山还是南河？", ("北山", "南河")),
        ("黑臭水体比例这个指标是约束性的还是预期性的", ("约束性", "预期性")),
        ("冷链物流那条，市公安局是牵头还是配合", ()),  # a role choice
        ("要交企业所得税还是不交", ()),  # "X还是不X" is a yes/no
    ],
)
def test_a_choice_names_its_options(question: str, choices: tuple[str, ...]) -> None:
    assert analyse(question, UNITS).alternatives == choices


def test_a_choice_asks_which_option_not_a_value_its_words_name() -> None:
    """"比例这个指标是约束性的还是预期性的" asks the indicator's kind; a row stating no number still answers it."""
    assert analyse("黑臭水体比例这个指标是约束性的还是预期性的").asks == ()
    assert "share" in {v.name for v in analyse("黑臭水体比例要达到多少").asks}


def test_a_who_question_keeps_the_values_its_other_parts_ask() -> None:
    """"下降多少？由哪个单位负责？" asks who, and a figure besides: the reply must give both."""
    q = analyse("公共机构人均能耗下降多少？这项由哪个单位负责？", UNITS)
    assert q.intent.name == "lead"
    assert [part.intent.name for part in q.also] == ["figure"]
    assert analyse("冷链物流，哪个单位牵头？", UNITS).also == ()
    frequency = analyse("总量控制实行什么频次的考核？由谁负责？", UNITS).also
    assert [v.name for v in frequency[0].asks] == ["frequency"]
    assert frequency[0].asks[0].holds is not None and frequency[0].asks[0].holds.search("实施年度成效考核")


def test_a_value_held_as_the_gazette_says_it() -> None:
    """The asked values are found as documents write them: a platform something is pushed to, a frequency whose
    number the copy lost ("月开展一次"), an assessment held each year ("实施年度成效考核") but not every year's
    target."""
    values = {v.name: v.holds for v in ASKED_VALUES}
    assert values["recipient"] is not None and values["recipient"].search("承诺书由审批部门推送至市智慧城市信用平台")
    frequency = values["frequency"]
    assert frequency is not None
    assert frequency.search("综合运用明察暗访等手段，月开展一次督查督办")
    assert frequency.search("实施年度成效考核")
    assert frequency.search("按月公开全市财政收支情况")  # "按月" says how often as "每月" does
    assert not frequency.search("列入相关单位年度目标责任考核")
    assert not frequency.search("按月份统计")


def test_a_day_a_time_limit_and_a_kind_asked_as_documents_write_them() -> None:
    """"每月25日前" is a time limit though it names no month; a copy's "18曰" (its typo for 日) states a day; "哪几类"
    asks a list as "哪些" does."""
    from qa_bot.answer.question import DATE_VALUE, STATES_DAY

    assert DATE_VALUE.search("各部门于每月25日前报送完成情况")
    assert STATES_DAY.search("从2017年3月18曰至2017年5月18曰")
    assert "items" in {v.name for v in analyse("改造完了要建成哪几类社区？").asks}


def test_a_phrase_quoted_inside_a_quote_is_a_term_the_evidence_must_hold() -> None:
    """“大力推行‘首席服务员’制度”: the term in single quotes is quoted too."""
    assert "首席服务员" in analyse("“大力推行‘首席服务员’制度”一项谁牵头？").quoted


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("物流方案的任务里，哪一项没有列我们市商务局？", True),
        ("市供销社在物流方案里哪一项没被列进去？", True),
        ("市商务局有没有被列为牵头单位的任务？是哪一项？", False),  # 有没有 asks whether, not which is left out
        ("市商务局牵头哪几项？", False),
    ],
)
def test_tasks_that_leave_a_unit_out_are_asked_by_a_negated_listing(question: str, absent: bool) -> None:
    assert ("absent" in analyse(question, UNITS).flags) is absent


def test_a_condition_with_its_subject_first_asks_nothing() -> None:
    """"哪个县区要是…，会怎么样？": the 哪 of a condition means "any"; no place is asked."""
    question = analyse("哪个县区要是盘活工作拖着不干，会怎么样？", UNITS)
    assert not any(v.name == "place" for v in question.asks)


def test_which_county_before_a_consequence_asks_no_place() -> None:
    """"哪个县区的…一直不改造，会被怎么处理？": the 哪 of its subject is "whichever"; the question asks what happens."""
    question = analyse("哪个县区的排水管网一直不改造，会被怎么处理？", UNITS)
    assert "place" not in {v.name for v in question.asks}
    assert "place" in {v.name for v in analyse("示范县具体设在哪个县？", UNITS).asks}


@pytest.mark.parametrize(
    ("question", "day"),
    [("大货车从哪天起绕城？", True), ("几月几号开始报名？", True), ("这项工作哪天之前完成？", False),
     ("这个规定是省政府第几号令？", False)],
)
def test_a_day_asked(question: str, day: bool) -> None:
    """"从哪天起" asks a day; "哪天之前" asks a limit; "第几号令" an order's number."""
    assert analyse(question, UNITS).asks_day() is day


def test_who_holds_posts_asked_together_and_where_money_goes() -> None:
    """"组长、副组长分别是谁" asks people's names; "钱还能花在什么地方" asks what it is spent on, no place — while
    "服务站建在什么地方" does ask one."""
    assert "person" in {v.name for v in analyse("工作专班的组长、副组长分别是谁？").asks}
    assert "place" not in {v.name for v in analyse("收回来的钱除了上新项目还能花在啥地方").asks}
    assert "place" in {v.name for v in analyse("村级服务站建在什么地方？").asks}
