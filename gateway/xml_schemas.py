"""XSD validation for XML partners: schemas are files, so they are loaded here, at the edge.

The hot path uses lxml's libxml2 validator (about 1 ms for a 100-line order). When a
document fails, xmlschema - slow to load, but precise - explains each error with its
path; it is built lazily, once per schema, only for rejected documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from translators import Issue

from .errors import ConfigError

__all__ = ["XsdValidator", "load_schema"]


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
