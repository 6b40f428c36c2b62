"""The parser on real documents of other places (tests/fixtures/cities/ to cities4/, see SOURCES.md there):
each one is found with its 文号, title (nothing else in it), issuer, date, clauses and notes — alone, and all in one
file."""

from __future__ import annotations

from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems

from qa_bot.parse import parse_file, parse_text

FIXTURES = Path(__file__).parent / "fixtures"

# file: (文号, title, issuers, date, attached title, clause ids in order)
EXPECTED = {
    "beijing-2016-26.txt": (
        "京政办发〔2016〕26号",
        "北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知",
        ("北京市人民政府办公厅",),
        "2016-05-28",
        "北京市2016年政务公开工作要点",  # not printed: named by the notice's title
        ["notice-p1", "0-p1", "1.1-p1"],
    ),
    "caidian-2023-1.txt": (
        "蔡政办〔2023〕1号",
        "区人民政府办公室关于印发2023年区《政府工作报告》确定的主要目标任务责任分解方案的通知",
        ("蔡甸区人民政府办公室",),
        "2023-01-03",
        "2023年区《政府工作报告》确定的主要目标任务责任分解方案",
        ["notice-p1", "notice-p2", "notice-p3", "notice-p4", "1.1", "1.2", "1.3"],
    ),
    "hebei-2010-15.txt": (
        "政府令〔2010〕第15号",
        "河北省人工影响天气管理规定",
        ("河北省人民政府",),
        "2010-12-25",
        None,
        ["notice-p1", "1.1", "1.2", "1.3", "1.4", "1.4-p2", "1.5", "1.6"],
    ),
    "hunan-2009-24.txt": (
        "湘政办发〔2009〕24号",
        "湖南省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知",
        ("湖南省人民政府办公厅",),
        None,  # the stored copy ends before the signature
        None,
        ["0-p1", "1", "2"],
    ),
    "meizhou-2004-18.txt": (
        "梅市府〔2004〕18号",
        "印发梅州市社会养老保险市级统筹实施办法的通知",
        ("梅州市人民政府",),
        "2004-04-30",
        "梅州市社会养老保险市级统筹实施办法",
        ["notice-p1", "0-p1", "1-p1", "2.1"],
    ),
    "neimenggu-82.txt": (
        "内蒙古自治区人民政府令第82号",
        "内蒙古自治区村庄和集镇规划建设管理实施办法",
        ("内蒙古自治区人民政府",),
        "1997-07-23",
        None,
        ["notice-p1", "1.1", "1.2", "1.2-p2", "1.3", "1.3-p2", "1.3-p3", "1.4", "1.4-p2"],
    ),
    "shandong-2014-20.txt": (
        "鲁政发〔2014〕20号",
        "山东省人民政府关于深化预算管理制度改革的实施意见",
        ("山东省人民政府",),
        None,  # the stored copy ends before the signature
        None,
        ["0-p1", "1.1", "1.2"],
    ),
    "tianjin-2017-103.txt": (
        "津政办函〔2017〕103号",
        "天津市人民政府办公厅印发关于促进我市开发区改革和创新发展实施方案的通知",
        ("天津市人民政府办公厅",),
        "2017-10-09",
        "关于促进我市开发区改革和创新发展的实施方案",
        ["notice-p1", "0-p1", "1.1"],
    ),
    "yanan-2009-33.txt": (
        "延政发〔2009〕33号",
        "延安市人民政府关于印发《延安市行政许可项目监督管理办法》的通知",
        ("延安市人民政府",),
        "2009-06-15",
        "延安市行政许可项目监督管理办法",
        ["notice-p1", "1.1", "1.2", "1.3", "1.4", "1.4-p2"],
    ),
    "yueyang-2017-2.txt": (
        "岳办发〔2017〕2号",
        "中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知",
        ("中共岳阳市委办公室", "岳阳市人民政府办公室"),
        "2017-01-10",
        "关于全面推进政务公开工作的实施意见",
        ["notice-p1", "0-p1", "1.1", "1.2"],
    ),
    "zhenba-2024-7.txt": (
        "镇政发〔2024〕7号",
        "镇巴县人民政府工作规则",
        ("镇巴县人民政府",),
        "2024-04-06",
        None,
        ["1.1", "1.2", "1.3", "2.4", "2.5"],
    ),
}


