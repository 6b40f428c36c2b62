"""Heading, 文号, date and issue patterns of Chinese government documents, and Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇○一二两三四五六七八九十百千"


def chinese_to_int(text: str) -> int:
    """'二十二' → 22, '十' → 10, '一〇五' → 105, '17' → 17. Raises ValueError on anything else."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _CN_UNITS for ch in text):  # positional: 二〇二二
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    return total + current


@dataclass(frozen=True)
class HeadingMatch:
    """A numbered heading at the start of a paragraph: its rank (1 = outermost form), label and ordinal."""

    rank: int
    label: str  # as written after width normalisation, e.g. "（一）", "1.", "第一章 "
    ordinal: int
    rest: str  # the text after the label
    number: tuple[int, ...] = ()  # a decimal section's whole number, (1, 2) for "1.2 编制依据" (qa_bot.parse.numbering)


# Ordered outermost first. The rank says which form nests inside which; a document may skip forms.
# 第X章/节/条 need a space after them, so a cross-reference such as "第三条规定" is never a heading.
_HEADING_FORMS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^(第([{CN_NUM}\d]+)章)[ \u3000]+")),
    (2, re.compile(rf"^(第([{CN_NUM}\d]+)节)[ \u3000]+")),
    (3, re.compile(rf"^(第([{CN_NUM}\d]+)条)[ \u3000]+")),
    (4, re.compile(rf"^(([{CN_NUM}]+) ?、)\s*")),  # ("四 、违反本通告规定的": a copy's space before the 、)
    (5, re.compile(rf"^(（([{CN_NUM}]+)）)\s*")),
    (5, re.compile(r"^(([㈠-㈩]))\s*")),  # （一） printed as one character
    (6, re.compile(r"^((\d{1,2})[\.．、](?!\d))\s*")),
    (7, re.compile(r"^(（(\d{1,2})）)\s*")),
    (8, re.compile(r"^(([①-⑳]))\s*")),
]
HEADING_RANKS = {1: "章", 2: "节", 3: "条", 4: "一、", 5: "（一）", 6: "1.", 7: "（1）", 8: "①"}
# Web copies often drop the space: "第一章总则", "第一条为加强……". Such a label counts only where the numbering
# runs on (see qa_bot.parse.structure), so "第三条规定的……" inside a document without articles stays text.
# Likewise "2.50个小区……" is item 2 about fifty estates only where the 1./2./3. numbering runs on to it; elsewhere it
# is the number 2.50.
_TIGHT_FORMS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^(第([{CN_NUM}\d]+)章)(?=[\u4e00-\u9fff])")),
    (2, re.compile(rf"^(第([{CN_NUM}\d]+)节)(?=[\u4e00-\u9fff])")),
    (3, re.compile(rf"^(第([{CN_NUM}\d]+)条)(?=[\u4e00-\u9fff（])")),
    (6, re.compile(r"^((\d{1,2})[\.．])(?=\d+[\u4e00-\u9fff])")),
]


def match_heading(text: str) -> HeadingMatch | None:
    """Recognise a numbered heading at the start of width-normalised text (spaces still present)."""
    for rank, pattern in _HEADING_FORMS:
        m = pattern.match(text)
        if not m:
            continue
        number = m.group(2)
        if rank == 8:
            ordinal = ord(number) - ord("①") + 1
        elif "㈠" <= number <= "㈩":
            ordinal = ord(number) - ord("㈠") + 1
        else:
            ordinal = chinese_to_int(number)
        label = m.group(1).replace(" ", "") + (" " if rank <= 3 else "")
        rest = text[m.end() :]
        if not rest.strip() and rank >= 4:
            return None  # a bare "1." or "（一）" alone is not a heading
        return HeadingMatch(rank=rank, label=label, ordinal=ordinal, rest=rest)
    return None


def match_tight_heading(text: str) -> HeadingMatch | None:
    """第X章/节/条 written without the space after it ("第一条为加强……") or an item number run into a figure
    ("2.50个小区"); the caller checks the numbering."""
    for rank, pattern in _TIGHT_FORMS:
        m = pattern.match(text)
        if m:
            try:
                ordinal = chinese_to_int(m.group(2))
            except ValueError:
                return None
            return HeadingMatch(
                rank=rank, label=m.group(1) + (" " if rank <= 3 else ""), ordinal=ordinal, rest=text[m.end() :]
            )
    return None


