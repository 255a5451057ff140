"""The measured thing of a figure: a short noun phrase built from its sentence (数字经济规模, 5G基站数量)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from schemas import Quantity

from .nlp import place_forms, words
from .registry import register
from .sources import find_citations
from .timex import find_times

NAME = register("metric.v2")

CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?（）()]")
LIST_JOIN = re.compile(r"^\s*(?:、|和|及|与|以及|，|,)?\s*$")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|‰|万亿|亿|万|千|百)?")
_FOOTNOTE = re.compile(r"\^\[\d+\]")
_LEADING = re.compile(
    r"^(?:其中|同时|此外|另外|而且|并且|而|并|且|以及|和|及|与|其|在|从|对|由|截至|截止到|截止|目前|当前|如今|现在|"
    r"已经|已|共|累计|全年|当年|总计|合计|约|近|超|也|还|则|都|均|仍|分别|达|为|相比|较上年|比上年|如|例如|即|"
    r"平均|每年|年均|就|首次|整体|总体|一是|二是|三是|四是|其中有|拥有|已有|的|是|将|预计|有望|这些|该|此|这|那些|上述)+"
)
_TRAILING_WORDS = re.compile(
    r"(?:分别|均|已|已经|共|约|近|超|超过|达到|达|为|是|至|到|了|突破|逾|高达|接近|提升至|增长至|增加至|增至|升至|降至|"
    r"下降至|减少至|稳步|持续|进一步|大幅|累计|约为|达到了|仅|仅为|只有|占到|占到了|保持|位居|位列|排名|实现|完成|拥有|有|"
    r"创造|建成|建立|形成|带动|吸引|聚集|集聚|覆盖|连接|接入|培育|开设|部署|开通|发布|推出|上线|认定|入选|开展|提供|"
    r"和|及|与|以及|或|、)+$"
)
_TRAILING_FLAGS = ("v", "d", "p", "c", "u", "r", "m", "q", "x", "f", "y", "a", "ad", "z")
_KEEP_TRAILING = re.compile(r"(?:数|量|额|值|率|规模|比重|占比|收入|产值|人数|人次|面积|长度|深度|时长|速率|能力|水平|效率|成本)$")
_COUNT_END = re.compile(r"(?:数|量|规模|总数|人数|人次|次数|额|个数|家数|户数|数量)$")
RATE = re.compile(
    r"(?:同比|环比|名义|实际|年均|年平均|平均|累计|复合|较上年|比上年|较去年|比去年|较同期|比同期|两年|三年|五年|分别)*"
    r"(?:复合增长率|增长率|增速|降速|增幅|降幅|涨幅|跌幅|增长|下降|降低|下滑|减少|提升|提高|增加|上升|上涨|缩短|扩大|回落|加快|减)"
)
_RATE_NOUN = re.compile(r"(?:增长率|增速|降速|增幅|降幅|涨幅|跌幅)$")
_SHARE_NOUN = re.compile(r"占比|比重|比例|份额|渗透率|普及率|覆盖率|利用率|贡献率|[\u4e00-\u9fff]{0,4}率|水平")
_RATIO = re.compile(r"^(?P<head>.*?)(?:更是|仅为|只有|仅|约为|为|是|达到|相当于)(?P<other>[^，。；]+?)的?$")
_COMPARE_START = re.compile(r"^(?:高于|低于|快于|慢于|超过|较|比|相比|同比)")
_FROM_TO = re.compile(r"^[^，,；;。]{0,30}?(?:到|至)")
_CLASSIFIER_UNIT = re.compile(r"[\u4e00-\u9fff（）()]{1,4}")
_MEASURE_WORDS = {"米", "亩", "吨", "公里", "千米", "平方米", "度"}
_COUNT_NOUN = {"笔": "笔数", "人": "人数", "户": "户数", "次": "次数", "人次": "人次", "场": "场次"}
_DURATION = {"年", "月", "天", "日", "周", "小时", "分钟", "秒"}
_COUNT_UNITS_EXCLUDED = {"CNY", "USD", "EUR", "JPY", "GBP", "%", "‰", "pp", "x"}
_OPENS_FROM = re.compile(r"从|由")
_APART = re.compile("分别")
_LOOSE_END = re.compile(r"(?:由|从|将|了|的|在|和|及|与)+$")


def _strip_places(text: str) -> str:
    """The text without the place it opens with (the longest written form that fits)."""
    forms = place_forms()
    for size in _place_sizes():
        if text[:size] in forms:
            return text[size:]
    return text


@functools.cache
def _place_sizes() -> tuple[int, ...]:
    return tuple(sorted({len(form) for form in place_forms()}, reverse=True))


def _remove_spans(text: str) -> str:
    """Drop footnote markers, time expressions and citations: they are not part of the measured thing."""
    text = _FOOTNOTE.sub("", text)
    for citation in reversed(find_citations(text)):
        text = text[:citation.start] + text[citation.end:]
    for time in reversed(find_times(text)):
        if not time.baseline:  # 较上年 stays: it is part of the measure (较上年增速)
            text = text[:time.start] + " " + text[time.end:]  # a gap, so words do not fuse across it
    return text


@functools.lru_cache(maxsize=4096)
def _trim(text: str) -> str:
    """Strip leading connectors and subjects and trailing predicates from a clause, keeping its noun phrase.

    Remembered: the words before a figure read the same in every report of a series, whatever the figure."""
    text = _remove_spans(text).strip(" 、，,“”\"")
    previous = None
    while text != previous:
        previous = text
        text = _LEADING.sub("", text)
        text = _strip_places(text)
        text = _TRAILING_WORDS.sub("", text)
        text = text.strip(" 、，,")
    if not text:
        return ""
    tokens = list(words(text))
    while tokens and (tokens[-1][1].startswith(_TRAILING_FLAGS) or tokens[-1][0] == "的") and not _KEEP_TRAILING.search(tokens[-1][0]):
        tokens.pop()
    while len(tokens) > 1 and tokens[0][1] in ("v", "d", "p", "c", "ad", "uj") and tokens[0][0] not in ("服务",):
        tokens.pop(0)
    return "".join(word for word, _ in tokens).replace(" ", "").strip("的")


def _nominal_rate(rate: str) -> str:
    """同比名义增长 → 同比名义增速, 下降 → 降幅, 提升 → 提升幅度."""
    rate = rate.replace("分别", "")
    if _RATE_NOUN.search(rate):
        return rate
    if rate.endswith("增长"):
        return rate[:-2] + "增速"
    for verb in ("下降", "下滑", "回落"):
        if rate.endswith(verb):
            return rate[:-len(verb)] + "降幅"
    return rate + "幅度"


def base_of(metric: str | None) -> str:
    """The level a rate or share refers to: 数字经济规模同比名义增速 → 数字经济规模."""
    if not metric:
        return ""
    cut = RATE.search(metric)
    share = re.search(r"占", metric)
    ends = [m.start() for m in (cut, share) if m and m.start() > 0]
    return metric[:min(ends)] if ends else metric


def _is_count(unit: str) -> bool:
    """Counts: no unit, or a classifier (个, 家, 台（套）, 人次), not a measure (米, 吨) or a duration."""
    return unit == "count" or bool(_CLASSIFIER_UNIT.fullmatch(unit)) and unit not in _MEASURE_WORDS | _DURATION


def _with_count(metric: str, quantity: Quantity) -> str:
    if not _is_count(quantity.unit) or not metric:
        return metric
    if _COUNT_END.search(metric):
        return metric
    return metric + _COUNT_NOUN.get(quantity.unit, "数量")


def _after(sentence: str, quantity: Quantity) -> str:
    """The noun phrase right after a count (已有117个大模型完成… → 大模型; 147个新职业; 220个国家和地区;
    近万个围绕门店建立的用户社群)."""
    rest = CLAUSE_BREAK.split(sentence[quantity.end:])[0]
    tokens = list(words(rest[:20]))
    phrase = _relative_clause(tokens)
    tokens = tokens[len(words(phrase)) if phrase else 0:]
    for i, (word, flag) in enumerate(tokens):
        nominal = flag.startswith(("n", "vn", "b", "eng", "j", "l")) and flag != "nr"
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        modifier = flag.startswith(("v", "a")) and (phrase or flag == "a") and following.startswith(("n", "vn"))
        joined = word in ("和", "与", "及") and phrase and following.startswith("n") and following != "nr"  # 国家和地区
        if nominal or modifier or joined or word == "的" and phrase:
            phrase += word
            continue
        break
    return phrase.strip("的")


def _relative_clause(tokens: list[tuple[str, str]]) -> str:
    """A short clause ending in 的 that opens a counted noun (围绕门店建立的用户社群 → 围绕门店建立的), else ''."""
    phrase = ""
    for i, (word, flag) in enumerate(tokens[:5]):
        if word == "的":
            following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            return phrase + word if i >= 2 and following.startswith("n") else ""
        if not flag.startswith(("v", "p", "n")) or flag == "nr":
            return ""
        phrase += word
    return ""


@dataclass(frozen=True)
class Context:
    """What earlier figures of the same passage tell about a figure: the level and metric it may refer to."""

    topic: str | None = None
    previous: str | None = None


def segment_before(sentence: str, quantities: list[Quantity], index: int) -> str:
    """Words between the clause start (or the previous figure) and the figure."""
    quantity = quantities[index]
    start = 0
    for m in CLAUSE_BREAK.finditer(sentence, 0, quantity.start):
        start = m.end()
    if index and quantities[index - 1].end > start:
        start = quantities[index - 1].end
    return sentence[start:quantity.start]


def is_from_to(sentence: str, quantities: list[Quantity], index: int) -> bool:
    """True for the second end of "从a…到b": it measures what the first end measures."""
    if not index:
        return False
    between = sentence[quantities[index - 1].end:quantities[index].start]
    opened = _OPENS_FROM.search(CLAUSE_BREAK.split(sentence[:quantities[index - 1].start])[-1])
    return bool(opened) and bool(_FROM_TO.match(between))


def is_aside(sentence: str, quantity: Quantity) -> bool:
    """True for a figure standing alone in brackets after a name: 德国（-10.7%）."""
    return sentence[quantity.start - 1:quantity.start] in ("（", "(") and sentence[quantity.end:quantity.end + 1] in ("）", ")")


def metric_for(sentence: str, quantities: list[Quantity], index: int, kind: str, context: Context) -> str | None:
    """The metric of `quantities[index]`, following the conventions of a reader's noun phrase."""
    return _tidy(_metric_for(sentence, quantities, index, kind, context))


