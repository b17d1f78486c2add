"""EDIFACT read throughput and peak memory: ours, pydifact's parser and a split floor.

The input is a generated ORDERS interchange (EANCOM D96A, 20 lines a message, names with
release characters in every tenth message), written to a temporary file. Each row gives
MB/s, the ratio to the split floor and the ratio to pydifact's Parser.parse, all measured
in the same run.

    python benchmarks/edifact_read.py                 # 20 MB ours, 2 MB pydifact
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the harness, and our packages uninstalled
from harness import chunks, edigw_translate, report, run_child  # noqa: E402

from translators.gs1 import check_digit  # noqa: E402


def _gtin(body: int) -> str:
    """A GTIN-14 with its check digit right, as a real partner's are."""
    digits = f"{body:013d}"
    return digits + check_digit(digits)


def _message(ref: int, lines: int) -> str:
    name = "Kaelte?+Soehne?: Mueller?'s" if ref % 10 == 0 else "ACME Retail"
    body = [
        f"UNH+{ref}+ORDERS:D:96A:UN:EAN008'",
        f"BGM+220+PO{ref:08d}+9'",
        "DTM+137:20240301:102'",
        "DTM+2:20240315:102'",
        f"NAD+BY+5412345678908::9++{name}'",
        "NAD+DP+0614141000012::9++ACME DC1+1 Dock Road+Antwerp++2000+BE'",
        "CUX+2:EUR:9'",
    ]
    for n in range(1, lines + 1):
        body += [
            f"LIN+{n}++{_gtin(5412345000000 + n)}:EN'",
            f"PIA+5+WW-{n:03d}:SA'",
            f"IMD+F++:::Widget {n}'",
            f"QTY+21:{n % 50 + 1}:EA'",
            "PRI+AAA:9.25'",
        ]
    body += ["UNS+S'", f"CNT+2:{lines}'"]
    body.append(f"UNT+{len(body) + 1}+{ref}'")
    return "\n".join(body) + "\n"


def generate(path: Path, megabytes: float, lines: int = 20) -> int:
    target, size, ref = int(megabytes * 1_000_000), 0, 0
    with path.open("w", encoding="latin-1") as fh:
        fh.write("UNA:+.? '\nUNB+UNOC:3+5412345678908:14+5400000000003:14+240301:1200+1'\n")
        while size < target:
            ref += 1
            text = _message(ref, lines)
            fh.write(text)
            size += len(text)
        fh.write(f"UNZ+{ref}+1'\n")
    return ref


def _split_floor(path: str) -> int:
    with open(path, encoding="latin-1") as fh:
        text = fh.read()
    return sum(1 for seg in text.split("'") if seg.split("+"))


def _ours_tokenize(path: str) -> int:
    from translators.edifact import tokenize

    return sum(1 for _ in tokenize(chunks(path)))


def _ours_canonical(path: str) -> int:
    import translators
    from translators import MessageResult

    items = translators.stream(chunks(path))
    return sum(1 for i in items if isinstance(i, MessageResult) and i.document is not None)


def _pydifact(path: str) -> int:
    from pydifact.parser import Parser

    with open(path, encoding="latin-1") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sum(1 for _ in Parser().parse(fh.read()))


WORK: dict[str, Callable[[str], int]] = {
    "str.split floor": _split_floor,
    "ours: tokenize (UNA, release)": _ours_tokenize,
    "ours: to canonical": _ours_canonical,
    "edigw translate FILE | pipe": edigw_translate,
    "edigw translate --json FILE | pipe": lambda path: edigw_translate(path, "--json"),
    "pydifact Parser.parse": _pydifact,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--peer-mb", type=float, default=2)
    parser.add_argument("--child", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(WORK, *args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp, "big.edi"), Path(tmp, "small.edi")
        count = generate(big, args.mb)
        generate(small, args.peer_mb)
        print(f"input: {big.stat().st_size / 1e6:.1f} MB, {count} ORDERS messages")
        rows = [(n, small if n.startswith("pydifact") else big) for n in WORK]
        report(__file__, rows, versus="pydifact Parser.parse")


if __name__ == "__main__":
    main()
