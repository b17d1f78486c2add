"""APERAK through the pipeline: a partner whose profile asks gets one per business
message (negative with the CONTRL when the gateway holds it, positive after the ERP
step, negative when the ERP refuses it); a partner that does not ask gets none."""

from __future__ import annotations

import argparse
import datetime as dt

import msgspec

import translators
from gateway.app import Gateway, open_gateway
from gateway.cli.ops import _reprocess  # the operator's command, minus argument parsing
from gateway.config import Settings
from gateway.erp import RecordingErp
from gateway.errors import ErpError
from gateway.pipeline import HANDLERS, Inbox, Worker
from gateway.pipeline.acks import plan_aperaks
from gateway.profiles import Profile
from tests.conftest import ROOT
from translators import WriteSettings
from translators.acks.aperak import Answer
from translators.model import FunctionalAck, PartyId, PurchaseOrder

from .conftest import ORDER, make_850


def _partner(gw: Gateway, name: str, *, application: bool) -> None:
    text = (ROOT / "partners" / f"{name}.toml").read_text()
    if application:
        text = (
            text.replace("[acks]\n", "[acks]\napplication = true\n")
            if "[acks]\n" in text
            else text + "\n[acks]\napplication = true\n"
        )
    (gw.settings.partners_dir / f"{name}.toml").write_text(text)
    assert gw.profiles.refresh() == []
    assert gw.profiles.get(name).application_acks is application  # type: ignore[union-attr]


def _orders(control: int, *numbers: str) -> bytes:
    """One interchange from EuroFoods with an ORDERS per number (UNH 1, 2, ...); the
    order numbered ``*-BAD`` has a quantity that is not a number."""
    docs = [
        msgspec.structs.replace(
            ORDER,
            number=n,
            lines=(msgspec.structs.replace(ORDER.lines[0], quantity=777 if "BAD" in n else 3),),
        )
        for n in numbers
    ]
    data = translators.write(
        docs,
        target="edifact:ORDERS",
        settings=WriteSettings(
            sender=PartyId(id="8711576000012", qualifier="14"),
            receiver=PartyId(id="5400000000003", qualifier="14"),
            interchange_control=control,
            timestamp=dt.datetime(2024, 3, 1),
        ),
    )
    return data.replace(b"QTY+21:777", b"QTY+21:7x7")


async def _run(gw: Gateway, payload: bytes, partner: str = "eurofoods") -> str:
    accepted = await Inbox(gw).accept(partner=partner, transport="sftp", payload=payload)
    await Worker(gw, HANDLERS).run(drain=True)
    return accepted.message_id


async def _answers(gw: Gateway, message_id: str) -> list[tuple[str, FunctionalAck]]:
    """(CONTRL | APERAK, what it says) for each ack message related to ``message_id``."""
    out = []
    for row in await gw.store.related(message_id):
        assert row.direction == "out"
        for ix in translators.read(await gw.archive.get(row.sha256)):
            assert ix.status == "accepted"
            for m in ix.messages:
                assert isinstance(m.document, FunctionalAck)
                # `acks resend` re-sends the functional ack, never an APERAK in its place
                kind = "application_ack" if m.code == "APERAK" else "functional_ack"
                assert row.kinds == (kind,)
                out.append((m.code, m.document))
    return sorted(out, key=lambda a: (a[0], a[1].status))


def _orders_in_erp(gw: Gateway) -> list[str]:
    assert isinstance(gw.erp, RecordingErp)
    return [number or "" for _, _, number in gw.erp.orders()]


async def test_held_message_is_refused_and_the_good_one_confirmed_after_the_erp(
    gw: Gateway,
) -> None:
    _partner(gw, "eurofoods", application=True)
    message_id = await _run(gw, _orders(91, "EF-GOOD", "EF-BAD"))
    msg = await gw.store.get_message(message_id)
    assert msg is not None and msg.status == "partial"
    assert _orders_in_erp(gw) == ["EF-GOOD"]
    (positive, negative, contrl) = await _answers(gw, message_id)
    assert contrl[0] == "CONTRL"
    assert positive[0] == negative[0] == "APERAK"
    assert positive[1].status == "accepted"
    assert positive[1].acknowledges[0].control == "1"  # UNH 1, EF-GOOD
    assert negative[1].status == "rejected"
    (ref,) = negative[1].acknowledges
    assert ref.control == "2" and ref.errors and all(e.code for e in ref.errors)
    # every one is an outbound message of its own, as `edigw messages list` shows them
    out = await gw.store.list_messages(direction="out")
    assert len(out) == 3 and all(m.related_id == message_id for m in out)
    queued = [e for e in await gw.store.audit_events() if e.action == "ack.queued"]
    assert sorted(e.details["kind"] for e in queued) == ["APERAK", "APERAK", "CONTRL"]


async def test_the_negative_aperak_locates_the_reason(gw: Gateway) -> None:
    _partner(gw, "eurofoods", application=True)
    message_id = await _run(gw, _orders(92, "EF-BAD"))
    rows = await gw.store.related(message_id)
    texts = [(await gw.archive.get(r.sha256)).decode("latin-1") for r in rows]
    (aperak,) = [t for t in texts if "APERAK" in t]
    assert "BGM+305+" in aperak and "+9+RE'" in aperak
    assert "RFF+ACW:1'" in aperak  # no RFF+ON: a message rejected by syntax has no document
    assert "ERC+" in aperak and "(QTY)" in aperak  # the FTX says where
    assert _orders_in_erp(gw) == []


