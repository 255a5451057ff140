import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import chinese_numbers, numbers, resources, sources, timex
from extractors.scanning import matches_near

# Each scan that jumps between anchor hits, as its module runs it, with the pieces of text its pattern is made of.
CN = chinese_numbers
SCANS = [
    (resources.QUANTITY, numbers._DIGIT, {"reach": 1},
     ["-", "−", "1", "20", "3.5", ",000", "亿", "万", "元", "%", "个", "多", "至", " "]),
    (resources.CHINESE_QUANTITY, CN._NUMERAL, {"reach": CN._LONGEST_BEFORE},
     ["不少于", "近", "上", "线", "一", "十", "百", "万", "亿", "多", "级", "家", "个百分点", "倍", "年", "的", "3", "."]),
    (resources.CHINESE_TENTHS, CN._TENTH, {"reach": CN._LONGEST_BEFORE + 1, "opens": CN._OPENS},
     ["超过", "近", "一半", "过半", "半数", "三", "成", "成为", "五", "为", "左右", "的", "十"]),
    (timex.TIME, timex._ANCHOR, {"reach": timex._REACH, "spaced": True, "opens": timex._OPENS},
     ["截止到", "在", "从", "2018", "2022", "年", "底", "中", "-", "至", " ", "  ", "前三季度", "1-6月", "十二月",
      "经过", "两", "后", "目前", "去年", "上半年", "份", "，", "青年", "每年", "岁月"]),
    *[(pattern, anchor, {"reach": reach},
       ["工信部", "某机构", "联合", "发布", "公布", "的", "报告", "《", "白皮书", "》", "显示", "指出",
        "据", "根据", "数", "统计", "数据", "调查", "表明", "发现", "，", " ", "出色"])
      for pattern, (anchor, reach) in zip(sources.CITATIONS, sources._ANCHORS)],
]


@pytest.mark.parametrize("pattern, anchor, options, pieces", SCANS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_scan_near_anchors_finds_what_finditer_finds(pattern, anchor, options, pieces, data):
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=14)))
    assert [m.span() for m in matches_near(pattern, text, anchor, **options)] == \
           [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("text, spans", [
    ("截止到2018底-2022年", [(0, 14)]),  # the widest reach before 年
    ("截止到2018 底 - 2022  年末", [(0, 20)]),  # whitespace does not count against the reach
    ("近年来，2024年和2025年", [(4, 9), (10, 15)]),
    ("青年发展，2024年", [(5, 10)]),  # a 年 that dates nothing costs no search to the end
    ("没有时间", []),
])
def test_time_spans(text, spans):
    assert [m.span() for m in matches_near(timex.TIME, text, timex._ANCHOR, **SCANS[3][2])] == spans


def test_a_hit_too_far_from_the_match_start_is_missed():
    # the contract: a reach shorter than the pattern needs loses matches, so each pattern states its reach
    assert list(matches_near(re.compile(r"abc"), "abc", re.compile("c"), reach=1)) == []
