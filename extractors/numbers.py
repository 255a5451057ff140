"""Find quantities written with Arabic digits: exact value, magnitude, unit, range and qualifier."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from schemas import Quantity

from . import resources as r

NAME = "numbers.v1"

_DATE_AFTER = re.compile(r"\s*(?:年|月|日|世纪|号|届|周年|季度)")
_LATIN_AROUND = re.compile(r"[A-Za-z]")
_LIST_GAP = re.compile(r"^\s*(?:、|和|及|与|以及|或|，|,|/)\s*$")
_FOOTNOTE_BEFORE = re.compile(r"(?:\^\[|\[)\s*$")
_ORDINAL_BEFORE = re.compile(r"第\s*$")
_DATE_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def _decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", "").replace("−", "-"))


def _canonical_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    if unit in ("%", "％"):
        return "%"
    if unit == "‰":
        return "‰"
    if unit in ("个百分点", "百分点"):
        return "pp"
    if unit == "倍":
        return "x"
    if unit in r.CURRENCIES:
        return r.CURRENCIES[unit]
    if unit in r.LATIN_UNITS:
        return r.LATIN_UNITS[unit]
    if unit in r.MEASURES:
        return r.MEASURES[unit]
    return unit.replace("(", "（").replace(")", "）")


def _inside_title(text: str, pos: int) -> bool:
    """True when `pos` sits inside 《…》."""
    opened = text.rfind("《", 0, pos)
    return opened != -1 and text.rfind("》", opened, pos) == -1


def _qualifier(text: str, start: int, after: str | None) -> str:
    if after:
        return r.QUALIFIERS_AFTER[after]
    before = r.QUALIFIER_BEFORE_RE.search(text[max(0, start - 4):start])
    if before:
        word = before.group().strip()
        if text[max(0, start - 4):start].rstrip().endswith("不超过"):
            return "under"
        return r.QUALIFIERS_BEFORE.get(word, "exact")
    return "exact"


def _excluded(text: str, m: re.Match) -> bool:
    """Dates, ordinals, names, footnote markers: digits that are not a quantity."""
    start, end = m.start(), m.end()
    before = text[max(0, start - 3):start]
    if start and (_LATIN_AROUND.match(text[start - 1]) or text[start - 1] in "._-/"):
        return True
    if _FOOTNOTE_BEFORE.search(before) or _ORDINAL_BEFORE.search(before) or _inside_title(text, start):
        return True
    if _DATE_SHAPE.match(text, start):
        return True
    if not m.group("unit") and not m.group("mag"):
        if _DATE_AFTER.match(text, end) or end < len(text) and _LATIN_AROUND.match(text[end]):
            return True
    if m.group("unit") in r.LATIN_UNITS and end < len(text) and _LATIN_AROUND.match(text[end]):
        return True
    return False


def _parse(text: str, m: re.Match, unit_override: str | None = None, mag_override: str | None = None) -> Quantity:
    magnitude = r.MAGNITUDES.get(m.group("mag") or mag_override or "", Decimal(1))
    low_magnitude = r.MAGNITUDES.get(m.group("mag1") or "", magnitude)
    value = _decimal(m.group("num")) * low_magnitude
    high = _decimal(m.group("high")) * magnitude if m.group("high") else None
    unit = unit_override or _canonical_unit(m.group("unit"))
    if unit is None:
        unit = "count"
    if unit in ("%", "pp", "x", "‰"):
        value = _decimal(m.group("num"))
        high = _decimal(m.group("high")) if m.group("high") else None
    raw_end = m.end()
    while raw_end > m.start() and text[raw_end - 1].isspace():
        raw_end -= 1
    qualifier = _qualifier(text, m.start(), m.group("after"))
    if qualifier == "exact" and (m.group("more1") or m.group("more2")):
        qualifier = "over"
    return Quantity(
        start=m.start(), end=raw_end, raw=text[m.start():raw_end], value=value,
        value_high=high, unit=unit, qualifier=qualifier,
    )


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity written with Arabic digits in `text`, in order."""
    matches = []
    for m in r.QUANTITY.finditer(text):
        try:
            if not _excluded(text, m):
                matches.append(m)
        except InvalidOperation:
            continue
    quantities: list[Quantity | None] = [None] * len(matches)
    # Right to left, so a unit shared by a list ("531 和 422.5 亿美元") reaches every item.
    for i in range(len(matches) - 1, -1, -1):
        m = matches[i]
        bare = not m.group("unit") and not m.group("mag")
        nxt = quantities[i + 1] if i + 1 < len(matches) else None
        gap = text[m.end():matches[i + 1].start()] if nxt else ""
        if nxt and _LIST_GAP.match(gap) and nxt.unit != "count":
            shares_unit = bare or (m.group("unit") == "个" and nxt.unit == "pp")
            if shares_unit:
                mag = matches[i + 1].group("mag")
                quantities[i] = _parse(text, m, unit_override=nxt.unit, mag_override=None if m.group("mag") else mag)
                continue
        if bare:
            continue
        try:
            quantities[i] = _parse(text, m)
        except InvalidOperation:
            continue
    return [q for q in quantities if q is not None]
