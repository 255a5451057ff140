"""Chinese words and entities: jieba with the domain dictionary, and the gazetteer matched on its words."""
from __future__ import annotations

import bisect
import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .lexicon import CACHE, Segmenter, Tagger, posseg, tagger
from .registry import register

NAME = register("nlp.v1")
DATA = Path(__file__).resolve().parent / "data"
PROVINCE_SUFFIX = "省"
CITY_SUFFIX = "市"
# Places and source names outweigh the dictionary's words, so a segmenter keeps them whole.
NAME_FREQUENCY = 20000
_WHITESPACE = re.compile(r"\s+")
_SPACED = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: how a report may write a place and the name shuzi stores.

    written: the surface form (广州市, 我国)
    name: the normalized subject (广州, 中国)
    kind: country | world | union | region | group | province | city
    """

    written: str
    name: str
    kind: str


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]


@functools.cache
def places() -> tuple[Place, ...]:
    """Every written form of every gazetteer place, longest first."""
    found: list[Place] = []
    for row in _rows(DATA / "places.tsv"):
        name, kind = row[0], row[1]
        forms = {name, *(f for f in (row[2].split(",") if len(row) > 2 else []) if f)}
        if kind == "province" and name not in ("北京", "天津", "上海", "重庆"):
            forms.add(name + PROVINCE_SUFFIX)
        if kind in ("city", "province"):
            forms.add(name + CITY_SUFFIX)
        found.extend(Place(form, name, kind) for form in forms)
    return tuple(sorted(found, key=lambda p: -len(p.written)))


@functools.cache
def place_forms() -> frozenset[str]:
    """Every written form of every gazetteer place."""
    return frozenset(p.written for p in places())


@functools.cache
def place_kinds() -> dict[str, str]:
    """Normalized place name → its kind (the last gazetteer row for a name wins)."""
    return {p.name: p.kind for p in places()}


@functools.cache
def source_names() -> dict[str, str]:
    """Alias → full name of sources the text cites (中国信通院 → 中国信息通信研究院)."""
    return {row[0]: row[1] for row in _rows(DATA / "sources.tsv")}


@functools.cache
def _tagger() -> Tagger:
    """jieba's tagger with the domain terms, the gazetteer and the source names."""
    names = [(p.written, NAME_FREQUENCY, "ns") for p in places()]
    names += [(alias, NAME_FREQUENCY, "nt") for alias in source_names()]
    return tagger(DATA / "terms.txt", words=names)


def segmenter() -> Segmenter:
    """The jieba tokenizer with the domain terms, the gazetteer and the source names (one per process)."""
    return _tagger().tokenizer


@functools.lru_cache(maxsize=16384)
def words(text: str, *, guess: bool = True) -> tuple[tuple[str, str], ...]:
    """Words of `text` with their part-of-speech flags (n, v, d, m, ns, nt, …).

    `guess=False` skips jieba's HMM for words outside the dictionaries: faster, for callers that only
    need the known words (verbs, places)."""
    return tuple(word_stream(text, guess=guess))


def word_stream(text: str, *, guess: bool = True) -> Iterator[tuple[str, str]]:
    """The words of `words(text)`, cut as they are read: a reader that stops early spares the rest of the work."""
    return ((pair.word, pair.flag) for pair in _tagger().cut(text, HMM=guess))


def may_tag(text: str, flags: frozenset[str] | set[str], *, within: int) -> bool:
    """False when no word of two or more characters that `words(text)` ends within the first `within` characters
    can carry one of `flags`: the dictionary words its best cut keeps there carry other tags, and it leaves no run of
    single characters there for the HMM to guess at. Reads the cut's word ends only, not its words."""
    tagger = _tagger()
    tagger.makesure_userdict_loaded()
    tags, freq, cutter = tagger.word_tag_tab, tagger.tokenizer.FREQ, tagger.tokenizer
    offset = 0
    for block in posseg.re_han_internal.split(text):
        if offset >= within:
            break
        if block and posseg.re_han_internal.match(block):  # other pieces are tagged x, m or eng
            ends, start, size = cutter.best_ends(block), 0, len(block)
            while start < size and offset + start < within:
                end = ends[start]
                if end - start > 1:
                    if offset + end <= within and tags.get(block[start:end], "x") in flags:
                        return True
                    start = end
                    continue
                first = start
                while start < size and ends[start] - start == 1:
                    start += 1
                if start - first > 1 and offset + first + 2 <= within and not freq.get(block[first:start]):
                    return True  # the HMM guesses these characters' words and tags
        offset += len(block)
    return False


