"""Readable Chinese messages for FastAPI/pydantic validation errors, naming the field that is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_WHERE = {"body": "字段", "query": "参数", "path": "路径参数", "header": "请求头"}

# pydantic error type -> message template; {name} is the field, {ctx...} values come from the error's ctx.
_TEMPLATES = {
    "missing": "缺少{where} {name}",
    "string_type": "{where} {name} 必须是字符串",
    "string_too_short": "{where} {name} 不能为空",
    "string_too_long": "{where} {name} 不能超过 {max_length} 个字符",
    "string_unicode": "{where} {name} 含有无法识别的字符",
    "invalid_unicode": "{where} {name} 含有无法识别的字符（不成对的 Unicode 代理项）",
    "control_characters": "{where} {name} 含有无法识别的控制字符，请删除后重试",
    "int_type": "{where} {name} 必须是整数",
    "int_parsing": "{where} {name} 必须是整数",
    "int_from_float": "{where} {name} 必须是整数",
    "float_type": "{where} {name} 必须是数字",
    "float_parsing": "{where} {name} 必须是数字",
    "bool_type": "{where} {name} 必须是 true 或 false",
    "bool_parsing": "{where} {name} 必须是 true 或 false",
    "list_type": "{where} {name} 必须是数组",
    "too_long": "{where} {name} 最多只能有 {max_length} 项",
    "dict_type": "{where} {name} 必须是对象",
    "model_type": "{where} {name} 必须是对象",
    "model_attributes_type": "{where} {name} 必须是对象",
    "literal_error": "{where} {name} 必须是 {expected} 之一",
    "enum": "{where} {name} 必须是 {expected} 之一",
    "greater_than_equal": "{where} {name} 不能小于 {ge}",
    "less_than_equal": "{where} {name} 不能大于 {le}",
    "date_type": "{where} {name} 必须是 YYYY-MM-DD 格式的日期",
    "date_parsing": "{where} {name} 必须是 YYYY-MM-DD 格式的日期",
    "date_from_datetime_parsing": "{where} {name} 必须是 YYYY-MM-DD 格式的日期",
    "date_from_datetime_inexact": "{where} {name} 必须是 YYYY-MM-DD 格式的日期",
    "extra_forbidden": "不支持{where} {name}",
}
_BODY_ROOT = {
    "missing": "缺少请求体，请发送一个 JSON 对象",
    "dict_type": "请求体必须是一个 JSON 对象",
    "model_type": "请求体必须是一个 JSON 对象",
    "model_attributes_type": "请求体必须是一个 JSON 对象",
}
JSON_INVALID = "请求体不是合法的 JSON"


def _field_name(loc: Sequence[Any]) -> str:
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name


def _expected(ctx: dict[str, Any]) -> str:
    # pydantic writes "'up' or 'down'"; show the bare values.
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、").replace(", ", "、")


def describe_error(error: dict[str, Any]) -> str:
    """One pydantic error as a Chinese sentence."""
    kind = str(error.get("type", ""))
    loc = list(error.get("loc", ()))
    where = _WHERE.get(str(loc[0]), "字段") if loc else "字段"
    path = loc[1:] if loc and loc[0] in _WHERE else loc
    if not path and where == "字段":
        return _BODY_ROOT.get(kind, "请求体格式不正确")
    ctx = dict(error.get("ctx") or {})
    template = _TEMPLATES.get(kind, "{where} {name} 的值不合法")
    values = {**ctx, "where": where, "name": _field_name(path), "expected": _expected(ctx)}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return f"{where} {values['name']} 的值不合法"


def describe_validation_error(errors: Sequence[dict[str, Any]]) -> tuple[bool, str]:
    """(is the body not JSON at all, the message for the first error)."""
    if not errors:
        return False, "请求格式不正确"
    first = dict(errors[0])
    if first.get("type") == "json_invalid":
        return True, JSON_INVALID
    return False, describe_error(first)


__all__ = ["JSON_INVALID", "describe_error", "describe_validation_error"]
