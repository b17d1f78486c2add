"""What a reader returns: the interchange structure, the documents and the issues.

The structure (interchange -> groups -> messages) is kept because acknowledgements are
built from it: a 997 needs every group's and set's control numbers and status, a CONTRL
every message reference, a TA1 the interchange header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from .errors import Issue
from .model import Document, PartyId, Syntax

__all__ = ["Delimiters", "GroupResult", "InterchangeResult", "MessageResult", "status_of"]

Status = Literal["accepted", "accepted_with_errors", "rejected"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Delimiters:
    """Separators as declared by ISA / UNA; writers take them too."""

    element: str
    component: str
    segment: str
    repetition: str | None = None
    release: str | None = None  # EDIFACT release character
    decimal: str = "."
    suffix: str = ""  # what follows each segment terminator in the output ("\n", "\r\n")


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageResult:
    """One transaction set / message / XML document as read."""

    code: str  # "850", "ORDERS", "Order", "OrderRequest"
    control: str | None  # ST02 / UNH 0062 / XML document id
    version: str | None = None  # ST03 or GS08 / UNH S009 / UBLVersionID
    #: None when the message was rejected or its kind is not supported
    document: Document | None = None
    issues: tuple[Issue, ...] = ()
    segment_count: int | None = None  # segments actually read, ST..SE / UNH..UNT
    first_segment: int | None = None  # segment_number of the ST / UNH
    #: the message's own envelope context
    interchange_control: str | None = None
    group_control: str | None = None
    #: the document's canonical ``type``; kept when a streaming reader drops the document
    #: from the interchange summary, so the summary still knows what was accepted
    kind: str | None = None

    def __post_init__(self) -> None:
        if self.kind is None and self.document is not None:
            object.__setattr__(self, "kind", self.document.type)

    @property
    def status(self) -> Status:
        return status_of(self.issues, rejected=self.kind is None)


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupResult:
    functional_id: str | None  # GS01 "PO" / UNG message group id
    sender: str | None
    receiver: str | None
    control: str | None
    version: str | None  # GS08 "004010VICS" / "005010X231"
    date: dt.date | None = None
    time: str | None = None
    messages: tuple[MessageResult, ...] = ()
    issues: tuple[Issue, ...] = ()  # GE/UNE problems (AK9 / UCF codes)
    #: True when the group had no explicit header (EDIFACT without UNG, XML)
    implicit: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class InterchangeResult:
    syntax: Syntax
    sender: PartyId | None
    receiver: PartyId | None
    control: str | None
    version: str | None  # ISA12 "00401" / UNB S001 "UNOC:3" / XML namespace or root
    test: bool = False
    date: dt.date | None = None
    time: str | None = None
    delimiters: Delimiters | None = None
    groups: tuple[GroupResult, ...] = ()
    issues: tuple[Issue, ...] = ()  # ISA/IEA, UNB/UNZ problems (TA1 / UCI codes)
    #: streaming readers set this: documents were yielded separately and dropped here
    streamed: bool = False
    ack_requested: bool = False  # ISA14 == "1" / UNB 0031 == "1"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def messages(self) -> tuple[MessageResult, ...]:
        return tuple(m for g in self.groups for m in g.messages)

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(m.document for m in self.messages if m.document is not None)

    @property
    def all_issues(self) -> tuple[Issue, ...]:
        out = list(self.issues)
        for g in self.groups:
            out.extend(g.issues)
            for m in g.messages:
                out.extend(m.issues)
        return tuple(out)

    @property
    def status(self) -> Status:
        rejected = any(i.is_error for i in self.issues) or any(
            m.status == "rejected" for m in self.messages
        )
        return status_of(self.all_issues, rejected=rejected)


def status_of(issues: tuple[Issue, ...], *, rejected: bool) -> Status:
    """Rejected if told so; accepted_with_errors if there are warnings only; else accepted."""
    if rejected or any(i.is_error for i in issues):
        return "rejected"
    if issues:
        return "accepted_with_errors"
    return "accepted"
