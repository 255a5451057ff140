"""The index `check` reads instead of every claim: figures' metric words, their n-grams and how rare each is.

A figure's words (`metric_words` of its sentence and metrics) are stored once per distinct phrasing in
`lookup_words`; `lookup_postings` lists the phrasings holding each one- and two-character gram, with each
phrasing's nearest words so candidates can be ranked before they are scored, and `lookup_grams` counts, per
unit family, the sentences holding each gram (its rarity) and the figures holding it (the length of its
posting list). `lookup_claims` ties every figure to its phrasing, year and fact and repeats what judging it
needs (value, unit, qualifier, written form and its last digit, kind, subject, page), so that an index on them answers "which figures,
how many of each, under these phrasings" without reading the claims. `lookup_meta` holds the shape's version:
an index of another version is rebuilt, and `check` does not use it meanwhile.
The reconciler keeps it current for the documents it touched; written with sqlite3 only.
"""
from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections import Counter, defaultdict
from decimal import Decimal
from collections.abc import Iterable, Iterator

from extractors.agreement import digit_unit, unit_family

from .lookup import grams_of, posted_grams, terms_of

VERSION = "4"
SHAPE = (
    "CREATE TABLE IF NOT EXISTS lookup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lookup_words (id INTEGER PRIMARY KEY, family TEXT NOT NULL,"
    " segments TEXT NOT NULL, nearest TEXT NOT NULL, UNIQUE (family, segments, nearest))",
    "CREATE TABLE IF NOT EXISTS lookup_postings (family TEXT NOT NULL, gram TEXT NOT NULL, words_id INTEGER NOT NULL,"
    " nearest TEXT NOT NULL, PRIMARY KEY (family, gram, words_id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS lookup_grams (family TEXT NOT NULL, gram TEXT NOT NULL, sentences INTEGER NOT NULL,"
    " claims INTEGER NOT NULL, PRIMARY KEY (family, gram)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS lookup_families (family TEXT PRIMARY KEY, sentences INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lookup_claims (claim_id TEXT PRIMARY KEY, document_id TEXT NOT NULL,"
    " family TEXT NOT NULL, year INTEGER, words_id INTEGER NOT NULL, fact_id TEXT, sentence TEXT NOT NULL,"
    " subject TEXT, unit TEXT NOT NULL, qualifier TEXT, kind TEXT, value TEXT NOT NULL, value_high TEXT,"
    " raw TEXT NOT NULL, page INTEGER, step REAL)",
    # Covers the figures of a phrasing in a year, grouped as `check` compares them.
    "CREATE INDEX IF NOT EXISTS idx_lookup_claims_figures ON lookup_claims"
    " (words_id, year, fact_id, unit, qualifier, value, value_high, raw, kind, subject, claim_id, document_id, page,"
    " sentence, step)",
    "CREATE INDEX IF NOT EXISTS idx_lookup_claims_document ON lookup_claims (document_id)",
    "CREATE TABLE IF NOT EXISTS lookup_documents (document_id TEXT PRIMARY KEY, ingested_at TEXT)",
)
TABLES = ("lookup_meta", "lookup_words", "lookup_postings", "lookup_grams", "lookup_families", "lookup_claims",
          "lookup_documents")


def encode(segments: Iterable[tuple[str, float]]) -> str:
    """A phrasing's key phrases and their weights as one text."""
    return "\n".join(f"{key}\t{weight!r}" for key, weight in segments)


def decode(text: str) -> tuple[tuple[str, float], ...]:
    """The key phrases and weights `encode` wrote."""
    return tuple((key, float(weight)) for key, _, weight in (line.rpartition("\t") for line in text.split("\n") if line))


class _Counts:
    """Changes to the gram and family counts, written at once."""

    def __init__(self) -> None:
        self.sentences: dict[str, Counter[str]] = defaultdict(Counter)  # per family, sentences holding each gram
        self.claims: dict[str, Counter[str]] = defaultdict(Counter)  # per family, figures posted under each gram
        self.families: dict[str, int] = defaultdict(int)

    def add(self, family: str, sentences: Counter[frozenset[str]], posted: Counter[str], sign: int) -> None:
        """Count (sign 1) or uncount (-1) a family's sentences (how many hold each set of grams) and its figures'
        posted grams."""
        held, claims = self.sentences[family], self.claims[family]
        for grams, n in sentences.items():
            self.families[family] += sign * n
            if sign * n == 1:
                held.update(grams)
            else:
                for gram in grams:
                    held[gram] += sign * n
        for gram, n in posted.items():
            claims[gram] += sign * n

    def _changes(self) -> Iterator[tuple[str, str, int, int]]:
        for family in sorted(self.sentences):
            held, claims = self.sentences[family], self.claims[family]
            for gram in sorted(held.keys() | claims.keys()):
                sentences, figures = held.get(gram, 0), claims.get(gram, 0)
                if sentences or figures:
                    yield family, gram, sentences, figures

    def write(self, conn: sqlite3.Connection) -> None:
        """Apply the changes."""
        conn.executemany(
            "INSERT INTO lookup_grams VALUES (?, ?, ?, ?) ON CONFLICT (family, gram) DO UPDATE SET"
            " sentences = sentences + excluded.sentences, claims = claims + excluded.claims", self._changes())
        conn.executemany(
            "INSERT INTO lookup_families VALUES (?, ?) ON CONFLICT (family) DO UPDATE SET"
            " sentences = sentences + excluded.sentences", [(f, n) for f, n in self.families.items() if n])


