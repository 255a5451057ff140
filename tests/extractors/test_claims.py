from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from extractors.claims import EXTRACTOR, extract_claims
from schemas import Document


def claims_of(text, footnotes=None, **fields):
    document = Document(name="r.txt", path="r.txt", sha256="0", text=text, footnotes=footnotes or {}, **fields)
    found = extract_claims(document)
    for claim in found:
        assert text[claim.start:claim.end] == claim.raw
        assert claim.extractor == EXTRACTOR
    return found


def by_raw(text, **options):
    return {claim.raw: claim for claim in claims_of(text, **options)}


def test_a_level_with_its_rate_share_and_difference():
    claims = by_raw("2024年，我国数字经济规模稳步提升至59.2万亿元，同比名义增长9.69%，高于同期GDP名义增速5.5个百分点。")
    level, growth, gap = claims["59.2万亿元"], claims["9.69%"], claims["5.5个百分点"]
    assert (level.kind, level.metric, level.subject, level.year, level.period) == ("level", "数字经济规模", "中国", 2024, "2024年")
    assert (growth.kind, growth.metric) == ("growth", "数字经济规模同比名义增速")
    assert gap.kind == "difference" and gap.metric.startswith("数字经济规模同比名义增速高于")


def test_year_and_source_carry_through_the_paragraph():
    claims = by_raw("根据工信部的统计数据，截至2023年底，全国在用数据中心标准机架超过810万架。智能算力规模达到70EFLOPS，增速超过70%。")
    for raw in ("810万架", "70EFLOPS", "70%"):
        assert claims[raw].year == 2023
        assert claims[raw].source == "工业和信息化部"
    assert claims["70%"].metric == "智能算力规模增速"


@pytest.mark.parametrize("text, expected", [
    ("2023年，集成电路产量为3514亿块。\n服务机器人产量783.3万套。", 2023),
    ("2023年，集成电路产量为3514亿块。\n图2 2019-2023年机器人产量\n数据来源：国家统计局\n服务机器人产量783.3万套。", 2023),
    ("2023年，集成电路产量为3514亿块。\n目前，服务机器人产量783.3万套。", None),
    ("2023年，集成电路产量为3514亿块。\n7月，服务机器人产量783.3万套。", 2023),
    ("2023年，集成电路产量为3514亿块。\n机器人产业发展迅速。服务机器人产量783.3万套。", None),
    ("2023年，集成电路产量为3514亿块。\n（二）机器人产业\n服务机器人产量783.3万套。", None),
    ("2023年，集成电路产量为3514亿块。\n专栏2：机器人产业\n服务机器人产量783.3万套。", None),
    ("2023年，科技部等部门印发《指导意见》。\n服务机器人产量783.3万套。", None),
    ("2023年，集成电路产量为3514亿块。\n工业机器人产量42万套。\n服务机器人产量783.3万套。", None),
])
def test_a_paragraph_without_time_takes_the_year_of_the_previous_paragraphs_figures(text, expected):
    assert by_raw(text)["783.3万套"].year == expected


def test_footnote_marker_after_the_figures_is_their_source():
    claims = by_raw("截至2024年5月底，5G基站383.7万个，千兆宽带用户1.83亿户^[1]。另一段落的数字12个。",
                    footnotes={"1": "数据来源：国家数据局"})
    assert claims["383.7万个"].source == claims["1.83亿户"].source == "国家数据局"
    assert claims["12个"].source is None


def test_an_in_text_citation_wins_over_a_footnote():
    claims = by_raw("据中国连锁经营协会的预测，至2025年，市场规模将超过1.2万亿元^[2]。",
                    footnotes={"2": "数据来源：某报告"})
    claim = claims["1.2万亿元"]
    assert (claim.source, claim.year, claim.forecast) == ("中国连锁经营协会", 2025, True)


def test_list_years_follow_the_span():
    claims = claims_of("2018-2022年间的研发投入累计增长率分别为19.0%、23.1%、6.0%、5.0%、7.7%。")
    assert [c.year for c in claims] == [2018, 2019, 2020, 2021, 2022]
    assert {c.metric for c in claims} == {"研发投入累计增长率"}