def _tidy(metric: str | None) -> str | None:
    metric = _LOOSE_END.sub("", (metric or "").replace(" ", ""))
    return metric or None


def _metric_for(sentence: str, quantities: list[Quantity], index: int, kind: str, context: Context) -> str | None:
    quantity = quantities[index]
    if (is_from_to(sentence, quantities, index) or is_aside(sentence, quantity)) and context.previous:
        return context.previous  # 从90kg…减少到35kg, 德国（-10.7%）: the same measure again
    segment = segment_before(sentence, quantities, index)
    topic = context.topic or ""
    if kind == "growth":
        rates = list(RATE.finditer(segment))
        nouns = [r for r in rates if _RATE_NOUN.search(r.group())]
        if rates:
            rate = nouns[-1] if nouns else rates[-1]  # 增速进一步扩大至…: the figure is the 增速
            head = _trim(segment[:rate.start()])
            obj = _trim(segment[rate.end():]) if not head and not _RATE_NOUN.search(rate.group()) else ""
            if obj:
                return obj + _nominal_rate(rate.group())  # 提升业务知识检索效率50%: the object is measured
            head = head or base_of(topic) or _previous_clause(sentence, quantity.start)
            return (head + _nominal_rate(rate.group())) or None
        head = _trim(segment)
        if head and RATE.search(head):
            return head
        return (head or base_of(topic)) + "增速" if head or topic else None
    if kind == "share":
        own = _remove_spans(segment)
        at = own.rfind("占")
        if at != -1:
            head = _trim(own[:at]) or base_of(topic)
            tail = _TRAILING_WORDS.sub("", own[at:].strip())
            tail = re.sub(r"的$", "", tail)
            if not _SHARE_NOUN.search(tail):
                tail += "比重"
            return (re.sub(r"规模$", "", head) + tail) or None
        phrase = _trim(segment)
        if not phrase and sentence[quantity.end:quantity.end + 1] == "的":
            noun = _after(sentence[:quantity.end] + sentence[quantity.end + 1:], quantity)
            phrase = noun + "占比" if noun else ""
        if phrase and _SHARE_NOUN.fullmatch(phrase):
            return re.sub(r"规模$", "", base_of(topic)) + phrase
        if phrase:
            return phrase if _SHARE_NOUN.search(phrase) else phrase + "占比"
        return base_of(topic) + "占比" if topic else None
    if kind in ("difference", "multiple"):
        own = _FOOTNOTE.sub("", segment)
        for citation in reversed(find_citations(own)):
            own = own[:citation.start] + own[citation.end:]
        own = _TRAILING_WORDS.sub("", own.strip(" 、，"))
        own = re.sub(r"^(?:分别|均|则|而|也|还)+", "", own).rstrip("的")
        suffix = "倍数" if kind == "multiple" else "幅度"
        ratio = _RATIO.match(own) if kind == "multiple" else None
        if ratio and ratio.group("head"):
            whole = "比例" if quantity.unit in ("%", "‰") else "倍数"
            other = re.sub(r"^(?:达到|为|是|相当于)", "", ratio.group("other"))
            return f"{_trim(ratio.group('head'))}相对{other}的{whole}"
        if own and _COMPARE_START.match(own):
            return (context.previous or topic) + own + suffix
        if own and re.match(r"^(?:增速|增幅|比重|占比)", own):
            return base_of(context.previous or topic) + own + suffix
        phrase = _LEADING.sub("", _strip_places(_LEADING.sub("", own)))
        return (phrase or context.previous or topic) + suffix if phrase or context.previous or topic else None
    phrase = _shorten(_trim(segment))
    after = _after(sentence, quantity) if _is_count(quantity.unit) else ""
    if after:
        phrase = after  # 出台216个数字经济相关政策: the counted noun follows the number
    if not phrase:
        phrase = _previous_clause(sentence, quantity.start)
    if kind == "other":
        return phrase or topic or None
    return _with_count(phrase, quantity) or topic or None


