"""EDIFACT messages -> canonical documents: ORDERS, ORDRSP, DESADV, INVOIC, CONTRL, APERAK.

Generic checks first (segment structure from ``specs``, unknown and mandatory segments
from ``structure``, released characters), then the message's own mapping, then its GS1
check digits (``keys``). A message with an error is rejected: ``document`` None, located
issues with CONTRL codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Literal

import msgspec

from ..errors import Issue
from ..model import (
    AckError,
    AckRef,
    Document,
    Envelope,
    FunctionalAck,
    Invoice,
    Line,
    OrderResponse,
    Pack,
    Payment,
    PurchaseOrder,
    Shipment,
    ShipNotice,
    Totals,
)
from ..result import MessageResult
from ..text import digits
from .body import Body, LineFields, read_body
from .common import DATE_QUALIFIERS, parse_date
from .invoice import read_invoice
from .keys import key_issues
from .specs import checks_for, element_errors
from .structure import structure_issues
from .tokenizer import Segment

__all__ = ["PURPOSE", "read_message"]

PURPOSE: Mapping[str, str] = {
    "9": "original",
    "1": "cancel",
    "4": "change",
    "5": "replace",
    "6": "confirmation",
    "7": "duplicate",
}
RESPONSE: Mapping[str, str] = {"29": "accepted", "4": "accepted_with_changes", "27": "rejected"}
LINE_ACTION: Mapping[str, str] = {"5": "accepted", "3": "accepted_with_changes", "7": "rejected"}
_ACTION_STATUS: Mapping[str, Literal["accepted", "rejected"]] = {
    "4": "rejected",
    "7": "accepted",
    "8": "accepted",
}


def _line(f: LineFields, status: str | None = None, **invoiced: Any) -> Line:
    """A line from its group's fields; ``invoiced``: an invoice line's tax and
    allowance_charges."""
    return Line(
        line_no=f.line_no,
        product=f.product,
        description=f.description,
        quantity=f.quantity,
        uom=f.uom,
        unit_price=f.unit_price,
        amount=f.amount,
        order_ref=f.order_ref,
        status=status,
        dates=f.dates,
        lot=f.lot,
        outstanding_quantity=f.outstanding,
        **invoiced,
    )


def _lines(body: Body) -> list[Line]:
    return [_line(f) for f in body.lines]


def _totals(body: Body) -> Totals | None:
    return Totals(**body.totals) if body.totals else None


def _bgm(body: Body) -> tuple[str | None, str | None, str | None]:
    bgm = body.bgm
    if bgm is None:
        return None, None, None
    return bgm.get(2, 1) or None, bgm.get(1, 1) or None, bgm.get(3) or None


def _orders(segments: list[Segment], env: Envelope) -> Document:
    body = read_body(segments, orders_are_refs=False)
    number, doc_type, function = _bgm(body)
    return PurchaseOrder(
        number=number,
        date=body.date,
        currency=body.currency,
        parties=body.parties,
        lines=tuple(_lines(body)),
        totals=_totals(body),
        envelope=env,
        references=body.references,
        dates=body.dates,
        purpose=PURPOSE.get(function or "9", f"edifact:{function}"),
        order_type=doc_type,
    )


def _ordrsp(segments: list[Segment], env: Envelope) -> Document:
    body = read_body(segments, orders_are_refs=True)
    number, _, function = _bgm(body)
    lines = [
        _line(f, LINE_ACTION.get(f.action, f"edifact:{f.action}") if f.action else None)
        for f in body.lines
    ]
    return OrderResponse(
        number=number,
        date=body.date,
        currency=body.currency,
        parties=body.parties,
        lines=tuple(lines),
        totals=_totals(body),
        envelope=env,
        references=body.references,
        dates=body.dates,
        order_refs=tuple(body.order_refs),
        status=RESPONSE.get(function or "", f"edifact:{function}") if function else None,
    )


def _desadv(segments: list[Segment], env: Envelope) -> Document:
    body = read_body(segments, orders_are_refs=True, despatch=True)
    number, _, _ = _bgm(body)
    lines = _lines(body)
    shipped, delivery = body.dates.pop("shipped", None), body.dates.pop("estimated_delivery", None)
    shipment = None
    if body.carrier or body.tracking or shipped or delivery:
        shipment = Shipment(
            carrier=body.carrier, tracking=body.tracking, ship_date=shipped, delivery_date=delivery
        )
    packed = {i for p in body.packs for i in p["lines"]}
    if body.consignment_lines and packed:  # the lines apart from the packs' contents
        listed = [line for i, line in enumerate(lines) if i not in packed]
    else:
        listed = lines
    return ShipNotice(
        number=number,
        date=body.date,
        parties=body.parties,
        lines=tuple(listed),
        envelope=env,
        references=body.references,
        dates=body.dates,
        shipment=shipment,
        packs=tuple(
            Pack(sscc=p["sscc"], contents=tuple(lines[i] for i in p["lines"])) for p in body.packs
        ),
        order_refs=tuple(body.order_refs),
    )


def _invoic(segments: list[Segment], env: Envelope) -> Document:
    body = read_body(segments, orders_are_refs=True)
    parts = read_invoice(segments)
    number, doc_type, _ = _bgm(body)
    pay = parts.payment
    if "due_date" in pay:  # the PAT group's DTM is the payment's, not a document date
        key = DATE_QUALIFIERS.get(parts.due_qualifier or "", f"edifact:{parts.due_qualifier}")
        if body.dates.get(key) == pay["due_date"]:
            del body.dates[key]
    if "reference" in pay:
        body.references.pop("edifact:PQ", None)
    lines = [
        _line(
            f,
            tax=parts.line_taxes.get(i),
            allowance_charges=tuple(parts.line_charges.get(i, ())),
        )
        for i, f in enumerate(body.lines)
    ]
    return Invoice(
        number=number,
        date=body.date,
        currency=body.currency,
        parties=body.parties,
        lines=tuple(lines),
        totals=_totals(body),
        envelope=env,
        references=body.references,
        dates=body.dates,
        order_refs=tuple(body.order_refs),
        taxes=tuple(parts.taxes),
        invoice_kind="credit_note" if doc_type == "381" else "invoice",
        payment=Payment(**pay) if pay else None,
        allowance_charges=tuple(parts.charges),
    )


def _contrl(segments: list[Segment], env: Envelope) -> Document:
    refs: list[AckRef] = []
    errors: list[AckError] = []
    current: dict[str, Any] | None = None
    seg_ctx: tuple[str | None, int | None] = (None, None)

    def close() -> None:
        nonlocal current, errors
        if current is not None:
            refs.append(AckRef(errors=tuple(errors), **current))
        current, errors = None, []

    for seg in segments[1:-1]:
        if seg.tag in ("UCI", "UCF", "UCM"):
            close()
            level = {"UCI": "interchange", "UCF": "group", "UCM": "message"}[seg.tag]
            action_at = {"UCI": 4, "UCF": 4, "UCM": 3}[seg.tag]
            code = seg.get(action_at + 1)
            current = {
                "level": level,
                "control": seg.get(1),
                "code": seg.get(2, 1) if seg.tag == "UCM" else None,
                "status": _ACTION_STATUS.get(seg.get(action_at), "rejected"),
                "codes": (code,) if code else (),
            }
        elif seg.tag == "UCS":
            pos = seg.get(1)
            seg_ctx = (None, int(pos) if digits(pos) else None)
            errors.append(AckError(code=seg.get(2), segment_index=seg_ctx[1]))
        elif seg.tag == "UCD":
            el, comp = seg.get(2, 1), seg.get(2, 2)
            errors.append(
                AckError(
                    code=seg.get(1),
                    segment_index=seg_ctx[1],
                    element=int(el) if digits(el) else None,
                    component=int(comp) if digits(comp) else None,
                )
            )
    close()
    status = refs[0].status if refs and refs[0].status else "accepted"
    if status == "accepted" and any(r.status == "rejected" for r in refs[1:]):
        status = "accepted_with_errors"
    return FunctionalAck(
        number=env.message_control, envelope=env, status=status, acknowledges=tuple(refs)
    )


#: BGM 4343 response type of an APERAK -> its status (UNCL 4343: AP accepted, RE rejected,
#: CA conditionally accepted)
_AckStatus = Literal["accepted", "accepted_with_errors", "rejected"]
_APERAK_RESPONSE: Mapping[str, _AckStatus] = {
    "AP": "accepted",
    "RE": "rejected",
    "CA": "accepted_with_errors",
}


def _aperak(segments: list[Segment], env: Envelope) -> Document:
    """An application acknowledgement: the response type in BGM 4343 says accepted or
    rejected when present (an ERC then only explains it), else any ERC rejects; each ERC
    is an error with the FTX text that follows it."""
    body = read_body(segments, orders_are_refs=False)
    number, _, _ = _bgm(body)
    errors: list[AckError] = []
    for seg in segments:
        if seg.tag == "ERC":
            errors.append(AckError(code=seg.get(1, 1)))
        elif seg.tag == "FTX" and errors and errors[-1].message is None:
            text = " ".join(c for c in seg.elements[3] if c) if len(seg.elements) > 3 else ""
            errors[-1] = msgspec.structs.replace(errors[-1], message=text or None)
    response = body.bgm.get(4) if body.bgm is not None else ""
    default: _AckStatus = "rejected" if errors else "accepted"
    status = _APERAK_RESPONSE.get(response or "", default)
    acked = body.references.get("edifact:ACW")
    return FunctionalAck(
        number=number,
        date=body.date,
        envelope=env,
        parties=body.parties,
        references=body.references,
        status=status,
        acknowledges=(AckRef(level="message", control=acked, status=status, errors=tuple(errors)),)
        if acked
        else (),
        errors=() if acked else tuple(errors),
    )


MAPPERS: Mapping[str, Callable[[list[Segment], Envelope], Document]] = {
    "ORDERS": _orders,
    "ORDRSP": _ordrsp,
    "DESADV": _desadv,
    "INVOIC": _invoic,
    "CONTRL": _contrl,
    "APERAK": _aperak,
}


def _structure_issues(segments: list[Segment], code: str, version: str | None) -> list[Issue]:
    issues = []
    checks = checks_for(version)  # the message's directory: its element lengths
    valid_for = checks.valid.get
    for index, seg in enumerate(segments, start=1):
        valid = valid_for(seg.tag)
        if valid is None or (seg.values is not None and valid(seg.values, seg.delimiters)):
            continue  # the common case: nothing to report
        for err in element_errors(seg, checks):
            issues.append(
                Issue(
                    level="element",
                    code=err.code,
                    severity=err.severity,
                    message=err.message,
                    segment_number=seg.number,
                    segment_index=index,
                    segment_tag=seg.tag,
                    element=err.element,
                    component=err.component,
                )
            )
    issues += structure_issues(segments, code)
    return issues


def _cnt_issue(doc: Document, segments: list[Segment]) -> list[Issue]:
    cnt = next((s for s in segments if s.tag == "CNT" and s.get(1, 1) == "2"), None)
    if cnt is None or not digits(cnt.get(1, 2)) or int(cnt.get(1, 2)) == len(doc.lines):
        return []
    return [
        Issue(
            level="segment",
            code="29",
            severity="warning",
            segment_tag="CNT",
            segment_number=cnt.number,
            segment_index=segments.index(cnt) + 1,
            element=1,
            message=f"CNT says {cnt.get(1, 2)} lines, found {len(doc.lines)}",
        )
    ]


#: DTM 2379 formats ``parse_date`` reads; a value in another format is passed over.
_DATE_FORMATS = frozenset({"101", "102", "203", "204", "205"})


def _date_issues(segments: list[Segment]) -> list[Issue]:
    """A DTM whose date cannot be a date (``DTM+137:20251340:102``) is dropped from the
    document, so it is noted where it stands (code 12, invalid value): the syntax lets
    2380 be any text, a calendar does not."""
    return [
        Issue(
            level="element",
            code="12",
            severity="warning",
            segment_tag="DTM",
            segment_number=seg.number,
            segment_index=index,
            element=1,
            component=2,
            bad_value=seg.get(1, 2),
            message=f"{seg.get(1, 2)!r} is not a date in format {seg.get(1, 3) or '102'}",
        )
        for index, seg in enumerate(segments, start=1)
        if seg.tag == "DTM"
        and seg.get(1, 2)
        and (seg.get(1, 3) or "102") in _DATE_FORMATS
        and parse_date(seg.get(1, 2), seg.get(1, 3) or "102") is None
    ]


def read_message(segments: list[Segment], env: Envelope, issues: list[Issue]) -> MessageResult:
    unh = segments[0]
    code = unh.get(2, 1)
    mapper = MAPPERS.get(code)
    found = [*issues, *_structure_issues(segments, code, env.version)]
    document = None
    if mapper is None:
        found.append(
            Issue(
                level="message",
                code="14",
                message=f"message type {code!r} is not supported",
                segment_number=unh.number,
                segment_index=1,
                segment_tag="UNH",
                element=2,
            )
        )
    elif not any(i.is_error for i in found):
        document = mapper(segments, env)
        found += _cnt_issue(document, segments)
        found += key_issues(segments, code)
        found += _date_issues(segments)
    located = [
        replace(
            i,
            message_control=env.message_control,
            interchange_control=env.interchange_control,
            group_control=env.group_control,
        )
        for i in found
    ]
    rejected = any(i.is_error for i in located)
    return MessageResult(
        code=code,
        control=unh.get(1) or None,
        version=env.version,
        document=None if rejected else document,
        issues=tuple(located),
        segment_count=len(segments),
        first_segment=unh.number,
        interchange_control=env.interchange_control,
        group_control=env.group_control,
    )
