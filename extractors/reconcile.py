"""Reconcile claims into facts: one fact per figure, every value stated for it kept and labelled."""
from __future__ import annotations

import hashlib
import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from decimal import Decimal
from pathlib import PurePath

from rapidfuzz import fuzz

from schemas import Claim, Document, Fact, FactValue

from .metric_keys import PUNCT, Metric, claim_metric, read_entries, similarity

NAME = "reconcile.v1"

SIMILAR = 85  # content similarity that groups two metrics on its own
REPEAT = 60  # content similarity enough when the values also agree
CONTEXT = 90  # similarity of the words around two equal numbers of a report: a repeated sentence
BOUND = Decimal("1.1")  # 超过X reaches up to 10% (or one written digit) above X; 不足X as far below

_NUMBER = re.compile(r"\d+(?:\.(\d+))?")

_YEARS = re.compile(r"(?:19|20)\d{2}")
_SUBYEAR = re.compile(r"[上下]半年|前[一二三]季度|第?[一二三四1-4]季度|Q[1-4]|前\d+个?月|\d{1,2}[-~至到]\d{1,2}月|\d{1,2}月")
_EDITION = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*年?\s*[)）]")
_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})(?:\D{1,3}(\d{1,2}))?")


@dataclass(frozen=True)
class Reconciliation:
    """What reconciling a set of claims yields: facts, their values, and the fact of every claim."""

    facts: tuple[Fact, ...]
    values: tuple[FactValue, ...]
    assignments: Mapping[str, str]


@dataclass(frozen=True)
class _Mention:
    claim_id: str
    claim: Claim
    metric: Metric
    year: int | None
    period: str
    publisher: str | None
    edition: tuple[int, int] | None
    low: Decimal | None
    high: Decimal | None
    half: Decimal
    quantum: Decimal
    before: str
    after: str

    @cached_property
    def block(self) -> str:
        """Subject, year, period key, unit and aspect: only mentions sharing it are compared.

        A figure without a year is compared only within its own report (a text export and a PDF of one report
        share its file stem): across reports it may be any year.
        """
        claim = self.claim
        when = self.year if self.year is not None else f"?{PurePath(claim.document).stem}"
        return "|".join(map(str, (claim.subject or "", when, self.period, claim.unit, self.metric.aspect)))


def period_key(claim: Claim) -> str:
    """The part of a claim's period finer than its year ('' for a whole year, 上半年, 前5个月), forecasts marked."""
    period = PUNCT.sub("", claim.period or "")
    years = _YEARS.findall(period)
    if len(years) > 1 and years[0] != years[-1]:
        key = f"{years[0]}-{years[-1]}"
    else:
        key = "".join(_SUBYEAR.findall(_YEARS.sub("", period)))
    return f"预测{key}" if claim.forecast else key


def edition_of(document: Document | None) -> tuple[int, int] | None:
    """When a report was issued, as (year, month): its publication date, else its title's edition year."""
    if document is None:
        return None
    found = _YEAR_MONTH.search(document.published or "")
    if found:
        return int(found[1]), int(found[2] or 0)
    found = _EDITION.search(document.title or "")
    return (int(found[1]), 0) if found else None


def _publisher(claim: Claim, document: Document | None) -> tuple[str | None, tuple[int, int] | None]:
    """Who stands behind a figure and in which edition: the cited source if any, else the report."""
    edition = edition_of(document)
    if claim.source:
        organisation, _, title = claim.source.partition("《")
        cited = _EDITION.search(title)
        name = PUNCT.sub("", organisation) or PUNCT.sub("", _EDITION.sub("", title))
        return name or None, (int(cited[1]), 0) if cited else edition
    publisher = PUNCT.sub("", document.publisher) if document and document.publisher else None
    return publisher or None, edition


def _bounds(claim: Claim) -> tuple[Decimal | None, Decimal | None, Decimal, Decimal]:
    """Interval the written value allows, half of its last written digit, and that digit's size."""
    written = _NUMBER.search((claim.raw or "").replace(",", ""))
    quantum = Decimal(1)
    if written:
        digits = Decimal(written[0])
        scale = claim.value / digits if digits else Decimal(1)
        quantum = Decimal(1).scaleb(-len(written[1] or "")) * scale
    elif claim.value:
        quantum = Decimal(1).scaleb(claim.value.normalize().as_tuple().exponent)
    half = quantum if claim.qualifier == "approx" else quantum / 2
    low, high = claim.value, claim.value_high if claim.value_high is not None else claim.value
    if claim.qualifier == "over":
        high = max(high * BOUND, high + quantum) if high >= 0 else high
    elif claim.qualifier == "under":
        low = min(low / BOUND, low - quantum) if low >= 0 else low
    return low, high, half, quantum


