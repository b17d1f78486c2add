"""The canonical document model: one shape for X12, EDIFACT and XML alike.

Every reader produces these structs and every writer consumes them, so that the gateway,
the ERP step and the tests never see a syntax. The JSON keys are a public contract
(DESIGN.md): new keys may be added, existing ones are never renamed.

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

The classes are frozen, keyword-only ``msgspec.Struct`` classes ( change one with
``msgspec.structs.replace``). The document kinds are a tagged union on the JSON key
``type``; ``doc.type`` is the kind name as a class attribute.

JSON form, encoded and decoded by msgspec: ``type`` first, then the fields in declaration
order; ``Decimal`` as a string (decoded exactly, never through ``float``; a JSON number
is accepted for a ``Decimal`` and read exactly from its text); dates ISO 8601.

Which keys are present: every struct sets ``omit_defaults=True``, and only fields whose
default is ``None`` use a plain default, so only ``None`` values are left out. Every
other default (empty ``lines``/``parties``/... , ``envelope.test`` false,
``invoice_kind`` "invoice", a functional ack's ``status`` "accepted") is given through a
``default_factory`` that msgspec does not treat as "empty", so those keys are always
written, exactly as before the move to msgspec: tools may rely on ``lines``,
``status``, ``invoice_kind`` and ``test`` being present. (msgspec omits a value that is
the plain default object, or an empty collection whose factory is ``list``/``dict``/
``tuple``..., so a plain ``= "accepted"`` would drop the key for values built from the
literal and keep it for values decoded from JSON.)

Decoding checks every type and refuses unknown keys; a malformed document raises
``translators.errors.CanonicalJsonError`` naming the JSON path
(``$.lines[0].quantity: Expected `decimal | null`, got `array```; a value in a map such
as ``parties`` or ``dates`` is named ``$.parties[...]``, msgspec does not give its key).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar

import msgspec

from .errors import CanonicalJsonError

__all__ = [
    "DOCUMENT_TYPES",
    "PARTY_ROLES",
    "AckError",
    "AckRef",
    "Address",
    "AllowanceCharge",
    "AnyDocument",
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
    "Payment",
    "PurchaseOrder",
    "ShipNotice",
    "Shipment",
    "Tax",
    "Totals",
    "from_dict",
    "from_json",
    "from_json_documents",
    "to_dict",
    "to_json",
    "to_json_bytes",
]

_T = TypeVar("_T")


class _Model(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    omit_defaults=True,
    forbid_unknown_fields=True,
    repr_omit_defaults=True,
    gc=False,  # values hold only str/Decimal/date, dicts and tuples of structs: no cycles
):
    """Base of every model struct (shared configuration; not a document kind)."""


def _kept(value: _T) -> _T:
    """An immutable default that is still written to JSON (see the module docstring)."""
    return msgspec.field(default_factory=lambda: value)


def _new_tuple() -> tuple[Any, ...]:
    return ()


def _new_dict() -> dict[Any, Any]:
    return {}


def _no_items() -> Any:
    """Default ``()`` that is still written as ``[]`` (see the module docstring)."""
    return msgspec.field(default_factory=_new_tuple)


def _no_entries() -> Any:
    """Default ``{}`` (a fresh dict each time) that is still written as ``{}``."""
    return msgspec.field(default_factory=_new_dict)


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


class PartyId(_Model, frozen=True, kw_only=True):
    """An interchange-level identity: the id and the qualifier that says what it is."""

    id: str
    qualifier: str | None = None


class Envelope(_Model, frozen=True, kw_only=True):
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
    test: bool = _kept(False)  # ISA15 == "T" / UNB 0035 == "1"
    syntax_version: str | None = None  # ISA12 / UNB S001 "UNOC:3"


class Address(_Model, frozen=True, kw_only=True):
    """A postal address. ``street``/``street2`` are the first two lines (X12 N301/N302,
    NAD C059 first two, UBL StreetName/AdditionalStreetName); ``lines`` holds any further
    ones (UBL AddressLine, NAD C059 third and fourth), so nothing a document gives is lost."""

    street: str | None = None
    street2: str | None = None
    lines: tuple[str, ...] = ()
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 when the document gives one

    @classmethod
    def of(cls, street_lines: Sequence[str], **rest: Any) -> Address:
        """An address from its street lines in document order (empty ones dropped)."""
        kept = [s for s in street_lines if s]
        return cls(
            street=kept[0] if kept else None,
            street2=kept[1] if len(kept) > 1 else None,
            lines=tuple(kept[2:]),
            **rest,
        )

    @property
    def street_lines(self) -> tuple[str, ...]:
        """Every street line in order: ``street``, ``street2``, then ``lines``."""
        return tuple(s for s in (self.street, self.street2) if s) + self.lines


class Party(_Model, frozen=True, kw_only=True):
    """``name`` is the trading name (UBL PartyName); ``legal_name`` the registered name
    (UBL PartyLegalEntity/RegistrationName, EN 16931 BT-27/BT-44). A VAT number is the
    id scheme ``vat``."""

    name: str | None = None
    legal_name: str | None = None
    ids: dict[str, str] = _no_entries()
    address: Address | None = None


class OrderRef(_Model, frozen=True, kw_only=True):
    """A reference to a purchase order (X12 PRF/BIG04, EDIFACT RFF+ON, UBL OrderReference)."""

    number: str
    date: dt.date | None = None


class Line(_Model, frozen=True, kw_only=True):
    line_no: str | None = None
    product: dict[str, str] = _no_entries()
    description: str | None = None
    quantity: Decimal | None = None
    uom: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    #: order_response lines: accepted | accepted_with_changes | rejected | backordered
    status: str | None = None
    #: ship_notice and invoice lines: the order line they fulfil, when stated
    order_ref: OrderRef | None = None
    #: invoice lines: the tax that applies (scheme, UNCL5305 code, rate)
    tax: Tax | None = None
    allowance_charges: tuple[AllowanceCharge, ...] = ()
    #: invoice lines: the quantity ``unit_price`` is for, when not one unit (UBL
    #: Price/BaseQuantity, EN 16931 BT-149; in the line's ``uom``)
    price_quantity: Decimal | None = None
    #: order_response lines: the UNCL1229 line status code as sent, kept only when
    #: ``status`` would be written back as another code (1 added, 42 already delivered)
    status_code: str | None = None
    #: order_response and ship_notice lines: the id of the order line answered or
    #: fulfilled (UBL OrderLineReference/LineID) when it is not the line's own ``line_no``
    order_line: str | None = None
    #: named line dates, as the document's ``dates``: requested_delivery and
    #: promised_delivery (with ``_end`` for a period's end), expiry (a lot's expiry date,
    #: UBL LotIdentification/ExpiryDate), best_before (UBL ItemInstance/BestBeforeDate)
    dates: dict[str, dt.date] = {}
    #: ship_notice lines: the quantity still to come (UBL OutstandingQuantity), in ``uom``
    outstanding_quantity: Decimal | None = None
    #: the production lot (batch) of the goods (UBL LotIdentification/LotNumberID)
    lot: str | None = None
    #: ship_notice lines: a trace id of the item instance (UBL ProductTraceID, e.g. a UDI)
    trace_id: str | None = None
    #: order_response lines: the item the seller delivers instead of the one ordered (UBL
    #: SellerSubstitutedLineItem): its ``line_no``, ``product``, ``description``, ``tax``
    substitute: Line | None = None


class Totals(_Model, frozen=True, kw_only=True):
    lines: Decimal | None = None  # sum of line amounts (X12 AMT*1/TT, UBL LineExtensionAmount)
    allowances: Decimal | None = None
    charges: Decimal | None = None
    net: Decimal | None = None  # tax exclusive
    tax: Decimal | None = None
    gross: Decimal | None = None  # tax inclusive (X12 TDS01, EDIFACT MOA 77/86)
    prepaid: Decimal | None = None
    payable: Decimal | None = None
    rounding: Decimal | None = None  # UBL PayableRoundingAmount (EN 16931 BT-114)


class Tax(_Model, frozen=True, kw_only=True):
    """A tax on a line (``category``, ``code``, ``rate``) or an invoice's tax subtotal
    (with ``base`` and ``amount``)."""

    category: str | None = None  # the tax scheme: "VAT", X12 TXI01 "ST", UBL TaxScheme/ID
    code: str | None = None  # UNCL5305 category code: S, Z, E, AE, K, G, O, L, M
    rate: Decimal | None = None  # percent
    base: Decimal | None = None
    amount: Decimal | None = None
    exemption_reason: str | None = None  # text (EN 16931 BT-120)
    exemption_code: str | None = None  # VATEX code (BT-121)


class AllowanceCharge(_Model, frozen=True, kw_only=True):
    """An allowance (``charge`` false) or a charge on a line or a whole document
    (X12 SAC, EDIFACT ALC/MOA, UBL AllowanceCharge)."""

    charge: bool = _kept(False)
    amount: Decimal | None = None
    base: Decimal | None = None
    percent: Decimal | None = None
    reason: str | None = None
    reason_code: str | None = None  # UNCL5189 (allowance) / UNCL7161 (charge)
    tax: Tax | None = None


class Payment(_Model, frozen=True, kw_only=True):
    """How and when an invoice is to be paid (X12 ITD, EDIFACT PAT/DTM/FII, UBL
    PaymentMeans/PaymentTerms/DueDate)."""

    due_date: dt.date | None = None
    terms: str | None = None  # payment terms as text
    means: str | None = None  # UNCL4461 code: 30 credit transfer, 58 SEPA, 49 direct debit
    iban: str | None = None  # the payee's account (IBAN or another account id)
    bic: str | None = None
    account_name: str | None = None
    reference: str | None = None  # remittance information the payer quotes


class Shipment(_Model, frozen=True, kw_only=True):
    carrier: str | None = None  # SCAC / carrier name
    service: str | None = None
    tracking: str | None = None  # bill of lading / pro number / tracking number
    ship_date: dt.date | None = None
    delivery_date: dt.date | None = None
    weight: Decimal | None = None
    weight_uom: str | None = None
    package_count: int | None = None


class Pack(_Model, frozen=True, kw_only=True):
    """A physical handling unit of a ship notice and the lines packed in it."""

    sscc: str | None = None
    package_type: str | None = None
    contents: tuple[Line, ...] = _no_items()
    #: a handling unit id that is not an SSCC (UBL TransportHandlingUnit/ID without the
    #: SSCC scheme), so that the pack is not lost
    id: str | None = None


class AckError(_Model, frozen=True, kw_only=True):
    """One error named in an acknowledgement, located as the acknowledgement locates it."""

    code: str  # AK304/AK403/IK304/IK403, CONTRL 0085, ApplicationResponse code
    segment_tag: str | None = None
    segment_index: int | None = None  # position within the acknowledged message
    element: int | None = None
    component: int | None = None
    xpath: str | None = None
    message: str | None = None


class AckRef(_Model, frozen=True, kw_only=True):
    """One acknowledged unit: a group (AK1, UCF) or a message (AK2, UCM), or a document."""

    level: Literal["interchange", "group", "message"]
    control: str
    code: str | None = None  # functional id "PO", message type "850" / "ORDERS"
    status: Literal["accepted", "accepted_with_errors", "rejected"] | None = None
    codes: tuple[str, ...] = _no_items()  # AK5/IK5/AK9 syntax error codes, UCM/UCI 0085
    errors: tuple[AckError, ...] = _no_items()


class Document(_Model, frozen=True, kw_only=True, tag_field="type"):
    """Fields every canonical document has. Concrete kinds below set ``type``."""

    type: ClassVar[str]
    number: str | None = None
    date: dt.date | None = None
    currency: str | None = None
    parties: dict[str, Party] = _no_entries()
    lines: tuple[Line, ...] = _no_items()
    totals: Totals | None = None
    envelope: Envelope | None = None
    #: other references by scheme ("contract", "x12:DP", "edifact:CT" ...)
    references: dict[str, str] = _no_entries()
    #: named dates: requested_delivery, requested_ship, delivery, shipped, due, ...
    dates: dict[str, dt.date] = _no_entries()
    notes: tuple[str, ...] = _no_items()


class PurchaseOrder(Document, frozen=True, kw_only=True, tag="purchase_order"):
    type: ClassVar[str] = "purchase_order"
    purpose: str | None = None  # original | replace | cancel ... (X12 BEG01, BGM 1225)
    order_type: str | None = None  # X12 BEG02 "SA", EDIFACT BGM 1001 "220"
    #: document-level allowances and charges (UBL AllowanceCharge; Peppol T01 totals them)
    allowance_charges: tuple[AllowanceCharge, ...] = ()


class OrderResponse(Document, frozen=True, kw_only=True, tag="order_response"):
    type: ClassVar[str] = "order_response"
    #: accepted | accepted_with_changes | rejected
    status: str | None = None
    order_refs: tuple[OrderRef, ...] = _no_items()
    #: document-level allowances and charges (an order agreement totals them)
    allowance_charges: tuple[AllowanceCharge, ...] = ()
    #: tax subtotals (an order agreement's TaxTotal/TaxSubtotal)
    taxes: tuple[Tax, ...] = ()
    #: an order agreement (Peppol BIS 42, T110: the terms both sides agreed, with totals
    #: and no response codes) rather than a response to an order; writers choose its form
    agreement: bool = False


class ShipNotice(Document, frozen=True, kw_only=True, tag="ship_notice"):
    """``lines`` holds every shipped item; ``packs`` the same items grouped by pack."""

    type: ClassVar[str] = "ship_notice"
    shipment: Shipment | None = None
    packs: tuple[Pack, ...] = _no_items()
    order_refs: tuple[OrderRef, ...] = _no_items()


class Invoice(Document, frozen=True, kw_only=True, tag="invoice"):
    type: ClassVar[str] = "invoice"
    invoice_kind: Literal["invoice", "credit_note"] = _kept("invoice")
    order_refs: tuple[OrderRef, ...] = _no_items()
    taxes: tuple[Tax, ...] = _no_items()
    payment: Payment | None = None
    #: document-level allowances and charges
    allowance_charges: tuple[AllowanceCharge, ...] = ()


class FunctionalAck(Document, frozen=True, kw_only=True, tag="functional_ack"):
    """997 / 999 / TA1 / CONTRL / UBL ApplicationResponse."""

    type: ClassVar[str] = "functional_ack"
    status: Literal["accepted", "accepted_with_errors", "rejected"] = _kept("accepted")
    acknowledges: tuple[AckRef, ...] = _no_items()
    errors: tuple[AckError, ...] = _no_items()


DOCUMENT_TYPES: Mapping[str, type[Document]] = {
    cls.type: cls for cls in (PurchaseOrder, OrderResponse, ShipNotice, Invoice, FunctionalAck)
}

#: The decoded type of a canonical document: the tagged union of the kinds.
AnyDocument: TypeAlias = PurchaseOrder | OrderResponse | ShipNotice | Invoice | FunctionalAck


# --- JSON --------------------------------------------------------------------------------

_encoder = msgspec.json.Encoder(decimal_format="string")
_decoder = msgspec.json.Decoder(AnyDocument)
_list_decoder = msgspec.json.Decoder(list[AnyDocument])


def to_json_bytes(doc: Document) -> bytes:
    """UTF-8 JSON of ``doc`` (compact); the hot path of ``edigw translate``."""
    return _encoder.encode(doc)


def to_json(doc: Document, *, indent: int | None = None) -> str:
    """JSON text of ``doc``: ``type`` first, Decimal as string, ISO dates, None omitted."""
    data = _encoder.encode(doc)
    if indent is not None:
        data = msgspec.json.format(data, indent=indent)
    return data.decode("utf-8")


def to_dict(doc: Document) -> dict[str, Any]:
    """Plain-JSON form (the parsed ``to_json``): only str, int, bool, list and dict."""
    out: dict[str, Any] = msgspec.json.decode(_encoder.encode(doc))
    return out


def from_json(text: str | bytes) -> Document:
    """Decode one canonical document, checking every type; see ``CanonicalJsonError``."""
    try:
        doc: Document = _decoder.decode(text)
    except msgspec.ValidationError as exc:
        raise _validation_error(exc) from None
    except msgspec.DecodeError as exc:
        raise _syntax_error(exc, text) from None
    return doc


def from_json_documents(data: str | bytes) -> list[Document]:
    """Decode canonical documents given as one JSON object, a JSON array of them, or JSON
    Lines (one object per line). Empty input gives ``[]``.

    A ``CanonicalJsonError`` names the JSON path (``$[2].date`` in an array) and, for JSON
    Lines, the line (``line 3: $.lines[0].quantity: ...``).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    stripped = raw.strip()
    if not stripped:
        return []
    if stripped.startswith(b"["):
        try:
            docs: list[Document] = list(_list_decoder.decode(raw))
        except msgspec.ValidationError as exc:
            raise _validation_error(exc) from None
        except msgspec.DecodeError as exc:
            raise _syntax_error(exc, raw) from None
        return docs
    lines = raw.splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if len(numbered) < 2 or not _is_json(numbered[0][1]):
        return [from_json(raw)]  # one (possibly pretty-printed) document
    out: list[Document] = []
    for n, line in numbered:
        try:
            out.append(_decoder.decode(line))
        except msgspec.ValidationError as exc:
            err = _validation_error(exc)
            raise CanonicalJsonError(f"line {n}: {err}", path=err.path, detail=err.detail) from None
        except msgspec.DecodeError as exc:
            raise _syntax_error(exc, line, first_line=n) from None
    return out