def _shorten(phrase: str) -> str:
    """A long phrase keeps its head: the words after its last 的 or 、."""
    if len(phrase) <= 20:
        return phrase
    cut = max(phrase.rfind("的"), phrase.rfind("、"))
    return phrase[cut + 1:] if cut != -1 and len(phrase) - cut > 3 else phrase


def _previous_clause(sentence: str, position: int) -> str:
    """The noun phrase of the nearest earlier clause of the sentence that has one and holds no figure."""
    clauses = CLAUSE_BREAK.split(sentence[:position])[:-1]
    for clause in reversed(clauses):
        clause = _FIGURE.sub("", _remove_spans(clause))  # 近98%的产业园建立于2018年之后 → 产业园
        phrase = _shorten(_trim(clause))
        if phrase:
            return phrase
    return ""


def list_runs(sentence: str, quantities: list[Quantity]) -> list[tuple[int, list[int]]]:
    """Figures listed after 分别: (position of 分别, indexes of the figures), one entry per 分别."""
    runs: list[tuple[int, list[int]]] = []
    if "分别" not in sentence:
        return runs
    for m in _APART.finditer(sentence):
        group = [i for i, q in enumerate(quantities) if q.start >= m.end()]
        if not group:
            continue
        run = [group[0]]
        for i in group[1:]:
            if LIST_JOIN.match(sentence[quantities[run[-1]].end:quantities[i].start]):
                run.append(i)
            else:
                break
        if len(run) >= 2:
            runs.append((m.start(), run))
    return runs


