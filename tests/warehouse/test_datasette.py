"""Datasette serves the warehouse with its metadata: pages, search and canned queries (Datasette's own client)."""
from __future__ import annotations

import html
import re
import sqlite3

import pytest

from warehouse.browse import METADATA
from warehouse.search import SEARCHED_COLUMNS


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.text[:500]
    return response.json()


@pytest.mark.parametrize(("path", "expected"), [
    ("/", "numeric claims from Chinese digital-economy reports"),
    ("/shuzi", "Check a figure"),
    ("/shuzi/claims", "One row per numeric claim"),
    ("/shuzi/claim_details", "the view to read, filter, facet and export"),
    ("/shuzi/documents", "One row per ingested report"),
    ("/shuzi/facts", "One row per reconciled figure"),
    ("/shuzi/fact_values", "Each distinct value stated for a fact"),
    ("/shuzi/metric_series", "Show charting options"),
    ("/shuzi/ingest_runs", "One row per ingest run"),
    ("/shuzi/check_figure", "Every statement of a metric in a year"),
    ("/shuzi/metric_time_series", "A metric across years and reports"),
    ("/shuzi/conflicts_and_revisions", "Facts that reports state with different values"),
    ("/shuzi/claims_by_source", "Claims whose text cites a data source"),
    ("/shuzi/search_claims", "shorter words such as 增长"),
])
def test_page_shows_its_description(fetch, corpus_warehouse, path, expected):
    response = fetch(corpus_warehouse, path)
    assert response.status_code == 200
    assert expected in html.unescape(response.text)


def test_table_pages_load_the_chart_plugin(fetch, corpus_warehouse):
    response = fetch(corpus_warehouse, "/shuzi/metric_series")
    assert "/-/static-plugins/datasette_vega/" in response.text


def test_claims_are_faceted_by_unit_year_kind_source_and_document(fetch, corpus_warehouse):
    data = fetch(corpus_warehouse, "/shuzi/claim_details.json").json()
    assert {"unit", "year", "kind", "source", "document"} <= set(data["facet_results"])
    units = {item["value"] for item in data["facet_results"]["unit"]["results"]}
    assert {"CNY", "%"} <= units
    assert data["suggested_facets"] == []


def test_claims_name_their_document_by_its_label(fetch, corpus_warehouse):
    data = fetch(corpus_warehouse, "/shuzi/claims.json", _labels="on", _size="5").json()
    labels = {row["document_id"]["label"] for row in data["rows"]}
    assert labels and all(label.endswith(".txt") for label in labels)


def test_search_box_finds_a_chinese_phrase(fetch, corpus_warehouse):
    found = rows(fetch(corpus_warehouse, "/shuzi/claims.json", _search="数字经济规模", _shape="array", _size="max"))
    assert found
    assert all(any("数字经济规模" in (row[c] or "") for c in SEARCHED_COLUMNS) for row in found)
    assert "59.2万亿元" in {row["raw"] for row in found}


@pytest.mark.parametrize("query", [
    "增长",
    "规模",
    "数字经济规模",
    "GDP",
    "数字经济 增长",
])
def test_search_query_returns_exactly_the_claims_containing_the_words(fetch, corpus_warehouse, query):
    found = rows(fetch(corpus_warehouse, "/shuzi/search_claims.json", q=query, _shape="array", _size="max"))
    pattern = "%" + query.replace(" ", "%") + "%"
    con = sqlite3.connect(corpus_warehouse)
    expected = {claim_id for (claim_id,) in con.execute(
        "SELECT id FROM claims WHERE " + " OR ".join(f"{c} LIKE ?" for c in SEARCHED_COLUMNS),
        [pattern] * len(SEARCHED_COLUMNS))}
    assert expected
    assert {row["claim_id"] for row in found} == expected


def test_search_query_with_nothing_typed_returns_nothing(fetch, corpus_warehouse):
    assert rows(fetch(corpus_warehouse, "/shuzi/search_claims.json", q="", _shape="array")) == []