# The second batch (tests/fixtures/cities2/): six more places and two national issuers.
EXPECTED_CITIES2 = {
    "ali-2021-42.txt": (
        "阿行发〔2021〕42号",
        "阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知",
        ("阿里地区行政公署",),
        "2021-11-09",
        "阿里地区行政公署工作规则",
        ["notice-p1", "1.1"],
    ),
    "baoshan-2022-1.txt": (
        "宝府办〔2022〕1号",
        "上海市宝山区人民政府办公室关于印发《2022年区政府要完成的与人民生活密切相关的实事》的通知",
        ("上海市宝山区人民政府办公室",),
        "2022-01-08",  # signed "202218"; the portal's 发文日期 says which day that is
        "2022年区政府要完成的与人民生活密切相关的实事",
        ["notice-p1", "notice-p2", "notice-p3", "notice-p4", "1", "2", "3", "4"],
    ),
    "guowuyuan-2020-6.txt": (
        "国发〔2020〕6号",
        "国务院关于落实《政府工作报告》重点工作部门分工的意见",
        ("国务院",),
        None,  # the stored copy ends before the signature
        None,
        ["0-p1", "1.1.1"],
    ),
    "guowuyuan-2023-16.txt": (
        "国发〔2023〕16号",
        "国务院关于推动内蒙古高质量发展奋力书写中国式现代化新篇章的意见",
        ("国务院",),
        None,  # the stored copy ends before the signature
        None,
        ["0-p1", "1.1-p1", "1.2-p1"],
    ),
    "jingxian-2023-1.txt": (
        "泾政〔2023〕1号",
        "泾县人民政府关于分解落实政府工作报告目标任务的通知",
        ("泾县人民政府",),
        None,  # no signature in the stored copy, and a portal's 发布日期 is not the date of the document
        None,
        ["0-p1", "1", "2"],
    ),
    "jinhua-2010-15.txt": (
        "金政办发〔2010〕15号",
        "关于印发金华市人民政府办理人大代表建议和政协提案工作规则的通知",
        ("金华市人民政府办公室",),
        "2010-04-07",
        "金华市人民政府办理人大代表建议和政协提案工作规则",
        ["notice-p1", "1.1", "1.2", "1.3", "2.4", "2.4.1"],
    ),
    "lishan-2023-2.txt": (
        "鞍立政发〔2023〕2号",
        "立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知",
        ("立山区人民政府",),
        "2023-03-28",
        "立山区政府2023年重点工作任务分解和责任分工方案",
        ["notice-p1", "0-p1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"],
    ),
    "shanxi-2018-13.html": (
        "晋政发〔2018〕13号",
        "",  # the stored fragment prints no title for the notice, only the attached plan's
        ("山西省人民政府",),
        "2018-03-27",
        "山西省激发重点群体活力带动城乡居民增收的实施方案",
        ["notice-p1", "0-p1", "1-p1"],
    ),
    "shengzhu-238.txt": (
        "中华人民共和国国务院令第238号",
        "生猪屠宰管理条例",
        ("国务院",),
        "1997-12-19",
        None,
        ["notice-p1", "1", "2", "3", "3-p2", "4", "5", "5-p2", "5-p3", "6"],
    ),
    "tuanzhongyang-2005-13.txt": (
        "中青办发〔2005〕13号",
        "关于印发《“全国青年中心建设先进县（市）”创建办法（试行）》的通知",
        ("共青团中央办公厅",),
        "2005-05-09",
        "“全国青年中心建设先进县（市）”创建办法（试行）",
        ["notice-p1", "1.1", "1.2"],
    ),
}

