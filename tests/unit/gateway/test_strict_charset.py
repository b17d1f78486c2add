"""``[edifact] strict_charset``: lower case under UNOA, a warning by default, rejects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import translators
from gateway.pipeline.checks import check_interchange
from gateway.profiles import load_profile
from tests.conftest import OWN_SAMPLES

ORDERS = (OWN_SAMPLES / "edifact" / "orders.edi").read_bytes().replace(b"UNOC", b"UNOA")
ACK = translators.WriteSettings(
    interchange_control=77, message_control=1, timestamp=dt.datetime(2024, 3, 2, 8, 30)
)


def _checked(tmp_path: Path, strict: str) -> translators.InterchangeResult:
    path = tmp_path / "acme.toml"
    path.write_text(
        'id = "acme"\n[edifact]\nid = "5412345678908"\nqualifier = "14"\n'
        f'{strict}\n[documents]\ninbound = ["purchase_order"]\n'
    )
    (ix,) = translators.read(ORDERS)
    return check_interchange(ix, load_profile(path))


def test_lower_case_under_unoa_is_acknowledged_by_default(tmp_path: Path) -> None:
    ix = _checked(tmp_path, "")
    assert ix.status == "accepted_with_errors" and len(ix.documents) == 1
    ack = translators.build_ack(ix, kind="CONTRL", settings=ACK)
    assert ack is not None and b"UCM+1+ORDERS:D:96A:UN+7'UCS+5'UCD+21+4'" in ack


def test_strict_charset_rejects_the_message_with_code_21(tmp_path: Path) -> None:
    ix = _checked(tmp_path, "strict_charset = true")
    assert ix.status == "rejected" and ix.documents == ()
    ack = translators.build_ack(ix, kind="CONTRL", settings=ACK)
    assert ack is not None
    segments = ack.decode().split("'")
    ucm = segments.index("UCM+1+ORDERS:D:96A:UN+4")
    # the first lower case is NAD+BY's "ACME Retail" (segment 5); the others follow
    assert segments[ucm + 1 : ucm + 3] == ["UCS+5", "UCD+21+4"]
    rest = segments[ucm + 1 : next(i for i, s in enumerate(segments) if s.startswith("UNT+"))]
    assert [s[:4] for s in rest] == ["UCS+", "UCD+"] * (len(rest) // 2)
    assert all(s.startswith("UCD+21+") for s in rest[1::2])