class _Tally:
    """What a set of figures adds to the counts: per family, each sentence's grams, and the figures of each
    phrasing (whose posted grams each figure adds)."""

    def __init__(self) -> None:
        self.sentences: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
        self.phrasings: dict[str, Counter[int]] = defaultdict(Counter)
        self._posted: dict[int, frozenset[str]] = {}

    def add(self, family: str, sentence: str, words_id: int, terms: frozenset[str], posted: frozenset[str]) -> None:
        """One figure of a sentence, stated in a phrasing with these terms and posted grams."""
        held = self.sentences[family].get(sentence)
        if held is None:
            self.sentences[family][sentence] = terms
        elif held is not terms and not terms <= held:
            self.sentences[family][sentence] = held | terms
        self.phrasings[family][words_id] += 1
        self._posted[words_id] = posted

    def count(self, counts: _Counts, sign: int) -> None:
        """Count (sign 1) or uncount (-1) it all; sentences of the same words are counted together."""
        for family, sentences in self.sentences.items():
            posted: Counter[str] = Counter()
            for words_id, figures in self.phrasings[family].items():
                for gram in self._posted[words_id]:
                    posted[gram] += figures
            counts.add(family, Counter(sentences.values()), posted, sign)


def _forget(conn: sqlite3.Connection, document_ids: list[str], counts: _Counts) -> None:
    """Uncount and drop the indexed figures of the given documents."""
    words: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
    for document_id in document_ids:
        tally = _Tally()
        rows = conn.execute(
            "SELECT lookup_claims.family, lookup_claims.sentence, lookup_claims.words_id, lookup_words.segments"
            " FROM lookup_claims JOIN lookup_words ON lookup_words.id = lookup_claims.words_id"
            " WHERE lookup_claims.document_id = ?", [document_id]).fetchall()
        for family, sentence, words_id, segments in rows:
            if words_id not in words:
                words[words_id] = _terms(decode(segments))
            tally.add(family, sentence, words_id, *words[words_id])
        tally.count(counts, -1)
        conn.execute("DELETE FROM lookup_claims WHERE document_id = ?", [document_id])
        conn.execute("DELETE FROM lookup_documents WHERE document_id = ?", [document_id])


def _terms(segments: tuple[tuple[str, float], ...]) -> tuple[frozenset[str], frozenset[str]]:
    """A phrasing's terms (counted per sentence) and posted grams (counted per figure)."""
    grams = grams_of(segments)
    return frozenset(terms_of(segments, grams=grams)), frozenset(posted_grams(grams))


def _exact(exact: str | None, real: float | None) -> str | None:
    """A value's exact digits, else its REAL written out."""
    if exact not in (None, ""):
        return exact
    return repr(real) if real is not None else None


@functools.lru_cache(maxsize=1 << 14)
def _step(raw: str, exact: str | None, value: float) -> float:
    """The size of the figure's last written digit, in the unit its value is stored in (59.2万亿元 → 1e11)."""
    return float(digit_unit(raw, Decimal(_exact(exact, value))))


class _Phrasings:
    """The ids of phrasings in lookup_words; new ones get the next ids in order of first sight, written at once."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._ids: dict[tuple[str, tuple[tuple[str, float], ...], str], tuple[int, frozenset, frozenset]] = {}
        self._new: list[tuple[int, str, str, str, frozenset[str]]] = []
        self._last = conn.execute("SELECT max(id) FROM lookup_words").fetchone()[0]
        self._empty = self._last is None

    def get(self, family: str, segments: tuple[tuple[str, float], ...],
            nearest: str) -> tuple[int, frozenset[str], frozenset[str]]:
        """A phrasing's id, terms and posted grams."""
        key = (family, segments, nearest)
        found = self._ids.get(key)
        if found is None:
            encoded = encode(segments)
            row = None if self._empty else self._conn.execute(
                "SELECT id FROM lookup_words WHERE family = ? AND segments = ? AND nearest = ?",
                [family, encoded, nearest]).fetchone()
            terms, posted = _terms(segments)
            if row is None:
                self._last = (self._last or 0) + 1
                row = (self._last,)
                self._new.append((self._last, family, encoded, nearest, posted))
            found = self._ids[key] = (row[0], terms, posted)
        return found

    def write(self) -> None:
        """Store the new phrasings and their postings."""
        self._conn.executemany("INSERT INTO lookup_words (id, family, segments, nearest) VALUES (?, ?, ?, ?)",
                               [new[:4] for new in self._new])
        self._conn.executemany("INSERT OR IGNORE INTO lookup_postings VALUES (?, ?, ?, ?)",
                               [(family, gram, words_id, nearest) for words_id, family, _, nearest, posted in self._new
                                for gram in sorted(posted)])
        self._new.clear()


