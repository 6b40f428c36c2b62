"""Answer classes found on the third to sixth batches of real documents (tests/fixtures/cities3/ … cities6/):
documents without 文号, date or issuer, documents named by the year they were issued, dates written in Chinese
numerals, bodies named in the text, joint issuers, a document's date asked after its long title."""

from __future__ import annotations

import pytest


def test_a_document_without_a_doc_no_has_none_to_give(cities3_engine) -> None:
    no_doc_no = cities3_engine.ask("铁道部的铁路货物集装化用具准运证管理办法文号是多少？")
    issuer = cities3_engine.ask("铁路货物集装化用具准运证管理办法是哪个部门发的？")
    assert not no_doc_no.found, no_doc_no.answer
    assert issuer.found and "由铁道部印发" in issuer.answer and "无文号" not in issuer.answer, issuer.answer


def test_a_year_beside_the_issuer_names_the_document(cities3_engine) -> None:
    """"1990年铁道部的办法" is the document issued in 1990, not content about 1990."""
    reply = cities3_engine.ask("铁道部1990年的准运证管理办法里，准运证由哪个部门审核发放？")
    assert reply.found and "运输局" in reply.answer, reply.answer


def test_a_date_in_chinese_numerals_answers_when(cities3_engine) -> None:
    """"定于一九七八年四月一日起试行": the document's record holds the date it takes effect."""
    reply = cities3_engine.ask("交通部的公路工程标准设计管理办法从哪天开始试行？")
    assert reply.found and "1978年4月1日" in reply.answer, reply.answer
    assert "1978-04-01" in {d.in_force for d in cities3_engine.index.documents}


def test_the_place_a_document_without_masthead_is_about(cities3_engine) -> None:
    """A stored copy without its issuer line is about the place its opening names ("结合淮安实际")."""
    reply = cities3_engine.ask("我在淮安开个小店，月销售额多少以下的小规模纳税人可以免增值税？")
    assert reply.found and "15万元" in reply.answer, reply.answer


def test_the_signature_date_asked_as_落款(cities3_engine) -> None:
    reply = cities3_engine.ask("东阳市促进残疾人就业行动实施方案的落款日期是哪天？")
    assert reply.found and "2023年3月13日" in reply.answer, reply.answer


def test_a_body_the_text_names_answers_who(cities3_engine) -> None:
    """No responsibility note, but the text says "X院为…统一管理单位": that names who."""
    reply = cities3_engine.ask("交通部公路工程标准设计管理办法里，标准设计由哪个单位统一管理？")
    assert reply.found and "公路规划设计院" in reply.answer, reply.answer


def test_older_doc_nos_and_order_numbers_name_their_document(cities3_engine) -> None:
    """"(78)交公路字412号" and "X人民政府令19号" (without 第) are 文号 a question may name a document by."""
    ministry = cities3_engine.ask("（78）交公路字412号文件是哪天印发的？")
    order = cities3_engine.ask("济南市人民政府令19号是哪天发布的？")
    assert ministry.found and "1978年3月23日" in ministry.answer, ministry.answer
    assert order.found and "1991年3月26日" in order.answer, order.answer


def test_a_doc_no_written_shorter_names_the_one_document_ending_with_it(cities3_engine) -> None:
    """"国务院令第238号" names "中华人民共和国国务院令第238号": the one indexed 文号 that ends with what was typed."""
    judge = cities3_engine.judge
    assert judge._known_doc_no("人民政府令第19号") == "济南市人民政府令第19号"
    assert judge._known_doc_no("国务院令第238号") == "国务院令第238号"  # not indexed: left as typed (not found)


def test_a_cited_doc_no_or_article_number_is_no_figure(cities3_engine) -> None:
    """"保存多少年" is not answered by "第一条…根据《…办法》（国发〔2000〕23号）…": the article's number and the cited
    document's 文号 are not figures the clause states."""
    reply = cities3_engine.ask("阿拉善盟行署办公室公文处理细则里，公文立卷归档后要保存多少年、销毁要谁批准？")
    assert not reply.found, reply.answer


