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
    "EDIFACT_REFERENCE",
    "LINE_STATUS_UNCL1229",
    "PEPPOL_EAS",
    "UBL_SCHEME",
    "UBL_UOM",
    "UNCL1229_LINE_STATUS",
    "X12_CHARGE_CODE",
    "X12_PARTY_ID",
    "X12_PRODUCT_ID",
    "X12_REFERENCE",
    "X12_TAX_EXEMPT",
    "X12_UOM",
    "eas_code",
    "scheme_from",
    "scheme_to",
    "uom_from_ubl",
    "uom_from_x12",
    "uom_to_ubl",
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

_EAS = """
0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170
0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203
0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0221 0225 0230 0235 0240
9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931
9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948
9949 9950 9951 9952 9953 9957 9959
"""
#: The Peppol Electronic Address Scheme codes (EndpointID schemeID, rule
#: PEPPOL-EN16931-CL008): ISO 6523 ICDs and national VAT schemes a receiver can route on.
PEPPOL_EAS = frozenset(_EAS.split())

#: Canonical units that are UN/ECE Rec 21 package codes, not Rec 20 units (what X12 and
#: EDIFACT partners send): UBL under EN 16931 (BR-CL-23) takes Rec 20, where a package
#: is its Rec 21 code prefixed X, and "piece" is H87.
UBL_UOM: Mapping[str, str] = {
    "CS": "XCS",  # case
    "PK": "XPK",  # package
    "PF": "XPF",  # pallet (lift)
    "RO": "XRO",  # roll
    "BX": "XBX",  # box
    "CT": "XCT",  # carton
    "BG": "XBG",  # bag
    "PCE": "H87",  # piece (EDIFACT partners' PCE; H87 is Rec 20 and read as it is)
}
_UBL_UOM_IN = {v: k for k, v in UBL_UOM.items() if v.startswith("X")}

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

#: Document references with a meaning in every syntax -> the canonical ``references`` key
#: (the same keys UBL's Contract, QuotationDocumentReference and ProjectReference read
#: to). Other qualifiers keep ``x12:<q>`` / ``edifact:<q>``.
X12_REFERENCE: Mapping[str, str] = {"CT": "contract", "PR": "quotation", "PJ": "project"}
EDIFACT_REFERENCE: Mapping[str, str] = {"CT": "contract", "AAG": "quotation", "AEP": "project"}

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


def eas_code(scheme: str) -> str | None:
    """The Peppol EAS code of a canonical id scheme (gln -> 0088, ubl:0208 -> 0208), or
    None for a scheme a receiver cannot route on (vat, buyer, x12:92)."""
    code = scheme[4:] if scheme.startswith("ubl:") else scheme_to(UBL_SCHEME, "ubl", scheme)
    return code if code in PEPPOL_EAS else None


def uom_to_ubl(code: str) -> str:
    return UBL_UOM.get(code, code)


def uom_from_ubl(code: str) -> str:
    return _UBL_UOM_IN.get(code, code)


def uom_from_x12(code: str) -> str:
    return X12_UOM.get(code, code)


def uom_to_x12(code: str) -> str:
    return _X12_UOM_OUT.get(code, code)


#: UNCL1229 line status codes a Peppol order response allows -> canonical line status.
UNCL1229_LINE_STATUS: Mapping[str, str] = {
    "1": "accepted_with_changes",  # added
    "3": "accepted_with_changes",  # changed
    "5": "accepted",  # accepted without amendment
    "7": "rejected",  # not accepted
    "42": "rejected",  # already delivered
}
#: canonical line status -> the UNCL1229 code written. A backorder is a change: the
#: promised delivery date (or the quantity) is not what was ordered.
LINE_STATUS_UNCL1229: Mapping[str, str] = {
    "accepted": "5",
    "accepted_with_changes": "3",
    "backordered": "3",
    "rejected": "7",
}
