"""Render the text exports in corpus/ as CAICT-style PDFs with the same file stems.

    python tests/tools/render_seed_pdfs.py [--out DIR] [SEED.txt ...]

Each export is normalized into paragraphs, then laid out on A4 pages: headings, justified body text,
superscript footnote markers with the footnote text at the page foot, figure frames above their
数据来源 and caption lines, a table of contents, a running header, page numbers and a watermark line.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from extractors.text import HEADING, TERMINAL, normalize_text  # noqa: E402
from pdf_factory import ReportWriter  # noqa: E402

CAPTION = re.compile(r"^(?:图|表)\s*\d")
SOURCE = re.compile(r"^[(（]?(?:数据|资料)?来源[:：]")
TOC_ENTRY = re.compile(r"^(.+?)(?:[.·…]{3,}|\t)\s*(\d{1,3})$")
TOC_TAIL = re.compile(r"^(.{2,40}?)\s*(\d{1,3})$")
SUP = re.compile(r"<sup>(\d{1,3})</sup>")


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= 40 and not paragraph.endswith(tuple(TERMINAL + "，、：”")) and (
        bool(HEADING.match(paragraph)) or len(paragraph) <= 12)


def render(text: str, *, watermark: str, style: int = 0) -> bytes:
    """One report's text export as PDF bytes; `style` 1 sets footnote numbers as "[n]" at the page foot and
    minor headings at the body size, as some reports do."""
    normalized = normalize_text(SUP.sub(r"^[\1]", text))
    paragraphs = [p for p in normalized.text.split("\n") if p.strip()]
    footnotes = dict(normalized.footnotes)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = next((line for line in lines[:20] if len(line) <= 30 and re.search("报告|白皮书", line)), "研究报告")
    writer = ReportWriter(header=title, watermark=watermark, footnote_style="bracket" if style % 2 else "superscript")
    toc: list[tuple[str, int]] = []
    pending_figure = False
    for paragraph in paragraphs:
        entry = TOC_ENTRY.match(paragraph) or toc and TOC_TAIL.match(paragraph)
        if entry:
            toc.append((entry.group(1).rstrip(" ·."), int(entry.group(2))))
            continue
        if toc:
            writer.toc(toc)
            toc = []
        if (SOURCE.match(paragraph) or CAPTION.match(paragraph)) and len(paragraph) <= 60:
            if not pending_figure:
                writer.figure(["2019", "2020", "2021", "2022", "2023"])
                pending_figure = True
            (writer.note if SOURCE.match(paragraph) else writer.caption)(paragraph)
            continue
        pending_figure = False
        if _is_heading(paragraph):
            major = HEADING.match(paragraph) and "、" in paragraph[:4]
            writer.heading(paragraph, size=14 if major else 10.5 if style % 2 else 12)
        else:
            writer.paragraph(paragraph, footnotes=footnotes)
    if toc:
        writer.toc(toc)
    return writer.to_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seeds", nargs="*", type=Path, help="text exports (default: corpus/*.txt)")
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "seed_pdfs", help="output folder")
    args = parser.parse_args(argv)
    seeds = args.seeds or sorted((ROOT / "corpus").glob("*.txt"))
    args.out.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(seeds):
        watermark = f"userid:{690000 + i},docid:{174000 + i},date:2024-09-07,sgpjbg.com"
        target = args.out / f"{seed.stem}.pdf"
        target.write_bytes(render(seed.read_text(encoding="utf-8"), watermark=watermark, style=i))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
