"""Code tables shared by every syntax, so that one business fact has one canonical value.

Each table maps a syntax's qualifier to a canonical scheme name and back. Qualifiers
not listed keep their syntax prefix (``x12:92``), so reading never loses information and
writing the same syntax back restores the original qualifier.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "EDIFACT_PARTY_ID",
    "EDIFACT_PRODUCT_ID",
    "UBL_SCHEME",
    "X12_CHARGE_CODE",
    "X12_PARTY_ID",
    "X12_PRODUCT_ID",
    "X12_TAX_EXEMPT",
    "X12_UOM",
    "scheme_from",
    "scheme_to",
    "uom_from_x12",
    "uom_to_x12",
]

#: X12 N103 / ISA identification code qualifiers -> canonical party id scheme.
X12_PARTY_ID: Mapping[str, str] = {
    "UL": "gln",
    "1": "duns",
    "9": "duns4",
    "92": "buyer",
    "91": "seller",
}

#: EDIFACT 3055 code list responsible agency (NAD C082.3055) -> scheme.
EDIFACT_PARTY_ID: Mapping[str, str] = {"9": "gln", "16": "duns", "92": "buyer", "91": "seller"}

#: X12 235 product/service id qualifiers -> scheme.
X12_PRODUCT_ID: Mapping[str, str] = {
    "UP": "upc",
    "EN": "gtin",
    "UK": "gtin",
    "BP": "buyer",
    "IN": "buyer",
    "VN": "vendor",
    "VP": "vendor",
    "SK": "sku",
    "MG": "manufacturer",
}
#: EDIFACT 7143 item type (LIN C212, PIA C212) -> scheme.
EDIFACT_PRODUCT_ID: Mapping[str, str] = {
    "EN": "gtin",
    "SRV": "gtin",
    "UP": "upc",
    "IN": "buyer",
    "BP": "buyer",
    "SA": "vendor",
    "VN": "vendor",
    "MF": "manufacturer",
}

#: UBL schemeID (ISO 6523 ICD / common names) -> scheme, for party and item ids.
UBL_SCHEME: Mapping[str, str] = {
    "0088": "gln",
    "GLN": "gln",
    "0060": "duns",
    "DUNS": "duns",
    "0160": "gtin",
    "GTIN": "gtin",
}

#: X12 355 unit codes that differ from UN/ECE Rec 20 -> Rec 20. Identical ones pass through.
X12_UOM: Mapping[str, str] = {
    "CA": "CS",  # case
    "DZ": "DZN",
    "LB": "LBR",
    "KG": "KGM",
    "GA": "GLL",
    "LT": "LTR",
    "FT": "FOT",
    "IN": "INH",
    "MR": "MTR",
    "PK": "PK",
    "PL": "PF",  # pallet
    "UN": "C62",
    "RL": "RO",
}
_X12_UOM_OUT = {v: k for k, v in X12_UOM.items()}

#: X12 441 tax exempt code (TXI06) -> UNCL5305 tax category. "2" (not exempt) is the
#: standard rate, or zero-rated ("Z") when the rate is 0; other codes have no EN 16931
#: category and keep ``x12:<code>``.
X12_TAX_EXEMPT: Mapping[str, str] = {"0": "G", "1": "E", "2": "S"}

#: X12 1300 allowance/charge code (SAC02) -> UNCL5189 allowance reason (SAC01 "A") or
#: UNCL7161 charge reason (SAC01 "C"). Others keep ``x12:<code>``.
X12_CHARGE_CODE: Mapping[tuple[bool, str], str] = {
    (False, "C310"): "95",  # discount
    (True, "D240"): "FC",  # freight
}


def scheme_from(table: Mapping[str, str], prefix: str, qualifier: str | None) -> str:
    """Canonical scheme for a qualifier: a known name, else ``prefix:qualifier``."""
    if not qualifier:
        return prefix
    return table.get(qualifier, f"{prefix}:{qualifier}")


def scheme_to(table: Mapping[str, str], prefix: str, scheme: str) -> str | None:
    """The qualifier to write for a scheme in this syntax, or None if it has none."""
    if scheme.startswith(prefix + ":"):
        return scheme[len(prefix) + 1 :]
    for qualifier, name in table.items():
        if name == scheme:
            return qualifier
    return None


def uom_from_x12(code: str) -> str:
    return X12_UOM.get(code, code)


def uom_to_x12(code: str) -> str:
    return _X12_UOM_OUT.get(code, code)
