"""Responsibility notes (〔X牵头，Y按职责分工负责〕, 牵头单位：/责任单位：) and the unit names inside them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

OPENERS = "〔【［[（("
CLOSERS = "〕】］]）)"
NOTE_KEYWORDS = re.compile(r"牵头|负责|责任单位|配合单位|协办|协作单位|主办|责任部门|配合部门")
# fmt: off
_LABEL_NAMES = (
    "牵头责任单位", "协同责任单位", "牵头负责领导", "牵头领导", "牵头单位", "主要责任单位", "责任单位", "配合单位",
    "协办单位", "主要协作单位", "协作单位", "主办单位", "参与单位", "完成时限", "时间节点", "完成时间", "时限要求",
    "牵头部门", "责任部门", "配合部门", "部门分工", "分管省领导", "分管市领导", "分管县领导", "分管领导",
)
# fmt: on
_LABEL = re.compile(rf"({'|'.join(_LABEL_NAMES)})[：:]")
# 部门 where other notes say 单位; the main responsible units lead ("各主要责任单位要充分发挥牵头抓总作用"), as the
# column of that name does in a task table (qa_bot.parse.structure)
_LEAD_LABELS = {"牵头单位", "主办单位", "牵头责任单位", "牵头部门", "主要责任单位"}
_DEADLINE_LABELS = {"完成时限", "时间节点", "完成时间", "时限要求"}
# names a leader, not a unit: kept in the text, never a unit
_PERSON_LABELS = {"牵头负责领导", "牵头领导", "分管省领导", "分管市领导", "分管县领导", "分管领导"}
# says who does what in a sentence: "部门分工：省发展改革委牵头，各地、各部门配合。"
_SENTENCE_LABELS = {"部门分工"}
# A separate line that states responsibility without brackets (other gazettes), or its deadline under it
# ("责任单位:市建设局" / "时限要求:持续推进"); the units that work with the lead ("协办单位:", "主要协作单位:") on a
# line of their own under it.
NOTE_LINE = re.compile(
    r"^\s*(牵头责任单位|协同责任单位|牵头负责领导|牵头领导|牵头单位|主要责任单位|责任单位|配合单位|协办单位|主要协作单位|协作单位"
    r"|时限要求|牵头部门|责任部门|配合部门|部门分工|分管[省市县]?领导)[：:]"
)
# A note the copy cut short at the clause's end, its closing bracket lost with it: "（牵头单位：X；责任单位：区政",
# maybe after a word on the task's kind ("（预期性指标，牵头单位：…"); a unit's own brackets stay in it
# ("各县(区)人民政府").
_CUT_NOTE = re.compile(
    rf"[{re.escape(OPENERS)}](?P<inner>(?:[^{re.escape(OPENERS + CLOSERS)}：:，,。]{{1,10}}[，,])?"
    rf"(?:{'|'.join(_LABEL_NAMES)})[：:](?:[^{re.escape(OPENERS + CLOSERS)}]|[（(][^（()）]{{1,6}}[)）])*)$"
)
# A remark after a label's units: "责任单位：市政府有关部门，各县市区，以下均需各县市区落实".
_REMARK = re.compile(r"[，,；;](?=以下|下同)")
# What the cut took the end of: the last unit's name or label, after the last separator.
_ROLE_LINE_MAX = 80  # a role line is one table cell of units, no paragraph
_CUT_PART = re.compile(r"[^、，,；;：:]*$")
# A note that says its first 责任单位 leads: "责任单位:市发改委、市财政局(第一责任单位为牵头单位,下同)", also after
# its exception ("(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)"); "下同" makes it hold for the later notes of
# the document too.
FIRST_UNIT_LEADS = re.compile(
    r"[（(][^（）()]{0,16}(?:第一|首位|排名第一|排在第一位|列第一位)[^（）()]{0,6}为牵头(?:或汇总)?单位"
    r"(?P<onwards>[，,；;]?\s*下同)?[）)]"
)
# A labelled list that names its own leads: "责任单位:市人力社保局、市农业农村局分别牵头".
_LIST_LEADS = re.compile(r"(分别|共同)?牵头$")
# A mark before the unit that leads among a task's 责任单位 ("责任单位 ▲发改局，各部门"; "带▲的为牵头单位").
_LEAD_MARK = re.compile(r"^[▲★△☆]\s*")
_LEAD_END = re.compile(r"(共同|分别)?(牵头|主办)(负责|实施|落实)?$")  # "(市经信委牵头落实)", "(省财政厅主办，…)"
_BY = re.compile(r"^由(?=[\u4e00-\u9fff]{2})")  # "由市科技局牵头": the unit comes after 由
_RESP_END = re.compile(r"(按职责分工|按照职责分工|按职责|分别|共同)?(负责落实|负责)$")
# "（X牵头，Y、Z配合）": the units that help count as responsible, as a 配合单位： label does.
_HELP_END = re.compile(r"(共同|积极)?(配合|协助|协办|参与)$")
# "等(市级)相关单位" after the units a list names is no unit ("市国资委等市级有关部门" → 市国资委).
_TRAILING_JUNK = re.compile(r"(等(?:[省市县区]级)?(?:相关|有关)?(?:单位|部门)|相关单位|等)$")
# What is left of "各相关单位", "其他有关单位" without its tail is no unit: such a name is kept whole.
_BARE_QUANTIFIER = re.compile(r"^(各|其他|其它|有关|其他有关|[省市州县区]直)$")  # ("州直相关单位" stays whole)
# A segment of an unlabelled note that says when, not who: "年内持续推进", "2020年底前完成", "长期坚持".
_WHEN_SEGMENT = re.compile(r"(年内|年底|年末|月底|季度|持续推进|长期坚持|持续实施|\d{4}\s*年|前完成)")
_PLACE_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}[市县区旗]")  # a county, district or city named alone
_UNIT_TAIL = re.compile(
    r"(局|委|办|厅|部|署|院|会|处|室|中心|政府|单位|部门|公司|集团|街道|乡镇|专班|小组|银行|支行|分行)$"
)
# "和" joins two units only when the right side starts like a unit name (so 市工业和信息化局 stays whole).
# A deadline a clause states in its text: "2022年11月底前", "到2025年", "到2023年底".
_DEADLINE_BEFORE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?前")
_DEADLINE_BY = re.compile(r"(?:到|至|截至)\s*\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:底|末)?")
_AND_SPLIT = re.compile(r"(?<=[\u4e00-\u9fff）])和(?=(?:市|省|县|区|各|有关|中国|国家))")
_UNIT_SEPARATORS = re.compile(r"[、，,；;]|(?<=[\u4e00-\u9fff）])及(?=[\u4e00-\u9fff])")
# "各县、市、区政府" names one set of governments (各县（市、区）政府 written without brackets): never split.
_LEVELS_LIST = re.compile(r"各[县市区乡镇旗](?:、[县市区乡镇旗])+(?:人民政府|政府)")
# … and "各开发区、镇（街道）": a bare level after a 各 list is one of that list ("各开发区" and "各镇（街道）").
_EACH_LEVELS = re.compile(r"各[\u4e00-\u9fff]{1,6}(?:、(?:[县市区乡镇旗]|街道)(?:（[^）]{1,6}）)?)+(?=[、，,；;。]|$)")


@dataclass(frozen=True)
class Responsibility:
    """What a responsibility note says: who leads, who is responsible, by when, and the note as written.
    first_unit_leads: "first" when the note says its first 责任单位 leads, "onwards" when it says so for the later
    notes too ("下同")."""

    note: str
    lead_units: tuple[str, ...] = ()
    responsible_units: tuple[str, ...] = ()
    deadline: str | None = None
    remarks: tuple[str, ...] = field(default=())
    first_unit_leads: str | None = None

    def with_first_unit_leading(self) -> Responsibility:
        """The note read with its first responsible unit as the lead (when it names no lead of its own)."""
        if self.lead_units or not self.responsible_units:
            return self
        return replace(self, lead_units=self.responsible_units[:1], responsible_units=self.responsible_units[1:])


def _protect_brackets(text: str) -> str:
    """Separators inside brackets belong to one name ("各县（市、区）人民政府"): hidden as NUL until split."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        out.append("\0" if depth and ch == "、" else ch)
    return "".join(out)