async def test_an_interchange_the_contrl_rejects_gets_negative_aperaks(gw: Gateway) -> None:
    _partner(gw, "eurofoods", application=True)
    payload = _orders(93, "EF-A", "EF-B").replace(b"UNZ+2+93'", b"UNZ+5+93'")
    message_id = await _run(gw, payload)
    answers = await _answers(gw, message_id)
    assert [(code, a.status) for code, a in answers] == [
        ("APERAK", "rejected"),
        ("APERAK", "rejected"),
        ("CONTRL", "rejected"),
    ]
    rows = await gw.store.related(message_id)
    (aperak,) = [t for r in rows if "APERAK" in (t := (await gw.archive.get(r.sha256)).decode())]
    assert "RFF+ON:EF-A'" in aperak and "RFF+ON:EF-B'" in aperak  # read, then held
    assert _orders_in_erp(gw) == []


async def test_a_rerun_does_not_answer_twice(gw: Gateway) -> None:
    _partner(gw, "eurofoods", application=True)
    message_id = await _run(gw, _orders(94, "EF-ONCE", "EF-BAD"))
    assert [c for c, _ in await _answers(gw, message_id)] == ["APERAK", "APERAK", "CONTRL"]
    await _reprocess(gw, argparse.Namespace(id=message_id, operator="alice"))
    await Worker(gw, HANDLERS).run(drain=True)
    # a new CONTRL, as for any reprocess; the same outcomes are not answered again
    assert [c for c, _ in await _answers(gw, message_id)] == [
        "APERAK",
        "APERAK",
        "CONTRL",
        "CONTRL",
    ]
    (doc,) = [d for d in await gw.store.documents(message_id) if d.number == "EF-ONCE"]
    order = translators.from_json(doc.body)
    assert isinstance(order, PurchaseOrder)
    profile = gw.profiles.get("eurofoods")
    assert profile is not None
    assert await plan_aperaks(gw, profile, message_id, [([Answer.of(order)], None)]) == []
    assert _orders_in_erp(gw) == ["EF-ONCE"]


class _RefusingErp:
    """An ERP that knows none of the products (a permanent refusal)."""

    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        raise ErpError(f"unknown product in order {order.number}", retryable=False)

    async def close(self) -> None:
        return None


async def test_an_order_the_erp_refuses_gets_a_negative_aperak_once(settings: Settings) -> None:
    async with open_gateway(settings, erp=_RefusingErp()) as gw:
        _partner(gw, "eurofoods", application=True)
        message_id = await _run(gw, _orders(95, "EF-NOPE"))
        (dead,) = await gw.store.jobs(message_id=message_id, status="dead")
        answers = await _answers(gw, message_id)
        assert [(c, a.status) for c, a in answers] == [
            ("APERAK", "rejected"),
            ("CONTRL", "accepted"),
        ]
        (ref,) = answers[0][1].acknowledges
        assert [e.code for e in ref.errors] == ["12"]
        rows = await gw.store.related(message_id)
        texts = [(await gw.archive.get(r.sha256)).decode() for r in rows]
        assert any("unknown product in order EF-NOPE" in t for t in texts)

        async with gw.store.transaction() as tx:  # an operator retries the dead job
            tx.retry(dead.id)
        await Worker(gw, HANDLERS).run(drain=True)
        assert len(await gw.store.jobs(message_id=message_id, status="dead")) == 1
        assert len(await _answers(gw, message_id)) == 2  # no second APERAK


async def test_partners_that_do_not_ask_get_none(gw: Gateway) -> None:
    _partner(gw, "eurofoods", application=False)
    message_id = await _run(gw, _orders(96, "EF-PLAIN", "EF-BAD"))
    assert [c for c, _ in await _answers(gw, message_id)] == ["CONTRL"]
    assert _orders_in_erp(gw) == ["EF-PLAIN"]

    _partner(gw, "acme", application=True)  # an X12 partner: no APERAK in X12
    message_id = await _run(gw, make_850(961), partner="acme")
    assert len(await gw.store.related(message_id)) == 1  # the 997


class _DownErp:
    """An ERP that cannot be reached (a failure worth retrying, until the attempts end)."""

    async def submit_order(self, order: PurchaseOrder, *, partner: Profile, key: str) -> str:
        raise ErpError("connection refused by 10.0.0.7:8069", retryable=True)

    async def close(self) -> None:
        return None


async def test_an_order_never_delivered_is_refused_without_our_internals(
    settings: Settings,
) -> None:
    async with open_gateway(settings, erp=_DownErp()) as gw:
        _partner(gw, "eurofoods", application=True)
        path = gw.settings.partners_dir / "eurofoods.toml"
        path.write_text(path.read_text().replace("[acks]\n", "[acks]\nmax_attempts = 1\n"))
        assert gw.profiles.refresh() == []
        message_id = await _run(gw, _orders(97, "EF-LATE"))
        (dead,) = await gw.store.jobs(message_id=message_id, status="dead")
        assert dead.attempts == 1 and dead.kind == "deliver_erp"
        answers = await _answers(gw, message_id)
        assert [(c, a.status) for c, a in answers] == [
            ("APERAK", "rejected"),
            ("CONTRL", "accepted"),
        ]
        assert [e.code for e in answers[0][1].acknowledges[0].errors] == ["18"]
        texts = [
            (await gw.archive.get(r.sha256)).decode() for r in await gw.store.related(message_id)
        ]
        assert not any("10.0.0.7" in t for t in texts)
