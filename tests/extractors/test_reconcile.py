"""The reconciler: which claims make one fact, how their values compare, and what a later edition does."""
from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.reconcile import blocks_of, edition_of, reconcile
from schemas import Claim, Document


def claim(metric: str | None, raw: str, value: str, unit: str = "%", *, document: str = "a.txt",
          year: int | None = 2021,
          sentence: str | None = None, qualifier: str = "exact", kind: str = "level", value_high: str | None = None,
          source: str | None = None, period: str | None = None, forecast: bool = False) -> Claim:
    """A claim as the extractors would make it; the sentence defaults to metric + raw."""
    sentence = sentence if sentence is not None else f"{year}年，我国{metric or ''}{raw}。"
    start = sentence.find(raw)
    return Claim(document=document, page=None, start=start, end=start + len(raw), sentence=sentence, raw=raw,
                 value=Decimal(value), unit=unit, value_high=Decimal(value_high) if value_high else None,
                 qualifier=qualifier, kind=kind, forecast=forecast, metric=metric, subject="中国", year=year,
                 period=period or (f"{year}年" if year else None), source=source)


def facts_of(*claims: Claim, documents: dict[str, Document] | None = None):
    """Reconcile claims given ids c0, c1, ...; returns the result."""
    return reconcile([(f"c{i}", c) for i, c in enumerate(claims)], documents)


def same_fact(result, *ids: str) -> bool:
    return len({result.assignments[i] for i in ids}) == 1


@pytest.mark.parametrize("metric_a, metric_b, unit", [
    ("数字经济规模", "数字经济总规模", "CNY"),
    ("数字经济规模", "数字经济", "CNY"),
    ("数字经济规模同比名义增速", "数字经济同比名义增长", "%"),
    ("数字经济增速", "数字经济增长率", "%"),
    ("数字经济占GDP比重", "数字经济占国内生产总值比重", "%"),
    ("数字经济占GDP比重", "数字经济在GDP中的占比", "%"),
    ("数字经济规模稳步提升至", "数字经济规模达到", "CNY"),
    ("5G基站数量", "5G基站总数", "个"),
    ("数字产业化规模", "数字产业化增加值规模", "CNY"),
])
def test_merges_one_metric_written_two_ways(metric_a, metric_b, unit):
    result = facts_of(claim(metric_a, "12.5", "12.5", unit, document="a.txt"),
                      claim(metric_b, "12.5", "12.5", unit, document="b.txt"))
    assert same_fact(result, "c0", "c1")


@pytest.mark.parametrize("metric_a, metric_b, unit", [
    ("数字经济全要素生产率增长贡献", "数字经济对全要素生产率的贡献", "%"),
    ("数字经济占GDP比重", "数字经济同比增速", "%"),
    ("数字产业化规模", "产业数字化规模", "CNY"),
    ("数字产业化占GDP比重", "产业数字化占GDP比重", "%"),
    ("数字经济名义增速", "数字经济实际增速", "%"),
    ("数字经济年均增速", "数字经济同比增速", "%"),
    ("数字经济占GDP比重", "数字产业化占数字经济比重", "%"),
    ("全球数字经济规模", "美国数字经济规模", "USD"),
    ("全球数字经济规模", "数字经济规模", "USD"),
    ("人工智能企业数量", "工业互联网企业数量", "家"),
])
def test_never_merges_different_concepts_even_with_equal_values(metric_a, metric_b, unit):
    result = facts_of(claim(metric_a, "7.3", "7.3", unit, document="a.txt"),
                      claim(metric_b, "7.3", "7.3", unit, document="b.txt"))
    assert not same_fact(result, "c0", "c1")


