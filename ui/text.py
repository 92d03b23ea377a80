"""Display words for domain enums, translated in the "Enums" context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from console.domain.enums import (
    Affiliation,
    BroadcastStatus,
    Platform,
    QueueItemStatus,
    Role,
    ScriptVersionStatus,
    ShiftRole,
)

_ROLE = {
    Role.ANCHOR: QT_TRANSLATE_NOOP("Enums", "Anchor"),
    Role.ROOM_CONTROLLER: QT_TRANSLATE_NOOP("Enums", "Room controller"),
    Role.STORE_MANAGER: QT_TRANSLATE_NOOP("Enums", "Store manager"),
    Role.HEAD_OFFICE: QT_TRANSLATE_NOOP("Enums", "Head office"),
}
_AFFILIATION = {
    Affiliation.STAFF: QT_TRANSLATE_NOOP("Enums", "Mall staff"),
    Affiliation.BRAND: QT_TRANSLATE_NOOP("Enums", "Brand staff"),
    Affiliation.GUEST: QT_TRANSLATE_NOOP("Enums", "Guest"),
}
_BROADCAST = {
    BroadcastStatus.PLANNED: QT_TRANSLATE_NOOP("Enums", "Planned"),
    BroadcastStatus.READY: QT_TRANSLATE_NOOP("Enums", "Ready"),
    BroadcastStatus.LIVE: QT_TRANSLATE_NOOP("Enums", "On air"),
    BroadcastStatus.ENDED: QT_TRANSLATE_NOOP("Enums", "Ended"),
    BroadcastStatus.CANCELLED: QT_TRANSLATE_NOOP("Enums", "Cancelled"),
}
_QUEUE = {
    QueueItemStatus.PENDING: QT_TRANSLATE_NOOP("Enums", "Waiting"),
    QueueItemStatus.EXPLAINING: QT_TRANSLATE_NOOP("Enums", "Explaining"),
    QueueItemStatus.DONE: QT_TRANSLATE_NOOP("Enums", "Done"),
    QueueItemStatus.SKIPPED: QT_TRANSLATE_NOOP("Enums", "Skipped"),
}
_SCRIPT = {
    ScriptVersionStatus.DRAFT: QT_TRANSLATE_NOOP("Enums", "Draft"),
    ScriptVersionStatus.SUBMITTED: QT_TRANSLATE_NOOP("Enums", "Awaiting approval"),
    ScriptVersionStatus.APPROVED: QT_TRANSLATE_NOOP("Enums", "Approved"),
    ScriptVersionStatus.REJECTED: QT_TRANSLATE_NOOP("Enums", "Rejected"),
}
_SHIFT_ROLE = {
    ShiftRole.HOST: QT_TRANSLATE_NOOP("Enums", "Host"),
    ShiftRole.CO_HOST: QT_TRANSLATE_NOOP("Enums", "Co-host"),
    ShiftRole.ROOM_CONTROLLER: QT_TRANSLATE_NOOP("Enums", "Room controller"),
}
_PLATFORM = {
    Platform.DOUYIN: QT_TRANSLATE_NOOP("Enums", "Douyin"),
    Platform.KUAISHOU: QT_TRANSLATE_NOOP("Enums", "Kuaishou"),
    Platform.TAOBAO: QT_TRANSLATE_NOOP("Enums", "Taobao Live"),
    Platform.PINDUODUO: QT_TRANSLATE_NOOP("Enums", "Pinduoduo"),
    Platform.JD: QT_TRANSLATE_NOOP("Enums", "JD"),
    Platform.WECHAT: QT_TRANSLATE_NOOP("Enums", "WeChat Channels"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Enums", text)


def role_text(value: Role) -> str:
    return _t(_ROLE[value])


def affiliation_text(value: Affiliation) -> str:
    return _t(_AFFILIATION[value])


def broadcast_status_text(value: BroadcastStatus) -> str:
    return _t(_BROADCAST[value])


def queue_status_text(value: QueueItemStatus) -> str:
    return _t(_QUEUE[value])


def script_status_text(value: ScriptVersionStatus) -> str:
    return _t(_SCRIPT[value])


def shift_role_text(value: ShiftRole) -> str:
    return _t(_SHIFT_ROLE[value])


def platform_text(value: Platform) -> str:
    return _t(_PLATFORM[value])
