"""A DTM whose value is no date is noted where it stands, not dropped without a word."""

from __future__ import annotations

import translators
from tests.conftest import OWN_SAMPLES

ORDERS = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes()


def test_an_impossible_date_is_a_located_warning() -> None:
    data = ORDERS.replace(b"DTM+137:20240301:102", b"DTM+137:20251340:102")
    (ix,) = translators.read(data)
    (message,) = ix.messages
    (issue,) = message.issues
    assert (issue.code, issue.severity, issue.segment_tag) == ("12", "warning", "DTM")
    assert (issue.element, issue.component, issue.bad_value) == (1, 2, "20251340")
    assert message.status == "accepted_with_errors"
    (doc,) = ix.documents
    assert doc.date is None  # the order itself still stands


def test_a_valid_date_and_an_unread_format_pass() -> None:
    (ix,) = translators.read(ORDERS)
    assert ix.status == "accepted"
    ranged = ORDERS.replace(b"DTM+137:20240301:102", b"DTM+137:2024030120240305:718")
    (ix,) = translators.read(ranged)
    assert not ix.all_issues  # a period (718) is not read as a date, so not judged as one
