"""The canonical document model: one shape for X12, EDIFACT and XML alike.

Every reader produces these dataclasses and every writer consumes them, so that the
gateway, the ERP step and the tests never see a syntax. The JSON keys are a public
contract (DESIGN.md): new keys may be added, existing ones are never renamed.

Conventions every translator follows, so that the same business document gives equal
canonical values whatever syntax it arrived in:

* Identifier schemes (party ``ids`` and line ``product``) are lower-case names from
  ``translators.codes`` (``gln``, ``duns``, ``gtin``, ``buyer``, ``vendor``, ...) when the
  qualifier has a well-known meaning, else ``"<syntax>:<qualifier>"`` (``x12:92``,
  ``edifact:91``, ``ubl:ZZZ``) so nothing is lost.
* Units of measure are UN/ECE Recommendation 20 codes (``EA``, ``C62``, ``KGM``...);
  X12 unit codes are mapped to and from Rec 20 by ``translators.codes``.
* Party roles are the lower-case names in ``PARTY_ROLES``.
* Amounts are the decimal values as written (X12 implied-decimal fields such as TDS01
  are scaled by the reader). Nothing is computed that the document does not state.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeAlias

__all__ = [
    "DOCUMENT_TYPES",
    "PARTY_ROLES",
    "AckError",
    "AckRef",
    "Address",
    "Document",
    "Envelope",
    "FunctionalAck",
    "Invoice",
    "Line",
    "OrderRef",
    "OrderResponse",
    "Pack",
    "Party",
    "PartyId",
    "PurchaseOrder",
    "ShipNotice",
    "Shipment",
    "Tax",
    "Totals",
    "from_dict",
    "from_json",
    "to_dict",
    "to_json",
]

Syntax: TypeAlias = Literal["x12", "edifact", "xml"]

#: Canonical party roles. Readers map X12 N101 / EDIFACT NAD 3035 / UBL party elements here.
PARTY_ROLES = (
    "buyer",  # X12 BY, EDIFACT BY, UBL BuyerCustomerParty
    "seller",  # X12 SE/SU/VN, EDIFACT SU/SE, UBL SellerSupplierParty / AccountingSupplierParty
    "ship_to",  # X12 ST, EDIFACT DP/ST, UBL Delivery/DeliveryLocation / DeliveryCustomerParty
    "ship_from",  # X12 SF, EDIFACT SF, UBL DespatchSupplierParty / Despatch
    "bill_to",  # X12 BT, EDIFACT IV, UBL AccountingCustomerParty
    "remit_to",  # X12 RI/RE, EDIFACT PE/RE, UBL PayeeParty
    "carrier",  # X12 CA, EDIFACT CA, UBL CarrierParty
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyId:
    """An interchange-level identity: the id and the qualifier that says what it is."""

    id: str
    qualifier: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Envelope:
    """Where a document came from (or goes to) in its syntax's envelope."""

    format: Syntax
    version: str | None = None  # GS08 / UNH S009 "D:96A" / UBLVersionID
    message_type: str | None = None  # ST01 "850" / UNH "ORDERS" / root "Order"
    sender: PartyId | None = None  # ISA05/06, UNB S002, UBL sender endpoint
    receiver: PartyId | None = None
    group_sender: str | None = None  # GS02 / UNG S006
    group_receiver: str | None = None  # GS03 / UNG S007
    interchange_control: str | None = None  # ISA13 / UNB 0020
    group_control: str | None = None  # GS06 / UNG 0048
    message_control: str | None = None  # ST02 / UNH 0062
    test: bool = False  # ISA15 == "T" / UNB 0035 == "1"
    syntax_version: str | None = None  # ISA12 / UNB S001 "UNOC:3"


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    lines: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 when the document gives one


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    name: str | None = None
    ids: dict[str, str] = field(default_factory=dict)
    address: Address | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRef:
    """A reference to a purchase order (X12 PRF/BIG04, EDIFACT RFF+ON, UBL OrderReference)."""

    number: str
    date: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    line_no: str | None = None
    product: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    quantity: Decimal | None = None
    uom: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    #: order_response lines: accepted | accepted_with_changes | rejected | backordered
    status: str | None = None
    #: ship_notice and invoice lines: the order line they fulfil, when stated
    order_ref: OrderRef | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    lines: Decimal | None = None  # sum of line amounts (X12 AMT*1/TT, UBL LineExtensionAmount)
    allowances: Decimal | None = None
    charges: Decimal | None = None
    net: Decimal | None = None  # tax exclusive
    tax: Decimal | None = None
    gross: Decimal | None = None  # tax inclusive (X12 TDS01, EDIFACT MOA 77/86)
    prepaid: Decimal | None = None
    payable: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Tax:
    category: str | None = None  # "VAT", X12 TXI01 "ST", UBL TaxCategory/ID "S"
    rate: Decimal | None = None  # percent
    base: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Shipment:
    carrier: str | None = None  # SCAC / carrier name
    service: str | None = None
    tracking: str | None = None  # bill of lading / pro number / tracking number
    ship_date: dt.date | None = None
    delivery_date: dt.date | None = None
    weight: Decimal | None = None
    weight_uom: str | None = None
    package_count: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Pack:
    """A physical handling unit of a ship notice and the lines packed in it."""

    sscc: str | None = None
    package_type: str | None = None
    contents: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AckError:
    """One error named in an acknowledgement, located as the acknowledgement locates it."""

    code: str  # AK304/AK403/IK304/IK403, CONTRL 0085, ApplicationResponse code
    segment_tag: str | None = None
    segment_index: int | None = None  # position within the acknowledged message
    element: int | None = None
    component: int | None = None
    xpath: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AckRef:
    """One acknowledged unit: a group (AK1, UCF) or a message (AK2, UCM), or a document."""

    level: Literal["interchange", "group", "message"]
    control: str
    code: str | None = None  # functional id "PO", message type "850" / "ORDERS"
    status: Literal["accepted", "accepted_with_errors", "rejected"] | None = None
    codes: tuple[str, ...] = ()  # AK5/IK5/AK9 syntax error codes, UCM/UCI 0085
    errors: tuple[AckError, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """Fields every canonical document has. Concrete kinds below set ``type``."""

    type: ClassVar[str]
    number: str | None = None
    date: dt.date | None = None
    currency: str | None = None
    parties: dict[str, Party] = field(default_factory=dict)
    lines: tuple[Line, ...] = ()
    totals: Totals | None = None
    envelope: Envelope | None = None
    #: other references by scheme ("contract", "x12:DP", "edifact:CT" ...)
    references: dict[str, str] = field(default_factory=dict)
    #: named dates: requested_delivery, requested_ship, delivery, shipped, due, ...
    dates: dict[str, dt.date] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrder(Document):
    type: ClassVar[str] = "purchase_order"
    purpose: str | None = None  # original | replace | cancel ... (X12 BEG01, BGM 1225)
    order_type: str | None = None  # X12 BEG02 "SA", EDIFACT BGM 1001 "220"


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderResponse(Document):
    type: ClassVar[str] = "order_response"
    #: accepted | accepted_with_changes | rejected
    status: str | None = None
    order_refs: tuple[OrderRef, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ShipNotice(Document):
    """``lines`` holds every shipped item; ``packs`` the same items grouped by pack."""

    type: ClassVar[str] = "ship_notice"
    shipment: Shipment | None = None
    packs: tuple[Pack, ...] = ()
    order_refs: tuple[OrderRef, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice(Document):
    type: ClassVar[str] = "invoice"
    invoice_kind: Literal["invoice", "credit_note"] = "invoice"
    order_refs: tuple[OrderRef, ...] = ()
    taxes: tuple[Tax, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionalAck(Document):
    """997 / 999 / TA1 / CONTRL / UBL ApplicationResponse."""

    type: ClassVar[str] = "functional_ack"
    status: Literal["accepted", "accepted_with_errors", "rejected"] = "accepted"
    acknowledges: tuple[AckRef, ...] = ()
    errors: tuple[AckError, ...] = ()


DOCUMENT_TYPES: Mapping[str, type[Document]] = {
    cls.type: cls for cls in (PurchaseOrder, OrderResponse, ShipNotice, Invoice, FunctionalAck)
}


# --- JSON --------------------------------------------------------------------------------


def to_dict(doc: Document) -> dict[str, Any]:
    """Plain-JSON form: ``type`` first, Decimal as string, dates ISO 8601, None omitted."""
    out: dict[str, Any] = {"type": doc.type}
    out.update(_encode(doc))
    return out


def to_json(doc: Document, *, indent: int | None = None) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=indent)


def from_dict(data: Mapping[str, Any]) -> Document:
    """Inverse of ``to_dict``; raises ``ValueError`` naming the offending key."""
    kind = data.get("type")
    cls = DOCUMENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"unknown document type {kind!r}; expected one of {list(DOCUMENT_TYPES)}")
    fields = {k: v for k, v in data.items() if k != "type"}
    return typing.cast(Document, _decode_dataclass(cls, fields, "$"))


def from_json(text: str | bytes) -> Document:
    return from_dict(json.loads(text))


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if v is None:
                continue
            out[f.name] = _encode(v)
        return out
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _decode_dataclass(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected an object for {cls.__name__}")
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.init}
    kwargs: dict[str, Any] = {}
    for key, raw in data.items():
        if key not in known:
            raise ValueError(f"{path}.{key}: unknown key for {cls.__name__}")
        kwargs[key] = _decode(hints[key], raw, f"{path}.{key}")
    return cls(**kwargs)


def _decode(hint: Any, raw: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if raw is None:
            return None
        return _decode(args[0], raw, path)
    if origin is Literal:
        if raw not in typing.get_args(hint):
            raise ValueError(f"{path}: {raw!r} is not one of {typing.get_args(hint)}")
        return raw
    if origin is tuple:
        if not isinstance(raw, list):
            raise ValueError(f"{path}: expected a list")
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v, f"{path}[{i}]") for i, v in enumerate(raw))
    if origin is dict:
        if not isinstance(raw, Mapping):
            raise ValueError(f"{path}: expected an object")
        value_hint = typing.get_args(hint)[1]
        return {str(k): _decode(value_hint, v, f"{path}.{k}") for k, v in raw.items()}
    if dataclasses.is_dataclass(hint):
        return _decode_dataclass(typing.cast(type, hint), raw, path)
    try:
        if hint is Decimal:
            if isinstance(raw, bool) or not isinstance(raw, str | int):
                raise ValueError("expected a decimal string")
            return Decimal(raw)
        if hint is dt.datetime:
            return dt.datetime.fromisoformat(raw)
        if hint is dt.date:
            return dt.date.fromisoformat(raw)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {raw!r} is not a valid {hint.__name__}") from exc
    if hint is bool:
        if not isinstance(raw, bool):
            raise ValueError(f"{path}: expected true or false")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"{path}: expected an integer")
        return raw
    if hint is str:
        if not isinstance(raw, str):
            raise ValueError(f"{path}: expected a string")
        return raw
    raise ValueError(f"{path}: cannot decode type {hint!r}")