def agreement(a: _Mention, b: _Mention) -> str | None:
    """'agrees' when two written values say the same, 'rounding' when they differ within rounding, else None."""
    gaps = [Decimal(0)]
    if a.low is not None and b.high is not None:
        gaps.append(a.low - b.high)
    if b.low is not None and a.high is not None:
        gaps.append(b.low - a.high)
    gap = max(gaps)
    if gap == 0:
        return "agrees"
    return "rounding" if gap <= max(a.half, b.half) else None


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _mention(claim_id: str, claim: Claim, documents: Mapping[str, Document],
             publishers: dict[tuple[str | None, str], tuple[str | None, tuple[int, int] | None]]) -> _Mention:
    """A claim made ready for comparing; `publishers` remembers `_publisher` per cited source and report."""
    found = publishers.get((claim.source, claim.document))
    if found is None:
        found = publishers[(claim.source, claim.document)] = _publisher(claim, documents.get(claim.document))
    publisher, edition = found
    low, high, half, quantum = _bounds(claim)
    at = claim.sentence.find(claim.raw) if claim.sentence and claim.raw else -1
    before = PUNCT.sub("", claim.sentence[max(0, at - 24):at]) if at > 0 else ""
    after = PUNCT.sub("", claim.sentence[at + len(claim.raw):at + len(claim.raw) + 24]) if at >= 0 else ""
    return _Mention(claim_id, claim, claim_metric(claim), claim.year, period_key(claim), publisher, edition,
                    low, high, half, quantum, before, after)


def _restated(a: _Mention, b: _Mention) -> float:
    """How surely two mentions with agreeing values restate the same figure (0 when not).

    A metric naming no measured thing leaves only the words around the number: the same words on one side
    within a report, on both sides (the same sentence) across reports.
    """
    if a.metric.words and b.metric.words:
        score = similarity(a.metric, b.metric)
        if score >= SIMILAR or not score:
            return score
        if a.claim.value == b.claim.value and (a.metric.words <= b.metric.words or b.metric.words <= a.metric.words):
            return max(score, float(REPEAT))
        same_report = a.claim.document == b.claim.document and a.claim.value == b.claim.value
        return score if same_report and score >= REPEAT else 0.0
    if _value_key(a) != _value_key(b):
        return 0.0
    same_before = bool(a.before) and fuzz.ratio(a.before, b.before) >= CONTEXT
    same_after = len(a.after) >= 8 and fuzz.ratio(a.after, b.after) >= CONTEXT
    if a.claim.document == b.claim.document:
        return float(CONTEXT) if same_before or same_after else 0.0
    return float(CONTEXT) if same_before and same_after else 0.0


def mentions_of(claims: Iterable[tuple[str, Claim]], documents: Mapping[str, Document] | None = None,
                ) -> list[_Mention]:
    """Mentions of the claims; a restatement without year or month takes those of its report's dated statement.

    Only claims of one report are compared here, so the mentions of a set of whole reports can be made apart from
    those of other reports and joined later.
    """
    documents = documents or {}
    claims = list(claims)
    read_entries(claim for _, claim in claims)
    publishers: dict[tuple[str | None, str], tuple[str | None, tuple[int, int] | None]] = {}
    mentions = [_mention(claim_id, claim, documents, publishers) for claim_id, claim in claims]
    dated: dict[tuple, list[_Mention]] = defaultdict(list)
    for m in mentions:
        if m.year is not None:
            dated[(m.claim.document, m.claim.unit, m.claim.value, m.claim.subject)].append(m)
    for i, m in enumerate(mentions):
        if m.year is not None and (m.period or _YEARS.search(m.claim.period or "")):
            continue
        same = [o for o in dated.get((m.claim.document, m.claim.unit, m.claim.value, m.claim.subject), [])
                if not _same_sentence(o, m) and m.year in (None, o.year) and (m.period == "" or m.period == o.period)
                and (o.period != m.period or m.year is None)]
        best = max(same, key=lambda o: (_restated(m, o), -(o.year or 0), o.claim_id), default=None)
        if best is not None and _restated(m, best) > 0:
            mentions[i] = replace(m, year=best.year, period=best.period)
    return mentions