# The third batch (tests/fixtures/cities3/): ten more places and two ministries; seven of them print no 文号 (None).
EXPECTED_CITIES3 = {
    "alashan-2007-22.txt": (
        "阿署办发〔2007〕22号",
        "阿拉善盟行政公署办公室关于印发阿拉善盟行政公署办公室公文处理实施细则及文种式样的通知",
        ("阿拉善盟行政公署办公室",),
        "2007-06-05",
        "阿拉善盟行政公署办公室公文处理实施细则及文种式样",
        ["notice-p1", "1.1"],  # the 目 录 listing 第一章 … 第八章 is no clause
    ),
    "chengdu-2024.txt": (
        None,
        "成都市发展和改革委员会中共成都市委社会工作部成都市规划和自然资源局成都市住房和城乡建设局"
        "关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知",
        ("成都市发展和改革委员会", "中共成都市委社会工作部", "成都市规划和自然资源局", "成都市住房和城乡建设局"),
        None,  # the stored copy prints no date
        "成都市城市社区嵌入式服务设施建设工程实施方案",  # not printed: named by the notice's title
        ["0-p1", "0-p2", "1-p1", "1-p2"],
    ),
    "chuzhou-2020.txt": (
        None,
        "滁州市人民政府关于2020年市政府重点工作及责任分解的通知",  # without the column label 【…】 before it
        ("滁州市人民政府",),
        None,  # no signature; a portal's 发布时间 is not the date of the document
        None,
        ["0-p1", "1.1", "1.2", "1.3"],
    ),
    "dongyang-2023.txt": (
        None,
        "东阳市人民政府办公室关于印发《东阳市促进残疾人就业行动实施方案（2023—2025年）》的通知",
        ("东阳市人民政府办公室",),
        "2023-03-13",
        "东阳市促进残疾人就业行动实施方案（2023—2025年）",
        ["notice-p1", "0-p1", "1-p1"],
    ),
    "heze-2009-72.txt": (
        "菏政办发〔2009〕72号",
        "菏泽市人民政府办公室关于印发菏泽市扩大内需投资项目管理办法的通知",
        ("菏泽市人民政府办公室",),
        "2009-10-29",
        "菏泽市扩大内需投资项目管理办法",
        ["notice-p1", "1.1", "1.2", "1.3", "1.3-p2"],
    ),
    "huaian-2022.txt": (
        None,
        "关于进一步帮助市场主体纾困解难着力稳定经济增长的具体实施细则",
        (),  # the stored copy names no issuer
        None,
        None,
        ["0-p1", "1.1", "1.2", "1.3"],
    ),
    "jiaotongbu-1978-412.txt": (
        "（78）交公路字412号",
        "关于颁发《公路工程标准设计管理办法》（试行）的通知",
        ("交通部",),
        "1978-03-23",
        "公路工程标准设计管理办法（试行）",
        ["notice-p1", "notice-p2", "notice-p3", "1", "2", "3", "4", "5"],
    ),
    "jinan-1991-19.txt": (
        "济南市人民政府令第19号",
        "济南市文化娱乐市场管理规定",
        ("山东省济南市人民政府",),
        "1991-03-26",
        None,
        ["1", "2", "3", "4", "5", "5-p2", "6"],
    ),
    "jining-2021-30.txt": (
        "济政字〔2021〕30号",
        "济宁市人民政府关于持续深化“市县同权”改革的实施意见",
        ("济宁市人民政府",),
        None,  # no signature in the stored copy, only the portal's 发布日期
        None,
        ["0-p1", "1-p1", "2-p1", "2-p2", "2-p3", "2-p4"],
    ),
    "lincang-2006.txt": (
        None,
        "临沧市人民政府关于印发临沧市道路交通安全管理特别规定（试行）的通知",
        ("临沧市人民政府",),
        "2006-02-20",  # printed "二OO六年二月二十日"
        "临沧市道路交通安全管理特别规定（试行）",
        ["notice-p1", "1", "2", "3", "3.1", "3.2"],
    ),
    "tiedaobu-1990.txt": (
        None,
        "铁路货物集装化用具准运证管理办法",
        ("铁道部",),
        "1990-03-10",
        None,
        ["1", "2", "3", "4", "5", "6", *(f"6.{n}" for n in range(1, 10)), "7", "7.1", "7.2"],
    ),
    "wucheng-2025.txt": (
        None,
        "金华市婺城区人民政府关于印发关于推动经济高质量发展若干政策举措（2025年版）的通知",
        ("金华市婺城区人民政府",),
        "2025-04-01",
        "关于推动经济高质量发展若干政策举措（2025年版）",
        ["notice-p1", "0-p1", "1-p1", "1.1"],
    ),
}

