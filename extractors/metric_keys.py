"""Metric keys: a claim's metric normalized with the synonym table and split into measured thing and aspect."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from schemas import Claim

from .lexicon import Tagger, tagger

DATA = Path(__file__).resolve().parent / "data"
CURRENCIES = frozenset({"CNY", "USD", "EUR", "JPY", "GBP"})

PUNCT = re.compile(r"[\s，,。：:；;、“”\"'‘’《》〈〉（）()\[\]【】·•…—\-~～/]+")
_TIME = re.compile(
    r"(?:19|20)\d{2}(?:[-~至到](?:19|20)?\d{2})?年?(?:底|末|初|度)?|截至|截止|\d{1,2}月(?:底|末|份)?"
    r"|[上下]半年|前?[一二三四1-4]季度|前\d+个?月|全年|当年|今年|近\d+年|近年来|目前|当前|如今")
_HOME = re.compile(r"我国|全国|国内|中国")
_VERB_TO = re.compile(r"(?:稳步|持续|进一步|大幅|分别)?(?:提升|提高|增长|上升|扩大|增加|下降|降低|减少|攀升)(?:至|到)$")
_TRAILER = re.compile(
    r"(?:稳步|持续|进一步|分别|已经|已|累计|共计|合计|总计|共|首次|将|预计|有望|规模达|均)$"
    r"|(?:达到|达|为|约为|约|近|超过|超|突破|逾|实现|至|到|是|有|在|占据|高达|仅)$")
_REMNANT = re.compile(r"(?<=规模|比重|增速|数量|收入)[经高已达将均也则仍再超近约]$")  # left of 已经达到, 高达
_GROWTH_VERB = re.compile(r"(?:增长|提升|提高|上升|增加)$")
_DECLINE_VERB = re.compile(r"(?:下降|降低|减少|降幅)$")
_COMPARATOR = re.compile(r"高于|低于|快于|慢于|超出|较|(?<![同环占对])比(?![重例率值])")
_ASPECTS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p), a) for p, a in (
    (r"增长的?贡献率?$", "增长贡献"),
    (r"贡献率?$", "贡献"),
    (r"(占.+比重)$", r"\1"),
    (r"比重$", "比重"),
    (r"年均增速$", "年均增速"),
    (r"实际增速$", "实际增速"),
    (r"增速$", "增速"),
    (r"降幅$|下降幅度$|降低幅度$", "降幅"),
    (r"(渗透率|普及率|覆盖率|利用率|利润率|使用率|转化率|成本率|占有率|达标率|联网率)$", r"\1"),
    (r"规模$|数量$", ""),
))
_WEAK = frozenset("的 对 和 与 及 中 其中 分别 整体 总体 同期 同比 名义 上年 去年 各 主要 相关 方面 领域 我国 全国".split())
_MARKER = re.compile(r"新增|累计|人均|平均|户均|单位|核心|规模以上|规上|出口|进口|净|在线|线上|线下|农村|城镇|城市")
_WORLD = frozenset("全球 世界 全世界 国际 欧盟 海外 境外".split())
_CLAUSE = re.compile(r"[，,；;：:]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
READ_KEPT = 1 << 16  # cleaned metrics whose dictionary entries `read_entries` remembers having read
_READ: set[str] = set()


@dataclass(frozen=True)
class Metric:
    """A claim's metric taken apart: the measured thing, what is said of it, and its words."""

    content: str
    aspect: str
    words: frozenset[str]
    places: frozenset[str] = frozenset()

    @functools.cached_property
    def markers(self) -> frozenset[str]:
        """Words that turn a measure into another one (新增, 累计, 人均, 核心)."""
        return frozenset(_MARKER.findall(self.content))

    @functools.cached_property
    def key(self) -> str:
        """The normalized metric (数字产业化占GDP比重)."""
        return self.content + self.aspect

    @property
    def generic(self) -> bool:
        """True when the metric names no measured thing (同比增长, 占GDP比重)."""
        return not self.words


