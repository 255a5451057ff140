"""Find quantities: exact value, magnitude, unit, range and qualifier, in Arabic digits or Chinese numerals."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from schemas import Quantity

from . import resources as r
from .chinese_numbers import extract_chinese_quantities
from .scanning import matches_near
from .registry import register

NAME = register("numbers.v2")

_DATE_AFTER = re.compile(r"\s*(?:年|月|日|世纪|号|届|周年|季度)")
_LATIN_AROUND = re.compile(r"[A-Za-z]")
_LIST_GAP = re.compile(r"^\s*(?:、|和|及|与|以及|或|，|,|/)\s*$")
# Just before a number: an operator (7×24), a footnote bracket (^[3) or 第 (an ordinal).
_MARK_BEFORE = re.compile(r"[×*+\[第]\s*$")
_GLUED_BEFORE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-/×*+")
_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DIGIT = re.compile(r"\d")
_OPERATOR_AFTER = re.compile(r"\s*[×*]|\+\s*[\dA-Za-z+]")
_BRACKETED_END = re.compile(r"[（(][^）)]*[）)]$")
_WIDE = re.compile("[" + "".join(re.escape(chr(code)) for code in r.HALFWIDTH) + "]")
_PERCENT_LIKE = ("%", "pp", "x", "‰")


def _decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", "").replace("−", "-"))


def _inside_title(text: str, pos: int) -> bool:
    """True when `pos` sits inside 《…》 (titles are short: 120 characters at most)."""
    opened = text.rfind("《", max(0, pos - 120), pos)
    return opened != -1 and text.rfind("》", opened, pos) == -1


def _qualifier(text: str, start: int, after: str | None) -> str:
    if after:
        return r.QUALIFIERS_AFTER[after]
    return r.qualifier_before(text, start) or "exact"


_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？\n]")
_SENTENCE_BREAK = re.compile(r"[。；;！？\n]")


def _clause_before(text: str, start: int) -> str:
    """Text from the last clause break up to `start` (within 200 characters)."""
    return _CLAUSE_BREAK.split(text[max(0, start - 200):start])[-1]


def _sentence_after(text: str, end: int) -> str:
    """Text from `end` up to the sentence end (within 300 characters)."""
    return _SENTENCE_BREAK.split(text[end:end + 300], maxsplit=1)[0]


def _is_duration(text: str, m: re.Match) -> bool:
    """20多年, 3年左右, 用3至5年, 长达6个月: a span of time, not a date or a period."""
    unit = m.group("unit")
    before = text[max(0, m.start() - 4):m.start()]
    if r.PERIOD_BEFORE.search(before) or r.PERIOD_AFTER.match(text, m.end()):
        return False
    if unit != "年":
        return True
    if abs(_decimal(m.group("num"))) >= 200:
        return False
    qualified = m.group("more1") or m.group("more2") or m.group("after") in ("左右", "以上", "多", "余")
    return bool(qualified or r.DURATION_BEFORE.search(before))


def _excluded(text: str, m: re.Match) -> bool:
    """Dates, ordinals, names, footnote markers, idioms: digits that are not a quantity."""
    start, end = m.start(), m.end()
    if start and text[start - 1] in _GLUED_BEFORE:
        return True  # a letter, dot, dash, slash or operator glued before: part of a name, a date or a formula
    if _MARK_BEFORE.search(text, max(0, start - 3), start):
        return True
    if _OPERATOR_AFTER.match(text[end:end + 3]):
        return True  # 7×24, 1+4+N; but 10万+ is "over 10万"
    if _inside_title(text, start):
        return True
    if _DATE_SHAPE.match(text, start):
        return True
    unit = m.group("unit")
    if unit in r.TIME_UNITS and not _is_duration(text, m):
        return True
    if unit == "岁" and r.AGE_DESCRIPTOR.match(text, end):
        return True
    if unit in r.RANK_UNITS and r.RANK_BEFORE.search(text[max(0, start - 3):start]):
        return True
    if unit in ("小时", "GHz", "MHz") and r.NAME_AFTER.match(text, end):
        return True
    if not unit and not m.group("mag"):
        if _DATE_AFTER.match(text, end) or end < len(text) and _LATIN_AROUND.match(text[end]):
            return True
    if unit in r.LATIN_UNITS and end < len(text) and _LATIN_AROUND.match(text[end]):
        return True
    return False


def _is_scope(text: str, quantity: Quantity) -> bool:
    """对300家企业的调查, 全国832个贫困县网络零售总额, 31个省区市中: a count that frames another figure."""
    if quantity.unit in _PERCENT_LIKE or quantity.unit in r.CURRENCIES.values():
        return False
    clause = _clause_before(text, quantity.start)
    sentence_rest = _sentence_after(text, quantity.end)
    if r.STUDY_VERB_BEFORE.search(clause) or r.STUDY_BEFORE.search(clause) and r.STUDY_AFTER.search(sentence_rest):
        return True
    if r.DENOMINATOR_AFTER.match(text, quantity.end):
        return True
    rest_of_clause = _CLAUSE_BREAK.split(sentence_rest, maxsplit=1)[0]
    aggregate = r.AGGREGATE_AFTER.search(rest_of_clause)
    measured_later = aggregate and _DIGIT.search(rest_of_clause, aggregate.end())
    return bool(measured_later and not r.EXISTENTIAL_BEFORE.search(clause))


def _is_index_value(text: str, m: re.Match) -> bool:
    """PUE降至1.3, 基尼系数为0.46, 指数达120.5: a unitless value of a named index."""
    if m.group("high") or m.group("join"):
        return False
    clause = _clause_before(text, m.start())
    return bool(r.INDEX_WORD.search(clause) and r.INDEX_VALUE_BEFORE.search(clause))


def _unit(m: re.Match, text: str) -> str:
    unit = r.canonical_unit(m.group("unit"))
    if m.group("per") and unit is not None and unit not in r.CURRENCIES.values():
        return _BRACKETED_END.sub("", m.group("unit")) + m.group("per")
    if unit is None:
        if m.group("mag") and r.MONEY_CONTEXT.search(_clause_before(text, m.start())):
            return "CNY"  # 价值约为4951亿: money written without 元
        return "count"
    return unit


def _parse(text: str, m: re.Match, unit_override: str | None = None, mag_override: str | None = None) -> Quantity:
    magnitude = r.MAGNITUDES.get(m.group("mag") or mag_override or "", Decimal(1))
    low_magnitude = r.MAGNITUDES.get(m.group("mag1") or "", magnitude)
    value = _decimal(m.group("num")) * low_magnitude
    high = _decimal(m.group("high")) * magnitude if m.group("high") else None
    unit = unit_override or _unit(m, text)
    if unit in _PERCENT_LIKE:
        value = _decimal(m.group("num"))
        high = _decimal(m.group("high")) if m.group("high") else None
    raw_end = m.start("after") if m.group("after") else m.end()
    while raw_end > m.start() and text[raw_end - 1].isspace():
        raw_end -= 1
    qualifier = _qualifier(text, m.start(), m.group("after"))
    if qualifier == "exact" and (m.group("more1") or m.group("more2") or text[raw_end:raw_end + 1] == "+"):
        qualifier = "over"
    return Quantity(
        start=m.start(), end=raw_end, raw=text[m.start():raw_end], value=value,
        value_high=high, unit=unit, qualifier=qualifier,
    )


def _fractions(text: str) -> list[Quantity]:
    """1/3, 1/7 of something: a share, in percent."""
    found = []
    for m in r.FRACTION.finditer(text):
        num, den = int(m.group("num")), int(m.group("den"))
        if not 0 < num < den or _inside_title(text, m.start()):
            continue
        end = m.end("den")
        found.append(Quantity(
            start=m.start(), end=end, raw=text[m.start():end], value=Decimal(num) * 100 / Decimal(den), unit="%",
            qualifier=_qualifier(text, m.start(), m.group("after")),
        ))
    return found


def _arabic_quantities(text: str, taken: list[Quantity]) -> list[Quantity]:
    matches = []
    for m in matches_near(r.QUANTITY, text, _DIGIT, reach=1):  # a number opens with a digit or a sign
        if taken and any(q.start <= m.start() < q.end for q in taken):
            continue
        try:
            if not _excluded(text, m):
                matches.append(m)
        except InvalidOperation:
            continue
    quantities: list[Quantity | None] = [None] * len(matches)
    # Right to left, so a unit shared by a list ("531 和 422.5 亿美元") reaches every item.
    for i in range(len(matches) - 1, -1, -1):
        m = matches[i]
        bare = not m.group("unit") and not m.group("mag") and not (m.group("more1") or m.group("more2"))
        nxt = quantities[i + 1] if i + 1 < len(matches) else None
        gap = text[m.end():matches[i + 1].start()] if nxt else ""
        try:
            if nxt and _LIST_GAP.match(gap) and nxt.unit != "count":
                shares_unit = bare or (m.group("unit") == "个" and nxt.unit == "pp")
                if shares_unit:
                    mag = matches[i + 1].group("mag")
                    quantities[i] = _parse(
                        text, m, unit_override=nxt.unit, mag_override=None if m.group("mag") else mag)
                    continue
            if bare and not _is_index_value(text, m):
                continue
            quantities[i] = _parse(text, m)
        except InvalidOperation:
            continue
    return [q for q in quantities if q is not None]


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order: Arabic digits, fractions and Chinese numerals."""
    if not _WIDE.search(text):
        return _find(text)  # normalized text is half-width already
    found = _find(text.translate(r.HALFWIDTH))  # one character for one, so spans index `text` too
    return [replace(q, raw=text[q.start:q.end]) for q in found]


def _find(text: str) -> list[Quantity]:
    fractions = _fractions(text) if "/" in text else []
    arabic = _arabic_quantities(text, fractions) if _DIGIT.search(text) else []
    chinese = extract_chinese_quantities(text)
    if chinese and (fractions or arabic):
        taken = sorted((q.start, q.end) for q in arabic + fractions)
        starts = [start for start, _ in taken]

        def overlaps(q: Quantity) -> bool:
            i = bisect_left(starts, q.end)  # spans starting before q ends; the last of them reaches furthest left
            return any(taken[j][1] > q.start for j in range(max(0, i - 2), i))

        chinese = [q for q in chinese if not overlaps(q)]
    found = fractions + arabic + chinese
    if not found:
        return found
    found.sort(key=lambda q: q.start)
    return [q for q in found if not _is_scope(text, q)]
