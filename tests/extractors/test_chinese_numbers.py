from decimal import Decimal

import pytest

from extractors.chinese_numbers import extract_chinese_quantities, parse_chinese_integer


@pytest.mark.parametrize("numeral, value", [
    ("十", Decimal(10)),
    ("十四", Decimal(14)),
    ("二十", Decimal(20)),
    ("两", Decimal(2)),
    ("一百二十三", Decimal(123)),
    ("三千五百万", Decimal(35000000)),
    ("两亿", Decimal(200000000)),
    ("千亿", Decimal(10) ** 11),
    ("万亿", Decimal(10) ** 12),
    ("万", Decimal(10000)),
    ("一千零五", Decimal(1005)),
])
def test_parse_chinese_integer_is_exact(numeral, value):
    assert parse_chinese_integer(numeral) == value


@pytest.mark.parametrize("text, raw, value, unit, qualifier", [
    ("三成企业已上云", "三成", Decimal(30), "%", "exact"),
    ("近八成用户", "八成", Decimal(80), "%", "approx"),
    ("七成以上", "七成", Decimal(70), "%", "over"),
    ("劳动力约有一半为童工", "一半", Decimal(50), "%", "approx"),
    ("过半企业", "过半", Decimal(50), "%", "over"),
    ("煤矿行业约有三分之一为童工", "三分之一", Decimal(100) / 3, "%", "approx"),
    ("童工拿成年人的八分之三", "八分之三", Decimal("37.5"), "%", "exact"),
    ("百分之三十", "百分之三十", Decimal(30), "%", "exact"),
    ("长达十四个小时以上", "十四个小时", Decimal(14), "小时", "over"),
    ("有二十多个省市成立了", "二十多个", Decimal(20), "个", "over"),
    ("三十多种业务场景", "三十多种", Decimal(30), "种", "over"),
    ("为两亿多灵活就业人员", "两亿多", Decimal(200000000), "count", "over"),
    ("两千多万元", "两千多万元", Decimal(20000000), "CNY", "over"),
    ("万余家省级数字化车间", "万余家", Decimal(10000), "家", "over"),
    ("加入了近万个用户社群", "万个", Decimal(10000), "个", "approx"),
    ("上百家企业", "百家", Decimal(100), "家", "over"),
    ("用户过万", "万", Decimal(10000), "count", "over"),
    ("培育出超万亿美元的支柱产业", "万亿美元", Decimal(10) ** 12, "USD", "over"),
    ("千亿级的市场需求", "千亿级", Decimal(10) ** 11, "CNY", "approx"),
    ("提高三个百分点", "三个百分点", Decimal(3), "pp", "exact"),
    ("增长两倍", "两倍", Decimal(2), "x", "exact"),
    ("收入翻一番", "翻一番", Decimal(2), "x", "exact"),
    ("规模翻两番", "翻两番", Decimal(4), "x", "exact"),
    ("保持十余年", "十余年", Decimal(10), "年", "over"),
    ("保持两位数增长", "两位数", Decimal(10), "%", "over"),
    ("实现个位数增长", "个位数", Decimal(10), "%", "under"),
])
def test_chinese_quantities(text, raw, value, unit, qualifier):
    (quantity,) = extract_chinese_quantities(text)
    assert (quantity.raw, quantity.value, quantity.unit, quantity.qualifier) == (raw, value, unit, qualifier)
    assert text[quantity.start:quantity.end] == quantity.raw


@pytest.mark.parametrize("text", [
    "一是催生新型劳动对象",
    "第三次工业革命",
    "党的二十届三中全会",
    "“十四五”规划",
    "生产力三大要素",
    "从以下三个方面",
    "两个维度",
    "一个重要引擎",
    "数十个省市",
    "增速创下近十年新高",
    "百年未有之大变局",
    "工资十分低",
    "千行百业",
    "千家万户",
    "成千上万的用户",
    "世界五百强",
    "一成不变",
    "形成新优势，完成任务",
    "统一成本核算",
    "十三岁以下的童工",
    "“数据二十条”",
    "再加上十几个",
    "线上万家商户",
])
def test_not_chinese_quantities(text):
    assert extract_chinese_quantities(text) == []
