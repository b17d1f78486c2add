"""APERAK: the EDIFACT application acknowledgement of business messages.

A CONTRL says an interchange could be read; an APERAK says what the receiving application
did with one message in it: accepted for processing, or rejected with its reasons. One
interchange goes back to the sender of the messages answered (the UNB mirrored, as for
a CONTRL), one APERAK message per message answered, in the directory of that message
(D96A when it names none):

- BGM 305 (UNCL 1001 "application error and acknowledgement"), our number for it,
  function 9 (original) and response type AP (accepted) or RE (rejected, UNCL 4343);
- DTM 137, when it was written; an FTX AAI saying "accepted" on a positive one;
- RFF ACW, the UNH reference (0062) of the message answered, then its document number
  under the qualifier of its kind (RFF ON for an order) with DTM 171, its date;
- NAD MS / MR, the APERAK's sender (us) and receiver (the partner), with the ids the
  answered message's UNB gave (GS1 agency 9 for a UNB qualifier 14);
- per reason, ERC with its code and FTX AAO with the located text (five 70-character
  parts at most). ERC 9321 is "user defined" in D96A: the codes are the CONTRL 0085
  codes the reader located (12 invalid value, 13 missing ...), so the same finding
  feeds the CONTRL, the APERAK and the operator view.

A positive APERAK has no ERC: an ERC in an APERAK is an error, and our reader reads any
ERC as a rejection. Free text is made to fit the character set (UNOA: upper case; what
the set cannot hold becomes ``?``), since a reason must never stop the answer itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..api import WriteSettings
from ..edifact.tokenizer import CHARSETS
from ..edifact.writer import Body, envelope
from ..errors import Issue, RenderError
from ..model import AckError, Document, Envelope, PartyId
from ..writable import Repertoire, edifact_repertoire

__all__ = ["DEFAULT_DIRECTORY", "Answer", "build_aperak", "reasons"]

DOCUMENT_NAME = "305"  # UNCL 1001: application error and acknowledgement
ORIGINAL = "9"  # UNCL 1225
ACCEPTED, REJECTED = "AP", "RE"  # UNCL 4343 response type
DEFAULT_DIRECTORY = "D96A"
#: Canonical kind -> the RFF 1153 qualifier of its document number.
NUMBER_QUALIFIER: Mapping[str, str] = {
    "purchase_order": "ON",
    "order_response": "AAA",
    "ship_notice": "AAK",
    "invoice": "IV",
}
_GLN_QUALIFIER, _GS1_AGENCY = "14", "9"  # UNB 0007 14 (GS1) -> NAD 3055 9
_TEXT, _PARTS = 70, 5  # FTX C108: five 4440 an..70
_REFERENCE = 35  # RFF 1154, BGM 1004 an..35
_DIRECTORY = re.compile(r"^[DS]\d\d[A-C]$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """One message answered: its envelope (UNB parties, UNH reference and directory),
    what its document was when it was read, and the reasons it was rejected. No reasons:
    accepted."""

    envelope: Envelope
    kind: str | None = None
    number: str | None = None
    date: dt.date | None = None
    errors: tuple[AckError, ...] = ()

    @classmethod
    def of(cls, doc: Document, errors: Sequence[AckError] = ()) -> Answer:
        """The answer to a document read from an EDIFACT message."""
        if doc.envelope is None or doc.envelope.format != "edifact":
            raise RenderError(f"{doc.type} {doc.number!r} did not come in an EDIFACT message")
        return cls(
            envelope=doc.envelope,
            kind=doc.type,
            number=doc.number,
            date=doc.date,
            errors=tuple(errors),
        )

    @property
    def accepted(self) -> bool:
        return not self.errors


def reasons(issues: Sequence[Issue]) -> tuple[AckError, ...]:
    """The errors among ``issues`` as the APERAK names them (warnings reject nothing)."""
    return tuple(
        AckError(
            code=i.code,
            segment_tag=i.segment_tag,
            segment_index=i.segment_index,
            element=i.element,
            component=i.component,
            message=i.message,
        )
        for i in issues
        if i.is_error
    )


def _fit(text: str, repertoire: Repertoire, size: int | None = None) -> str:
    """``text`` as the character set can carry it (see the module doc)."""
    if repertoire.name == "UNOA":
        text = text.upper()
    text = repertoire.bad.sub("?", " ".join(text.split()))
    if repertoire.encoding:
        text = text.encode(repertoire.encoding, "replace").decode(repertoire.encoding)
    return text[:size] if size else text


def _where(error: AckError) -> str:
    """Where in the answered message, as its sender counts (UNH = segment 1)."""
    if error.segment_index is None:
        return ""
    where = f"segment {error.segment_index}"
    if error.segment_tag:
        where += f" ({error.segment_tag})"
    if error.element is not None:
        where += f" element {error.element}"
        if error.component is not None:
            where += f".{error.component}"
    return where + ": "


def _ftx(qualifier: str, text: str) -> list[list[str]]:
    parts = [text[i : i + _TEXT] for i in range(0, len(text), _TEXT)][:_PARTS] or [""]
    return [["FTX"], [qualifier], [""], [""], parts]


def _party(role: str, party: PartyId | None, repertoire: Repertoire) -> Body:
    if party is None or not party.id:
        return []
    ident = _fit(party.id.strip(), repertoire, _REFERENCE)
    gs1 = (party.qualifier or "").strip() == _GLN_QUALIFIER
    return [[["NAD"], [role], [ident, "", _GS1_AGENCY] if gs1 else [ident]]]


def _message(answer: Answer, number: str, settings: WriteSettings, rep: Repertoire) -> Body:
    env = answer.envelope
    response = ACCEPTED if answer.accepted else REJECTED
    body: Body = [
        [["BGM"], [DOCUMENT_NAME], [number], [ORIGINAL], [response]],
        [["DTM"], ["137", settings.timestamp.strftime("%Y%m%d"), "102"]],
    ]
    if answer.accepted:
        body.append(_ftx("AAI", "accepted for processing"))
    if env.message_control:
        body.append([["RFF"], ["ACW", _fit(env.message_control, rep, _REFERENCE)]])
    qualifier = NUMBER_QUALIFIER.get(answer.kind or "")
    if qualifier and answer.number:
        body.append([["RFF"], [qualifier, _fit(answer.number, rep, _REFERENCE)]])
        if answer.date:
            body.append([["DTM"], ["171", answer.date.strftime("%Y%m%d"), "102"]])
    body += _party("MS", env.receiver, rep)  # we send the APERAK to who sent the message
    body += _party("MR", env.sender, rep)
    for error in answer.errors:
        body.append([["ERC"], [error.code]])
        body.append(_ftx("AAO", _fit(_where(error) + (error.message or ""), rep)))
    return body


def build_aperak(answers: Sequence[Answer], settings: WriteSettings) -> bytes:
    """One interchange answering ``answers`` (all from one inbound interchange), back to
    its sender. ``settings`` give our control numbers and clock; the parties, character
    set and test flag are mirrored from the first answer's envelope unless they say
    otherwise. The BGM number is the interchange control number and the message's
    position in it, so it is unique per partner as the control numbers are."""
    if not answers:
        raise RenderError("an APERAK answers at least one message")
    first = answers[0].envelope
    sender = settings.sender or first.receiver
    receiver = settings.receiver or first.sender
    if sender is None or receiver is None:
        raise RenderError("the message answered has no UNB ids to answer to")
    charset = settings.charset or (first.syntax_version or "UNOC").split(":")[0]
    answer = replace(settings, charset=charset, test=settings.test or first.test)
    encoding = CHARSETS.get(charset)
    if encoding is None:
        raise RenderError(f"unknown EDIFACT syntax identifier {charset!r}")
    rep = edifact_repertoire(charset, encoding)
    messages = []
    for n, a in enumerate(answers, start=1):
        version = a.envelope.version or ""
        directory = version if _DIRECTORY.match(version) else DEFAULT_DIRECTORY
        number = f"{settings.interchange_control}-{n}"
        messages.append(("APERAK", directory, _message(a, number, settings, rep)))
    return envelope(messages, answer, sender=sender, receiver=receiver)
