"""Reconcile claims into facts: one fact per figure, every value stated for it kept and labelled."""
from __future__ import annotations

import hashlib
import itertools
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from schemas import Claim, Document, Fact, FactValue

from .mentions import (
    REPEAT, SIMILAR, Mention, agreement, blocks_of, edition_of, mentions_of, period_key, restated, same_sentence,
    value_key,
)
from .metric_keys import PUNCT, Metric, similarity

__all__ = ["NAME", "Reconciliation", "blocks_of", "edition_of", "mentions_of", "period_key", "reconcile",
           "reconcile_mentions"]

NAME = "reconcile.v1"


@dataclass(frozen=True)
class Reconciliation:
    """What reconciling a set of claims yields: facts, their values, and the fact of every claim."""

    facts: tuple[Fact, ...]
    values: tuple[FactValue, ...]
    assignments: Mapping[str, str]


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


class _Values:
    """Mentions ordered by their low bound, so the ones a value agrees with are found without reading them all."""

    def __init__(self) -> None:
        self.lows: list[Decimal] = []
        self.items: list[Mention] = []
        self.loose: list[Mention] = []  # without bounds: always compared
        self.half = Decimal(0)
        self.width = Decimal(0)

    def add(self, m: Mention) -> None:
        """Keep a mention in order of its low bound."""
        if m.low is None or m.high is None:
            self.loose.append(m)
            return
        at = bisect_right(self.lows, m.low)
        self.lows.insert(at, m.low)
        self.items.insert(at, m)
        self.half, self.width = max(self.half, m.half), max(self.width, m.high - m.low)

    def agreeing(self, a: Mention) -> Iterator[Mention]:
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
        self.by_value: dict[tuple, list[Mention]] = defaultdict(list)
        self.stated: set[Decimal] = set()

    def add(self, m: Mention) -> None:
        """Index a mention of this metric."""
        self.values.add(m)
        self.by_value[value_key(m)].append(m)
        self.stated.add(m.claim.value)

    def restated(self, a: Mention) -> float:
        """The best `restated` of a against this metric's mentions whose value agrees (same-report pairs aside)."""
        if a.metric.words and self.metric.words:
            score = similarity(a.metric, self.metric)
            if score >= SIMILAR or not score:
                return score if next(self.values.agreeing(a), None) is not None else 0.0
            subset = a.metric.words <= self.metric.words or self.metric.words <= a.metric.words
            return max(score, float(REPEAT)) if subset and a.claim.value in self.stated else 0.0
        contexts = {(o.before, o.after, o.claim.document == a.claim.document): o
                    for o in self.by_value.get(value_key(a), ())}
        return max((restated(a, o) for o in contexts.values()), default=0.0)


class _Cluster:
    """A cluster being grown, indexed by report, metric and value so that weighing a mention stays cheap.

    The indexes are built when a first mention is weighed against the cluster (`ready`): many never are.
    """

    def __init__(self, leader: Mention) -> None:
        self.leader = leader
        self.members: list[Mention] = [leader]
        self.documents: dict[str, list[Mention]] = {}
        self.groups: dict[Metric, _Group] = {}
        self.values: _Values | None = None

    def ready(self) -> _Cluster:
        """The cluster, its indexes built."""
        if self.values is None:
            self.documents, self.values = defaultdict(list), _Values()
            for m in self.members:
                self._index(m)
        return self

    def add(self, m: Mention) -> None:
        """Take a mention in."""
        self.members.append(m)
        if self.values is not None:
            self._index(m)

    def _index(self, m: Mention) -> None:
        self.documents[m.claim.document].append(m)
        self.values.add(m)
        if m.metric not in self.groups:
            self.groups[m.metric] = _Group(m.metric)
        self.groups[m.metric].add(m)


def _joins(mention: Mention, cluster: _Cluster) -> float:
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


def _restates(mention: Mention, cluster: _Cluster) -> float:
    """The best `restated` score against the cluster's agreeing mentions of its report, its words or none."""
    own = (restated(mention, o) for o in cluster.documents.get(mention.claim.document, ())
           if agreement(mention, o) is not None)
    related = (group.restated(mention) for group in cluster.groups.values()
               if group.metric.words & mention.metric.words or not (group.metric.words and mention.metric.words))
    return max(itertools.chain(own, related), default=0.0)


