"""Incremental, idempotent and crash-safe ingest through the plain pipeline functions (no Prefect)."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.pipeline import ingest, plan_ingest
from warehouse import open_warehouse

ROOT = Path(__file__).resolve().parent.parent.parent
# Columns that say when or by which run a row was written: two equal warehouses may differ in them.
BOOKKEEPING = {"ingested_at", "at", "seen_at", "resolved_at", "run_id", "pipeline", "started", "finished"}


def snapshot(db_path: Path, *, bookkeeping: bool = True) -> dict[str, list[tuple]]:
    """Every table's rows, sorted; `ingest_runs` and full-text index internals left out."""
    con = sqlite3.connect(db_path)
    tables = con.execute("select name, sql from sqlite_master where type = 'table'").fetchall()
    virtual = [name for name, sql in tables if sql and sql.upper().startswith("CREATE VIRTUAL")]
    result = {}
    for (name, _) in tables:
        if name.startswith("sqlite_") or name == "ingest_runs" or any(name.startswith(v + "_") for v in virtual):
            continue
        cursor = con.execute(f'select * from "{name}"')
        keep = [i for i, d in enumerate(cursor.description) if bookkeeping or d[0] not in BOOKKEEPING]
        result[name] = sorted((tuple(row[i] for i in keep) for row in cursor), key=repr)
    con.close()
    return result


def rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db_path) as con:
        return con.execute(sql, params).fetchall()


def copy_report(corpus_dir: Path, name: str, folder: Path, new_name: str | None = None) -> Path:
    target = folder / (new_name or name)
    shutil.copyfile(corpus_dir / name, target)
    return target


def test_adding_one_report_processes_only_that_report(tmp_path, small_corpus, corpus_dir):
    db = tmp_path / "w.db"
    first = ingest([small_corpus], db)
    before = snapshot(db)
    added = copy_report(corpus_dir, "000_7e7f0bc673936097.txt", small_corpus)
    plan = plan_ingest(open_warehouse(db), [small_corpus])
    assert [path for path, _, why in plan.extract] == [str(added)] and plan.extract[0][2] == "new"
    second = ingest([small_corpus], db)
    assert (first.new, second.new, second.unchanged, second.documents) == (2, 1, 2, 1)
    after = snapshot(db)
    old_documents = [r for r in after["documents"] if r[1] != added.name]
    assert old_documents == before["documents"]
    assert rows(db, "select new, changed, unchanged, retired, failed from ingest_runs order by id") == [
        (2, 0, 0, 0, 0), (1, 0, 2, 0, 0)]


def test_ingest_without_prefect_reconciles_what_it_stored(tmp_path, small_corpus):
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    assert rows(db, "select count(*) from claims where fact_id is null") == [(0,)]
    assert rows(db, "select count(*) > 0 from facts") == [(1,)]


def test_unchanged_rerun_adds_no_rows(tmp_path, small_corpus):
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    before = snapshot(db)
    plan = plan_ingest(open_warehouse(db), [small_corpus])
    assert plan.idle and len(plan.unchanged) == 2
    summary = ingest([small_corpus], db)
    assert (summary.documents, summary.unchanged, summary.problems) == (0, 2, [])
    assert snapshot(db) == before
    assert rows(db, "select count(*), count(finished) from ingest_runs") == [(2, 2)]


def test_ingest_twice_leaves_identical_tables(tmp_path, small_corpus):
    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    once = snapshot(db)
    ingest([small_corpus], db)
    assert snapshot(db) == once
    assert len(once["ingest_errors"]) == 1 and len(once["documents"]) == 2 and once["claims"]


def test_same_content_under_two_names_is_one_document_with_two_paths(tmp_path, small_corpus, corpus_dir):
    twin = copy_report(corpus_dir, "002_767eecd6bc8a868c.txt", small_corpus, "renamed-copy.txt")
    twin.write_bytes((small_corpus / "002_767eecd6bc8a868c.txt").read_bytes())
    db = tmp_path / "w.db"
    summary = ingest([small_corpus], db)
    assert summary.documents == 2 and summary.new == 3
    paths = rows(db, "select path, document_id from document_paths order by path")
    assert len(paths) == 3 and len({document for _, document in paths}) == 2
    assert rows(db, "select count(*) from documents") == [(2,)]
    twin.unlink()
    later = ingest([small_corpus], db)
    assert later.retired == 1
    assert rows(db, "select count(*) from documents where retired_at is null") == [(2,)]