def list_metrics(sentence: str, quantities: list[Quantity]) -> dict[int, tuple[str, str, str]]:
    """Items of "A、B和C…分别为x、y、z": figure index → (prefix, item, suffix) of its own metric."""
    found: dict[int, tuple[str, str, str]] = {}
    for at, run in list_runs(sentence, quantities):
        items = _items(sentence[:at], len(run))
        if items:
            for i, item in zip(run, items):
                found[i] = item
    return found


def _items(before: str, count: int) -> list[tuple[str, str, str]] | None:
    """The `count` list items written before 分别, each with the shared words before and after them."""
    clauses = [c for c in CLAUSE_BREAK.split(_remove_spans(before)) if c.strip()]
    own_noun = _trim(clauses[-1]) if clauses else ""
    for clause in reversed(clauses[-2:]):
        parts = clause.split("、")
        if len(parts) == count - 1 or len(parts) == 1 and count == 2:
            last = re.split(r"和|及|与|以及", parts[-1], maxsplit=1)
            if len(last) == 2:
                parts = parts[:-1] + last
        if len(parts) != count:
            continue
        first, last = parts[0], parts[-1]
        lead = re.search(r"(?:为|是|包括|有|对|在|中|开展)(?!.*(?:为|是|包括|有|对|在|中|开展))", first)
        prefix, shared = "", ""
        if lead:
            if lead.group() in ("为", "是", "包括"):  # X的有效发明专利为A、B和C: the items are kinds of 有效发明专利
                shared = _trim(first[:lead.start()].rsplit("的", 1)[-1])
            first = first[lead.end():]
        elif words(first) and not last.startswith(words(first)[0][0]):  # AI基础设施和AI服务: the items repeat their prefix
            middle_words = [len(words(p)) for p in parts[1:-1]] or [1]
            first_words = words(first)
            keep = max(1, min(middle_words))
            prefix = _trim("".join(w for w, _ in first_words[:-keep]))
            first = "".join(w for w, _ in first_words[-keep:])
        if "等" in last:
            item, suffix = last.split("等", 1)
        elif "的" in last:
            item, suffix = last.split("的", 1)
        else:
            last_words = words(last)
            keep = max(1, len(words(first)))
            item, suffix = "".join(w for w, _ in last_words[:keep]), "".join(w for w, _ in last_words[keep:])
        suffix = re.sub(r"的", "", suffix)
        suffix = _TRAILING_WORDS.sub("", suffix)
        if shared and re.fullmatch(r"(?:领域|行业|方面|部分)?", suffix):
            item = re.sub(r"(?:领域|行业|方面|部分)$", "", item)
            suffix = shared
        if clause is not clauses[-1] and own_noun:
            suffix = own_noun  # 网上外卖、在线办公等数字服务…，用户规模分别达…: the items' 用户规模
        return [(prefix, p.strip(), suffix) for p in [first, *parts[1:-1], item]]
    return None


def list_metric(prefix: str, item: str, suffix: str, segment: str, kind: str) -> str | None:
    """The metric of one list item: the shared words around it, with the rate or share words of the list."""
    return _tidy(_list_metric(prefix, item, suffix, segment, kind))


def _list_metric(prefix: str, item: str, suffix: str, segment: str, kind: str) -> str:
    head = f"{prefix}{item}{_remove_spans(suffix)}"
    if kind == "growth":
        rates = list(RATE.finditer(head + _remove_spans(segment)))
        if rates and rates[-1].start() >= len(head) - len(rates[-1].group()):
            rate = rates[-1]
            return head[:min(rate.start(), len(head))] + _nominal_rate(rate.group())
        return head if RATE.search(head) else head + "增速"
    if kind == "share" and not _SHARE_NOUN.search(head):
        return head + "占比"
    if kind == "difference":
        return head + _TRAILING_WORDS.sub("", re.sub(r"^[，,、]?分别", "", segment)) + "幅度"
    return head
