"""The read side of `check` on real warehouses: candidates, the labelled claims, conflicts, bad files."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.verdict import CONFLICTING, SUPPORTED, check_text, claims_of_text
from warehouse.lookup import Lookup, NotAWarehouse, metric_key, metric_words, open_lookup, similarity

LABELLED = Path(__file__).resolve().parent.parent / "data" / "check_claims.jsonl"
CASES = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def lookup(corpus_warehouse) -> Lookup:
    """The bundled reports' figures, loaded once."""
    return open_lookup(corpus_warehouse)


@pytest.mark.parametrize(("text", "expected"), [
    ("我国数字经济规模达到", "数字经济规模"),
    ("2024年，我国数字经济规模稳步提升至", "数字经济规模"),
    ("截至2025年6月底，全国5G基站总量", "5G基站规模"),
    ("数字经济占比", "数字经济比重"),
    ("同比名义增速", "同比增长"),
])
def test_metric_key(text, expected):
    assert metric_key(text) == expected


@pytest.mark.parametrize(("query", "closer", "farther"), [
    ("数字产业化规模", "我国数字产业化规模达到", "我国产业数字化规模达到"),
    ("数字经济规模", "我国数字经济规模稳步提升至", "我国数字产业化规模达到"),
    ("移动支付金额", "我国完成移动支付业务，金额", "农村网络零售额"),
])
def test_similarity_prefers_the_same_metric(query, closer, farther):
    mine = metric_words(query + "1", "1")
    assert similarity(mine, metric_words(closer + "1", "1")) > similarity(mine, metric_words(farther + "1", "1"))


def test_find_returns_the_figure_with_its_sentence(lookup):
    claim = claims_of_text("2024年我国数字经济规模达到59.2万亿元")[0]
    found = lookup.find(claim)
    best = [e for e in found if e.year == 2024][0]
    assert best.raw == "59.2万亿元" and best.document == "002_767eecd6bc8a868c.txt"
    [best] = found.cite((best,))  # a sentence is read when a verdict cites its figure
    assert "59.2万亿元" in best.sentence
    assert all(e.unit in ("CNY", "USD", "EUR", "JPY", "GBP") for e in found)
    assert best.fact_id is not None


def test_find_keeps_units_of_one_family_only(lookup):
    claim = claims_of_text("2024年我国数字经济占GDP比重达到43.8%")[0]
    assert {e.unit for e in lookup.find(claim)} == {"%"}


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=c["known_miss"], strict=True)) if "known_miss" in c else c
    for c in CASES
], ids=[f"{c['expected']}:{c['text'][:24]}" for c in CASES])
def test_labelled_claims(lookup, case):
    overall, _ = check_text(case["text"], lookup.find)
    assert overall == case["expected"]


def test_reports_that_disagree_are_conflicting(two_reports_warehouse):
    overall, verdicts = check_text("2024年，我国数字经济规模达到59.2万亿元。", open_lookup(two_reports_warehouse).find)
    assert overall == CONFLICTING
    assert {e.document for e in verdicts[0].evidence} == {"a.txt", "b.txt"}


def test_figure_of_the_one_report_that_has_it_is_supported(two_reports_warehouse):
    overall, verdicts = check_text("2023年，我国数字经济规模达到53.9万亿元。", open_lookup(two_reports_warehouse).find)
    assert overall == SUPPORTED
    assert verdicts[0].evidence[0].sentence == "2023年，我国数字经济规模达到53.9万亿元。"


def test_warehouse_without_facts_still_answers(copy_warehouse, corpus_warehouse):
    copy = copy_warehouse(corpus_warehouse, "claims_only.db")
    with sqlite3.connect(copy) as conn:
        conn.execute("DROP VIEW IF EXISTS metric_series")
        conn.execute("DROP TABLE IF EXISTS fact_values")
        conn.execute("DROP TABLE IF EXISTS facts")
        conn.execute("UPDATE claims SET fact_id = NULL")
    overall, verdicts = check_text("2024年我国数字经济规模达到59.2万亿元", open_lookup(copy).find)
    assert overall == SUPPORTED
    assert verdicts[0].evidence[0].fact_id is None


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist"),
    (b"not a database at all, just text", "cannot be read as a warehouse"),
    (b"", "is not a shuzi warehouse"),
])
def test_bad_warehouse_files_raise_a_named_error(tmp_path, content, message):
    path = tmp_path / "x.db"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NotAWarehouse, match=message) as raised:
        open_lookup(path)
    assert str(path) in str(raised.value) and "shuzi ingest" in str(raised.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("2024年我国数字经济规模达到59.2万亿元超过约近%个百分点，。亿美元 -")), max_size=40))
def test_check_never_raises(lookup, text):
    overall, verdicts = check_text(text, lookup.find)
    assert overall in ("supported", "contradicted", "conflicting", "not_found", "no_claim")
    assert len(verdicts) == len(claims_of_text(text))
