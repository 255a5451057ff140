"""`check` through the warehouse's lookup index: bounded work per claim however many reports cite a figure."""
from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from rapidfuzz import fuzz

from extractors.agreement import APPROX_SHARE, SLIP_RATIO, Found, digit_unit, figure, unit_family, year_to_judge
from extractors.verdict import LIST_MARGIN, MARGIN, OTHER_METRIC
from schemas import Claim, Evidence

from .facts import _decimal
from .lookup import (
    KIND_MISMATCH, MIN_SCORE, SUBJECT_GUESSED, Words, _characters, _similarity, inverse_frequency, metric_words,
    names_subject, rarest, terms_of, weighed,
)


class _Group(NamedTuple):
    """A group of figures as `FIGURES` and `YEARS` read it: one fact, year, value and written form of a phrasing."""

    words_id: int
    year: int | None
    fact_id: str | None
    unit: str
    qualifier: str | None
    value: str
    value_high: str | None
    raw: str
    kind: str | None
    subject: str | None
    mentions: int
    claim_id: str
    document_id: str
    page: int | None
    sentence: str


def _group(cursor: sqlite3.Cursor, row: tuple) -> _Group:
    return _Group._make(row[:15])


def _chunks(ids: list[str], size: int = 900) -> Iterator[tuple[list[str], str]]:
    """The ids in slices within SQLite's parameter limit, each with its `?, ?, …` placeholders."""
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        yield chunk, ", ".join("?" * len(chunk))


