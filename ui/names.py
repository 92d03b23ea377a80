"""The words a user reads for the synced tables and their fields (the Sync screen's review, conflicts).

Falls back to the name itself for a field not listed here, so a column added
later still shows, if only by its name.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

TABLES: dict[str, str] = {
    "store": QT_TRANSLATE_NOOP("Names", "store"),
    "product": QT_TRANSLATE_NOOP("Names", "product"),
    "quality_document": QT_TRANSLATE_NOOP("Names", "quality paper"),
    "rule_pack": QT_TRANSLATE_NOOP("Names", "rule pack"),
    "live_room": QT_TRANSLATE_NOOP("Names", "live room"),
    "platform_account": QT_TRANSLATE_NOOP("Names", "platform account"),
    "anchor": QT_TRANSLATE_NOOP("Names", "anchor"),
    "user_account": QT_TRANSLATE_NOOP("Names", "user"),
    "shift": QT_TRANSLATE_NOOP("Names", "shift"),
    "time_off": QT_TRANSLATE_NOOP("Names", "time off"),
    "shift_swap": QT_TRANSLATE_NOOP("Names", "shift swap"),
    "shift_template": QT_TRANSLATE_NOOP("Names", "shift template"),
    "store_product": QT_TRANSLATE_NOOP("Names", "store price and stock"),
    "price_history": QT_TRANSLATE_NOOP("Names", "price history"),
    "broadcast": QT_TRANSLATE_NOOP("Names", "broadcast"),
    "queue_item": QT_TRANSLATE_NOOP("Names", "run-of-show item"),
    "product_set": QT_TRANSLATE_NOOP("Names", "product set"),
    "script": QT_TRANSLATE_NOOP("Names", "script"),
    "script_version": QT_TRANSLATE_NOOP("Names", "script version"),
    "show_run": QT_TRANSLATE_NOOP("Names", "show run"),
    "onair_event": QT_TRANSLATE_NOOP("Names", "on-air event"),
    "metric_snapshot": QT_TRANSLATE_NOOP("Names", "metrics"),
    "audit_log": QT_TRANSLATE_NOOP("Names", "audit record"),
}

# The fields people edit; stamps and ids rarely reach a conflict.
FIELDS: dict[str, str] = {
    "active": QT_TRANSLATE_NOOP("Names", "active"),
    "actual_end": QT_TRANSLATE_NOOP("Names", "actual end"),
    "actual_start": QT_TRANSLATE_NOOP("Names", "actual start"),
    "affiliation": QT_TRANSLATE_NOOP("Names", "affiliation"),
    "after_sales_policy": QT_TRANSLATE_NOOP("Names", "after-sales policy"),
    "anchor_id": QT_TRANSLATE_NOOP("Names", "anchor"),
    "barcode": QT_TRANSLATE_NOOP("Names", "barcode"),
    "body": QT_TRANSLATE_NOOP("Names", "text"),
    "brand": QT_TRANSLATE_NOOP("Names", "brand"),
    "broadcast_id": QT_TRANSLATE_NOOP("Names", "broadcast"),
    "category": QT_TRANSLATE_NOOP("Names", "category"),
    "certification_expires": QT_TRANSLATE_NOOP("Names", "certificate expires"),
    "city": QT_TRANSLATE_NOOP("Names", "city"),
    "closes_at": QT_TRANSLATE_NOOP("Names", "closes at"),
    "code": QT_TRANSLATE_NOOP("Names", "code"),
    "counter_price_evidence": QT_TRANSLATE_NOOP("Names", "counter price evidence"),
    "counter_price_fen": QT_TRANSLATE_NOOP("Names", "counter price"),
    "deal": QT_TRANSLATE_NOOP("Names", "deal"),
    "display_name": QT_TRANSLATE_NOOP("Names", "display name"),
    "employer_brand": QT_TRANSLATE_NOOP("Names", "employer brand"),
    "ends_at": QT_TRANSLATE_NOOP("Names", "ends at"),
    "handle": QT_TRANSLATE_NOOP("Names", "handle"),
    "items": QT_TRANSLATE_NOOP("Names", "items"),
    "kind": QT_TRANSLATE_NOOP("Names", "kind"),
    "link_number": QT_TRANSLATE_NOOP("Names", "link number"),
    "link_pinned": QT_TRANSLATE_NOOP("Names", "link number pinned"),
    "live_price_fen": QT_TRANSLATE_NOOP("Names", "live price"),
    "login": QT_TRANSLATE_NOOP("Names", "login"),
    "name": QT_TRANSLATE_NOOP("Names", "name"),
    "notes": QT_TRANSLATE_NOOP("Names", "notes"),
    "opens_at": QT_TRANSLATE_NOOP("Names", "opens at"),
    "phone": QT_TRANSLATE_NOOP("Names", "phone"),
    "planned_end": QT_TRANSLATE_NOOP("Names", "planned end"),
    "planned_seconds": QT_TRANSLATE_NOOP("Names", "planned time"),
    "planned_start": QT_TRANSLATE_NOOP("Names", "planned start"),
    "platform": QT_TRANSLATE_NOOP("Names", "platform"),
    "platform_account_ids": QT_TRANSLATE_NOOP("Names", "platform accounts"),
    "platforms": QT_TRANSLATE_NOOP("Names", "platforms"),
    "position": QT_TRANSLATE_NOOP("Names", "position"),
    "product_id": QT_TRANSLATE_NOOP("Names", "product"),
    "product_ids": QT_TRANSLATE_NOOP("Names", "products"),
    "reason": QT_TRANSLATE_NOOP("Names", "reason"),
    "role": QT_TRANSLATE_NOOP("Names", "role"),
    "room_id": QT_TRANSLATE_NOOP("Names", "room"),
    "sku": QT_TRANSLATE_NOOP("Names", "SKU"),
    "spec": QT_TRANSLATE_NOOP("Names", "specification"),
    "starts_at": QT_TRANSLATE_NOOP("Names", "starts at"),
    "status": QT_TRANSLATE_NOOP("Names", "status"),
    "stock": QT_TRANSLATE_NOOP("Names", "stock"),
    "stock_allocated": QT_TRANSLATE_NOOP("Names", "stock for the show"),
    "timezone": QT_TRANSLATE_NOOP("Names", "time zone"),
    "title": QT_TRANSLATE_NOOP("Names", "title"),
    "trained_brands": QT_TRANSLATE_NOOP("Names", "trained brands"),
    "trained_categories": QT_TRANSLATE_NOOP("Names", "trained categories"),
    "unit": QT_TRANSLATE_NOOP("Names", "unit"),
    "valid_until": QT_TRANSLATE_NOOP("Names", "valid until"),
    "weekly_hours_cap": QT_TRANSLATE_NOOP("Names", "weekly hours cap"),
}


def table_text(name: str) -> str:
    words = TABLES.get(name)
    return QCoreApplication.translate("Names", words) if words else name


def field_text(name: str) -> str:
    words = FIELDS.get(name)
    return QCoreApplication.translate("Names", words) if words else name
