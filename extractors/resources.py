"""Word lists and compiled patterns shared by the extractors, in one place."""
from __future__ import annotations

import re
from decimal import Decimal

# Full-width digits, letters and number signs as ASCII, one character for one.
HALFWIDTH: dict[int, int] = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
    0xFF05: ord("%"), 0xFF0E: ord("."), 0xFF0B: ord("+"), 0xFF0D: ord("-"), 0x2212: ord("-"),
    0xFF0F: ord("/"), 0x3000: ord(" "), 0x00A0: ord(" "),
}

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
    "港元": "HKD", "港币": "HKD", "韩元": "KRW", "新加坡元": "SGD", "澳元": "AUD", "加元": "CAD", "卢布": "RUB",
    "新台币": "TWD", "卢比": "INR",
}

# Symbols written in Latin letters, with their canonical form.
LATIN_UNITS: dict[str, str] = {
    "EFLOPS": "EFLOPS", "PFLOPS": "PFLOPS", "TFLOPS": "TFLOPS", "FLOPS": "FLOPS",
    "Gbps": "Gbps", "Mbps": "Mbps", "Kbps": "Kbps", "Tbps": "Tbps", "G/s": "Gbps",
    "TWh": "TWh", "GWh": "GWh", "ZB": "ZB", "EB": "EB", "PB": "PB", "TB": "TB", "GB": "GB", "MB": "MB", "T": "TB",
    "ms": "ms", "kWh": "kWh", "kW": "kW", "MW": "MW", "GW": "GW", "km": "km", "kg": "kg",
    "GHz": "GHz", "MHz": "MHz",
}

# Chinese measure words for physical units, with their symbols.
MEASURES: dict[str, str] = {
    "千瓦时": "kWh", "度电": "kWh", "千瓦": "kW", "兆瓦": "MW", "吉瓦": "GW", "千伏": "kV", "千克": "kg", "吨": "t", "公里": "km", "千米": "km",
    "平方米": "m2", "平米": "m2", "平方公里": "km2", "平方千米": "km2", "米": "米", "个小时": "小时", "小时": "小时", "分钟": "分钟", "秒": "秒",
    "天": "天", "个月": "月", "岁": "岁", "亩": "亩",
}

# Classifiers that make a count; the longest is tried first.
CLASSIFIERS: tuple[str, ...] = (
    "台（套）", "台(套)", "标准机架", "人次", "家次", "户", "家", "个", "台", "套", "辆", "人", "项", "篇", "款", "座", "部",
    "条", "件", "所", "块", "次", "架", "张", "名", "位", "只", "颗", "批", "类", "种", "份", "笔", "场", "杯",
    "根", "片", "处", "册", "本", "首", "集", "节", "栋", "间", "支", "枚", "例", "宗", "期", "轮", "棵",
)

# A classifier character that starts a word is no classifier: 42部门, 3家电企业, 5项目.
CLASSIFIER_WORD_ENDS = r"(?<=部)[门署分]|(?<=家)[庭居电族]|(?<=台)阶|(?<=项)目|(?<=条)[件例款]|(?<=名)[单称]|(?<=位)置|(?<=户)籍|(?<=所)[有属]"

