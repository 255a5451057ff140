"""Judge a checked figure against the reports' figures: tolerance, qualifier bounds, magnitude slips."""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from rapidfuzz import fuzz

from schemas import Claim, Document, Evidence, Verdict

from . import resources as r
from .claims import extract_claims
from .text import normalize_text

SUPPORTED, CONTRADICTED, CONFLICTING, NOT_FOUND, NO_CLAIM = (
    "supported", "contradicted", "conflicting", "not_found", "no_claim")
# Worst first: the verdict of a whole text is the first of these that any of its claims got.
SEVERITY = (CONTRADICTED, CONFLICTING, NOT_FOUND, SUPPORTED)

# An approximate figure (约, 近, 左右) also stands for anything within this share of it.
APPROX_SHARE = Decimal("0.05")
# A bound ("超过55亿元") met by a figure this many times larger is a slipped magnitude word, not a bound.
SLIP_RATIO = Decimal(1000)
# Figures listed in one sentence count for a claim when their metric is this close (0..100) to the nearest one.
LIST_MARGIN = 3.0
# Figures whose metric matches this much (0..100) worse than the best match, in any year, measure something else.
OTHER_METRIC = 15.0
# A claim is judged on the figures whose metric matches this much (0..100) worse than the best, at most.
MARGIN = 5.0
# A verdict cites at most this many report figures; its explanation counts the rest.
SHOWN = 5

_NUMBER = re.compile(r.NUMBER)
_MAGNITUDE_IN_RAW = re.compile("|".join(sorted(r.MAGNITUDES, key=len, reverse=True)))

# Units that measure the same thing on one scale: unit → (family, factor to the family's base).
_SCALES: dict[str, tuple[str, Decimal]] = {
    **{u: ("bytes", Decimal(10) ** p) for u, p in {"MB": 6, "GB": 9, "TB": 12, "PB": 15, "EB": 18, "ZB": 21}.items()},
    **{u: ("flops", Decimal(10) ** p) for u, p in {"FLOPS": 0, "TFLOPS": 12, "PFLOPS": 15, "EFLOPS": 18}.items()},
    **{u: ("bps", Decimal(10) ** p) for u, p in {"Kbps": 3, "Mbps": 6, "Gbps": 9, "Tbps": 12}.items()},
    **{u: ("watts", Decimal(10) ** p) for u, p in {"kW": 3, "MW": 6, "GW": 9}.items()},
    "CNY": ("money", Decimal(1)), "USD": ("money", Decimal(1)), "EUR": ("money", Decimal(1)),
    "JPY": ("money", Decimal(1)), "GBP": ("money", Decimal(1)),
}
_COUNT_UNITS = frozenset(r.CLASSIFIERS) | {"count"}


def unit_family(unit: str | None) -> str | None:
    """The family a unit belongs to: figures of one family can be compared (亿户 and 亿 are both counts)."""
    if unit is None:
        return None
    if unit in _SCALES:
        return _SCALES[unit][0]
    if unit in _COUNT_UNITS:
        return "count"
    return unit


def _scale(unit: str) -> Decimal:
    return _SCALES[unit][1] if unit in _SCALES and _SCALES[unit][0] != "money" else Decimal(1)


def digit_unit(raw: str, value: Decimal) -> Decimal:
    """Base-unit size of the last written digit: 59.2万亿元 → 1e11, 9.69% → 0.01, 2500万 → 1e4."""
    match = _NUMBER.search(raw)
    if not match:
        # Written in words (四成, 五十九点二万亿): the last significant digit of the value.
        return Decimal(1).scaleb(value.normalize().as_tuple().exponent) if value else Decimal(1)
    written = Decimal(match.group().replace(",", "").replace("−", "-"))
    step = Decimal(1).scaleb(written.as_tuple().exponent)
    if written == 0:
        magnitude = r.MAGNITUDES.get(m.group(), Decimal(1)) if (m := _MAGNITUDE_IN_RAW.search(raw)) else Decimal(1)
        return step * magnitude
    return step * abs(value / written)


