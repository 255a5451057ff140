"""Chinese words and entities: jieba with the domain dictionary, and spaCy rule components on top."""
from __future__ import annotations

import csv
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import jieba
import jieba.posseg

from .registry import register

NAME = register("nlp.v1")
DATA = Path(__file__).resolve().parent / "data"
CACHE = Path(__file__).resolve().parent.parent / ".cache"
PROVINCE_SUFFIX = "省"
CITY_SUFFIX = "市"


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
def source_names() -> dict[str, str]:
    """Alias → full name of sources the text cites (中国信通院 → 中国信息通信研究院)."""
    return {row[0]: row[1] for row in _rows(DATA / "sources.tsv")}


@functools.cache
def segmenter() -> jieba.Tokenizer:
    """The jieba tokenizer, loaded once with the domain terms, the gazetteer and the source names."""
    CACHE.mkdir(exist_ok=True)
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(CACHE)
    jieba.dt.load_userdict(str(DATA / "terms.txt"))
    for place in places():
        jieba.dt.add_word(place.written, 20000, "ns")
    for alias in source_names():
        jieba.dt.add_word(alias, 20000, "nt")
    return jieba.dt


@functools.lru_cache(maxsize=16384)
def words(text: str, *, guess: bool = True) -> tuple[tuple[str, str], ...]:
    """Words of `text` with their part-of-speech flags (n, v, d, m, ns, nt, …).

    `guess=False` skips jieba's HMM for words outside the dictionaries: faster, for callers that only
    need the known words (verbs, places)."""
    segmenter()
    return tuple((pair.word, pair.flag) for pair in jieba.posseg.cut(text, HMM=guess))


@functools.cache
def pipeline():
    """spaCy's blank Chinese pipeline on the jieba segmenter, with an EntityRuler for places and sources."""
    import spacy

    segmenter()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler")
    patterns = [{"label": "GPE", "pattern": p.written, "id": p.name} for p in places()]
    patterns += [{"label": "ORG", "pattern": alias, "id": name} for alias, name in source_names().items()]
    ruler.add_patterns(patterns)
    return nlp


@dataclass(frozen=True)
class Entity:
    """An entity found by the rule components: span in the analysed text, label and normalized name."""

    start: int
    end: int
    text: str
    label: str
    name: str


@functools.lru_cache(maxsize=4096)
def entities(text: str) -> tuple[Entity, ...]:
    """Places (GPE) and known sources (ORG) in `text`, in order."""
    doc = pipeline()(text)
    return tuple(Entity(e.start_char, e.end_char, e.text, e.label_, e.ent_id_ or e.text) for e in doc.ents)