def _allowed(mention: Mention, cluster: _Cluster) -> bool:
    """False when the cluster holds a figure of the mention's sentence or a disagreeing one of its report."""
    return not any(same_sentence(mention, o) or agreement(mention, o) is None
                   for o in cluster.documents.get(mention.claim.document, ()))


def _cluster(mentions: list[Mention]) -> list[list[Mention]]:
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
            near.update(by_value_wordless.get(value_key(mention), ()))
        else:
            near.update(by_value.get(value_key(mention), ()))
        scored = [(_joins(mention, clusters[i].ready()), -i) for i in near]
        best = max(scored, default=(0.0, 0))
        if best[0] > 0:
            index = -best[1]
            clusters[index].add(mention)
        else:
            index = len(clusters)
            clusters.append(_Cluster(mention))
        by_document[mention.claim.document].add(index)
        by_value[value_key(mention)].add(index)
        for word in words:
            by_word[word].add(index)
        if not words:
            by_value_wordless[value_key(mention)].add(index)
    return [cluster.members for cluster in clusters]


def _plainest(group: list[Mention]) -> Mention:
    """The mention that speaks for a value: an exact one if any."""
    return min(group, key=lambda m: (m.claim.qualifier != "exact", m.claim_id))


def _ranked(cluster: list[Mention]) -> tuple[dict[tuple, list[Mention]], list[tuple[tuple, str]]]:
    """A cluster's mentions by value, and its values ranked, each labelled against the preferred one."""
    if len(cluster) == 1:
        key = value_key(cluster[0])
        return {key: cluster}, [(key, "agrees")]
    by_value: dict[tuple, list[Mention]] = defaultdict(list)
    for m in cluster:
        by_value[value_key(m)].append(m)

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


def _fact(cluster: list[Mention], fact_id: str) -> tuple[Fact, list[FactValue]]:
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


def _readable(cluster: list[Mention]) -> str:
    """The metric most often written for the leader's metric, for a fact whose metric has no key."""
    key = cluster[0].metric.key
    metrics = Counter(PUNCT.sub("", m.claim.metric or "") for m in cluster if m.metric.key == key)
    return min(metrics, key=lambda w: (-metrics[w], len(w), w)) if metrics else ""


def _superseded(group: list[Mention], later: dict[str, tuple[int, int]]) -> bool:
    """True when every mention of a value has a later edition of its publisher stating the preferred value."""
    return all(m.publisher and m.edition and later.get(m.publisher, (0, 0)) > m.edition for m in group)


def _latest_editions(cluster: list[Mention], best: Mention) -> dict[str, tuple[int, int]]:
    """The latest edition of each publisher that states the preferred value."""
    latest: dict[str, tuple[int, int]] = {}
    for m in cluster:
        if m.publisher and m.edition and agreement(m, best) is not None:
            latest[m.publisher] = max(latest.get(m.publisher, (0, 0)), m.edition)
    return latest


def reconcile(claims: Iterable[tuple[str, Claim]], documents: Mapping[str, Document] | None = None) -> Reconciliation:
    """Group (claim id, claim) pairs into facts by block, metric and agreeing values; pure and deterministic."""
    return reconcile_mentions(mentions_of(claims, documents))


def reconcile_mentions(mentions: Iterable[Mention]) -> Reconciliation:
    """`reconcile` of mentions already made (`mentions_of`); their order does not matter."""
    blocks: dict[str, list[Mention]] = defaultdict(list)
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
                fact_id = _digest(block, leader.metric.key, leader.before, *value_key(leader))
            if fact_id in used:
                fact_id = _digest(block, leader.claim_id)
            used.add(fact_id)
            fact, fact_values = _fact(cluster, fact_id)
            facts.append(fact)
            values.extend(fact_values)
            assignments.update((m.claim_id, fact.id) for m in cluster)
    return Reconciliation(tuple(sorted(facts, key=lambda f: f.id)), tuple(values), assignments)
