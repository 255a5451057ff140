import pytest

from extractors.timex import find_times, is_forecast_time


def only(text, **options):
    (time,) = find_times(text, **options)
    assert text[time.start:time.end].replace(" ", "") == time.text
    return time


@pytest.mark.parametrize("text, year, written", [
    ("2024年，我国数字经济规模稳步提升", 2024, "2024年"),
    ("截至2025年6月底，5G基站总数", 2025, "截至2025年6月底"),
    ("2025年前5个月，软件业务收入", 2025, "2025年前5个月"),
    ("2016-2022年年均复合增长", 2022, "2016-2022年"),
    ("从2010年到2022年间增加了30%", 2022, "从2010年到2022年间"),
    ("到2027年，规模将达到", 2027, "到2027年"),
    ("2023年一季度，投资金额", 2023, "2023年一季度"),
    ("2024年上半年，收入", 2024, "2024年上半年"),
    ("1870年的51万吨", 1870, "1870年"),
    ("截止到2023年一季度", 2023, "截止到2023年一季度"),
])
def test_calendar_year_and_period(text, year, written):
    time = only(text)
    assert (time.year, time.text) == (year, written)


@pytest.mark.parametrize("text, report_year, year", [
    ("今年4月，九部门印发", 2024, 2024),
    ("去年全年", 2024, 2023),
    ("目前已经培育了421家", 2024, 2024),
    ("目前已经培育了421家", None, None),
])
def test_relative_years_use_the_report_year(text, report_year, year):
    assert find_times(text, report_year=report_year)[0].year == year


@pytest.mark.parametrize("text, baseline", [
    ("与2007年相比，增加1.85倍", True),
    ("较2020年增长", True),
    ("较上年提升1个百分点", True),
    ("2021年，规模达到", False),
])
def test_comparison_base_years_are_marked(text, baseline):
    assert find_times(text)[0].baseline is baseline


@pytest.mark.parametrize("text, span", [
    ("2018-2022年间的增长率分别为", (2018, 2022)),
    ("2018年-2021年分别设立", (2018, 2021)),
])
def test_spans_keep_both_ends(text, span):
    time = find_times(text)[0]
    assert time.is_span and (time.start_year, time.year) == span


@pytest.mark.parametrize("text, forecast", [
    ("到2027年，规模将达到", True),
    ("至2025年，市场规模将超过1万亿元", True),
    ("从2018年二季度至2023年一季度下降", False),
])
def test_target_dates(text, forecast):
    assert is_forecast_time(text, find_times(text)[-1]) is forecast


@pytest.mark.parametrize("text", ["", "没有时间", "第十四个五年规划", "5G基站"])
def test_no_time(text):
    assert [t for t in find_times(text) if t.year] == []


@pytest.mark.parametrize("text", ["立足2022年版职业大典公布的新职业", "《2021年度报告》"])
def test_editions_are_not_times(text):
    assert [t for t in find_times(text) if t.year] == []


@pytest.mark.parametrize("text, later_by", [
    ("2年后的今天，用户已经接近2000万", 2),
    ("如今经过两年的发展，用户数增加到2000万", 2),
    ("历经十年，产业规模翻番", 10),
    ("三年之后，产值将达到", 3),
])
def test_years_after_the_last_written_year(text, later_by):
    time = only(text)
    assert (time.year, time.later_by) == (None, later_by)


@pytest.mark.parametrize("text", ["十二年后", "连续11年位居第一", "用3年左右时间", "近5年年均增速近30%"])
def test_counts_of_years_that_are_no_later_date(text):
    assert not any(t.later_by for t in find_times(text))


@pytest.mark.parametrize("text, written", [
    ("人社部等九部门印发《加快数字人才培育行动方案(2024—2026年)》，指出要用3年左右时间", []),
    ("局长在2024年全球数字经济大会开幕式上表示", []),
    ("根据《数字中国发展报告（2023年）》显示，2023年，网上受理率为92.5%", ["2023年"]),
    ("2024年，世界人工智能大会在上海举办", ["2024年"]),
])
def test_years_within_titles_and_event_names_date_nothing(text, written):
    assert [t.text for t in find_times(text)] == written
