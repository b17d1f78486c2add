"""Writing X12: canonical documents -> sets -> GS groups -> one ISA interchange.

Control numbers and the timestamp come from ``WriteSettings``; the ISA is padded to its
fixed widths; counts are computed, never trusted. X12 has no release character, so a
value containing a delimiter cannot be written: that is a ``RenderError``, not a
silently corrupted interchange.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..api import WriteSettings
from ..errors import RenderError
from ..model import (
    Document,
    Invoice,
    OrderResponse,
    PartyId,
    PurchaseOrder,
    ShipNotice,
)
from ..result import Delimiters
from ..segmented import pick_writer
from ..text import digits
from ..writable import ASCII, check_documents, check_text
from .sets.invoice import write_810
from .sets.orders import write_850, write_855
from .sets.ship_notice import write_856
from .specs import RULES, Rules, rules_for

__all__ = ["FUNCTIONAL_ID", "TARGETS", "GroupOut", "default_delimiters", "interchange", "write"]

Body = Iterable[list[str]]

_WRITERS: Mapping[str, tuple[type[Document], Callable[[Document], Body]]] = {
    "850": (PurchaseOrder, write_850),
    "855": (OrderResponse, write_855),
    "856": (ShipNotice, write_856),
    "810": (Invoice, write_810),
}
#: what ``write`` accepts as ``x12:<code>``
TARGETS = tuple(_WRITERS)
FUNCTIONAL_ID: Mapping[str, str] = {
    "850": "PO",
    "855": "PR",
    "856": "SH",
    "810": "IN",
    "997": "FA",
    "999": "FA",
}


@dataclass(frozen=True, slots=True)
class GroupOut:
    functional_id: str
    version: str  # GS08
    sets: Sequence[tuple[str, Body, str | None]]  # (ST01, body, ST03)
    sender: str | None = None
    receiver: str | None = None


def default_delimiters(isa12: str) -> Delimiters:
    return Delimiters(
        element="*",
        component=">",
        segment="~",
        suffix="\n",
        repetition="^" if isa12 >= "00501" else None,
    )


def _check(value: str, delims: Delimiters, where: str) -> str:
    for name, sep in (
        ("element", delims.element),
        ("component", delims.component),
        ("segment", delims.segment),
        ("repetition", delims.repetition),
    ):
        if sep and sep in value:
            raise RenderError(
                f"{where}: value {value!r} contains the {name} separator "
                f"{sep!r}; X12 has no escape for it"
            )
    return value


def _isa_id(party: PartyId, where: str, delims: Delimiters) -> tuple[str, str]:
    """ISA05/06 (07/08): fixed width, so printable ASCII that fits, never cut."""
    qualifier = party.qualifier or "ZZ"
    check_text(qualifier, f"{where}.qualifier", ASCII)
    check_text(party.id, f"{where}.id", ASCII)
    if len(qualifier) > 2:
        raise RenderError(
            f"{where}: interchange id qualifier {qualifier!r} is longer than the "
            "2 characters of X12 ISA05/ISA07",
            field=f"{where}.qualifier",
        )
    if len(party.id) > 15:
        raise RenderError(
            f"{where}: interchange id {party.id!r} is longer than 15 characters",
            field=f"{where}.id",
        )
    _check(qualifier, delims, where)
    _check(party.id, delims, where)
    return qualifier.ljust(2), party.id.ljust(15)


def interchange(
    groups: Sequence[GroupOut],
    settings: WriteSettings,
    *,
    sender: PartyId,
    receiver: PartyId,
    isa12: str,
    loose: Sequence[list[str]] = (),
) -> bytes:
    """Serialise whole groups (plus ``loose`` interchange-level segments such as TA1).

    Segments are checked and written one at a time and a set's body may be a generator,
    so a 997 answering 200,000 sets never holds them all as lists."""
    delims = settings.delimiters or default_delimiters(isa12)
    stamp = settings.timestamp
    s_qual, s_id = _isa_id(sender, "sender", delims)
    r_qual, r_id = _isa_id(receiver, "receiver", delims)
    isa11 = delims.repetition if isa12 >= "00501" and delims.repetition else "U"
    end = delims.segment + delims.suffix
    out = io.StringIO()

    def emit(seg: list[str], rules: Rules = RULES) -> None:
        seg = rules.written(seg)
        values = seg if seg[0] == "ISA" else [_check(v, delims, seg[0]) for v in seg]
        for err in rules.check(seg):
            raise RenderError(
                f"{seg[0]}{err.position:02d}: {err.message} - the document "
                "cannot be written as valid X12"
            )
        out.write(delims.element.join(values))
        out.write(end)

    emit(
        [
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            s_qual,
            s_id,
            r_qual,
            r_id,
            stamp.strftime("%y%m%d"),
            stamp.strftime("%H%M"),
            isa11,
            isa12,
            f"{settings.interchange_control:09d}",
            "1" if settings.ack_requested else "0",
            "T" if settings.test else "P",
            delims.component,
        ]
    )
    for seg in loose:
        emit(seg)
    group_no, set_no = settings.group_control, settings.message_control
    for group in groups:
        rules = rules_for(group.version)[0]
        emit(
            [
                "GS",
                group.functional_id,
                check_text(
                    group.sender or settings.group_sender or sender.id, "group_sender", ASCII
                ),
                check_text(
                    group.receiver or settings.group_receiver or receiver.id,
                    "group_receiver",
                    ASCII,
                ),
                stamp.strftime("%Y%m%d"),
                stamp.strftime("%H%M"),
                str(group_no),
                "X",
                group.version,
            ],
            rules,
        )
        for code, body, st03 in group.sets:
            control = f"{set_no:04d}"
            emit(["ST", code, control] + ([st03] if st03 else []), rules)
            count = 2
            for seg in body:
                emit(seg, rules)
                count += 1
            emit(["SE", str(count), control], rules)
            set_no += 1
        emit(["GE", str(len(group.sets)), str(group_no)], rules)
        group_no += 1
    emit(["IEA", str(len(groups)), f"{settings.interchange_control:09d}"])
    return out.getvalue().encode("utf-8")


def write(documents: Sequence[Document], *, target: str, settings: WriteSettings) -> bytes:
    body_of, sender, receiver = pick_writer(_WRITERS, "x12", target, documents, settings)
    check_documents(documents, ASCII, gs1=settings.check_gs1)
    version = settings.version or "004010"
    if not (len(version) >= 6 and digits(version[:6])):
        raise RenderError(f"X12 version {version!r} is not like 004010 or 005010")
    group = GroupOut(
        FUNCTIONAL_ID[target], version, [(target, body_of(doc), None) for doc in documents]
    )
    return interchange([group], settings, sender=sender, receiver=receiver, isa12=version[:5])
