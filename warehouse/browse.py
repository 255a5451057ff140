"""Datasette on the warehouse: read-only, published as `/shuzi` whatever the file is called, with the metadata."""
from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

from datasette.app import Datasette
from datasette.database import Database

METADATA = Path(__file__).resolve().parent / "metadata.json"
DATABASE = "shuzi"
SETTINGS = {"suggest_facets": False}


def warehouse_datasette(db_path: str | Path, *, metadata: str | Path = METADATA) -> Datasette:
    """A Datasette app over the warehouse file, named after the metadata's database so its descriptions apply."""
    # The facets are chosen in the metadata; suggesting more costs seconds a page on a large warehouse.
    ds = Datasette([], metadata=json.loads(Path(metadata).read_text(encoding="utf-8")), settings=SETTINGS)
    # Mutable, not immutable: Datasette then reads with mode=ro and sees re-ingests as they land, while an
    # immutable file would ignore the write-ahead log. Nothing in Datasette 0.65 writes without a write query.
    ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name=DATABASE)
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    return ds


class PortInUse(Exception):
    """Datasette cannot listen where it was asked to; the message says what to do."""


def check_port(host: str, port: int) -> None:
    """Raise PortInUse unless Datasette could listen on host:port."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortInUse(f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port or --host") from None


def serve_warehouse(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the warehouse with Datasette until interrupted."""
    import uvicorn

    ds = warehouse_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
