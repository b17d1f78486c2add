"""Mutation fuzzing of the three readers and of rendering (issue "Hardening the core").

Every sample (our ``samples/`` and ``$EDI_PUBLIC_SAMPLES``) is mutated by a seeded random
mutator: bytes flipped, inserted (separators, NUL, controls, non-ASCII, invalid UTF-8)
and deleted, fields (between separators or XML tags) replaced with junk (NaN, 1E+999,
superscript digits, overlong numbers, bad dates), segments dropped, duplicated and
swapped, the file cut short. For every
mutant:

* ``translators.read`` and ``translators.stream`` (fed in small chunks) return
  interchanges or raise a ``translators.GatewayError``, never another exception; a
  ``SyntaxFault`` carries located issues;
* every document read is written back to its own syntax with ``translators.write``:
  that raises ``RenderError`` or gives bytes our reader reads without an error.

Canonical JSON samples are mutated too and rendered to every target: only
``CanonicalJsonError`` / ``RenderError``, or output that re-reads.

The default run is a few seconds (``EDIGW_FUZZ_EXAMPLES`` mutants per sample file,
default 12). A longer run, e.g. a 20,000-mutant soak with another seed::

    EDIGW_FUZZ_EXAMPLES=400 EDIGW_FUZZ_SEED=7 EDI_PUBLIC_SAMPLES=../shared/samples-public \\
        .venv/bin/pytest tests/unit/test_fuzz.py -q -p no:randomly --timeout 3600

A failure names the sample, the seed and the mutant number, and
``_mutant(path, seed, number)`` rebuilds the exact bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest

import translators
from tests.conftest import OWN_SAMPLES, PUBLIC_SAMPLES
from translators import GatewayError, InterchangeResult, WriteSettings
from translators.edifact.tokenizer import CHARSETS
from translators.model import Document, PartyId

EXAMPLES = int(os.environ.get("EDIGW_FUZZ_EXAMPLES", "12"))
SEED = int(os.environ.get("EDIGW_FUZZ_SEED", "20261130"))

_SUFFIXES = {".x12", ".edi", ".txt", ".xml"}


def _corpus() -> list[Path]:
    roots = [OWN_SAMPLES / "x12", OWN_SAMPLES / "edifact", OWN_SAMPLES / "xml"]
    roots += [PUBLIC_SAMPLES / "x12", PUBLIC_SAMPLES / "edifact", PUBLIC_SAMPLES / "xml"]
    files = [p for root in roots if root.is_dir() for p in sorted(root.rglob("*"))]
    return [p for p in files if p.is_file() and p.suffix in _SUFFIXES]


CORPUS = _corpus()
CANONICAL = sorted((OWN_SAMPLES / "canonical").glob("*.json"))

#: Bytes worth inserting: every syntax's separators, release and escape characters, NUL
#: and other controls, Latin-1 and UTF-8 letters, invalid UTF-8, XML markup.
_INTERESTING = [
    b"~", b"*", b">", b"^", b"'", b"+", b":", b"?", b"\n", b"\r\n", b"\x00", b"\x1c",
    b"\x1d", b"\x1f", b"\x7f", b"\xff", b"\xc3", "é".encode(), "東".encode(), b"\xed\xa0\x80",
    b"<", b"&", b"]]>", b"ISA", b"UNA", b"UNB", b"UNZ", b"IEA", b"HL*1*1*I", b"-", b"9" * 20,
    b"NaN", b"1E+999",
]  # fmt: skip


#: Values put in place of a whole field (between two separators, or an XML text).
_JUNK = [
    b"", b"NaN", b"Infinity", b"-inf", b"abc", b"1E+999", b"-", b".", b"1_000", b"\xc2\xb2",
    b"99999999999999999999999999999999", b"-0.0000000000000000000001", b"\x00", "é".encode(),
    b"20241399", b"2500",
]  # fmt: skip
_FIELD_ENDS = re.compile(rb"[*+:~'<>^|]")


def _replace_field(data: bytes, rng: random.Random) -> bytes:
    """One field (the bytes between two separators or tags) replaced with junk."""
    ends = [m.start() for m in _FIELD_ENDS.finditer(data)]
    if len(ends) < 2:
        return data
    k = rng.randrange(len(ends) - 1)
    return data[: ends[k] + 1] + rng.choice(_JUNK) + data[ends[k + 1] :]


def _segments(data: bytes) -> tuple[list[bytes], bytes]:
    for term in (b"~", b"'", b">"):
        if data.count(term) > 2:
            return data.split(term), term
    return data.split(b"\n"), b"\n"


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits of ``data``."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(10)
        at = rng.randrange(len(data) + 1)
        if kind == 0 and data:  # flip one byte
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]
        elif kind == 1:  # insert an interesting sequence
            data = data[:at] + rng.choice(_INTERESTING) + data[at:]
        elif kind == 2:  # insert a random byte
            data = data[:at] + bytes([rng.randrange(256)]) + data[at:]
        elif kind == 3:  # delete a run
            data = data[:at] + data[at + rng.randint(1, 16) :]
        elif kind == 4:  # cut short
            data = data[:at]
        elif kind >= 8:  # a field replaced with junk (twice as likely: it finds the most)
            data = _replace_field(data, rng)
        else:  # segment edits: drop, duplicate, swap, replace an element with junk
            parts, term = _segments(data)
            if len(parts) < 2:
                continue
            i, j = rng.randrange(len(parts)), rng.randrange(len(parts))
            if kind == 5:
                del parts[i]
            elif kind == 6:
                parts.insert(j, parts[i])
            else:
                parts[i], parts[j] = parts[j], parts[i]
            data = term.join(parts)
    return data


def _mutant(path: Path, seed: int, number: int) -> bytes:
    rng = random.Random(f"{seed}:{path.name}:{number}")
    return _mutate(path.read_bytes(), rng)


_OWN_TARGET = {
    "x12": {
        "purchase_order": "x12:850",
        "order_response": "x12:855",
        "ship_notice": "x12:856",
        "invoice": "x12:810",
    },
    "edifact": {
        "purchase_order": "edifact:ORDERS",
        "order_response": "edifact:ORDRSP",
        "ship_notice": "edifact:DESADV",
        "invoice": "edifact:INVOIC",
    },
    "xml": {
        "purchase_order": "ubl:Order",
        "order_response": "ubl:OrderResponse",
        "ship_notice": "ubl:DespatchAdvice",
        "invoice": "ubl:Invoice",
    },
}
_SETTINGS = WriteSettings(
    sender=PartyId(id="FUZZSENDER", qualifier="ZZ"),
    receiver=PartyId(id="FUZZRECEIVER", qualifier="ZZ"),
    timestamp=dt.datetime(2024, 5, 6, 7, 8),
)


def _check_results(results: list[InterchangeResult], where: str) -> None:
    for ix in results:
        for issue in ix.all_issues:
            located = issue.segment_number is not None or issue.xpath is not None
            assert located or issue.level in ("interchange", "document"), (where, issue)


def _read(data: bytes, where: str) -> list[InterchangeResult]:
    """``read`` and a chunked ``stream``: results or a GatewayError, nothing else."""
    try:
        results = translators.read(data)
    except translators.SyntaxFault as exc:
        assert exc.issues or translators.detect(data) == "xml", (where, exc)
        results = []
    except GatewayError:
        results = []
    _check_results(results, where)
    with contextlib.suppress(GatewayError):
        list(translators.stream(data[i : i + 61] for i in range(0, len(data), 61)))
    return results


def _settings_for(doc: Document) -> WriteSettings:
    env = doc.envelope
    charset = None
    if env is not None and env.format == "edifact" and env.syntax_version:
        named = env.syntax_version.split(":")[0].upper()
        charset = named if named in CHARSETS else None
    return dataclasses.replace(_SETTINGS, charset=charset)


def _rendered_rereads(docs: list[Document], target: str, where: str) -> None:
    """``write`` raises RenderError or gives bytes that read back without an error."""
    try:
        out = translators.write(docs, target=target, settings=_settings_for(docs[0]))
    except translators.RenderError:
        return
    results = translators.read(out)
    assert results, (where, target, out)
    bad = [i for ix in results for i in ix.all_issues if i.is_error]
    assert not bad, (where, target, [translators.format_issue(i, target) for i in bad], out)


def _render_back(results: list[InterchangeResult], where: str) -> None:
    for ix in results:
        targets = _OWN_TARGET[ix.syntax]
        for doc in ix.documents:
            target = targets.get(doc.type)
            if target is not None:
                _rendered_rereads([doc], target, where)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_mutated_samples_give_documents_or_located_issues(path: Path) -> None:
    original = path.read_bytes()
    _render_back(_read(original, f"{path.name} (unmutated)"), f"{path.name} (unmutated)")
    for number in range(EXAMPLES):
        data = _mutant(path, SEED, number)
        where = f"{path.name} seed {SEED} mutant {number}"
        _render_back(_read(data, where), where)


_ALL_TARGETS = sorted({t for targets in _OWN_TARGET.values() for t in targets.values()})


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
def test_mutated_canonical_json_renders_or_refuses(path: Path) -> None:
    for number in range(EXAMPLES * 4):
        data = _mutant(path, SEED, number)
        where = f"{path.name} seed {SEED} mutant {number}"
        try:
            docs = translators.from_json_documents(data)
        except translators.CanonicalJsonError:
            continue
        if not docs:
            continue
        for target in _ALL_TARGETS:
            if translators.target_backend(target)[0] == "xml" and len(docs) != 1:
                continue
            _rendered_rereads(docs, target, where)