# 文号: issuer abbreviation + year in any bracket form + serial + 号. 锦政办发〔2022〕20号, 济政字[2021]5号,
# X府办〔2022〕3号, 政府令〔2010〕第15号.
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔［\[【（(]\s*(\d{4})\s*[〕］\]】）)]\s*第?\s*(\d{1,4})\s*号")
# The older form with a two-digit year in brackets before the issuer's abbreviation: "(78)交公路字412号".
OLD_DOC_NO = re.compile(r"[（(]\s*(\d{2}|\d{4})\s*[）)]\s*([\u4e00-\u9fff]{1,10}?)\s*第?\s*(\d{1,5})\s*号")
# A 文号 alone on its line (some copies wrap it in brackets: "(阿署办发〔2007〕22号)"), or with the signer of an
# upward document beside it ("……〔2023〕9号　签发人：王五").
DOC_NO_LINE = re.compile(
    rf"^\s*[（(]?\s*(?:{DOC_NO.pattern}|{OLD_DOC_NO.pattern})\s*[）)]?"
    rf"(?:\s*签发人\s*[:：]\s*[\u4e00-\u9fff·]{{2,4}}(?:\s+[\u4e00-\u9fff·]{{2,4}})*)?\s*$"
)
# A 文号 alone on its line whose 号 was lost in the web copy, with its 〕 ("牟政办发〔201746", 〔2017〕46号) or without
# ("咸安政发〔2019〕1", "工信厅规函[2018]56"). The year has four digits, so what follows it is the serial.
DOC_NO_CUT_LINE = re.compile(
    r"^\s*(?P<prefix>[\u4e00-\u9fff]{1,10})\s*[〔［\[【]\s*(?P<year>(?:19|20)\d{2})\s*[〕］\]】]?\s*(?P<serial>\d{1,4})\s*$"
)
# The same loss inside a sentence, where the 号 survived: "(国办发〔2018104号)" (〔2018〕104号).
DOC_NO_CUT = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,10})\s*[〔［\[【]\s*(?P<year>(?:19|20)\d{2})\s*(?P<serial>\d{1,4})\s*号"
)
# The opposite loss, the 〔 lost and the 〕 kept: "(粤办函2017〕259号)" (粤办函〔2017〕259号).
DOC_NO_OPEN_LOST = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,10}?)\s*(?P<year>(?:19|20)\d{2})\s*[〕］\]】]\s*第?\s*(?P<serial>\d{1,4})\s*号"
)
# Something that starts like a 文号 at the beginning of a line (serial or 号 may be missing, text may follow):
# in a document's body it may be the start of a document the parser did not recognise.
LOOSE_DOC_START = re.compile(r"^\s*[\u4e00-\u9fff]{1,10}\s*[〔［\[【]\s*\d{4}\s*[〕］\]】]\s*第?\s*\d{0,4}\s*号")
# A title line that carries its 文号 at the end: "……的通知(岳办发〔2017〕2号)".
TITLE_WITH_DOC_NO = re.compile(
    rf"^\s*(?P<title>[^。；，,;]{{4,120}}?)\s*[（(]\s*(?P<doc_no>{DOC_NO.pattern})\s*[）)]\s*$"
)
# A government order (政府令) numbers itself without a year: "内蒙古自治区人民政府令" + "第82号", on one line or two.
# A people's congress standing committee numbers the 公告 that publishes a law the same way:
# "深圳市人民代表大会常务委员会公告" + "第三十七号".
# An order's name alone on its line, maybe spaced out ("邢 台 市 人 民 政 府 令") or on a portal's bullet
# ("  •   青岛市人民政府令"); its number on the next line, maybe after the year ("〔2009〕第5号").
ORDER_HEAD = re.compile(r"^[\s•·]*(?P<head>[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,29}?\s?(?:令|公\s?告))\s*$")
# The number may stand in brackets of its own: "江西省人民政府令" / "(第273号)".
ORDER_NUMBER = re.compile(
    rf"^\s*(?P<open>[（(])?\s*(?:[〔［\[【（(]\s*(?P<year>(?:19|20)\d{{2}})\s*[〕］\]】）)])?"
    rf"\s*第\s*(?P<number>\d{{1,4}}|[{CN_NUM}]{{1,6}})\s*号\s*(?(open)[）)])\s*$"
)
ORDER_LINE = re.compile(
    rf"^\s*(?P<head>[\u4e00-\u9fff]{{2,30}}令)\s*第\s*(?P<number>\d{{1,4}}|[{CN_NUM}]{{1,6}})\s*号\s*$"
)
# A regulation's promulgation note under its title, naming the order: "(1991年3月26日济南市人民政府令19号发布)".
ORDER_NOTE = re.compile(
    rf"^\s*[（(][^（）()]*?(?P<date>\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)?\s*"
    rf"(?P<head>[\u4e00-\u9fff]{{2,30}}令)\s*第?\s*(?P<number>\d{{1,4}}|[{CN_NUM}]{{1,6}})\s*号\s*"
    r"(?:发布|公布)[^（）()]{0,30}[）)]\s*$"
)

