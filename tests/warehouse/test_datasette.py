"""Datasette opens the warehouse with its metadata (datasette's own test client)."""
from __future__ import annotations

import json

import pytest
from datasette.app import Datasette

from extractors.claims import extract_claims
from extractors.loaders import load_document
from flows.cli import METADATA
from warehouse import open_warehouse, save_document


@pytest.fixture
def warehouse_file(tmp_path, corpus_dir):
    path = tmp_path / "shuzi.db"
    db = open_warehouse(path)
    source = corpus_dir / "002_767eecd6bc8a868c.txt"
    document = load_document(str(source), source.read_bytes())
    save_document(db, document, extract_claims(document))
    db.close()
    return path


def test_datasette_serves_claim_details(warehouse_file):
    import asyncio

    async def fetch():
        ds = Datasette([str(warehouse_file)], metadata=json.loads(METADATA.read_text()), immutables=[])
        response = await ds.client.get("/shuzi/claim_details.json?_shape=array&unit=CNY&_size=5")
        return response

    response = asyncio.run(fetch())
    assert response.status_code == 200
    rows = response.json()
    assert rows and all(r["unit"] == "CNY" for r in rows)
    assert {"document", "value", "metric", "year"} <= set(rows[0])