# The fourth batch (tests/fixtures/cities4/): eighteen more places. Three copies print neither 文号 nor title (they
# start at the body or the addressees: title "", the attached document's title when the notice names one), one lost
# its line breaks; the human's reading of every field is in expected.json (tests/test_parse_cities4.py compares).
EXPECTED_CITIES4 = {
    "bozhou-2025-1.txt": (
        "亳政办〔2025〕1号",  # printed "亳政办〔20251" under the title; the portal's 文号 twice above it
        "亳州市人民政府办公室关于印发2025年政府工作报告主要目标任务分解的通知",
        ("亳州市人民政府办公室",),
        "2025-01-14",  # the portal's 发文日期: no signature in the stored copy
        "2025年政府工作报告主要目标任务分解",
        ["0-p1", "1"],
    ),
    "changshan-2023-58.txt": (
        "常政办发〔2023〕58号",  # the metadata printed twice, in two layouts: one document
        "常山县人民政府办公室关于印发《常山县基本养老服务清单（2023年版）》的通知",
        ("常山县人民政府办公室",),
        "2023-08-11",  # the portal's 成文日期
        "常山县基本养老服务清单（2023年版）",
        ["0-p1", "1-p1", "2-p1"],
    ),
    "chengbu-2021-3.txt": (
        "城委乡振组发〔2021〕3号",  # the whole document on one line, its parts separated by spaces
        "关于印发《城步苗族自治县巩固提升就业帮扶车间等“七大专项行动”实施方案》的通知",
        ("中共城步苗族自治县委实施乡村振兴战略领导小组",),
        "2021-09-03",
        "城步苗族自治县巩固提升就业帮扶车间专项行动实施方案",
        ["notice-p1", "0-p1", "1-p1"],
    ),
    "chongqing-2001-121.txt": (
        "渝府令第121号",
        "重庆市人民政府关于控制主城区采（碎）石场和小水泥厂尘污染的通告",
        ("重庆市人民政府",),
        "2001-12-30",
        None,
        ["notice-p1", "1", "2", "2-p2", "3", "3-p2", "3-p3", "4"],
    ),
    "guandu-2016.txt": (
        None,  # the stored copy starts at the preamble: no 文号, title, issuer or date
        "",
        (),
        None,
        None,
        ["0-p1", "1.1", "1.2", "1.3", "2.4"],
    ),
    "hengyang-2021.txt": (
        None,  # starts at the addressees: the notice prints no title of its own
        "",
        ("衡阳市人民政府办公室",),
        "2021-09-02",
        "关于践行“三高四新”战略优化企业奖补投入助推省域副中心城市建设的实施意见（试行）",
        ["notice-p1", "0-p1", "1-p1", "1-p2"],
    ),
    "jiayu-2024-1.txt": (
        "嘉政办发〔2024〕1号",
        "县人民政府办公室关于印发2024年县《政府工作报告》确定的重点工作责任分解方案和2024年市《政府工作报告》"
        "涉及嘉鱼重点事项责任分解方案的通知",
        ("嘉鱼县人民政府办公室",),  # the title's "县人民政府办公室" by the portal's 发文单位
        "2024-02-22",
        "2024年县《政府工作报告》确定的重点工作责任分解方案和2024年市《政府工作报告》涉及嘉鱼重点事项责任分解方案",
        ["0-p1", "1", "2"],
    ),
    "jingan-2018.txt": (
        None,
        "中共静安区委办公室静安区人民政府办公室印发《静安区全力打响“上海服务”品牌加快建设“国际静安”三年行动计划"
        "（2018—2020年）》的通知",  # without the column label “党政混合信息公开” before it
        ("中共静安区委办公室", "静安区人民政府办公室"),
        None,
        "静安区全力打响“上海服务”品牌加快建设“国际静安”三年行动计划（2018—2020年）",
        ["0-p1", "1.1-p1", "1.2.1"],
    ),
    "kaifeng-2020.txt": (
        None,  # starts at the addressees; the notice sends three documents and prints no title of its own
        "",
        (),
        "2020-11-17",
        "开封市推动制造业高质量发展实施方案",
        ["notice-p1", "0-p1", "1.1", "1.2"],
    ),
    "liupanshui-2022-10.txt": (
        "六盘水府办发〔2022〕10号",  # from the "|"-separated metadata
        "市人民政府办公室关于印发六盘水市新型基础设施建设三年行动方案（2022—2024年）的通知",  # the portal's 名称
        ("市人民政府办公室",),
        None,  # no signature; a portal's 生成日期 is not the date of the document
        "六盘水市新型基础设施建设三年行动方案（2022—2024年）",
        ["notice-p1", "0-p1", "1-p1", "2.1-p1"],
    ),
    "mouding-2017-46.txt": (
        "牟政办发〔2017〕46号",  # printed "牟政办发〔201746"
        "牟定县人民政府办公室关于印发牟定县突发环境事件应急预案（试行）的通知",
        ("牟定县人民政府办公室",),
        "2017-06-23",  # printed "{ 2017 6 23" under "（此件公开发布）"; the portal's 发文日期 is 2017-06-28
        "牟定县突发环境事件应急预案（试行）",
        ["notice-p1", "1.1"],  # the contents list (without "目 录") is front matter; "1 总则" holds section 1.1
    ),
    "putuo-2022.txt": (
        None,
        "关于印发《上海市普陀区教育人才队伍建设““十四五””专项规划》的通知",
        ("中共上海市普陀区教育工作委员会", "上海市普陀区教育局"),  # on one line, separated by spaces
        "2022-10-10",
        "为“适性发展·合规育人”的教育人才队伍建设奠基——上海市普陀区教育人才队伍建设““十四五””专项规划",
        ["notice-p1", "notice-p2", "0-p1", "1-p1"],
    ),
    "suqian-2008-65.txt": (
        "宿政发〔2008〕65号",
        "宿迁市人民政府关于印发宿迁市城乡医疗救助暂行办法的通知",
        ("宿迁市人民政府",),  # as the title names it (the line above it prints 江苏省宿迁市人民政府, as yanan's does)
        "2008-06-04",
        "宿迁市城乡医疗救助暂行办法",
        ["notice-p1", "1.1", "1.2", "2.3", "2.3.1", "2.3.2"],
    ),
    "xian-2022.txt": (
        None,
        "西安市人民政府办公厅关于印发教育领域市以下财政事权和支出责任划分改革实施方案的通知",
        ("西安市人民政府办公厅",),
        "2022-01-30",
        "教育领域市以下财政事权和支出责任划分改革实施方案",
        ["notice-p1", "0-p1", "1-p1", "1.1"],
    ),
    "xiaoshan.txt": (
        None,
        "关于深入实施创新强区战略加快萧山经济高质量发展的若干政策意见",  # without the site's "……奖励政策:" before it
        (),
        None,
        None,
        ["0-p1", "1.1.1", "1.1.2", "1.2.3"],
    ),
    "xiongan-2021-5.txt": (
        "雄安发〔2021〕5号",
        "中共河北雄安新区工作委员会河北雄安新区管理委员会关于印发《全面推进乡村振兴加快农业农村现代化的实施方案》的通知",
        ("中共河北雄安新区工作委员会", "河北雄安新区管理委员会"),
        "2021-03-15",
        "全面推进乡村振兴加快农业农村现代化的实施方案",
        ["notice-p1", "0-p1"],
    ),
    "yuncheng-2017.txt": (
        None,
        "运城市人民政府办公厅关于印发运城市突发事件应急体系建设“十三五”规划责任分解的通知",
        ("运城市人民政府办公厅",),
        "2017-04-13",  # printed twice
        "运城市突发事件应急体系建设“十三五”规划责任分解",
        ["notice-p1", "0-p1", "0-p2", "1.1.1", "1.1.2", "1.1.3", "1.1.4"],
    ),
    "yunnan-2013.txt": (
        None,
        "云南省财政厅关于印发《云南省就业专项资金管理办法》的通知",
        ("云南省财政厅", "云南省人力资源和社会保障厅"),  # signed on one line, separated by spaces
        "2013-09-04",
        "云南省就业专项资金管理办法",
        ["notice-p1", "notice-p2", "1.1", "1.2", "1.2-p2", "1.2-p3", "1.3"],
    ),
}
BATCHES = {
    "cities": EXPECTED,
    "cities2": EXPECTED_CITIES2,
    "cities3": EXPECTED_CITIES3,
    "cities4": EXPECTED_CITIES4,
}
# A document that lost its line breaks is split at its spaces only when nothing is found in its file otherwise.
FOUND_ONLY_ALONE = {"chengbu-2021-3.txt"}
ALL = {name: expected for batch in BATCHES.values() for name, expected in batch.items()}  # file names are unique
FOLDER = {name: FIXTURES / folder for folder, batch in BATCHES.items() for name in batch}