def test_rates_listed_after_levels_follow_them():
    claims = by_raw("2021年，我国完成移动支付业务1512.28亿笔，金额526.98万亿元，同比分别增长22.73%和21.94%。")
    assert claims["22.73%"].metric.startswith("移动支付业务")
    assert claims["21.94%"].metric.startswith("金额")
    assert claims["22.73%"].kind == claims["21.94%"].kind == "growth"


def test_relative_years_use_the_report_year():
    claims = by_raw("工信部公布的数据显示，我国目前已经培育了421家国家级智能制造示范工厂。", published="2024-07")
    assert claims["421家"].year == 2024
    assert claims["421家"].metric == "国家级智能制造示范工厂数量"


def test_the_company_a_case_opens_with_owns_its_figures():
    claims = by_raw("瑞幸咖啡是连锁咖啡品牌。2020年4月，瑞幸从全国4000多家门店筛选出了50家试点。\n"
                    "如今，瑞幸连接的用户已经接近2000万。")
    assert claims["4000多家"].subject == "瑞幸咖啡"
    assert claims["2000万"].subject == "瑞幸咖啡"


@pytest.mark.parametrize("text, expected", [
    ("专栏4：采矿业的数字化\n1.远程运维服务平台\n平台由山西科达自控股份有限公司建设。\n目前，项目已打造25个服务网点。",
     "山西科达自控股份有限公司"),
    ("专栏4：采矿业的数字化\n1.远程运维服务平台\n平台由山西科达自控股份有限公司建设。\n2.智慧采矿应用\n"
     "目前，项目已打造25个服务网点。", "中国"),
    ("专栏4：采矿业的数字化\n1.远程运维服务平台\n平台由山西科达自控股份有限公司建设。\n（二）服务业\n"
     "目前，项目已打造25个服务网点。", "中国"),
    ("专栏4：采矿业的数字化\n1.远程运维服务平台\n平台由山西科达自控股份有限公司建设。\n三是服务网点增加。"
     "目前，项目已打造25个服务网点。", "中国"),
    ("平台由山西科达自控股份有限公司建设。\n目前，项目已打造25个服务网点。", "中国"),
    ("专栏10：探索数据交易平台，为满足数据需求，青岛市大数据局支持青岛国实科技集团有限公司建设数据交易平台。\n"
     "目前，平台已打造25个服务网点。", "青岛国实科技集团有限公司"),
    ("专栏8：地方数字化治理有序推进\n目前，平台已打造25个服务网点。", "中国"),
])
def test_the_company_of_a_case_box_owns_its_figures_until_the_next_heading(text, expected):
    assert by_raw(text)["25个"].subject == expected


@pytest.mark.parametrize("text, expected", [
    ("为此，大疆农业启动了数字化转型，效率提升200%。\n企微案例：大疆农业", "大疆农业"),
    ("为此，大疆农业启动了数字化转型，效率提升200%。", "中国"),
    ("一个职业能带动10万个就业机会，未来5年，大疆农业有创造200%的空间。\n企微案例：大疆农业", "中国"),
])
def test_a_company_a_case_label_names_owns_the_figures_after_its_name(text, expected):
    claims = by_raw(text)
    assert claims["10万个" if "10万个" in claims else "200%"].subject == expected


EDITION = {"3": "数据来源：《数字中国发展报告（2023年）》"}


@pytest.mark.parametrize("text, expected", [
    ("开源开发者数量已超过800万^[3]。\n（二）政务\n2023年，92.5%的省级行政许可事项实现网上受理^[3]。", 2023),
    ("开源开发者数量已超过800万^[3]。\n（二）政务\n根据国家数据局发布的《数字中国发展报告（2023年）》显示，2023年，92.5%的省级行政许可"
     "事项实现网上受理。", 2023),
    ("开源开发者数量已超过800万^[3]。", None),
    ("开源开发者数量已超过800万^[3]。\n（二）政务\n2022年，92.5%的省级行政许可事项实现网上受理^[3]。", None),
    ("开源开发者数量已超过800万^[3]。\n（二）政务\n2023年，网上受理率为92.5%。其他^[3]。", None),
])
def test_a_cited_edition_dates_yearless_figures_when_the_report_dates_it_so(text, expected):
    assert by_raw(text, footnotes=EDITION)["800万"].year == expected


