"""What a Peppol BIS Billing 3.0 (EN 16931) invoice needs, and the values it may derive.

``missing`` names, by canonical JSON path, every field the rules make mandatory that a
document lacks, so the writer refuses it in one error instead of sending an invoice the
receiver's access point rejects. ``breakdown`` and ``totals`` give the VAT breakdown and
the document totals that EN 16931 requires; a value the document states is used as
stated, and one it does not state is derived only where it follows exactly from the
document's own numbers:

* a line amount (BT-131) the document does not state (an X12 810 has no element for
  it) is quantity x unit price / price base quantity - line allowances + line charges,
  rounded half up to the cent: how PEPPOL-EN16931-R120 defines it;
* the line total (BT-106) is the sum of the line amounts, the allowance and charge
  totals (BT-107/108) the sums of the document's allowances and charges, the net
  (BT-109) lines - allowances + charges, the gross (BT-112) net + tax, the payable
  (BT-115) gross - prepaid;
* without stated ``taxes``, each VAT category and rate of the lines and document
  allowances/charges is one subtotal: its base is the sum of those amounts; its tax is
  the document's stated tax total when there is one subtotal, else base x rate / 100
  rounded half up to the cent, which is how BR-CO-17 defines it;
* a stated subtotal without a category code takes the code of the lines at its rate
  when they all have the same one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterator
from decimal import ROUND_HALF_UP, Decimal

import msgspec

from .. import codes
from ..model import AllowanceCharge, Document, Invoice, Line, Party, Tax, Totals

__all__ = [
    "VAT_ID_CODES",
    "breakdown",
    "due_date",
    "inconsistent",
    "missing",
    "totals",
    "with_line_amounts",
]

_CENT = Decimal("0.01")
#: categories whose seller needs a VAT id (BR-S-02, BR-Z-02, BR-E-02, BR-AE-02, BR-IC-02,
#: BR-G-02, BR-IG-02, BR-IP-02)
VAT_ID_CODES = frozenset({"S", "Z", "E", "AE", "K", "G", "L", "M"})
#: categories whose buyer needs a VAT id too (BR-AE-04 in practice, BR-IC-04)
_BUYER_VAT_CODES = frozenset({"AE", "K"})
#: categories a subtotal must explain with an exemption reason (BR-E-10, BR-AE-10,
#: BR-IC-10, BR-G-10, BR-O-10)
_EXEMPT_CODES = frozenset({"E", "AE", "K", "G", "O"})
_PAYMENT_ACCOUNT_MEANS = frozenset({"30", "58"})  # credit transfer: BR-61


def with_line_amounts(doc: Invoice) -> Invoice:
    """``doc`` with each unstated line amount derived (see the module docstring)."""
    if all(line.amount is not None for line in doc.lines):
        return doc
    lines = tuple(
        line if line.amount is not None else msgspec.structs.replace(line, amount=_amount(line))
        for line in doc.lines
    )
    return msgspec.structs.replace(doc, lines=lines)


def _amount(line: Line) -> Decimal | None:
    if line.quantity is None or line.unit_price is None:
        return None
    gross = line.quantity * line.unit_price / (line.price_quantity or Decimal(1))
    adjust = (_charges(line.allowance_charges, True) or 0) - (
        _charges(line.allowance_charges, False) or 0
    )
    return (gross + adjust).quantize(_CENT, ROUND_HALF_UP)


#: how far a stated amount may be from what its parts make: the rules' own slack (R120,
#: T01-R024: 0.02), for amounts rounded to the cent
_SLACK = Decimal("0.02")


def inconsistent(doc: Document) -> list[str]:
    """Line ids that repeat, and stated amounts that do not add up as the Peppol rules
    compute them (line amount =
    quantity x price / base quantity + charges - allowances; line total = the sum of the
    line amounts; net = lines - allowances + charges; gross = net + tax; payable = gross -
    prepaid + rounding), each ``path (stated != what its parts make)``. A receiver's
    access point refuses such a document, so the writers refuse it first."""
    out = []
    seen: dict[str, int] = {}
    for n, line in enumerate(doc.lines):  # line ids as written: line_no, else the position
        ident = line.line_no or str(n + 1)
        if ident in seen:
            out.append(f"lines[{n}].line_no ({ident!r} is also lines[{seen[ident]}]'s id)")
        seen.setdefault(ident, n)
    for n, line in enumerate(doc.lines):
        if line.amount is None:
            continue
        if line.unit_price is None:  # the rules read a missing price as 0
            if not line.allowance_charges and line.amount:
                out.append(f"lines[{n}].unit_price (the amount {line.amount} is quantity x price)")
            continue
        quantity = Decimal(1) if line.quantity is None else line.quantity  # as the rules read it
        made = _amount(msgspec.structs.replace(line, quantity=quantity))
        if made is not None and abs(line.amount - made) > _SLACK:
            out.append(f"lines[{n}].amount ({line.amount} != {made})")
    out += _tax_sums(doc)
    t = doc.totals
    if t is None:
        return out
    amounts = [line.amount for line in doc.lines if line.amount is not None]
    line_sum = sum(amounts, Decimal(0)) if len(amounts) == len(doc.lines) else None
    acs = getattr(doc, "allowance_charges", ())
    allowances = t.allowances if t.allowances is not None else _charges(acs, False)
    charges = t.charges if t.charges is not None else _charges(acs, True)
    checks: list[tuple[str, Decimal | None, Decimal | None]] = [
        ("totals.lines", t.lines, line_sum),
        (
            "totals.net",
            t.net,
            None if t.lines is None else t.lines - (allowances or 0) + (charges or 0),
        ),
        ("totals.gross", t.gross, None if t.net is None or t.tax is None else t.net + t.tax),
        (
            "totals.payable",
            t.payable,
            None if t.gross is None else t.gross - (t.prepaid or 0) + (t.rounding or 0),
        ),
    ]
    for path, stated, made in checks:
        if stated is not None and made is not None and abs(stated - made) > _SLACK:
            out.append(f"{path} ({stated} != {made})")
    return out


def _tax_sums(doc: Document) -> Iterator[str]:
    """Stated VAT subtotals: amount = base x rate / 100 (BR-CO-17); base = the lines and
    document allowances/charges of that category (BR-S-08 and its kin); the tax total =
    the sum of the subtotals (BR-CO-14)."""
    taxes: tuple[Tax, ...] = getattr(doc, "taxes", ())
    if not taxes:
        return
    parts: dict[tuple[str, str | None, Decimal | None], Decimal] = {}
    for line in doc.lines:
        if line.tax is not None and line.amount is not None:
            parts[_key(line.tax)] = parts.get(_key(line.tax), Decimal(0)) + line.amount
    for ac in getattr(doc, "allowance_charges", ()):
        if ac.tax is not None and ac.amount is not None:
            signed = ac.amount if ac.charge else -ac.amount
            parts[_key(ac.tax)] = parts.get(_key(ac.tax), Decimal(0)) + signed
    acs = getattr(doc, "allowance_charges", ())
    every_taxed = all(x.tax is not None for x in (*doc.lines, *acs))  # else bases unknown
    for n, tax in enumerate(taxes):
        if tax.base is not None and tax.rate is not None and tax.amount is not None:
            made = (tax.base * tax.rate / 100).quantize(_CENT, ROUND_HALF_UP)
            if abs(tax.amount - made) > _CENT:
                yield f"taxes[{n}].amount ({tax.amount} != {made})"
        made_base = parts.get(_key(tax)) if every_taxed else None
        if tax.base is not None and made_base is not None and abs(tax.base - made_base) > _CENT:
            yield f"taxes[{n}].base ({tax.base} != {made_base})"
    stated = [tax.amount for tax in taxes if tax.amount is not None]
    total = doc.totals.tax if doc.totals is not None else None
    if total is not None and len(stated) == len(taxes) and abs(total - sum(stated)) > _CENT:
        yield f"totals.tax ({total} != {sum(stated, Decimal(0))})"


def due_date(doc: Invoice) -> dt.date | None:
    """The due date (BT-9): the payment's, else the document's named date ``due``."""
    payment_due = doc.payment.due_date if doc.payment is not None else None
    return payment_due or doc.dates.get("due")


def _charges(acs: tuple[AllowanceCharge, ...], charge: bool) -> Decimal | None:
    amounts = [ac.amount for ac in acs if ac.charge is charge and ac.amount is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _key(tax: Tax | None) -> tuple[str, str | None, Decimal | None]:
    if tax is None:
        return ("VAT", None, None)
    rate = tax.rate.normalize() if tax.rate is not None else None
    return (tax.category or "VAT", tax.code, rate)


def breakdown(doc: Invoice) -> tuple[Tax, ...]:
    """The VAT breakdown (BG-23): stated, else derived from lines and document
    allowances and charges (see the module docstring)."""
    if doc.taxes:
        return tuple(_with_code(doc, t) for t in doc.taxes)
    groups: dict[tuple[str, str | None, Decimal | None], list[Decimal]] = {}
    source: dict[tuple[str, str | None, Decimal | None], Tax] = {}
    for line in doc.lines:
        if line.tax is None or line.tax.code is None:
            continue
        key = _key(line.tax)
        groups.setdefault(key, []).append(line.amount or Decimal(0))
        given = source.get(key)
        if given is None or not (given.exemption_reason or given.exemption_code):
            source[key] = line.tax
    for ac in doc.allowance_charges:
        if ac.tax is None or ac.tax.code is None:
            continue
        key = _key(ac.tax)
        amount = ac.amount or Decimal(0)
        groups.setdefault(key, []).append(amount if ac.charge else -amount)
        source.setdefault(key, ac.tax)
    stated_tax = doc.totals.tax if doc.totals is not None else None
    out = []
    for key, amounts in groups.items():
        category, code, rate = key
        base = sum(amounts, Decimal(0))
        if len(groups) == 1 and stated_tax is not None:
            amount = stated_tax
        else:
            amount = (base * (rate or Decimal(0)) / 100).quantize(_CENT, ROUND_HALF_UP)
        given = source[key]
        out.append(
            Tax(
                category=category,
                code=code,
                rate=given.rate,
                base=base,
                amount=amount,
                exemption_reason=given.exemption_reason,
                exemption_code=given.exemption_code,
            )
        )
    return tuple(out)


def _with_code(doc: Invoice, tax: Tax) -> Tax:
    if tax.code is not None:
        return tax
    rate = tax.rate.normalize() if tax.rate is not None else None
    found = {
        line.tax.code
        for line in doc.lines
        if line.tax is not None and line.tax.code is not None and _key(line.tax)[2] == rate
    }
    return msgspec.structs.replace(tax, code=found.pop()) if len(found) == 1 else tax


def totals(doc: Invoice) -> Totals:
    """The document totals (BG-22): stated, else derived (see the module docstring)."""
    t = doc.totals or Totals()
    amounts = [line.amount for line in doc.lines]
    lines = t.lines
    if lines is None and amounts and all(a is not None for a in amounts):
        lines = sum((a for a in amounts if a is not None), Decimal(0))
    allowances = (
        t.allowances if t.allowances is not None else _charges(doc.allowance_charges, False)
    )
    charges = t.charges if t.charges is not None else _charges(doc.allowance_charges, True)
    net = t.net
    if net is None and lines is not None:
        net = lines - (allowances or 0) + (charges or 0)
    tax = t.tax
    if tax is None:
        subtotals = [s.amount for s in breakdown(doc)]
        if subtotals and all(a is not None for a in subtotals):
            tax = sum((a for a in subtotals if a is not None), Decimal(0))
    gross = t.gross if t.gross is not None or net is None or tax is None else net + tax
    payable = t.payable
    if payable is None and gross is not None:
        payable = gross - (t.prepaid or 0)
    return Totals(
        lines=lines,
        allowances=allowances,
        charges=charges,
        net=net,
        tax=tax,
        gross=gross,
        prepaid=t.prepaid,
        payable=payable,
    )


def missing(doc: Invoice) -> list[str]:
    """Every field EN 16931 / Peppol BIS 3 requires that ``doc`` lacks, by JSON path."""
    return list(_missing(doc))


def _missing(doc: Invoice) -> Iterator[str]:
    for name in ("number", "date", "currency"):
        if getattr(doc, name) is None:
            yield name
    if not doc.references.get("buyer_reference") and not doc.order_refs:
        yield "references.buyer_reference or order_refs"  # PEPPOL-EN16931-R003
    for role in ("seller", "buyer"):
        yield from _party(doc.parties.get(role), f"parties.{role}")
    payee = doc.parties.get("remit_to")
    if payee is not None and not (payee.legal_name or payee.name):
        yield "parties.remit_to.name"  # BR-17
    if not doc.lines:
        yield "lines"
    for n, line in enumerate(doc.lines):
        at = f"lines[{n}]"
        for name in ("quantity", "uom", "amount", "description", "unit_price"):
            if getattr(line, name) is None:
                yield f"{at}.{name}"
        yield from _tax(line.tax, f"{at}.tax")
        for m, ac in enumerate(line.allowance_charges):
            yield from _allowance_charge(ac, f"{at}.allowance_charges[{m}]", taxed=False)
    for m, ac in enumerate(doc.allowance_charges):
        yield from _allowance_charge(ac, f"allowance_charges[{m}]", taxed=True)
    codes_used = yield from _breakdown(doc)
    seller, buyer = doc.parties.get("seller"), doc.parties.get("buyer")
    if codes_used & VAT_ID_CODES and seller is not None and "vat" not in seller.ids:
        yield "parties.seller.ids.vat"
    if codes_used & _BUYER_VAT_CODES and buyer is not None and "vat" not in buyer.ids:
        yield "parties.buyer.ids.vat"
    if "K" in codes_used:  # intra-community supply: where and when it was delivered
        ship_to = doc.parties.get("ship_to")
        if ship_to is None or ship_to.address is None or not ship_to.address.country:
            yield "parties.ship_to.address.country"
        if "delivery" not in doc.dates and "period_start" not in doc.dates:
            yield "dates.delivery or dates.period_start"
    yield from _payment(doc)


def _party(p: Party | None, at: str) -> Iterator[str]:
    if p is None:
        yield at
        return
    if not (p.legal_name or p.name):
        yield f"{at}.legal_name or name"
    if p.address is None or not p.address.country:
        yield f"{at}.address.country"
    if not any(codes.eas_code(s.removeprefix("endpoint:")) for s in p.ids):
        yield f"{at}.ids (a Peppol electronic address: gln or duns or ubl:<EAS code>)"


def _tax(tax: Tax | None, at: str) -> Iterator[str]:
    if tax is None or tax.code is None:
        yield f"{at}.code"
    elif tax.rate is None and tax.code != "O":
        yield f"{at}.rate"
    if tax is not None and tax.category not in (None, "VAT"):  # EN 16931 carries VAT only
        yield f"{at}.category = VAT"


def _allowance_charge(ac: AllowanceCharge, at: str, *, taxed: bool) -> Iterator[str]:
    if ac.amount is None:
        yield f"{at}.amount"
    if not (ac.reason or ac.reason_code):
        yield f"{at}.reason or reason_code"
    if taxed:
        yield from _tax(ac.tax, f"{at}.tax")


def _breakdown(doc: Invoice) -> Generator[str, None, set[str]]:
    """Missing subtotal fields; returns the category codes in use."""
    used: set[str] = set()
    stated = bool(doc.taxes)
    for n, tax in enumerate(breakdown(doc)):
        at = f"taxes[{n}]"
        if tax.code is None:
            yield f"{at}.code"
            continue
        used.add(tax.code)
        for name in ("base", "amount"):
            if stated and getattr(tax, name) is None:
                yield f"{at}.{name}"
        if stated and tax.rate is None and tax.code != "O":  # BR-48
            yield f"{at}.rate"
        if tax.category not in (None, "VAT"):
            yield f"{at}.category = VAT"
        if tax.code in _EXEMPT_CODES and not (tax.exemption_reason or tax.exemption_code):
            if stated:
                yield f"{at}.exemption_reason or exemption_code"
            else:
                yield from (
                    f"lines[{i}].tax.exemption_reason or exemption_code"
                    for i, line in enumerate(doc.lines)
                    if _key(line.tax) == _key(tax)
                )
    if stated:
        used |= {line.tax.code for line in doc.lines if line.tax is not None and line.tax.code}
    return used


def _payment(doc: Invoice) -> Iterator[str]:
    p = doc.payment
    payable = totals(doc).payable
    credit = doc.invoice_kind == "credit_note"
    if payable is None or payable > 0:  # BR-CO-25; unknown counts as due
        terms = p is not None and p.terms
        if credit and not terms and (due_date(doc) is None or p is None or p.means is None):
            # a UBL 2.1 CreditNote states its due date only inside PaymentMeans
            yield "payment.terms or payment.due_date with payment.means"
        elif not credit and not terms and due_date(doc) is None:
            yield "payment.due_date or payment.terms"  # BR-CO-25
    if p is None:
        return
    if p.means is None and (p.iban or p.bic or p.account_name or p.reference):
        yield "payment.means"
    if p.means in _PAYMENT_ACCOUNT_MEANS and not p.iban:
        yield "payment.iban"
