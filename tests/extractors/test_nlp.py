import pytest

from extractors.nlp import entities, places, source_names, words


@pytest.mark.parametrize("text, word", [
    ("我国数字经济规模稳步提升", "数字经济规模"),
    ("电信业务收入累计完成", "收入"),
    ("深圳市宝安区工业互联网", "深圳市"),
])
def test_domain_words_stay_whole(text, word):
    assert word in [w for w, _ in words(text)]


def test_entity_ruler_names_places_and_sources():
    found = entities("据中国信通院测算，广州市和我国的数字经济持续增长")
    assert [(e.label, e.name) for e in found] == [("ORG", "中国信息通信研究院"), ("GPE", "广州"), ("GPE", "中国")]


def test_gazetteer_forms():
    names = {p.written: p.name for p in places()}
    assert names["广东省"] == "广东" and names["我国"] == "中国" and names["杭州市"] == "杭州"
    assert source_names()["工信部"] == "工业和信息化部"