def test_a_bare_share_takes_the_topic_of_its_sentence():
    first = "2021年，我国数字产业化规模达到8.4万亿元，同比名义增长11.9%，占GDP比重为7.3%。"
    second = "2021年，产业数字化规模达到37.2万亿元，同比名义增长17.2%，占GDP比重为32.5%。"
    result = facts_of(claim("占GDP比重", "7.3%", "7.3", sentence=first, kind="share"),
                      claim("占GDP比重", "32.5%", "32.5", sentence=second, kind="share", document="b.txt"),
                      claim("数字产业化占GDP比重", "7.3%", "7.3", document="c.txt"))
    assert not same_fact(result, "c0", "c1")
    assert same_fact(result, "c0", "c2")
    keys = {f.metric_key for f in result.facts}
    assert keys == {"数字产业化占GDP比重", "产业数字化占GDP比重"}


def test_values_listed_in_one_sentence_stay_apart():
    sentence = "2021年，三类企业数量分别为32家、35家和54家。"
    result = facts_of(*(claim("企业数量分别为", raw, raw[:-1], "家", sentence=sentence) for raw in ("32家", "35家", "54家")))
    assert len(result.facts) == 3 and {f.status for f in result.facts} == {"agreed"}


def test_equal_figures_of_one_sentence_stay_apart():
    sentence = "2025年上半年，全球新增AI独角兽15家，其中，美国6家，中国6家。"
    us, china = sentence.index("6家"), sentence.rindex("6家")
    result = facts_of(*(replace(claim("AI独角兽数量", "6家", "6", "家", sentence=sentence), start=at, end=at + 2)
                        for at in (us, china)))
    assert not same_fact(result, "c0", "c1")


def test_a_sentence_repeated_in_the_summary_and_the_body_is_one_fact():
    sentence = "2024年，我国数字经济占GDP比重达到43.8%，较上年提升1个百分点。"
    at = sentence.index("1个百分点")
    summary = replace(claim("较上年提升", "1个百分点", "1", "pp", sentence=sentence), start=at, end=at + 5)
    body = replace(summary, start=at + 5000, end=at + 5005)
    result = facts_of(summary, body)
    assert same_fact(result, "c0", "c1") and result.facts[0].mentions == 2


def test_a_bare_metric_in_the_same_sentence_of_two_reports_is_one_fact():
    sentence = "同时建设市、县级标准化行政审批系统，覆盖全省11个市和117个县区。"
    other = "此外，覆盖11个市和部分县区。"
    result = facts_of(claim("市数量", "11个", "11", "个", year=None, document="r.txt", sentence=sentence),
                      claim("市数量", "11个", "11", "个", year=None, document="r.pdf", sentence=sentence),
                      claim("市数量", "11个", "11", "个", year=None, document="r.md", sentence=other))
    assert same_fact(result, "c0", "c1") and not same_fact(result, "c0", "c2")


def test_an_undated_restatement_joins_the_dated_figure_of_its_report():
    result = facts_of(claim("人工智能企业数量", "4500家", "4500", "家", year=2024),
                      claim("人工智能企业数量", "4500家", "4500", "家", year=None, sentence="目前人工智能企业数量超过4500家。"))
    assert same_fact(result, "c0", "c1")
    assert result.facts[0].year == 2024


def test_a_restatement_without_date_joins_the_dated_statement_of_its_report():
    result = facts_of(claim("人工智能企业数量", "4500家", "4500", "家", year=2024, period="截至2024年3月"),
                      claim("人工智能企业数量", "4500家", "4500", "家", year=2024, period="目前",
                            sentence="我国目前人工智能企业数量超过4500家。"),
                      claim("人工智能企业数量", "4500家", "4500", "家", year=2024, period="2024年", document="b.txt"))
    assert same_fact(result, "c0", "c1") and not same_fact(result, "c0", "c2")
    assert {f.period for f in result.facts} == {"截至2024年3月", "2024年"}


