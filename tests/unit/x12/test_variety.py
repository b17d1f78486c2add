"""Real-world variety: any delimiters, CR/LF, padding, concatenation, Ctrl-Z, chunking."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import Delimiters, MessageResult, WriteSettings
from translators.model import Document, PartyId

ORDER = (OWN_SAMPLES / "x12" / "850.x12").read_bytes()


def _docs(data: bytes) -> list[Document]:
    results = translators.read(data)
    for ix in results:
        assert ix.status == "accepted", [translators.format_issue(i, "v") for i in ix.all_issues]
    return [msgspec.structs.replace(d, envelope=None) for ix in results for d in ix.documents]


EXPECTED = _docs(ORDER)


@pytest.mark.parametrize(
    ("element", "component", "segment", "suffix"),
    [
        ("*", ">", "~", ""),
        ("|", "^", "\n", ""),
        ("\x7f", ":", "\x15", ""),
        ("\x1d", "\x1f", "\x1c", "\r\n"),
        ("^", "\\", "'", "\n"),
        ("+", ":", "~", "\r\n"),
    ],
)
def test_any_declared_delimiters(element: str, component: str, segment: str, suffix: str) -> None:
    (doc,) = translators.read(ORDER)[0].documents
    data = translators.write(
        [doc],
        target="x12:850",
        settings=WriteSettings(
            sender=PartyId(id="ACMERETAIL", qualifier="ZZ"),
            receiver=PartyId(id="WIDGETWORKS", qualifier="ZZ"),
            timestamp=dt.datetime(2024, 3, 1, 12),
            delimiters=Delimiters(
                element=element, component=component, segment=segment, suffix=suffix
            ),
        ),
    )
    assert _docs(data) == EXPECTED


def test_crlf_padding_ctrl_z_and_concatenation() -> None:
    crlf = ORDER.replace(b"~\n", b"~\r\n")
    padded = crlf.replace(b"SE*18*0001", b"SE*0018*0001").replace(b"GE*1*", b"GE*000001*")
    padded = padded.replace(b"IEA*1*", b"IEA*00001*")
    second = ORDER.replace(b"000001001", b"000001002")
    data = b"\xef\xbb\xbf" + padded + b"\r\n\r\n" + second + b"\x1a\x00\n"
    assert _docs(data) == EXPECTED * 2


def test_no_newlines_at_all() -> None:
    assert _docs(ORDER.replace(b"\n", b"")) == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 3, 7, 105, 106, 107, 4096])
def test_stream_is_independent_of_chunk_boundaries(size: int) -> None:
    data = ORDER + ORDER.replace(b"000001001", b"000001003")
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    docs = [i.document for i in translators.stream(chunks) if isinstance(i, MessageResult)]
    assert [msgspec.structs.replace(d, envelope=None) for d in docs if d] == EXPECTED * 2


def test_stream_summary_drops_documents_but_keeps_structure() -> None:
    items = list(translators.stream([ORDER]))
    assert isinstance(items[0], MessageResult) and items[0].document is not None
    summary = items[-1]
    assert isinstance(summary, translators.InterchangeResult) and summary.streamed
    assert [m.document for m in summary.messages] == [None]
    assert [m.control for m in summary.messages] == ["0001"]
