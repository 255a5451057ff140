from decimal import Decimal

import pytest

from extractors.numbers import extract_quantities


@pytest.mark.parametrize("text, raw, value, unit", [
    ("数字经济规模稳步提升至59.2万亿元", "59.2万亿元", Decimal("59200000000000"), "CNY"),
    ("同比名义增长9.69%", "9.69%", Decimal("9.69"), "%"),
    ("高于同期GDP名义增速5.5个百分点", "5.5个百分点", Decimal("5.5"), "pp"),
    ("累计建成5G基站454.9万个", "454.9万个", Decimal("4549000"), "个"),
    ("集成电路产量为3514亿块", "3514亿块", Decimal("351400000000"), "块"),
    ("出口额16.4亿美元", "16.4亿美元", Decimal("1640000000"), "USD"),
    ("存力总规模约为1.2ZB", "1.2ZB", Decimal("1.2"), "ZB"),
    ("蜂窝物联网用户1.83亿", "1.83亿", Decimal("183000000"), "count"),
    ("是全国平均水平的1.7倍", "1.7倍", Decimal("1.7"), "x"),
    ("连接设备超过9600万台（套）", "9600万台（套）", Decimal("96000000"), "台（套）"),
    ("规模达1,100万", "1,100万", Decimal("11000000"), "count"),
])
def test_value_and_unit(text, raw, value, unit):
    (quantity,) = extract_quantities(text)
    assert (quantity.raw, quantity.value, quantity.unit) == (raw, value, unit)
    assert text[quantity.start:quantity.end] == quantity.raw


def test_sixteen_point_four_yi_is_exact():
    (quantity,) = extract_quantities("16.4亿")
    assert int(quantity.value) == 1640000000


@pytest.mark.parametrize("text, qualifier", [
    ("超过810万架", "over"),
    ("占比约为30%", "approx"),
    ("服务企业近24万家", "approx"),
    ("平台达240余个", "over"),
    ("交易金额将达50亿元左右", "approx"),
    ("不足10%", "under"),
    ("增长6.8%", "exact"),
])
def test_qualifier(text, qualifier):
    (quantity,) = extract_quantities(text)
    assert quantity.qualifier == qualifier


@pytest.mark.parametrize("text, value, high, unit", [
    ("2500万至3000万", Decimal("25000000"), Decimal("30000000"), "count"),
    ("10%-15%", Decimal("10"), Decimal("15"), "%"),
    ("3000亿元至5000亿元", Decimal("300000000000"), Decimal("500000000000"), "CNY"),
])
def test_ranges(text, value, high, unit):
    (quantity,) = extract_quantities(text)
    assert (quantity.value, quantity.value_high, quantity.unit) == (value, high, unit)


@pytest.mark.parametrize("text, expected", [
    ("分别为531和422.5亿美元", [(Decimal("53100000000"), "USD"), (Decimal("42250000000"), "USD")]),
    ("高4.8个和1.6个百分点", [(Decimal("4.8"), "pp"), (Decimal("1.6"), "pp")]),
    ("分别增长59.4%、39.3%和30.8%", [(Decimal("59.4"), "%"), (Decimal("39.3"), "%"), (Decimal("30.8"), "%")]),
])
def test_lists_share_their_unit(text, expected):
    assert [(q.value, q.unit) for q in extract_quantities(text)] == expected


@pytest.mark.parametrize("text", [
    "2024年",
    "2013-2024年",
    "第三次、第3次",
    "5G网络和3GPP标准",
    "基于X86和SW64的生态",
    "3D打印设备",
    "《中国数字经济发展研究报告（2023年）》",
    "保持较高的创新热度^[8]。",
    "userid:692645,docid:174184,date:2024-09-07",
    "18世纪70年代",
])
def test_not_quantities(text):
    assert extract_quantities(text) == []
