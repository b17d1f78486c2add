"""810 invoice, both directions: what EN 16931 needs, as far as an 810 carries it.

Heading: BIG, CUR, REF, N1 loops (N2/N3/N4 address, REF*VA the party's VAT number; a
REF*VA outside any N1 loop is the seller's), ITD terms (ITD06 net due date, ITD12
description; without a description the discount and net days are stated as text).
Detail: IT1, its TXI (the line's tax), PID (description) and SAC loops (SAC, TXI).
Summary: TDS, TXI tax subtotals, AMT*1 (the line item total, ``totals.lines``), SAC
loops (document allowances and charges), CTT.

Numbers: TDS01..04 and SAC05 are N2 (2 implied decimals); TXI02, TXI03 and SAC07 are R
(TXI03 and SAC07 are percents). TDS01 is the total invoice amount (``totals.gross``) and
TDS02 the amount subject to terms discount, written and read as ``totals.net``.

Tax category (UNCL5305) <-> TXI06 (X12 441): "2" not exempt is S (Z at rate 0), "1"
exempt is E, "0" exempt for export is G; a category 441 cannot say (AE, K, O ...) goes
in TXI04/05 as a vendor-defined jurisdiction code ("VD", the UNCL5305 code).

Not carried by an 810, so neither read nor written: line amounts (the IT1 loop has no
amount; an AMT*1 a partner adds is read), allowance/charge base amounts, tax exemption
texts, bank account details and payment means.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import msgspec

from ... import codes
from ...errors import Issue
from ...model import (
    AllowanceCharge,
    Document,
    Envelope,
    Invoice,
    Line,
    OrderRef,
    Party,
    Payment,
    Tax,
    Totals,
)
from ..common import dec, fmt_date, fmt_dec, parse_date, party_segments, role_of, trim
from ..tokenizer import Segment
from .orders import ctt_issues, line_segments, read_header, write_header

__all__ = ["read_810", "write_810"]

#: TXI01 tax type -> canonical tax category (others keep "x12:<code>").
TAX_TYPES: Mapping[str, str] = {
    "VA": "VAT",
    "ST": "sales",
    "GS": "GST",
    "CP": "county",
    "CT": "city",
    "FD": "federal",
}
_TAX_OUT = {v: k for k, v in TAX_TYPES.items()}
_EXEMPT_OUT = {**{v: k for k, v in codes.X12_TAX_EXEMPT.items()}, "Z": "2"}
_CHARGE_OUT = {(charge, name): code for (charge, code), name in codes.X12_CHARGE_CODE.items()}
_VENDOR_DEFINED = "VD"  # TXI04: TXI05 is our code (the UNCL5305 category)
_NO_CODE = "ZZZZ"  # SAC02 "mutually defined": an allowance or charge without a reason code
_PARTY_LOOP = frozenset({"N2", "N3", "N4", "PER"})


# --- reading -------------------------------------------------------------------------------


def _category(exempt: str, rate: Decimal | None) -> str | None:
    """UNCL5305 category for a TXI06 tax exempt code (see the module docstring)."""
    if not exempt:
        return None
    code = codes.X12_TAX_EXEMPT.get(exempt) or f"x12:{exempt}"
    return "Z" if code == "S" and rate is not None and rate == 0 else code


def _tax(seg: Segment) -> Tax:
    rate = dec(seg.get(3))
    if seg.get(4) == _VENDOR_DEFINED and seg.get(5):
        code: str | None = seg.get(5)
    else:
        code = _category(seg.get(6), rate)
    kind = seg.get(1)
    return Tax(
        category=TAX_TYPES.get(kind, f"x12:{kind}"),
        code=code,
        amount=dec(seg.get(2)),
        rate=rate,
        base=dec(seg.get(8)),
    )


def _allowance_charge(seg: Segment) -> AllowanceCharge:
    charge = seg.get(1) == "C"
    code = seg.get(2)
    if code and code != _NO_CODE:
        reason_code: str | None = codes.X12_CHARGE_CODE.get((charge, code)) or f"x12:{code}"
    else:  # SAC03 "ZZ" + SAC04: a code of the EN 16931 lists that X12 has none for
        reason_code = (seg.get(4) or None) if seg.get(3) == "ZZ" else None
    return AllowanceCharge(
        charge=charge,
        amount=dec(seg.get(5), 2),
        percent=dec(seg.get(7)),
        reason=seg.get(15) or None,
        reason_code=reason_code,
    )


def _terms(itd: Segment) -> str | None:
    """ITD12, else the discount and net terms the ITD states, as text."""
    if itd.get(12):
        return itd.get(12)
    parts = []
    if itd.get(3):
        within = f" within {itd.get(5)} days" if itd.get(5) else ""
        parts.append(f"{itd.get(3)}% discount{within}")
    if itd.get(7):
        parts.append(f"net {itd.get(7)} days")
    return "; ".join(parts) or None


class _Charges:
    """SAC loops as they are read: a TXI right after a SAC is that SAC's tax."""

    def __init__(self) -> None:
        self.items: list[AllowanceCharge] = []
        self.open = False  # the last segment read was the SAC or its TXI

    def add(self, seg: Segment) -> None:
        self.items.append(_allowance_charge(seg))
        self.open = True

    def tax(self, seg: Segment) -> bool:
        """Give the open SAC this TXI; False when no SAC is open (the TXI is not its)."""
        if not self.open:
            return False
        if self.items[-1].tax is None:
            self.items[-1] = msgspec.structs.replace(self.items[-1], tax=_tax(seg))
        return True