# A 文号 as a question may write it: the usual form, the older "(78)交公路字412号", a government order "X令第19号"
# or "X令19号".
QUESTION_DOC_NO = re.compile(
    rf"{DOC_NO.pattern}|{OLD_DOC_NO.pattern}|[\u4e00-\u9fff]{{2,30}}令\s*第?\s*(?:\d{{1,4}}|[{CN_NUM}]{{1,6}})\s*号"
)

# Field labels of a government portal's metadata block ("发文字号：", "索 引 号 …", "• 发文日期:").
# fmt: off
METADATA_LABELS = (
    "索引号", "主题分类", "组配分类", "信息分类", "公开方式", "发文机构", "发布机构", "发文机关", "发文字号", "文号",
    "发文日期", "成文日期", "生成日期", "发布日期", "有效性", "生效时间", "废止时间", "内容概述", "关键词", "主题词",
    "浏览次数", "信息来源", "来源", "名称", "分类", "签发人", "紧急程度", "密级", "保密期限", "公文种类", "体裁",
    "所属类目", "公开类别", "机构名称", "时效性", "生效日期", "发布时间", "发文单位", "发布单位", "信息索引号",
    "统一编号", "是否有效", "公文目录", "公文生成日期", "颁布日期", "实施日期", "颁布单位", "公开责任部门",
    "公开目录", "公开形式", "公开日期", "政策解读", "制定机关", "公布日期", "施行日期", "法律效力位阶", "文件编号",
    "上载日期", "公开属性", "公开期限", "公开类型", "公开时限", "文件标题", "热度", "公开范围", "年度期数", "总期刊数",
    "来自", "成文时间", "文件有效性", "点击", "标题", "作者", "文档来源", "公报年份", "总号", "期号", "主办单位",
    "点击数", "文章来源", "发表时间", "浏览量", "责任编辑", "栏目", "发文序号", "信息名称", "信息有效性", "文件类型",
    "效力状态", "类别", "颁发日期", "地区", "行业", "政策文号", "发布部门", "发文时间",
)
# fmt: on
_LABEL_ALTERNATIVES = "|".join(r"\s*".join(label) for label in sorted(METADATA_LABELS, key=len, reverse=True))
METADATA_LABEL = re.compile(rf"(?:{_LABEL_ALTERNATIVES})")
# A remark field may carry the 文号: "• 备注/文号:安教〔2021〕171号" (a body's "备注：" line stays text); a row printed
# as a table may open with its border ("| 名 称:… | |").
METADATA_ROW = re.compile(rf"^[\s•·●▪|-]*(?:备注\s*/\s*)?(?:{_LABEL_ALTERNATIVES})(?:\s*[:：]|\s+\S)")
# A label alone on its line, without a colon ("索引号" / "011437144/2023-06550" / "发文字号" / …): a portal's field
# block printed one label, then one value, to a line; only a run of them is a field block (metadata.py).
METADATA_BARE_LABEL = re.compile(rf"^[\s•·●▪|-]*(?:{_LABEL_ALTERNATIVES})\s*$")
# A portal's publishing stamp: "2023-01-05 10:00 区人民政府办公室", "时间:2021-12-02 17:04" under a page's title,
# "06.05.2014  20:16" (day and month in the order of the page's language),
# with its source and counter after it ("2011-06-18 00:00:00 来源: 本站原创", "时间:… 来源:市府办 浏览次数:").
PUBLISHED_STAMP = re.compile(
    r"^\s*(?:时间\s*[:：]\s*)?(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?:\s+[^\s。，]{1,30}(?:[:：]\s*[^\s。，]{0,30})?){0,3}\s*$"
)
DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# A table-of-contents entry ends with "(文号) (page)".
TOC_ENTRY_END = re.compile(rf"^\s*[（(]\s*({DOC_NO.pattern})\s*[）)]\s*[（(]\s*(\d+)\s*[）)]\s*$")
TOC_START = re.compile(r"^\s*目\s*录\s*$")
TOC_CATEGORY = re.compile(r"^\s*【([^】]+)】\s*$")

