import pytest

from extractors.text import normalize_text, tidy_spaces, to_halfwidth


@pytest.mark.parametrize("text, expected", [
    ("２０２４年增长９．６９％", "2024年增长9.69%"),
    ("ＧＤＰ，比重", "GDP，比重"),
    ("（一）", "（一）"),
])
def test_to_halfwidth_keeps_length_and_chinese_punctuation(text, expected):
    assert to_halfwidth(text) == expected
    assert len(to_halfwidth(text)) == len(text)


@pytest.mark.parametrize("text, expected", [
    ("规模达到 45.5 万亿元", "规模达到45.5万亿元"),
    ("增长 4.5 %", "增长4.5%"),
    ("Markets and  Markets 发布", "Markets and Markets发布"),
    ("5G 行业应用", "5G行业应用"),
])
def test_tidy_spaces(text, expected):
    assert tidy_spaces(text) == expected


WRAPPED = "\n\n".join([
    "数字经济作为国民经济的“稳定器”“加速器”作用更加凸显。2021",
    "年，我国数字经济发展取得新突破，数字经济规模达到 45.5 万亿元，",
    "同比名义增长 16.2%，高于同期 GDP 名义增速 3.4 个百分点，占 GDP",
    "比重达到 39.8%，数字经济在国民经济中的地位更加稳固、支撑作用",
    "更加明显。",
    "（一）数字产业化",
    "userid:692645,docid:174184,date:2024-09-07,sgpjbg.com",
    "数字产业化规模达到8.35万亿元，同比名义增长11.9%，占数字经济比",
    "21",
    "重为18.3%。",
])


def test_hard_wraps_are_rejoined_without_spaces():
    text = normalize_text(WRAPPED).text
    paragraphs = text.split("\n")
    assert paragraphs[0].startswith("数字经济作为国民经济")
    assert "2021年，我国数字经济发展取得新突破，数字经济规模达到45.5万亿元，同比名义增长16.2%" in paragraphs[0]
    assert "占GDP比重达到39.8%" in paragraphs[0]
    assert paragraphs[1] == "（一）数字产业化"
    assert paragraphs[2] == "数字产业化规模达到8.35万亿元，同比名义增长11.9%，占数字经济比重为18.3%。"


def test_watermarks_and_page_numbers_are_dropped_and_pages_kept():
    normalized = normalize_text(WRAPPED)
    assert "userid" not in normalized.text
    assert "21" not in normalized.text.replace("2021", "")
    assert [p.number for p in normalized.pages] == [21, 22]
    assert normalized.pages[0].start == 0


def test_footnote_lines_are_kept_apart():
    text = "全国在用数据中心标准机架超过810万架^[6]。\n\n[6] 数据来源：《数字中国发展报告（2023 年）》\n"
    normalized = normalize_text(text)
    assert normalized.footnotes == {"6": "数据来源：《数字中国发展报告（2023年）》"}
    assert "数据来源" not in normalized.text