@pytest.mark.parametrize("text", ["", "\n\n", "^[1]", "分别为、、", "2018-2022年分别", "占", "（）《》"])
def test_inputs_that_once_crashed(text):
    claims_of(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.%，。、；年月亿万元个分别占比增长为达我国全球据显示^[]（）《》\n")), max_size=80))
def test_no_text_makes_the_assembler_raise(text):
    claims_of(text)


def test_both_ends_of_a_from_to_share_metric_and_kind():
    claims = claims_of("我国实体经济主营业务成本率将从2023年的84.23%下降至2027年的83.24%。")
    assert [(c.metric, c.kind, c.year) for c in claims] == [
        ("实体经济主营业务成本率", "share", 2023), ("实体经济主营业务成本率", "share", 2027)]
    assert [c.forecast for c in claims] == [False, True]


def test_a_year_followed_by_中国_is_not_年中():
    (claim,) = claims_of("2025年中国智能网联汽车出货量将达到2490万辆。")
    assert (claim.period, claim.metric, claim.subject) == ("2025年", "智能网联汽车出货量", "中国")


def test_list_items_that_repeat_their_prefix():
    claims = by_raw("AI基础设施和AI服务收入规模分别为531和422.5亿美元。")
    assert claims["422.5亿美元"].metric == "AI服务收入规模"


def test_bracketed_figures_after_places_repeat_the_measure_for_them():
    claims = by_raw("我国全要素生产率增长20.2%，远高于德国（-10.7%）、日本（-12.8%）等发达国家。")
    assert [(claims[r].metric, claims[r].subject) for r in ("20.2%", "-10.7%", "-12.8%")] == [
        ("全要素生产率增速", "中国"), ("全要素生产率增速", "德国"), ("全要素生产率增速", "日本")]


def test_a_rate_verb_before_its_object():
    (claim,) = claims_of("构建事业部知识库，提升业务知识检索效率50%；")
    assert (claim.kind, claim.metric) == ("growth", "业务知识检索效率提升幅度")


def test_a_later_time_that_dates_something_else_is_not_the_figures():
    claims = by_raw("截至2022年3月底，产业园累计超过200家。近98%的产业园建立于2018年及之后。")
    assert claims["98%"].year == 2022


@pytest.mark.parametrize("text, raw, expected", [
    ("长三角地区数据中心加快建设。据IDC预测，2025年将有49%的全球已存储数据驻留在公共云环境中。", "49%", "全球"),
    ("长三角地区数据中心加快建设，占全国机架总数的30%。", "30%", "长三角"),
])
def test_a_share_of_a_global_whole_is_global_unless_the_sentence_names_its_place(text, raw, expected):
    assert by_raw(text)[raw].subject == expected


@pytest.mark.parametrize("text, expected", [
    ("广州试验区集聚各类企业超10万家；2023年，显示器产量增长29.3%。", 2023),
    ("平台创造了约445亿元/月的社会价值；节约的通勤时间价值约为4951亿元，占2020年中国GDP的6.51%。", 2020),
    ("广州试验区集聚各类企业超10万家。2023年，显示器产量增长29.3%。", None),
    ("广州试验区集聚各类企业超10万家；与2020年相比，显示器产量增长29.3%。", None),
    ("2021年，广州试验区集聚各类企业超10万家；2023年，显示器产量增长29.3%。", 2021),
])
def test_a_figure_nothing_dates_takes_the_first_year_later_in_its_full_sentence(text, expected):
    assert by_raw(text)["10万家" if "10万家" in text else "445亿元/月"].year == expected


def test_years_after_a_written_year_count_from_it():
    claims = claims_of("2020年7月，瑞幸连接了180万用户。2年后的今天，瑞幸连接的用户已经接近2000万。\n"
                       "如今经过两年的发展，瑞幸连接的用户数也已经从180万增加到了近2000万。")
    assert [(c.raw, c.year) for c in claims] == [("180万", 2020), ("2000万", 2022), ("180万", 2020), ("2000万", 2022)]


@pytest.mark.parametrize("text, expected", [
    ("截至2023年底，数据交易额增长30%。从短期来看，数据基础制度将催生出3000亿元规模的数据交易市场。", None),
    ("截至2023年底，数据交易额增长30%。预计2025年数据交易市场将达到3000亿元。", 2025),
    ("截至2023年底，数据交易额增长30%。数据交易市场规模达到3000亿元。", 2023),
])
def test_a_projection_takes_no_year_from_the_passage(text, expected):
    assert by_raw(text)["3000亿元"].year == expected
