from decimal import Decimal

import pytest

from extractors.numbers import extract_quantities


def only(text):
    """The single quantity of `text`, with its span checked."""
    (quantity,) = extract_quantities(text)
    assert text[quantity.start:quantity.end] == quantity.raw
    return quantity


@pytest.mark.parametrize("text, value", [
    ("规模达1,100万", Decimal("11000000")),
    ("出货量达12,345台", Decimal("12345")),
    ("增长９．６９％", Decimal("9.69")),
    ("同比下降−2.11%", Decimal("-2.11")),
    ("增速为-10.7%", Decimal("-10.7")),
    ("累计增长率为 -15.6%", Decimal("-15.6")),
    ("比重为0.35%", Decimal("0.35")),
])
def test_digits_separators_full_width_and_signs(text, value):
    assert only(text).value == value


@pytest.mark.parametrize("text, value", [
    ("16.4亿", Decimal("1640000000")),
    ("59.2万亿元", Decimal("59200000000000")),
    ("454.9万个", Decimal("4549000")),
    ("3千万人", Decimal("30000000")),
    ("2百万台", Decimal("2000000")),
    ("6421.8亿美元", Decimal("642180000000")),
])
def test_magnitudes_are_applied_exactly(text, value):
    assert only(text).value == value


def test_sixteen_point_four_yi_is_exact():
    assert int(only("16.4亿").value) == 1640000000


@pytest.mark.parametrize("text, raw, value, unit", [
    ("数字经济规模稳步提升至59.2万亿元", "59.2万亿元", Decimal("59200000000000"), "CNY"),
    ("营收300亿元人民币", "300亿元人民币", Decimal("30000000000"), "CNY"),
    ("出口额16.4亿美元", "16.4亿美元", Decimal("1640000000"), "USD"),
    ("投资20亿欧元", "20亿欧元", Decimal("2000000000"), "EUR"),
    ("市场规模3万亿日元", "3万亿日元", Decimal("3000000000000"), "JPY"),
    ("收入50亿英镑", "50亿英镑", Decimal("5000000000"), "GBP"),
    ("市值300亿港元", "300亿港元", Decimal("30000000000"), "HKD"),
    ("投资100亿新加坡元", "100亿新加坡元", Decimal("10000000000"), "SGD"),
    ("同比名义增长9.69%", "9.69%", Decimal("9.69"), "%"),
    ("高于同期GDP名义增速5.5个百分点", "5.5个百分点", Decimal("5.5"), "pp"),
    ("较上年提升1百分点", "1百分点", Decimal("1"), "pp"),
    ("是全国平均水平的1.7倍", "1.7倍", Decimal("1.7"), "x"),
    ("累计建成5G基站454.9万个", "454.9万个", Decimal("4549000"), "个"),
    ("集成电路产量为3514亿块", "3514亿块", Decimal("351400000000"), "块"),
    ("连接设备超过9600万台（套）", "9600万台（套）", Decimal("96000000"), "台"),
    ("用户达1.63亿户", "1.63亿户", Decimal("163000000"), "户"),
    ("发电量2.1万千瓦时", "2.1万千瓦时", Decimal("21000"), "kWh"),
    ("存力总规模约为1.2ZB", "1.2ZB", Decimal("1.2"), "ZB"),
    ("数据产量达1680EB", "1680EB", Decimal("1680"), "EB"),
    ("算力总规模达230EFLOPS", "230EFLOPS", Decimal("230"), "EFLOPS"),
    ("接入速率100Mbps", "100Mbps", Decimal("100"), "Mbps"),
    ("时延低于20ms", "20ms", Decimal("20"), "ms"),
    ("蜂窝物联网用户1.83亿", "1.83亿", Decimal("183000000"), "count"),
    ("节约的总通勤时间价值约为4951亿", "4951亿", Decimal("495100000000"), "CNY"),
    ("能耗从90kg标准煤/吨降低", "90kg标准煤/吨", Decimal("90"), "kg标准煤/吨"),
    ("电价0.5元/千瓦时", "0.5元/千瓦时", Decimal("0.5"), "CNY"),
    ("粗钢产量51万吨", "51万吨", Decimal("510000"), "t"),
    ("平台包含800余子系统", "800余", Decimal("800"), "count"),
    ("市场规模达1.2万亿", "1.2万亿", Decimal("1200000000000"), "CNY"),
    ("用户规模达10亿", "10亿", Decimal("1000000000"), "count"),
    ("数据中心PUE降至1.3", "1.3", Decimal("1.3"), "count"),
    ("基尼系数为0.46", "0.46", Decimal("0.46"), "count"),
    ("发电量50TWh", "50TWh", Decimal("50"), "TWh"),
])
def test_value_and_unit(text, raw, value, unit):
    quantity = only(text)
    assert (quantity.raw, quantity.value, quantity.unit) == (raw, value, unit)