@pytest.mark.parametrize("a, b, status", [
    (("8.35万亿元", "8350000000000", "exact"), ("8.4万亿元", "8400000000000", "exact"), "rounding"),
    (("59万亿元", "59000000000000", "approx"), ("59.2万亿元", "59200000000000", "exact"), "rounding"),
    (("59万亿元", "59000000000000", "exact"), ("59.2万亿元", "59200000000000", "exact"), "rounding"),
    (("810万", "8100000", "over"), ("810万", "8100000", "exact"), "agreed"),
    (("800万", "8000000", "over"), ("810万", "8100000", "exact"), "agreed"),
    (("800万", "8000000", "under"), ("810万", "8100000", "exact"), "conflict"),
    (("1万亿元", "1000000000000", "over"), ("45.5万亿元", "45500000000000", "exact"), "conflict"),
    (("8.4万亿元", "8400000000000", "exact"), ("8.5万亿元", "8500000000000", "exact"), "conflict"),
    (("45.5万亿元", "45500000000000", "exact"), ("45.5万亿元", "45500000000000", "exact"), "agreed"),
    (("8.45万亿元", "8450000000000", "exact"), ("8.4万亿元", "8400000000000", "exact"), "rounding"),
    (("8.46万亿元", "8460000000000", "exact"), ("8.4万亿元", "8400000000000", "exact"), "conflict"),
    (("113,026.5亿元", "11302650000000", "exact"), ("11.3万亿元", "11300000000000", "exact"), "rounding"),
    (("五十九万亿元", "59000000000000", "approx"), ("59.2万亿元", "59200000000000", "exact"), "rounding"),
])
def test_values_agree_within_rounding_and_bounds(a, b, status):
    result = facts_of(claim("数字经济规模", a[0], a[1], "CNY", qualifier=a[2], document="a.txt"),
                      claim("数字经济规模", b[0], b[1], "CNY", qualifier=b[2], document="b.txt"))
    assert len(result.facts) == 1
    assert result.facts[0].status == status


def test_a_range_agrees_with_a_value_inside_it():
    result = facts_of(claim("5G用户渗透率", "10%-15%", "10", value_high="15", document="a.txt"),
                      claim("5G用户渗透率", "12%", "12", document="b.txt"))
    assert [f.status for f in result.facts] == ["agreed"]


def test_rounding_prefers_the_more_precise_value():
    result = facts_of(claim("数字产业化规模", "8.4万亿元", "8400000000000", "CNY"),
                      claim("数字产业化规模", "8.4万亿元", "8400000000000", "CNY", sentence="从规模上看，数字产业化规模达8.4万亿元"),
                      claim("数字产业化规模", "8.35万亿元", "8350000000000", "CNY", sentence="我国数字产业化规模为8.35万亿元"))
    (fact,) = result.facts
    assert fact.value == Decimal("8350000000000") and fact.mentions == 3 and fact.documents == 1
    assert [(v.value, v.status, v.rank, v.mentions) for v in result.values] == [
        (Decimal("8350000000000"), "agrees", 1, 1), (Decimal("8400000000000"), "rounding", 2, 2)]


CAICT = "中国信息通信研究院"


def test_a_later_edition_of_the_same_publisher_revises_the_earlier_value():
    documents = {
        "old.txt": Document("old.txt", "old.txt", "1", "", title="中国数字经济发展白皮书（2022年）", publisher=CAICT),
        "new.txt": Document("new.txt", "new.txt", "2", "", title="中国数字经济发展研究报告（2023年）", publisher=CAICT),
    }
    result = facts_of(claim("数字经济规模同比名义增速", "16.2%", "16.2", document="old.txt"),
                      claim("数字经济同比名义增长", "16.4%", "16.4", document="new.txt"), documents=documents)
    (fact,) = result.facts
    assert fact.status == "revised" and fact.value == Decimal("16.4")
    assert [(v.value, v.status, v.rank, v.deprecated, v.documents) for v in result.values] == [
        (Decimal("16.4"), "agrees", 1, False, ("new.txt",)), (Decimal("16.2"), "revised", 2, True, ("old.txt",))]


def test_different_publishers_conflict_and_the_newer_value_is_preferred():
    documents = {
        "a.txt": Document("a.txt", "a.txt", "1", "", publisher=CAICT, published="2023年7月"),
        "b.txt": Document("b.txt", "b.txt", "2", "", publisher="某研究院", published="2022年12月"),
    }
    result = facts_of(claim("数字经济规模", "50.2万亿元", "50200000000000", "CNY", document="a.txt"),
                      claim("数字经济规模", "48万亿元", "48000000000000", "CNY", document="b.txt"), documents=documents)
    (fact,) = result.facts
    assert fact.status == "conflict" and fact.value == Decimal("50200000000000")
    assert [v.status for v in result.values] == ["agrees", "conflict"]
    assert not any(v.deprecated for v in result.values)


