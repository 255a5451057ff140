import pytest

from extractors.nlp import (entities, first_flag, match_entities, may_name, may_tag, patterns, pipeline, places, source_names,
                            words)


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


@pytest.mark.parametrize("text, expected", [
    ("我国 数字经济", [("GPE", "中国", "我国")]),
    ("我国\n数字经济", [("GPE", "中国", "我国")]),
    (" 广州市和深圳市", [("GPE", "广州", "广州市"), ("GPE", "深圳", "深圳市")]),
    ("据IDC测算", [("ORG", "IDC", "IDC")]),
    ("Gartner数据显示", [("ORG", "Gartner", "Gartner")]),
    ("据中国信息通信研究院测算", [("ORG", "中国信息通信研究院", "中国信息通信研究院")]),
    ("数字经济规模稳步提升", []),
])
def test_entities_by_label_name_and_text(text, expected):
    found = entities(text)
    assert [(e.label, e.name, e.text) for e in found] == expected
    assert all(text[e.start:e.end] == e.text for e in found)


def test_each_written_form_names_one_entity():
    names: dict[str, set[tuple[str, str]]] = {}
    for label, text, name in patterns():
        names.setdefault(text, set()).add((label, name))
    assert {text: found for text, found in names.items() if len(found) > 1} == {}


def _variants(sentence: str) -> list[str]:
    """A sentence as written and with the whitespace a text export leaves inside it."""
    middle = len(sentence) // 2
    return [sentence, f"{sentence[:middle]} {sentence[middle:]}", f"{sentence[:middle]}\n {sentence[middle:]}",
            f"{sentence[:3]}　{sentence[3:]}", f" {sentence}"]


def test_entities_are_the_entity_rulers(corpus_dir):
    """The matcher finds what spaCy's EntityRuler finds with the same patterns on the same segmenter."""
    nlp = pipeline()
    texts = [variant for report in sorted(corpus_dir.glob("*.txt"))
             for sentence in report.read_text(encoding="utf-8").split("。")[::5] if sentence.strip()
             for variant in _variants(sentence)]
    assert len(texts) > 1500
    for text in texts:
        ruler = [(e.start_char, e.end_char, e.text, e.label_, e.ent_id_) for e in nlp(text).ents]
        assert [(e.start, e.end, e.text, e.label, e.name) for e in match_entities(text)] == ruler, text
        assert [(e.start, e.end, e.text, e.label, e.name) for e in entities(text)] == ruler, text


@pytest.mark.parametrize("text, label, expected", [
    ("广州市和深圳市", "GPE", True),
    ("上 海的数字经济", "GPE", True),  # whitespace between a form's words does not hide it
    ("据中国信通院测算", "ORG", True),
    ("数字经济规模稳步提升", None, False),
    ("据IDC测算", "GPE", False),
])
def test_may_name_tells_whether_a_pattern_is_written(text, label, expected):
    assert may_name(text, label=label) is expected


@pytest.mark.parametrize("label", ["GPE", "ORG", None])
def test_may_name_finds_each_form_and_no_text_short_of_one(label):
    forms = {"".join(text.split()) for kind, text, _ in patterns() if label in (None, kind)}
    for form in forms:
        assert may_name(f"据{form}测算", label=label), form
        shorter = form[:-1]
        if not any(other in shorter for other in forms):
            assert not may_name(f"据{shorter}测算", label=label), shorter


def test_a_text_that_may_name_nothing_holds_no_entity(corpus_dir):
    for report in sorted(corpus_dir.glob("*.txt")):
        for sentence in report.read_text(encoding="utf-8").split("。")[::7]:
            if not may_name(sentence):
                assert match_entities(sentence) == ()


def test_a_texts_own_words_leave_no_lexeme_and_no_string():
    nlp = pipeline()
    entities("广州市和深圳市的数据要素市场")  # the first call adds what every later call shares
    size = len(nlp.vocab), len(nlp.vocab.strings)
    found = entities("据中国信通院测算，宝安区和广州市的低空经济规模与翠亨新区持平；国家发展改革委、IDC数据显示")
    assert [(e.label, e.name) for e in found] == [("ORG", "中国信息通信研究院"), ("GPE", "广州"),
                                                  ("ORG", "国家发展和改革委员会"), ("ORG", "IDC")]
    assert (len(nlp.vocab), len(nlp.vocab.strings)) == size


@pytest.mark.parametrize("text, expected", [
    ("瑞幸咖啡通过数字化转型", True),  # 瑞幸: a name the HMM guesses
    ("中国信通院发布报告", True),  # a dictionary word tagged nt
    ("数字经济规模稳步提升", False),
    ("", False),
])
def test_may_tag_tells_whether_a_proper_name_may_open_a_text(text, expected):
    assert may_tag(text, {"nr", "nz", "nt", "nrt"}, within=8) is expected


def test_a_text_that_may_tag_no_flag_has_no_such_word(corpus_dir):
    """may_tag never misses a word: where it says no, the tagged words ending within reach carry none of the flags."""
    flags = {"nr", "nz", "nt", "nrt"}
    openings = [clause[start:start + 24] for report in sorted(corpus_dir.glob("*.txt"))
                for clause in report.read_text(encoding="utf-8").split("，")[::3] for start in (0, 2)]
    assert len(openings) > 2000
    for opening in openings:
        end, tagged = 0, []
        for word, flag in words(opening):
            end += len(word)
            tagged.append(end <= 8 and len(word) > 1 and flag in flags)
        if any(tagged):
            assert may_tag(opening, flags, within=8), opening


def test_first_flag_is_the_first_words_unless_the_hmm_guesses_it(corpus_dir):
    openings = [clause[start:start + 24] for report in sorted(corpus_dir.glob("*.txt"))
                for clause in report.read_text(encoding="utf-8").split("，")[::3] for start in (0, 1)]
    told = 0
    for opening in openings + ["", "（中国", "如", "IDC数据"]:
        flag = first_flag(opening)
        if flag is not None:
            told += 1
            assert words(opening)[0][1] == flag, opening
    assert told > len(openings) // 2
