"""Extractor registry: each concern's name and version, stored on every claim it helps produce."""
from __future__ import annotations

EXTRACTORS: dict[str, str] = {}


def register(name: str) -> str:
    """Record an extractor named `concern.vN` and return the name, for a module's `NAME`."""
    concern, _, version = name.partition(".")
    if not concern or not version.startswith("v") or not version[1:].isdigit():
        raise ValueError(f"extractor name {name!r} must look like 'metric.v1'")
    EXTRACTORS[concern] = name
    return name


def signature(*names: str) -> str:
    """The names joined as stored in `Claim.extractor`: `claims.v2+numbers.v1+…`."""
    return "+".join(names)