def blocks_of(claims: Iterable[tuple[str, Claim]], documents: Mapping[str, Document] | None = None) -> dict[str, str]:
    """The blocking key of each claim id: only claims sharing a block are ever compared."""
    return {m.claim_id: m.block for m in mentions_of(claims, documents)}


def _same_sentence(a: _Mention, b: _Mention) -> bool:
    """True for two figures of one sentence occurrence (a sentence repeated elsewhere is another occurrence)."""
    return a.claim.document == b.claim.document and a.claim.sentence == b.claim.sentence \
        and abs(a.claim.start - b.claim.start) < len(a.claim.sentence)


class _Values:
    """Mentions ordered by their low bound, so the ones a value agrees with are found without reading them all."""

    def __init__(self) -> None:
        self.lows: list[Decimal] = []
        self.items: list[_Mention] = []
        self.loose: list[_Mention] = []  # without bounds: always compared
        self.half = Decimal(0)
        self.width = Decimal(0)

    def add(self, m: _Mention) -> None:
        """Keep a mention in order of its low bound."""
        if m.low is None or m.high is None:
            self.loose.append(m)
            return
        at = bisect_right(self.lows, m.low)
        self.lows.insert(at, m.low)
        self.items.insert(at, m)
        self.half, self.width = max(self.half, m.half), max(self.width, m.high - m.low)

    def agreeing(self, a: _Mention) -> Iterator[_Mention]:
        """The mentions whose value agrees with a's, within rounding: only those whose bounds come near."""
        if a.low is None or a.high is None:
            yield from (o for o in [*self.items, *self.loose] if agreement(a, o) is not None)
            return
        reach = max(a.half, self.half)
        start = bisect_left(self.lows, a.low - self.width - reach)
        stop = bisect_right(self.lows, a.high + reach)
        yield from (o for o in self.items[start:stop] if agreement(a, o) is not None)
        yield from (o for o in self.loose if agreement(a, o) is not None)


class _Group:
    """The mentions of one metric within a cluster, by value."""

    def __init__(self, metric: Metric) -> None:
        self.metric = metric
        self.values = _Values()
        self.by_value: dict[tuple, list[_Mention]] = defaultdict(list)
        self.stated: set[Decimal] = set()

    def add(self, m: _Mention) -> None:
        """Index a mention of this metric."""
        self.values.add(m)
        self.by_value[_value_key(m)].append(m)
        self.stated.add(m.claim.value)

    def restated(self, a: _Mention) -> float:
        """The best `_restated` of a against this metric's mentions whose value agrees (same-report pairs aside)."""
        if a.metric.words and self.metric.words:
            score = similarity(a.metric, self.metric)
            if score >= SIMILAR or not score:
                return score if next(self.values.agreeing(a), None) is not None else 0.0
            subset = a.metric.words <= self.metric.words or self.metric.words <= a.metric.words
            return max(score, float(REPEAT)) if subset and a.claim.value in self.stated else 0.0
        contexts = {(o.before, o.after, o.claim.document == a.claim.document): o
                    for o in self.by_value.get(_value_key(a), ())}
        return max((_restated(a, o) for o in contexts.values()), default=0.0)


class _Cluster:
    """A cluster being grown, indexed by report, metric and value so that weighing a mention stays cheap.

    The indexes are built when a first mention is weighed against the cluster (`ready`): many never are.
    """

    def __init__(self, leader: _Mention) -> None:
        self.leader = leader
        self.members: list[_Mention] = [leader]
        self.documents: dict[str, list[_Mention]] = {}
        self.groups: dict[Metric, _Group] = {}
        self.values: _Values | None = None

    def ready(self) -> _Cluster:
        """The cluster, its indexes built."""
        if self.values is None:
            self.documents, self.values = defaultdict(list), _Values()
            for m in self.members:
                self._index(m)
        return self

    def add(self, m: _Mention) -> None:
        """Take a mention in."""
        self.members.append(m)
        if self.values is not None:
            self._index(m)

    def _index(self, m: _Mention) -> None:
        self.documents[m.claim.document].append(m)
        self.values.add(m)
        if m.metric not in self.groups:
            self.groups[m.metric] = _Group(m.metric)
        self.groups[m.metric].add(m)


