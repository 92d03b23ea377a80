"""All capability services for one signed-in actor, built in one place."""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.permissions import Actor
from console.services.broadcast_plans import BroadcastPlans
from console.services.broadcasts import BroadcastService
from console.services.catalog import CatalogService
from console.services.queue import QueueService
from console.services.catalog_detail import CatalogDetailService
from console.services.catalog_io import CatalogFileService
from console.services.conflicts import ConflictService
from console.services.enrollment import EnrollmentService
from console.services.onair import OnAirService
from console.services.prices import PriceService
from console.services.reports import ReportService
from console.services.roster import RosterService
from console.services.roster_io import RosterFileService
from console.services.scripts import ScriptService
from console.services.store import StoreService
from console.services.sync import SyncService
from console.storage.db import Database


@dataclass(frozen=True)
class Services:
    actor: Actor
    store: StoreService
    roster: RosterService
    roster_files: RosterFileService
    catalog: CatalogService
    broadcasts: BroadcastService
    broadcast_plans: BroadcastPlans
    queue: QueueService
    scripts: ScriptService
    reports: ReportService
    sync: SyncService
    conflicts: ConflictService
    enrollment: EnrollmentService
    catalog_detail: CatalogDetailService
    catalog_files: CatalogFileService
    prices: PriceService
    onair: OnAirService

    @classmethod
    def for_actor(cls, db: Database, actor: Actor) -> "Services":
        roster = RosterService(db, actor)
        return cls(
            actor=actor,
            store=StoreService(db, actor), roster=roster,
            roster_files=RosterFileService(db, actor, roster),
            catalog=CatalogService(db, actor), broadcasts=BroadcastService(db, actor),
            broadcast_plans=BroadcastPlans(db, actor),
            queue=QueueService(db, actor),
            scripts=ScriptService(db, actor), reports=ReportService(db, actor),
            sync=SyncService(db, actor), conflicts=ConflictService(db, actor),
            enrollment=EnrollmentService(db, actor),
            catalog_detail=CatalogDetailService(db, actor),
            catalog_files=CatalogFileService(db, actor),
            prices=PriceService(db, actor),
            onair=OnAirService(db, actor),
        )
