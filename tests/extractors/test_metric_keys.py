"""Metric keys: written metrics normalized with the synonym table, split into measured thing and aspect."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.metric_keys import read_entries, split_metric, similarity
from schemas import Claim


@pytest.mark.parametrize("metric, unit, kind, key", [
    ("数字经济规模稳步提升至", "CNY", "level", "数字经济规模"),
    ("我国数字经济占GDP比重已经达到", "%", "share", "数字经济占GDP比重"),
    ("数字经济规模同比名义增长", "%", "growth", "数字经济增速"),
    ("数字产业化增加值规模比上年增长", "%", "growth", "数字产业化增加值增速"),
    ("占国内生产总值的比重", "%", "share", "占GDP比重"),
    ("同比增长", "%", "growth", "增速"),
    ("设备综合利用率同比提升幅度", "%", "growth", "设备综合利用率增速"),
    ("数字经济规模较十三五初期扩张倍数", "x", "multiple", "数字经济规模较十三五初期扩张倍数"),
    ("数字经济占GDP比重较上年提升幅度", "pp", "difference", "数字经济占GDP比重较上年提升幅度"),
    ("5G基站总数", "个", "level", "5G基站"),
])
def test_split_metric_normalizes_with_the_synonym_table(metric, unit, kind, key):
    assert split_metric(metric, unit=unit, kind=kind, subject="中国").key == key


@pytest.mark.parametrize("a, b, expected", [
    ("数字产业化规模", "产业数字化规模", 0.0),
    ("全球数字经济规模", "美国数字经济规模", 0.0),
    ("全球新增AI独角兽", "全球AI独角兽", 0.0),
    ("数字经济规模", "数字经济总规模", 100.0),
])
def test_similarity_of_measured_words(a, b, expected):
    assert similarity(split_metric(a, unit="CNY"), split_metric(b, unit="CNY")) == expected


@pytest.mark.parametrize("metric, unit, generic", [
    ("同比名义增长", "%", True),
    ("占GDP比重", "%", True),
    ("高于同期GDP名义增速", "pp", True),
    ("规模高", "CNY", True),
    ("数字经济规模", "CNY", False),
])
def test_a_metric_naming_no_measured_thing_is_generic(metric, unit, generic):
    assert split_metric(metric, unit=unit).generic is generic


def test_entries_read_at_once_cut_metrics_as_one_by_one():
    metrics = {"跨境电商进出口额": {"跨境", "电商", "进出口额"},
               "工业互联网平台连接设备数量": {"工业互联网", "平台", "连接", "设备"}}
    read_entries(Claim(document="r.md", page=None, start=0, end=3, sentence="", raw="1亿元", value=Decimal(100000000),
                       unit="CNY", metric=metric, subject="中国") for metric in metrics)
    assert {metric: set(split_metric(metric, unit="CNY").words) for metric in metrics} == metrics
