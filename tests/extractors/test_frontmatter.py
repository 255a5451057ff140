import pytest

from extractors.frontmatter import describe_document, report_year
from schemas import Document


def document(text):
    return Document(name="r.txt", path="r.txt", sha256="0", text=text)


@pytest.mark.parametrize("text, title, publisher, published", [
    ("中国数字经济发展研究报告(2025年)中国信息通信研究院2026年3月版权声明本报告版权属于中国信息通信研究院",
     "中国数字经济发展研究报告(2025年)", "中国信息通信研究院", "2026-03"),
    ("全球数字经济白皮书（2023年）\n中国信息通信研究院\n2024年1月\n前言\n正文",
     "全球数字经济白皮书（2023年）", "中国信息通信研究院", "2024-01"),
    ("前言\n近年来，数字经济发展速度之快前所未有。", None, None, None),
])
def test_title_publisher_and_date_from_the_cover(text, title, publisher, published):
    found = describe_document(document(text))
    assert (found.title, found.publisher, found.published) == (title, publisher, published)


@pytest.mark.parametrize("title, published, year", [
    ("中国数字经济发展研究报告(2025年)", "2026-03", 2026),
    ("中国数字经济高质量发展现状与前瞻报告(2024年)", None, 2024),
    (None, None, None),
])
def test_report_year(title, published, year):
    found = Document(name="r.txt", path="r.txt", sha256="0", text="x", title=title, published=published)
    assert report_year(found) == year
