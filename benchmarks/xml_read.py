"""UBL documents/s: parse, read to canonical, and validation with lxml vs xmlschema.

A generated 100-line UBL 2.1 Order (written by our own writer), read many times in one
process; schema load times are measured once each. Needs ../shared/samples-public/xsd.

    python benchmarks/xml_read.py [--lines 100] [--rounds 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import msgspec
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import translators  # noqa: E402
from translators import WriteSettings, xml  # noqa: E402

XSD = ROOT.parent / "shared" / "samples-public" / "xsd" / "oca-edi__UBL-2.1" / "maindoc"


def _order(lines: int) -> bytes:
    base = translators.from_json((ROOT / "samples" / "canonical" / "order.json").read_text())
    line = base.lines[0]
    many = tuple(
        msgspec.structs.replace(line, line_no=str(n), amount=Decimal("111.00"))
        for n in range(1, lines + 1)
    )
    doc = msgspec.structs.replace(base, lines=many)
    return translators.write(
        [doc], target="ubl:Order", settings=WriteSettings(timestamp=dt.datetime(2024, 3, 1))
    )


def _rate(fn: Callable[[], object], rounds: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    return rounds / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    data = _order(args.lines)
    print(f"input: UBL Order with {args.lines} lines, {len(data) / 1000:.0f} KB")
    rows = [
        ("lxml parse only", _rate(lambda: etree.fromstring(data), args.rounds)),
        ("edigw read to canonical", _rate(lambda: xml.read(data), args.rounds)),
    ]
    path = XSD / "UBL-Order-2.1.xsd"
    if path.is_file():
        start = time.perf_counter()
        schema = etree.XMLSchema(etree.parse(str(path)))
        lxml_load = time.perf_counter() - start
        import xmlschema

        start = time.perf_counter()
        slow = xmlschema.XMLSchema(str(path))
        xs_load = time.perf_counter() - start
        root = etree.fromstring(data)
        rows += [
            (
                "edigw read + lxml XSD validation",
                _rate(
                    lambda: (schema.validate(etree.fromstring(data)), xml.read(data)), args.rounds
                ),
            ),
            (
                "xmlschema validation only",
                _rate(lambda: slow.is_valid(root), max(5, args.rounds // 20)),
            ),
        ]
        print(f"schema load: lxml {lxml_load:.2f} s, xmlschema {xs_load:.2f} s")
    print(f"{'measure':40} {'documents/s':>12}")
    for name, rate in rows:
        print(f"{name:40} {rate:12.0f}")


if __name__ == "__main__":
    main()
