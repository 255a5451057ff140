"""The bad-input battery: every input is made here; each failure is one named line and one `ingest_errors` row."""
from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.claims import extract_claims
from extractors.errors import ShuziError
from extractors.loaders import decode_text, load_document
from extractors.numbers import extract_quantities
from extractors.text import normalize_text
from flows.pipeline import MAX_TEXT_BYTES, extract_document, ingest, list_documents, plan_ingest, run_plan
from schemas import Document
from warehouse import open_warehouse

REPORT = "2024年，我国数字经济规模达到59.2万亿元，同比名义增长9.69%，占GDP比重达到44.0%。"


def make_pdf(lines: list[str], *, password: str | None = None, text_layer: bool = True) -> bytes:
    """A one-page PDF in the STSong-Light CID font; without a text layer it holds only a grey picture."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    encrypt = pdfencrypt.StandardEncryption(password, ownerPassword=password + "-owner") if password else None
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    if text_layer:
        pdf.setFont("STSong-Light", 11)
        for row, line in enumerate(lines):
            pdf.drawString(60, 780 - 18 * row, line)
    else:
        pdf.setFillGray(0.4)
        pdf.rect(60, 300, 470, 480, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _stored_zip() -> bytes:
    """An uncompressed archive: the report's bytes are in it, wrapped in binary headers."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("report.txt", REPORT * 50)
    return buffer.getvalue()


