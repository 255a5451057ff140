import pytest

from extractors.sentences import split_paragraphs, split_sentences


@pytest.mark.parametrize("text, expected", [
    ("规模达到5万亿元。增长10%。", ["规模达到5万亿元。", "增长10%。"]),
    ("他说：“增长很快。”然后", ["他说：“增长很快。”", "然后"]),
    ("一是A；二是B", ["一是A；", "二是B"]),
])
def test_sentences_end_at_terminal_punctuation(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_offsets_index_the_text():
    text = "第一段。\n\n第二段有两句。第二句。"
    for paragraph in split_paragraphs(text):
        assert text[paragraph.start:paragraph.end] == paragraph.text
        for sentence in split_sentences(paragraph.text, offset=paragraph.start):
            assert text[sentence.start:sentence.end] == sentence.text
