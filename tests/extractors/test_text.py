import pytest

from extractors.text import _is_heading, join_wrapped, normalize_text, tidy_spaces, to_halfwidth


@pytest.mark.parametrize("text, expected", [
    ("２０２４年增长９．６９％", "2024年增长9.69%"),
    ("ＧＤＰ，比重", "GDP，比重"),
    ("（一）", "（一）"),
    ("增长\ud800", "增长\ufffd"),
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


@pytest.mark.parametrize("text, expected", [
    ("3.各地数字经济发展平稳推进", True),
    ("1. 公共数据开发利用趋于规范化", True),
    ("（一）数字产业化", True),
    ("一、迈向新阶段，数字经济高质量发展全面提速", True),
    ("图 5 我国数字产业化收入", True),
    ("2021 年，电信业务收入稳步提升，电信业务收入累计完成 1.47 万亿", False),
    ("18 家、大数据类 12 家、数据中心类 11 家、工业互联网类 8 家。地", False),
    ("13.1 万亿元，同比增长 14.1%，其中，实物商品网上零售额达 10.8 万", False),
])
def test_headings_are_told_from_wrapped_sentences(text, expected):
    assert _is_heading(text, None) is expected


WRAPPED_NUMBERS = "\n\n".join([
    "2021 年，电信业务收入稳步提升，电信业务收入累计完成 1.47 万亿",
    "元，比上年增长 8.0%。",
])


def test_a_line_starting_with_a_figure_continues_its_paragraph():
    assert normalize_text(WRAPPED_NUMBERS).text == "2021年，电信业务收入稳步提升，电信业务收入累计完成1.47万亿元，比上年增长8.0%。"


@pytest.mark.parametrize("line", [
    "(一) 机遇：把握趋势，开拓发展新蓝海.....\t26",
    "一、迈向新阶段，数字经济高质量发展全面提速……… 2",
])
def test_table_of_contents_lines_are_dropped(line):
    assert normalize_text(f"# 目录\n{line}\n正文。").text == "目录\n正文。"


@pytest.mark.parametrize("raw, text, footnotes", [
    (
        "占当年GDP比重达 33.9%1，在数字经济中的主引擎地位更加突出。\n1　 数据来源：中国信息通信研究院\n",
        "占当年GDP比重达33.9%^[1]，在数字经济中的主引擎地位更加突出。",
        {"1": "数据来源：中国信息通信研究院"},
    ),
    (
        "各地数字经济发展取得长足进步。12021 年，各地加快推动规划落地，\n1\n 受数据可得性限制，本报告测算不包括海南。\n"
        "数字经济发展如火如荼。",
        "各地数字经济发展取得长足进步^[1]。2021年，各地加快推动规划落地，数字经济发展如火如荼。",
        {"1": "受数据可得性限制，本报告测算不包括海南。"},
    ),
    (
        "典型企业及其控股企业4开展股权穿透分析。\n4\n 数据来源基于天眼查企业数据库。\n",
        "典型企业及其控股企业^[4]开展股权穿透分析。",
        {"4": "数据来源基于天眼查企业数据库。"},
    ),
    (
        "是 2017 年的 44 倍<sup>1</sup>。\n\n<sup>1</sup> 数据来源：中国地方公共数据开放利用报告\n",
        "是2017年的44倍^[1]。",
        {"1": "数据来源：中国地方公共数据开放利用报告"},
    ),
    (
        "调用超 5400 亿次[^2]。\n\n[^2]: 《全国数据资源调查报告（2024 年）》\n",
        "调用超5400亿次^[2]。",
        {"2": "《全国数据资源调查报告（2024年）》"},
    ),
])
def test_footnote_markers_become_explicit(raw, text, footnotes):
    normalized = normalize_text(raw)
    assert (normalized.text, normalized.footnotes) == (text, footnotes)


def test_a_lone_number_without_a_glued_marker_stays_a_page_number():
    normalized = normalize_text("数字经济规模达到45.5万亿元。\n28\n同比名义增长16.2%。")
    assert (normalized.footnotes, [p.number for p in normalized.pages]) == ({}, [28, 29])


def test_markdown_emphasis_is_dropped():
    assert normalize_text("**全社会供数及用数活力有效提升。**截至 2024 年 7 月").text == "全社会供数及用数活力有效提升。截至2024年7月"


def test_a_figure_glued_to_its_unit_is_never_taken_for_a_marker():
    normalized = normalize_text("数字经济规模增长了1倍，达到新高。\n1  数据来源：国家统计局\n")
    assert (normalized.text, normalized.footnotes) == ("数字经济规模增长了1倍，达到新高。", {"1": "数据来源：国家统计局"})


RUNNING_HEADER = "\n".join([
    "中国数字经济发展白皮书 1",
    "数字经济规模达到45.5万亿元。",
    "第 1 页 共 3 页",
    "中国数字经济发展白皮书 2",
    "同比名义增长16.2%。",
    "2/3",
    "中国数字经济发展白皮书 3",
    "占GDP比重达到39.8%。",
    "www.example.com",
    "II",
])


def test_running_headers_with_page_numbers_and_page_labels_are_dropped():
    normalized = normalize_text(RUNNING_HEADER)
    assert normalized.text == "数字经济规模达到45.5万亿元。\n同比名义增长16.2%。\n占GDP比重达到39.8%。"


@pytest.mark.parametrize("line, number", [
    ("第 5 页", 5),
    ("第5页 共30页", 5),
    ("5/30", 5),
    ("Page 5", 5),
    ("— 5 —", 5),
])
def test_page_labels_give_the_page_number(line, number):
    normalized = normalize_text(f"数字经济规模达到45.5万亿元。\n{line}\n同比名义增长16.2%。")
    assert normalized.pages[0].number == number
    assert normalized.text == "数字经济规模达到45.5万亿元。\n同比名义增长16.2%。"


@pytest.mark.parametrize("lines, expected", [
    (["数字经济规模达到45.", "5万亿元。"], "数字经济规模达到45.5万亿元。"),
    (["数字经济规模达到45", ".5万亿元。"], "数字经济规模达到45.5万亿元。"),
    (["用户达1,", "100万户。"], "用户达1,100万户。"),
    (["Markets and", "Markets发布"], "Markets and Markets发布"),
    (["5G", "行业应用"], "5G 行业应用"),
])
def test_join_wrapped(lines, expected):
    assert join_wrapped(lines) == expected


def test_a_header_printed_once_beside_the_page_number_does_not_cut_the_sentence():
    raw = "其中，ICT 产业数字化投入增\n\n中国数字经济发展报告（2022年）\n\n 28 \n\n长较快。与 2007 年相比，总规模增加 1.85 倍。"
    normalized = normalize_text(raw)
    assert normalized.text == "其中，ICT产业数字化投入增长较快。与2007年相比，总规模增加1.85倍。"
    assert [p.number for p in normalized.pages] == [28, 29]


def test_a_figure_inside_a_sentence_is_set_after_the_paragraph():
    raw = "电信业务收入累计完成 1.47 万亿\n\n数据来源：工业和信息化部\n\n图 5 电信业务收入\n\n元，比上年增长 8.0%。\n\n下一段。"
    assert normalize_text(raw).text.split("\n") == [
        "电信业务收入累计完成1.47万亿元，比上年增长8.0%。", "数据来源：工业和信息化部", "图5电信业务收入", "下一段。",
    ]


def test_a_source_line_after_a_full_line_stands_alone():
    raw = "数字产业化规模达到8.35万亿元，同比名义增长11.9%，占数字经济比重为18.3%，\n占GDP比重为7.3%。\n数据来源：中国信息通信研究院\n图 3 数字经济内部结构"
    assert normalize_text(raw).text.split("\n")[1:] == ["数据来源：中国信息通信研究院", "图3数字经济内部结构"]


def test_short_lines_of_an_unwrapped_export_stay_apart():
    long_paragraph = "数字经济规模达到45.5万亿元，同比名义增长16.2%，" * 5 + "稳步提升。"
    raw = (f"# 中国数字经济发展研究报告\n\n中国信息通信研究院\n\n2026年3月\n\n{long_paragraph}\n\n"
           "如，深圳地方征信平台已累计完成 37\n\n<sup>1</sup> 数据来源：某报告\n\n个政府部门的数据归集。")
    assert normalize_text(raw).text.split("\n") == [
        "中国数字经济发展研究报告", "中国信息通信研究院", "2026年3月", long_paragraph,
        "如，深圳地方征信平台已累计完成37个政府部门的数据归集。",
    ]


def test_a_wrapped_line_that_starts_with_a_figure_reference_stays_in_its_sentence():
    raw = "数字经济规模持续扩大，如\n\n图 3 所示，2021年规模达到45.5万亿元。"
    assert normalize_text(raw).text == "数字经济规模持续扩大，如图3所示，2021年规模达到45.5万亿元。"