def _with_vat(parties: dict[str, Party], vats: dict[str, str]) -> dict[str, Party]:
    out = dict(parties)
    for role, vat in vats.items():
        party = out.get(role) or Party()
        out[role] = msgspec.structs.replace(party, ids={**party.ids, "vat": vat})
    return out


def _detail(
    segments: list[Segment], lines: list[Line]
) -> tuple[dict[str, str], Segment | None, list[Line]]:
    """Heading and detail beyond ``read_header``: VAT numbers by role, the ITD, and the
    lines with their TXI and SAC loops."""
    vats: dict[str, str] = {}
    itd = None
    role: str | None = None  # the role of the N1 loop we are in
    index = -1
    taxes: dict[int, Tax] = {}
    charges: dict[int, _Charges] = {}
    for seg in segments:
        tag = seg.tag
        if tag == "IT1":
            index += 1
            charges[index] = _Charges()
            role = None
        elif index < 0:  # heading
            if tag == "N1":
                role = role_of(seg.get(1))
            elif tag == "REF":  # after an N1 it is that party's (REF is in the N1 loop)
                if seg.get(1) == "VA" and seg.get(2):
                    vats.setdefault(role or "seller", seg.get(2))
            elif tag not in _PARTY_LOOP:
                role = None
                if tag == "ITD" and itd is None:
                    itd = seg
        elif tag == "SAC":
            charges[index].add(seg)
        elif tag == "TXI":
            if not charges[index].tax(seg):
                taxes.setdefault(index, _tax(seg))
        else:
            charges[index].open = False
    out = [
        msgspec.structs.replace(
            line,
            tax=taxes.get(i),
            allowance_charges=tuple(charges[i].items) if i in charges else (),
        )
        for i, line in enumerate(lines)
    ]
    return vats, itd, out


def read_810(segments: list[Segment], envelope: Envelope) -> tuple[Document, list[Issue]]:
    big = next(s for s in segments if s.tag == "BIG")
    tds_at = next(i for i, s in enumerate(segments) if s.tag == "TDS")
    parts = read_header([*segments[:tds_at], segments[-1]], "IT1")
    vats, itd, lines = _detail(segments[1:tds_at], parts.lines)
    parts.references.pop("x12:VA", None)  # every REF*VA is a party's VAT number
    taxes: list[Tax] = []
    totals: dict[str, Decimal | None] = {}
    charges = _Charges()
    for seg in segments[tds_at:-1]:
        tag = seg.tag
        if tag == "TDS":
            totals["gross"] = dec(seg.get(1), 2)
            totals["net"] = dec(seg.get(2), 2)
        elif tag == "TXI":
            if not charges.tax(seg):
                taxes.append(_tax(seg))
        elif tag == "SAC":
            charges.add(seg)
        else:
            charges.open = False
            if tag == "AMT" and seg.get(1) == "1":
                totals.setdefault("lines", dec(seg.get(2)))
            elif tag == "CTT" and parts.ctt is None:
                parts.ctt = seg
    if taxes and all(t.amount is not None for t in taxes):
        totals["tax"] = sum((t.amount for t in taxes if t.amount is not None), Decimal(0))
    doc = Invoice(
        number=big.get(2) or None,
        date=parse_date(big.get(1)),
        currency=parts.currency,
        parties=_with_vat(parts.parties, vats),
        lines=tuple(lines),
        totals=Totals(**{k: v for k, v in totals.items() if v is not None}) if totals else None,
        envelope=envelope,
        references=parts.references,
        dates=parts.dates,
        invoice_kind="credit_note" if big.get(7) == "CR" else "invoice",
        order_refs=(OrderRef(number=big.get(4), date=parse_date(big.get(3))),)
        if big.get(4)
        else (),
        taxes=tuple(taxes),
        payment=Payment(due_date=parse_date(itd.get(6)), terms=_terms(itd))
        if itd is not None
        else None,
        allowance_charges=tuple(charges.items),
    )
    return doc, ctt_issues(parts, segments)


