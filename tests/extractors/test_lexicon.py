"""The SQLite lexicon: segmenters that read jieba's dictionary as they go cut and tag as jieba with all of it."""
from __future__ import annotations

import itertools
import logging

import jieba
import pytest

from extractors.lexicon import CACHE, Lexicon, Segmenter, cache_path, lexicon, posseg, tagger
from extractors.nlp import DATA

USER_WORDS = [("广东省", 20000, "ns"), ("中国信通院", 20000, "nt")]


@pytest.fixture(scope="module")
def reference() -> posseg.POSTokenizer:
    """jieba's own tagger with its whole dictionary loaded and the same user words."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(CACHE)
    tokenizer.load_userdict(str(DATA / "terms.txt"))
    for word, freq, tag in USER_WORDS:
        tokenizer.add_word(word, freq, tag)
    return posseg.POSTokenizer(tokenizer)


TEXTS = [
    "2024年，我国数字经济规模稳步提升至59.2万亿元，同比名义增长9.69%",
    "据中国信通院测算，广东省数字经济规模连续多年位居全国第一",
    "瑞幸咖啡通过数字化转型，门店数量突破2万家",
    "山东文旅通过“好客山东”平台，带动文旅消费",
    "AI基础设施和AI服务分别增长 35% 和 28%",
    "龙岩农信开设线上渠道，覆盖3.2万户农户",
    "ICT产业、5G基站、工业互联网 标识解析体系",
    "　全角空格\n换行\r\n与 half-width words",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_cuts_and_tags_as_jieba_with_the_whole_dictionary(reference, text):
    mine = tagger(DATA / "terms.txt", words=USER_WORDS)
    for guess in (True, False):
        assert [tuple(p) for p in mine.cut(text, HMM=guess)] == [tuple(p) for p in reference.cut(text, HMM=guess)]
    assert list(mine.tokenizer.cut(text)) == list(reference.tokenizer.cut(text))


def test_a_tagger_cuts_alike_with_the_whole_lexicon_held_and_each_text_cut_again(reference):
    mine = tagger(DATA / "terms.txt", words=USER_WORDS)
    mine.tokenizer.read_all()
    assert mine.tokenizer.complete and len(mine.tokenizer.FREQ) > 300_000
    for text in TEXTS + TEXTS:  # the second time, each run of word characters is remembered
        for guess in (True, False):
            assert [tuple(p) for p in mine.cut(text, HMM=guess)] == [tuple(p) for p in reference.cut(text, HMM=guess)]
        assert list(mine.tokenizer.cut(text)) == list(reference.tokenizer.cut(text))


def test_a_tagger_cuts_the_seed_reports_as_jieba(reference, corpus_dir):
    """The tagger's own route over each run (`best_ends`) picks jieba's words, ties and guesses included."""
    mine = tagger(DATA / "terms.txt", words=USER_WORDS)
    mine.tokenizer.read_all()
    lines = [line for report in sorted(corpus_dir.glob("*.txt"))
             for line in report.read_text(encoding="utf-8").splitlines()[::3]]
    assert len(lines) > 300
    for line in lines:
        for guess in (True, False):
            assert [tuple(p) for p in mine.cut(line, HMM=guess)] == [tuple(p) for p in reference.cut(line, HMM=guess)]


@pytest.mark.parametrize("text", TEXTS + ["如", "若我国实体经济数字资本深化速度保持近五年平均增速", "人社部等九部门印发"])
def test_a_run_read_in_part_goes_on_as_jieba_cuts_it(reference, text):
    """A reader that stops early leaves the words it read; later readers go on from there, with and without guesses."""
    mine = tagger(DATA / "terms.txt", words=USER_WORDS)
    for guess in (True, False):
        expected = [tuple(p) for p in reference.cut(text, HMM=guess)]
        for count in range(len(expected) + 2):
            assert [tuple(p) for p in itertools.islice(mine.cut(text, HMM=guess), count)] == expected[:count]
        assert [tuple(p) for p in mine.cut(text, HMM=guess)] == expected


def test_an_added_word_leaves_its_prefixes_their_frequency():
    segmenter = Segmenter(lexicon())
    segmenter.add_word("互联网络安全", 50000, "n")
    known = lexicon().rows(["互联网", "互联网络", "互联网络安"])
    assert segmenter.FREQ["互联网络"] == known["互联网络"][0] > 0 and segmenter.FREQ["互联网"] == known["互联网"][0]
    assert segmenter.FREQ["互联网络安"] == 0 and "互联网络安" not in known
    assert segmenter.total == lexicon().total + 50000


@pytest.mark.parametrize("word, expected", [
    ("经济", "n"),
    ("提升", "v"),
    ("人工智", None),
])
def test_rows_give_frequency_and_tag(word, expected):
    freq, tag = lexicon().rows([word])[word]
    assert tag == expected and (freq > 0) == (expected is not None)


def test_rows_leave_out_strings_that_are_no_entry():
    assert lexicon().rows(["经济数字", "zzqx"]) == {}


def test_a_segmenter_reads_only_what_its_texts_need():
    segmenter = Segmenter(lexicon())
    list(segmenter.cut("数字经济"))
    assert 0 < len(segmenter.FREQ) < 100


def test_a_lexicon_is_built_where_asked(tmp_path):
    built = Lexicon(cache_path(tmp_path))
    assert built.total == lexicon().total and built.rows(["人工智能"]) == lexicon().rows(["人工智能"])
    assert [p.name for p in tmp_path.iterdir()] == [cache_path().name]
