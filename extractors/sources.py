"""The source a figure cites: in-text citations (据中国信通院测算, 工信部数据显示) and ^[n] footnotes."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .nlp import source_names
from .registry import register
from .scanning import matches_near

NAME = register("sources.v1")

_WHO = r"(?P<who>[^，。；：:！？]{2,60}?)"
_TITLE = r"(?P<title>《[^》]{2,60}》)?"
# What follows the name in the citations that open with it: a published report, a survey or data.
_PUBLISHED = rf"(?:发布|公布|披露)(?:的)?(?:[^，。；]{{0,6}}?){_TITLE}[^，。；]{{0,8}}?(?:显示|指出|表明|称|提出|预测)"
_DATA_SHOW = r"(?:统计数据|监测数据|数据|监测|(?P<survey>调查|调研)|统计|测算|研究)(?:显示|表明|发现)"
CITATIONS = (
    # X发布的《…》显示 / X公布的数据显示 / X联合发布的报告指出
    re.compile(rf"{_WHO}(?:联合)?{_PUBLISHED}"),
    # 据/根据 X(的)(相关|最新)统计/测算/预测/数据/研究/监测(显示)
    re.compile(rf"(?:根据|依据|(?<![数证占])据)\s*{_WHO}(?:的)?(?:相关|最新)?"
               r"(?:(?:发布|公布)的(?:报告|数据)|统计数据|统计|测算|数据|预测|预计|调查|调研|监测|研究|报告|整理|显示|发布|公布)"
               r"(?=[，,。；\s（(]|显示|表明|发现|结果|数据|$)"),
    # X数据显示 / X监测显示 / X测算发现 / X调查显示
    re.compile(rf"{_WHO}(?:的)?{_DATA_SHOW}"),
)


def _anchor(tail: str) -> re.Pattern:
    """A citation's words after the name, without named groups: where the scan for it looks."""
    return re.compile(re.sub(r"\(\?P<\w+>", "(?:", tail))


# Words each of CITATIONS cannot match without (for the two that open with a name, all of what follows it), and
# how far into a match they start at most (the name is up to 60 characters): the scan looks only around them.
_ANCHORS = ((_anchor(_PUBLISHED), 62), (re.compile("据"), 1), (_anchor(_DATA_SHOW), 61))
_ANY_CITATION = re.compile(r"发布|公布|披露|据|显示|表明|发现|（|\(")  # what every citation writes; literals scan fast
AUTHOR_YEAR = re.compile(r"[（(](?P<who>[^（）()，,；;]{2,20}[，,]\s*(?:19|20)\d{2}[a-z]?)(?:[；;][^（）()]*)?[）)]")
FOOTNOTE = re.compile(r"\^\[(\d{1,3})\]")
_FOOTNOTE_LABEL = re.compile(r"^\s*(?:数据来源|资料来源|来源|出处|参考|参见)\s*[：:]\s*")
_LEADING = re.compile(r"^(?:另据|另外|此外|同时|其中|而且|而|并|另|据|根据|依据|来自|由|从|经|对)+")
_TRAILING = re.compile(r"(?:的|之|相关|最新|等)+$")
_GENERIC = re.compile(r"^(?:不完全|初步|相关|有关|公开资料|业内|市场|行业|专家|机构|相关机构|统计|测算|调研|研究|数据|资料|监测|"
                      r"报告|我们|本报告|本文|我院|笔者|课题组|有关部门|相关部门)$")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,40})[”\"]")
_SEE_ALSO = re.compile(r"[（(]见[^）)]*[）)]")
_FIGURE = re.compile(r"\d{4}年|[0-9.]+%")
_SURVEYED = re.compile(r"对[^的，]{1,20}的")


@dataclass(frozen=True)
class Citation:
    """A source the text cites: its span in the sentence and its normalized name."""

    start: int
    end: int
    name: str


def normalize_source(name: str) -> str:
    """Full names for short ones (中国信通院 → 中国信息通信研究院), from the curated table."""
    name = name.strip(" ，。；：:")
    aliases = source_names()
    if name in aliases:
        return aliases[name]
    for alias in sorted(aliases, key=len, reverse=True):
        if alias in name and aliases[alias] not in name:
            name = name.replace(alias, aliases[alias])
    return name


def _who(raw: str) -> str | None:
    quoted = _QUOTED.search(raw)
    if quoted:
        raw = quoted.group(1)
    raw = _TRAILING.sub("", _LEADING.sub("", raw.strip()))
    raw = _SEE_ALSO.sub("", raw)
    if len(raw) < 2 or _GENERIC.match(raw) or _FIGURE.search(raw):
        return None
    return raw


def find_citations(sentence: str) -> list[Citation]:
    """Sources that `sentence` cites in its own words, in order."""
    found: list[Citation] = []
    if not _ANY_CITATION.search(sentence):
        return found
    for pattern, (anchor, reach) in zip(CITATIONS, _ANCHORS):
        for m in matches_near(pattern, sentence, anchor, reach=reach):
            if any(c.start <= m.start() < c.end for c in found):
                continue
            who = _who(m.group("who"))
            if who and m.groupdict().get("survey"):
                who = _SURVEYED.sub("", who) + m.group("survey")
            title = m.groupdict().get("title")
            if who and title and title not in who:
                name = f"{normalize_source(who)}，{title}"
            elif who:
                name = normalize_source(who)
            elif title:
                name = title
            else:
                continue
            found.append(Citation(m.start(), m.end(), name))
    if "（" in sentence or "(" in sentence:
        for m in AUTHOR_YEAR.finditer(sentence):
            found.append(Citation(m.start(), m.end(), m.group("who").replace(",", "，").replace(" ", "")))
    return sorted(found, key=lambda c: c.start) if found else found


def footnote_source(text: str, position: int, footnotes: dict[str, str]) -> str | None:
    """The footnote cited by the first ^[n] marker at or after `position` in `text`, as a source."""
    for m in FOOTNOTE.finditer(text, position):
        note = footnotes.get(m.group(1))
        if note is None:
            continue
        if not _FOOTNOTE_LABEL.match(note):
            return None  # an explanatory note, not a source
        return normalize_source(_FOOTNOTE_LABEL.sub("", note).rstrip("。. "))
    return None