# "2022年第4期（总第19期）"; a double issue "2019年第3、4期".
# An issue of a gazette: "2019年第3、4期", "2022第5期(总第144期)" (a page that dropped the 年).
# A gazette's issue: "2022年第5期(总第144期)", "2019年1-3期" (several issues in one), or numbered as the gazette's
# name in brackets has it, "……公报(2022年第2号)".
GAZETTE_ISSUE = re.compile(
    r"(\d{4})\s*年?\s*(?:第\s*(\d+(?:\s*[、,，-]\s*\d+)?)|(?<=年)(\d+\s*-\s*\d+))\s*期"
    r"(?:\s*[（(]\s*总第\s*(\d+)\s*期\s*[）)])?"
    r"|(?<=公报[（(])\d{4}\s*年\s*第\s*\d+\s*号"
)
DATE_ARABIC = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# Web copies type the zero of a Chinese-numeral year as the letter O or a digit: "二OO六年二月二十日".
_YEAR_ZEROS = "OoＯｏ0０"
DATE_CHINESE = re.compile(rf"([{CN_NUM}{_YEAR_ZEROS}]{{4}})年([{CN_NUM}]{{1,3}})月([{CN_NUM}]{{1,3}})日")
DATE_LINE = re.compile(rf"^\s*(?:{DATE_ARABIC.pattern}|{DATE_CHINESE.pattern})\s*$")
# A compilation's line under the title holding the 文号 and the date in one pair of brackets:
# "(哈厅字[2007]4号 2007年2月1日)".
DOC_NO_DATE_NOTE = re.compile(
    rf"^\s*[（(]\s*(?P<doc_no>{DOC_NO.pattern})\s*(?:{DATE_ARABIC.pattern}|{DATE_CHINESE.pattern})\s*[）)]\s*$"
)
# A law database's line holding the date, then the 文号: "2000年12月28日 税委会[2000]17号".
DATE_DOC_NO_LINE = re.compile(
    rf"^\s*(?:{DATE_ARABIC.pattern}|{DATE_CHINESE.pattern})\s+(?P<doc_no>{DOC_NO.pattern})\s*$"
)
# A law database's date line that names the issuer after the date: "1990年3月10日,铁道部".
DATED_ISSUER_LINE = re.compile(
    rf"^\s*(?:{DATE_ARABIC.pattern}|{DATE_CHINESE.pattern})\s*[,，、\s]\s*(?P<issuer>[\u4e00-\u9fff（）()]{{2,30}})\s*$"
)
# A signature date whose 年/月/日 were lost in the web copy: "202218" (2022年1月8日), "20220108", or with spaces where
# they stood and a stray bracket before it ("{ 2017 6 23").
DIGITS_DATE_LINE = re.compile(
    r"^\s*[{【\[]?\s*(?:(?:19|20)\d{4,6}|(?:19|20)\d{2}\s+\d{1,2}\s+\d{1,2}|(?:19|20)\d{2}\s*年\s*\d{2,4})\s*$"
)
# Who signs a government order: "省长", "自治区主席 乌力吉", "总理李鹏".
SIGNER_LINE = re.compile(
    r"^\s*[\u4e00-\u9fff]{0,4}(?:省长|市长|县长|区长|州长|盟长|旗长|主席|总理)(?:\s*[\u4e00-\u9fff·]{2,5})?\s*$"
)
PUBLICITY_LINE = re.compile(r"^\s*[（(]\s*(此件[^）)]{1,12})\s*[）)]\s*$")
# "XX文件" masthead above the 文号 line; "XX发文" variants too.
ISSUER_MASTHEAD = re.compile(r"^\s*([\u4e00-\u9fff（）()\s]{2,40}?)\s*文件\s*$")
# A 主送 line may list dozens of cities and companies ("南京、无锡、……黄山市人民政府,中国石油……有限公司:").
ADDRESSEE_LINE = re.compile(r"^[^。]{2,240}[：:]\s*$")
# The addressees printed without their colon: a list of units starting with 各, no sentence in it
# ("各街道办事处，区级各部门，官盛新区管委会"); the caller checks that its last name is a unit's.
ADDRESSEES_WITHOUT_COLON = re.compile(r"^各[^。；：:！？“”《》]{2,118}[、，][^。；：:！？“”《》、，]{2,30}$")
# A portal may name a government and, in brackets, its office that posts for it: "谯城区政府(办公室)".
ISSUER_NAME = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|办公室|办公厅|委员会|局|厅|部|署|委|院|会|中心|公司|政府|政府办|领导小组|督查室|大队|支队)"
    r"(?:[（(](?:办公室|办公厅)[）)])?$"
)