# --- writing -------------------------------------------------------------------------------


def _num(value: Decimal | None, implied: int = 0) -> str:
    return fmt_dec(value, implied) if value is not None else ""


def _txi(tax: Tax) -> list[str]:
    kind = _TAX_OUT.get(tax.category or "") or (tax.category or "ZZ").removeprefix("x12:")
    code = tax.code
    exempt = ""
    if code:
        exempt = _EXEMPT_OUT.get(code) or (code[4:] if code.startswith("x12:") else "")
    jurisdiction = ["", ""]
    if code and _category(exempt, tax.rate) != code:
        jurisdiction = [_VENDOR_DEFINED, code]
    return trim(
        [
            "TXI",
            kind[:2],
            _num(tax.amount),
            _num(tax.rate),
            *jurisdiction,
            exempt,
            "",
            _num(tax.base),
        ]
    )


def _sac(ac: AllowanceCharge) -> list[list[str]]:
    code, agency = _NO_CODE, ["", ""]
    if ac.reason_code:
        mapped = _CHARGE_OUT.get((ac.charge, ac.reason_code))
        if mapped or ac.reason_code.startswith("x12:"):
            code = mapped or ac.reason_code[4:]
        else:
            code, agency = "", ["ZZ", ac.reason_code]
    sac = [
        "SAC",
        "C" if ac.charge else "A",
        code,
        *agency,
        _num(ac.amount, 2),
        "3" if ac.percent is not None else "",  # 378: percent of the gross amount
        _num(ac.percent),
        *[""] * 7,
        ac.reason or "",
    ]
    return [trim(sac)] + ([_txi(ac.tax)] if ac.tax is not None else [])


def _party_loops(doc: Invoice) -> list[list[str]]:
    out: list[list[str]] = []
    for role, party in doc.parties.items():
        out += party_segments(role, party)
        if party.ids.get("vat"):
            out.append(["REF", "VA", party.ids["vat"]])
    return out


def _itd(payment: Payment) -> list[list[str]]:
    if payment.due_date is None and not payment.terms:
        return []
    due = fmt_date(payment.due_date) if payment.due_date else ""
    return [trim(["ITD", "01", "", "", "", "", due, "", "", "", "", "", payment.terms or ""])]


def write_810(doc: Document) -> list[list[str]]:
    assert isinstance(doc, Invoice)
    ref = doc.order_refs[0] if doc.order_refs else None
    out = [
        trim(
            [
                "BIG",
                fmt_date(doc.date) if doc.date else "",
                doc.number or "",
                fmt_date(ref.date) if ref and ref.date else "",
                ref.number if ref else "",
                "",
                "",
                "CR" if doc.invoice_kind == "credit_note" else "DI",
            ]
        )
    ]
    out += write_header(msgspec.structs.replace(doc, parties={}))
    out += _party_loops(doc)
    if doc.payment is not None:
        out += _itd(doc.payment)
    for line in doc.lines:
        it1, *details = line_segments("IT1", line, amount=False)
        out.append(it1)
        if line.tax is not None:  # TXI stands before the PID loop in the IT1 loop
            out.append(_txi(line.tax))
        out += details
        for ac in line.allowance_charges:
            out += _sac(ac)
    t = doc.totals or Totals()
    gross = t.gross if t.gross is not None else Decimal(0)
    out.append(trim(["TDS", fmt_dec(gross, 2), _num(t.net, 2)]))
    out += [_txi(tax) for tax in doc.taxes]
    if t.lines is not None:
        out.append(["AMT", "1", fmt_dec(t.lines)])
    for ac in doc.allowance_charges:
        out += _sac(ac)
    out.append(["CTT", str(len(doc.lines))])
    return out
