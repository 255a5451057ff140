"""PDF throughput in pages per CPU-second, on the seed reports rendered as PDFs. Run on demand:

    python tests/bench/bench_pdf.py            # a table of pages/s per core for each way of reading
    python -m pytest tests/bench/bench_pdf.py  # the same readers under pytest-benchmark

Readers compared: bare pdfplumber `extract_text`, bare pypdfium2 text, shuzi's layout on pdfplumber
characters, the hybrid (pypdfium2 characters, pdfminer directly for pages whose fonts are not embedded,
pdfplumber only for ruled pages), the layout on pypdfium2 characters throughout (what the hybrid costs on
files that embed their fonts; the seeds' STSong-Light is not embedded, so there the hybrid reads every page
with pdfminer), and end to end: the hybrid plus claim extraction.
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "tools")]

from extractors.claims import extract_claims  # noqa: E402
from extractors.pdf import load_pdf_document, place_claims  # noqa: E402
from render_seed_pdfs import render  # noqa: E402


def seed_pdfs() -> list[tuple[str, bytes]]:
    """Every text export in corpus/ rendered as a PDF."""
    return [(f"{seed.stem}.pdf", render(seed.read_text(encoding="utf-8"), watermark=f"userid:{i},docid:{i}"))
            for i, seed in enumerate(sorted((ROOT / "corpus").glob("*.txt")))]


def bare_pdfplumber(name: str, data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def bare_pypdfium2(name: str, data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    for page in document:
        page.get_textpage().get_text_range()
    return len(document)


def layout(engine: str):
    def read(name: str, data: bytes) -> int:
        return len(load_pdf_document(name, data, sha256="", engine=engine).pages)
    return read


def end_to_end(name: str, data: bytes) -> int:
    document = load_pdf_document(name, data, sha256="")
    place_claims(document, extract_claims(document))
    return len(document.pages)


_READ: dict[str, object] = {}


def claims_only(name: str, data: bytes) -> int:
    """Claim extraction alone, on documents read beforehand: the share of end to end that is not PDF reading."""
    if name not in _READ:
        _READ[name] = load_pdf_document(name, data, sha256="")
        return 0
    document = _READ[name]
    place_claims(document, extract_claims(document))
    return len(document.pages)


READERS = {
    "pdfplumber extract_text": bare_pdfplumber,
    "pypdfium2 text": bare_pypdfium2,
    "layout, pdfplumber": layout("pdfplumber"),
    "layout, hybrid": layout("hybrid"),
    "layout, pypdfium2 throughout": layout("pypdfium2"),
    "end to end (hybrid + claims)": end_to_end,
    "claims only (documents read)": claims_only,
}


def pages_per_cpu_second(read, pdfs: list[tuple[str, bytes]], *, rounds: int = 2) -> float:
    """Best of `rounds` runs over every PDF, in pages per second of this process's CPU time."""
    best = 0.0
    for _ in range(rounds):
        start, pages = time.process_time(), 0
        for name, data in pdfs:
            pages += read(name, data)
        best = max(best, pages / (time.process_time() - start))
    return best


@pytest.fixture(scope="module")
def pdfs() -> list[tuple[str, bytes]]:
    rendered = seed_pdfs()
    for name, data in rendered:
        claims_only(name, data)  # read once, so that reader times claim extraction alone
    return rendered


@pytest.mark.parametrize("reader", list(READERS))
def test_pdf_throughput(benchmark, pdfs, reader):
    read = READERS[reader]
    pages = benchmark.pedantic(lambda: sum(read(name, data) for name, data in pdfs), rounds=2, iterations=1)
    benchmark.extra_info["pages"] = pages


def main() -> int:
    pdfs = seed_pdfs()
    end_to_end(*pdfs[0])  # load dictionaries and models once, outside the measurement
    for name, data in pdfs:
        claims_only(name, data)
    pages = sum(bare_pypdfium2(name, data) for name, data in pdfs)
    print(f"{len(pdfs)} seed PDFs, {pages} pages; pages per CPU-second (one core):")
    for label, read in READERS.items():
        print(f"  {label:32s} {pages_per_cpu_second(read, pdfs):7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
