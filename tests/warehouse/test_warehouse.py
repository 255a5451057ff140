"""The warehouse writer: WAL, one transaction per document, readers that never see an error mid-ingest."""
from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from schemas import Claim, Document, IngestProblem
from warehouse import open_warehouse, save_document, save_problem
from warehouse.browse import DATABASE, warehouse_datasette

ROOT = Path(__file__).resolve().parent.parent.parent
TEXT = "2024年，我国数字经济规模达到59.2万亿元。"


def claim(raw: str, value: object) -> Claim:
    start = TEXT.index(raw)
    return Claim(document="a.txt", page=None, start=start, end=start + len(raw), sentence=TEXT, raw=raw,
                 value=value, unit="CNY", extractor="test.v1")


def document(text: str = TEXT) -> Document:
    return Document(name="a.txt", path="/reports/a.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)


def test_warehouse_is_in_wal_mode(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_document_is_saved_whole_or_not_at_all(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    broken = [claim("59.2万亿元", Decimal("59.2e12")), claim("2024", None)]
    with pytest.raises(TypeError):
        save_document(db, document(), broken)
    for table in ("documents", "claims", "pages", "document_paths"):
        assert db.execute(f"select count(*) from {table}").fetchone() == (0,), table
    save_document(db, document(), broken[:1])
    assert db.execute("select count(*) from claim_details where retired = 0").fetchone() == (1,)


def test_the_same_failure_is_recorded_once(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    problem = IngestProblem("/c/x.pdf", "read", "EncryptedPDF", "/c/x.pdf: is encrypted and needs a password")
    for pipeline in ("p1", "p2"):
        save_problem(db, problem, sha256="ab" * 32, pipeline=pipeline)
    assert db.execute("select count(*), max(pipeline) from ingest_errors").fetchone() == (1, "p2")
    save_problem(db, problem, sha256="cd" * 32, pipeline="p2")
    assert db.execute("select count(*) from ingest_errors").fetchone() == (2,)


def test_storing_a_file_resolves_its_earlier_errors(tmp_path):
    db = open_warehouse(tmp_path / "w.db")
    save_problem(db, IngestProblem("/reports/a.txt", "read", "EmptyDocument", "/reports/a.txt: is empty"))
    save_document(db, document(), [claim("59.2万亿元", Decimal("59.2e12"))])
    assert db.execute("select resolved_at is not null from ingest_errors").fetchone() == (1,)


WRITER = """
import sys
from flows.pipeline import ingest
ingest([sys.argv[1]], sys.argv[2])
"""


@pytest.mark.slow
def test_datasette_reader_sees_no_error_during_an_ingest(tmp_path, many_reports):
    db = tmp_path / "shuzi.db"
    open_warehouse(db).close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(many_reports), str(db)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    counts: list[int] = []

    async def read_while_writing() -> None:
        ds = warehouse_datasette(db)
        deadline = time.monotonic() + 300
        while writer.poll() is None and time.monotonic() < deadline:
            page = await ds.client.get(f"/{DATABASE}/claim_details.json?_shape=array&_size=20&unit=CNY")
            assert page.status_code == 200, page.text
            count = await ds.client.get(f"/{DATABASE}.json", params={
                "sql": "select count(*) as n from claims join documents on documents.id = claims.document_id",
                "_shape": "array"})
            assert count.status_code == 200, count.text
            counts.append(count.json()[0]["n"])
            await asyncio.sleep(0.01)

    asyncio.run(read_while_writing())
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    assert len(set(counts)) > 2, "the reader should have seen the warehouse grow"
    assert counts == sorted(counts)
    final = sqlite3.connect(db).execute("select count(*) from claims").fetchone()[0]
    assert counts[-1] <= final
