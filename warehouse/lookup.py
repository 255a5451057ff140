"""Read side of `check`: the reports' figures that may state the same thing as a checked claim."""
from __future__ import annotations

import functools
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from extractors import resources as r
from extractors.errors import ShuziError
from extractors.agreement import unit_family
from schemas import Claim, Evidence

from .facts import _decimal

if TYPE_CHECKING:
    from .indexed_lookup import IndexedLookup

# A figure counts as the same metric from this similarity on (0..100), and a claim's nearest words
# weigh more than words further back in its sentence.
MIN_SCORE = 55.0
CLAUSE_WEIGHTS = (1.0, 0.75, 0.6, 0.5)
KIND_MISMATCH = 0.85
# Only figures sharing one of the checked claim's rarest words are scored.
RAREST = 3
# A checked text that names no subject gets the extractor's guess (中国); a figure about another subject
# may still be the one meant.
SUBJECT_GUESSED = 0.9
_HOME = re.compile(r"我国|全国|中国|国内")

_CLAUSE = re.compile(r"[，,；;：:（）()“”\"]")
_YEAR = re.compile(r"(?:截至|截止|到)?(?:19|20)\d{2}\s*(?:[-—~至到]\s*(?:19|20)?\d{2,4}\s*)?年(?:底|末|初|上半年|下半年|全年)?")
_MONTH = re.compile(r"(?:前|1-|１-)?\d{1,2}\s*(?:个)?月(?:份|底|末|初)?|[一二三四1-4]季度|[上下]半年")
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[\s，,。：:；;、“”\"'‘’《》（）()\[\]【】*#<>/·…—~～-]+")
_ASIDE = re.compile(r"（[^（）]*）|\([^()]*\)")
_FOOTNOTE = re.compile(r"\^\[\d+\]|\[\d+\]|<sup>\d+</sup>")
_SYNONYMS = (
    (re.compile(r"增长率|增速|增幅|增长"), "增长"),
    (re.compile(r"比上年|较上年|比去年|较去年"), "同比"),
    (re.compile(r"占比"), "比重"),
    (re.compile(r"总量|总规模|总额"), "规模"),
)
# Verbs, fillers and the nation itself: words that say nothing about what is measured.
_FILLER = re.compile(
    r"我国|全国|中国|国内|名义|的|稳步|持续|进一步|已经|已|累计|总计|共计|分别|其中|大约|约为|约|将近|接近|近"
    r"|提升至|提高至|增长至|增加至|增加到|上升至|扩大至|增至|达到了|达到|高达|达|为|是|突破|超过|超|逾|实现|完成"
    r"|预计|有望|将|全年|当年|同期|左右|以上|多|余|了|较"
)


def _drop_figure(match: re.Match) -> str:
    """A figure gives way to a space; digits that are part of a name (5G, 3D) stay."""
    text, start, end = match.string, match.start(), match.end()
    glued = (start and text[start - 1].isascii() and text[start - 1].isalpha()) or (
        not match.group("unit") and end < len(text) and text[end].isascii() and text[end].isalpha())
    return match.group() if glued else " "


@functools.lru_cache(maxsize=1 << 16)
def metric_key(text: str) -> str:
    """A phrase reduced to the words that name what it measures: 我国数字经济规模达到 → 数字经济规模."""
    text = _FOOTNOTE.sub("", text)
    text = _YEAR.sub(" ", text)
    text = _MONTH.sub(" ", text)
    text = r.QUANTITY.sub(_drop_figure, text)
    text = _PUNCT.sub(" ", text)
    for pattern, word in _SYNONYMS:
        text = pattern.sub(word, text)
    text = _FILLER.sub("", text)
    return _SPACES.sub(" ", text).strip()


def names_subject(claim: Claim) -> bool:
    """Whether the claim's sentence writes its subject out, rather than leaving it to be guessed."""
    if not claim.subject:
        return False
    if claim.subject == "中国":
        return bool(_HOME.search(claim.sentence))
    return claim.subject in claim.sentence


@functools.lru_cache(maxsize=1 << 16)
def _grams(text: str) -> frozenset[str]:
    """Character bigrams and trigrams: 数字产业化 and 产业数字化 share bigrams but not trigrams."""
    grams: set[str] = set()
    for piece in text.split():
        for size in (2, 3):
            grams.update(piece[i:i + size] for i in range(len(piece) - size + 1))
        if len(piece) == 1:
            grams.add(piece)
    return frozenset(grams)