@pytest.mark.parametrize("text, value, unit", [
    ("超过1/4国家部委", Decimal(25), "%"),
    ("占全球企业总数的1/7", Decimal(100) / 7, "%"),
    ("约占1/3", Decimal(100) / 3, "%"),
])
def test_fractions_are_shares_in_percent(text, value, unit):
    quantity = only(text)
    assert (quantity.value, quantity.unit) == (value, unit)


@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("凭借腾讯20多年积累", Decimal(20), "年", "over"),
    ("用3年左右时间", Decimal(3), "年", "approx"),
    ("如今提速至每2个月一次", Decimal(2), "月", "exact"),
    ("连续下滑长达6个月", Decimal(6), "月", "exact"),
    ("签约时效提升至15分钟", Decimal(15), "分钟", "exact"),
])
def test_durations(text, value, unit, qualifier):
    quantity = only(text)
    assert (quantity.value, quantity.unit, quantity.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text, qualifier", [
    ("超过810万架", "over"),
    ("超过了160万家", "over"),
    ("突破了5万家", "over"),
    ("逾300家", "over"),
    ("超5400亿次", "over"),
    ("平台达240余个", "over"),
    ("800多家", "over"),
    ("8000亿元以上", "over"),
    ("积累10万+用户", "over"),
    ("1000Mbps及以上", "over"),
    ("占比约为30%", "approx"),
    ("大概有20%至30%", "approx"),
    ("服务企业近24万家", "approx"),
    ("接近50%", "approx"),
    ("交易金额将达50亿元左右", "approx"),
    ("不足10%", "under"),
    ("不到5%", "under"),
    ("时延10ms以下", "under"),
    ("不超过3%", "under"),
    ("不少于5家企业", "over"),
    ("不低于90%", "over"),
    ("约占全球企业总数的1/7", "approx"),
    ("超过占全国的一半", "over"),
    ("占全国的40%", "exact"),
    ("节约了30%的成本", "exact"),
    ("经过3年左右", "approx"),
    ("通过5个平台", "exact"),
    ("赶超20%", "exact"),
    ("增长6.8%", "exact"),
])
def test_qualifier(text, qualifier):
    assert only(text).qualifier == qualifier


@pytest.mark.parametrize("text, raw", [
    ("8000亿元以上", "8000亿元"),
    ("3年左右", "3年"),
])
def test_qualifier_words_stay_out_of_the_raw(text, raw):
    assert only(text).raw == raw


@pytest.mark.parametrize("text, value, high, unit", [
    ("2500万至3000万", Decimal("25000000"), Decimal("30000000"), "count"),
    ("10%-15%", Decimal("10"), Decimal("15"), "%"),
    ("3000亿元至5000亿元", Decimal("300000000000"), Decimal("500000000000"), "CNY"),
    ("15.6万亿元至16.2万亿元", Decimal("15600000000000"), Decimal("16200000000000"), "CNY"),
    ("从3-5天提升", Decimal("3"), Decimal("5"), "天"),
    ("力争用3至5年形成", Decimal("3"), Decimal("5"), "年"),
])
def test_ranges(text, value, high, unit):
    quantity = only(text)
    assert (quantity.value, quantity.value_high, quantity.unit) == (value, high, unit)