def test_a_cited_report_edition_counts_as_its_publisher_and_date():
    result = facts_of(
        claim("数字经济规模", "45.5万亿元", "45500000000000", "CNY", document="a.txt", source="《中国数字经济发展白皮书（2022年）》"),
        claim("数字经济规模", "45.6万亿元", "45600000000000", "CNY", document="b.txt", source="《中国数字经济发展白皮书（2023年）》"))
    assert result.facts[0].status == "revised" and result.facts[0].value == Decimal("45600000000000")


@pytest.mark.parametrize("published, title, expected", [
    ("2026年3月", None, (2026, 3)),
    ("2024-07-01", None, (2024, 7)),
    (None, "中国数字经济发展研究报告（2025年）", (2025, 0)),
    (None, "中国数字经济 高质量发展现状与前瞻报告 (2024 年)", (2024, 0)),
    (None, None, None),
])
def test_edition_of_a_report(published, title, expected):
    assert edition_of(Document("x.txt", "x.txt", "0", "", title=title, published=published)) == expected


def test_fact_ids_do_not_depend_on_claim_order():
    claims = [claim("数字经济规模", "45.5万亿元", "45500000000000", "CNY", document=f"{d}.txt") for d in "abc"]
    claims += [claim("数字经济占GDP比重", "39.8%", "39.8", document=f"{d}.txt") for d in "ab"]
    pairs = [(f"c{i}", c) for i, c in enumerate(claims)]
    first = reconcile(pairs)
    shuffled = pairs[:]
    random.Random(1).shuffle(shuffled)
    second = reconcile(shuffled)
    assert first == second
    assert len(first.facts) == 2 and sorted(f.mentions for f in first.facts) == [2, 3]


def test_undated_figures_are_matched_only_within_their_report_and_its_other_format():
    result = facts_of(claim("5G基站数量", "300万个", "3000000", "个", year=None, document="a.txt"),
                      claim("5G基站数量", "300万个", "3000000", "个", year=None, document="a.txt",
                            sentence="5G基站数量达300万个，覆盖所有地级市。"),
                      claim("5G基站数量", "450万个", "4500000", "个", year=None, document="b.txt"),
                      claim("5G基站数量", "300万个", "3000000", "个", year=None, document="a.pdf"))
    assert same_fact(result, "c0", "c1", "c3") and not same_fact(result, "c0", "c2")
    assert {f.status for f in result.facts} == {"agreed"}


def test_blocks_keep_years_periods_forecasts_and_units_apart():
    claims = [("a", claim("数字经济规模", "45.5万亿元", "45500000000000", "CNY", year=2021)),
              ("b", claim("数字经济规模", "45.5万亿元", "45500000000000", "CNY", year=2022)),
              ("c", claim("数字经济规模", "45.5万亿元", "45500000000000", "CNY", year=2021, period="2021年上半年")),
              ("d", claim("数字经济规模", "45.5万亿元", "45500000000000", "CNY", year=2021, forecast=True)),
              ("e", claim("数字经济规模", "45.5万亿美元", "45500000000000", "USD", year=2021))]
    assert len(set(blocks_of(claims).values())) == 5


@settings(max_examples=60, deadline=None)
@given(metric=st.text(max_size=30), sentence=st.text(max_size=60), raw=st.text(max_size=8))
def test_reconcile_never_raises_on_any_strings(metric, sentence, raw):
    noisy = Claim(document="x.txt", page=None, start=0, end=len(raw), sentence=sentence, raw=raw, value=Decimal("3"),
                  unit="%", metric=metric, year=None)
    result = reconcile([("n", noisy), ("m", claim(metric, "3%", "3"))])
    assert set(result.assignments) == {"n", "m"}