def first_flag(text: str) -> str | None:
    """The flag `words(text)` gives its first word, when the best cut's word ends tell it without the HMM's guess
    (None when they do not, or `text` opens with no word character)."""
    blocks = posseg.re_han_internal.split(text, maxsplit=1)
    if len(blocks) < 2 or blocks[0]:
        return None
    tagger = _tagger()
    tagger.makesure_userdict_loaded()
    block, tags = blocks[1], tagger.word_tag_tab
    ends, size, end = tagger.tokenizer.best_ends(block), len(block), 0
    if ends[0] > 1:
        return tags.get(block[:ends[0]], "x")
    while end < size and ends[end] - end == 1:
        end += 1  # a run of single characters, tagged together
    if end == 1:
        return tags.get(block[0], "x")
    return tags.get(block[0], "x") if tagger.tokenizer.FREQ.get(block[:end]) else None


@functools.cache
def patterns() -> tuple[tuple[str, str, str], ...]:
    """The entity patterns, (label, written form, name): places as GPE, cited sources as ORG."""
    return (*(("GPE", p.written, p.name) for p in places()),
            *(("ORG", alias, name) for alias, name in source_names().items()))


@functools.cache
def _forms(label: str | None) -> re.Pattern:
    """Any written form of a pattern with that label (any label for None), whitespace removed.

    The forms are written as a tree of their shared beginnings (中(?:国|山…)…): at each place of a text the engine
    tries one branch per next character instead of every form."""
    tree: dict = {}
    for kind, text, _ in patterns():
        if label in (None, kind):
            node = tree
            for char in _WHITESPACE.sub("", text):
                node = node.setdefault(char, {})
            node[""] = {}  # a form ends here
    return re.compile(_branches(tree) or "(?!)")


def _branches(node: dict) -> str:
    """The pattern of the forms' tree below `node`: any way on from it, or nothing when a form ends there."""
    ways = [re.escape(char) + _branches(rest) for char, rest in sorted(node.items()) if char]
    if not ways:
        return ""
    either = ways[0] if len(ways) == 1 else f"(?:{'|'.join(ways)})"
    return f"(?:{either})?" if "" in node else either


def may_name(text: str, *, label: str | None = None) -> bool:
    """False when `text` writes no form of a pattern (of `label`): then it holds no such entity, and no words
    need cutting to know it. Whitespace between words does not hide a form."""
    return bool(_forms(label).search(_WHITESPACE.sub("", text)))


@functools.cache
def pipeline():
    """spaCy's blank Chinese pipeline on `segmenter()`, with an EntityRuler of `patterns()`.

    Once built in a process, `entities` finds entities with it; ingest builds it, `shuzi check` does not."""
    import logging

    import jieba
    import spacy

    segmenter().read_all()  # ingest cuts many texts: the whole dictionary in memory beats reading it word by word
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(CACHE)  # spaCy warms jieba's default tokenizer up, though it then cuts with ours
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = segmenter()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": text, "id": name} for label, text, name in patterns()])
    return nlp


@dataclass(frozen=True)
class Entity:
    """An entity found by the rule components: span in the analysed text, label and normalized name."""

    start: int
    end: int
    text: str
    label: str
    name: str


@functools.cache
def _phrases() -> tuple[dict[tuple[str, ...], tuple[str, str]], int]:
    """Each pattern as the words the tagger cuts it into → (label, name); and the most words a pattern has."""
    found: dict[tuple[str, ...], tuple[str, str]] = {}
    for label, text, name in patterns():
        found.setdefault(tuple(w for w, _ in words(text, guess=False) if w.strip()), (label, name))
    return found, max(map(len, found), default=0)


@functools.cache
def _pattern_word() -> re.Pattern:
    """Any word of any pattern."""
    found = {word for phrase in _phrases()[0] for word in phrase}
    return re.compile("|".join(map(re.escape, sorted(found, key=len, reverse=True))))


def _pattern_cut(text: str) -> Iterator[str]:
    """The tagger's words of `text` without guesses, except that a run the tagger cuts on its own (word characters,
    or the rest between them) which writes no word of a pattern stays one token between its whitespace: no
    pattern can match within it, so it needs no cutting."""
    tagger, pattern_word = _tagger(), _pattern_word()
    for run in posseg.re_han_internal.split(text):
        if pattern_word.search(run):
            yield from (pair.word for pair in tagger.cut(run, HMM=False))
        elif run:
            yield from filter(None, _SPACED.split(run))


