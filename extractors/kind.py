"""What sort of figure a quantity is (level, growth, share, difference, multiple, other) and whether it is a forecast."""
from __future__ import annotations

import functools
import re

from schemas import Quantity

from .registry import register

NAME = register("kind.v2")

GROWTH_WORDS = re.compile(r"增长率|增长|增速|增幅|降幅|涨幅|跌幅|下降|降低|下滑|减少|减|提升|提高|增加|上升|上涨|缩短|复合|扩大|回落|加快|放缓")
SHARE_WORDS = re.compile(r"占比|比重|比例|渗透率|普及率|覆盖率|利用率|贡献率|数控化率|利润率|转化率|使用率|[^增效频速]率|占|份额|水平")
_RATIO_OF = re.compile(r"(?:是|为|仅为|只有|相当于)[^，。；、]{1,15}的\s*$")
_SHARE_OF = re.compile(r"(?:占|相当于)[^，。；]{0,15}的?\s*$")
_COUNT_CHANGE = re.compile(r"(?:较|比)(?:上年|去年|上一年|同期)?(?:增加|减少|多|少|新增)了?\s*$")
DURATION_UNITS = {"年", "月", "天", "日", "周", "小时", "分钟", "秒"}
_CLAUSE = re.compile(r"[，,；;：:。（(]")

_ASIDE = re.compile(r"《[^》]*》")
FORECAST_WORDS = re.compile(
    r"预计|预测|有望|目标|力争|计划将|计划到|规划到|(?<![虚模比])拟|展望|今后|未来\d*[年个]?|将[^，。；]{0,6}?"
    r"(?:达到|达|超过|超|突破|增长|增至|增加|提升|提高|下降|降至|降低|扩大|形成|推出|带动|催生|实现|迎来|保持|占|从|拓展|创造|培育|新增)"
    r"|(?:^|[，,；\s])(?:到|至)(?:19|20)\d{2}年"
)


def _clause_before(sentence: str, start: int) -> str:
    return _CLAUSE.split(sentence[:start])[-1]


def classify_kind(sentence: str, quantity: Quantity) -> str:
    """The kind of `quantity` read from its unit and the words just before it in `sentence`."""
    before = sentence[:quantity.start]
    clause = _clause_before(sentence, quantity.start)
    if quantity.unit == "x":
        return "multiple"
    if quantity.unit == "pp":
        return "difference"
    if quantity.unit in DURATION_UNITS:
        return "other"
    if quantity.unit in ("%", "‰"):
        if _RATIO_OF.search(before) and not _SHARE_OF.search(before):
            return "multiple"
        growth = [m.end() for m in GROWTH_WORDS.finditer(clause)]
        share = [m.end() for m in SHARE_WORDS.finditer(clause)]
        if growth or share:
            return "growth" if max(growth, default=-1) >= max(share, default=-1) else "share"
        if sentence[quantity.end:quantity.end + 1] == "的":
            after = sentence[quantity.end + 1:quantity.end + 10]
            return "growth" if GROWTH_WORDS.match(after) else "share"  # 以23.1%的复合年增长率; 98%的产业园
        return "growth" if GROWTH_WORDS.search(before[-20:]) else "share"
    if _COUNT_CHANGE.search(before):
        return "difference"
    return "level"


@functools.lru_cache(maxsize=32)  # the figures of one sentence ask in turn
def _projects(sentence: str) -> bool:
    """True when the sentence, titles aside, writes a forecast word."""
    return FORECAST_WORDS.search(_ASIDE.sub("", sentence) if "《" in sentence else sentence) is not None


def is_forecast(sentence: str, quantity: Quantity, *, own_year: int | None = None,
                target_year: int | None = None) -> bool:
    """True when the sentence projects or targets the figure (预计, 有望, 将达到, 到2027年 …)."""
    if not _projects(sentence):
        return False
    if own_year is not None and target_year is not None and own_year < target_year:
        return False
    return True