def _learn(conn: sqlite3.Connection, document_ids: list[str], counts: _Counts) -> None:
    """Index and count the figures of the given documents."""
    from .lookup import metric_phrasing

    phrasings, tally, rows = _Phrasings(conn), _Tally(), []
    keys: dict[tuple[str, str], str] = {}
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start:start + 500]
        cursor = conn.execute(
            "SELECT claims.id, claims.document_id, claims.sentence, claims.raw, claims.unit, claims.metric,"
            " claims.year, claims.fact_id, facts.metric, facts.year, coalesce(facts.subject, claims.subject),"
            " claims.qualifier, claims.kind, claims.value_exact, claims.value, claims.value_high_exact,"
            " claims.value_high, claims.page FROM claims LEFT JOIN facts ON facts.id = claims.fact_id"
            " WHERE claims.value IS NOT NULL AND claims.unit IS NOT NULL"
            f" AND claims.unit != '' AND claims.document_id IN ({', '.join('?' * len(chunk))})", chunk)
        for (claim_id, document_id, sentence, raw, unit, metric, year, fact_id, fact_metric, fact_year, subject,
             qualifier, kind, exact, value, high_exact, high, page) in cursor:
            family = unit_family(unit)
            words_id, terms, posted = phrasings.get(family, *metric_phrasing(sentence or "", raw or "", metric,
                                                                              fact_metric))
            sentence_key = keys.get((document_id, sentence))
            if sentence_key is None:
                sentence_key = keys[(document_id, sentence)] = hashlib.sha1(
                    f"{document_id}\x1f{sentence}".encode("utf-8")).hexdigest()[:16]
            rows.append((claim_id, document_id, family, fact_year if fact_year is not None else year,
                         words_id, fact_id, sentence_key, subject, unit, qualifier or "exact", kind,
                         _exact(exact, value), _exact(high_exact, high), raw or "", page,
                         _step(raw or "", exact, value)))
            tally.add(family, sentence_key, words_id, terms, posted)
    phrasings.write()
    tally.count(counts, 1)
    conn.executemany("INSERT OR REPLACE INTO lookup_claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     rows)
    conn.executemany(
        "INSERT OR REPLACE INTO lookup_documents SELECT id, ingested_at FROM documents WHERE id = ?",
        [(d,) for d in document_ids])


def current_shape(conn: sqlite3.Connection) -> bool:
    """Whether the warehouse's lookup index has this code's shape."""
    try:
        row = conn.execute("SELECT value FROM lookup_meta WHERE key = 'version'").fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None and row[0] == VERSION


def stale_documents(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """Documents to (re)index, those stored since or changed; and indexed documents that are gone."""
    changed = [r[0] for r in conn.execute(
        "SELECT documents.id FROM documents LEFT JOIN lookup_documents ON lookup_documents.document_id = documents.id"
        " WHERE lookup_documents.ingested_at IS NOT documents.ingested_at ORDER BY documents.id")]
    gone = [r[0] for r in conn.execute(
        "SELECT document_id FROM lookup_documents WHERE document_id NOT IN (SELECT id FROM documents)")]
    return changed, gone


def refresh_lookup_index(conn: sqlite3.Connection, claim_ids: Iterable[str] | None = None) -> int:
    """Bring the index up to date: new, changed and deleted documents, and those whose figures' facts changed.

    Without claim ids the whole index is rebuilt; returns the number of documents (re)indexed.
    """
    with conn:
        if claim_ids is None or not current_shape(conn):
            claim_ids = None
            for table in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in SHAPE:
            conn.execute(statement)
        conn.execute("INSERT OR REPLACE INTO lookup_meta VALUES ('version', ?)", [VERSION])
        changed, gone = stale_documents(conn)
        if claim_ids is not None:
            refacted = _refacted(conn, claim_ids)
            changed = sorted(set(changed) | refacted)
        counts = _Counts()
        _forget(conn, [*gone, *changed], counts)
        _learn(conn, changed, counts)
        counts.write(conn)
    return len(changed)


def _refacted(conn: sqlite3.Connection, claim_ids: Iterable[str]) -> set[str]:
    """Documents of the given claims whose fact, or its metric or year, is not the one the index holds."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS lookup_check (claim_id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.lookup_check")
    conn.executemany("INSERT OR IGNORE INTO temp.lookup_check VALUES (?)", [(c,) for c in claim_ids])
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT lookup_claims.document_id FROM temp.lookup_check"
        " JOIN lookup_claims ON lookup_claims.claim_id = lookup_check.claim_id"
        " JOIN claims ON claims.id = lookup_check.claim_id WHERE claims.fact_id IS NOT lookup_claims.fact_id")}
