"""What ``render`` writes with: the command line first, then the partner's profile with
our own side from gateway.toml, then the document's own envelope.

``--partner ID`` addresses the interchange as the gateway would: our ISA/UNB id from
gateway.toml as sender, theirs (and their GS id) from the profile as receiver, in the
version and, for EDIFACT, the character set agreed with them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence

import translators
from translators import Delimiters, Document, RenderError, WriteSettings
from translators.model import PartyId

from ..profiles import Profile, find_profile
from .common import settings_of

__all__ = [
    "check_billing_kind",
    "check_version",
    "partner_profile",
    "render_target",
    "write_settings",
]

#: X12 releases we write (ISA12 00401 / 00501, GS08 may add an implementation guide id)
X12_VERSIONS = ("004010", "005010")
#: EDIFACT directories whose element tables the writer checks against
_EDIFACT_FIRST, _EDIFACT_LAST = (1993, "A"), (2024, "A")
_EDIFACT = re.compile(r"D(\d\d)([AB])")
UBL_VERSIONS = ("2.1",)
#: the Peppol billing targets and the ``invoice_kind`` each one writes
_BILLING_KIND = {"ubl:Invoice": "invoice", "ubl:CreditNote": "credit_note"}


def partner_profile(args: argparse.Namespace) -> Profile | None:
    """``--partner``'s profile from the partners folder of ``--config`` (which must exist)."""
    if not args.partner:
        return None
    return find_profile(settings_of(args).partners_dir, args.partner)


def render_target(args: argparse.Namespace, profile: Profile | None, doc: Document) -> str:
    """``--to``, else what the profile's ``[documents] outbound`` says for this kind."""
    if args.to:
        return str(args.to)
    if profile is not None and doc.type in profile.outbound:
        return profile.outbound[doc.type]
    agreed = f" (partner {profile.id!r} has no outbound {doc.type})" if profile else ""
    raise RenderError(f"--to is required{agreed}: one of {', '.join(translators.write_targets())}")


def check_billing_kind(target: str, docs: Sequence[Document]) -> None:
    """``--to ubl:CreditNote`` writes a credit note, ``ubl:Invoice`` an invoice: a document
    of the other kind is refused, not silently written as the other document (the writer
    picks Invoice or CreditNote by ``invoice_kind``; turning an invoice into a credit note
    is a business decision the JSON must state)."""
    wanted = _BILLING_KIND.get(target)
    for doc in docs if wanted else ():
        kind = getattr(doc, "invoice_kind", None)
        if kind is not None and kind != wanted:
            other = next(t for t, k in _BILLING_KIND.items() if k == kind)
            raise RenderError(
                f"{target} writes invoice_kind {wanted!r}; document {doc.number or ''} is "
                f"invoice_kind {kind!r}: use --to {other} or set invoice_kind"
            )


def check_version(syntax: str, version: str | None, label: str) -> None:
    """A version the writer would put in the envelope but we have no tables for is refused
    here, naming the ones we write, rather than sent and rejected by the partner."""
    if version is None:
        return
    if syntax == "x12" and version[:6] in X12_VERSIONS:
        return
    if syntax == "edifact" and (m := _EDIFACT.fullmatch(version)):
        year = int(m[1])
        key = (1900 + year if year >= 90 else 2000 + year, m[2])
        if _EDIFACT_FIRST <= key <= _EDIFACT_LAST:
            return
    if syntax == "xml" and version in UBL_VERSIONS:
        return
    known = {
        "x12": ", ".join(X12_VERSIONS),
        "edifact": "directories D93A to D24A (D96A, D01B ...)",
        "xml": ", ".join(UBL_VERSIONS),
    }[syntax]
    raise RenderError(f"{label} {version}: not a {syntax} version we write; we write {known}")


def _party(value: str | None) -> PartyId | None:
    if value is None:
        return None
    qualifier, sep, ident = value.rpartition(":")
    return PartyId(id=ident, qualifier=qualifier if sep else None)


def write_settings(
    args: argparse.Namespace, doc: Document, syntax: str, profile: Profile | None
) -> WriteSettings:
    sender, receiver = _party(args.sender), _party(args.receiver)
    version, charset, group_receiver = args.version, None, None
    delimiters: Delimiters | None = None
    if profile is not None and syntax in ("x12", "edifact"):
        ours = settings_of(args)
        if syntax == "x12":
            if profile.x12 is None:
                raise RenderError(f"partner {profile.id!r} has no [x12] table to address")
            sender = sender or ours.x12
            receiver = receiver or PartyId(id=profile.x12.id, qualifier=profile.x12.qualifier)
            group_receiver = profile.x12.gs_id if args.receiver is None else None
            version = version or profile.x12.version
            delimiters = profile.x12.delimiters
            if delimiters and delimiters.repetition is None and version[:6] >= "005010":
                raise RenderError(
                    f"version {version} writes ISA11, the repetition separator, and partner "
                    f"{profile.id!r} [x12] delimiters names none: add it as a 4th character"
                )
        else:
            if profile.edifact is None:
                raise RenderError(f"partner {profile.id!r} has no [edifact] table to address")
            sender = sender or ours.edifact
            theirs = profile.edifact
            receiver = receiver or PartyId(id=theirs.id, qualifier=theirs.qualifier)
            version = version or profile.edifact.version
            charset = profile.edifact.charset
            delimiters = profile.edifact.delimiters
    env = doc.envelope
    sender = sender or (env.sender if env else None)
    receiver = receiver or (env.receiver if env else None)
    if syntax in ("x12", "edifact") and (sender is None or receiver is None):
        raise RenderError(
            f"an interchange in {syntax} needs sender and receiver ids: give --sender/--receiver "
            "QUALIFIER:ID or --partner ID (the document's envelope names none)"
        )
    label = "--version" if args.version or profile is None else f"partner {profile.id!r} version"
    check_version(syntax, version, label)
    return WriteSettings(
        sender=sender,
        receiver=receiver,
        group_receiver=group_receiver,
        version=version,
        charset=charset,
        delimiters=delimiters,
        interchange_control=args.control,
        group_control=args.control,
        message_control=args.control,
        timestamp=dt.datetime.now().replace(microsecond=0),
        test=args.test or (profile is not None and profile.status == "test"),
    )