class IndexedLookup:
    """The warehouse's figures found through its lookup index, in bounded work however many reports cite them.

    Candidate phrasings are those holding one of the claim's rarest words; they are ranked on those words and
    their nearest words, the best `SCORED` are scored, and the figures of those that match are read grouped
    (one row per fact, value and written form, with how many figures state it) through a covering index.
    """

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        # Pages read through the operating system's cache without a copy each: figures are scattered over the file.
        conn.execute(f"PRAGMA mmap_size = {MAPPED}")
        self._documents: dict[str, str] = {}

    def __len__(self) -> int:
        return self._conn.execute("SELECT count(*) FROM lookup_claims").fetchone()[0]

    def prepare(self) -> IndexedLookup:
        """Nothing to prepare: the index is on disk."""
        return self

    def _counts(self, family: str, grams: set[str]) -> tuple[dict[str, tuple[int, int]], int]:
        """Sentences and figures holding each gram, and the family's sentences."""
        marks = ", ".join("?" * len(grams))
        rows = self._conn.execute(f"SELECT gram, sentences, claims FROM lookup_grams WHERE family = ?"
                                  f" AND gram IN ({marks})", [family, *grams])
        total = self._conn.execute("SELECT sentences FROM lookup_families WHERE family = ?", [family]).fetchone()
        return {gram: (n, c) for gram, n, c in rows}, (total[0] if total else 0)

    def find(self, claim: Claim, *, min_score: float = MIN_SCORE) -> list[Evidence]:
        """Figures of the claim's unit family and subject whose metric matches, best first, any year."""
        family = unit_family(claim.unit)
        query = metric_words(claim.sentence, claim.raw, claim.metric)
        wanted = terms_of(query.segments)
        if not wanted:
            return []
        counts, total = self._counts(family, wanted)
        unseen = inverse_frequency(total, 0)
        idf = {gram: inverse_frequency(total, n) for gram, (n, _) in counts.items() if n > 0}
        characters = _characters(query, lambda gram: idf.get(gram, unseen))
        known = rarest(query.grams, lambda g: counts.get(g, (0, 0))[1])
        if not known:
            return []
        postings = self._postings(family, known)
        everyone = set.intersection(*(set(found) for found in postings.values()))
        ranked = _ranked(query.nearest, postings, {gram: idf.get(gram, unseen) for gram in known})
        scores = self._score(ranked[:SCORED], characters, query.nearest, min_score)
        return self._evidence(claim, scores, everyone, min_score)

    def _postings(self, family: str, grams: list[str]) -> dict[str, dict[int, str]]:
        """The phrasings holding each gram, with their nearest words; rarest gram first, `CANDIDATES` at most."""
        found: dict[str, dict[int, str]] = {}
        seen = 0
        for gram in grams:
            if seen >= CANDIDATES:
                break
            found[gram] = dict(self._conn.execute(
                "SELECT words_id, nearest FROM lookup_postings WHERE family = ? AND gram = ? LIMIT ?",
                [family, gram, CANDIDATES]).fetchall())
            seen += len(found[gram])
        return found

    def _score(self, words_ids: list[int], characters: list, nearest: str, min_score: float) -> dict[int, float]:
        """Similarity of each candidate phrasing to the claim's words, those that reach `min_score`."""
        if not words_ids:
            return {}
        scores: dict[int, float] = {}
        rows = self._conn.execute(f"SELECT id, segments, nearest FROM lookup_words WHERE id IN"
                                  f" ({', '.join('?' * len(words_ids))})", words_ids)
        for words_id, segments, near in rows:
            score = _similarity(characters, nearest, _stored_words(segments, near))
            if score >= min_score:
                scores[words_id] = score
        return scores

    def _evidence(self, claim: Claim, scores: dict[int, float], everyone: set[int],
                  min_score: float) -> list[Evidence]:
        """The figures of the scored phrasings in the claim's year, one per fact and value with how many state it.

        For phrasings holding every rare word, other years are read too, but only what judging uses of them:
        the figures that may agree with the claim, and the best-matching figure of each year. Sentences are
        read only for the figures a verdict cites (and to see whether one names the claim's subject).
        """
        if not scores:
            return []
        ids = sorted(scores)
        if claim.year is None:
            window, bounds = _window(claim)
            rows = self._figures(ids, " AND year IS NOT NULL" + window, bounds) + self._years(claim, ids, scores)
            for year in _years_to_judge(claim, rows, scores):
                rows += self._figures(ids, " AND year IS ?", [year])
        else:
            rows = self._figures(ids, " AND year = ?", [claim.year])
            wide = [i for i in ids if i in everyone]
            if wide:
                window, bounds = _window(claim)
                rows += self._figures(wide, " AND year IS NOT NULL AND year != ?" + window, [claim.year, *bounds])
                rows += self._years(claim, wide, scores)
        facts = self._facts({row.fact_id for row in rows if row.fact_id})
        names = self._names({row.document_id for row in rows})
        explicit = names_subject(claim)
        # Whether a figure of another subject names the claim's in its sentence, read once per phrasing.
        others: dict[tuple[int, str], str] = {}
        for row in rows:
            if claim.subject and row.subject and claim.subject != row.subject:
                others.setdefault((row.words_id, row.subject), row.claim_id)
        naming = self._naming(set(others.values()), claim.subject) if others else set()
        unnamed = {key for key, claim_id in others.items() if claim_id not in naming}
        found: dict[int, list[tuple[_Group, float]]] = {}
        claim_of: dict[str, str] = {}
        for row in rows:
            score = weighed(scores[row.words_id], claim, row.kind, (row.words_id, row.subject) in unnamed, explicit)
            if score is not None and score >= min_score:
                claim_of[row.sentence] = row.claim_id
                found.setdefault(row.words_id, []).append((row, round(score, 1)))
        metric_of = {fact_id: fact[0] for fact_id, fact in facts.items()}
        merged = _merged((_listed(claim, phrasing, metric_of) for phrasing in found.values()), names)
        return Found((_evidence_of(group, facts, names[group.row.document_id]) for group in merged),
                     functools.partial(self._cite, claim_of))

    def _cite(self, claim_of: dict[str, str], evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        """The cited figures with their sentences read."""
        sentences = self._sentences({claim_of[e.sentence] for e in evidence if e.sentence in claim_of})
        return tuple(replace(e, sentence=sentences[claim_of[e.sentence]]) if e.sentence in claim_of else e
                     for e in evidence)

    def _sentences(self, claim_ids: set[str]) -> dict[str, str]:
        """The sentences of the given claims."""
        found: dict[str, str] = {}
        for chunk, marks in _chunks(sorted(claim_ids)):
            found.update(self._conn.execute(f"SELECT id, sentence FROM claims WHERE id IN ({marks})", chunk))
        return found

    def _naming(self, claim_ids: set[str], subject: str) -> set[str]:
        """Those of the given claims whose sentence names the subject."""
        found: set[str] = set()
        for chunk, marks in _chunks(sorted(claim_ids)):
            found.update(r[0] for r in self._conn.execute(
                f"SELECT id FROM claims WHERE id IN ({marks}) AND instr(sentence, ?) > 0", [*chunk, subject]))
        return found

    def _names(self, document_ids: set[str]) -> dict[str, str]:
        """Document names by id, read once per lookup."""
        for chunk, marks in _chunks(sorted(document_ids - self._documents.keys())):
            self._documents.update(self._conn.execute(f"SELECT id, name FROM documents WHERE id IN ({marks})", chunk))
        return self._documents

    def _facts(self, fact_ids: set[str]) -> dict[str, tuple[str | None, str | None, set[Decimal]]]:
        """Each fact's metric and status, and the values a later report revised."""
        found: dict[str, tuple[str | None, str | None, set[Decimal]]] = {}
        for chunk, marks in _chunks(sorted(fact_ids)):
            for fact_id, metric, status in self._conn.execute(
                    f"SELECT id, metric, status FROM facts WHERE id IN ({marks})", chunk):
                found[fact_id] = (metric, status, set())
            # A later report's revision leaves its fact revised, or in conflict when others disagree too.
            revised = [f for f in chunk if f in found and found[f][1] in ("revised", "conflict")]
            for fact_id, exact, real in self._conn.execute(
                    f"SELECT fact_id, value_exact, value FROM fact_values WHERE deprecated = 1 AND fact_id IN"
                    f" ({', '.join('?' * len(revised))})", revised) if revised else ():
                value = _decimal(exact, real)
                if value is not None and fact_id in found:
                    found[fact_id][2].add(value)
        return found

    def _groups(self, query: str, args: list) -> list[_Group]:
        """Rows of figure groups, as `_Group`s."""
        cursor = self._conn.cursor()
        cursor.row_factory = _group
        return cursor.execute(query, args).fetchall()

    def _figures(self, words_ids: list[int], where: str, args: list) -> list[_Group]:
        """The figures of the given phrasings, one row per fact, value and written form, with one sentence."""
        marks = ", ".join("?" * len(words_ids))
        return self._groups(FIGURES.format(where=f"words_id IN ({marks}){where}"), [*words_ids, *args])

    def _years(self, claim: Claim, words_ids: list[int], scores: dict[int, float]) -> list[_Group]:
        """The best-matching figure of each year but the claim's (of every year, and of none, for a claim without
        one)."""
        adjust, args = "", []
        if claim.kind:
            adjust += " * CASE WHEN lc.kind IS NOT NULL AND lc.kind != ? THEN ? ELSE 1 END"
            args += [claim.kind, KIND_MISMATCH]
        if claim.subject:
            adjust += " * CASE WHEN lc.subject IS NOT NULL AND lc.subject != ? THEN ? ELSE 1 END"
            args += [claim.subject, SUBJECT_GUESSED]
        values = ", ".join("(?, ?)" for _ in words_ids)
        marks = ", ".join("?" * len(words_ids))
        other = " AND lc.year IS NOT NULL AND lc.year != ?" if claim.year is not None else ""
        query = YEARS.format(values=values, adjust=adjust, where=f"lc.words_id IN ({marks}){other}")
        return self._groups(query, [*(x for i in words_ids for x in (i, scores[i])), *args, *words_ids,
                                    *([claim.year] if other else [])])

    __call__ = find


# Candidate phrasings: posting lists are read rarest first until this many are known (a claim of common words
# only is matched among the first this many phrasings holding its rarest word).
CANDIDATES = 5000
# Of the candidates, this many are scored in full (~60 µs each with a cold cache). At 1M claims the phrasings
# within `OTHER_METRIC` of the best number median 44 and p95 ~300 (one sentence copied with another place or
# measured word), near-ties all: with 64, 157 sampled claims got the verdicts of scoring every candidate;
# with 32 or 16, two of them changed.
SCORED = 64

# Bytes of the warehouse file read through memory mapping (SQLite caps it at 2 GB on most builds).
MAPPED = 1 << 34
SCALED = frozenset({"bytes", "flops", "bps", "watts"})
FIGURES = """
SELECT words_id, year, fact_id, unit, qualifier, value, value_high, raw, kind, subject, count(*) AS mentions,
    min(claim_id) AS claim_id, document_id, page, sentence
FROM lookup_claims WHERE {where}
GROUP BY words_id, year, fact_id, unit, qualifier, value, value_high, raw, kind, subject"""
# One figure per year: the one of the best-scoring phrasing (SQLite takes a group's other columns from the row
# holding its max()).
YEARS = """
WITH scored(id, score) AS (VALUES {values})
SELECT lc.words_id, lc.year, lc.fact_id, lc.unit, lc.qualifier, lc.value, lc.value_high, lc.raw, lc.kind,
    lc.subject, 1 AS mentions, lc.claim_id, lc.document_id, lc.page, lc.sentence, max(scored.score{adjust}) AS best
FROM lookup_claims AS lc JOIN scored ON scored.id = lc.words_id WHERE {where} GROUP BY lc.year"""


def _years_to_judge(claim: Claim, rows: list[_Group], scores: dict[int, float]) -> list[int | None]:
    """The years a claim without one may be judged in, among the figures matching within twice `MARGIN` of the
    best (subject and kind are not weighed here): the latest whose figure agrees, the latest of all, and none
    (the figures without a year) when such figures are among them."""
    top = max((scores[row.words_id] for row in rows), default=0.0)
    near = [row for row in rows if scores[row.words_id] >= top - MARGIN * 2]
    years = {row.year for row in near if row.year is not None}
    undated = [None] if any(row.year is None for row in near) else []  # judged when no year is near enough
    if not years:
        return undated
    year = year_to_judge(claim, ((row.year, figure(row.raw, Decimal(row.value), _high(row), row.qualifier or "exact",
                                                   row.unit)) for row in near))
    return [*undated, *sorted({max(years), year})]


def _high(row: _Group) -> Decimal | None:
    return Decimal(row.value_high) if row.value_high is not None else None


def _window(claim: Claim) -> tuple[str, list[float]]:
    """SQL keeping the figures of other years that may agree with the claim (what judging asks of them): within
    half the coarser last digit of the two (5% for 约), not 1000 times past a bound; bounds of the reports' own
    are left out. Families whose units scale (ZB and EB) store values in different units: only bounds are left out.
    """
    plain = " AND coalesce(qualifier, 'exact') NOT IN ('over', 'under')"
    if claim.value is None or unit_family(claim.unit) in SCALED:
        return plain, []
    low = claim.value
    high = claim.value_high if claim.value_high is not None else claim.value
    reach = digit_unit(claim.raw, claim.value) / 2
    if claim.qualifier == "approx":
        reach = max(reach, abs(claim.value) * APPROX_SHARE)
    slack = abs(high) * Decimal("1e-9")  # REAL rounding: the verdict compares exactly
    value, top = "CAST(value AS REAL)", "CAST(coalesce(value_high, value) AS REAL)"
    slipped = claim.value > 0  # a bound met only a thousand times past it is a slip, not agreement
    if claim.qualifier == "over":
        return plain + f" AND {top} >= ? - max(?, step / 2)" + (f" AND {value} < ?" if slipped else ""), [
            float(low - slack), float(reach), *([float(low * SLIP_RATIO)] if slipped else [])]
    if claim.qualifier == "under":
        return plain + f" AND {value} <= ? + max(?, step / 2)" + (f" AND {value} * ? > ?" if slipped else ""), [
            float(high + slack), float(reach), *([float(SLIP_RATIO), float(low)] if slipped else [])]
    args = [float(high + slack), float(reach)]
    return plain + f" AND {value} <= ? + max(?, step / 2) AND {top} >= ? - max(?, step / 2)", [
        *args, float(low - slack), float(reach)]


def _ranked(nearest: str, postings: dict[str, dict[int, str]], rarity: dict[str, float]) -> list[int]:
    """Candidate phrasings, likeliest first: the weight of the rare words they hold, then their nearest words'
    likeness to the claim's (which tells 数字经济规模 from 算力数字经济规模 when both hold every rare word)."""
    total = sum(rarity[gram] for gram in postings) or 1.0
    held: dict[int, float] = {}
    near: dict[int, str] = {}
    for gram, found in postings.items():
        for words_id, words in found.items():
            held[words_id] = held.get(words_id, 0.0) + rarity[gram]
            near[words_id] = words
    ranking = {i: 85.0 * weight / total + 0.15 * fuzz.ratio(nearest, near[i]) for i, weight in held.items()}
    return sorted(ranking, key=lambda i: (-ranking[i], i))


def _listed(claim: Claim, figures: list[tuple[_Group, float]],
            metric_of: dict[str, str | None]) -> list[tuple[_Group, float]]:
    """Of the figures one phrasing gives for several metrics (东部、中部…分别为41%、28%), those whose own metric is
    nearest the claim's."""
    metrics = {metric_of.get(row.fact_id) or "" for row, _ in figures}
    if len(metrics) == 1 or not claim.metric:
        return figures
    closeness = {metric: fuzz.ratio(claim.metric, metric) for metric in metrics}
    top = max(closeness.values())
    return [(row, score) for row, score in figures if closeness[metric_of.get(row.fact_id) or ""] >= top - LIST_MARGIN]


class _Merged(NamedTuple):
    """One figure across phrasings: the group read with the best score, and how many figures state it."""

    row: _Group
    score: float
    mentions: int
    value: Decimal | None
    high: Decimal | None


def _merged(phrasings: Iterable[list[tuple[_Group, float]]], names: dict[str, str]) -> list[_Merged]:
    """One figure per fact, year and written value across phrasings, best score kept, mentions added; best first.

    Figures matching more than `OTHER_METRIC` worse than the best measure something else, and are left out.
    """
    merged: dict[tuple, _Merged] = {}
    for figures in phrasings:
        for row, score in figures:
            # The written form is in the key, so the stored value texts stand for their values (one text each).
            key = (row.fact_id, row.year, row.unit, row.qualifier or "exact", row.value, row.value_high, row.raw)
            held = merged.get(key)
            if held is None:
                merged[key] = _Merged(row, score, row.mentions, None, None)
            elif score > held.score:
                merged[key] = _Merged(row, score, held.mentions + row.mentions, None, None)
            else:
                merged[key] = held._replace(mentions=held.mentions + row.mentions)
    ranked = sorted(merged.values(), key=lambda m: (-m.score, -m.mentions, names[m.row.document_id],
                                                    m.row.sentence, m.row.raw))
    return [m._replace(value=Decimal(m.row.value), high=_high(m.row)) for m in ranked
            if m.score >= ranked[0].score - OTHER_METRIC] if ranked else []


@functools.lru_cache(maxsize=1 << 14)
def _stored_words(segments: str, nearest: str) -> Words:
    """A phrasing as the index stores it, with its n-grams worked out again."""
    from .lookup_index import decode

    return Words.of(decode(segments), nearest)


def _evidence_of(group: _Merged, facts: dict[str, tuple[str | None, str | None, set[Decimal]]],
                 document: str) -> Evidence:
    """A figure read with its fact, as `check` compares it; its sentence is a key until it is cited."""
    row = group.row
    metric, status, revised = facts.get(row.fact_id, (None, None, set()))
    return Evidence(
        document=document, page=row.page, sentence=row.sentence, raw=row.raw, value=group.value,
        value_high=group.high, unit=row.unit, qualifier=row.qualifier or "exact", metric=metric,
        subject=row.subject, year=row.year, fact_id=row.fact_id, fact_status=status,
        preferred=group.value not in revised, score=group.score, mentions=group.mentions,
    )
