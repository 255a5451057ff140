"""Mentions: claims made ready for reconciling, with the rules for when two of them state the same figure."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from pathlib import PurePath

from rapidfuzz import fuzz

from schemas import Claim, Document

from .metric_keys import PUNCT, Metric, claim_metric, read_entries, similarity

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
class Mention:
    """A claim made ready for comparing: its metric, when, who states it, the interval its value allows."""

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


def agreement(a: Mention, b: Mention) -> str | None:
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


def _mention(claim_id: str, claim: Claim, documents: Mapping[str, Document],
             publishers: dict[tuple[str | None, str], tuple[str | None, tuple[int, int] | None]]) -> Mention:
    """A claim made ready for comparing; `publishers` remembers `_publisher` per cited source and report."""
    found = publishers.get((claim.source, claim.document))
    if found is None:
        found = publishers[(claim.source, claim.document)] = _publisher(claim, documents.get(claim.document))
    publisher, edition = found
    low, high, half, quantum = _bounds(claim)
    at = claim.sentence.find(claim.raw) if claim.sentence and claim.raw else -1
    before = PUNCT.sub("", claim.sentence[max(0, at - 24):at]) if at > 0 else ""
    after = PUNCT.sub("", claim.sentence[at + len(claim.raw):at + len(claim.raw) + 24]) if at >= 0 else ""
    return Mention(claim_id, claim, claim_metric(claim), claim.year, period_key(claim), publisher, edition,
                    low, high, half, quantum, before, after)


def restated(a: Mention, b: Mention) -> float:
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
    if value_key(a) != value_key(b):
        return 0.0
    same_before = bool(a.before) and fuzz.ratio(a.before, b.before) >= CONTEXT
    same_after = len(a.after) >= 8 and fuzz.ratio(a.after, b.after) >= CONTEXT
    if a.claim.document == b.claim.document:
        return float(CONTEXT) if same_before or same_after else 0.0
    return float(CONTEXT) if same_before and same_after else 0.0


def mentions_of(claims: Iterable[tuple[str, Claim]], documents: Mapping[str, Document] | None = None,
                ) -> list[Mention]:
    """Mentions of the claims; a restatement without year or month takes those of its report's dated statement.

    Only claims of one report are compared here, so the mentions of a set of whole reports can be made apart from
    those of other reports and joined later.
    """
    documents = documents or {}
    claims = list(claims)
    read_entries(claim for _, claim in claims)
    publishers: dict[tuple[str | None, str], tuple[str | None, tuple[int, int] | None]] = {}
    mentions = [_mention(claim_id, claim, documents, publishers) for claim_id, claim in claims]
    dated: dict[tuple, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.year is not None:
            dated[(m.claim.document, m.claim.unit, m.claim.value, m.claim.subject)].append(m)
    for i, m in enumerate(mentions):
        if m.year is not None and (m.period or _YEARS.search(m.claim.period or "")):
            continue
        same = [o for o in dated.get((m.claim.document, m.claim.unit, m.claim.value, m.claim.subject), [])
                if not same_sentence(o, m) and m.year in (None, o.year) and (m.period == "" or m.period == o.period)
                and (o.period != m.period or m.year is None)]
        best = max(same, key=lambda o: (restated(m, o), -(o.year or 0), o.claim_id), default=None)
        if best is not None and restated(m, best) > 0:
            mentions[i] = replace(m, year=best.year, period=best.period)
    return mentions


def blocks_of(claims: Iterable[tuple[str, Claim]], documents: Mapping[str, Document] | None = None) -> dict[str, str]:
    """The blocking key of each claim id: only claims sharing a block are ever compared."""
    return {m.claim_id: m.block for m in mentions_of(claims, documents)}


def same_sentence(a: Mention, b: Mention) -> bool:
    """True for two figures of one sentence occurrence (a sentence repeated elsewhere is another occurrence)."""
    return a.claim.document == b.claim.document and a.claim.sentence == b.claim.sentence \
        and abs(a.claim.start - b.claim.start) < len(a.claim.sentence)


def value_key(m: Mention) -> tuple:
    """The stated value (and upper value of a range) of a mention."""
    return (m.claim.value, m.claim.value_high)
