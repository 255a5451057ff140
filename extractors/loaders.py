"""Turn a file's bytes into a normalized `Document`: text exports and PDFs."""
from __future__ import annotations

import hashlib
import io
from pathlib import PurePath

from schemas import Document, Page

from .errors import EmptyDocument, EncryptedPDF, ScannedPDF, UnreadableDocument, UnsupportedFormat
from .text import normalize_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def sha256(data: bytes) -> str:
    """Content hash that keys a document in the warehouse."""
    return hashlib.sha256(data).hexdigest()


def decode_text(path: str, data: bytes) -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16 by BOM, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(path, "is not UTF-8, UTF-16 or GB18030 text; re-export it as UTF-8") from exc


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bool(sample) and controls / len(sample) > 0.05


def load_text(path: str, data: bytes) -> Document:
    """A text or Markdown export of a report."""
    text = decode_text(path, data)
    if _looks_binary(text):
        raise UnreadableDocument(path, "holds binary data, not text; check the file or remove it from the corpus")
    normalized = normalize_text(text)
    if not normalized.text.strip():
        raise EmptyDocument(path, "holds no text; remove it from the corpus or replace it with the full export")
    return Document(
        name=PurePath(path).name, path=path, sha256=sha256(data), text=normalized.text,
        pages=normalized.pages, footnotes=normalized.footnotes, kind="text",
    )


def load_pdf(path: str, data: bytes) -> Document:
    """A PDF read page by page with pdfplumber."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument(path, "is not a PDF (no %PDF header); rename it or export it again")
    pages_text: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages_text.append(page.extract_text() or "")
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect):
            raise EncryptedPDF(path, "is encrypted and needs a password; save a decrypted copy") from exc
        raise UnreadableDocument(path, f"cannot be parsed as a PDF ({exc.args[0]!r}); re-export it") from exc
    except PDFPasswordIncorrect as exc:
        raise EncryptedPDF(path, "is encrypted and needs a password; save a decrypted copy") from exc
    except Exception as exc:  # pdfminer raises many kinds of errors on broken files
        raise UnreadableDocument(path, f"cannot be parsed as a PDF ({type(exc).__name__}); re-export it") from exc
    if pages_text and not any(t.strip() for t in pages_text):
        raise ScannedPDF(path, "has no text layer (scanned images); run OCR on it first")
    parts, pages, pos = [], [], 0
    for number, page_text in enumerate(pages_text, start=1):
        normalized = normalize_text(page_text).text
        parts.append(normalized)
        pages.append(Page(number=number, start=pos, end=pos + len(normalized)))
        pos += len(normalized) + 1
    text = "\n".join(parts)
    if not text.strip():
        raise EmptyDocument(path, "holds no text; check the file")
    return Document(
        name=PurePath(path).name, path=path, sha256=sha256(data), text=text,
        pages=tuple(pages), kind="pdf",
    )


def load_document(path: str, data: bytes) -> Document:
    """Dispatch on the file suffix."""
    suffix = PurePath(path).suffix.lower()
    if not data:
        raise EmptyDocument(path, "is empty; remove it from the corpus or replace it")
    if suffix in TEXT_SUFFIXES:
        return load_text(path, data)
    if suffix in PDF_SUFFIXES:
        return load_pdf(path, data)
    raise UnsupportedFormat(path, f"has suffix {suffix!r}; shuzi reads .pdf, .txt and .md")