def split_units(text: str) -> list[str]:
    """'市发展改革委、市财政局等相关单位及各县（市）区' → ['市发展改革委', '市财政局', '各县（市）区'];
    '各县（市、区）人民政府' stays one name."""
    units: list[str] = []
    kept = _protect_brackets(text)
    for levels in (_LEVELS_LIST, _EACH_LEVELS):
        kept = levels.sub(lambda m: m.group(0).replace("、", "\0"), kept)
    for piece in _UNIT_SEPARATORS.split(kept):
        for part in _AND_SPLIT.split(piece.replace("\0", "、")):
            name = part.strip().strip("。.")
            trimmed = _TRAILING_JUNK.sub("", name).strip()
            name = name if _BARE_QUANTIFIER.match(trimmed) else trimmed
            if name and name not in units:
                units.append(name)
    return units


def stated_deadlines(text: str) -> list[str]:
    """The deadlines and year targets a clause states, in order:
    '…到2023年，…到2025年，…' → ['到2023年', '到2025年']."""
    found = sorted(
        (m.start(), re.sub(r"\s+", "", m.group())) for p in (_DEADLINE_BEFORE, _DEADLINE_BY) for m in p.finditer(text)
    )
    return list(dict.fromkeys(phrase for _, phrase in found))


def find_note_span(text: str) -> tuple[int, int] | None:
    """Locate a bracketed responsibility note at the end of text (before a final 。), mismatched brackets allowed.

    Returns (start, end) of the note including its brackets, or None.
    """
    end = len(text.rstrip().rstrip("。.").rstrip())
    if end == 0 or text[end - 1] not in CLOSERS:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = text[i]
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            depth -= 1
            if depth == 0:
                inner = text[i + 1 : end - 1]
                if FIRST_UNIT_LEADS.fullmatch(text[i:end]):
                    return None  # "（第一责任单位为牵头单位，下同）" remarks on the labelled note it closes
                return (i, end) if NOTE_KEYWORDS.search(inner) else None
    return None


