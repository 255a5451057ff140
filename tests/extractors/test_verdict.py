"""Verdicts on a figure given the reports' figures: tolerance, bounds, magnitude slips, disagreement."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.agreement import Figure, agrees, digit_unit, slip, tolerance, unit_family, year_to_judge
from extractors.verdict import (
    CONFLICTING, CONTRADICTED, NO_CLAIM, NOT_FOUND, SUPPORTED, as_json, claims_of_text, describe, judge, worst,
)
from schemas import Claim, Evidence

WAN_YI = Decimal(10) ** 12
YI = Decimal(10) ** 8


def figure(raw: str, value: str, unit: str = "CNY", qualifier: str = "exact", high: str | None = None) -> Figure:
    return Figure.of(raw, Decimal(value), Decimal(high) if high else None, qualifier, unit)


def claim(raw: str, value: str, *, unit: str = "CNY", year: int | None = 2024, qualifier: str = "exact",
          metric: str = "数字经济规模") -> Claim:
    return Claim(document="<text>", page=None, start=0, end=len(raw), sentence=f"{metric}达到{raw}", raw=raw,
                 value=Decimal(value), unit=unit, qualifier=qualifier, metric=metric, subject="中国", year=year)


def evidence(raw: str, value: str, *, unit: str = "CNY", year: int | None = 2024, document: str = "a.txt",
             sentence: str | None = None, qualifier: str = "exact", score: float = 100.0, **more) -> Evidence:
    more.setdefault("metric", "数字经济规模")
    return Evidence(document=document, page=3, sentence=sentence or f"{year}年数字经济规模达到{raw}。", raw=raw,
                    value=Decimal(value), unit=unit, qualifier=qualifier, subject="中国", year=year, score=score,
                    **more)


@pytest.mark.parametrize(("raw", "value", "expected"), [
    ("59.2万亿元", "59.2e12", Decimal("1e11")),
    ("59万亿元", "59e12", Decimal("1e12")),
    ("9.69%", "9.69", Decimal("0.01")),
    ("2500万至3000万", "25e6", Decimal("1e4")),
    ("1,512.28亿笔", "151228000000", Decimal("1e6")),
    ("454.9万个", "4549000", Decimal("1000")),
    ("230EFLOPS", "230", Decimal("1")),
    ("0.5个百分点", "0.5", Decimal("0.1")),
])
def test_digit_unit_is_the_last_written_digit(raw, value, expected):
    assert digit_unit(raw, Decimal(value)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    (figure("59万亿元", "59e12"), figure("59.2万亿元", "59.2e12"), Decimal("0.5e12")),
    (figure("59.2万亿元", "59.2e12"), figure("59.24万亿元", "59.24e12"), Decimal("0.05e12")),
    (figure("9.7%", "9.7", "%"), figure("9.69%", "9.69", "%"), Decimal("0.05")),
])
def test_tolerance_is_half_a_digit_of_the_less_precise_figure(a, b, expected):
    assert tolerance(a, b) == expected


@pytest.mark.parametrize(("mine", "report", "expected"), [
    (figure("59.2万亿元", "59.2e12"), figure("59.2万亿元", "59.2e12"), True),
    (figure("59万亿元", "59e12"), figure("59.2万亿元", "59.2e12"), True),
    (figure("60万亿元", "60e12"), figure("59.2万亿元", "59.2e12"), False),
    (figure("59.3万亿元", "59.3e12"), figure("59.2万亿元", "59.2e12"), False),
    (figure("8.3万亿元", "8.3e12"), figure("8.35万亿元", "8.35e12"), True),
    (figure("9.7%", "9.7", "%"), figure("9.69%", "9.69", "%"), True),
    (figure("9.8%", "9.8", "%"), figure("9.69%", "9.69", "%"), False),
    (figure("55万亿元", "55e12", qualifier="over"), figure("59.2万亿元", "59.2e12"), True),
    (figure("60万亿元", "60e12", qualifier="over"), figure("59.2万亿元", "59.2e12"), False),
    (figure("45%", "45", "%", qualifier="under"), figure("43.8%", "43.8", "%"), True),
    (figure("40%", "40", "%", qualifier="under"), figure("43.8%", "43.8", "%"), False),
    (figure("60万亿元", "60e12", qualifier="approx"), figure("59.2万亿元", "59.2e12"), True),
    (figure("10%", "10", "%", qualifier="approx"), figure("9.69%", "9.69", "%"), True),
    (figure("3亿", "3e8", "count", qualifier="approx"), figure("2.4亿", "2.4e8", "count"), False),
    (figure("50万亿元", "50e12"), figure("突破1万亿元", "1e12", qualifier="over"), True),
    (figure("2500万至3000万", "25e6", "count", high="30e6"), figure("2800万", "28e6", "count"), True),
    (figure("55亿元", "55e8", qualifier="over"), figure("59.2万亿元", "59.2e12"), False),
    (figure("1.2ZB", "1.2", "ZB"), figure("1200EB", "1200", "EB"), True),
])
def test_agrees(mine, report, expected):
    assert agrees(mine, report) is expected


@pytest.mark.parametrize(("mine", "report", "expected"), [
    (figure("59.2亿元", "59.2e8"), figure("59.2万亿元", "59.2e12"), 4),
    (figure("454.9亿个", "454.9e8", "个"), figure("454.9万个", "4549000", "个"), -4),
    (figure("5.92万亿元", "5.92e12"), figure("59.2万亿元", "59.2e12"), 1),
    (figure("62.1万亿元", "62.1e12"), figure("59.2万亿元", "59.2e12"), None),
    (figure("55亿元", "55e8", qualifier="over"), figure("59.2万亿元", "59.2e12"), 4),
])
def test_slip_finds_the_power_of_ten(mine, report, expected):
    assert slip(mine, report) == expected


@pytest.mark.parametrize(("unit", "expected"), [
    ("CNY", "money"), ("USD", "money"), ("个", "count"), ("户", "count"), ("count", "count"), ("EB", "bytes"),
    ("EFLOPS", "flops"), ("%", "%"), ("pp", "pp"), ("x", "x"), (None, None),
])
def test_unit_family(unit, expected):
    assert unit_family(unit) == expected


@pytest.mark.parametrize(("verdicts", "expected"), [
    ([SUPPORTED, NOT_FOUND], NOT_FOUND),
    ([SUPPORTED, CONFLICTING, NOT_FOUND], CONFLICTING),
    ([CONTRADICTED, CONFLICTING, SUPPORTED], CONTRADICTED),
    ([SUPPORTED], SUPPORTED),
    ([], NO_CLAIM),
])
def test_worst_verdict_of_a_text(verdicts, expected):
    assert worst(verdicts) == expected


def test_true_figure_is_supported_with_its_evidence():
    verdict = judge(claim("59.2万亿元", "59.2e12"), [evidence("59.2万亿元", "59.2e12")])
    assert verdict.verdict == SUPPORTED
    assert verdict.evidence[0].document == "a.txt"
    assert "±0.05万亿元" in verdict.explanation


def test_altered_figure_is_contradicted_and_the_tolerance_named():
    verdict = judge(claim("62.1万亿元", "62.1e12"), [evidence("59.2万亿元", "59.2e12")])
    assert verdict.verdict == CONTRADICTED
    assert "59.2万亿元" in verdict.explanation and "±0.05万亿元" in verdict.explanation


def test_magnitude_slip_is_contradicted_and_said_so():
    verdict = judge(claim("59.2亿元", "59.2e8"), [evidence("59.2万亿元", "59.2e12")])
    assert verdict.verdict == CONTRADICTED
    assert "magnitude slip" in verdict.explanation


def test_missing_year_names_the_years_the_reports_have():
    found = [evidence("59.2万亿元", "59.2e12", year=2024), evidence("45.5万亿元", "45.5e12", year=2021)]
    verdict = judge(claim("59.2万亿元", "59.2e12", year=2023), found)
    assert verdict.verdict == NOT_FOUND
    assert "2021, 2024" in verdict.explanation and "figure for 2024" in verdict.explanation


def test_year_with_another_figure_is_contradicted():
    found = [evidence("59.2万亿元", "59.2e12", year=2024), evidence("45.5万亿元", "45.5e12", year=2021)]
    assert judge(claim("59.2万亿元", "59.2e12", year=2021), found).verdict == CONTRADICTED


def test_nothing_found_is_not_found():
    assert judge(claim("1.2万亿元", "1.2e12", metric="元宇宙产业规模"), []).verdict == NOT_FOUND


def test_figure_without_year_takes_the_year_it_matches():
    found = [evidence("59.2万亿元", "59.2e12", year=2024), evidence("45.5万亿元", "45.5e12", year=2021)]
    verdict = judge(claim("45.5万亿元", "45.5e12", year=None), found)
    assert (verdict.verdict, verdict.year) == (SUPPORTED, 2021)


def test_reports_that_disagree_make_a_conflict():
    found = [evidence("59.2万亿元", "59.2e12", document="a.txt"), evidence("58.1万亿元", "58.1e12", document="b.txt")]
    verdict = judge(claim("59.2万亿元", "59.2e12"), found)
    assert verdict.verdict == CONFLICTING
    assert {e.document for e in verdict.evidence} == {"a.txt", "b.txt"}


def test_reports_that_agree_by_rounding_are_no_conflict():
    found = [evidence("8.4万亿元", "8.4e12", document="a.txt"), evidence("8.35万亿元", "8.35e12", document="b.txt")]
    assert judge(claim("8.4万亿元", "8.4e12"), found).verdict == SUPPORTED


def test_figures_listed_in_one_sentence_are_no_conflict():
    sentence = "AI基础设施和AI服务收入规模分别为531和422.5亿美元。"
    found = [evidence("531", "531e8", unit="USD", sentence=sentence),
             evidence("422.5亿美元", "422.5e8", unit="USD", sentence=sentence, score=99.0)]
    assert judge(claim("422.5亿美元", "422.5e8", unit="USD"), found).verdict == SUPPORTED


def test_a_listed_figure_counts_only_for_its_own_metric():
    sentence = "东部、中部地区数字经济产业园数量占比分别为41%、28%。"
    found = [evidence("41%", "41", unit="%", sentence=sentence, metric="东部数字经济产业园数量占比"),
             evidence("28%", "28", unit="%", sentence=sentence, metric="中部数字经济产业园数量占比")]
    east = "东部数字经济产业园数量占比"
    assert judge(claim("41%", "41", unit="%", metric=east), found).verdict == SUPPORTED
    assert judge(claim("28%", "28", unit="%", metric=east), found).verdict == CONTRADICTED


def test_reconciled_conflict_is_conflicting():
    found = [evidence("59.2万亿元", "59.2e12", fact_id="f1", fact_status="conflict")]
    assert judge(claim("59.2万亿元", "59.2e12"), found).verdict == CONFLICTING


def test_revised_figure_is_conflicting_and_names_the_revision():
    found = [evidence("54.0万亿元", "54.0e12", year=2023, document="new.txt", fact_id="f1", fact_status="revised"),
             evidence("53.9万亿元", "53.9e12", year=2023, document="old.txt", fact_id="f1", fact_status="revised",
                      preferred=False)]
    verdict = judge(claim("53.9万亿元", "53.9e12", year=2023), found)
    assert verdict.verdict == CONFLICTING
    assert "revised" in verdict.explanation


def test_other_currency_is_contradicted():
    verdict = judge(claim("6421.8亿元", "6421.8e8"), [evidence("6421.8亿美元", "6421.8e8", unit="USD")])
    assert verdict.verdict == CONTRADICTED
    assert "USD" in verdict.explanation


@pytest.mark.parametrize(("text", "raws"), [
    ("2024年我国数字经济规模达到59.2万亿元", ["59.2万亿元"]),
    ("2024年，我国数字经济规模达到59.2万亿元，同比名义增长9.69%。", ["59.2万亿元", "9.69%"]),
    ("数字经济已成为推动经济增长的重要引擎。", []),
])
def test_claims_of_text_uses_the_report_extractors(text, raws):
    claims = claims_of_text(text)
    assert [c.raw for c in claims] == raws
    assert all(c.year == 2024 for c in claims)


def test_json_document_shape():
    verdict = judge(claim("59.2万亿元", "59.2e12"), [evidence("59.2万亿元", "59.2e12", fact_id="f1")])
    document = as_json(SUPPORTED, [verdict])
    assert document["verdict"] == SUPPORTED
    item = document["claims"][0]
    assert set(item) == {"raw", "value", "unit", "metric", "subject", "year", "verdict", "explanation", "evidence"}
    assert item["value"] == 59200000000000
    assert item["evidence"][0] == {"document": "a.txt", "page": 3, "sentence": "2024年数字经济规模达到59.2万亿元。",
                                   "value": 59200000000000, "unit": "CNY", "fact_id": "f1",
                                   "mentions": 1}


def test_describe_quotes_the_evidence_and_colours_only_when_asked():
    verdict = judge(claim("59.2万亿元", "59.2e12"), [evidence("59.2万亿元", "59.2e12")])
    plain = describe(verdict)
    assert plain.startswith("supported") and "«2024年数字经济规模达到59.2万亿元。»" in plain
    assert "\033[" not in plain and "\033[1;32m" in describe(verdict, color=True)
    assert describe(None).startswith("no_claim")


def test_a_claim_without_a_year_is_judged_in_the_latest_year_whose_figure_agrees_else_the_latest():
    mine = claim("59.2万亿元", "59.2e12", year=None)
    figures = [(2023, figure("59.2万亿元", "59.2e12")), (2024, figure("60万亿元", "60e12")),
               (2025, figure("超过50万亿元", "50e12", qualifier="over")), (None, figure("59.2万亿元", "59.2e12"))]
    assert year_to_judge(mine, figures) == 2023  # a bound (2025) that is met does not count as agreeing
    assert year_to_judge(mine, figures[1:]) == 2025
    assert year_to_judge(mine, figures[3:]) is None