@pytest.mark.parametrize("folder", sorted(BATCHES))
def test_batch_has_its_files_and_sources(folder):
    files = sorted(p.name for p in (FIXTURES / folder).iterdir() if p.suffix in (".txt", ".html"))
    assert files == sorted(BATCHES[folder])
    sources = (FIXTURES / folder / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in sources for name in files)


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {name: parse_file(FOLDER[name] / name) for name in ALL}


@pytest.mark.parametrize("name", sorted(ALL))
def test_document_found_with_its_header(parsed, name):
    doc_no, title, issuers, date, plan_title, _ = ALL[name]
    [document] = parsed[name]
    assert (document.doc_no, document.title, document.issuers, document.date) == (doc_no, title, issuers, date)
    assert document.plan_title == plan_title


@pytest.mark.parametrize("name", sorted(ALL))
def test_clauses_in_document_order(parsed, name):
    [document] = parsed[name]
    assert [c.chunk_id.split("/", 1)[1] for c in document.clauses] == ALL[name][5]
    assert all(c.text.strip() for c in document.clauses)


@pytest.mark.parametrize("name", sorted(n for n in ALL if n.endswith(".txt")))
def test_every_line_is_header_or_clause(parsed, name):
    """Nothing of the document is lost or read twice: header spans and clause spans tile its text."""
    text = (FOLDER[name] / name).read_text(encoding="utf-8")
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


