"""The project's one exception tree, and the located ``Issue`` that readers report.

The root lives here, in the lowest layer, so that translator and gateway errors share it
(``translators`` never imports ``gateway``; ``gateway.errors`` extends this tree)::

    GatewayError                      code: partner-facing code where one exists
    ├── TranslationError              a document could not be read or written
    │   ├── DetectError               not X12, EDIFACT or XML (unreadable input, exit 2)
    │   ├── SyntaxFault               envelope/tokenising failure; carries ``issues``
    │   ├── UnsafeXmlError            DTD / external entity / entity expansion refused
    │   ├── SizeLimitError            input larger than the configured bound
    │   ├── RenderError               canonical document cannot be written in the target
    │   └── CanonicalJsonError        canonical JSON malformed (also a ValueError); ``path``
    └── (gateway.errors)              ProfileError, StoreError, PartnerAuthError, ...

Readers do not raise for bad *content*: they return ``Issue`` values, located by fields
(never by text), carrying the standard's code so that the same value feeds the operator
view and the negative acknowledgement (997 AK3/AK4/AK5/AK9, 999 IK3/IK4/IK5, TA1, CONTRL
UCI/UCM/UCS/UCD, ApplicationResponse).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "CanonicalJsonError",
    "DetectError",
    "GatewayError",
    "Issue",
    "Level",
    "RenderError",
    "SizeLimitError",
    "SyntaxFault",
    "TranslationError",
    "UnsafeXmlError",
    "format_issue",
]

#: Which acknowledgement segment an issue belongs in:
#: interchange -> TA1 / UCI, group -> AK9 / UCF, message -> AK5 IK5 / UCM,
#: segment -> AK3 IK3 / UCS, element -> AK4 IK4 / UCD, document -> XML (xpath).
Level: TypeAlias = Literal["interchange", "group", "message", "segment", "element", "document"]


#: Segment-level codes of a segment out of its message's table (see ``Issue``).
_UNEXPECTED_SEGMENT = frozenset({"1", "2", "15"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One located problem in an input document.

    ``segment_number`` counts segments from the start of the input (what an operator
    looks for in the file); ``segment_index`` counts from the message header (ST / UNH
    = 1), which is what AK3/IK3 and UCS report.
    """

    level: Level
    code: str  # the standard's code for this level (see module docstring)
    message: str
    severity: Literal["error", "warning"] = "error"
    segment_number: int | None = None
    segment_index: int | None = None
    segment_tag: str | None = None
    element: int | None = None  # 1-based element position
    component: int | None = None  # 1-based component position
    repetition: int | None = None
    element_ref: str | None = None  # data element reference number ("373", "0062")
    loop_id: str | None = None  # X12 loop identifier for AK3 / IK3
    bad_value: str | None = None  # copy of the bad element (IK4 04), never a secret
    xpath: str | None = None
    interchange_control: str | None = None
    group_control: str | None = None
    message_control: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def is_unexpected_segment(self) -> bool:
        """A segment its message's table does not have there: X12 AK304 / IK304 1
        (unrecognized segment id) or 2 (unexpected segment), CONTRL UCS 15 (not supported
        in this position). Readers note one as a warning; a partner profile may make it
        a rejection (``[acks] unknown_segments``)."""
        return self.level == "segment" and self.code in _UNEXPECTED_SEGMENT


def format_issue(issue: Issue, source: str) -> str:
    """``FILE: segment N (TAG) element M: message [code]`` as operators and the CLI show it."""
    where = [source]
    if issue.segment_number is not None:
        seg = f"segment {issue.segment_number}"
        if issue.segment_tag:
            seg += f" ({issue.segment_tag})"
        if issue.element is not None:
            seg += f" element {issue.element}"
            if issue.component is not None:
                seg += f".{issue.component}"
        where.append(seg)
    elif issue.xpath:
        where.append(issue.xpath)
    prefix = "warning: " if issue.severity == "warning" else ""
    return f"{': '.join(where)}: {prefix}{issue.message} [{issue.code}]"


class GatewayError(Exception):
    """Root of every error the project raises on purpose.

    ``code`` is the partner-facing code where the standard has one (an AS2 disposition
    modifier, an X12 or CONTRL code); ``None`` for purely internal failures.
    """

    code: str | None = None

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class TranslationError(GatewayError):
    """A document could not be read or written at all."""


class DetectError(TranslationError):
    """The input is not recognisable as X12, EDIFACT or XML."""


class SyntaxFault(TranslationError):
    """Tokenising or envelope failure severe enough that no document can be read.

    The located details are in ``issues`` so a TA1 / CONTRL UCI can still be built.
    """

    def __init__(self, message: str, *, issues: tuple[Issue, ...] = (), code: str | None = None):
        super().__init__(message, code=code)
        self.issues = issues


class UnsafeXmlError(TranslationError):
    """XML that asks for a DTD, an external entity or entity expansion: refused."""


class SizeLimitError(TranslationError):
    """Input beyond the configured size bound."""


class RenderError(TranslationError):
    """A canonical document lacks what the target syntax requires, or cannot express it.

    ``field`` is the canonical path of the value at fault when there is one
    (``lines[0].quantity``, ``sender.qualifier``): the CLI names its option from it.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.field = field


class CanonicalJsonError(TranslationError, ValueError):
    """Canonical JSON that is not a valid document: bad syntax, a missing or unknown key, a
    wrong type, an unknown ``type``.

    The message starts with the location: the JSON path (``$.lines[0].quantity: ...``) or,
    for invalid JSON, ``line L column C: ...``. ``path`` is that JSON path (``None`` for
    invalid JSON); ``detail`` is the problem without the location. It is also a
    ``ValueError`` for callers that predate it.
    """

    def __init__(self, message: str, *, path: str | None, detail: str) -> None:
        super().__init__(message)
        self.path = path
        self.detail = detail