def grams_of(segments: Iterable[tuple[str, float]]) -> set[str]:
    """The n-grams of a phrasing's key phrases."""
    return {gram for key, _ in segments for gram in _grams(key)}


def terms_of(segments: Iterable[tuple[str, float]], *, grams: set[str] | None = None) -> set[str]:
    """What a phrasing adds to its sentence's words, whose rarity is counted: its n-grams (`grams_of`, when not
    given) and its characters."""
    segments = tuple(segments)
    return (grams_of(segments) if grams is None else grams) | {
        char for key, _ in segments for char in key if not char.isspace()}


def posted_grams(grams: Iterable[str]) -> set[str]:
    """The grams posting lists are kept for: those of one and two characters."""
    return {gram for gram in grams if len(gram) <= 2}


def inverse_frequency(sentences: int, holding: int) -> float:
    """A word's rarity among `sentences` sentences of which `holding` hold it; one none hold is the rarest."""
    return math.log((sentences + 1) / (holding + 1)) + 1


def rarest(grams: dict[str, float], holding: Callable[[str], int]) -> list[str]:
    """The `RAREST` posted grams of a claim's near clauses that some figure holds, fewest figures first."""
    return sorted((g for g, w in grams.items() if len(g) <= 2 and w >= CLAUSE_WEIGHTS[1] and holding(g) > 0),
                  key=holding)[:RAREST]



def weighed(score: float, claim: Claim, kind: str | None, unnamed: bool, explicit: bool) -> float | None:
    """A figure's metric score with the claim's subject and kind weighed in. `unnamed`: the figure is of another
    subject and its sentence does not name the claim's; then it is left out (None) when the claim names its own."""
    if unnamed:
        if explicit:
            return None
        score *= SUBJECT_GUESSED
    if claim.kind and kind and claim.kind != kind:
        score *= KIND_MISMATCH
    return score

@dataclass(frozen=True)
class Words:
    """What a figure's sentence says it measures: key phrases by closeness, their n-grams, the nearest phrase."""

    segments: tuple[tuple[str, float], ...]
    grams: dict[str, float]
    nearest: str

    @classmethod
    def of(cls, segments: Iterable[tuple[str, float]], nearest: str) -> Words:
        """Key phrases and their weights, each n-gram weighing as the heaviest phrase that holds it."""
        segments = tuple(segments)
        grams: dict[str, float] = {}
        for key, weight in segments:
            for gram in _grams(key):
                grams[gram] = max(grams.get(gram, 0.0), weight)
        return cls(segments, grams, nearest)


def metric_phrasing(sentence: str, raw: str, *metrics: str | None) -> tuple[tuple[tuple[str, float], ...], str]:
    """The key phrases naming what a figure in a sentence measures, nearest clause first, with their weights (a
    stored metric counts fully), and the nearest phrase."""
    at = sentence.find(raw)
    before = _ASIDE.sub("", sentence[:at] if at >= 0 else sentence)
    keys: list[str] = []
    for clause in reversed(_CLAUSE.split(before)):
        key = metric_key(clause)
        if key:
            keys.append(key)
            if len(keys) == len(CLAUSE_WEIGHTS):
                break
    segments: dict[str, float] = dict(zip(reversed(keys), reversed(CLAUSE_WEIGHTS[:len(keys)])))
    nearest = keys[0] if keys else ""
    for metric in metrics:
        key = metric_key(metric) if metric else ""
        if key:
            segments[key] = 1.0
            nearest = key
    return tuple(segments.items()), nearest


def metric_words(sentence: str, raw: str, *metrics: str | None) -> Words:
    """The words naming what a figure in a sentence measures, nearest clause first; a stored metric counts fully."""
    return Words.of(*metric_phrasing(sentence, raw, *metrics))


def _characters(words: Words, rarity: Callable[[str], float]) -> list[tuple[float, tuple[str, ...], tuple[str, ...]]]:
    """Every character of the key phrases with its weight and the bigrams and trigrams around it.

    A character weighs by its own rarity and that of its rarest bigram: 低空 is rare, and so is the
    junction 率较 of two common words, which the character's own rarity tempers.
    """
    found = []
    for key, weight in words.segments:
        for piece in key.split():
            if len(piece) == 1:
                found.append((weight * rarity(piece), (piece,), (piece,)))
                continue
            for i in range(len(piece)):
                bigrams = tuple(piece[j:j + 2] for j in (i - 1, i) if j >= 0 and j + 2 <= len(piece))
                trigrams = tuple(piece[j:j + 3] for j in (i - 2, i - 1, i) if j >= 0 and j + 3 <= len(piece))
                rare = math.sqrt(rarity(piece[i]) * min(rarity(b) for b in bigrams))
                found.append((weight * rare, bigrams, trigrams or bigrams))
    return found


