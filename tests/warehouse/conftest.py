"""Warehouse fixtures: the bundled reports ingested and reconciled, a small hand-made pair of reports, Datasette."""
from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from flows.pipeline import extract_document, list_documents
from schemas import Claim, Document
from warehouse import open_warehouse, save_document
from warehouse.browse import warehouse_datasette
from warehouse.facts import reconcile_warehouse


def _report(name: str, publisher: str, published: str, statements: list[tuple[str, dict]]) -> tuple[Document, list[Claim]]:
    """A report made of the given sentences, each stating one claim whose raw text it contains."""
    text = "\n".join(sentence for sentence, _ in statements)
    document = Document(name=name, path=f"/reports/{name}", sha256=hashlib.sha256(text.encode()).hexdigest(),
                        text=text, publisher=publisher, published=published)
    claims = []
    for sentence, fields in statements:
        start = text.index(sentence) + sentence.index(fields["raw"])
        claims.append(Claim(document=name, page=1, start=start, end=start + len(fields["raw"]), sentence=sentence,
                            extractor="test.v1", **fields))
    return document, claims


TWO_REPORTS = [
    _report("a.txt", "中国信息通信研究院", "2025年7月", [
        ("2024年，我国数字经济规模达到59.2万亿元。",
         dict(raw="59.2万亿元", value=Decimal("59.2e12"), unit="CNY", metric="数字经济规模", subject="中国",
              year=2024, period="2024年")),
        ("2023年，我国数字经济规模达到53.9万亿元。",
         dict(raw="53.9万亿元", value=Decimal("53.9e12"), unit="CNY", metric="数字经济规模", subject="中国",
              year=2023, period="2023年")),
        ("据工业和信息化部数据，2024年我国5G基站达到425.1万个。",
         dict(raw="425.1万个", value=Decimal("4251000"), unit="个", metric="5G基站数量", subject="中国",
              year=2024, period="2024年", source="工业和信息化部")),
    ]),
    _report("b.txt", "数字经济研究所", "2025年3月", [
        ("2024年，我国数字经济规模为58.1万亿元，同比增长7.6%。",
         dict(raw="58.1万亿元", value=Decimal("58.1e12"), unit="CNY", metric="数字经济规模", subject="中国",
              year=2024, period="2024年")),
    ]),
]


@pytest.fixture(scope="session")
def two_reports() -> list[tuple[Document, list[Claim]]]:
    """Two hand-made reports: a.txt and b.txt state different 2024 digital-economy sizes; a.txt cites 工信部."""
    return TWO_REPORTS


@pytest.fixture(scope="session")
def corpus_warehouse(tmp_path_factory, corpus_dir) -> Path:
    """The bundled reports, extracted and reconciled into a warehouse file named like the real one."""
    path = tmp_path_factory.mktemp("corpus") / "shuzi.db"
    db = open_warehouse(path)
    for result in map(extract_document, list_documents([corpus_dir])):
        save_document(db, result.document, list(result.claims))
    reconcile_warehouse(db)
    db.close()
    return path


@pytest.fixture(scope="session")
def two_reports_warehouse(tmp_path_factory) -> Path:
    """Two hand-made reports that disagree on the 2024 digital-economy size, reconciled."""
    path = tmp_path_factory.mktemp("two") / "shuzi.db"
    db = open_warehouse(path)
    for document, claims in TWO_REPORTS:
        save_document(db, document, claims)
    reconcile_warehouse(db)
    db.close()
    return path


@pytest.fixture(scope="session")
def fetch():
    """GET a path from Datasette serving a warehouse file, with Datasette's own client."""

    def get(db_path: Path, path: str, **params):
        async def run():
            return await warehouse_datasette(db_path).client.get(path, params=params or None)

        return asyncio.run(run())

    return get


@pytest.fixture
def copy_warehouse(tmp_path):
    """A function copying a warehouse file (a consistent snapshot, WAL included) to a name under tmp_path."""
    def copy(source: Path, name: str) -> Path:
        target = tmp_path / name
        with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
            reading.backup(writing)
        return target
    return copy
