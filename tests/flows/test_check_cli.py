"""`shuzi check` from the command line: verdict lines, JSON, articles, errors, and no Prefect on the way."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from flows.pipeline import extract_document
from warehouse import open_warehouse, save_document
from warehouse.facts import reconcile_warehouse

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ("002_767eecd6bc8a868c.txt", "004_db2215ef242d37e4.txt")


@pytest.fixture(scope="module")
def db(tmp_path_factory, corpus_dir) -> Path:
    """Two bundled reports (2024 and 2021 figures), extracted and reconciled in-process."""
    path = tmp_path_factory.mktemp("check") / "shuzi.db"
    warehouse = open_warehouse(path)
    for name in REPORTS:
        result = extract_document(corpus_dir / name)
        save_document(warehouse, result.document, list(result.claims))
    reconcile_warehouse(warehouse)
    warehouse.close()
    return path


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_of_a_true_figure(db, capsys):
    code, out, _ = check(capsys, "2024年我国数字经济规模达到59.2万亿元", "--db", str(db), "--json")
    document = json.loads(out)
    assert code == 0 and document["verdict"] == "supported"
    [claim] = document["claims"]
    assert (claim["raw"], claim["value"], claim["unit"], claim["year"]) == ("59.2万亿元", 59200000000000, "CNY", 2024)
    evidence = claim["evidence"][0]
    assert evidence["document"] == "002_767eecd6bc8a868c.txt" and "59.2万亿元" in evidence["sentence"]
    assert evidence["fact_id"]


@pytest.mark.parametrize(("text", "verdict", "code"), [
    ("2024年我国数字经济规模约59万亿元", "supported", 0),
    ("2024年我国数字经济规模超过55万亿元", "supported", 0),
    ("2024年我国数字经济规模达到62.1万亿元", "contradicted", 1),
    ("2024年我国数字经济规模达到59.2亿元", "contradicted", 1),
    ("2023年我国数字经济规模达到59.2万亿元", "not_found", 1),
    ("2024年我国元宇宙产业规模达到1.2万亿元", "not_found", 1),
    ("数字经济已成为推动经济增长的重要引擎。", "no_claim", 0),
])
def test_one_line_per_claim(db, capsys, text, verdict, code):
    got, out, err = check(capsys, text, "--db", str(db))
    lines = out.splitlines()
    assert got == code and err == ""
    assert len(lines) == 1 and lines[0].startswith(verdict)
    assert "\033[" not in out


def test_contradicted_line_quotes_the_evidence(db, capsys):
    _, out, _ = check(capsys, "2024年我国数字经济规模达到59.2亿元", "--db", str(db))
    assert "magnitude slip" in out and "«" in out and "59.2万亿元" in out


def test_wrong_year_says_which_years_exist(db, capsys):
    _, out, _ = check(capsys, "2023年我国数字经济规模达到59.2万亿元", "--db", str(db), "--json")
    claim = json.loads(out)["claims"][0]
    assert "2021" in claim["explanation"] and "2024" in claim["explanation"]


def test_article_checks_every_claim(db, capsys, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "2024年，我国数字经济规模达到59.2万亿元，同比名义增长9.69%。\n"
        "2021年，我国数字经济规模达到45.5万亿元。\n"
        "截至2025年6月，我国累计建成5G基站545万个。\n", encoding="utf-8")
    code, out, _ = check(capsys, "--file", str(article), "--db", str(db), "--json")
    document = json.loads(out)
    assert [c["verdict"] for c in document["claims"]] == ["supported", "supported", "supported", "contradicted"]
    assert document["verdict"] == "contradicted" and code == 1


def test_text_from_stdin(db, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("2024年我国数字经济占GDP比重达到43.8%"))
    code, out, _ = check(capsys, "-", "--db", str(db))
    assert code == 0 and out.startswith("supported")


@pytest.mark.parametrize(("args", "message"), [
    (["x", "--db", "/nonexistent/shuzi.db"], "does not exist"),
    (["--file", "/nonexistent/article.txt"], "cannot be read"),
    ([], "give the text to check"),
])
def test_errors_are_one_line(db, capsys, args, message):
    if "--db" not in args:
        args = [*args, "--db", str(db)]
    code, out, err = check(capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("text", [
    "2024年我国数字经济规模达到59.2万亿元",
    "据中国信通院测算，2024年广东省数字经济规模超过三成",
])
def test_check_imports_neither_prefect_nor_spacy(db, text):
    script = (
        "import sys; from flows.cli import main; "
        f"code = main(['check', {text!r}, '--db', {str(db)!r}]); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'spacy'}), code in (0, 1))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.splitlines()[-1] == "[] True"


def test_readme_documents_check_and_its_tolerance():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "shuzi check" in readme
    assert "half a unit of the last written digit" in readme
