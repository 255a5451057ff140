"""Whether figures agree: scaled to their family's base unit, with tolerance, qualifier bounds and magnitude slips."""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from schemas import Claim, Evidence

from . import resources as r

# An approximate figure (约, 近, 左右) also stands for anything within this share of it.
APPROX_SHARE = Decimal("0.05")
# A bound ("超过55亿元") met by a figure this many times larger is a slipped magnitude word, not a bound.
SLIP_RATIO = Decimal(1000)

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


def figure_of(item: Claim | Evidence) -> Figure:
    """A claim's or an evidence's figure, scaled once (see `figure`)."""
    return figure(item.raw, item.value, item.value_high, item.qualifier, item.unit)


@functools.lru_cache(maxsize=1 << 14)
def figure(raw: str, value: Decimal, high: Decimal | None, qualifier: str, unit: str) -> Figure:
    """Figures are compared pairwise across many evidence rows: each is scaled once."""
    return Figure.of(raw, value, high, qualifier, unit)

def _consistent(a: Figure, b: Figure) -> bool:
    """Two report figures that state the same value within tolerance."""
    return agrees(a, b) or agrees(b, a)


def _reach(figure: Figure) -> Decimal:
    """How far from its value a figure may still agree with another: half its digit, its range, 约's share."""
    spread = figure.high - figure.value if figure.high is not None else Decimal(0)
    share = abs(figure.value) * APPROX_SHARE if figure.qualifier == "approx" else Decimal(0)
    return figure.step / 2 + spread + share


class Agreement:
    """Whether figures agree with the claim and with the figures that do; each distinct figure is compared once.

    The figures that agree (anchors) are kept sorted by value, so a figure is compared only with the anchors
    within reach of it: judging stays near-linear however many reports state the figure.
    """

    def __init__(self, claim: Claim):
        self.mine = figure_of(claim)
        self._agrees: dict[Figure, bool] = {}
        self._consistent: dict[Figure, bool] = {}
        self._bounds: list[Figure] = []
        self._points: list[Figure] = []
        self._values: list[Decimal] = []
        self._reach = Decimal(0)

    def agrees(self, evidence: Evidence) -> bool:
        """The claim meets this report figure."""
        return self.meets(figure_of(evidence))

    def meets(self, report: Figure) -> bool:
        """The claim meets this report figure, already scaled."""
        if report not in self._agrees:
            self._agrees[report] = agrees(self.mine, report)
        return self._agrees[report]

    def anchor(self, anchors: Iterable[Evidence]) -> None:
        """Remember the figures that agree with the claim, to compare the others with."""
        distinct = {figure_of(e) for e in anchors}
        self._bounds = [f for f in distinct if f.qualifier in ("over", "under")]
        self._points = sorted((f for f in distinct if f.qualifier not in ("over", "under")), key=lambda f: f.value)
        self._values = [f.value for f in self._points]
        self._reach = max((_reach(f) for f in self._points), default=Decimal(0))
        self._consistent.clear()

    def consistent(self, evidence: Evidence) -> bool:
        """The report figure states the value of one of the anchors, within tolerance."""
        report = figure_of(evidence)
        if report not in self._consistent:
            self._consistent[report] = self._near(report)
        return self._consistent[report]

    def _near(self, figure: Figure) -> bool:
        if any(_consistent(figure, b) for b in self._bounds):
            return True
        if figure.qualifier in ("over", "under"):
            return any(_consistent(figure, a) for a in self._points)
        reach = self._reach + _reach(figure)
        top = figure.high if figure.high is not None else figure.value
        low, high = bisect.bisect_left(self._values, figure.value - reach), bisect.bisect_right(self._values, top + reach)
        return any(_consistent(figure, a) for a in self._points[low:high])

class Found(list):
    """Figures a lookup found, whose sentences are read only for the few a verdict cites.

    Until then each figure's `sentence` is a key that tells sentences apart; `cite` gives the figures back
    with their sentences.
    """

    def __init__(self, evidence: Iterable[Evidence], cite: Callable[[tuple[Evidence, ...]], tuple[Evidence, ...]]):
        super().__init__(evidence)
        self.cite = cite


def year_to_judge(claim: Claim, figures: Iterable[tuple[int | None, Figure]]) -> int | None:
    """The year a claim without one is judged in, given (year, figure) pairs: the latest whose figure (not a
    bound) agrees with the claim, else the latest; None when no figure has a year."""
    judged = Agreement(claim)
    dated = [(year, report) for year, report in figures if year is not None]
    matching = {year for year, report in dated if report.qualifier not in ("over", "under") and judged.meets(report)}
    return max(matching, default=max((year for year, _ in dated), default=None))
