"""The audit view: recent entries newest first, in school time, readable, filterable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import custody
from kiosk.services.audit_words import recent_in_words
from tests.factories import make_pupil
from ui.components.desk.audit import AuditPanel
from ui.models.audit_model import AuditModel


@pytest.fixture
def history(ctx: KioskContext, clock, manager: Actor, receptionist: Actor) -> None:  # type: ignore[no-untyped-def]
    # The UPN is given because the audit view names the pupil by it.
    zoe = make_pupil(ctx, forename="Zoë", surname="O'Brien & <Sons>", upn="W935100000001")
    clock.advance(minutes=5)
    custody.hand_in_for_pupil(ctx, receptionist, zoe.id)
    clock.advance(minutes=5)
    receptacle = custody.receptacles(ctx)[0]
    custody.save_receptacle(ctx, manager, name="Tray A", capacity=90, receptacle_id=receptacle.id)


def test_audit_model_passes_the_model_tester(
    qtmodeltester, ctx: KioskContext, history: None
) -> None:  # type: ignore[no-untyped-def]
    model = AuditModel(ctx.timezone)
    model.set_rows(recent_in_words(ctx))
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_empty_audit_model_passes_the_model_tester(qtmodeltester, ctx: KioskContext) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(AuditModel(ctx.timezone))


def row_texts(panel: AuditPanel, row: int) -> list[str]:
    proxy = panel.proxy
    return [proxy.data(proxy.index(row, column)) for column in range(proxy.columnCount())]


def test_newest_entry_first_in_readable_words(desk_panel, ctx: KioskContext, history: None) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(AuditPanel)

    assert row_texts(panel, 0) == [
        "Tue 24 Nov 2026 08:50",
        "Ms Ada Manager (manager)",
        "Ms Ada Manager changed the receptacle Tray A: name Office tray → Tray A; "
        "capacity 60 → 90.",
    ]
    assert row_texts(panel, 1) == [
        "Tue 24 Nov 2026 08:45",
        "Mr Ben Desk (receptionist)",
        "Mr Ben Desk took in Zoë O'Brien & <Sons>'s phone: Office tray · slot 1.",
    ]
    tooltip = panel.proxy.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert "W935100000001" in tooltip  # the stored entry stays one hover away


def test_filter_keeps_only_matching_entries(desk_panel, ctx: KioskContext, history: None) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(AuditPanel)
    total = panel.model.rowCount()

    panel.filter.setText("took in")

    assert panel.proxy.rowCount() == 1
    assert row_texts(panel, 0)[2].startswith("Mr Ben Desk took in Zoë")
    assert panel.count.text() == f"1 of {total} entries match"

    panel.filter.setText("")
    assert panel.proxy.rowCount() == total
    assert panel.count.text() == f"{total} entries"
