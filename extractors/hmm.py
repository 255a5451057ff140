"""jieba's part-of-speech HMM for runs no dictionary word covers: its Viterbi search, with the same sums and ties.

jieba's search builds a tuple for every pair of states, most of them without a transition (-inf); this one
weighs only the transitions there are, and falls back to jieba's way when no finite path reaches a state.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator

State = tuple[str, str]  # (B|M|E|S, part-of-speech flag)
UNSEEN = -3.14e100  # jieba's log-probability of a character a state never emits
_NO_PATH = float("-inf")


@functools.cache
def _model() -> tuple[dict, dict, dict, dict, tuple[State, ...]]:
    """jieba's start, transition, emission and character-state tables, and every state.

    Read on first use: `lexicon` imports jieba.posseg its own way first."""
    from jieba.posseg import char_state_tab, prob_emit, prob_start, prob_trans

    return prob_start.P, prob_trans.P, prob_emit.P, char_state_tab.P, tuple(prob_trans.P)


@functools.cache
def _links() -> tuple[dict[State, frozenset[State]], dict[State, frozenset[State]]]:
    """Each state → the states it has a transition to; and → the states with a transition to it."""
    found: dict[State, set[State]] = {}
    trans = _model()[1]
    for x, targets in trans.items():
        for y in targets:
            found.setdefault(y, set()).add(x)
    return {x: frozenset(targets) for x, targets in trans.items()}, {y: frozenset(xs) for y, xs in found.items()}


def best_states(run: str) -> list[State]:
    """The most likely state of each character of `run`, as jieba's `viterbi` finds them."""
    start, trans, emit, allowed, every = _model()
    targets, sources = _links()
    scores = {y: start[y] + emit[y].get(run[0], UNSEEN) for y in allowed.get(run[0], every)}
    back: list[dict[State, State | str]] = [dict.fromkeys(scores, "")]
    for char in run[1:]:
        ahead = [x for x in scores if trans[x]]
        expected = set().union(*(targets[x] for x in ahead))
        states = set(allowed.get(char, every)) & expected or expected or set(every)
        step: dict[State, float] = {}
        came: dict[State, State] = {}
        for y in states:
            emitted = emit[y].get(char, UNSEEN)
            best, best_from = _NO_PATH, None
            for x in scores.keys() & sources.get(y, ()):  # the states just reached that lead to y
                score = scores[x] + trans[x][y] + emitted
                if best_from is None or score > best or score == best and x > best_from:
                    best, best_from = score, x
            if best_from is None or best == _NO_PATH:  # every path is -inf: jieba's ties decide
                best, best_from = max((scores[x] + trans[x].get(y, _NO_PATH) + emitted, x) for x in ahead)
            step[y], came[y] = best, best_from
        scores = step
        back.append(came)
    _, state = max((score, y) for y, score in scores.items())
    found = [state] * len(run)
    for i in range(len(run) - 1, 0, -1):
        state = back[i][state]
        found[i - 1] = state
    return found


def guess(run: str) -> Iterator:
    """jieba's HMM words of a run of Chinese characters, as its tagger's pairs (word, flag)."""
    from jieba.posseg import pair

    states = best_states(run)
    begin = done = 0
    for i, (position, flag) in enumerate(states):
        if position == "B":
            begin = i
        elif position == "E":
            yield pair(run[begin:i + 1], flag)
            done = i + 1
        elif position == "S":
            yield pair(run[i], flag)
            done = i + 1
    if done < len(run):
        yield pair(run[done:], states[done][1])