def test_a_body_no_document_names_is_not_answered_for(answers_engine) -> None:
    """A unit the corpus never names (市民政局, 团市委) gets "没有提到", not another unit's task; a unit's spoken name
    the vocabulary knows (市发改委, 市环保局) is answered."""
    for question in ("市民政局要负责哪些工作？", "我是团市委的，这些文件里团市委有哪些任务？"):
        reply = answers_engine.ask(question)
        assert not reply.found and "没有提到" in reply.answer, reply.answer
    for question in ("市发改委牵头哪些工作？", "市环保局牵头哪些工作？"):
        assert answers_engine.ask(question).found, question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("《云南省就业专项资金管理办法》是哪两个厅联合印发的？", ["云南省财政厅", "云南省人力资源和社会保障厅"]),
        ("静安区“国际静安”三年行动计划是哪些单位印发的？", ["中共静安区委办公室", "静安区人民政府办公室"]),
    ],
)
def test_joint_issuers_asked_as_which_bodies_issued(cities4_engine, question: str, expected: list[str]) -> None:
    """"哪两个厅联合印发", "哪些单位印发" ask the issuers, also of a 计划 (a document word like 方案)."""
    reply = cities4_engine.ask(question)
    assert reply.found and all(e in reply.answer for e in expected), reply.answer


def test_when_a_named_document_was_issued(cities4_engine) -> None:
    """"X印发Y方案，是哪一天？" asks the document's date, however long Y's title."""
    reply = cities4_engine.ask("西安市政府办公厅印发教育领域市以下财政事权和支出责任划分改革实施方案，是哪一天？")
    assert reply.found and "2022年1月30日" in reply.answer, reply.answer


def test_a_deadline_of_the_lead_units_is_a_deadline(cities4_engine) -> None:
    """"牵头单位的细化方案要在哪天前报送" asks when, not who leads."""
    reply = cities4_engine.ask("嘉鱼县2024年重点工作责任分解，牵头单位的细化方案要在哪天前报到县政府政务督查室？")
    assert reply.found and "2月29日" in reply.answer, reply.answer


def test_a_phrase_like_a_body_is_not_taken_for_an_unknown_unit(cities4_engine) -> None:
    """"区内采购无关联企业" is no body's name: the question is answered, not refused for an unknown unit."""
    reply = cities4_engine.ask("在萧山开厂的企业，一年在区内采购无关联企业的配套产品超过5000万元，能拿到多少资助？")
    assert reply.found and "200万元" in reply.answer, reply.answer


def test_a_ratio_printed_with_the_ratio_sign(cities4_engine) -> None:
    """"8∶2" (U+2236) answers "按什么比例分担" as "8:2" would."""
    question = "西安教育领域财政事权改革方案里，义务教育公用经费国家基准定额部分中央和省级按什么比例分担？"
    reply = cities4_engine.ask(question)
    assert reply.found and "8∶2" in reply.answer, reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "亳州2025年政府工作报告目标任务分解里，全市地区生产总值增长目标定的是多少？",  # only years in the text found
        "官渡区这份稳增长促发展政策措施的发文文号是多少？",  # the copy prints none (the text cites another's)
    ],
)
def test_what_the_document_does_not_state_is_not_answered(cities4_engine, question: str) -> None:
    """A year is no answer to "多少"; a document that prints no 文号 has none, whatever 文号 its text cites."""
    reply = cities4_engine.ask(question)
    assert not reply.found, reply.answer


def test_a_districts_document_is_about_the_city_its_masthead_names(cities2_engine) -> None:
    """"鞍山立山区…" is answered from 立山区's document, whose masthead reads 鞍山市立山区人民政府文件, though no clause
    names 鞍山."""
    reply = cities2_engine.ask("鞍山立山区2023年地区生产总值预期增长多少？")
    assert reply.found and "6.2%" in reply.answer, reply.answer