def spaced_words(text: str) -> tuple[list[str], list[bool]]:
    """The tokens of `text` as spaCy makes them from `_pattern_cut`'s words: a single space after a word is that
    word's trailing space; any other run of whitespace is a token of its own.

    Patterns are dictionary words, which the HMM never regroups, so the words need no guessing."""
    tokens: list[str] = []
    spaces: list[bool] = []
    pos = start = 0
    for word in _pattern_cut(text):
        start += len(word)
        if not word.strip():
            continue
        begin = start - len(word)
        if begin > pos:
            tokens.append(text[pos:begin])
            spaces.append(False)
        tokens.append(word)
        spaces.append(text[start:start + 1] == " ")
        pos = start + spaces[-1]
    if pos < len(text):
        tokens.append(text[pos:])
        spaces.append(False)
    return tokens, spaces


def _offsets(tokens: list[str], spaces: list[bool]) -> list[int]:
    """Where each token of `spaced_words` starts in its text."""
    starts, pos = [], 0
    for token, space in zip(tokens, spaces):
        starts.append(pos)
        pos += len(token) + space
    return starts


def _tokens(text: str) -> list[tuple[int, str] | None]:
    """The tokens of `spaced_words(text)` with their offsets; whitespace tokens, which no pattern spans, as None."""
    tokens, spaces = spaced_words(text)
    return [None if token.isspace() else (start, token) for start, token in zip(_offsets(tokens, spaces), tokens)]


@functools.lru_cache(maxsize=4096)
def entities(text: str) -> tuple[Entity, ...]:
    """Places (GPE) and known sources (ORG) in `text`, in order.

    spaCy's EntityRuler finds them when the pipeline is built in this process (ingest builds it), on a `Doc`
    of `spaced_words`; otherwise `match_entities`, which finds the same spans without importing spaCy (the
    check path)."""
    if not may_name(text):
        return ()
    if pipeline.cache_info().currsize:
        return _ruler_entities(text)
    return match_entities(text)


# What the EntityRuler reads in place of a token that is no token of any pattern: it matches nothing either way,
# and the vocabulary holds it already, so a text's own words cost the Doc no new lexemes.
_OTHER = "\ue000"


@functools.cache
def _ruler_tokens() -> frozenset[str]:
    """Every token of every pattern as the EntityRuler holds it (it matches tokens by their text).

    The placeholder, labels and names join the vocabulary here, once: a Doc of these tokens adds nothing to it,
    so memory stays flat over a corpus without a memory zone per text."""
    nlp = pipeline()
    nlp.vocab[_OTHER]
    for label, _, name in patterns():
        nlp.vocab.strings.add(label)
        nlp.vocab.strings.add(name)
    ruler = nlp.get_pipe("entity_ruler")
    return frozenset(t.text for docs in ruler.phrase_patterns.values() for doc in docs for t in doc)


Found = tuple[tuple[int, int, str, str], ...]  # entities of a run of pattern tokens: (first, end token, label, name)
_SEGMENTS_KEPT = 1 << 14  # runs of pattern tokens whose entities are remembered
_segments: dict[tuple[str, ...], Found] = {}  # the EntityRuler's entities of each run of pattern tokens read