def similarity(query: Words, target: Words, rarity: Callable[[str], float] = lambda gram: 1.0) -> float:
    """How well a figure's words cover the checked claim's words, 0..100; ties broken by rapidfuzz.

    A character counts as covered when a bigram (half) and a trigram (half) around it occur near the
    figure; characters weigh by the rarity of their words in the warehouse, so an unknown 低空 weighs
    more than a common 经济, and 数字产业化 is told from 产业数字化.
    """
    return _similarity(_characters(query, rarity), query.nearest, target)


_NONE = (0.0, 0.0, 0.0)  # the weight of a gram the figure lacks, for each of a character's (at most 3) grams


def _similarity(characters: list, nearest: str, target: Words) -> float:
    total = covered = 0.0
    weight_of = target.grams.get
    for weight, bigrams, trigrams in characters:
        total += weight
        two = max(map(weight_of, bigrams, _NONE))
        if two:
            covered += weight * (two + max(map(weight_of, trigrams, _NONE))) / 2
    if not total:
        return 0.0
    return 85.0 * covered / total + 0.15 * fuzz.ratio(nearest, target.nearest)


@dataclass(frozen=True)
class _Entry:
    evidence: Evidence
    kind: str | None
    words: Words


@dataclass(frozen=True)
class _Row:
    """A figure as read, before its words are worked out."""

    evidence: Evidence
    kind: str | None
    metrics: tuple[str | None, ...]


@dataclass
class _Family:
    """The figures of one unit family, with an index from words to figures and the words' rarity."""

    entries: list[_Entry]
    postings: dict[str, list[int]]
    idf: dict[str, float]
    unseen: float

    @classmethod
    def build(cls, rows: list[_Row]) -> _Family:
        entries, postings, sentences = [], {}, {}
        for row in rows:
            words = metric_words(row.evidence.sentence or "", row.evidence.raw, *row.metrics)
            for gram in posted_grams(words.grams):
                postings.setdefault(gram, []).append(len(entries))
            entries.append(_Entry(row.evidence, row.kind, words))
            sentences.setdefault(row.evidence.sentence, set()).update(terms_of(words.segments))
        frequency = Counter(gram for grams in sentences.values() for gram in grams)
        idf = {gram: inverse_frequency(len(sentences), n) for gram, n in frequency.items()}
        return cls(entries, postings, idf, inverse_frequency(len(sentences), 0))

    def rarity(self, gram: str) -> float:
        """Inverse sentence frequency of a word among the family's figures; unknown words are the rarest."""
        return self.idf.get(gram, self.unseen)