@dataclass(frozen=True)
class Figure:
    """A figure reduced to what comparing needs, in the base unit of its family."""

    value: Decimal
    high: Decimal | None
    qualifier: str
    step: Decimal
    unit: str

    @classmethod
    def of(cls, raw: str, value: Decimal, high: Decimal | None, qualifier: str, unit: str) -> Figure:
        """Scale a claim's or an evidence's figure to its family's base unit."""
        scale = _scale(unit)
        return cls(value * scale, high * scale if high is not None else None, qualifier,
                   digit_unit(raw, value) * scale, unit)


def _interval(figure: Figure, tolerance: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """What a figure asserts, widened by the tolerance; None is unbounded."""
    low, high = figure.value, figure.high if figure.high is not None else figure.value
    if figure.qualifier == "over":
        return low - tolerance, None
    if figure.qualifier == "under":
        return None, high + tolerance
    if figure.qualifier == "approx":
        tolerance = max(tolerance, abs(figure.value) * APPROX_SHARE)
    return low - tolerance, high + tolerance


def _overlap(a: tuple[Decimal | None, Decimal | None], b: tuple[Decimal | None, Decimal | None]) -> bool:
    return (a[0] is None or b[1] is None or a[0] <= b[1]) and (b[0] is None or a[1] is None or b[0] <= a[1])


def tolerance(a: Figure, b: Figure) -> Decimal:
    """Half a unit of the last written digit of the less precise figure."""
    return max(a.step, b.step) / 2


def _meets(claim: Figure, report: Figure) -> bool:
    """A bound is met when everything the report asserts lies past it; other figures need to overlap."""
    t = tolerance(claim, report)
    if claim.qualifier == "over":
        return report.qualifier != "under" and report.value >= claim.value - t
    if claim.qualifier == "under":
        top = report.high if report.high is not None else report.value
        return report.qualifier != "over" and top <= (claim.high or claim.value) + t
    report_span = (report.value, report.high if report.high is not None else report.value)
    if report.qualifier in ("over", "under"):
        report_span = _interval(report, Decimal(0))
    return _overlap(_interval(claim, t), report_span)


def _bound_slip(claim: Figure, report: Figure) -> int | None:
    """A bound met only because the report's figure is a thousand times past it."""
    if claim.value <= 0 or report.value <= 0:
        return None
    if claim.qualifier == "over" and report.value >= claim.value * SLIP_RATIO:
        return _power(report.value / claim.value)
    if claim.qualifier == "under" and report.value * SLIP_RATIO <= claim.value:
        return -_power(claim.value / report.value)
    return None


def agrees(claim: Figure, report: Figure) -> bool:
    """True when the claim's figure, with tolerance and qualifier bound, meets the report's figure."""
    return _meets(claim, report) and _bound_slip(claim, report) is None


def slip(claim: Figure, report: Figure) -> int | None:
    """The power of ten that separates the claim from the report when a magnitude word slipped, else None."""
    if claim.qualifier in ("over", "under"):
        return _bound_slip(claim, report)
    if claim.value == 0 or report.value == 0:
        return None
    for power in (*range(1, 13), *range(-1, -13, -1)):
        factor = Decimal(10) ** power
        scaled = Figure(claim.value * factor, claim.high * factor if claim.high is not None else None,
                        claim.qualifier, claim.step * factor, claim.unit)
        if _meets(scaled, report):
            return power
    return None


def _power(ratio: Decimal) -> int:
    return max(1, round(ratio.log10()))


def _figure(item: Claim | Evidence) -> Figure:
    return _figure_of(item.raw, item.value, item.value_high, item.qualifier, item.unit)


@functools.lru_cache(maxsize=1 << 14)
def _figure_of(raw: str, value: Decimal, high: Decimal | None, qualifier: str, unit: str) -> Figure:
    """Figures are compared pairwise across many evidence rows: each is scaled once."""
    return Figure.of(raw, value, high, qualifier, unit)


def _cite(evidence: Evidence) -> str:
    page = f" p.{evidence.page}" if evidence.page is not None else ""
    year = f"{evidence.year}, " if evidence.year is not None else ""
    return f"{evidence.raw} ({year}{evidence.document}{page})"


_UNIT_LABELS = {"CNY": "元", "USD": "美元", "EUR": "欧元", "JPY": "日元", "GBP": "英镑", "pp": "个百分点",
                "x": "倍", "count": ""}


def _show(amount: Decimal, like: Claim) -> str:
    """An amount in the magnitude and unit the claim was written in: 0.05万亿元."""
    m = _MAGNITUDE_IN_RAW.search(like.raw) if _NUMBER.search(like.raw) else None
    magnitude_word = m.group() if m and like.unit not in ("%", "pp", "x", "‰") else ""
    magnitude = r.MAGNITUDES.get(magnitude_word, Decimal(1))
    shown = (amount / _scale(like.unit) / magnitude).normalize()
    return f"{format(shown, 'f')}{magnitude_word}{_UNIT_LABELS.get(like.unit, like.unit)}"


def _what(claim: Claim) -> str:
    """The metric a claim is about, with its subject when that is not the nation."""
    metric = claim.metric or claim.raw
    return f"{claim.subject} {metric}" if claim.subject and claim.subject != "中国" else metric


def _verdict(claim: Claim, verdict: str, explanation: str, evidence: Iterable[Evidence] = ()) -> Verdict:
    return Verdict(
        raw=claim.raw, value=claim.value, value_high=claim.value_high, unit=claim.unit,
        qualifier=claim.qualifier, metric=claim.metric, subject=claim.subject, year=claim.year,
        verdict=verdict, explanation=explanation, evidence=tuple(evidence),
    )


def _consistent(a: Figure, b: Figure) -> bool:
    """Two report figures that state the same value within tolerance."""
    return agrees(a, b) or agrees(b, a)


def _reach(figure: Figure) -> Decimal:
    """How far from its value a figure may still agree with another: half its digit, its range, 约's share."""
    spread = figure.high - figure.value if figure.high is not None else Decimal(0)
    share = abs(figure.value) * APPROX_SHARE if figure.qualifier == "approx" else Decimal(0)
    return figure.step / 2 + spread + share


class _Agreement:
    """Whether figures agree with the claim and with the figures that do; each distinct figure is compared once.

    The figures that agree (anchors) are kept sorted by value, so a figure is compared only with the anchors
    within reach of it: judging stays near-linear however many reports state the figure.
    """

    def __init__(self, claim: Claim):
        self.mine = _figure(claim)
        self._agrees: dict[Figure, bool] = {}
        self._consistent: dict[Figure, bool] = {}
        self._bounds: list[Figure] = []
        self._points: list[Figure] = []
        self._values: list[Decimal] = []
        self._reach = Decimal(0)

    def agrees(self, evidence: Evidence) -> bool:
        """The claim meets this report figure."""
        figure = _figure(evidence)
        if figure not in self._agrees:
            self._agrees[figure] = agrees(self.mine, figure)
        return self._agrees[figure]

    def anchor(self, anchors: Iterable[Evidence]) -> None:
        """Remember the figures that agree with the claim, to compare the others with."""
        distinct = {_figure(e) for e in anchors}
        self._bounds = [f for f in distinct if f.qualifier in ("over", "under")]
        self._points = sorted((f for f in distinct if f.qualifier not in ("over", "under")), key=lambda f: f.value)
        self._values = [f.value for f in self._points]
        self._reach = max((_reach(f) for f in self._points), default=Decimal(0))
        self._consistent.clear()

    def consistent(self, evidence: Evidence) -> bool:
        """The report figure states the value of one of the anchors, within tolerance."""
        figure = _figure(evidence)
        if figure not in self._consistent:
            self._consistent[figure] = self._near(figure)
        return self._consistent[figure]

    def _near(self, figure: Figure) -> bool:
        if any(_consistent(figure, b) for b in self._bounds):
            return True
        if figure.qualifier in ("over", "under"):
            return any(_consistent(figure, a) for a in self._points)
        reach = self._reach + _reach(figure)
        top = figure.high if figure.high is not None else figure.value
        low, high = bisect.bisect_left(self._values, figure.value - reach), bisect.bisect_right(self._values, top + reach)
        return any(_consistent(figure, a) for a in self._points[low:high])


def _most_precise(evidence: list[Evidence]) -> Evidence:
    """The exact figure with the finest last digit; bounds and approximations only when nothing else."""
    return min(evidence, key=lambda e: (e.qualifier != "exact", e.value_high is not None, _figure(e).step))


def _by_sentence(evidence: list[Evidence]) -> list[list[Evidence]]:
    """Figures grouped by the sentence that states them, best-matching sentence first."""
    groups: dict[tuple[str, str], list[Evidence]] = {}
    for e in evidence:
        groups.setdefault((e.document, e.sentence), []).append(e)
    return list(groups.values())


def _closest(group: list[Evidence], claim: Claim) -> list[Evidence]:
    """Of the figures one sentence lists (东部、中部…分别为41%、28%), those whose own metric is nearest the claim's."""
    if len(group) == 1 or not claim.metric:
        return group
    closeness = [fuzz.ratio(claim.metric, e.metric or "") for e in group]
    return [e for e, c in zip(group, closeness) if c >= max(closeness) - LIST_MARGIN]


def _same_fact(group: list[Evidence], facts: set[str], documents: set[str]) -> bool:
    """Whether a sentence that disagrees speaks of the same fact as the ones that agree.

    The reconciler decides when it has run; otherwise a sentence of another report counts, while a
    sentence of the same report is more likely another metric the words could not tell apart.
    """
    if facts and group[0].fact_id:
        return group[0].fact_id in facts
    return group[0].document not in documents


def _figures(evidence: Iterable[Evidence]) -> int:
    """How many report figures the evidence stands for."""
    return sum(e.mentions for e in evidence)


def _count(agreeing: int, total: int) -> str:
    """How many of the reports' figures agree, when there are more than the one cited."""
    return f"; {agreeing} of {total} figures in the reports agree" if total > 1 else ""


def _judge_year(claim: Claim, evidence: list[Evidence], other_years: list[int]) -> Verdict:
    if unit_family(claim.unit) == "money" and all(e.unit != claim.unit for e in evidence):
        return _verdict(claim, CONTRADICTED, f"the reports state it in {evidence[0].unit}, not {claim.unit}: "
                        f"{_cite(evidence[0])}", evidence[:1])
    evidence = [e for e in evidence if unit_family(e.unit) != "money" or e.unit == claim.unit]
    preferred = [e for e in evidence if e.preferred]
    current = preferred or evidence
    revised = [e for e in evidence if not e.preferred] if preferred else []
    judged = _Agreement(claim)
    groups = [_closest(group, claim) for group in _by_sentence(current)]
    matched = [[e for e in g if judged.agrees(e)] for g in groups]
    anchors = [m[0] for m in matched if m]
    if not anchors:
        old = next((e for e in revised if judged.agrees(e)), None)
        best = groups[0][0]
        if old is not None:
            return _verdict(claim, CONFLICTING, f"{claim.raw} matches {_cite(old)}, which a later report revised "
                            f"to {_cite(best)}", [old, best])
        return _contradicted(claim, best, current, other_years)
    judged.anchor(anchors)
    facts = {a.fact_id for a in anchors if a.fact_id}
    documents = {a.document for a in anchors}
    representatives, disagreeing = list(anchors), []
    agreeing = _figures(e for m in matched for e in m)
    for group, match in zip(groups, matched):
        if match:
            continue
        consistent = [e for e in group if judged.consistent(e)]
        if consistent:
            representatives.append(consistent[0])
            agreeing += _figures(consistent)
        elif _same_fact(group, facts, documents):
            disagreeing.append(group[0])
    total = _figures(e for g in groups for e in g)
    if disagreeing or any(e.fact_status == "conflict" for e in anchors):
        cited = "; ".join(_cite(e) for e in [*anchors[:2], *disagreeing[:3]])
        return _verdict(claim, CONFLICTING, f"the reports disagree: {cited}{_count(agreeing, total)}",
                        [*anchors[:2], *disagreeing[:SHOWN - 2]])
    best = _most_precise(representatives)
    if not agrees(judged.mine, _figure(best)):
        return _contradicted(claim, best, current, other_years)
    bound = {"over": "as a lower bound, ", "under": "as an upper bound, ", "approx": "as an approximation, "}
    t = tolerance(judged.mine, _figure(best))
    return _verdict(claim, SUPPORTED, f"{claim.raw} agrees with {_cite(best)} "
                    f"{bound.get(claim.qualifier, '')}within ±{_show(t, claim)}{_count(agreeing, total)}",
                    [best, *(e for e in representatives[:SHOWN] if e is not best)][:SHOWN])


def _contradicted(claim: Claim, best: Evidence, current: list[Evidence], other_years: list[int]) -> Verdict:
    mine = _figure(claim)
    cited = [best, *itertools.islice((e for e in current if e is not best), SHOWN - 1)]
    power = slip(mine, _figure(best))
    if power is not None:
        return _verdict(claim, CONTRADICTED, f"magnitude slip: {claim.raw} is off by a factor of 10^{abs(power)} "
                        f"from {_cite(best)}", cited)
    years = f"; {claim.raw} is the figure for {', '.join(map(str, other_years))}" if other_years else ""
    return _verdict(claim, CONTRADICTED, f"{claim.raw} differs from {_cite(best)} by more than the tolerance "
                    f"±{_show(tolerance(mine, _figure(best)), claim)}{years}", cited)


class Found(list):
    """Figures a lookup found, whose sentences are read only for the few a verdict cites.

    Until then each figure's `sentence` is a key that tells sentences apart; `cite` gives the figures back
    with their sentences.
    """

    def __init__(self, evidence: Iterable[Evidence], cite: Callable[[tuple[Evidence, ...]], tuple[Evidence, ...]]):
        super().__init__(evidence)
        self.cite = cite


def judge(claim: Claim, evidence: list[Evidence], *, margin: float = MARGIN) -> Verdict:
    """Verdict on one claim given the reports' figures for its metric (any year), best match first."""
    verdict = _judge(claim, evidence, margin=margin)
    if isinstance(evidence, Found) and verdict.evidence:
        return replace(verdict, evidence=evidence.cite(verdict.evidence))
    return verdict


def _judge(claim: Claim, evidence: list[Evidence], *, margin: float) -> Verdict:
    if not evidence:
        return _verdict(claim, NOT_FOUND, f"no figure for {_what(claim)} in the reports")
    evidence = _tier(evidence, OTHER_METRIC)
    judged = _Agreement(claim)
    if claim.year is None:
        # A figure without a year is checked against the year whose figure it matches, else the latest.
        best = _tier(evidence, margin)
        years = sorted({e.year for e in best if e.year is not None}, reverse=True)
        matching = {e.year for e in best if e.year is not None and e.qualifier not in ("over", "under")
                    and judged.agrees(e)}
        year = next((y for y in years if y in matching), years[0] if years else None)
        if year is not None:
            return _judge(replace(claim, year=year), evidence, margin=margin)
        return _judge_year(claim, _tier(evidence, margin), [])
    same_year = [e for e in evidence if e.year == claim.year]
    others = [e for e in evidence if e.year != claim.year and e.year is not None]
    matching_years = sorted({e.year for e in others if e.qualifier not in ("over", "under") and judged.agrees(e)})
    if not same_year:
        listed = ", ".join(map(str, sorted({e.year for e in others})))
        if not listed:
            return _verdict(claim, NOT_FOUND, f"no figure for {_what(claim)} in the reports")
        hint = f"; {claim.raw} is the figure for {', '.join(map(str, matching_years))}" if matching_years else ""
        shown = sorted(others, key=lambda e: (e.year not in matching_years, -e.score))[:3]
        return _verdict(claim, NOT_FOUND, f"no figure for {_what(claim)} in {claim.year}; "
                        f"the reports give it for {listed}{hint}", shown)
    return _judge_year(claim, _tier(same_year, margin), matching_years)


def _tier(evidence: list[Evidence], margin: float) -> list[Evidence]:
    """The figures whose metric matches about as well as the best one."""
    top = max(e.score for e in evidence)
    return [e for e in evidence if e.score >= top - margin]


def worst(verdicts: Iterable[str]) -> str:
    """The verdict of a whole text: the worst of its claims, `no_claim` when it has none."""
    found = set(verdicts) - {NO_CLAIM}
    return next((v for v in SEVERITY if v in found), NO_CLAIM)


def claims_of_text(text: str, *, name: str = "<text>") -> list[Claim]:
    """The claims a pasted text or article states, through the same extractors as the reports."""
    normalized = normalize_text(text)
    document = Document(name=name, path=name, sha256="", text=normalized.text, pages=normalized.pages,
                        footnotes=normalized.footnotes)
    return extract_claims(document)


def check_text(text: str, find: Callable[[Claim], list[Evidence]]) -> tuple[str, list[Verdict]]:
    """Every claim of a text judged against the figures `find` returns for it; with the overall verdict."""
    verdicts = [judge(claim, find(claim)) for claim in claims_of_text(text)]
    return worst(v.verdict for v in verdicts), verdicts


def article_text(path: str, data: bytes) -> str:
    """The text of an article to check: a PDF's text layer, else the decoded text file."""
    from .loaders import PDF_SUFFIXES, decode_text, load_pdf

    if path.lower().endswith(tuple(PDF_SUFFIXES)):
        return load_pdf(path, data).text
    return decode_text(path, data)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def as_json(overall: str, verdicts: list[Verdict]) -> dict:
    """The verdicts of a text as the JSON document `shuzi check --json` prints."""
    return {"verdict": overall, "claims": [{
        "raw": v.raw, "value": _number(v.value), "unit": v.unit, "metric": v.metric, "subject": v.subject,
        "year": v.year, "verdict": v.verdict, "explanation": v.explanation,
        "evidence": [{
            "document": e.document, "page": e.page, "sentence": e.sentence, "value": _number(e.value),
            "unit": e.unit, "fact_id": e.fact_id, "mentions": e.mentions,
        } for e in v.evidence],
    } for v in verdicts]}


_COLORS = {SUPPORTED: "32", CONTRADICTED: "31", CONFLICTING: "35", NOT_FOUND: "33", NO_CLAIM: "2"}


def describe(verdict: Verdict | None, *, color: bool = False) -> str:
    """One readable line for a verdict, the best evidence quoted; None describes a text without figures."""
    name, text = (NO_CLAIM, "the text states no figure") if verdict is None else (
        verdict.verdict, f"{verdict.raw} — {verdict.explanation}")
    label = f"\033[1;{_COLORS[name]}m{name:<12}\033[0m" if color else f"{name:<12}"
    if verdict is not None and verdict.evidence:
        text += f" «{verdict.evidence[0].sentence.strip()}»"
    return f"{label} {text}"
