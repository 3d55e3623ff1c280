"""Retention: visitors' personal details and signatures go after the configured period;
the number of visits per day and category stays, for reports.

What is purged: visits that began before the cutoff, their signed acknowledgements, and the
visitor records left with no visit. Alert matches keep the time but lose the link to the
visit. The audit log never held names or signatures, so it stays as it is.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kiosk.persistence.database import BATCH
from kiosk.persistence.models import (
    Visitor,
    VisitorAcknowledgement,
    VisitorAlertMatch,
    VisitorDailyCount,
    VisitorNameWord,
    VisitorSetting,
    VisitorVisit,
)
from kiosk.rows.people import COMMAND_LINE, SYSTEM, Actor
from kiosk.rows.visitors import PurgeReport
from kiosk.services import acting, audit

if TYPE_CHECKING:
    from kiosk.context import KioskContext


def purge_visitors(ctx: KioskContext, actor: Actor, *, dry_run: bool = False) -> PurgeReport:
    """Remove (or with ``dry_run`` only list) visitor data older than the retention period.
    Managers and the system's scheduled run only.

    The cutoff is now (UTC) less the school's ``retention_days`` (seven years when the
    setting is missing): visits that began before it go with their acknowledgements and
    signatures, and so does every visitor with no visit left. Before they go, their numbers
    are added to the per-day, per-category counts kept for reports; alert matches keep
    their time but lose the name and the visit. One audit entry records the counts (a dry
    run or a purge with nothing to remove writes none). Returns what was (or would be)
    removed, visitors by when last seen. Raises :class:`NotAllowed` for an actor who is
    neither an active manager (role read from the database) nor the
    system's scheduled run or the command line. The rule is the school's data retention for visitor
    records (DESIGN, visitor sign-in: retention).
    """
    with ctx.db.write(BATCH) as s:  # years of visits at once: batch work
        acting.require_manager(
            s, actor, "Only a manager can purge visitors' details.", also=(SYSTEM, COMMAND_LINE)
        )
        now = ctx.clock()
        days = s.scalar(select(VisitorSetting.retention_days).where(VisitorSetting.id == 1))
        cutoff = now - timedelta(days=days or 7 * 365)
        old = s.execute(
            select(
                VisitorVisit.id,
                VisitorVisit.visitor_id,
                VisitorVisit.category,
                VisitorVisit.signed_in_at,
            ).where(VisitorVisit.signed_in_at < cutoff)
        ).all()
        old_ids = [row.id for row in old]
        keeps_a_visit = (
            select(VisitorVisit.visitor_id)
            .where(VisitorVisit.signed_in_at >= cutoff)
            .distinct()
            .scalar_subquery()
        )
        leaving = s.execute(
            select(Visitor.id, Visitor.name, Visitor.organisation, Visitor.last_seen_at)
            .where(Visitor.last_seen_at < cutoff, Visitor.id.not_in(keeps_a_visit))
            .order_by(Visitor.last_seen_at, Visitor.id)
        ).all()
        acknowledgements = (
            s.scalar(
                select(func.count())
                .select_from(VisitorAcknowledgement)
                .where(
                    VisitorAcknowledgement.visit_id.in_(
                        select(VisitorVisit.id).where(VisitorVisit.signed_in_at < cutoff)
                    )
                )
            )
            or 0
        )
        report = PurgeReport(
            cutoff=cutoff,
            dry_run=dry_run,
            visits=len(old_ids),
            visitors=len(leaving),
            acknowledgements=acknowledgements,
            visitors_removed=tuple(
                (row.name, row.organisation, row.last_seen_at.astimezone(ctx.timezone).date())
                for row in leaving
            ),
        )
        if dry_run or (not old_ids and not leaving):
            if dry_run:
                s.rollback()
            return report
        _add_daily_counts(s, [(r.signed_in_at, r.category) for r in old], ctx)
        old_visits = select(VisitorVisit.id).where(VisitorVisit.signed_in_at < cutoff)
        s.execute(
            update(VisitorAlertMatch)
            .where(VisitorAlertMatch.visit_id.in_(old_visits))
            .values(visit_id=None, signed_in_name="(removed after the retention period)")
        )
        s.execute(
            delete(VisitorAcknowledgement).where(VisitorAcknowledgement.visit_id.in_(old_visits))
        )
        s.execute(delete(VisitorVisit).where(VisitorVisit.signed_in_at < cutoff))
        leaving_ids = [row.id for row in leaving]
        if leaving_ids:
            s.execute(
                delete(VisitorAcknowledgement).where(
                    VisitorAcknowledgement.visitor_id.in_(leaving_ids)
                )
            )
            # The name index goes with the name.
            s.execute(delete(VisitorNameWord).where(VisitorNameWord.visitor_id.in_(leaving_ids)))
            s.execute(delete(Visitor).where(Visitor.id.in_(leaving_ids)))
        audit.record(
            s,
            at=now,
            actor=actor,
            action="visitors_purged",
            entity="visitor_visit",
            entity_id="retention",
            after={
                "cutoff": cutoff,
                "visits": report.visits,
                "visitors": report.visitors,
                "acknowledgements": report.acknowledgements,
            },
        )
        return report


def _add_daily_counts(s: Session, visits: list[tuple[datetime, str]], ctx: KioskContext) -> None:
    counts = Counter((at.astimezone(ctx.timezone).date(), category) for at, category in visits)
    for (day, category), number in counts.items():
        row = s.get(VisitorDailyCount, (day, category))
        if row is None:
            s.add(VisitorDailyCount(day=day, category=category, visits=number))
        else:
            row.visits += number
    s.flush()


def daily_counts(ctx: KioskContext, start: date, end: date) -> dict[tuple[date, str], int]:
    """Visits per (local day, category) for start <= day <= end: counts kept after a purge
    plus visits still on record.

    ``start`` and ``end`` are school dates, both included; a visit counts on the school
    date it began. Returns only the (day, category) pairs with at least one visit; an empty
    dict when there are none. Never raises for dates in the wrong order: the dict is empty.
    """
    counts: Counter[tuple[date, str]] = Counter()
    with ctx.db.read() as s:
        for row in s.scalars(
            select(VisitorDailyCount).where(
                VisitorDailyCount.day >= start, VisitorDailyCount.day <= end
            )
        ):
            counts[(row.day, row.category)] += row.visits
        begin = datetime.combine(start, datetime.min.time(), tzinfo=ctx.timezone)
        finish = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=ctx.timezone)
        for at, category in s.execute(
            select(VisitorVisit.signed_in_at, VisitorVisit.category).where(
                VisitorVisit.signed_in_at >= begin, VisitorVisit.signed_in_at < finish
            )
        ):
            counts[(at.astimezone(ctx.timezone).date(), category)] += 1
    return dict(counts)
