"""Time expressions of a sentence: the year and period a figure refers to."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .registry import register
from .scanning import matches_near

NAME = register("timex.v2")

_YEAR = r"(?:1[5-9]|20)\d{2}"
_CN_MONTH = r"(?:[1-9]|1[0-2]|[一二三四五六七八九十]|十[一二])"
_PART = (
    rf"(?:年)?(?:底|末|初|中(?![国华外])|全年|年底|年末|年初|上半年|下半年|前三季度|[一二三四1-4]季度|第[一二三四]季度"
    rf"|前{_CN_MONTH}个?月|{_CN_MONTH}\s*[-—~至]\s*{_CN_MONTH}月份?|{_CN_MONTH}月(?:底|末|份|初|中旬|下旬)?"
    rf"(?:\d{{1,2}}日)?)"
)
_PREFIX = r"(?:截至|截止到|截止|到|至|从|自|在|于)?"
TIME = re.compile(
    rf"""
    (?P<prefix>{_PREFIX})
    (?:
        (?P<from>{_YEAR})\s*年?\s*(?P<from_part>{_PART})?\s*(?:[-—–~～至到])\s*(?P<to>{_YEAR})\s*年(?P<to_part>{_PART})?(?:间|期间)?
      | (?P<year>{_YEAR})\s*年(?!版|度报告)(?P<part>{_PART})?(?:以来)?
      | (?:经过|历经)了?(?P<spent>\d{{1,2}}|[两二三四五六七八九十])\s*年(?:的发展|后|之后)?
      | (?<![\d一二三四五六七八九十两])(?P<later>\d{{1,2}}|[两二三四五六七八九十])\s*年(?:后|之后|以后)
      | (?P<relative>上年|去年|今年|当年|本年|明年|前年|上半年|下半年|目前|当前|截至目前|现阶段)
      | (?P<months>{_CN_MONTH}\s*[-—~至]\s*{_CN_MONTH}月份?|前{_CN_MONTH}个?月|[一二三四]季度|{_CN_MONTH}月(?:底|末|份)?)
    )
    """,
    re.X,
)
# What every time expression writes (年, 月, 季度 or a word for now), at most _REACH characters other than
# whitespace from its start (截止到2018底-2022年): the scan looks only around these.
_ANCHOR = re.compile(r"年|月|季度|目前|当前|现阶段")  # literals only: the engine skips to their first characters
_REACH = 13
# The characters a time expression opens with: a prefix, a year or count, a word for now, a month.
_OPENS = re.compile(r"[截到至从自在于经历上下去今当本明前目现两一二三四五六七八九十\d]")
_SPACES = re.compile(r"\s+")
# A year that is the base of a comparison (较2007年, 与2007年相比, 比上年) is not the figure's year.
_BASELINE_BEFORE = re.compile(r"(?:较|比|相比|与|同|对比|相较|较之)\s*$")
_BASELINE_AFTER = re.compile(r"\s*(?:相比|比较|同期|以来相比)|[^，。；]{0,6}相比")  # matched where the time ends
_FORECAST_PREFIX = ("到", "至")
_TITLE = re.compile(r"《[^《》]*》")
_EVENT_AFTER = re.compile(r"[\u4e00-\u9fffA-Za-z]{0,10}?(?:大会|峰会|论坛|博览会|年会|开幕式)")  # likewise
_CLAUSE_BREAK = re.compile(r"[，,；;。]")
_SPAN_OPENS = re.compile(rf"{_YEAR}\s*年|从|自")
_RELATIVE_OFFSET = {"上年": -1, "去年": -1, "前年": -2, "今年": 0, "本年": 0, "明年": 1,
                    "目前": 0, "当前": 0, "截至目前": 0, "现阶段": 0}


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in a sentence.

    start, end: span in the sentence
    text: as written, spaces removed (2024年, 截至2025年6月底, 2016-2022年)
    year: the calendar year meant (the end of a span), or None when the text does not say
    start_year: the first year of a span (2016 in 2016-2022年), else equal to `year`
    baseline: the year is the base of a comparison (较2007年), not the figure's own year
    relative: the expression is relative to the report's own year (今年, 目前)
    later_by: years after the last year written before it (2年后, 经过两年的发展 → 2); its year is then None
    """

    start: int
    end: int
    text: str
    year: int | None
    start_year: int | None = None
    baseline: bool = False
    relative: bool = False
    later_by: int = 0

    @property
    def is_span(self) -> bool:
        """True for a span of several years (2018-2022年)."""
        return self.start_year is not None and self.year is not None and self.start_year < self.year


def find_times(sentence: str, *, report_year: int | None = None) -> list[TimeExpression]:
    """Every time expression of `sentence`, with relative years resolved against `report_year`."""
    found: list[TimeExpression] = []
    if not _ANCHOR.search(sentence):
        return found
    titles = [m.span() for m in _TITLE.finditer(sentence)] if "《" in sentence else []
    for m in matches_near(TIME, sentence, _ANCHOR, reach=_REACH, spaced=True, opens=_OPENS):
        if any(start <= m.start() < end for start, end in titles) or _EVENT_AFTER.match(sentence, m.end()):
            continue  # 《行动方案(2024—2026年)》, 2024年全球数字经济大会: part of a name
        text = _SPACES.sub("", m.group())
        baseline = bool(_BASELINE_BEFORE.search(sentence, 0, m.start())) or bool(
            _BASELINE_AFTER.match(sentence, m.end()))
        if m.group("to"):
            start_year, year = int(m.group("from")), int(m.group("to"))
            found.append(TimeExpression(m.start(), m.end(), text, year, start_year, baseline))
        elif m.group("year"):
            year = int(m.group("year"))
            found.append(TimeExpression(m.start(), m.end(), text, year, year, baseline))
        elif m.group("spent") or m.group("later"):
            count = m.group("spent") or m.group("later")
            found.append(TimeExpression(m.start(), m.end(), text, None, later_by=_count(count)))
        elif m.group("relative"):
            word = m.group("relative")
            offset = _RELATIVE_OFFSET.get(word)
            year = report_year + offset if report_year is not None and offset is not None else None
            baseline = baseline or word == "上年" and "较" in sentence[max(0, m.start() - 2):m.start()]
            found.append(TimeExpression(m.start(), m.end(), text, year, year, baseline, relative=offset is not None))
        else:
            found.append(TimeExpression(m.start(), m.end(), text, None))
    return found


def _count(written: str) -> int:
    """2 or 两 → 2; up to 十."""
    return int(written) if written.isdigit() else "一两三四五六七八九十".index(written) + 1 if written != "二" else 2


def is_forecast_time(sentence: str, time: TimeExpression) -> bool:
    """True for 到2027年 / 至2025年: a target date."""
    if not time.text.startswith(_FORECAST_PREFIX) or time.year is None or time.is_span:
        return False
    clause = _CLAUSE_BREAK.split(sentence[:time.start])[-1]
    return not _SPAN_OPENS.search(clause)  # 从2018年…到2023年 is a span, not a target