def _joins(mention: _Mention, cluster: _Cluster) -> float:
    """How strongly a mention belongs to a cluster (0 when it does not).

    A sentence states a figure once, and a report does not contradict itself outside rounding, so a
    mention stays out of a cluster holding a figure of its own sentence (美国6家，中国6家) or a disagreeing
    figure of its own report: such pairs are different figures sharing a noisy metric.
    """
    leader = cluster.leader
    if not mention.metric.generic and mention.metric.key == leader.metric.key:
        score = 200.0
    else:
        score = similarity(mention.metric, leader.metric)
    if score < SIMILAR:
        score = _restates(mention, cluster)
        return score if score and _allowed(mention, cluster) else 0.0
    if not _allowed(mention, cluster):
        return 0.0
    return score + (50.0 if next(cluster.values.agreeing(mention), None) is not None else 0.0)


def _restates(mention: _Mention, cluster: _Cluster) -> float:
    """The best `_restated` score against the cluster's agreeing mentions of its report, its words or none."""
    own = (_restated(mention, o) for o in cluster.documents.get(mention.claim.document, ())
           if agreement(mention, o) is not None)
    related = (group.restated(mention) for group in cluster.groups.values()
               if group.metric.words & mention.metric.words or not (group.metric.words and mention.metric.words))
    return max(itertools.chain(own, related), default=0.0)


def _allowed(mention: _Mention, cluster: _Cluster) -> bool:
    """False when the cluster holds a figure of the mention's sentence or a disagreeing one of its report."""
    return not any(_same_sentence(mention, o) or agreement(mention, o) is None
                   for o in cluster.documents.get(mention.claim.document, ()))


