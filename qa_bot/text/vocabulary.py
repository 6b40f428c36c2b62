"""Domain vocabulary in one place: general synonyms of gazette language and words never worth matching."""

from __future__ import annotations

# Groups of words a civil servant uses interchangeably. Query-side only, general to gazettes, never per-question.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("寄递", "快递", "邮件快件"),
    ("牵头", "主管", "主抓", "牵头单位"),
    ("负责", "责任单位", "承担"),
    ("目标", "指标", "达到"),
    ("印发", "发布", "下发", "出台"),
    ("成文日期", "发文日期", "印发日期"),
    ("文号", "发文字号"),
    ("地区生产总值", "GDP", "国内生产总值"),
    ("挥发性有机物", "VOCs", "VOC"),
    ("氮氧化物", "NOx"),
    ("细颗粒物", "PM2.5"),
    ("不动产投资信托基金", "REITs"),
    ("政府和社会资本合作", "PPP"),
    ("能耗", "能源消耗"),
    ("污水", "废水"),
    ("垃圾", "废弃物"),
    ("农村", "乡村"),
    ("老年人", "老人", "银龄"),
    ("青少年", "学生", "中小学生"),
    ("公务员", "领导干部"),
    ("气象", "天气"),
    ("比例", "比重", "占比"),
    ("提高", "提升"),
    ("截至", "到", "截止"),
    ("资金", "钱", "经费"),
    ("回收", "收回"),
    ("客车", "班车", "客运"),
    ("捎", "捎带", "带运"),
    ("噪声", "噪音"),
)

STOPWORDS: frozenset[str] = frozenset("""
    的 了 和 与 及 或 是 在 对 把 被 为 以 等 由 从 向 到 于 之 其 这 那 哪 哪个 哪些 哪里 什么 怎么 怎样 如何
    多少 几 几个
    吗 呢 吧 啊 呀 么 请问 请 一下 一个 个 有 有没有 没有 是否 要 需要 应该 能 可以 会 还 也 都 就 又 再 很 最 更 比较
    我 我们 你 你们 他 她 它 他们 咱们 本 该 此 每 各 啥 谁 哪家 哪一年 哪年 几月 何时 时候 什么时候 具体
    相关 有关 方面 问题
    里 中 上 下 内 外 后 前 时 说 讲 提到 提出 规定 写 文件 里面 当中 一些 这个 那个 这些 那些 现在 目前 今年 明年
    """.split())

# Common nouns of places that end like a place name ("城市", "园区"): they name no place in particular.
GENERIC_PLACES: frozenset[str] = frozenset(
    "城市 城区 市区 县区 地区 社区 园区 港区 景区 小区 辖区 矿区 新区 郊区 山区 街区 城乡 全市 全省 全县".split()
)

# Kinds of unit a question may ask about ("有哪些金融部门", "公安这类单位"), each with the name parts that mark a unit
# of that kind in any gazette's responsibility notes.
UNIT_KINDS: dict[str, tuple[str, ...]] = {
    "金融": ("人民银行", "银保监", "金融", "银行", "证监", "保险", "国家金融监督管理"),
    "银行": ("银行",),
    "公安": ("公安",),
    "海事": ("海事",),
    "税务": ("税务",),
    "教育": ("教育",),
    "交通": ("交通",),
    "企业": ("公司", "集团"),
    "县区": ("县", "区政府", "管委会"),
    "群团": ("妇联", "团市委", "共青团", "总工会", "科协", "残联"),
}



def kind_marks(kind: str) -> tuple[str, ...]:
    """The name parts that mark a unit of this kind (公安 → 公安; 金融 → 人民银行, 银保监, …)."""
    return UNIT_KINDS.get(kind, (kind,))


__all__ = ["STOPWORDS", "SYNONYM_GROUPS", "UNIT_KINDS", "kind_marks"]