@functools.cache
def _synonyms() -> tuple[tuple[re.Pattern, str], ...]:
    rows = (line.split("\t") for line in (DATA / "metric_synonyms.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return tuple((re.compile(pattern), replacement.strip()) for pattern, replacement in rows)


@functools.cache
def _tokenizer() -> Tagger:
    """jieba with only the few measured things of `metric_words.txt`: 数字经济规模 is 数字经济 + 规模 here."""
    return tagger(DATA / "metric_words.txt")


@functools.lru_cache(maxsize=65536)
def _words(content: str) -> tuple[frozenset[str], frozenset[str]]:
    """The measured words of a metric, and those that name a place (全球, 美国, 广东省)."""
    if not content:
        return frozenset(), frozenset()
    pairs = [(p.word, p.flag) for p in _tokenizer().cut(content)
             if p.word not in _WEAK and not p.word.isdigit() and (len(p.word) > 1 or p.word.isascii())]
    return frozenset(w for w, _ in pairs), frozenset(w for w, flag in pairs if flag == "ns" or w in _WORLD)


@functools.lru_cache(maxsize=65536)
def _clean(text: str, subject: str | None) -> str:
    text = PUNCT.sub("", text)
    for pattern, replacement in _synonyms():
        text = pattern.sub(replacement, text)
    text = _HOME.sub("", text)
    if subject and len(subject) > 1:
        text = text.replace(subject, "")
    text = _TIME.sub("", text)
    text = _VERB_TO.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _REMNANT.sub("", _TRAILER.sub("", text))
    return text


@functools.lru_cache(maxsize=65536)
def split_metric(metric: str | None, *, unit: str = "", kind: str = "level", subject: str | None = None) -> Metric:
    """Normalize a written metric into its measured thing and aspect, using the synonym table."""
    text = _clean(metric or "", subject)
    if unit == "%" and _GROWTH_VERB.search(text):
        text = _GROWTH_VERB.sub("增速", text)
    elif _DECLINE_VERB.search(text):
        text = _DECLINE_VERB.sub("降幅", text)
    aspect = ""
    for pattern, replacement in _ASPECTS:
        found = pattern.search(text)
        if found:
            aspect, text = found.expand(replacement), text[:found.start()]
            break
    if not aspect and unit == "%":
        aspect = {"growth": "增速", "share": "比重"}.get(kind, "")
    comparator = _COMPARATOR.search(text)
    if comparator:
        text, aspect = text[:comparator.start()], text[comparator.start():] + aspect
    if unit in CURRENCIES and not aspect:
        aspect = "规模"
    return Metric(text, aspect, *_words(text))


def read_entries(claims: Iterable[Claim]) -> None:
    """Read at once the dictionary entries segmenting these claims' metrics may need, not metric by metric."""
    texts = {_clean(claim.metric or "", claim.subject) for claim in claims} - _READ
    if len(_READ) + len(texts) > READ_KEPT:
        _READ.clear()
    _READ.update(texts)
    if texts:
        _tokenizer().tokenizer.cover("\n".join(sorted(texts)))


def claim_metric(claim: Claim) -> Metric:
    """The metric of a claim; a metric naming no measured thing borrows the topic of its sentence."""
    metric = split_metric(claim.metric, unit=claim.unit, kind=claim.kind, subject=claim.subject)
    if not metric.generic or not claim.sentence:
        return metric
    at = claim.sentence.find(claim.raw)
    clauses = _CLAUSE.split(claim.sentence[:at if at >= 0 else len(claim.sentence)])[:-1]
    for clause in reversed(clauses):
        head = _NUMBER.split(_TIME.sub("", clause), maxsplit=1)
        if len(head) < 2:
            continue
        topic = split_metric(head[0], unit="", subject=claim.subject)
        if not topic.generic:
            return Metric(topic.content, metric.aspect, topic.words, topic.places)
    return metric


def similarity(a: Metric, b: Metric) -> float:
    """Share of the measured words two metrics have in common, weighted by word length (0-100); 0 across places."""
    if not a.words or not b.words or a.places != b.places or a.markers != b.markers:
        return 0.0
    common = sum(len(w) for w in a.words & b.words)
    return 200.0 * common / (sum(map(len, a.words)) + sum(map(len, b.words)))