@pytest.mark.parametrize("text, expected", [
    ("分别为531和422.5亿美元", [(Decimal("53100000000"), "USD"), (Decimal("42250000000"), "USD")]),
    ("高4.8个和1.6个百分点", [(Decimal("4.8"), "pp"), (Decimal("1.6"), "pp")]),
    ("分别较去年提升2.13和0.6个百分点", [(Decimal("2.13"), "pp"), (Decimal("0.6"), "pp")]),
    ("分别增长59.4%、39.3%和30.8%", [(Decimal("59.4"), "%"), (Decimal("39.3"), "%"), (Decimal("30.8"), "%")]),
    ("分别为12、15和18家", [(Decimal("12"), "家"), (Decimal("15"), "家"), (Decimal("18"), "家")]),
    ("两项弹性分别为-0.24与-0.44", [(Decimal("-0.24"), "count"), (Decimal("-0.44"), "count")]),
    ("分别新增3，100家企业", [(Decimal("3"), "家"), (Decimal("100"), "家")]),
])
def test_lists_share_their_unit(text, expected):
    assert [(q.value, q.unit) for q in extract_quantities(text)] == expected


@pytest.mark.parametrize("text", [
    "2024年",
    "截至2025年6月底",
    "2013-2024年",
    "2024-09-07",
    "18世纪70年代",
    "1-2月的研发投入",
    "未来5年",
    "近5年年均增速",
    "2年后的今天",
    "2025年前5个月",
    "连续11年发布",
    "第三次、第3次",
    "5G网络和3GPP标准",
    "基于X86和SW64的生态",
    "3D打印设备",
    "10GPON网络",
    "《中国数字经济发展研究报告（2023年）》",
    "保持较高的创新热度^[8]。",
    "userid:692645,docid:174184,date:2024-09-07",
    "（张柏春，2012）",
    "图 2 我国数字经济规模",
    "1. 公共数据开发利用",
    "7×24小时客服",
    "7 × 24 小时",
    "“1+3”政策体系",
    "8岁的童工拿成年人的工资",
    "十三岁以下的童工",
    "宝安区对300家制造业企业的应用成熟度调查显示",
    "首次研究我国120个三线及以上城市",
    "31个省区市中，",
    "将国民经济42部门划分",
    "排名前10名",
    "采用28nm工艺",
    "15分钟便民生活圈",
    "提供24小时在线服务",
    "在3.5GHz频段部署",
    "参考文献[1] 张三. 数字经济[J]. 2022, 12(3): 45-50.",
    "GB/T 36073-2018",
    "电话：010-68094000，邮编：100191",
    "北京市海淀区花园北路52号",
    "图1-1 2016-2022年我国数字经济规模",
    "2030年前碳达峰、2060年前碳中和",
])
def test_not_quantities(text):
    assert extract_quantities(text) == []


@pytest.mark.parametrize("text, raw", [
    ("2021年有16个省市区数字经济规模突破", "16个"),
    ("全国832个国家级贫困县网络零售总额达3014.5亿元", "3014.5亿元"),
    ("已有1000余家企业累计上云", "1000余家"),
    ("全球51个主要经济体数字经济增加值规模为41.4万亿美元", "41.4万亿美元"),
    ("累计完成37个政府部门和公共事业单位的数据归集", "37个"),
])
def test_a_counted_population_is_a_claim_but_a_scope_is_not(text, raw):
    assert [q.raw for q in extract_quantities(text)] == [raw]


@pytest.mark.parametrize("text, expected", [
    ("劳动力约有一半为童工", [("一半", Decimal(50), "%", "approx")]),
    ("工作十四个小时以上，工资是成年人的四分之一", [
        ("十四个小时", Decimal(14), "小时", "over"), ("四分之一", Decimal(25), "%", "exact")]),
    ("增长9.69%，近八成企业", [("9.69%", Decimal("9.69"), "%", "exact"), ("八成", Decimal(80), "%", "approx")]),
])
def test_chinese_numerals_come_out_of_the_same_call(text, expected):
    assert [(q.raw, q.value, q.unit, q.qualifier) for q in extract_quantities(text)] == expected
