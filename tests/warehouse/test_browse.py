"""Datasette over the warehouse: published as /shuzi, read-only, and `shuzi serve` without Prefect."""
from __future__ import annotations

import asyncio
import shutil
import socket
import sqlite3
import subprocess
import sys

import pytest

from flows.cli import main
from warehouse.browse import PortInUse, check_port, warehouse_datasette


def test_any_file_is_published_as_shuzi(tmp_path, corpus_warehouse):
    other = tmp_path / "elsewhere.db"
    shutil.copy(corpus_warehouse, other)
    ds = warehouse_datasette(other)
    assert [name for name in ds.databases if name != "_internal"] == ["shuzi"]
    response = asyncio.run(ds.client.get("/shuzi/claims.json?_search=数字经济规模&_shape=array"))
    assert response.status_code == 200 and response.json()


def test_the_warehouse_cannot_be_written_through_datasette(corpus_warehouse):
    database = warehouse_datasette(corpus_warehouse).get_database("shuzi")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(database.execute("DELETE FROM claims"))
    assert asyncio.run(database.execute("SELECT count(*) FROM claims")).first()[0] > 0


def test_a_busy_port_is_refused_in_one_line(capsys, corpus_warehouse):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(PortInUse, match=f"127.0.0.1:{port}"):
            check_port("127.0.0.1", port)
        assert main(["serve", "--db", str(corpus_warehouse), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot listen") and "--port" in err


def test_a_missing_warehouse_is_refused_in_one_line(capsys, tmp_path):
    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'none.db'} does not exist; run `shuzi ingest` first\n"


def test_serving_never_imports_prefect(corpus_warehouse):
    code = (
        "import asyncio, sys\n"
        "from flows.cli import build_parser\n"
        "from warehouse.browse import warehouse_datasette\n"
        "build_parser()\n"
        f"ds = warehouse_datasette({str(corpus_warehouse)!r})\n"
        "assert asyncio.run(ds.client.get('/shuzi/check_figure.json?metric=x&year=')).status_code == 200\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
