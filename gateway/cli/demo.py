"""``edigw demo``: for now, translate every sample in samples/ and show the result.

Later issues grow this into the end-to-end demo (gateway + Odoo simulator + partners).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import translators

__all__ = ["add_parser"]

_SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def add_parser(sub: Any) -> None:
    p = sub.add_parser("demo", help="translate the bundled samples end to end")
    p.add_argument("--samples", type=Path, default=_SAMPLES, help="folder of sample documents")
    p.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    files = sorted(p for p in args.samples.rglob("*") if p.is_file() and p.suffix != ".md")
    if not files:
        print(f"no samples under {args.samples}", file=sys.stderr)
        return 1
    failures = 0
    for path in files:
        try:
            results = translators.read(path.read_bytes())
        except translators.TranslationError as exc:
            print(f"{path.relative_to(args.samples)}: {exc}")
            failures += 1
            continue
        for ix in results:
            for m in ix.messages:
                doc = m.document
                number = doc.number if doc is not None else "-"
                lines = len(doc.lines) if doc is not None else 0
                kind = doc.type if doc is not None else "?"
                print(
                    f"{path.relative_to(args.samples)}: {ix.syntax} {m.code} #{m.control} "
                    f"-> {kind} {number} ({lines} lines) {m.status}"
                )
            for issue in ix.all_issues:
                print("   " + translators.format_issue(issue, path.name))
    return 1 if failures else 0
