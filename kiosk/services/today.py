"""The Today page's question, "what needs me now?", answered from the other services.

Nothing here writes: :func:`what_needs_me` counts what the calls, custody, visitors,
alerts, register and confiscation services already return, so the page and the page that
deals with each line never disagree.
"""

from __future__ import annotations

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.rows.today import TodayRow
from kiosk.services import alerts, arrangements, confiscations, custody, messages, visitors


def what_needs_me(ctx: KioskContext, actor: Actor) -> TodayRow:
    """The counts for the desk's Today page, as of the clock's now.

    ``actor`` is the member of staff signed in at the desk: the alert list's matches are
    shown only to staff (:func:`kiosk.services.alerts.alert_matches`). Each count comes
    from the service that owns it: the message queues (:func:`messages.queues`: urgent
    first, then those whose person's break has come, then trip messages), phones held
    (:func:`custody.held_phones`; "overnight" means handed in before today's school-local
    date — the end-of-day rule that no phone is silently dropped), visitors on site,
    unseen alert matches, arrangements due for review (two weeks' notice,
    :func:`arrangements.due_for_review`), devices due back today (held at the office) and
    devices held for the DSL. Several short read transactions; returns a
    :class:`~kiosk.rows.today.TodayRow`. Raises :class:`~kiosk.errors.NotAllowed` when
    ``actor`` is not staff signed in at the desk.
    """
    matches = alerts.alert_matches(ctx, actor)
    queues = messages.queues(ctx)
    held = custody.held_phones(ctx)
    today = ctx.clock().astimezone(ctx.timezone).date()
    open_devices = confiscations.open_confiscations(ctx)
    return TodayRow(
        urgent_calls=len(queues.pass_on_now),
        messages_to_deliver=len(queues.deliver_now),
        messages_for_trips=len(queues.out_on_visit),
        phones_held=len(held),
        phones_held_overnight=sum(
            1 for phone in held if phone.since.astimezone(ctx.timezone).date() < today
        ),
        visitors_on_site=len(visitors.on_site(ctx)),
        alert_matches=len(matches),
        reviews_due=len(arrangements.due_for_review(ctx)),
        confiscations_due=sum(1 for device in open_devices if device.status == "held"),
        confiscations_for_dsl=sum(1 for device in open_devices if device.status == "dsl"),
    )