def _is_json(text: bytes) -> bool:
    try:
        msgspec.json.decode(text)
    except msgspec.DecodeError:
        return False
    return True


def from_dict(data: Mapping[str, Any]) -> Document:
    """Inverse of ``to_dict``; raises ``CanonicalJsonError`` naming the offending key.

    A Python ``float`` anywhere is refused (no model field is a float, and a float is
    never turned into a ``Decimal``): pass decimals as strings (or ``Decimal``/``int``).
    """
    _refuse_floats(data, "$")
    try:
        doc: Document = msgspec.convert(data, AnyDocument, strict=True)
    except msgspec.ValidationError as exc:
        raise _validation_error(exc) from None
    return doc


def _refuse_floats(value: Any, path: str) -> None:
    if isinstance(value, float):
        raise CanonicalJsonError(
            f"{path}: expected a decimal string, got a float", path=path, detail="float"
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(item, str | int | type(None)):
                _refuse_floats(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if not isinstance(item, str | int | type(None)):
                _refuse_floats(item, f"{path}[{i}]")


_AT = re.compile(r"^(?P<detail>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_FIELD = re.compile(r"^Object (?P<what>contains unknown|missing required) field `(?P<name>[^`]*)`$")
_TAG = re.compile(r"^Invalid value (?P<value>.*)$")
_BYTE = re.compile(r"\(byte (?P<pos>\d+)\)")


def _validation_error(exc: msgspec.ValidationError) -> CanonicalJsonError:
    """``Expected `int`, got `str` - at `$.x``` -> ``$.x: Expected `int`, got `str```."""
    match = _AT.match(str(exc))
    assert match is not None  # the pattern matches any text
    detail, path = match["detail"], match["path"] or "$"
    field = _FIELD.match(detail)
    tag = _TAG.match(detail)
    if field is not None:
        path = f"{path}.{field['name']}"
        if field["name"] == "type" and _is_document_path(path):
            detail = f"missing document type; expected one of {', '.join(DOCUMENT_TYPES)}"
        elif field["what"] == "missing required":
            detail = "missing required key"
        else:
            detail = "unknown key"
    elif tag is not None and _is_document_path(path):
        detail = (
            f"unknown document type {tag['value']}; expected one of {', '.join(DOCUMENT_TYPES)}"
        )
    return CanonicalJsonError(f"{path}: {detail}", path=path, detail=detail)


def _is_document_path(path: str) -> bool:
    """``$.type`` or ``$[3].type``: the tag of a document, not a key called type below."""
    return re.fullmatch(r"\$(\[\d+\])?\.type", path) is not None


def _syntax_error(
    exc: msgspec.DecodeError, text: str | bytes, *, first_line: int = 1
) -> CanonicalJsonError:
    """Invalid JSON: name the line and column (msgspec reports a byte offset into ``text``,
    whose first line is line ``first_line`` of the input)."""
    message = str(exc)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        return CanonicalJsonError("empty input: expected a JSON object", path=None, detail=message)
    if "truncated" in message:  # msgspec gives no offset: the end of the input
        line = data.count(b"\n") + first_line
        return CanonicalJsonError(f"line {line}: {message}", path=None, detail=message)
    found = _BYTE.search(message)
    if found is None:
        return CanonicalJsonError(message, path=None, detail=message)
    pos = int(found["pos"])
    line = data.count(b"\n", 0, pos) + first_line
    column = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    return CanonicalJsonError(f"line {line} column {column}: {message}", path=None, detail=message)
