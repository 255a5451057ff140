from decimal import Decimal

import pytest

from extractors.kind import classify_kind, is_forecast
from extractors.numbers import extract_quantities


def first(text):
    return extract_quantities(text)[0]


@pytest.mark.parametrize("text, kind", [
    ("我国数字经济规模达到59.2万亿元", "level"),
    ("同比名义增长9.69%", "growth"),
    ("数字经济占GDP比重达到43.8%", "share"),
    ("高于同期GDP名义增速5.5个百分点", "difference"),
    ("下载速率提高7倍", "multiple"),
    ("移动流量资费降幅超过95%", "growth"),
    ("渗透率达到45%", "share"),
    ("年均增长14.3%", "growth"),
    ("较去年增加3个", "difference"),
    ("签约时效缩短至15分钟", "other"),
    ("利润率提升16%", "growth"),
    ("英国经济总量仅为法国的54.8%", "multiple"),
    ("占到了当时单量的10%左右", "share"),
])
def test_kind_follows_the_words_before_the_figure(text, kind):
    assert classify_kind(text, first(text)) == kind


@pytest.mark.parametrize("text, forecast", [
    ("预计2025年市场规模将达到1.2万亿元", True),
    ("到2027年，数字经济规模有望超过70万亿元", True),
    ("力争用3至5年形成体系", True),
    ("2024年，数字经济规模达到59.2万亿元", False),
    ("将其上升为国家战略，规模达59.2万亿元", False),
    ("建成超5.1万个5G行业虚拟专网，覆盖多个领域", False),
    ("国家数据局拟出台8项制度文件", True),
])
def test_forecast_words(text, forecast):
    assert is_forecast(text, first(text)) is forecast


def test_a_base_year_figure_in_a_projection_is_not_a_forecast():
    text = "市场规模预计将从2023年的17亿美元增长到2028年的47亿美元"
    base = first(text)
    assert base.value == Decimal("1700000000")
    assert is_forecast(text, base, own_year=2023, target_year=2028) is False