def test_an_ordinal_asked_is_answered_by_an_ordinal(cities2_engine) -> None:
    """"第几次常务会议" is answered by "第167常务会议" (an ordinal, with or without 次), not refused for lacking a
    count."""
    reply = cities2_engine.ask("宝山区2022年民生实事清单，是经区政府第几次常务会议研究同意的？")
    assert reply.found and "第167常务会议" in reply.answer, reply.answer


def test_a_province_before_the_county_only_qualifies_it(cities5_engine) -> None:
    """"安徽太湖县" names 太湖县, whose copy never prints its province; a county the corpus lacks is another place."""
    reply = cities5_engine.ask("安徽太湖县政府工作规则里，县政府工作的准则是哪几条？")
    assert reply.found and "务实清廉" in reply.answer, reply.answer
    other = cities5_engine.ask("安徽怀宁县政府工作规则里，县政府工作的准则是哪几条？")
    assert not other.found, other.answer


def test_which_meeting_passed_it_is_answered_by_a_numbered_meeting(cities5_engine) -> None:
    """"哪次常务会议通过的" asks a meeting: the sentence naming "第93次常务会议" answers; a copy whose notice breaks off
    at "已经" names none."""
    passed = cities5_engine.ask("禄丰市政府常务会议议事规则是哪次常务会议通过的？")
    assert passed.found and "第93次常务会议" in passed.answer, passed.answer
    cut = cities5_engine.ask("兰州市第三产业跨越发展的实施意见是市政府哪次常务会议审议通过的？")
    assert not cut.found, cut.answer


def test_how_often_is_answered_only_by_a_frequency(cities5_engine) -> None:
    """"多长时间开一次" asks a frequency; rules that say who attends the meeting do not say how often it meets."""
    reply = cities5_engine.ask("禄丰市政府常务会议一般多长时间开一次？")
    assert not reply.found, reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("泉州市级特色现代农业专项资金分配以什么为导向？", "以绩效为导向"),
        ("兰州推进第三产业跨越发展，是拿什么项目工程当抓手的？", "3341"),
    ],
)
def test_what_something_is_taken_as_is_answered_by_the_sentence_framing_it(
    cities5_engine, question: str, expected: str
) -> None:
    """"以什么为导向", "拿什么当抓手": the sentence that says "以X为导向/抓手" answers, not the clause's first one."""
    reply = cities5_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_whom_a_report_goes_to_is_no_question_of_who_leads(cities5_engine) -> None:
    """"牵头单位的办理方案什么时候交，交给谁" asks a deadline (and the recipient), not which unit leads."""
    reply = cities5_engine.ask("武汉市2023年政府工作报告责任分解，牵头单位的办理方案最晚什么时候交，交给谁？")
    assert reply.found and "2023年2月10日" in reply.answer and "督查室" in reply.answer, reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("深圳市人大常委会听证条例从哪天起施行？", "施行日期是2002年1月1日"),  # "现予公布，自2002年1月1日起施行"
        ("包头市人大及其常委会制定地方性法规条例从哪天开始实施？", "施行日期是2001年8月1日"),  # "实施日期:2001-8-1"
        ("太湖县政府工作规则什么时候废止？", "废止日期是2020年1月23日"),  # a portal's "废止时间: 2020-01-23"
    ],
)
def test_when_a_document_takes_effect_or_ceases_to(cities5_engine, question: str, expected: str) -> None:
    reply = cities5_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer
    assert reply.citations[0].section == "文件信息", reply.citations[0].section


def test_a_document_that_says_nothing_of_taking_effect_has_no_date_to_give(cities5_engine) -> None:
    """The stored rules of procedure end before any article on when they take effect: not found, not the date they
    were passed."""
    reply = cities5_engine.ask("禄丰市政府常务会议议事规则什么时候开始施行？")
    assert not reply.found, reply.answer


