"""The benchmark's synthetic corpus: figures varied as written, markers kept, the same seed gives the same files."""
from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.frontmatter import describe_document
from extractors.loaders import load_document
from extractors.numbers import extract_quantities

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic import vary_figure, vary_figures, write_corpus  # noqa: E402


@pytest.mark.parametrize(("text", "figure", "ceiling"), [
    ("2024年，我国数字经济规模达到59.2万亿元。", "59.2", None),
    ("同比名义增长9.69%，", "9.69", Decimal(100)),
    ("占GDP比重达到100%。", "100", Decimal(100)),
    ("服务企业近 16 万家，", "16", None),
    ("全国共有1,234,567个基站。", "1,234,567", None),
    ("于2024年3月发布。", "3", Decimal(12)),
    ("算力总规模达到 230EFLOPS，", "230", None),
    ("存力总规模约为 1.2ZB。", "1.2", None),
    ("共 5 家企业入选。", "5", None),
    ("增速为0%。", "0", Decimal(100)),
])
def test_a_figure_gets_another_value_written_the_same_way(text, figure, ceiling):
    varied = vary_figures(text, random.Random(7))
    assert varied != text
    prefix, suffix = text.split(figure, 1)
    assert varied.startswith(prefix) and varied.endswith(suffix)
    written = varied[len(prefix):len(varied) - len(suffix)]
    assert written != figure
    assert ("," in written) == ("," in figure)
    assert len(written.partition(".")[2]) == len(figure.partition(".")[2])
    if ceiling is not None:
        assert Decimal(written.replace(",", "")) <= ceiling


@pytest.mark.parametrize("text", [
    "5G基站总数达到337.7万个^[7]",
    "数据来源：IDC<sup>12</sup>",
    "图 3 我国数字经济规模",
    "1. 数智农业：装上“智慧大脑”",
    "userid:690001,docid:174000",
])
def test_markers_and_names_are_kept(text):
    varied = vary_figures(text, random.Random(3))
    for marker in ("5G", "^[7]", "<sup>12</sup>", "图 3", "1. 数智", "userid:690001,docid:174000"):
        if marker in text:
            assert marker in varied


@pytest.mark.parametrize(("text", "shifted"), [
    ("2023年数字经济规模", "2025年数字经济规模"),
    ("2013-2024 年分行业", "2015-2026 年分行业"),
    ("《数字中国发展报告（2022）》", "《数字中国发展报告（2024）》"),
    ("2024—2026年行动计划", "2026—2028年行动计划"),
])
def test_years_move_together(text, shifted):
    assert vary_figures(text, random.Random(0), year_shift=2) == shifted


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.integers(0, 2**32))
def test_a_varied_figure_is_another_non_negative_value_with_the_same_decimals(value, seed):
    written = f"{value:.2f}"
    new = vary_figure(written, random.Random(seed))
    assert Decimal(new) != value and Decimal(new) >= 0 and len(new.partition(".")[2]) == 2


def test_the_same_seed_writes_the_same_distinct_files(tmp_path):
    first = write_corpus(tmp_path / "a", 6, seed=1, size_kb=3)
    again = write_corpus(tmp_path / "b", 6, seed=1, size_kb=3)
    other = write_corpus(tmp_path / "c", 6, seed=2, size_kb=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert len({p.read_bytes() for p in first}) == 6
    assert len({p.stat().st_size for p in first}) > 1
    assert all(1.5 * 1024 < p.stat().st_size < 6 * 1024 for p in first)


def test_a_report_reads_like_its_seed_with_figures_of_its_own(tmp_path, corpus_dir):
    path = write_corpus(tmp_path, 2, seed=0, size_kb=6)[1]
    document = describe_document(load_document(str(path), path.read_bytes()))
    assert document.title and "报告" in document.title
    figures = {f for q in extract_quantities(document.text) for f in re.findall(r"\d+\.\d+", q.raw)}
    seed = (corpus_dir / f"{path.stem[6:]}.txt").read_text(encoding="utf-8")
    assert len(figures) >= 3 and sum(f not in seed for f in figures) > len(figures) / 2


def test_a_pdf_report_holds_the_text_reports_figures(tmp_path):
    text = write_corpus(tmp_path / "txt", 2, seed=4, size_kb=4)[1]
    pdf = write_corpus(tmp_path / "pdf", 2, seed=4, size_kb=4, pdf=True)[1]
    document = load_document(str(pdf), pdf.read_bytes())
    assert document.kind == "pdf" and document.pages
    figures = re.findall(r"\d+\.\d+", text.read_text(encoding="utf-8"))
    assert figures and all(figure in document.text for figure in figures[:3])