def _parse_labelled(body: str) -> Responsibility:
    lead: list[str] = []
    responsible: list[str] = []
    deadline: str | None = None
    first_leads = FIRST_UNIT_LEADS.search(body)
    body = FIRST_UNIT_LEADS.sub("", body) if first_leads else body
    matches = list(_LABEL.finditer(body))
    for k, m in enumerate(matches):
        value_end = matches[k + 1].start() if k + 1 < len(matches) else len(body)
        # A full stop ends the value: what follows is a remark ("……园区管委会。以下政策措施均需……不再单独列出"); so does
        # the end of its line (under it, a label the copy cut short: "完成时")
        value = _REMARK.split(body[m.end() : value_end].strip().split("。", 1)[0].split("\n", 1)[0])[0].rstrip("；;，,")
        label = m.group(1)
        if label in _PERSON_LABELS:
            continue
        if label in _SENTENCE_LABELS:
            said = _parse_sentences(body[m.end() : value_end].strip())
            lead += [u for u in said.lead_units if u not in lead]
            responsible += [u for u in said.responsible_units if u not in responsible]
            deadline = deadline or said.deadline
            continue
        if label in _DEADLINE_LABELS:
            deadline = value
        elif label in _LEAD_LABELS or _LIST_LEADS.search(value):
            lead += [u for u in split_units(_LIST_LEADS.sub("", value)) if u not in lead]
        else:
            units = split_units(_RESP_END.sub("", value))
            if units and _WHEN_SEGMENT.search(units[-1]) and not _UNIT_TAIL.search(units[-1]):
                deadline = deadline or units.pop()  # "责任单位：…，湘西经开区管委会，6月底完成"
            for unit in units:  # "…、省大数据中心按职责分工负责"
                marked = _LEAD_MARK.sub("", unit)  # "▲发改局": the unit a table marks leads
                target = lead if marked != unit else responsible
                if marked not in target:
                    target.append(marked)
    parsed = Responsibility(note=body, lead_units=tuple(lead), responsible_units=tuple(responsible), deadline=deadline)
    if not first_leads:
        return parsed
    return replace(parsed.with_first_unit_leading(), first_unit_leads="onwards" if first_leads["onwards"] else "first")


def _parse_sentences(body: str) -> Responsibility:
    """Unlabelled notes: 'X、Y牵头，Z等按职责分工负责，各县（市）区政府（管委会）负责落实。以下均需……'."""
    lead: list[str] = []
    responsible: list[str] = []
    remarks: list[str] = []
    deadline: str | None = None
    for sentence in re.split(r"[。；;]", body):
        sentence = sentence.strip()
        if not sentence:
            continue
        pending: list[str] = []
        found_role = False
        for segment in re.split(r"[，,]", sentence):
            segment = _BY.sub("", segment.strip())
            if not segment:
                continue
            if _LEAD_END.search(segment):
                units = split_units("、".join(pending + [_LEAD_END.sub("", segment)]))
                lead += [u for u in units if u not in lead]
                pending, found_role = [], True
            elif _RESP_END.search(segment) or _HELP_END.search(segment):
                units = split_units("、".join(pending + [_HELP_END.sub("", _RESP_END.sub("", segment))]))
                responsible += [u for u in units if u not in responsible]
                pending, found_role = [], True
            elif _WHEN_SEGMENT.search(segment) and not _UNIT_TAIL.search(segment):
                deadline = deadline or segment
            else:
                pending.append(segment)
        if not found_role:
            remarks.append(sentence)
        elif pending:  # units listed after the last role word share the sentence's last role
            target = responsible if responsible else lead
            target += [u for u in split_units("、".join(pending)) if u not in target]
    return Responsibility(
        note=body,
        lead_units=tuple(lead),
        responsible_units=tuple(responsible),
        deadline=deadline,
        remarks=tuple(remarks),
    )