@pytest.mark.parametrize(
    ("question", "expected", "not_expected"),
    [
        ("吉水县十件民生实事里，义务教育学位最后实际新增了多少个？", "5500个", "学位5000个"),
        ("吉水县医改那件民生实事要求县域内就诊率达到多少？", "91%", "落实情况"),
    ],
)
def test_a_task_table_row_of_sentences_answers_with_its_sentence(
    cities6_engine, question: str, expected: str, not_expected: str
) -> None:
    """A row of a task table whose cells are sentences (the task, its leader, units, what was done) is answered by
    the sentence that holds what is asked — the target or what was done — not pasted whole."""
    reply = cities6_engine.ask(question)
    body = reply.answer.split("（《")[0]
    assert reply.found and expected in body and not_expected not in body, reply.answer


def test_a_decimal_section_answers_with_its_text_not_its_heading(cities7_engine) -> None:
    """An emergency plan numbered 1 / 1.1: its purpose is the text under "1.1 编制目的", quoted without the heading."""
    reply = cities7_engine.ask("东宁市干旱灾害应急预案的编制目的是什么？")
    assert reply.found and reply.answer.startswith("做好干旱灾害"), reply.answer
    assert reply.citations[0].section.endswith("1.1 编制目的")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("遵义市信息办的电子信箱是什么？", "zy_xxb@163.com"),  # an address asked, with its underscore
        ("河南省2023年重点工作，各责任单位全年落实情况最晚哪天前报给省政府？", "12月25日"),  # when, not which units
        ("长三角秋冬季大气污染攻坚方案还发给了哪些企业？", "中国国家铁路集团有限公司"),  # the 主送 line
    ],
)
def test_other_places_values_are_found_where_they_stand(cities7_engine, question: str, expected: str) -> None:
    reply = cities7_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_a_year_that_only_ends_a_cited_plans_period_is_no_target(cities7_engine) -> None:
    """嘉定's plan rests on 《…海绵城市建设规划（2018-2035）》; its own targets are for 2025 and 2030."""
    assert not cities7_engine.ask("嘉定区海绵城市建设方案里，到2035年要达标的建设用地面积是多少？").found
    reply = cities7_engine.ask("嘉定区海绵城市建设方案里，到2030年要达标的建设用地面积是多少？")
    assert reply.found and "80平方公里" in reply.answer, reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # an order named with its issuer said otherwise (printed 石家庄人民政府令第184号)
        ("石家庄市政府令第184号的发布日期", "2013年10月27日"),
        ("青岛市政府令第271号是哪位市长签的？", "孟凡利"),  # who signed, a title between
        ("石家庄各县的大气污染防治规划归哪个部门编制？", "环境保护行政主管部门"),  # an article: X主管部门会同…制定
        # a target item whose only other line is its 责任单位 note: the item's own sentence answers
        ("丽水一年要引进多少个亿元以上的制造业项目？", "100个"),
        # a long sentence naming fourteen counties before their count: cut around the count asked
        ("四川省政府命名的首批省级生态县有多少个？", "14个"),
        # the issue year beside its issuer said without 人民 (printed 江西省人民政府): the document, no target
        ("江西省政府2010年命名的省级园林城市有几个？", "4个"),
    ],
)
def test_other_places_orders_articles_and_target_items(cities8_engine, question: str, expected: str) -> None:
    reply = cities8_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


@pytest.mark.parametrize(
    ("question", "expected", "foreign"),
    [
        # 沁县 is named only by its notice's issuer; the district's and the city's task lists of the same year
        # answer nothing about it
        ("沁县2025年政府工作报告的任务落实，动态监管用的什么模式？", "月度盘点", "谯城区"),
    ],
)
def test_a_place_named_only_by_an_issuer_keeps_the_question_in_its_document(
    cities9_engine, question: str, expected: str, foreign: str
) -> None:
    reply = cities9_engine.ask(question)
    assert reply.found and expected in reply.answer and foreign not in reply.answer, reply.answer


def test_the_year_beside_the_issuers_place_names_the_document(cities9_engine) -> None:
    """"吉安2003年出的细则" names the document by its issue (printed 江西省吉安市人民政府办公室, 2003): no year of its
    content is asked."""
    reply = cities9_engine.ask("吉安2003年出的政务公开实施细则，政务公开的总体目标是什么？")
    assert reply.found, reply.answer


