"""Named errors: each message names the input and says what to do."""
from __future__ import annotations


class ShuziError(Exception):
    """Base of every error shuzi reports to a user as one line."""

    stage = "extract"

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


class UnreadableDocument(ShuziError):
    """The file cannot be decoded or parsed at all."""

    stage = "read"


class UnsupportedFormat(ShuziError):
    """The file's extension is not one shuzi reads."""

    stage = "read"


class EncryptedPDF(ShuziError):
    """The PDF needs a password."""

    stage = "read"


class ScannedPDF(ShuziError):
    """The PDF has no text layer."""

    stage = "read"


class EmptyDocument(ShuziError):
    """The file holds no text."""

    stage = "read"


class DocumentTooLarge(ShuziError):
    """The file is larger than shuzi reads in bounded memory."""

    stage = "read"