def test_check_figure_shows_each_report_value_against_the_fact(fetch, two_reports_warehouse):
    found = rows(fetch(two_reports_warehouse, "/shuzi/check_figure.json",
                       metric="数字经济 规模", year="2024", _shape="array"))
    assert {(r["stated"], r["value_status"], r["document"]) for r in found} == {
        ("59.2万亿元", "agrees", "a.txt"), ("58.1万亿元", "conflict", "b.txt")}
    assert {(r["metric"], r["year"], r["fact_value"], r["fact_status"]) for r in found} == {
        ("数字经济规模", 2024, "59.2万亿元", "conflict")}
    assert all(r["stated"] in r["sentence"] for r in found)


@pytest.mark.parametrize(("metric", "year", "expected"), [
    ("数字经济规模", "", {("53.9万亿元", "53.9万亿元"), ("59.2万亿元", "59.2万亿元"), ("58.1万亿元", "59.2万亿元")}),
    ("数字经济规模", "2023", {("53.9万亿元", "53.9万亿元")}),
    ("5G基站", "2024", {("425.1万个", "425.1万个")}),
    ("数字经济规模", "2019", set()),
])
def test_check_figure_by_metric_words_and_year(fetch, two_reports_warehouse, metric, year, expected):
    found = rows(fetch(two_reports_warehouse, "/shuzi/check_figure.json", metric=metric, year=year, _shape="array"))
    assert {(r["stated"], r["fact_value"]) for r in found} == expected


def test_metric_time_series_runs_across_years_and_reports(fetch, two_reports_warehouse):
    found = rows(fetch(two_reports_warehouse, "/shuzi/metric_time_series.json",
                       metric="数字经济规模", unit="CNY", subject="", _shape="array"))
    assert [(r["year"], r["value"], r["document"]) for r in found] == [
        (2023, 53.9e12, "a.txt"), (2024, 59.2e12, "a.txt"), (2024, 58.1e12, "b.txt")]


def test_metric_time_series_keeps_to_the_series_when_the_metric_is_exact(fetch, corpus_warehouse):
    found = rows(fetch(corpus_warehouse, "/shuzi/metric_time_series.json",
                       metric="数字经济规模", unit="CNY", subject="", _shape="array"))
    assert {r["metric"] for r in found} == {"数字经济规模"}
    assert {2021, 2024} <= {r["year"] for r in found}
    broader = rows(fetch(corpus_warehouse, "/shuzi/metric_time_series.json",
                         metric="数字经济 规模", unit="CNY", subject="", _shape="array"))
    assert len({r["metric"] for r in broader}) > 1


def test_metric_time_series_example_link_charts_real_rows(fetch, corpus_warehouse):
    description = METADATA.read_text(encoding="utf-8")
    link = re.search(r'href=\\"(/shuzi/metric_time_series\?[^"\\#]+)#g\.mark=line', description)
    assert link, "the metric_time_series description links an example chart"
    path, query = html.unescape(link[1]).split("?", 1)
    found = rows(fetch(corpus_warehouse, f"{path}.json?{query}&_shape=array"))
    assert found and {r["unit"] for r in found} == {"CNY"} and len({r["year"] for r in found}) >= 2


def test_conflicts_and_revisions_list_each_value_by_rank(fetch, two_reports_warehouse):
    found = rows(fetch(two_reports_warehouse, "/shuzi/conflicts_and_revisions.json", metric="", _shape="array"))
    assert [(r["rank"], r["stated"], r["value_status"]) for r in found] == [
        (1, "59.2万亿元", "agrees"), (2, "58.1万亿元", "conflict")]
    assert {r["fact_status"] for r in found} == {"conflict"}


@pytest.mark.parametrize(("source", "expected"), [
    ("", {("工业和信息化部", "425.1万个")}),
    ("工业", {("工业和信息化部", "425.1万个")}),
    ("国家统计局", set()),
])
def test_claims_by_source(fetch, two_reports_warehouse, source, expected):
    found = rows(fetch(two_reports_warehouse, "/shuzi/claims_by_source.json", source=source, _shape="array"))
    assert {(r["source"], r["raw"]) for r in found} == expected
