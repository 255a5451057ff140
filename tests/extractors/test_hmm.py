"""The HMM's guesses: the states jieba's own Viterbi search picks, for runs of the seed reports and rare characters."""
from __future__ import annotations

import re

import extractors.lexicon  # noqa: F401  (imports jieba.posseg as shuzi does)
from extractors.hmm import best_states, guess

_HAN = re.compile(r"[\u4e00-\u9fd5]{2,}")


def _jieba_states(run: str) -> list[tuple[str, str]]:
    from jieba.posseg import char_state_tab, prob_emit, prob_start, prob_trans
    from jieba.posseg.viterbi import viterbi

    return viterbi(run, char_state_tab.P, prob_start.P, prob_trans.P, prob_emit.P)[1]


def test_states_are_jiebas_on_the_seed_reports(corpus_dir):
    runs = [m.group()[:12] for report in sorted(corpus_dir.glob("*.txt"))
            for m in _HAN.finditer(report.read_text(encoding="utf-8"))][::15]
    assert len(runs) > 300
    for run in runs:
        assert best_states(run) == _jieba_states(run), run


def test_states_are_jiebas_where_characters_are_rare():
    for run in ["龘靐齉爩鱻", "嘬龘的一", "爩", "鱻是了我", "齉齉齉齉齉齉"]:
        assert best_states(run) == _jieba_states(run), run


def test_guesses_cover_the_run():
    words = list(guess("张小明在杭州"))
    assert "".join(p.word for p in words) == "张小明在杭州"
    assert all(p.flag for p in words)
