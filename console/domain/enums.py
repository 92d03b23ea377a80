"""Enumerations of the live-commerce domain, stored by their string value."""

from __future__ import annotations

import enum


class StrEnum(str, enum.Enum):
    """An enum whose value is also its stored and wire form."""

    def __str__(self) -> str:
        return self.value


class Role(StrEnum):
    ANCHOR = "anchor"
    ROOM_CONTROLLER = "room_controller"
    STORE_MANAGER = "store_manager"
    HEAD_OFFICE = "head_office"


class Affiliation(StrEnum):
    STAFF = "staff"      # mall staff trained as hosts
    BRAND = "brand"      # brand counter staff
    GUEST = "guest"      # invited guests


class Platform(StrEnum):
    DOUYIN = "douyin"
    KUAISHOU = "kuaishou"
    TAOBAO = "taobao"
    PINDUODUO = "pinduoduo"
    JD = "jd"
    WECHAT = "wechat"


class ShiftRole(StrEnum):
    HOST = "host"
    CO_HOST = "co_host"
    ROOM_CONTROLLER = "room_controller"


class ShiftStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    # Published, then taken off the roster: anchors still see it until the removal is published.
    WITHDRAWN = "withdrawn"


class TimeOffKind(StrEnum):
    UNAVAILABLE = "unavailable"   # recurring or one-off "cannot work"
    TIME_OFF = "time_off"         # leave that a manager approves


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class BroadcastStatus(StrEnum):
    PLANNED = "planned"
    READY = "ready"          # its queue passed the ready-gate; an edit that breaks it returns it to planned
    LIVE = "live"
    ENDED = "ended"
    CANCELLED = "cancelled"


class QueueItemStatus(StrEnum):
    PENDING = "pending"
    EXPLAINING = "explaining"
    DONE = "done"
    SKIPPED = "skipped"


class ScriptKind(StrEnum):
    PRODUCT = "product"
    SEGMENT = "segment"   # opening, closing, giveaway, transition ...


class ScriptSegment(StrEnum):
    """Where a segment script is spoken in a broadcast."""

    OPENING = "opening"
    INTERACTION = "interaction"   # giveaways, follow prompts, answering the comments
    CLOSING = "closing"


class ScriptVersionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class QualityDocumentKind(StrEnum):
    INSPECTION_REPORT = "inspection_report"     # 检测报告
    CCC_CERTIFICATE = "ccc_certificate"         # 3C 认证
    COSMETICS_FILING = "cosmetics_filing"       # 化妆品备案
    FOOD_LICENSE = "food_license"               # 食品经营许可
    BRAND_AUTHORISATION = "brand_authorisation" # 品牌授权书
    CUSTOMS_DECLARATION = "customs_declaration" # 报关单


class OnAirEventKind(StrEnum):
    SHOW_STARTED = "show_started"
    SHOW_ENDED = "show_ended"
    PRODUCT_STARTED = "product_started"
    PRODUCT_ENDED = "product_ended"
    PRODUCT_SKIPPED = "product_skipped"
    PRICE_CHANGED = "price_changed"
    STOCK_CHANGED = "stock_changed"
    SOLD_OUT = "sold_out"
    NOTE = "note"
    PAUSED = "paused"
    RESUMED = "resumed"


class AuditVia(StrEnum):
    GUI = "gui"
    CLI = "cli"
    SYNC = "sync"
    DEMO = "demo"


class OutboxOp(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"     # a tombstone, never a hard delete
