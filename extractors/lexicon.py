"""jieba's main dictionary kept in SQLite under `.cache/`, read word by word as texts need it.

Loading the whole dictionary costs about a second per process; a `shuzi check` of one sentence needs a few
hundred of its 500 000 entries. A `Segmenter` reads, before segmenting a sentence, every entry jieba could
look up in it, so it cuts exactly as jieba does with the whole dictionary loaded.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import sqlite3
import sys
import tempfile
import threading
import re
from collections.abc import Callable, Iterable, Iterator
from math import log
from pathlib import Path
from typing import TypeVar

import jieba

from .hmm import guess

K = TypeVar("K")
V = TypeVar("V")

CACHE = Path(__file__).resolve().parent.parent / ".cache"
LAYOUT = 1  # bump when the table changes, so an old cache file is rebuilt
_DICTIONARY = Path(jieba.__file__).resolve().parent / jieba.DEFAULT_DICT_NAME
_QUERY = "SELECT word, freq, tag FROM words WHERE word IN (SELECT value FROM json_each(?))"
BLOCKS_KEPT = 1 << 16  # runs of word characters whose cut a segmenter or tagger remembers
ROUTES_KEPT = 1 << 12  # runs whose best cut a segmenter remembers for its next cut of the same run
WEIGHTS_KEPT = 1 << 16  # dictionary entries whose log probability a segmenter remembers
_PREFIX, _ABSENT = "prefix", "absent"  # what `Segmenter._weigh` gives for an entry at frequency 0 and for no entry


def _store(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Keep `value` under `key`, emptying the cache first when it holds `limit` entries."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


def _remember(cache: dict[K, V], key: K, make: Callable[[], V], limit: int) -> V:
    """The cached value for `key`, made and kept (see `_store`) the first time it is asked for."""
    value = cache.get(key)
    return _store(cache, key, make(), limit) if value is None else value


def _runs(pattern: re.Pattern, sentence: str) -> Iterator[tuple[str, bool]]:
    """The pieces of a sentence jieba cuts on their own, each with whether it is a run of word characters."""
    for block in pattern.split(sentence):
        if block:
            yield block, bool(pattern.match(block))


def _import_posseg():
    """jieba.posseg, imported without reading the main dictionary's tags.

    On import it tags its default tokenizer with every word of the main dictionary (~0.3 s); the lexicon
    holds those tags, so the import reads an empty dictionary instead. `jieba.posseg.cut` is left without
    tags: shuzi tags through `Tagger`.
    """
    if "jieba.posseg" not in sys.modules:
        default, jieba.dt.dictionary = jieba.dt.dictionary, os.devnull
        try:
            importlib.import_module("jieba.posseg")
        finally:
            jieba.dt.dictionary = default
    return sys.modules["jieba.posseg"]


posseg = _import_posseg()


def _build(path: Path) -> None:
    """Write the main dictionary as a table: word → frequency and tag, every prefix of a word at frequency 0."""
    freq, total = jieba.Tokenizer().gen_pfdict(_DICTIONARY.open("rb"))
    tags = {}
    for line in _DICTIONARY.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split(" ")
        if len(parts) == 3:
            tags[parts[0]] = parts[2]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        conn = sqlite3.connect(partial)
        try:
            conn.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL, tag TEXT) WITHOUT ROWID")
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
            conn.executemany("INSERT INTO words VALUES (?, ?, ?)", ((w, f, tags.get(w)) for w, f in freq.items()))
            conn.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
            conn.commit()
        finally:
            conn.close()
        os.replace(partial, path)  # another process building the same file at once is harmless
    finally:
        partial.unlink(missing_ok=True)


def cache_path(folder: Path = CACHE) -> Path:
    """The lexicon file for the installed jieba dictionary: rebuilt when jieba or its dictionary changes."""
    stat = _DICTIONARY.stat()
    key = f"{jieba.__version__}|{_DICTIONARY}|{stat.st_size}|{stat.st_mtime_ns}|{LAYOUT}"
    return folder / f"jieba-lexicon-{hashlib.sha1(key.encode()).hexdigest()[:12]}.sqlite"


class Lexicon:
    """jieba's main dictionary in SQLite; the rows asked for are remembered, so each is read once."""

    def __init__(self, path: Path):
        if not path.is_file():
            _build(path)
        self._conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self.total = int(self._conn.execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0])
        self._known: dict[str, tuple[int, str | None]] = {}
        self._absent: set[str] = set()
        self._lock = threading.Lock()

    def entries(self) -> Iterable[tuple[str, int, str | None]]:
        """Every entry: word, frequency and tag."""
        with self._lock:
            yield from self._conn.execute("SELECT word, freq, tag FROM words")

    def rows(self, words: Iterable[str]) -> dict[str, tuple[int, str | None]]:
        """Frequency and tag of each of `words` the dictionary holds (prefixes of its words at frequency 0)."""
        words = set(words)
        known, absent = self._known, self._absent
        wanted = [w for w in words if w not in known and w not in absent]
        if wanted:
            with self._lock:
                found = {w: (f, t) for w, f, t in self._conn.execute(_QUERY, (json.dumps(wanted),))}
                known.update(found)
                absent.update(w for w in wanted if w not in found)
        return {w: known[w] for w in words if w in known}


