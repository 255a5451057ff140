"""Chinese full-text search: the trigram index stays in step with claims, short words fall back to LIKE."""
from __future__ import annotations

import shutil

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse import open_warehouse, save_document
from warehouse.search import ensure_search, search_claims, search_sql, search_words


@pytest.mark.parametrize(("query", "expected"), [
    ("数字经济规模", ["数字经济规模"]),
    ("数字经济 增长", ["数字经济", "增长"]),
    ("数字经济\u3000增长", ["数字经济", "增长"]),
    ('"数字经济"  GDP ', ["数字经济", "GDP"]),
    ("   ", []),
])
def test_search_words(query, expected):
    assert search_words(query) == expected


@pytest.mark.parametrize(("query", "uses_index", "uses_like"), [
    ("数字经济规模", True, False),
    ("增长", False, True),
    ("数字经济 增长", True, True),
    ("", False, False),
])
def test_three_characters_use_the_index_shorter_words_like(query, uses_index, uses_like):
    where, _ = search_sql(query)
    assert ("claims_fts MATCH" in where) is uses_index
    assert ("LIKE" in where) is uses_like


@pytest.fixture
def warehouse(tmp_path, corpus_warehouse):
    path = tmp_path / "shuzi.db"
    shutil.copy(corpus_warehouse, path)
    db = open_warehouse(path)
    yield db
    db.close()


def indexed_ids(db, phrase: str) -> set[str]:
    return {row["id"] for row in db.query(
        "SELECT claims.id FROM claims JOIN claims_fts ON claims_fts.rowid = claims.rowid"
        " WHERE claims_fts MATCH ?", [f'"{phrase}"'])}


def containing_ids(db, phrase: str) -> set[str]:
    return {row["id"] for row in db.query(
        "SELECT id FROM claims WHERE sentence LIKE ? OR metric LIKE ? OR subject LIKE ? OR source LIKE ?",
        [f"%{phrase}%"] * 4)}


@pytest.mark.parametrize(("query", "raw"), [
    ("数字经济规模", "59.2万亿元"),
    ("增长", "9.69%"),
    ("数字经济 同比名义增长", "9.69%"),
    ("占GDP比重", "43.8%"),
])
def test_search_claims_finds_the_headline_figures(warehouse, query, raw):
    found = search_claims(warehouse, query, limit=1000)
    assert raw in {row["raw"] for row in found}
    for row in found:
        text = " ".join(row[c] or "" for c in ("sentence", "metric", "subject", "source"))
        assert all(word.lower() in text.lower() for word in search_words(query))


def test_search_claims_finds_nothing_for_absent_words(warehouse):
    assert search_claims(warehouse, "量子引力 卫星") == []


def test_index_follows_replaced_and_new_documents(warehouse, two_reports):
    before = indexed_ids(warehouse, "数字经济规模")
    assert before == containing_ids(warehouse, "数字经济规模")
    for document, claims in two_reports:
        save_document(warehouse, document, claims)
    document, claims = two_reports[1]
    save_document(warehouse, document, claims)  # the same report again replaces its rows
    after = indexed_ids(warehouse, "数字经济规模")
    assert after == containing_ids(warehouse, "数字经济规模")
    assert len(after) == len(before) + 3
    warehouse.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)")


def test_index_follows_edited_and_deleted_claims(warehouse):
    claim_id = next(iter(indexed_ids(warehouse, "数字经济规模")))
    with warehouse.conn:
        warehouse.execute("UPDATE claims SET sentence = '人工智能核心产业规模', metric = '人工智能核心产业规模'"
                          " WHERE id = ?", [claim_id])
    assert claim_id not in indexed_ids(warehouse, "数字经济规模")
    assert claim_id in indexed_ids(warehouse, "人工智能核心产业")
    with warehouse.conn:
        warehouse.execute("DELETE FROM claims WHERE id = ?", [claim_id])
    assert claim_id not in indexed_ids(warehouse, "人工智能核心产业")
    warehouse.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)")


def test_ensure_search_rebuilds_a_missing_index_and_is_safe_to_rerun(warehouse):
    expected = containing_ids(warehouse, "数字经济规模")
    warehouse.execute("DROP TABLE claims_fts")
    ensure_search(warehouse)
    ensure_search(warehouse)
    assert indexed_ids(warehouse, "数字经济规模") == expected
    assert len([t for t in warehouse.triggers if t.name.startswith("claims_fts_")]) == 3


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_search_never_raises(corpus_warehouse, query):
    db = sqlite_utils.Database(corpus_warehouse)
    try:
        search_claims(db, query, limit=5)
    finally:
        db.close()
