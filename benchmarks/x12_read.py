"""X12 read throughput and peak memory, ours next to a plain split floor and installed peers.

Each measurement runs in its own child process so that its peak RSS is its own. The input
is a generated interchange of 850s (one ISA/GS, many ST sets, 20 PO1 lines each) written to
a temporary file and read in 1 MiB chunks, as `edigw translate` does.

    python benchmarks/x12_read.py                 # 50 MB ours, 10 MB peers
    python benchmarks/x12_read.py --mb 100        # the bounded-memory check of the issue

Peers (pip install -e '.[bench]'): pyx12's X12Reader (tokenising only) and badx12 (full
parse); each is skipped when not importable.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # the harness, and our packages uninstalled
from harness import chunks, edigw_translate, report, run_child  # noqa: E402

from translators.gs1 import check_digit  # noqa: E402

_ISA = "ISA*00*          *00*          *ZZ*{s:15}*ZZ*{r:15}*240301*1200*U*00401*{c:09d}*0*P*>~\n"
_LINE = "PO1*{n}*{qty}*EA*9.25**UP*{upc}*VN*WW-{n:03d}~\nPID*F****Widget {n}~\n"


def _upc(body: int) -> str:
    """A UPC-A (GTIN-12) with its check digit right, as a real partner's are."""
    digits = f"{body % 10**11:011d}"
    return digits + check_digit(digits)


def _set(control: int, lines: int) -> str:
    body = [
        f"ST*850*{control:04d}~\n",
        f"BEG*00*SA*PO{control:08d}**20240301~\n",
        "CUR*BY*USD~\n",
        "DTM*002*20240315~\n",
        "N1*BY*ACME Retail*UL*5412345678908~\n",
        "N1*ST*ACME DC1*UL*0614141000012~\n",
        "N3*1 Dock Road~\n",
        "N4*Antwerp**2000*BE~\n",
    ]
    body += [
        _LINE.format(n=n, qty=n % 50 + 1, upc=_upc(control * 100 + n)) for n in range(1, lines + 1)
    ]
    body.append(f"CTT*{lines}~\n")
    count = sum(part.count("~") for part in body) + 1
    body.append(f"SE*{count}*{control:04d}~\n")
    return "".join(body)


def generate(
    path: Path,
    megabytes: float,
    lines: int = 20,
    *,
    sender: str = "BENCHBUYER",
    receiver: str = "BENCHSELLER",
    control: int = 1,
) -> int:
    """Write one interchange of about ``megabytes`` MB; returns the number of sets."""
    target = int(megabytes * 1_000_000)
    sets = 0
    with path.open("w", encoding="ascii", newline="") as fh:
        fh.write(_ISA.format(s=sender, r=receiver, c=control))
        fh.write(f"GS*PO*{sender}*{receiver}*20240301*1200*{control}*X*004010~\n")
        size = 0
        while size < target:
            sets += 1
            chunk = _set(sets, lines)
            fh.write(chunk)
            size += len(chunk)
        fh.write(f"GE*{sets}*{control}~\nIEA*1*{control:09d}~\n")
    return sets


# --- measured work, each run in a child process (see harness.py) ----------------------


def _split_floor(path: str) -> int:
    """The plain-Python floor: split on the terminator, then on the element separator."""
    with open(path, "rb") as fh:
        data = fh.read()
    return sum(1 for seg in data.split(b"~") if seg.strip().split(b"*"))


def _ours_tokenize(path: str) -> int:
    from translators.x12 import tokenize

    return sum(1 for _ in tokenize(chunks(path)))


def _ours_canonical(path: str) -> int:
    import translators
    from translators import MessageResult

    items = translators.stream(chunks(path))
    return sum(1 for i in items if isinstance(i, MessageResult) and i.document is not None)


def _pyx12(path: str) -> int:
    import pyx12.x12file

    return sum(1 for _ in pyx12.x12file.X12Reader(path))


def _badx12(path: str) -> int:
    import collections
    import collections.abc

    collections.Iterable = collections.abc.Iterable  # type: ignore[attr-defined]  # py3.10+ shim
    from badx12 import Parser

    doc = Parser(path).document
    return len(doc.interchange.groups)


WORK: dict[str, Callable[[str], int]] = {
    "split floor": _split_floor,
    "ours: tokenize": _ours_tokenize,
    "ours: to canonical": _ours_canonical,
    "edigw translate FILE | pipe": edigw_translate,
    "edigw translate --json FILE | pipe": lambda path: edigw_translate(path, "--json"),
    "pyx12 X12Reader (tokenize)": _pyx12,
    "badx12 Parser": _badx12,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50, help="size of our input (MB)")
    parser.add_argument("--peer-mb", type=float, default=10, help="size of the peers' input")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(WORK, *args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp, "big.x12"), Path(tmp, "small.x12")
        sets = generate(big, args.mb)
        generate(small, args.peer_mb)
        print(f"input: {big.stat().st_size / 1e6:.1f} MB, {sets} sets of 850 (20 lines each)")
        report(__file__, [(n, small if n.startswith(("pyx12", "badx12")) else big) for n in WORK])


if __name__ == "__main__":
    main()
