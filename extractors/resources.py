"""Word lists and compiled patterns shared by the extractors, in one place."""
from __future__ import annotations

import re
from decimal import Decimal

MAGNITUDES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}

CURRENCIES: dict[str, str] = {
    "元人民币": "CNY", "人民币": "CNY", "元": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP",
}

# Symbols written in Latin letters, with their canonical form.
LATIN_UNITS: dict[str, str] = {
    "EFLOPS": "EFLOPS", "PFLOPS": "PFLOPS", "TFLOPS": "TFLOPS", "FLOPS": "FLOPS",
    "Gbps": "Gbps", "Mbps": "Mbps", "Kbps": "Kbps", "Tbps": "Tbps", "G/s": "Gbps",
    "ZB": "ZB", "EB": "EB", "PB": "PB", "TB": "TB", "GB": "GB", "MB": "MB", "T": "TB",
    "ms": "ms", "kWh": "kWh", "kW": "kW", "MW": "MW", "GW": "GW", "km": "km", "kg": "kg",
    "nm": "nm", "GHz": "GHz", "MHz": "MHz",
}

# Chinese measure words for physical units, with their symbols.
MEASURES: dict[str, str] = {
    "千瓦时": "kWh", "度电": "kWh", "千瓦": "kW", "兆瓦": "MW", "吨": "t", "公里": "km", "千米": "km",
    "平方米": "m2", "平方公里": "km2", "米": "米", "小时": "小时", "分钟": "分钟", "秒": "秒", "天": "天",
    "个月": "月", "岁": "岁", "亩": "亩",
}

# Classifiers that make a count; the longest is tried first.
CLASSIFIERS: tuple[str, ...] = (
    "台（套）", "台(套)", "人次", "家次", "户", "家", "个", "台", "套", "辆", "人", "项", "篇", "款", "座", "部",
    "条", "件", "所", "块", "次", "架", "张", "名", "位", "只", "颗", "批", "类", "种", "份", "笔", "场", "杯",
    "根", "片", "处", "册", "本", "首", "集", "节", "栋", "间", "支", "枚", "例", "宗", "期", "轮", "棵",
)

QUALIFIERS_BEFORE: dict[str, str] = {
    "大约": "approx", "约为": "approx", "约": "approx", "接近": "approx", "近": "approx", "将近": "approx",
    "超过": "over", "超": "over", "逾": "over", "突破": "over", "高于": "over", "多于": "over", "过": "over",
    "不足": "under", "不到": "under", "低于": "under", "少于": "under", "未满": "under",
}
QUALIFIERS_AFTER: dict[str, str] = {
    "左右": "approx", "上下": "approx", "以上": "over", "余": "over", "多": "over", "以下": "under", "以内": "under",
}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUMBER = r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
RANGE_JOIN = r"(?:-|~|～|—|–|至|到)"
MAGNITUDE = _alternation(MAGNITUDES)
CURRENCY = _alternation(CURRENCIES)
LATIN_UNIT = _alternation(LATIN_UNITS)
MEASURE = _alternation(MEASURES)
CLASSIFIER = _alternation(CLASSIFIERS)
QUALIFIER_BEFORE = _alternation(QUALIFIERS_BEFORE)
QUALIFIER_AFTER = _alternation(QUALIFIERS_AFTER)

# One quantity: number [range] [余/多] [magnitude] [余/多] [unit] [qualifier after].
QUANTITY = re.compile(
    rf"""
    (?P<num>{NUMBER})
    (?:\s*(?P<mag1>{MAGNITUDE})?(?P<unit1>%|{CURRENCY}|{CLASSIFIER})?(?=\s*{RANGE_JOIN}\s*\d))?
    (?:\s*(?P<join>{RANGE_JOIN})\s*(?P<high>{NUMBER}))?
    (?P<more1>余|多)?
    (?:\s*(?P<mag>{MAGNITUDE}))?
    (?P<more2>余|多)?
    \s*
    (?P<unit>
        %|‰|％
      | 个百分点|百分点
      | 倍
      | (?:{CURRENCY})
      | (?:{LATIN_UNIT})(?![A-Za-z])
      | (?:{MEASURE})
      | (?:{CLASSIFIER})
    )?
    (?P<after>{QUALIFIER_AFTER})?
    """,
    re.X,
)
QUALIFIER_BEFORE_RE = re.compile(rf"(?:{QUALIFIER_BEFORE})\s*$")
