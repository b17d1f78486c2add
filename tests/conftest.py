"""Shared fixtures: where the public samples are, and our own samples/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OWN_SAMPLES = ROOT / "samples"
#: ../shared/samples-public beside the checkout (CI puts shared/ there); never copied in.
PUBLIC_SAMPLES = Path(
    os.environ.get("EDI_PUBLIC_SAMPLES", ROOT.parent / "shared" / "samples-public")
).resolve()


def public_sample(relative: str) -> Path:
    """A file of ../shared/samples-public, or skip the test where that folder is absent."""
    path = PUBLIC_SAMPLES / relative
    if not path.is_file():
        pytest.skip(f"public sample {relative} not available at {PUBLIC_SAMPLES}")
    return path


def public_samples(folder: str) -> list[Path]:
    """Every file of one folder, for parametrising; empty when the folder is absent."""
    base = PUBLIC_SAMPLES / folder
    return sorted(p for p in base.iterdir() if p.is_file()) if base.is_dir() else []
