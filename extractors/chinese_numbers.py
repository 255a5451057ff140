"""Find quantities written with Chinese numerals and number words: 三成, 一半, 三分之一, 二十多个, 近万家, 翻一番."""
from __future__ import annotations

import re
from decimal import Decimal

from schemas import Quantity

from . import resources as r
from .registry import register
from .scanning import matches_near

NAME = register("chinese_numbers.v1")

_HUNDRED = Decimal(100)
_QUOTED_NAME = re.compile(r"“[^“”]{0,12}$")
_IDIOM = re.compile("|".join(re.escape(idiom) for idiom in r.CHINESE_IDIOMS))
_NUMERAL = re.compile(f"[{r.CHINESE_DIGITS}十百千万亿]")
_MAGNITUDE_CHARS = frozenset("十百千万亿")
_TENTH = re.compile("[半成]")
# The characters a numeral pattern opens with: a qualifier's first character or a numeral.
_OPENS = re.compile("[" + "".join(sorted({re.sub(r"\\(.)", r"\1", word)[0] for word in r.CHINESE_BEFORE.split("|")}))
                    + f"{r.CHINESE_DIGITS}十百千万亿半]")
# A match opens at most this far before its first numeral: the longest qualifier CHINESE_BEFORE takes.
_LONGEST_BEFORE = max(len(re.sub(r"\\(.)", r"\1", word)) for word in r.CHINESE_BEFORE.split("|"))


def parse_chinese_integer(numeral: str) -> Decimal:
    """Exact value of a Chinese integer numeral (十四 → 14, 两亿 → 200000000, 万 → 10000)."""
    if numeral in r.MAGNITUDES:
        return r.MAGNITUDES[numeral]
    if numeral[0] in r.MAGNITUDES and not numeral.startswith("十"):
        numeral = "一" + numeral
    import cn2an  # 0.1 s to import: only when a text writes a Chinese numeral

    return Decimal(int(cn2an.cn2an(numeral.replace("〇", "零"), "normal")))


def _value(numeral: str) -> Decimal | None:
    try:
        return parse_chinese_integer(numeral)
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _qualifier(text: str, start: int, before: str | None, after: str | None) -> str:
    for word in (after, before):
        if word:
            return r.CHINESE_QUALIFIERS.get(word, r.QUALIFIERS_AFTER.get(word, r.QUALIFIERS_BEFORE.get(word, "exact")))
    return r.qualifier_before(text, start) or "exact"


def _is_name(text: str, start: int, end: int) -> bool:
    """Ordinals, policy names, idioms and quoted labels: numerals that measure nothing."""
    before = text[max(0, start - 2):start]
    if before.endswith(("第", "数", "几", "每")) or _QUOTED_NAME.search(text[max(0, start - 13):start]):
        return True
    return _IDIOM.search(text, max(0, start - 3), end + 3) is not None


def _quantity(text: str, m: re.Match, value: Decimal, unit: str, qualifier: str) -> Quantity:
    return Quantity(start=m.start("core"), end=m.end("core"), raw=m.group("core"), value=value, unit=unit,
                    qualifier=qualifier)


def _fractions(text: str) -> list[Quantity]:
    found = []
    for m in r.CHINESE_FRACTION.finditer(text):
        den, num = _value(m.group("den")), _value(m.group("num"))
        if not den or num is None or _is_name(text, m.start("core"), m.end("core")):
            continue
        qualifier = _qualifier(text, m.start("core"), m.group("before"), m.group("after"))
        found.append(_quantity(text, m, num * _HUNDRED / den, "%", qualifier))
    return found


def _tenths(text: str) -> list[Quantity]:
    """三成 = 30%, 近八成, 一半 = 50%, 过半."""
    found = []
    for m in matches_near(r.CHINESE_TENTHS, text, _TENTH, reach=_LONGEST_BEFORE + 1, opens=_OPENS):  # 一半, 三成: 半 or 成 comes second
        if _is_name(text, m.start("core"), m.end("core")):
            continue
        if m.group("half"):
            value = Decimal(50)
        else:
            value = parse_chinese_integer(m.group("tens")) * 10 + (
                parse_chinese_integer(m.group("ones")) if m.group("ones") else 0)
        qualifier = _qualifier(text, m.start("core"), m.group("before"), m.group("after"))
        if m.group("half") == "过半":
            qualifier = "over"
        found.append(_quantity(text, m, value, "%", qualifier))
    return found


