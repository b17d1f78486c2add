"""Ship notices whose lines differ from their packs' contents round-trip in X12 856 and
EDIFACT DESADV (issue "Hardening the core", item 2): before, line 1 was written twice and
the DESADV re-read with "CNT says 2 lines, found 3"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec
import pytest

import translators
from tests.conftest import OWN_SAMPLES
from translators import WriteSettings
from translators.model import Line, Pack, PartyId, ShipNotice

SETTINGS = WriteSettings(
    sender=PartyId(id="US", qualifier="ZZ"),
    receiver=PartyId(id="THEM", qualifier="ZZ"),
    timestamp=dt.datetime(2024, 5, 6, 7, 8),
)
TARGETS = ["x12:856", "edifact:DESADV"]


def _line(no: str, qty: int, gtin: str = "05412345000013") -> Line:
    return Line(line_no=no, product={"gtin": gtin}, quantity=Decimal(qty), uom="EA")


def _notice(lines: tuple[Line, ...], packs: tuple[Pack, ...]) -> ShipNotice:
    base = translators.from_json((OWN_SAMPLES / "canonical" / "ship_notice.json").read_text())
    assert isinstance(base, ShipNotice)
    return msgspec.structs.replace(base, lines=lines, packs=packs)


def _again(doc: ShipNotice, target: str) -> ShipNotice:
    data = translators.write([doc], target=target, settings=SETTINGS)
    (ix,) = translators.read(data)
    assert ix.status == "accepted", [translators.format_issue(i, target) for i in ix.all_issues]
    (back,) = ix.documents
    assert isinstance(back, ShipNotice)
    return back


SPLIT = _notice(  # line 1 (10) shipped as 4 + 6 in two packs, line 2 in the second
    (_line("1", 10), _line("2", 5, "05412345000020")),
    (
        Pack(sscc="354123450000000014", contents=(_line("1", 4),)),
        Pack(sscc="354123450000000021", contents=(_line("1", 6), _line("2", 5, "05412345000020"))),
    ),
)
CHANGED = _notice(  # the packed item differs from its line (the reported repro)
    (_line("1", 12), _line("2", 5, "05412345000020")),
    (
        Pack(sscc="354123450000000014", contents=(_line("1", 11),)),
        Pack(sscc="354123450000000021", contents=(_line("2", 5, "05412345000020"),)),
    ),
)
REORDERED = _notice(  # same items, lines in another order than the packs
    (_line("2", 5, "05412345000020"), _line("1", 12)),
    (
        Pack(sscc="354123450000000014", contents=(_line("1", 12),)),
        Pack(sscc="354123450000000021", contents=(_line("2", 5, "05412345000020"),)),
    ),
)
PLAIN = _notice(  # lines = packed contents + one unpacked line: the pick-and-pack layout
    (_line("1", 12), _line("2", 5, "05412345000020"), _line("3", 1, "05412345000037")),
    (
        Pack(sscc="354123450000000014", contents=(_line("1", 12),)),
        Pack(sscc="354123450000000021", contents=(_line("2", 5, "05412345000020"),)),
    ),
)
NO_SSCC = _notice(
    (_line("1", 10),),
    (Pack(contents=(_line("1", 4),)), Pack(sscc="354123450000000021", contents=(_line("1", 6),))),
)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(
    "doc",
    [SPLIT, CHANGED, REORDERED, PLAIN, NO_SSCC],
    ids=["split", "changed", "reordered", "plain", "no_sscc"],
)
def test_lines_and_packs_read_back_equal(doc: ShipNotice, target: str) -> None:
    back = _again(doc, target)
    assert back.lines == doc.lines
    assert back.packs == doc.packs


def test_the_pick_and_pack_layout_is_kept_when_lines_are_the_packs_contents() -> None:
    data = translators.write([PLAIN], target="x12:856", settings=SETTINGS).decode()
    levels = [seg.split("*")[3] for seg in data.split("~\n") if seg.startswith("HL*")]
    assert levels == ["S", "O", "P", "I", "P", "I", "I"]


@pytest.mark.timeout(20)
def test_an_hl_that_names_itself_as_parent_does_not_hang_the_reader() -> None:
    data = (
        b"ISA*00*          *00*          *ZZ*AA             *ZZ*BB             *240301*1200*U*"
        b"00401*000000001*0*P*>~GS*SH*AA*BB*20240301*1200*1*X*004010~ST*856*0001~"
        b"BSN*00*XY*20240301*0000~HL*1**S~HL*2*2*O~HL*3*2*I~LIN**VN*A~SN1**1*EA~CTT*3~"
        b"SE*9*0001~GE*1*1~IEA*1*000000001~"
    )
    (ix,) = translators.read(data)
    (doc,) = ix.documents
    assert isinstance(doc, ShipNotice) and len(doc.lines) == 1 and doc.packs == ()
