"""XSD validation and dialect stylesheets for XML partners: schemas and stylesheets are
files, so they are loaded here, at the edge, and their failures become ``ConfigError``s.

The hot path uses lxml's libxml2 validator (about 1 ms for a 100-line order). When a
document fails, xmlschema - slow to load, but precise - explains each error with its
path; it is built lazily, once per schema, only for rejected documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from translators import GatewayError, Issue, xml

from .errors import ConfigError
from .names import shown

__all__ = ["XsdValidator", "compile_stylesheet", "load_schema"]

#: an xsl:include / xsl:import element: a stylesheet may not read other files
_INCLUDE = re.compile(rb"<\s*(?:[\w.-]+:)?(include|import)\b")


class XsdValidator:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._schema = etree.XMLSchema(etree.parse(str(path)))
        except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
            raise ConfigError(f"{path}: cannot load the XML schema: {exc}") from exc
        self._explainer: Any = None

    def validate(self, root: etree._Element) -> list[Issue]:
        if self._schema.validate(root):
            return []
        return self.explain(root)

    def explain(self, root: etree._Element) -> list[Issue]:
        """Path-located reasons from xmlschema (libxml2's own log as the fallback)."""
        import xmlschema

        if self._explainer is None:
            self._explainer = xmlschema.XMLSchema(str(self.path))
        issues = [
            Issue(
                level="document",
                code="xsd",
                xpath=err.path or "/",
                message=err.reason or str(err).splitlines()[0],
            )
            for err in self._explainer.iter_errors(root)
        ]
        return issues or [
            Issue(level="document", code="xsd", xpath=f"line {e.line}", message=e.message)
            for e in cast(Iterable[Any], self._schema.error_log)
        ]


@cache
def load_schema(path: Path) -> XsdValidator:
    """One validator per schema file for the life of the process."""
    return XsdValidator(path.resolve())


def compile_stylesheet(data: bytes, path: Path) -> etree.XSLT:
    """A partner dialect stylesheet (``--xslt``, profiles later), compiled with no access
    to files or the network. Every way it can fail is one located ``ConfigError``."""
    try:
        return xml.xslt(data)
    except etree.XSLTParseError as exc:
        found = _INCLUDE.search(data)
        why = (
            f"xsl:{found.group(1).decode()} is not allowed (stylesheets may not read other files)"
            if found
            else _first_line(exc)
        )
        raise ConfigError(f"{shown(path)}: not a usable XSLT stylesheet: {why}") from exc
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"{shown(path)}: not well-formed XML: {_first_line(exc)}") from exc
    except GatewayError as exc:  # unsafe XML (entities, internal DTD) or too large
        raise ConfigError(f"{shown(path)}: {exc}") from exc


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