class Lookup:
    """The warehouse's figures held in memory by unit family; a family is indexed the first time it is asked for."""

    def __init__(self, rows: list[_Row]):
        self._rows: dict[str | None, list[_Row]] = {}
        for row in rows:
            self._rows.setdefault(unit_family(row.evidence.unit), []).append(row)
        self._families: dict[str | None, _Family] = {}

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def prepare(self) -> Lookup:
        """Index every unit family now rather than at its first claim: for a long run of checks."""
        for name in self._rows:
            self.family(name)
        return self

    def family(self, name: str | None) -> _Family:
        """The indexed figures of one unit family."""
        if name not in self._families:
            self._families[name] = _Family.build(self._rows.get(name, []))
        return self._families[name]

    def _candidates(self, family: _Family, query: Words, year: int | None) -> set[int]:
        """Figures worth scoring: those sharing one of the query's rarest words in the claim's year (any
        year when it has none), and those sharing all of them in other years."""
        postings = family.postings
        known = rarest(query.grams, lambda g: len(postings.get(g, ())))
        if not known:
            return set()
        lists = [set(postings[gram]) for gram in known]
        anyone = set().union(*lists)
        if year is None:
            return anyone
        return {i for i in anyone if family.entries[i].evidence.year == year} | set.intersection(*lists)

    def find(self, claim: Claim, *, min_score: float = MIN_SCORE) -> list[Evidence]:
        """Figures of the claim's unit family and subject whose metric matches, best first, any year."""
        family = self.family(unit_family(claim.unit))
        query = metric_words(claim.sentence, claim.raw, claim.metric)
        characters = _characters(query, family.rarity)
        explicit = names_subject(claim)
        found: list[Evidence] = []
        for index in self._candidates(family, query, claim.year):
            entry = family.entries[index]
            e = entry.evidence
            unnamed = bool(claim.subject and e.subject and claim.subject != e.subject
                           and claim.subject not in e.sentence)
            score = weighed(_similarity(characters, query.nearest, entry.words), claim, entry.kind, unnamed, explicit)
            if score is not None and score >= min_score:
                found.append(replace(e, score=round(score, 1)))
        found.sort(key=lambda e: -e.score)
        return found

    __call__ = find


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def _facts(conn: sqlite3.Connection) -> tuple[dict[str, sqlite3.Row], set[tuple[str, Decimal]]]:
    """Reconciled facts by id, and the (fact, value) pairs a later report revised."""
    tables = _tables(conn)
    if "facts" not in tables:
        return {}, set()
    facts = {row["id"]: row for row in conn.execute("SELECT * FROM facts")}
    deprecated: set[tuple[str, Decimal]] = set()
    if "fact_values" in tables:
        for row in conn.execute("SELECT * FROM fact_values WHERE deprecated = 1"):
            value = _decimal(row["value_exact"], row["value"])
            if value is not None:
                deprecated.add((row["fact_id"], value))
    return facts, deprecated


def load_lookup(conn: sqlite3.Connection) -> Lookup:
    """Read every figure of the warehouse once, with its fact when the warehouse has been reconciled."""
    conn.row_factory = sqlite3.Row
    facts, deprecated = _facts(conn)
    rows = conn.execute(
        "SELECT cd.*, c.value_exact, c.value_high_exact FROM claim_details cd JOIN claims c ON c.id = cd.claim_id"
    )
    found: list[_Row] = []
    for row in rows:
        value = _decimal(row["value_exact"], row["value"])
        if value is None or not row["unit"]:
            continue
        fact = facts.get(row["fact_id"]) if row["fact_id"] else None
        metric = fact["metric"] if fact is not None and fact["metric"] else row["metric"]
        evidence = Evidence(
            document=row["document"], page=row["page"], sentence=row["sentence"], raw=row["raw"], value=value,
            value_high=_decimal(row["value_high_exact"], row["value_high"]), unit=row["unit"],
            qualifier=row["qualifier"] or "exact", metric=metric,
            subject=(fact["subject"] if fact is not None and fact["subject"] else row["subject"]),
            year=(fact["year"] if fact is not None and fact["year"] is not None else row["year"]),
            fact_id=row["fact_id"], fact_status=fact["status"] if fact is not None else None,
            preferred=(row["fact_id"], value) not in deprecated,
        )
        found.append(_Row(evidence, row["kind"], (row["metric"], fact["metric"] if fact is not None else None)))
    return Lookup(found)


def _indexed(conn: sqlite3.Connection) -> bool:
    """Whether the warehouse has a lookup index of this code's shape that covers every stored document."""
    from .lookup_index import TABLES, current_shape, stale_documents

    if not {*TABLES, "facts", "fact_values"} <= _tables(conn) or not current_shape(conn):
        return False
    changed, gone = stale_documents(conn)
    return not changed and not gone


class NotAWarehouse(ShuziError):
    """The file to check against is missing or holds no claims."""

    stage = "read"


def open_lookup(path: str | Path) -> Lookup | IndexedLookup:
    """Open a warehouse file read-only: through its lookup index, else with every figure loaded in memory."""
    path = Path(path)
    if not path.is_file():
        raise NotAWarehouse(str(path), f"does not exist; build it with `shuzi ingest --db {path}`")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if "claim_details" not in _tables(conn):
            conn.close()
            raise NotAWarehouse(str(path), f"is not a shuzi warehouse (no claim_details); rebuild it with "
                                f"`shuzi ingest --db {path}`")
        if _indexed(conn):
            from .indexed_lookup import IndexedLookup

            return IndexedLookup(conn)
        lookup = load_lookup(conn)
        conn.close()
        return lookup
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise NotAWarehouse(str(path), f"cannot be read as a warehouse ({exc}); rebuild it with "
                            f"`shuzi ingest --db {path}`") from exc