def test_replaced_file_replaces_its_claims_and_records_the_change(tmp_path, small_corpus):
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    report = small_corpus / "004_db2215ef242d37e4.txt"
    old_sha = rows(db, "select sha256 from documents where name = ?", (report.name,))[0][0]
    report.write_text("2025年，全国数据产业规模达到7.3万亿元，同比增长18.5%。\n", encoding="utf-8")
    summary = ingest([small_corpus], db)
    assert (summary.changed, summary.unchanged, summary.documents) == (1, 1, 1)
    documents = rows(db, "select sha256, replaces from documents where name = ?", (report.name,))
    assert len(documents) == 1 and documents[0][1] == old_sha and documents[0][0] != old_sha
    claims = {r[0] for r in rows(db, "select raw from claim_details where document = ?", (report.name,))}
    assert {"7.3万亿元", "18.5%"} <= claims
    assert rows(db, "select count(*) from claims where document_id = ?", (old_sha[:16],)) == [(0,)]
    assert rows(db, "select changed from ingest_runs order by id desc limit 1") == [(1,)]


def test_removed_file_is_retired_and_keeps_its_claims(tmp_path, small_corpus):
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    removed = small_corpus / "002_767eecd6bc8a868c.txt"
    kept = removed.read_bytes()
    count = rows(db, "select count(*) from claim_details where document = ?", (removed.name,))[0][0]
    removed.unlink()
    assert ingest([small_corpus], db).retired == 1
    assert rows(db, "select count(*), min(retired), max(retired) from claim_details where document = ?",
                (removed.name,)) == [(count, 1, 1)]
    assert rows(db, "select retired from ingest_runs order by id desc limit 1") == [(1,)]
    removed.write_bytes(kept)
    restored = ingest([small_corpus], db)
    assert restored.new == 1 and restored.documents == 0
    assert rows(db, "select max(retired) from claim_details where document = ?", (removed.name,)) == [(0,)]


def test_files_outside_the_given_folder_are_not_retired(tmp_path, small_corpus, corpus_dir):
    other = tmp_path / "other"
    other.mkdir()
    copy_report(corpus_dir, "001_b63f1c14d1deefda.txt", other)
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    assert ingest([other], db).retired == 0
    assert rows(db, "select count(*) from documents where retired_at is null") == [(3,)]


def test_force_reads_unchanged_files_again(tmp_path, small_corpus):
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    before = snapshot(db, bookkeeping=False)
    summary = ingest([small_corpus], db, force=True)
    assert (summary.refreshed, summary.documents) == (2, 2)
    assert snapshot(db, bookkeeping=False) == before


WRITER = """
import sys
from flows.pipeline import ingest
ingest([sys.argv[1]], sys.argv[2])
"""


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(tmp_path, many_reports):
    corpus = many_reports
    db = tmp_path / "killed.db"
    open_warehouse(db).close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(corpus), str(db)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and writer.poll() is None:
        stored = rows(db, "select count(*) from documents")[0][0]
        if stored >= 3:
            break
        time.sleep(0.02)
    assert writer.poll() is None, "the writer finished before it could be killed; give it more files"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    partial = rows(db, "select count(*) from documents")[0][0]
    assert 3 <= partial < 30
    assert rows(db, "select count(*) from ingest_runs where finished is null") == [(1,)]
    for (document_id, claims) in rows(db, "select id, claims from documents"):
        assert rows(db, "select count(*) from claims where document_id = ?", (document_id,)) == [(claims,)]
    rerun = ingest([corpus], db)
    assert rerun.unchanged + rerun.refreshed >= partial and rerun.new + rerun.unchanged + rerun.refreshed == 30
    ingest([corpus], tmp_path / "clean.db")
    assert snapshot(db, bookkeeping=False) == snapshot(tmp_path / "clean.db", bookkeeping=False)