def test_a_target_of_a_place_whose_documents_set_none_is_not_answered_from_anothers(cities9_engine) -> None:
    """沁县's notice sets no growth target; the district's and the city's task lists do, for themselves."""
    for question in ("沁县今年社会消费品零售总额要增长多少？", "沁县2025年地区生产总值预期增长多少？"):
        reply = cities9_engine.ask(question)
        assert not reply.found, reply.answer


def test_a_document_without_its_own_date_is_dated_by_the_page_that_published_it(cities9_engine) -> None:
    """A web copy whose document prints no date, under a portal stamp "时间:2019-01-24": the reply says the document
    is undated and gives the page's date, rather than nothing or the stamp as its 成文日期."""
    reply = cities9_engine.ask("南通推进陆海统筹节约集约用地的指导意见是什么时候发布的？")
    assert reply.found and "2019年1月24日" in reply.answer and "未载成文日期" in reply.answer, reply.answer



@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # whom problems go to: the sentence naming where they are sent, not the notice's first
        ("青海的甲型H1N1流感应急预案执行中发现问题，应该向哪里反馈？", "联防联控协调小组办公室"),
        # "所需要的经费、资产、服务、能源等资源要素": 需要 makes no item a clause
        ("陕西省机关运行保障条例中的机关运行保障包括哪些资源要素？", "经费"),
        # a 机构 that is responsible ("法制工作机构,负责…的监督") says who acts
        ("吉林省规章确认和公布的规定，由哪个机构负责监督实施？", "法制工作机构"),
        # the page's date asked: 发布日期 of the portal, not the 成文日期
        ("洮北区十四五规划纲要任务清单在政府网站上是哪天发布的？", "2021年12月10日"),
    ],
)
def test_other_places_recipients_lists_bodies_and_page_dates(cities10_engine, question: str, expected: str) -> None:
    reply = cities10_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_a_length_of_time_is_not_given_by_a_calendar_year(cities10_engine) -> None:
    """"有效期最长是几年" asks a length of time; a clause dated 2022年4月28日 gives none."""
    reply = cities10_engine.ask("赣县区的规范性文件管理指引规定的文件有效期一般是几年？")
    assert not reply.found, reply.answer


def test_whom_a_plan_goes_to_may_follow_its_verb_without_gei(cities5_engine) -> None:
    """"…办理方案…报市人民政府督查室" names whom the plan goes to, though no 给 stands between."""
    reply = cities5_engine.ask("武汉2023年政府工作报告责任分解里，牵头单位的办理方案什么时候前报送，报给谁？")
    assert reply.found and "督查室" in reply.answer, reply.answer


def test_a_clause_saying_what_ceases_answers_when_the_card_cannot(cities6_engine) -> None:
    """"修订以后，之前哪个文件同时废止了": a 预案 is a document, its card records no 废止 date, and the notice's
    sentence "…（齐政办发〔2016〕23号）同时废止" answers, however few of the question's words it shares."""
    reply = cities6_engine.ask("齐齐哈尔2019年修订环境污染和生态破坏应急预案以后,之前哪个文件同时废止了?")
    assert reply.found and "齐政办发〔2016〕23号" in reply.answer, reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("湛江那份户外广告设置管理规定是哪天颁布的？", "2002年12月19日"),  # 颁布 issues a document
        ("房县营商环境措施里，承诺书和践诺情况最后推送给哪个平台？", "信用平台"),  # the platform it goes to
    ],
)
def test_values_as_these_documents_write_them(cities11_engine, question: str, expected: str) -> None:
    reply = cities11_engine.ask(question)
    assert reply.found and expected in reply.answer, reply.answer


def test_a_term_quoted_inside_a_quote_must_stand_in_the_clause(cities11_engine) -> None:
    """“大力推行‘首席服务员’制度”: the excerpt never names 首席服务员, so another task's lead does not answer."""
    reply = cities11_engine.ask("房县营商环境措施中，“大力推行‘首席服务员’制度”这项谁牵头？")
    assert not reply.found, reply.answer