# A question that names a year ("2022年", "〔2021〕", "二〇二二年") asks about that year's document.
YEAR_MENTION = re.compile(rf"(?:19|20)\d{{2}}|[{CN_NUM}]{{4}}年")


def parse_digits_date(text: str, known: str | None = None) -> str | None:
    """A date printed as bare digits: the known date (e.g. a portal's 发文日期) when its digits, unpadded or padded,
    are the printed ones, else eight digits as YYYYMMDD, or year, month and day apart, or — with no known date to
    contradict them — six or seven digits when only one split of the digits after the year is a month and a day
    (the 年 may have survived: "2018年210"). '202218' with known '2022-01-08' → '2022-01-08'; '{ 2017 6 23' →
    '2017-06-23'; '2019610' → '2019-06-10' (61月 is none); '202091' → '2020-09-01'; '2018年210' → '2018-02-10';
    '2019116' (1月16日 or 11月6日) → None."""
    digits = re.sub(r"\s*年\s*", "", text.strip().lstrip("{【[").strip())
    if spaced := re.fullmatch(r"(\d{4})\s+(\d{1,2})\s+(\d{1,2})", digits):
        return parse_date("-".join(spaced.groups()))
    if known and digits in {known.replace("-", ""), "".join(str(int(part)) for part in known.split("-"))}:
        return known
    if len(digits) == 8:
        return parse_date(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    if len(digits) in (6, 7) and digits.isdigit() and not known:
        readings = {
            date
            for cut in range(5, len(digits))
            if len(digits) - cut <= 2 and (date := parse_date(f"{digits[:4]}-{digits[4:cut]}-{digits[cut:]}"))
        }
        return readings.pop() if len(readings) == 1 else None
    return None


def chinese_date(iso: str | None) -> str:
    """'2022-12-09' → '2022年12月9日', as replies and document cards write a date."""
    if not iso:
        return "（未注明）"
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日"


def parse_date(text: str) -> str | None:
    """'2022年12月9日' or '二〇二二年十二月九日' → '2022-12-09'; None when there is no valid date."""
    m = DATE_ARABIC.search(text) or DATE_ISO.search(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = DATE_CHINESE.search(text)
        if not m:
            return None
        zeros = str.maketrans(dict.fromkeys(_YEAR_ZEROS, "〇"))
        try:
            year, month, day = (chinese_to_int(g.translate(zeros)) for g in m.groups())
        except ValueError:
            return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


__all__ = [
    "ADDRESSEES_WITHOUT_COLON",
    "chinese_date",
    "ADDRESSEE_LINE",
    "DATED_ISSUER_LINE",
    "DATE_LINE",
    "DOC_NO",
    "DOC_NO_CUT",
    "DOC_NO_CUT_LINE",
    "DOC_NO_OPEN_LOST",
    "DOC_NO_LINE",
    "DATE_ISO",
    "DATE_DOC_NO_LINE",
    "DIGITS_DATE_LINE",
    "GAZETTE_ISSUE",
    "HEADING_RANKS",
    "HeadingMatch",
    "ISSUER_MASTHEAD",
    "ISSUER_NAME",
    "LOOSE_DOC_START",
    "METADATA_BARE_LABEL",
    "METADATA_LABEL",
    "METADATA_LABELS",
    "METADATA_ROW",
    "ORDER_HEAD",
    "ORDER_LINE",
    "QUESTION_DOC_NO",
    "ORDER_NOTE",
    "ORDER_NUMBER",
    "OLD_DOC_NO",
    "PUBLISHED_STAMP",
    "SIGNER_LINE",
    "TITLE_WITH_DOC_NO",
    "PUBLICITY_LINE",
    "TOC_CATEGORY",
    "TOC_ENTRY_END",
    "TOC_START",
    "YEAR_MENTION",
    "chinese_to_int",
    "match_heading",
    "match_tight_heading",
    "parse_date",
    "parse_digits_date",
]
