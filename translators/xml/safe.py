"""Parsing untrusted XML: no DTD, no entities, no network, bounded size.

Entity declarations and DOCTYPE internal subsets are refused before lxml sees the
bytes: EDI documents never need them, and refusing them closes XXE (file and network
reads) and entity expansion ("billion laughs") at once. A bare DOCTYPE naming an
external DTD (every cXML document has one) is allowed: the DTD is never loaded.
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import SizeLimitError, UnsafeXmlError

__all__ = ["MAX_BYTES", "parse"]

MAX_BYTES = 50 * 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(ENTITY)|<!\s*(DOCTYPE)[^>\[]*\[", re.IGNORECASE)
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
)


def parse(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element; raises UnsafeXmlError, SizeLimitError or etree.XMLSyntaxError."""
    if len(data) > max_bytes:
        raise SizeLimitError(f"XML document of {len(data)} bytes exceeds the {max_bytes} limit")
    found = _DECLARATION.search(data)
    if found:
        what = "an ENTITY declaration" if found.group(1) else "a DOCTYPE internal subset"
        raise UnsafeXmlError(
            f"XML with {what} is refused (external entities and entity expansion are not "
            "allowed in EDI documents)"
        )
    return etree.fromstring(data, parser=_PARSER)