def _cluster(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Group one block's mentions around leaders, most-stated metrics first; deterministic.

    A mention is weighed only against the clusters that could take it: those of its report, its words,
    its metric, or its value (for metrics naming no measured thing).
    """
    if len(mentions) == 1:
        return [mentions]
    counts = Counter(m.metric.key for m in mentions)
    ordered = sorted(mentions, key=lambda m: (m.metric.generic, -counts[m.metric.key], m.metric.key, m.claim_id))
    clusters: list[_Cluster] = []
    by_document: dict[str, set[int]] = defaultdict(set)
    by_word: dict[str, set[int]] = defaultdict(set)
    by_value: dict[tuple, set[int]] = defaultdict(set)  # clusters holding a mention of this value…
    by_value_wordless: dict[tuple, set[int]] = defaultdict(set)  # …that names no measured thing
    for mention in ordered:
        words = mention.metric.words
        near = set(by_document.get(mention.claim.document, ()))
        if words:
            near.update(*(by_word.get(w, ()) for w in words))
            near.update(by_value_wordless.get(_value_key(mention), ()))
        else:
            near.update(by_value.get(_value_key(mention), ()))
        scored = [(_joins(mention, clusters[i].ready()), -i) for i in near]
        best = max(scored, default=(0.0, 0))
        if best[0] > 0:
            index = -best[1]
            clusters[index].add(mention)
        else:
            index = len(clusters)
            clusters.append(_Cluster(mention))
        by_document[mention.claim.document].add(index)
        by_value[_value_key(mention)].add(index)
        for word in words:
            by_word[word].add(index)
        if not words:
            by_value_wordless[_value_key(mention)].add(index)
    return [cluster.members for cluster in clusters]


def _value_key(m: _Mention) -> tuple:
    return (m.claim.value, m.claim.value_high)


def _plainest(group: list[_Mention]) -> _Mention:
    """The mention that speaks for a value: an exact one if any."""
    return min(group, key=lambda m: (m.claim.qualifier != "exact", m.claim_id))


def _ranked(cluster: list[_Mention]) -> tuple[dict[tuple, list[_Mention]], list[tuple[tuple, str]]]:
    """A cluster's mentions by value, and its values ranked, each labelled against the preferred one."""
    if len(cluster) == 1:
        key = _value_key(cluster[0])
        return {key: cluster}, [(key, "agrees")]
    by_value: dict[tuple, list[_Mention]] = defaultdict(list)
    for m in cluster:
        by_value[_value_key(m)].append(m)

    def preference(key: tuple) -> tuple:
        group = by_value[key]
        newest = max((m.edition for m in group if m.edition), default=(0, 0))
        docs = len({m.claim.document for m in group})
        return (tuple(-n for n in newest), -docs, min(m.quantum for m in group), -len(group), key[0], str(key))

    ordered = sorted(by_value, key=preference) if len(by_value) > 1 else list(by_value)
    best = _plainest(by_value[ordered[0]])
    later: dict[str, tuple[int, int]] | None = None
    labelled: list[tuple[tuple, str]] = []
    for key in ordered:
        group = by_value[key]
        status = "agrees" if key == ordered[0] else agreement(_plainest(group), best)
        if status is None:
            later = _latest_editions(cluster, best) if later is None else later
            status = "revised" if _superseded(group, later) else "conflict"
        labelled.append((key, status))
    labelled.sort(key=lambda item: item[1] == "revised")
    return by_value, labelled


def _fact(cluster: list[_Mention], fact_id: str) -> tuple[Fact, list[FactValue]]:
    """One fact from a cluster: its distinct values ranked, labelled against the preferred one."""
    leader = cluster[0]
    by_value, labelled = _ranked(cluster)
    values = [FactValue(
        id=_digest(fact_id, *key), fact_id=fact_id, value=key[0], unit=leader.claim.unit, status=status,
        rank=rank, deprecated=status == "revised", mentions=len(by_value[key]),
        documents=tuple(sorted({m.claim.document for m in by_value[key]})), value_high=key[1],
        qualifier=_plainest(by_value[key]).claim.qualifier,
    ) for rank, (key, status) in enumerate(labelled, start=1)]
    statuses = {v.status for v in values}
    status = next((s for s in ("conflict", "revised", "rounding") if s in statuses), "agreed")
    readable = leader.metric.key or _readable(cluster)
    periods = Counter(m.claim.period for m in cluster if m.claim.period)
    fact = Fact(
        id=fact_id, metric=readable, metric_key=leader.metric.key,
        subject=leader.claim.subject, year=leader.year,
        period=min(periods, key=lambda p: (-periods[p], p)) if periods else None, unit=leader.claim.unit,
        value=labelled[0][0][0], value_high=labelled[0][0][1], status=status, mentions=len(cluster),
        documents=len({m.claim.document for m in cluster}), block=leader.block,
        period_key=leader.period,
    )
    return fact, values


def _readable(cluster: list[_Mention]) -> str:
    """The metric most often written for the leader's metric, for a fact whose metric has no key."""
    key = cluster[0].metric.key
    metrics = Counter(PUNCT.sub("", m.claim.metric or "") for m in cluster if m.metric.key == key)
    return min(metrics, key=lambda w: (-metrics[w], len(w), w)) if metrics else ""


def _superseded(group: list[_Mention], later: dict[str, tuple[int, int]]) -> bool:
    """True when every mention of a value has a later edition of its publisher stating the preferred value."""
    return all(m.publisher and m.edition and later.get(m.publisher, (0, 0)) > m.edition for m in group)


def _latest_editions(cluster: list[_Mention], best: _Mention) -> dict[str, tuple[int, int]]:
    """The latest edition of each publisher that states the preferred value."""
    latest: dict[str, tuple[int, int]] = {}
    for m in cluster:
        if m.publisher and m.edition and agreement(m, best) is not None:
            latest[m.publisher] = max(latest.get(m.publisher, (0, 0)), m.edition)
    return latest


def reconcile(claims: Iterable[tuple[str, Claim]], documents: Mapping[str, Document] | None = None) -> Reconciliation:
    """Group (claim id, claim) pairs into facts by block, metric and agreeing values; pure and deterministic."""
    return reconcile_mentions(mentions_of(claims, documents))


def reconcile_mentions(mentions: Iterable[_Mention]) -> Reconciliation:
    """`reconcile` of mentions already made (`mentions_of`); their order does not matter."""
    blocks: dict[str, list[_Mention]] = defaultdict(list)
    for mention in sorted(mentions, key=lambda m: m.claim_id):
        blocks[mention.block].append(mention)
    facts: list[Fact] = []
    values: list[FactValue] = []
    assignments: dict[str, str] = {}
    for block in sorted(blocks):
        used: set[str] = set()
        for cluster in _cluster(blocks[block]):
            leader = cluster[0]
            fact_id = _digest(block, leader.metric.key, leader.before if leader.metric.generic else "")
            if fact_id in used:
                fact_id = _digest(block, leader.metric.key, leader.before, *_value_key(leader))
            if fact_id in used:
                fact_id = _digest(block, leader.claim_id)
            used.add(fact_id)
            fact, fact_values = _fact(cluster, fact_id)
            facts.append(fact)
            values.extend(fact_values)
            assignments.update((m.claim_id, fact.id) for m in cluster)
    return Reconciliation(tuple(sorted(facts, key=lambda f: f.id)), tuple(values), assignments)