def _truncated_pdf() -> bytes:
    whole = make_pdf([REPORT] * 20)
    return whole[: len(whole) // 2]


# (file name, bytes, error class, words the message must hold to say what to do)
FAILURES = [
    ("corrupt.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 12, "UnreadableDocument", "re-export"),
    ("truncated.pdf", _truncated_pdf, "UnreadableDocument", "re-export"),
    ("encrypted.pdf", lambda: make_pdf([REPORT], password="secret"), "EncryptedPDF", "password"),
    ("renamed-text.pdf", lambda: REPORT.encode("utf-8"), "UnreadableDocument", "not a PDF"),
    ("scanned.pdf", lambda: make_pdf([], text_layer=False), "ScannedPDF", "OCR"),
    ("empty.txt", lambda: b"", "EmptyDocument", "remove it"),
    ("empty.pdf", lambda: b"", "EmptyDocument", "remove it"),
    ("junk.txt", lambda: bytes((i * 7919 + 13) % 256 for i in range(8192)), "UnreadableDocument", "binary data"),
    ("archive.txt", _stored_zip, "UnreadableDocument", "binary data"),
    ("blank.md", lambda: "\n \n\u3000\n".encode("utf-8"), "EmptyDocument", "no text"),
    ("report.docx", lambda: REPORT.encode("utf-8"), "UnsupportedFormat", ".pdf, .txt and .md"),
]

ENCODINGS = ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"]


@pytest.fixture
def report_text(corpus_dir) -> str:
    """The opening of a real report, as its author's editor would export it."""
    return (corpus_dir / "002_767eecd6bc8a868c.txt").read_text(encoding="utf-8")[:5000]


@pytest.mark.parametrize("name, make, error, advice", FAILURES, ids=[case[0] for case in FAILURES])
def test_bad_file_becomes_a_named_problem(tmp_path, name, make, error, advice):
    path = tmp_path / name
    path.write_bytes(make())
    result = extract_document(path)
    assert result.document is None and result.problem is not None
    assert result.problem.error == error
    assert result.problem.stage == "read"
    assert result.problem.message.startswith(f"{path}: ")
    assert advice in result.problem.message and "\n" not in result.problem.message


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_chinese_encodings_are_detected_and_their_claims_extracted(tmp_path, report_text, encoding):
    data = report_text.encode(encoding, errors="ignore")
    expected = data.decode(encoding.replace("-sig", "") if encoding != "utf-8-sig" else "utf-8-sig")
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(data)
    result = extract_document(path)
    assert result.problem is None
    reference = extract_claims(load_document("reference.txt", expected.encode("utf-8")))
    assert [(c.raw, c.value, c.unit) for c in result.claims] == [(c.raw, c.value, c.unit) for c in reference]
    assert any(c.raw == "59.2万亿元" and c.value == Decimal("59200000000000") for c in result.claims)


@pytest.mark.parametrize("data, expected", [
    ("数字经济规模".encode("utf-8")[:-1], "数字经济规"),
    ("数字经济".encode("gbk"), "数字经济"),
    ("數位經濟規模達到新台幣".encode("big5"), "數位經濟規模達到新台幣"),
    ((REPORT * 40).encode("utf-8") + b"\x80" + (REPORT * 40).encode("utf-8"), REPORT * 40 + "\ufffd" + REPORT * 40),
    ("\ufeff" + REPORT, REPORT),
    (REPORT.encode("utf-16-be"), REPORT),
])
def test_decode_text(data, expected):
    assert decode_text("a.txt", data.encode("utf-8") if isinstance(data, str) else data) == expected


def test_text_without_numbers_is_a_document_without_claims(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("数字经济是继农业经济、工业经济之后的主要经济形态。\n数据成为关键生产要素。\n", encoding="utf-8")
    result = extract_document(path)
    assert result.problem is None and result.document is not None and result.claims == ()


def test_hundred_megabyte_text_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.txt"
    block = (REPORT + "\n").encode("utf-8") * (2**20 // len(REPORT.encode("utf-8")))
    with path.open("wb") as handle:
        while handle.tell() < 100 * 2**20:
            handle.write(block)
    tracemalloc.start()
    try:
        summary = ingest([path], tmp_path / "w.db")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20 < MAX_TEXT_BYTES
    assert len(summary.problems) == 1 and "split it" in summary.problems[0] and str(path) in summary.problems[0]
    row = sqlite3.connect(tmp_path / "w.db").execute("select error, stage, path from ingest_errors").fetchone()
    assert row == ("DocumentTooLarge", "read", str(path))


def test_file_removed_between_listing_and_reading(tmp_path, small_corpus):
    db = open_warehouse(tmp_path / "w.db")
    plan = plan_ingest(db, [small_corpus])
    gone = small_corpus / "002_767eecd6bc8a868c.txt"
    gone.unlink()
    summary = run_plan(db, plan)
    assert summary.documents == 1
    assert summary.problems == [f"{gone}: disappeared before it could be read; check the corpus folder"]
    assert db.execute("select path, stage, error from ingest_errors").fetchall() == [
        (str(gone), "read", "FileNotFoundError")]
    assert [p.name for p in list_documents([small_corpus])] == ["004_db2215ef242d37e4.txt"]


def test_file_name_that_is_not_utf8_is_named_and_skipped(tmp_path, small_corpus):
    odd = os.path.join(os.fsencode(small_corpus), b"\xff\xfe-report.txt")
    Path(os.fsdecode(odd)).write_text(REPORT, encoding="utf-8")
    summary = ingest([small_corpus], tmp_path / "w.db")
    assert summary.documents == 2
    assert summary.problems == [f"{small_corpus}/\\xff\\xfe-report.txt: has a file name that is not UTF-8; rename it"]
    row = sqlite3.connect(tmp_path / "w.db").execute("select path, error from ingest_errors").fetchone()
    assert row == (f"{small_corpus}/\\xff\\xfe-report.txt", "UnreadableFileName")


def test_battery_goes_on_and_every_failure_is_a_row(tmp_path, small_corpus):
    for name, make, _, _ in FAILURES:
        (small_corpus / name).write_bytes(make())
    (small_corpus / "report-gbk.txt").write_bytes(REPORT.encode("gbk"))
    summary = ingest([small_corpus], tmp_path / "w.db")
    failing = {name for name, _, _, _ in FAILURES if name.endswith((".pdf", ".txt", ".md"))}
    assert summary.documents == 3
    assert len(summary.problems) == len(failing)
    con = sqlite3.connect(tmp_path / "w.db")
    rows = con.execute("select path, stage, error, message, at, run_id from ingest_errors").fetchall()
    assert {Path(r[0]).name for r in rows} == failing
    assert all(r[1] == "read" and r[2] and r[3].startswith(r[0]) and r[4] and r[5] == summary.run_id for r in rows)
    stored = {r[0] for r in con.execute("select name from documents")}
    assert stored == {"002_767eecd6bc8a868c.txt", "004_db2215ef242d37e4.txt", "report-gbk.txt"}
    run = con.execute("select new, failed, finished from ingest_runs").fetchone()
    assert run[:2] == (3, len(failing)) and run[2]


# Inputs that once crashed an extractor.
CRASHED = ["", "%", "万亿元", "1.", "．", "59.2万亿", "第", "\u3000", "１２３４５６７８９０" * 40, "9" * 400, "2024年\n\n\n"]


@pytest.mark.parametrize("text", CRASHED)
def test_inputs_that_once_crashed(text):
    _check_extractors(text)


def _check_extractors(text: str) -> None:
    normalized = normalize_text(text).text
    for quantity in extract_quantities(normalized):
        assert normalized[quantity.start:quantity.end] == quantity.raw
    document = Document(name="x.txt", path="x.txt", sha256="0" * 64, text=normalized)
    for claim in extract_claims(document):
        assert normalized[claim.start:claim.end] == claim.raw


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%％万亿千百十元美人年月增长约超过近达到为占比—～-至\n 。，、（）一二三四五六七八九零两半倍")) | st.characters(),
               max_size=300))
def test_extractors_accept_any_string_and_spans_hold(text):
    _check_extractors(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.pdf", "a.bin"]))
def test_loading_any_bytes_fails_only_with_a_named_error(data, name):
    try:
        load_document(name, data)
    except ShuziError as exc:
        assert str(exc).startswith(f"{name}: ")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decoding_any_bytes_gives_text_or_a_named_error(data):
    try:
        assert isinstance(decode_text("a.txt", data), str)
    except ShuziError as exc:
        assert "re-export it" in str(exc) or "remove it" in str(exc)


def _shuzi(*args: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "flows.cli", "ingest", *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent, env=env)


@pytest.mark.slow
def test_shuzi_ingest_prints_one_line_per_bad_file(tmp_path, small_corpus):
    for name, make, _, _ in FAILURES:
        (small_corpus / name).write_bytes(make())
    db = tmp_path / "w.db"
    first = _shuzi(small_corpus, "--db", db)
    failing = sorted(name for name, _, _, _ in FAILURES if name.endswith((".pdf", ".txt", ".md")))
    for run in (first, _shuzi(small_corpus, "--db", db)):
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stdout + run.stderr
        lines = [line for line in run.stderr.splitlines() if not line.startswith("warning: Prefect")]
        assert sorted(Path(line.split(": ")[1]).name for line in lines) == failing
        assert all(line.startswith(f"error: {small_corpus}") for line in lines)
    assert "2 documents" in first.stdout and "new 2" in first.stdout
    con = sqlite3.connect(db)
    runs = con.execute("select pipeline, failed from ingest_runs where finished is not null").fetchall()
    assert [failed for _, failed in runs] == [len(failing)] * 2
    if runs[0][0] == runs[1][0]:  # same extractor code: the known failures were not read again
        assert con.execute("select count(*) from ingest_errors").fetchone() == (len(failing),)


@pytest.mark.parametrize("problem, args", [
    ("missing folder", lambda tmp: [tmp / "nowhere"]),
    ("empty folder", lambda tmp: [tmp / "empty"]),
])
def test_shuzi_ingest_without_reports_says_so(tmp_path, problem, args):
    (tmp_path / "empty").mkdir()
    run = _shuzi(*args(tmp_path), "--db", tmp_path / "w.db")
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1 and "check the path" in run.stderr
    assert "Traceback" not in run.stderr


def test_shuzi_ingest_into_a_broken_warehouse_is_one_line(tmp_path, small_corpus):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    run = _shuzi(small_corpus, "--db", broken)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and str(broken) in run.stderr and "--db" in run.stderr
    assert "Traceback" not in run.stderr