def parse_note(note: str) -> Responsibility:
    """Parse a note with or without its brackets into lead and responsible units, keeping the text's own names."""
    body = note.strip()
    if body and body[0] in OPENERS and body[-1] in CLOSERS:
        body = body[1:-1].strip()
    if _LABEL.search(body):
        parsed = _parse_labelled(body)
    else:
        parsed = _parse_sentences(body)
    return replace(parsed, note=note.strip())


def extract_responsibility(text: str) -> Responsibility | None:
    """The responsibility note closing a clause: a bracketed note at its end, or a trailing 责任单位：… line."""
    span = find_note_span(text)
    if span is not None:
        return parse_note(text[span[0] : span[1]])
    lines = text.splitlines()
    while len(lines) > 2 and is_cut_label(lines[-1]) and NOTE_LINE.match(lines[-2]):
        lines = lines[:-1]  # "主要责任单位：X" / "完成时": the copy ends inside the next label
    if len(lines) > 1 and is_role_line(lines[-1]):
        return parse_note(lines[-1])
    if len(lines) > 1 and NOTE_LINE.match(lines[-1]):
        # a trailing 牵头单位：… line may be preceded by its 责任单位：… partner line
        start = len(lines) - 1
        while start > 1 and NOTE_LINE.match(lines[start - 1]):
            start -= 1
        return parse_note("".join(lines[start:]))
    if cut := _CUT_NOTE.search(text.rstrip()):
        # the unit the cut fell in is unknown ("区政…"): the note reads as far as its last whole name
        return replace(parse_note(_CUT_PART.sub("", cut["inner"])), note=cut.group(0))
    return None


def is_note_sentence(text: str) -> bool:
    """Is a sentence of a clause (part of) its responsibility note: a labelled line ("责任单位：…"), a bracketed note,
    or the start of one the copy or the sentence split cut ("（预期性指标，牵头单位：市发改委；")?"""
    plain = text.strip()
    if (label := NOTE_LINE.match(plain)) is not None:
        return label.group(1) not in _PERSON_LABELS  # "分管省领导：张三" names a person a question may ask for
    if not plain or plain[0] not in OPENERS:
        return False
    return find_note_span(plain) == (0, len(plain.rstrip("。."))) or _CUT_NOTE.match(plain) is not None


def is_role_line(text: str) -> bool:
    """A line of units and their role only, without label or brackets ("市发改委牵头落实", "市金融办、人民银行潍坊市中心
    支行、潍坊银监分局分别牵头落实"): the note of the task above it, as a flattened table prints its 责任单位 cell."""
    plain = text.strip().rstrip("。")
    if not plain or len(plain) > _ROLE_LINE_MAX or any(c in plain for c in "。；;：:") or plain[0] in OPENERS:
        return False
    parsed = _parse_sentences(plain)
    units = parsed.lead_units + parsed.responsible_units
    # places listed before one's government share its 人民政府 ("川汇区、商水县、沈丘县人民政府")
    governed = any(u.endswith("政府") for u in units)
    return (
        bool(units)
        and not parsed.remarks
        and all(_UNIT_TAIL.search(u) or (governed and _PLACE_NAME.fullmatch(u)) for u in units)
    )


def is_cut_label(text: str) -> bool:
    """A line holding only the start of a note's label, the copy cut short inside it ("完成时" of "完成时限:")."""
    plain = text.strip()
    return len(plain) >= 2 and any(name.startswith(plain) for name in _LABEL_NAMES)


__all__ = [
    "FIRST_UNIT_LEADS",
    "NOTE_LINE",
    "is_cut_label",
    "is_role_line",
    "is_note_sentence",
    "Responsibility",
    "extract_responsibility",
    "find_note_span",
    "parse_note",
    "split_units",
    "stated_deadlines",
]