def _doublings(text: str) -> list[Quantity]:
    """翻一番 doubles, 翻两番 quadruples: a multiple of 2**n."""
    found = []
    for m in r.CHINESE_DOUBLING.finditer(text):
        times = parse_chinese_integer(m.group("times")) if m.group("times") else Decimal(1)
        qualifier = _qualifier(text, m.start("core"), None, m.group("after"))
        found.append(_quantity(text, m, Decimal(2) ** int(times), "x", qualifier))
    return found


def _digit_counts(text: str) -> list[Quantity]:
    """两位数增长 is growth of at least 10%, 个位数增长 growth below 10%."""
    found = []
    for m in r.CHINESE_DIGIT_COUNT.finditer(text):
        digits = m.group("digits")
        value = Decimal(10) if digits in "个两双" else Decimal(100)
        found.append(_quantity(text, m, value, "%", "under" if digits == "个" else "over"))
    return found


def _counts(text: str) -> list[Quantity]:
    """二十多个, 近万家, 两亿多, 十四个小时, 上百家, 千亿级, 三个百分点, 两倍."""
    found = []
    for m in matches_near(r.CHINESE_QUANTITY, text, _NUMERAL, reach=_LONGEST_BEFORE):  # a match at nearly every hit
        numeral, unit = m.group("num"), m.group("unit")
        if _MAGNITUDE_CHARS.isdisjoint(numeral) and unit not in ("个百分点", "百分点", "倍"):
            continue  # 两个, 三类, 四方面: enumerations, not measurements
        bare_magnitude = numeral in r.MAGNITUDES or numeral == "十"
        if bare_magnitude and not (m.group("before") or m.group("more") or m.group("level") or m.group("after")):
            continue  # 万家灯火, 百姓: a magnitude needs a qualifier to be a number
        if not unit and not (m.group("more") or m.group("level") or m.group("before") and numeral[-1] in "万亿"):
            continue  # 过万, 两亿多, 千亿级 stand alone; 加上十几 does not
        if m.group("before") == "上" and text[m.start() - 1:m.start()] in r.WORDS_ENDING_IN_SHANG:
            continue  # 线上, 以上, 加上: 上 belongs to the word before
        if _is_name(text, m.start("core"), m.end("core")):
            continue
        value = _value(numeral)
        if value is None:
            continue
        before = text[max(0, m.start() - 4):m.start("core")]
        if unit in r.TIME_UNITS and (
                r.PERIOD_BEFORE.search(before) or r.PERIOD_AFTER.match(text, m.end())
                or not (m.group("more") or m.group("after") or r.DURATION_BEFORE.search(before))):
            continue  # 近十年 and 十年来 are periods, not durations
        if unit == "岁" and r.AGE_DESCRIPTOR.match(text, m.end("core")):
            continue
        qualifier = _qualifier(text, m.start("core"), m.group("before"), m.group("more") or m.group("after"))
        if m.group("level"):
            qualifier = "approx"
        canonical = r.canonical_unit(unit) if unit else "count"
        if canonical == "count" and m.group("level") and r.MONEY_AFTER_LEVEL.match(text, m.end()):
            canonical = "CNY"  # 千亿级的市场: a market is measured in money
        if canonical not in ("%", "pp", "x"):
            value *= r.MAGNITUDES.get(m.group("mag") or "", Decimal(1))
        found.append(_quantity(text, m, value, canonical, qualifier))
    return found


def extract_chinese_quantities(text: str) -> list[Quantity]:
    """Every quantity written in Chinese numerals in `text`, in order."""
    found: list[Quantity] = []
    # A finder runs only on a text holding the characters its pattern cannot match without.
    if "分之" in text:
        found += _fractions(text)
    if "半" in text or "成" in text:
        found += _tenths(text)
    if "番" in text:
        found += _doublings(text)
    if "位数" in text:
        found += _digit_counts(text)
    if _NUMERAL.search(text):
        found += _counts(text)
    if len(found) < 2:
        return found
    found.sort(key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for quantity in found:
        if kept and quantity.start < kept[-1].end:
            continue
        kept.append(quantity)
    return kept
