"""Reports: planned against actual, and what each broadcast sold."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select

from console.domain.enums import BroadcastStatus, QueueItemStatus
from console.domain.permissions import Permission
from console.domain.values import BroadcastReport
from console.services.base import Service
from console.storage.models import Broadcast, MetricSnapshot, QueueItem, ShowRun


class ReportService(Service):
    def recent_broadcasts(self, now: datetime | None = None, *, limit: int = 50) -> list[BroadcastReport]:
        """The latest ended broadcasts with their figures (metrics are cumulative snapshots)."""
        self._actor.require(Permission.VIEW_REPORTS)
        now = now or datetime.now(timezone.utc)
        sid = self._store_scope()
        with self._db.begin() as s:
            shows = s.scalars(
                select(Broadcast)
                .where(Broadcast.store_id == sid, Broadcast.deleted_at.is_(None),
                       Broadcast.status == BroadcastStatus.ENDED, Broadcast.planned_start < now)
                .order_by(Broadcast.planned_start.desc()).limit(limit)
            ).all()
            ids = [b.id for b in shows]
            if not ids:
                return []
            metrics = {
                bid: (viewers, orders, gmv)
                for bid, viewers, orders, gmv in s.execute(
                    select(MetricSnapshot.broadcast_id, func.max(MetricSnapshot.viewers),
                           func.max(MetricSnapshot.orders), func.max(MetricSnapshot.gmv_fen))
                    .where(MetricSnapshot.broadcast_id.in_(ids), _not_rehearsed(MetricSnapshot.run_id))
                    .group_by(MetricSnapshot.broadcast_id)
                )
            }
            presented = {
                bid: (done, total)
                for bid, done, total in s.execute(
                    select(QueueItem.broadcast_id,
                           func.sum((QueueItem.status == QueueItemStatus.DONE).cast(QueueItem.position.type)),
                           func.count())
                    .where(QueueItem.broadcast_id.in_(ids), QueueItem.deleted_at.is_(None))
                    .group_by(QueueItem.broadcast_id)
                )
            }
            reports = []
            for b in shows:
                viewers, orders, gmv = metrics.get(b.id, (0, 0, 0))
                done, total = presented.get(b.id, (0, 0))
                actual = (
                    int((b.actual_end - b.actual_start).total_seconds())
                    if b.actual_start and b.actual_end else None
                )
                reports.append(BroadcastReport(
                    broadcast_id=b.id, title=b.title, planned_start=b.planned_start,
                    planned_seconds=int((b.planned_end - b.planned_start).total_seconds()),
                    actual_seconds=actual, products_presented=int(done or 0),
                    products_planned=int(total or 0), peak_viewers=viewers or 0,
                    orders=orders or 0, gmv_fen=gmv or 0,
                ))
            return reports


def _not_rehearsed(run_id):  # type: ignore[no-untyped-def]
    """Figures of the show itself: a rehearsal's are kept apart (those recorded before runs were kept have none)."""
    return run_id.is_(None) | run_id.in_(select(ShowRun.id).where(ShowRun.rehearsal.is_(False)))
