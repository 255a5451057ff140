"""Turn a file's bytes into a normalized `Document`: text exports and PDFs."""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from schemas import Document

from .errors import EmptyDocument, UnreadableDocument, UnsupportedFormat
from .text import normalize_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def sha256(data: bytes) -> str:
    """Content hash that keys a document in the warehouse."""
    return hashlib.sha256(data).hexdigest()


_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
# Encodings Chinese reports are exported in when not UTF-8: the multi-byte ones, then the wide ones.
# GBK and GB2312 are subsets of GB18030.
_CHINESE_ENCODINGS = ["gb18030", "big5", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "hz": "gb18030"}


def decode_text(path: str, data: bytes) -> str:
    """Decode a text export: a byte-order mark, else strict UTF-8, else the Chinese encoding that fits the bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(
                    path, f"starts with a {encoding} byte-order mark but is not {encoding} text; re-export it as UTF-8",
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # the last character was cut off
            try:
                return data[:exc.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= len(data) // 2000:  # a few stray bytes; GBK read as UTF-8 fails every character
        return lenient
    wide = b"\x00" in data  # UTF-16 and UTF-32 give digits and line breaks a zero byte
    if not wide:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            if _reads_as_simplified_chinese(text):
                return text
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CHINESE_ENCODINGS[2:] if wide else _CHINESE_ENCODINGS[:2]).best()
    candidates = [_SUPERSETS.get(best.encoding, best.encoding)] if best else []
    if not wide:
        candidates.append("gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if wide:
        raise UnreadableDocument(path, "holds binary data, not text; check the file or remove it from the corpus")
    raise UnreadableDocument(path, "is not UTF-8, UTF-16, GB18030 (GBK) or Big5 text; re-export it as UTF-8")


def _reads_as_simplified_chinese(text: str, *, sample: int = 20_000) -> bool:
    """Most Han characters are among GB2312's 3,755 common ones, as in real prose and never in mis-decoded bytes."""
    han = [ch for ch in text[:sample] if "\u4e00" <= ch <= "\u9fff"]
    common = 0
    for ch in han:
        encoded = ch.encode("gb2312", errors="ignore")
        common += len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7
    return bool(han) and common >= 0.8 * len(han)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below a space, and not \t \n \f \r


def _looks_binary(text: str) -> bool:
    """Control characters, or any NUL, in the opening: an archive or image with a text name, not an export."""
    sample = text[:4096]
    controls = len(_CONTROL.findall(sample))
    return "\x00" in sample or bool(sample) and controls / len(sample) > 0.05


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
    """A PDF read page by page: body text, footnotes, line boxes and table cells (see `extractors.pdf`)."""
    from .pdf import load_pdf_document

    return load_pdf_document(path, data, sha256=sha256(data))


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