QUALIFIERS_BEFORE: dict[str, str] = {
    "大约": "approx", "约为": "approx", "约": "approx", "大概": "approx", "约合": "approx", "接近": "approx", "近": "approx", "将近": "approx",
    "超过": "over", "超": "over", "逾": "over", "突破": "over", "高于": "over", "多于": "over", "过": "over",
    "不足": "under", "不到": "under", "低于": "under", "少于": "under", "未满": "under",
    "不少于": "over", "不低于": "over", "至少": "over", "不高于": "under", "不多于": "under", "不超过": "under",
}
QUALIFIERS_AFTER: dict[str, str] = {
    "左右": "approx", "上下": "approx", "及以上": "over", "及以下": "under", "以上": "over", "余": "over", "多": "over", "以下": "under", "以内": "under",
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

# One quantity: number [range] [余/多] [magnitude] [余/多] [unit [per unit]] [qualifier after].
QUANTITY = re.compile(
    rf"""
    (?P<num>{NUMBER})
    (?:\s*(?P<mag1>{MAGNITUDE})?(?![分瓦伏米克帕赫])(?P<unit1>%|{CURRENCY}|{CLASSIFIER})?(?=\s*{RANGE_JOIN}\s*\d))?
    (?:\s*(?P<join>{RANGE_JOIN})\s*(?P<high>{NUMBER}))?
    (?P<more1>余|多)?
    (?:\s*(?P<mag>{MAGNITUDE})(?![分瓦伏米克帕赫]))?
    (?P<more2>余|多)?
    \s*
    (?P<unit>
        %|‰|％
      | 个百分点|百分点
      | 倍
      | (?:{CURRENCY})
      | (?:{LATIN_UNIT})(?![A-Za-z])
      | (?:{MEASURE})
      | (?:{CLASSIFIER})(?:[（(](?:{CLASSIFIER})[）)])?(?!{CLASSIFIER_WORD_ENDS})
      | 年
    )?
    (?P<per>(?:标准煤)?/(?:{CURRENCY}|{MEASURE}|{CLASSIFIER}|{LATIN_UNIT}|年|月|日)|标准煤)?
    (?P<after>{QUALIFIER_AFTER})?
    """,
    re.X,
)
FRACTION = re.compile(rf"(?<![\d./:])(?P<num>\d{{1,2}})/(?P<den>\d{{1,3}})(?![\d./%])(?P<after>{QUALIFIER_AFTER})?")

# Time spans: 20多年, 用3至5年, 每2个月 are durations; 近5年, 前5个月, 2年后, 10年来 are periods.
TIME_UNITS = frozenset({"年", "个月", "天", "小时", "个小时", "分钟", "周"})
DURATION_BEFORE = re.compile(r"(?:用|长达|历时|耗时|花了?|仅需|只需|需要|历经|经过)\s*$")
PERIOD_BEFORE = re.compile(r"(?<!长达)(?:前|后|头|过去|未来|最近|近)\s*$")
PERIOD_AFTER = re.compile(r"\s*(?:来|以来|前|后|间|内|期间|之内|之后|之前|以后|以前|[\u4e00-\u9fff]{0,4}圈)")
# 排名前10名, 前3位, 位列第2: a rank, not a count.
RANK_BEFORE = re.compile(r"(?:前|排名|位列|位居|名列|TOP|Top|top)\s*$")
RANK_UNITS = frozenset({"名", "位", "强"})
AGE_DESCRIPTOR = re.compile(r"(?:及?以[下上])?的")
# 24小时在线, 3.5GHz频段, 28nm工艺: a figure that names a service level or a technology.
NAME_AFTER = re.compile(r"(?:不间断|全天候|在线|客服|值守|营业|服务|频段|频谱|工艺|制程)")

# Counts that frame another figure: a study's sample, the population an aggregate is taken over.
STUDY_BEFORE = re.compile(r"对|研究|调查|调研|选取|抽取|遴选|抽样|样本")
STUDY_VERB_BEFORE = re.compile(r"(?:研究|调查|调研|选取|抽取|遴选|抽样|访谈)(?:了|我国|全国|国内)*$")
STUDY_AFTER = re.compile(r"调查|研究|分析|调研|评估|测算|问卷|访谈|监测|抽样|梳理")
DENOMINATOR_AFTER = re.compile(r"[\u4e00-\u9fff]{1,10}?之?中[，,]")
AGGREGATE_AFTER = re.compile(r"总额|总量|规模|增加值|总值|总数|合计|总计|共计|(?<![公总])共(?![享同建识性赢])|平均|人均")
EXISTENTIAL_BEFORE = re.compile(r"(?:有|达|达到|为|至)\s*$")
# A unitless value of a named index or coefficient.
INDEX_WORD = re.compile(r"指数|系数|PUE|弹性|得分|评分|分值")
INDEX_VALUE_BEFORE = re.compile(
    r"(?:为|达|达到|是|降至|升至|提升至|增至|下降至|降低至|从|由|PUE|指数|系数|值|\d\s*(?:与|和|、|及))\s*$"
)
# A figure written without 元 is still money when the clause measures money.
MONEY_AFTER_LEVEL = re.compile(r"的?(?:市场|产业|规模|营收|收入)")
MONEY_CONTEXT = re.compile(r"(?<![份名])额|(?:市场|产业|经济|交易|投资|融资)规模|价值|产值|增加值|收入|营收|利润|市值|估值|资金|成本|GDP|经费")
# "约占全国总数的1/7": the qualifier bounds the share the verb 占 introduces.
SHARE_QUALIFIER_BEFORE = re.compile(rf"(?P<word>{QUALIFIER_BEFORE})占[^，,。；;\d]{{0,15}}$")
# "超过了", "约有": the qualifier may take 了 or 有 before the number.
QUALIFIER_BEFORE_RE = re.compile(rf"(?P<word>{QUALIFIER_BEFORE})(?:了|有)?\s*$")
# Words that end in a qualifier character without being one: 节约, 经过, 赶超.
NOT_QUALIFIER = re.compile(r"(?:节|制|签|合|预|大|经|通|越|度|赶|高)(?:约|过|超)(?:了|有)?\s*$")


def qualifier_before(text: str, start: int) -> str | None:
    """The qualifier written just before `start` (超过, 约, 近, 不足, 约占…的), or None."""
    window = text[max(0, start - 6):start]
    found = QUALIFIER_BEFORE_RE.search(window)
    if found and len(found.group("word")) == 1 and NOT_QUALIFIER.search(window):
        found = None
    found = found or SHARE_QUALIFIER_BEFORE.search(text[max(0, start - 24):start])
    return QUALIFIERS_BEFORE.get(found.group("word")) if found else None


def canonical_unit(unit: str | None) -> str | None:
    """The canonical form of a written unit: 美元 → USD, 个百分点 → pp, 万台（套） → 台."""
    if unit is None:
        return None
    unit = re.sub(r"[（(][^）)]*[）)]$", "", unit)
    if unit in ("%", "％"):
        return "%"
    if unit in ("个百分点", "百分点"):
        return "pp"
    if unit == "倍":
        return "x"
    for table in (CURRENCIES, LATIN_UNITS, MEASURES):
        if unit in table:
            return table[unit]
    return unit


# Chinese numerals: 三分之一, 三成, 一半, 翻一番, 二十多个, 近万家, 两亿多, 千亿级.
CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE_NUMERAL = rf"[{CHINESE_DIGITS}十百千万亿]{{1,20}}"
CHINESE_QUALIFIERS: dict[str, str] = {"上": "over", "过": "over", "破": "over", "近": "approx"}
CHINESE_BEFORE = _alternation(["上", "过", "破", *QUALIFIERS_BEFORE])
WORDS_ENDING_IN_SHANG = frozenset("线以加向之马晚早路网身台会北南")
CHINESE_UNIT = _alternation([
    "个百分点", "百分点", "倍", "个小时", "小时", "个月", "分钟", "年", "天", "周", "岁",
    *CURRENCIES, *MEASURES, *CLASSIFIERS,
])
# Words built from numerals that name things rather than count them.
CHINESE_IDIOMS: tuple[str, ...] = (
    "成千上万", "成百上千", "千行百业", "千家万户", "千方百计", "千差万别", "万无一失", "十全十美", "数以万计",
    "百花齐放", "万众一心", "一成不变", "千万不", "五百强", "百强", "十强", "万物", "亿万",
)

CHINESE_FRACTION = re.compile(
    rf"(?P<before>{CHINESE_BEFORE})?(?<![{CHINESE_DIGITS}十百千万亿])"
    rf"(?P<core>(?P<den>{CHINESE_NUMERAL})分之(?P<num>{CHINESE_NUMERAL}))"
    rf"(?P<after>{QUALIFIER_AFTER})?"
)
CHINESE_TENTHS = re.compile(
    rf"(?P<before>{CHINESE_BEFORE})?"
    rf"(?P<core>(?P<half>一半|过半|半数)"
    rf"|(?<![{CHINESE_DIGITS}十])(?P<tens>[一二两三四五六七八九])成(?P<ones>[一二三四五六七八九])?(?![为立员本果功熟型长就绩交效]))"
    rf"(?P<after>{QUALIFIER_AFTER})?"
)
# 两位数增长: a rate of at least 10%; 个位数增长: below 10%.
CHINESE_DIGIT_COUNT = re.compile(r"(?P<core>(?P<digits>个|两|双|三)位数)(?=的?(?:增长|增速|增幅|涨幅|下降|降幅))")
CHINESE_DOUBLING = re.compile(rf"(?P<core>翻了?(?P<times>[一两二三四])?番)(?P<after>{QUALIFIER_AFTER})?")
CHINESE_QUANTITY = re.compile(
    rf"(?:(?P<before>{CHINESE_BEFORE})|(?<![{CHINESE_DIGITS}十百千万亿\d.]))"
    rf"(?P<core>(?P<num>{CHINESE_NUMERAL})(?P<more>多|余)?(?P<mag>(?<=[多余])(?:万亿|亿|万))?(?P<level>级)?"
    rf"(?P<unit>{CHINESE_UNIT})?)(?P<after>{QUALIFIER_AFTER})?"
)
