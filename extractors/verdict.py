"""Judge a checked figure against the reports' figures: tolerance, qualifier bounds, magnitude slips."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal

from rapidfuzz import fuzz

from schemas import Claim, Document, Evidence, Verdict

from . import resources as r
from .agreement import (
    _MAGNITUDE_IN_RAW, _NUMBER, Agreement, Found, _scale, agrees, figure_of, slip, tolerance, unit_family,
    year_to_judge,
)
from .claims import extract_claims
from .text import normalize_text

SUPPORTED, CONTRADICTED, CONFLICTING, NOT_FOUND, NO_CLAIM = (
    "supported", "contradicted", "conflicting", "not_found", "no_claim")
# Worst first: the verdict of a whole text is the first of these that any of its claims got.
SEVERITY = (CONTRADICTED, CONFLICTING, NOT_FOUND, SUPPORTED)

# Figures listed in one sentence count for a claim when their metric is this close (0..100) to the nearest one.
LIST_MARGIN = 3.0
# Figures whose metric matches this much (0..100) worse than the best match, in any year, measure something else.
OTHER_METRIC = 15.0
# A claim is judged on the figures whose metric matches this much (0..100) worse than the best, at most.
MARGIN = 5.0
# A verdict cites at most this many report figures; its explanation counts the rest.
SHOWN = 5


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


def _most_precise(evidence: list[Evidence]) -> Evidence:
    """The exact figure with the finest last digit; bounds and approximations only when nothing else."""
    return min(evidence, key=lambda e: (e.qualifier != "exact", e.value_high is not None, figure_of(e).step))


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
    judged = Agreement(claim)
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
    if not agrees(judged.mine, figure_of(best)):
        return _contradicted(claim, best, current, other_years)
    bound = {"over": "as a lower bound, ", "under": "as an upper bound, ", "approx": "as an approximation, "}
    t = tolerance(judged.mine, figure_of(best))
    return _verdict(claim, SUPPORTED, f"{claim.raw} agrees with {_cite(best)} "
                    f"{bound.get(claim.qualifier, '')}within ±{_show(t, claim)}{_count(agreeing, total)}",
                    [best, *(e for e in representatives[:SHOWN] if e is not best)][:SHOWN])


def _contradicted(claim: Claim, best: Evidence, current: list[Evidence], other_years: list[int]) -> Verdict:
    mine = figure_of(claim)
    cited = [best, *itertools.islice((e for e in current if e is not best), SHOWN - 1)]
    power = slip(mine, figure_of(best))
    if power is not None:
        return _verdict(claim, CONTRADICTED, f"magnitude slip: {claim.raw} is off by a factor of 10^{abs(power)} "
                        f"from {_cite(best)}", cited)
    years = f"; {claim.raw} is the figure for {', '.join(map(str, other_years))}" if other_years else ""
    return _verdict(claim, CONTRADICTED, f"{claim.raw} differs from {_cite(best)} by more than the tolerance "
                    f"±{_show(tolerance(mine, figure_of(best)), claim)}{years}", cited)



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
    if claim.year is None:
        # A figure without a year is checked against the year whose figure it matches, else the latest.
        year = year_to_judge(claim, ((e.year, figure_of(e)) for e in _tier(evidence, margin)))
        if year is not None:
            return _judge(replace(claim, year=year), evidence, margin=margin)
        return _judge_year(claim, _tier(evidence, margin), [])
    judged = Agreement(claim)
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
