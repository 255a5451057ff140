"""Chinese full-text search over claims: a trigram FTS5 index, and a LIKE scan for words under three characters.

SQLite's default tokenizer sees a run of Chinese characters as one word, so it matches nothing inside a
sentence. The trigram tokenizer indexes every three-character window, which lets Datasette's own `_search`
(and any MATCH) find a phrase of three or more characters anywhere; shorter words (增长, 规模) have no
trigram, so they are found with LIKE on the claims table instead.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

SEARCHED_COLUMNS = ("sentence", "metric", "subject", "source")
MIN_INDEXED_CHARS = 3
_SEPARATORS = re.compile(r"[\s\u3000\x00-\x1f\x7f]+")

_COLUMNS = ", ".join(SEARCHED_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in SEARCHED_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in SEARCHED_COLUMNS)

# Datasette finds the index of `claims` by the literal `content="claims"` in this statement.
CLAIMS_FTS = f"""CREATE VIRTUAL TABLE claims_fts USING fts5(
    {_COLUMNS},
    tokenize='trigram',
    content="claims"
)"""

CLAIMS_FTS_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts (rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});
END""",
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, {_COLUMNS}) VALUES ('delete', old.rowid, {_OLD});
END""",
    f"""CREATE TRIGGER IF NOT EXISTS claims_fts_update AFTER UPDATE OF {_COLUMNS} ON claims BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, {_COLUMNS}) VALUES ('delete', old.rowid, {_OLD});
    INSERT INTO claims_fts (rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});
END""",
)


def ensure_search(db: sqlite_utils.Database) -> None:
    """Create the claims search index and the triggers that keep it current; safe to run again."""
    # INSERT OR REPLACE deletes the old row without firing delete triggers unless this is on.
    db.execute("PRAGMA recursive_triggers = ON")
    existing = db.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()
    if existing and existing[0] == CLAIMS_FTS:
        for trigger in CLAIMS_FTS_TRIGGERS:
            db.execute(trigger)
        return
    with db.conn:
        for name in ("claims_fts_insert", "claims_fts_delete", "claims_fts_update"):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute("DROP TABLE IF EXISTS claims_fts")
        db.execute(CLAIMS_FTS)
        for trigger in CLAIMS_FTS_TRIGGERS:
            db.execute(trigger)
        db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")


def rebuild_search(db: sqlite_utils.Database) -> None:
    """Re-index every claim, e.g. after rows were written with triggers disabled."""
    with db.conn:
        db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")


def search_words(query: str) -> list[str]:
    """The words of a query: split on spaces (ASCII or ideographic) and control characters, quotes dropped."""
    return [word for word in _SEPARATORS.split(query.replace('"', " ")) if word]


def search_sql(query: str) -> tuple[str, dict[str, str]]:
    """A WHERE clause over `claims` that every word of the query must satisfy, with its parameters."""
    clauses, params = [], {}
    for i, word in enumerate(search_words(query)):
        key = f"w{i}"
        if len(word) >= MIN_INDEXED_CHARS:
            params[key] = f'"{word}"'
            clauses.append(f"claims.rowid IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :{key})")
        else:
            params[key] = f"%{_escape_like(word)}%"
            clauses.append("(" + " OR ".join(
                f"claims.{column} LIKE :{key} ESCAPE '\\'" for column in SEARCHED_COLUMNS) + ")")
    return (" AND ".join(clauses) or "0"), params


def search_claims(db: sqlite_utils.Database, query: str, *, limit: int = 100) -> list[dict]:
    """Claims (as `claim_details` rows) whose sentence, metric, subject or source contain every query word."""
    where, params = search_sql(query)
    sql = (
        "SELECT claim_details.* FROM claim_details JOIN claims ON claims.id = claim_details.claim_id "
        f"WHERE {where} ORDER BY claim_details.document, claim_details.start LIMIT {int(limit)}"
    )
    return [dict(row) for row in db.query(sql, params)]


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
