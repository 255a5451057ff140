"""The Datasette metadata describes the warehouse as it really is: every table, view and column, and no more."""
from __future__ import annotations

import json

import pytest

from warehouse import open_warehouse
from warehouse.browse import DATABASE, METADATA
from warehouse.facts import reconcile_warehouse

FTS_SHADOWS = ("data", "idx", "docsize", "config", "content")


@pytest.fixture(scope="module")
def metadata() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def described(metadata) -> dict:
    return metadata["databases"][DATABASE]["tables"]


@pytest.fixture(scope="module")
def shape(tmp_path_factory) -> dict[str, list[str]]:
    """Every table and view of a freshly created, reconciled warehouse with its columns, FTS internals left out."""
    db = open_warehouse(tmp_path_factory.mktemp("shape") / "shuzi.db")
    reconcile_warehouse(db)
    virtual = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    shadows = {f"{name}_{suffix}" for name in virtual for suffix in FTS_SHADOWS}
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    found = {name: [row[1] for row in db.execute(f'PRAGMA table_info("{name}")')]
             for name in names if name not in shadows}
    db.close()
    return found


def test_the_warehouse_has_the_tables_people_browse(shape):
    assert {"documents", "claims", "claim_details", "claims_fts", "facts", "fact_values", "metric_series",
            "ingest_runs"} <= set(shape)


def test_every_table_and_view_has_a_description(shape, described):
    missing = [t for t in shape if not (described.get(t, {}).get("description")
                                        or described.get(t, {}).get("description_html"))]
    assert not missing, f"describe these in warehouse/metadata.json: {missing}"


def test_every_column_has_a_description(shape, described):
    missing = [f"{t}.{c}" for t, columns in shape.items() for c in columns
               if not described.get(t, {}).get("columns", {}).get(c)]
    assert not missing, f"describe these columns in warehouse/metadata.json: {missing}"


def test_no_description_of_a_table_or_column_that_does_not_exist(shape, described):
    stale = [t for t in described if t not in shape]
    stale += [f"{t}.{c}" for t, meta in described.items() if t in shape
              for c in meta.get("columns", {}) if c not in shape[t]]
    assert not stale, f"remove or rename in warehouse/metadata.json: {stale}"


def test_facets_sorts_and_labels_name_real_columns(shape, described):
    wrong = []
    for table, meta in described.items():
        named = list(meta.get("facets", []))
        named += [meta[key] for key in ("sort", "sort_desc", "label_column") if key in meta]
        wrong += [f"{table}.{column}" for column in named if column not in shape.get(table, [])]
    assert not wrong


def test_claims_facet_by_unit_year_kind_source_and_document(described):
    assert {"unit", "year", "kind", "source", "document"} <= set(described["claim_details"]["facets"])
    assert {"status", "unit", "year"} <= set(described["facts"]["facets"])


@pytest.mark.parametrize("key", ["title", "source", "license", "license_url"])
def test_instance_metadata(metadata, key):
    assert metadata[key]


def test_instance_has_a_description(metadata):
    assert metadata.get("description") or metadata.get("description_html")


@pytest.mark.parametrize("name", ["check_figure", "metric_time_series", "conflicts_and_revisions",
                                  "claims_by_source", "search_claims"])
def test_canned_query_is_titled_described_and_valid_sql(metadata, tmp_path, name):
    query = metadata["databases"][DATABASE]["queries"][name]
    assert query["title"] and (query.get("description") or query.get("description_html"))
    db = open_warehouse(tmp_path / "shuzi.db")
    reconcile_warehouse(db)
    db.execute("EXPLAIN " + query["sql"], {param: "" for param in query["params"]})