def _last_at(pairs: Iterable[posseg.pair], position: int) -> Iterator[tuple[posseg.pair, int]]:
    """Each pair with -1, but the last with `position`: a cut goes on from there only once all of them are read."""
    held = None
    for pair in pairs:
        if held is not None:
            yield held, -1
        held = pair
    if held is not None:
        yield held, position


class Segmenter(jieba.Tokenizer):
    """A jieba tokenizer on the lexicon plus words of its own, reading the entries a sentence needs first."""

    def __init__(self, lexicon: Lexicon):
        super().__init__()
        self.lexicon = lexicon
        self.tags: dict[str, str] = {}
        self._missing: set[str] = set()  # substrings the lexicon does not hold
        self._blocks: dict[tuple[str, bool], tuple[str, ...]] = {}
        self._ends: dict[str, list[int]] = {}  # runs' best cuts, shared by cuts with and without guesses
        self._weights: dict[str, float | str] = {}  # entries' log probabilities, as `_weigh` works them out
        self.complete = False  # True once the whole lexicon is held: nothing is left to read
        self.total = lexicon.total
        self.initialized = True  # the lexicon stands in for jieba's dictionary cache

    def read_all(self) -> None:
        """Hold every entry of the lexicon, as jieba holds its dictionary: for a process that cuts many texts."""
        if self.complete:
            return
        freq, tags = self.FREQ, self.tags
        for word, count, tag in self.lexicon.entries():
            freq.setdefault(word, count)  # a word added to this segmenter keeps its own frequency
            if tag:
                tags.setdefault(word, tag)
        self.complete = True

    def add_word(self, word: str, freq: int | str | None = None, tag: str | None = None) -> None:
        """Add a word as jieba does; its prefixes keep their dictionary frequency."""
        self.cover(word)
        super().add_word(word, freq, tag)
        self._blocks.clear()
        self._ends.clear()
        self._weights.clear()

    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False):  # noqa: N803
        """jieba's cut; each run of word characters is cut once and remembered, as jieba cuts runs on their own."""
        if cut_all or use_paddle:
            yield from super().cut(sentence, cut_all, HMM, use_paddle)
            return
        for block, han in _runs(jieba.re_han_default, sentence):
            if not han:
                yield from super().cut(block, HMM=HMM)
                continue
            yield from _remember(self._blocks, (block, HMM), lambda: tuple(super(Segmenter, self).cut(block, HMM=HMM)),
                                 BLOCKS_KEPT)

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 (jieba's name)
        """jieba's word graph of a sentence, once the sentence's entries are read."""
        self.cover(sentence)
        return super().get_DAG(sentence)

    def best_ends(self, sentence: str) -> list[int]:
        """Where the word starting at each position of `sentence` ends in jieba's best cut: its `get_DAG` and
        `calc` in one pass from the end, with the same sums compared in the same order (ties to the longer word)."""
        return _remember(self._ends, sentence, lambda: self._best_ends(sentence), ROUTES_KEPT)

    def _best_ends(self, sentence: str) -> list[int]:
        self.cover(sentence)
        weight_of, weigh = self._weights.get, self._weigh
        size = len(sentence)
        scores = [0.0] * (size + 1)
        ends = [0] * size
        for start in range(size - 1, -1, -1):
            best, end = None, start + 1
            stop, weight = start + 1, weight_of(sentence[start]) or weigh(sentence[start])
            while weight is not _ABSENT:  # each longer prefix of an entry is an entry, if only at frequency 0
                if weight is not _PREFIX:
                    score = weight + scores[stop]
                    if best is None or score >= best:
                        best, end = score, stop
                if stop == size:
                    break
                stop += 1
                piece = sentence[start:stop]
                weight = weight_of(piece) or weigh(piece)
            if best is None:
                best = 0.0 - log(self.total) + scores[start + 1]  # a character no word starts with: frequency 1
            scores[start], ends[start] = best, end
        return ends

    def _weigh(self, word: str) -> float | str:
        """A word's log probability as `_best_ends` adds it up (log of its count less log of the total), kept for
        the next look-up; `_PREFIX` for an entry at frequency 0, `_ABSENT` for no entry (`cover` has read every entry
        a cut of the text looks up, so one missing now stays missing until a word is added)."""
        count = self.FREQ.get(word)
        if len(self._weights) >= WEIGHTS_KEPT:
            self._weights.clear()
        weight = self._weights[word] = _ABSENT if count is None else log(count) - log(self.total) if count else _PREFIX
        return weight

    def cover(self, text: str) -> None:
        """Read every entry jieba may look up in `text`: each substring whose shorter prefix is an entry.

        Each start walks along the entries already read and asks the lexicon for the first substring
        that is neither read nor known to be missing; a substring found extends the walk by one."""
        if self.complete:
            return
        freq, tags, missing, size = self.FREQ, self.tags, self._missing, len(text)
        walks = [(k, k + 1) for k in range(size)]
        while walks:
            asked: dict[str, list[int]] = {}
            for start, end in walks:
                while end <= size and text[start:end] in freq:
                    end += 1
                if end <= size and text[start:end] not in missing:
                    asked.setdefault(text[start:end], []).append(start)
            if not asked:
                return
            found = self.lexicon.rows(asked)
            for word, (count, tag) in found.items():
                freq.setdefault(word, count)  # a word added to this segmenter keeps its own frequency
                if tag:
                    tags.setdefault(word, tag)
            missing.update(word for word in asked if word not in found)
            walks = [(start, start + len(word) + 1) for word in found for start in asked[word]]


class Tagger(posseg.POSTokenizer):
    """jieba's part-of-speech tagger on a `Segmenter`, with the lexicon's tags and the segmenter's own."""

    def __init__(self, segmenter: Segmenter):  # not the parent's, which reads every tag of the dictionary file
        self.tokenizer = segmenter
        self.word_tag_tab = segmenter.tags
        self._blocks: dict[tuple[str, bool], tuple[posseg.pair, ...]] = {}
        self._guesses: dict[str, tuple[posseg.pair, ...]] = {}
        self._heads: dict[tuple[str, bool], tuple[tuple[posseg.pair, ...], int]] = {}  # runs read in part: words, resume

    def _POSTokenizer__cut(self, run: str):  # noqa: N802 (jieba's private name)
        """The HMM's words for a run of characters no dictionary word covers, worked out once per run."""
        return iter(_remember(self._guesses, run, lambda: tuple(guess(run)), BLOCKS_KEPT))

    def _POSTokenizer__cut_DAG(self, sentence: str) -> Iterator[posseg.pair]:  # noqa: N802 (jieba's private name)
        """jieba's tagged cut of a run with the HMM guessing the words of runs of single characters, on `best_ends`."""
        return (pair for pair, _ in self._guessing_cut(sentence, 0))

    def _POSTokenizer__cut_DAG_NO_HMM(self, sentence: str) -> Iterator[posseg.pair]:  # noqa: N802 (jieba's private name)
        """jieba's tagged cut of a run without guesses (single letters and digits joined), on `best_ends`."""
        return (pair for pair, _ in self._plain_cut(sentence, 0))

    def _guessing_cut(self, sentence: str, start: int) -> Iterator[tuple[posseg.pair, int]]:
        """`__cut_DAG`'s words from `start` (where a word ends), each with the position the cut can go on from
        after it (-1 within the words of a run of single characters)."""
        ends, tags, freq = self.tokenizer.best_ends(sentence), self.word_tag_tab, self.tokenizer.FREQ
        buf, size = "", len(sentence)
        while start <= size:
            end = ends[start] if start < size else 0
            if end - start == 1:
                buf += sentence[start]
                start = end
                continue
            if len(buf) == 1:
                yield posseg.pair(buf, tags.get(buf, "x")), start
            elif buf and not freq.get(buf):
                yield from _last_at(self._POSTokenizer__cut_detail(buf), start)
            elif buf:
                yield from _last_at((posseg.pair(char, tags.get(char, "x")) for char in buf), start)
            buf = ""
            if start == size:
                return
            word = sentence[start:end]
            yield posseg.pair(word, tags.get(word, "x")), end
            start = end

    def _plain_cut(self, sentence: str, start: int) -> Iterator[tuple[posseg.pair, int]]:
        """`__cut_DAG_NO_HMM`'s words from `start` (where a word ends), each with the position the cut can go on
        from after it (-1 within a run of letters and digits)."""
        ends, tags = self.tokenizer.best_ends(sentence), self.word_tag_tab
        buf, size = "", len(sentence)
        while start < size:
            end = ends[start]
            word = sentence[start:end]
            if posseg.re_eng1.match(word):
                buf += word
            else:
                if buf:
                    yield posseg.pair(buf, "eng"), start
                    buf = ""
                yield posseg.pair(word, tags.get(word, "x")), end
            start = end
        if buf:
            yield posseg.pair(buf, "eng"), size

    def cut(self, sentence: str, HMM: bool = True):  # noqa: N803 (jieba's name)
        """jieba's tagged cut; each run of word characters is cut once and remembered, as jieba cuts runs on their own.

        A reader that stops early spares the rest of a run (and the HMM's later guesses); the words it read are
        kept, so the next reader of the run goes on from there instead of cutting them again."""
        for block, han in _runs(posseg.re_han_internal, sentence):
            if not han:
                yield from super().cut(block, HMM=HMM)
                continue
            key = (block, HMM)
            words = self._blocks.get(key)
            if words is not None:
                yield from words
                continue
            self.makesure_userdict_loaded()
            head, resume = self._heads.get(key, ((), 0))
            yield from head
            cut, kept, done = list(head), len(head), False
            try:
                for pair, after in self._guessing_cut(block, resume) if HMM else self._plain_cut(block, resume):
                    cut.append(pair)
                    if after >= 0:
                        resume, kept = after, len(cut)
                    yield pair
                done = True
            finally:
                if done or resume == len(block):
                    _store(self._blocks, key, tuple(cut), BLOCKS_KEPT)
                    self._heads.pop(key, None)
                elif kept > len(head):
                    _store(self._heads, key, (tuple(cut[:kept]), resume), BLOCKS_KEPT)


_lexicon: Lexicon | None = None
_lexicon_lock = threading.Lock()


def lexicon() -> Lexicon:
    """The process's one lexicon, built into `.cache/` the first time (the temporary folder if that is read-only)."""
    global _lexicon
    with _lexicon_lock:
        if _lexicon is None:
            try:
                _lexicon = Lexicon(cache_path())
            except (OSError, sqlite3.Error):
                _lexicon = Lexicon(cache_path(Path(tempfile.gettempdir()) / "shuzi"))
        return _lexicon


def tagger(*dictionaries: Path, words: Iterable[tuple[str, int | None, str | None]] = ()) -> Tagger:
    """A part-of-speech tagger with the user dictionaries (jieba's `word freq tag` lines) and words added."""
    segmenter = Segmenter(lexicon())
    for path in dictionaries:
        segmenter.load_userdict(str(path))
    for word, freq, tag in words:
        segmenter.add_word(word, freq, tag)
    return Tagger(segmenter)
