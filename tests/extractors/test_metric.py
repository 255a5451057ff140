import pytest

from extractors.kind import classify_kind
from extractors.metric import Context, list_metrics, metric_for
from extractors.numbers import extract_quantities


def metrics(text):
    """The metric of every figure of `text`, each one's context built from the figures before it."""
    quantities = extract_quantities(text)
    found, context = [], Context()
    for index, quantity in enumerate(quantities):
        kind = classify_kind(text, quantity)
        metric = metric_for(text, quantities, index, kind, context)
        found.append(metric)
        context = Context(topic=metric if kind == "level" else context.topic, previous=metric)
    return found


@pytest.mark.parametrize("text, expected", [
    ("2024年，我国数字经济规模稳步提升至59.2万亿元", ["数字经济规模"]),
    ("截至2025年6月底，我国5G基站总数达到454.9万个", ["5G基站总数"]),
    ("全国累计建成国家级超级计算中心14个", ["国家级超级计算中心数量"]),
    ("电信业务收入累计完成1.47万亿元", ["电信业务收入"]),
    ("我国各省市共出台216个数字经济相关政策", ["数字经济相关政策数量"]),
    ("开源开发者数量已超过800万", ["开源开发者数量"]),
])
def test_levels(text, expected):
    assert metrics(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("数字经济规模达到59.2万亿元，同比名义增长9.69%", ["数字经济规模", "数字经济规模同比名义增速"]),
    ("蜂窝物联网终端用户数达23.32亿户，同比增长26.4%，占移动终端连接总数比重达到57.5%",
     ["蜂窝物联网终端用户数", "蜂窝物联网终端用户数同比增速", "蜂窝物联网终端用户数占移动终端连接总数比重"]),
    ("数字经济规模达到45.5万亿元，占GDP比重达到39.8%", ["数字经济规模", "数字经济占GDP比重"]),
    ("10GPON端口数达2302万个，增幅达51.2%", ["10GPON端口数", "10GPON端口数增幅"]),
    ("移动流量资费降幅超过95%", ["移动流量资费降幅"]),
    ("故障率降低25%", ["故障率降低幅度"]),
])
def test_rates_and_shares_inherit_their_level(text, expected):
    assert metrics(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("数字经济规模达到59.2万亿元，同比名义增长9.69%，高于同期GDP名义增速5.5个百分点",
     "数字经济规模同比名义增速高于同期GDP名义增速幅度"),
    ("我国数字经济占GDP比重达到43.8%，较上年提升1个百分点", "数字经济占GDP比重较上年提升幅度"),
    ("固定宽带和4G用户端到端平均下载速率提高7倍", "固定宽带和4G用户端到端平均下载速率提高倍数"),
])
def test_differences_and_multiples(text, expected):
    assert metrics(text)[-1] == expected


def test_from_to_pairs_share_a_metric():
    assert metrics("单位产值能耗大幅降低，从90kg标准煤/吨减少到35kg标准煤/吨") == ["单位产值能耗", "单位产值能耗"]


@pytest.mark.parametrize("text, items", [
    ("公共服务、车联网、智慧零售、智慧家居等领域蜂窝物网终端的规模分别达7.99亿户、4.54亿户、3.35亿户和2.65亿户",
     ["公共服务", "车联网", "智慧零售", "智慧家居"]),
    ("我国互联网投资金额和笔数同比分别为-54.30%和-44.17%", ["金额", "笔数"]),
])
def test_list_items_each_get_their_own_metric(text, items):
    found = list_metrics(text, extract_quantities(text))
    assert [item for _, item, _ in found.values()] == items


@pytest.mark.parametrize("text, expected", [
    ("英国经济总量仅为法国的54.8%", "经济总量相对法国的比例"),
    ("其人均GDP更是达到法国的1.5倍", "人均GDP相对法国的倍数"),
])
def test_a_ratio_between_two_wholes(text, expected):
    assert metrics(text) == [expected]


@pytest.mark.parametrize("text, expected", [
    ("我国完成移动支付业务1512.28亿笔", "移动支付业务笔数"),
    ("全国政务服务平台注册用户4亿人", "政务服务平台注册用户人数"),
    ("国内已成立40余家数字技术创新联合体", "数字技术创新联合体数量"),
    ("2022年腾讯数字生态创造了147个新职业，包括多个领域", "新职业数量"),
    ("服务覆盖全球超过220个国家和地区，是当前广泛使用的产品", "国家和地区数量"),
    ("其中有用户加入了近万个围绕门店建立的用户社群", "围绕门店建立的用户社群数量"),
    ("已成功打造了25个样板服务网点，已在多个煤矿成功应用", "样板服务网点数量"),
])
def test_count_nouns_follow_the_classifier(text, expected):
    assert metrics(text) == [expected]


def test_list_items_named_after_为_share_the_noun_before_it():
    text = "增速位列前三的有效发明专利为信息技术管理方法、计算机技术和基础通信程序领域，同比分别增长59.4%、39.3%和30.8%"
    found = list_metrics(text, extract_quantities(text))
    assert [prefix + item + suffix for prefix, item, suffix in found.values()] == [
        "信息技术管理方法有效发明专利", "计算机技术有效发明专利", "基础通信程序有效发明专利"]


def test_the_noun_of_an_earlier_clause_names_a_bare_count():
    assert metrics("近98%的数字经济产业园建立于2018年及之后，2018年新设立9家")[-1] == "数字经济产业园数量"