def test_renamed_file_keeps_its_document_and_claims(tmp_path, small_corpus):
    db = tmp_path / "w.db"
    ingest([small_corpus], db)
    before = snapshot(db)["claims"]
    (small_corpus / "004_db2215ef242d37e4.txt").rename(small_corpus / "renamed.txt")
    summary = ingest([small_corpus], db)
    assert (summary.documents, summary.new, summary.retired) == (0, 1, 1)
    assert snapshot(db)["claims"] == before
    assert rows(db, "select count(*) from documents where retired_at is not null") == [(0,)]
    assert rows(db, "select path like '%renamed.txt', retired_at is null from document_paths "
                    "where document_id = (select document_id from document_paths where path like '%renamed.txt')"
                    " order by 1") == [(0, 0), (1, 1)]


def test_chunks_hold_every_file_once_in_order_and_more_workers_get_more_chunks(tmp_path, many_reports):
    from flows.pipeline import CHUNK_DOCUMENTS, MIN_CHUNK_BYTES, chunk_plan

    plan = plan_ingest(open_warehouse(tmp_path / "w.db"), [many_reports])
    one, two = chunk_plan(plan), chunk_plan(plan, workers=2)
    files = [path for path, _, _ in plan.extract]
    assert [path for chunk in one for path in chunk] == files == [path for chunk in two for path in chunk]
    assert len(two) > len(one) > 1 and all(len(chunk) <= CHUNK_DOCUMENTS for chunk in one)
    for chunk in one:  # a chunk is only over its byte target when one file alone is
        assert len(chunk) == 1 or sum(os.path.getsize(path) for path in chunk[:-1]) <= max(
            MIN_CHUNK_BYTES, sum(map(os.path.getsize, files)) // 4)


def test_small_files_are_spread_over_the_workers(tmp_path):
    from flows.pipeline import chunk_plan

    for name, figure in (("a", "59.2"), ("b", "53.9"), ("c", "50.2")):
        (tmp_path / f"{name}.txt").write_text(f"2024年，我国数字经济规模达到{figure}万亿元。\n", encoding="utf-8")
    plan = plan_ingest(open_warehouse(tmp_path / "w.db"), [tmp_path])
    assert len(chunk_plan(plan)) == 1
    assert len(chunk_plan(plan, workers=2)) >= 2 and len(chunk_plan(plan, workers=3)) == 3


def test_chunks_hold_files_removed_after_planning(tmp_path, small_corpus):
    from flows.pipeline import chunk_plan

    plan = plan_ingest(open_warehouse(tmp_path / "w.db"), [small_corpus])
    files = [path for path, _, _ in plan.extract]
    for path in files:
        os.unlink(path)
    assert [path for chunk in chunk_plan(plan) for path in chunk] == files

def test_a_batch_stores_each_good_document_and_records_the_one_that_cannot_be_saved(tmp_path, small_corpus):
    import dataclasses

    from flows.pipeline import extract_document, start_ingest, store_batch

    db = open_warehouse(tmp_path / "w.db")
    plan = plan_ingest(db, [small_corpus])
    first, second = (extract_document(path) for path, _, _ in plan.extract)
    unsavable = dataclasses.replace(second, document=dataclasses.replace(second.document, title="\ud800"))
    summary = start_ingest(db, plan)
    store_batch(db, plan, summary, [unsavable, first])
    assert (summary.documents, summary.new, len(summary.problems)) == (1, 1, 1)
    assert "could not be saved" in summary.problems[0] and second.path in summary.problems[0]
    assert rows(tmp_path / "w.db", "select path from documents") == [(first.path,)]
    assert rows(tmp_path / "w.db", "select count(*) from claims") == [(len(first.claims),)]
    assert rows(tmp_path / "w.db", "select path, stage from ingest_errors") == [(second.path, "save")]
