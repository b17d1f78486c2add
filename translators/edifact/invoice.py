"""INVOIC beyond the trade body all messages share: what EN 16931 needs, both directions.

Read (and written) here, in D96A positions:

* payment: PAI C534 4461 (means), FTX+AAB (terms text; else PAT C110 4276), RFF+PQ
  (the payment reference), the PAT group's DTM 13 or 140 (due date), FII+RB/BF in the
  payee's NAD group (C078 3194 account -> ``iban``, 3192 holder -> ``account_name``,
  C088 3433 institution -> ``bic``);
* allowances and charges: ALC groups in the header (the document's) and in line groups
  (the line's): ALC 5463 A/C, C552 5189 (allowance reason code), C214 7161 (charge
  reason code) and 7160 (reason text), PCD (percent), MOA 8/23/204 (amount) and 25
  (base), and the group's TAX (its tax);
* taxes: a line group's TAX (the line's tax) and the summary's TAX groups (``taxes``):
  TAX C241 5153 category, C243 5278 rate, 5305 category code, MOA 124 amount and 125
  base. 5278 is an..17: a number is the rate, text (an exemption note) is kept as the
  tax's ``exemption_reason`` and written back in its place when there is no rate.

A TAX group in the header (the default tax, SG6) is not mapped: ``taxes`` are the
summary's subtotals. The VAT exemption code (VATEX) has no D96A element and is not
written.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec

from ..model import AllowanceCharge, Invoice, Line, Payment, Tax
from .common import dec, dtm, fmt_dec, parse_date, segment
from .tokenizer import Segment

__all__ = ["InvoiceParts", "header_groups", "line_groups", "read_invoice", "summary_taxes"]

Segments = list[list[list[str]]]  # a writer's segments: elements of components, tag first

_DUE = ("13", "140")  # DTM 2005 in the PAT group: terms net due date, payment due date
_ALC_AMOUNT = ("8", "23", "204")
#: segments that may follow the head of each group and still belong to it
_IN_GROUP = {
    "pat": frozenset({"DTM", "PCD", "MOA"}),
    "alc": frozenset({"ALI", "DTM", "QTY", "RNG", "PCD", "MOA", "RTE"}),
    "tax": frozenset({"MOA", "LOC"}),
}
_FTX_LINE = 70  # FTX C108 4440 an..70, five of them


@dataclass(slots=True)
class InvoiceParts:
    """What ``read_invoice`` found; lines are indexed in LIN order."""

    taxes: list[Tax] = field(default_factory=list)
    line_taxes: dict[int, Tax] = field(default_factory=dict)
    line_charges: dict[int, list[AllowanceCharge]] = field(default_factory=dict)
    charges: list[AllowanceCharge] = field(default_factory=list)
    payment: dict[str, Any] = field(default_factory=dict)
    due_qualifier: str | None = None  # the DTM the due date came from


def _rate(text: str, mark: str) -> tuple[Decimal | None, str | None]:
    """C243 5278: (rate, None) for a number, (None, text) for anything else."""
    text = text.strip()
    if not text:
        return None, None
    if re.fullmatch(rf"-?\d*(?:{re.escape(mark)}\d*)?", text) and any(c.isdigit() for c in text):
        return dec(text, mark), None
    return None, text


def _tax(seg: Segment, mark: str) -> Tax:
    rate, note = _rate(seg.get(5, 4), mark)
    return Tax(
        category=seg.get(2, 1) or None,
        code=seg.get(6) or None,
        rate=rate,
        exemption_reason=note,
    )


def _allowance_charge(seg: Segment) -> AllowanceCharge:
    charge = seg.get(1) == "C"
    allowance_code, charge_code = seg.get(2, 2), seg.get(5, 1)
    text = " ".join(c for c in seg.components(5)[3:5] if c)
    return AllowanceCharge(
        charge=charge,
        reason_code=(charge_code or allowance_code if charge else allowance_code or charge_code)
        or None,
        reason=text or None,
    )


class _Reader:
    """One pass over an INVOIC; ``group`` is the open segment group and ``_set`` puts a
    value into what that group describes."""

    def __init__(self, mark: str) -> None:
        self.mark = mark
        self.parts = InvoiceParts()
        self.line = -1  # index of the current line group, -1 in the header
        self.summary = False
        self.group: str | None = None
        self.charge: list[AllowanceCharge] | None = None  # the list the open ALC is in
        self.tax_of: str | None = None  # "line", "summary", "charge": who the TAX is for

    def _update_charge(self, **values: Any) -> None:
        if self.charge is not None:
            self.charge[-1] = msgspec.structs.replace(self.charge[-1], **values)

    def _update_tax(self, **values: Any) -> None:
        p = self.parts
        if self.tax_of == "charge" and self.charge is not None:
            current = self.charge[-1].tax or Tax()
            self._update_charge(tax=msgspec.structs.replace(current, **values))
        elif self.tax_of == "line":
            p.line_taxes[self.line] = msgspec.structs.replace(p.line_taxes[self.line], **values)
        elif self.tax_of == "summary":
            p.taxes[-1] = msgspec.structs.replace(p.taxes[-1], **values)

    def _tax(self, seg: Segment) -> None:
        tax, p = _tax(seg, self.mark), self.parts
        if self.group == "alc" and self.charge is not None and self.charge[-1].tax is None:
            self.tax_of = "charge"
            self._update_charge(tax=tax)
        elif self.summary:
            self.tax_of = "summary"
            p.taxes.append(tax)
        elif self.line >= 0 and self.line not in p.line_taxes:
            self.tax_of = "line"
            p.line_taxes[self.line] = tax
        else:  # the header's default tax (SG6), a second TAX of a line: not mapped
            self.tax_of = None
        self.group = "tax"

    def _moa(self, seg: Segment) -> None:
        qualifier, amount = seg.get(1, 1), dec(seg.get(1, 2), self.mark)
        if amount is None:
            return
        if self.group == "tax" and qualifier in ("124", "125"):
            self._update_tax(**{"amount" if qualifier == "124" else "base": amount})
        elif self.group == "alc" and self.charge is not None:
            if qualifier in _ALC_AMOUNT and self.charge[-1].amount is None:
                self._update_charge(amount=amount)
            elif qualifier == "25":
                self._update_charge(base=amount)

    def _header(self, seg: Segment) -> None:
        tag, pay = seg.tag, self.parts.payment
        if tag == "PAI" and seg.get(1, 3):
            pay.setdefault("means", seg.get(1, 3))
        elif tag == "FTX" and seg.get(1) == "AAB":
            text = " ".join(c for c in seg.components(4) if c)
            if text:
                pay["terms"] = text  # FTX+AAB is the terms' own text: it wins over PAT's
        elif tag == "PAT":
            self.group = "pat"
            text = " ".join(c for c in seg.components(2)[3:5] if c)
            if text:
                pay.setdefault("terms", text)
        elif tag == "DTM" and self.group == "pat" and seg.get(1, 1) in _DUE:
            when = parse_date(seg.get(1, 2), seg.get(1, 3) or "102")
            if when is not None and "due_date" not in pay:
                pay["due_date"], self.parts.due_qualifier = when, seg.get(1, 1)
        elif tag == "FII" and seg.get(1) in ("RB", "BF") and "iban" not in pay:
            for key, value in (
                ("iban", seg.get(2, 1)),
                ("account_name", seg.get(2, 2)),
                ("bic", seg.get(3, 1)),
            ):
                if value:
                    pay[key] = value
        elif tag == "RFF" and seg.get(1, 1) == "PQ" and seg.get(1, 2):
            pay.setdefault("reference", seg.get(1, 2))

    def read(self, seg: Segment) -> None:
        tag = seg.tag
        if self.group is not None and tag not in _IN_GROUP[self.group] and tag != "TAX":
            self.group = None
        if tag == "LIN":
            self.line += 1
        elif tag == "UNS":
            self.summary = True
        elif tag == "TAX":
            self._tax(seg)
        elif tag == "MOA":
            self._moa(seg)
        elif tag == "ALC":
            if self.summary:  # the summary's ALC groups are totals (read with the body)
                self.charge, self.group = None, None
                return
            target = self.parts.charges
            if self.line >= 0:
                target = self.parts.line_charges.setdefault(self.line, [])
            target.append(_allowance_charge(seg))
            self.charge, self.group = target, "alc"
        elif tag == "PCD" and self.group == "alc" and self.charge is not None:
            percent = dec(seg.get(1, 2), self.mark)
            if percent is not None:
                self._update_charge(percent=percent)
        elif self.line < 0 and not self.summary:
            self._header(seg)


def read_invoice(segments: list[Segment]) -> InvoiceParts:
    """The EN 16931 parts of an INVOIC (UNH .. UNT)."""
    reader = _Reader(segments[0].delimiters.decimal)
    for seg in segments[1:-1]:
        reader.read(seg)
    return reader.parts


# --- writing -------------------------------------------------------------------------------


def _tax_segment(tax: Tax) -> list[list[str]]:
    rate = fmt_dec(tax.rate) if tax.rate is not None else (tax.exemption_reason or "")
    return segment("TAX", "7", [tax.category or ""], "", "", ["", "", "", rate], tax.code or "")


def _tax_group(tax: Tax) -> Segments:
    out = [_tax_segment(tax)]
    if tax.amount is not None:
        out.append(segment("MOA", ["124", fmt_dec(tax.amount)]))
    if tax.base is not None:
        out.append(segment("MOA", ["125", fmt_dec(tax.base)]))
    return out


def _alc_group(ac: AllowanceCharge) -> Segments:
    code = ac.reason_code or ""
    out = [
        segment(
            "ALC",
            "C" if ac.charge else "A",
            ["", "" if ac.charge else code],
            "",
            "",
            [code if ac.charge else "", "", "", ac.reason or ""],
        )
    ]
    if ac.percent is not None:
        out.append(segment("PCD", ["2" if ac.charge else "1", fmt_dec(ac.percent)]))
    if ac.amount is not None:
        out.append(segment("MOA", ["23" if ac.charge else "204", fmt_dec(ac.amount)]))
    if ac.base is not None:
        out.append(segment("MOA", ["25", fmt_dec(ac.base)]))
    if ac.tax is not None:
        out += _tax_group(ac.tax)
    return out


def _at(out: Segments, tag: str, start: int = 0) -> int:
    """Index of the first ``tag`` segment from ``start`` (the end when there is none)."""
    return next((i for i in range(start, len(out)) if out[i][0] == [tag]), len(out))


def header_groups(out: Segments, doc: Invoice, payee: str | None) -> None:
    """Add payment and the document's allowances and charges to the written header
    ``out`` (BGM, DTM, RFF, NAD groups, CUX), each where D96A places it."""
    pay = doc.payment or Payment()
    after_dates = next((i for i in range(1, len(out)) if out[i][0] != ["DTM"]), len(out))
    head: Segments = []
    if pay.means:
        head.append(segment("PAI", ["", "", pay.means]))
    if pay.terms:
        head.append(segment("FTX", "AAB", "", "", textwrap.wrap(pay.terms, _FTX_LINE)[:5]))
    out[after_dates:after_dates] = head
    if pay.reference:
        out.insert(_at(out, "NAD"), segment("RFF", ["PQ", pay.reference]))
    if pay.iban or pay.bic or pay.account_name:
        nad = next((i for i, s in enumerate(out) if s[0] == ["NAD"] and s[1] == [payee]), None)
        fii = segment(
            "FII",
            "RB",
            [pay.iban or "", pay.account_name or ""],
            [pay.bic or "", "25", "17"] if pay.bic else "",
        )
        out.insert(nad + 1 if nad is not None else _at(out, "CUX"), fii)
    if pay.due_date is not None or pay.terms:
        out.append(segment("PAT", "1"))
        if pay.due_date is not None:
            out.append(dtm("13", pay.due_date))
    for ac in doc.allowance_charges:
        out += _alc_group(ac)


def line_groups(line: Line) -> Segments:
    """A line group's TAX and ALC groups (they follow its PRI and RFF)."""
    out = _tax_group(line.tax) if line.tax is not None else []
    for ac in line.allowance_charges:
        out += _alc_group(ac)
    return out


def summary_taxes(doc: Invoice) -> Segments:
    out: Segments = []
    for tax in doc.taxes:
        out += _tax_group(tax)
    return out