def _segments_of(text: str, known: frozenset[str]) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Each run of consecutive pattern tokens of `spaced_words(text)`, as the tokens' offsets and the tokens.

    Every other token reads as `_OTHER`, which no pattern holds: no match crosses one, so the ruler finds in a
    text exactly what it finds in each run on its own. Only a single space between two runs of word characters
    is no token (it trails the word before it), so only there may a run of pattern tokens go on."""
    found: list[tuple[tuple[int, ...], tuple[str, ...]]] = []
    starts: list[int] = []
    tokens: list[str] = []
    pos = 0
    for n, piece in enumerate(posseg.re_han_internal.split(text)):
        read = _run_segments(piece, known) if n % 2 else None  # the split gives runs of word characters at odd places
        if read is not None:
            segments, opens, closes = read
            for k, (offsets, words) in enumerate(segments):
                if tokens and (k or not opens):  # a word of no pattern came between
                    found.append((tuple(starts), tuple(tokens)))
                    starts, tokens = [], []
                starts += [pos + offset for offset in offsets]
                tokens += words
            if tokens and not closes:
                found.append((tuple(starts), tuple(tokens)))
                starts, tokens = [], []
        elif tokens and piece != " ":
            found.append((tuple(starts), tuple(tokens)))
            starts, tokens = [], []
        pos += len(piece)
    if tokens:
        found.append((tuple(starts), tuple(tokens)))
    return found


RunSegments = tuple[tuple[tuple[tuple[int, ...], tuple[str, ...]], ...], bool, bool]


@functools.lru_cache(maxsize=16384)
def _run_segments(run: str, known: frozenset[str]) -> RunSegments | None:
    """The runs of consecutive pattern tokens among a run's words (offsets within it, tokens), and whether its
    first and its last word are pattern tokens; None for a run that writes no word of any pattern.

    Remembered per run: a run between marks reads the same in every sentence that writes it."""
    if not _pattern_word().search(run):
        return None
    segments, offsets, words, pos, first, last = [], [], [], 0, None, False
    for word in _run_words(run):
        last = word in known
        first = last if first is None else first
        if last:
            offsets.append(pos)
            words.append(word)
        elif words:
            segments.append((tuple(offsets), tuple(words)))
            offsets, words = [], []
        pos += len(word)
    if words:
        segments.append((tuple(offsets), tuple(words)))
    return tuple(segments), bool(first), last


_LATIN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _run_words(run: str) -> Iterator[str]:
    """The words the tagger cuts a run of word characters into without guesses (`_pattern_cut`'s), read off the
    segmenter's best cut: single letters and digits in a row make one word, as the tagger joins them."""
    ends, start, size, letters = segmenter().best_ends(run), 0, len(run), ""
    while start < size:
        end = ends[start]
        if end - start == 1 and run[start] in _LATIN_CHARACTERS:
            letters += run[start]
        else:
            if letters:
                yield letters
                letters = ""
            yield run[start:end]
        start = end
    if letters:
        yield letters


def _rule(segments: list[tuple[str, ...]]) -> list[Found]:
    """The EntityRuler's entities in each run of pattern tokens, all read in one Doc with `_OTHER` between runs."""
    from spacy.tokens import Doc

    nlp = pipeline()
    tokens: list[str] = []
    firsts: list[int] = []
    for segment in segments:
        firsts.append(len(tokens))
        tokens += [*segment, _OTHER]
    doc = Doc(nlp.vocab, words=tokens, spaces=[False] * len(tokens))
    for _, component in nlp.pipeline:
        doc = component(doc)
    found: list[list] = [[] for _ in segments]
    for e in doc.ents:
        n = bisect.bisect_right(firsts, e.start) - 1
        found[n].append((e.start - firsts[n], e.end - firsts[n], e.label_, e.ent_id_))
    return [tuple(f) for f in found]


def _ruler_entities(text: str) -> tuple[Entity, ...]:
    """`entities` by the EntityRuler: each run of pattern tokens is read by the ruler once and remembered."""
    segments = _segments_of(text, _ruler_tokens())
    read = {s: _segments[s] for _, s in segments if s in _segments}
    unread = list(dict.fromkeys(s for _, s in segments if s not in read))
    if unread:
        if len(_segments) + len(unread) > _SEGMENTS_KEPT:
            _segments.clear()
        read.update(zip(unread, _rule(unread)))
        _segments.update((s, read[s]) for s in unread)
    entities_found = []
    for starts, segment in segments:
        for i, j, label, name in read[segment]:
            start, end = starts[i], starts[j - 1] + len(segment[j - 1])
            entities_found.append(Entity(start, end, text[start:end], label, name or text[start:end]))
    return tuple(entities_found)


def match_entities(text: str) -> tuple[Entity, ...]:
    """Places (GPE) and known sources (ORG) in `text`, in order, found without spaCy.

    Matches as spaCy's EntityRuler does: whole words only, the longest match first, then the earliest,
    and none overlapping one already taken."""
    phrases, longest = _phrases()
    tokens = _tokens(text)
    matches = []
    for i in range(len(tokens)):
        for j in range(i + 1, min(i + longest, len(tokens)) + 1):
            if tokens[j - 1] is None:
                break
            hit = phrases.get(tuple(token[1] for token in tokens[i:j]))
            if hit:
                matches.append((i, j, *hit))
    matches.sort(key=lambda m: (m[0] - m[1], m[0]))
    taken: set[int] = set()
    found = []
    for i, j, label, name in matches:
        if i in taken or j - 1 in taken:
            continue
        taken.update(range(i, j))
        start, end = tokens[i][0], tokens[j - 1][0] + len(tokens[j - 1][1])
        found.append(Entity(start, end, text[start:end], label, name or text[start:end]))
    return tuple(sorted(found, key=lambda e: e.start))