@pytest.mark.parametrize(
    ("name", "signers"),
    [("neimenggu-82.txt", ("自治区主席 乌力吉",)), ("hebei-2010-15.txt", ("省长",)), ("yanan-2009-33.txt", ())],
)
def test_signer_of_a_government_order(parsed, name, signers):
    [document] = parsed[name]
    assert document.signers == signers


def test_responsibility_line_after_the_heading(parsed):
    [document] = parsed["caidian-2023-1.txt"]
    units = {c.chunk_id.split("/", 1)[1]: c.responsible_units for c in document.clauses if c.kind == "item"}
    assert units == {"1.1": ("区发展和改革局",), "1.2": ("区科技和经信局",), "1.3": ("区发展和改革局",)}
    headings = {h.section_id: h.title for h in document.headings}
    assert headings["1.1"] == "地区生产总值增长7%以上"  # the note line is not part of the heading


@pytest.mark.parametrize(
    ("name", "chunk", "starts", "section"),
    [
        ("hebei-2010-15.txt", "1.1", "第一条为加强", ["第一章 总则", "第一条 为加强对人工影响天气工作的管理"]),
        ("neimenggu-82.txt", "1.3", "第三条本实施办法所称的村庄", ["第一章 总则", "第三条 本实施办法所称的村庄"]),
        (
            "zhenba-2024-7.txt",
            "2.4",
            "四、县政府由县长",
            ["第二章 组成人员和政府职能", "四、县政府由县长、副县长、县政府党组成员"],
        ),
    ],
)
def test_articles_carry_their_text_under_their_chapter(parsed, name, chunk, starts, section):
    [document] = parsed[name]
    clause = next(c for c in document.clauses if c.chunk_id.endswith("/" + chunk))
    assert clause.text.startswith(starts)
    assert list(clause.section_path) == section


@pytest.mark.parametrize("folder", sorted(BATCHES))
def test_all_documents_in_one_file_are_each_found(folder):
    """Laid one after another in one issue file, no document swallows the next one's title or text. (A document
    that prints no 文号 is found by its title only when it is alone in its file, so it is left out here, as is one
    that lost its line breaks.)"""
    names = sorted(n for n in BATCHES[folder] if n.endswith(".txt") and ALL[n][0] and n not in FOUND_ONLY_ALONE)
    text = "\n\n".join((FIXTURES / folder / name).read_text(encoding="utf-8") for name in names)
    documents = parse_text(text, f"{folder}.txt")
    assert [d.doc_no for d in documents] == [ALL[n][0] for n in names]
    for name, document in zip(names, documents, strict=True):
        doc_no, title, issuers, date, plan_title, chunk_ids = ALL[name]
        assert (document.title, document.issuers, document.date, document.plan_title) == (
            title,
            issuers,
            date,
            plan_title,
        )
        assert [c.chunk_id.split("/", 1)[1] for c in document.clauses] == chunk_ids
        assert span_problems(text, document) == []
