import pytest

from extractors.sources import find_citations, footnote_source, normalize_source


@pytest.mark.parametrize("text, source", [
    ("工业和信息化部数据显示，我国5G基站总数达到454.9万个", "工业和信息化部"),
    ("据中国信通院测算，2024年", "中国信息通信研究院"),
    ("根据IDC数据，全球数据量", "IDC"),
    ("工信部公布的数据显示，我国目前已经培育了421家", "工业和信息化部"),
    ("中国信通院发布的《中国数字经济发展研究报告（2024年）》显示，",
     "中国信息通信研究院，《中国数字经济发展研究报告（2024年）》"),
    ("据中国连锁经营协会的预测，至2025年", "中国连锁经营协会"),
    ("根据某咨询公司“Alpha Research”发布的报告，全球", "Alpha Research"),
    ("某区对100家企业的数字化成熟度调查显示，", "某区数字化成熟度调查"),
    ("其人均收入达到法国的1.5倍（张三，2019）。", "张三，2019"),
    ("根据国家统计局的统计数据（见图1），", "国家统计局"),
])
def test_in_text_citations(text, source):
    assert [c.name for c in find_citations(text)] == [source]


@pytest.mark.parametrize("text", [
    "据不完全统计，国内已成立40余家联合体",
    "数据显示，2022年全球固定宽带用户",
    "据测算，我国31个省级行政单位",
    "商务部重点监测平台交易额增幅达到30%",
])
def test_unnamed_sources_are_not_citations(text):
    assert find_citations(text) == []


@pytest.mark.parametrize("alias, name", [
    ("中国信通院", "中国信息通信研究院"),
    ("工信部", "工业和信息化部"),
    ("国家统计局", "国家统计局"),
    ("某某研究中心", "某某研究中心"),
])
def test_names_are_normalized_from_the_table(alias, name):
    assert normalize_source(alias) == name


NOTES = {"1": "数据来源：国家数据局", "2": "注：不含港澳台地区", "3": "来源：《数字中国发展报告（2023年）》。"}


@pytest.mark.parametrize("text, position, source", [
    ("5G基站达383.7万个，千兆用户1.83亿户^[1]。", 0, "国家数据局"),
    ("规模达5万亿元^[3]，增长10%^[1]。", 0, "《数字中国发展报告（2023年）》"),
    ("规模达5万亿元^[3]，增长10%^[1]。", 12, "国家数据局"),
    ("16个省市区规模突破1万亿元^[2]。", 0, None),
    ("没有脚注的句子。", 0, None),
])
def test_footnote_markers_resolve_to_their_source(text, position, source):
    assert footnote_source(text, position, NOTES) == source
