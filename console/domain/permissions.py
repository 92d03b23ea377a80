"""What each role may do; services check these, the UI only mirrors them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from uuid import UUID

from console.domain.enums import AuditVia, Role
from console.domain.errors import PermissionDenied
from console.i18n import Message, msg


class Permission(enum.Enum):
    VIEW_STORE = "view_store"
    RUN_SHOW = "run_show"                   # drive the on-air screen
    EDIT_ROSTER = "edit_roster"
    PUBLISH_ROSTER = "publish_roster"
    REQUEST_TIME_OFF = "request_time_off"
    EDIT_CATALOG = "edit_catalog"           # head-office catalog data
    EDIT_STORE_PRICES = "edit_store_prices" # store stock and counter prices
    PLAN_BROADCASTS = "plan_broadcasts"
    WRITE_SCRIPTS = "write_scripts"
    APPROVE_SCRIPTS = "approve_scripts"
    VIEW_REPORTS = "view_reports"
    MANAGE_SYNC = "manage_sync"
    MANAGE_USERS = "manage_users"


_P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ANCHOR: frozenset({_P.VIEW_STORE, _P.RUN_SHOW, _P.REQUEST_TIME_OFF, _P.WRITE_SCRIPTS}),
    Role.ROOM_CONTROLLER: frozenset(
        {_P.VIEW_STORE, _P.RUN_SHOW, _P.REQUEST_TIME_OFF, _P.WRITE_SCRIPTS, _P.EDIT_STORE_PRICES}
    ),
    Role.STORE_MANAGER: frozenset(
        {
            _P.VIEW_STORE, _P.RUN_SHOW, _P.EDIT_ROSTER, _P.PUBLISH_ROSTER, _P.REQUEST_TIME_OFF,
            _P.EDIT_CATALOG, _P.EDIT_STORE_PRICES, _P.PLAN_BROADCASTS, _P.WRITE_SCRIPTS,
            _P.APPROVE_SCRIPTS, _P.VIEW_REPORTS, _P.MANAGE_SYNC, _P.MANAGE_USERS,
        }
    ),
    Role.HEAD_OFFICE: frozenset(
        {_P.VIEW_STORE, _P.EDIT_CATALOG, _P.APPROVE_SCRIPTS, _P.VIEW_REPORTS, _P.MANAGE_SYNC}
    ),
}

# Said to the user when a permission is missing: what they tried, in their words.
PERMISSION_WORDS: dict[Permission, Message] = {
    _P.VIEW_STORE: msg("permissions.view_store", "view this store"),
    _P.RUN_SHOW: msg("permissions.run_show", "run a live show"),
    _P.EDIT_ROSTER: msg("permissions.edit_roster", "edit the roster"),
    _P.PUBLISH_ROSTER: msg("permissions.publish_roster", "publish the roster"),
    _P.REQUEST_TIME_OFF: msg("permissions.request_time_off", "ask for time off"),
    _P.EDIT_CATALOG: msg("permissions.edit_catalog", "edit the catalog"),
    _P.EDIT_STORE_PRICES: msg("permissions.edit_store_prices", "change store prices and stock"),
    _P.PLAN_BROADCASTS: msg("permissions.plan_broadcasts", "plan broadcasts"),
    _P.WRITE_SCRIPTS: msg("permissions.write_scripts", "write scripts"),
    _P.APPROVE_SCRIPTS: msg("permissions.approve_scripts", "approve scripts"),
    _P.VIEW_REPORTS: msg("permissions.view_reports", "view reports"),
    _P.MANAGE_SYNC: msg("permissions.manage_sync", "manage head-office sync"),
    _P.MANAGE_USERS: msg("permissions.manage_users", "manage users"),
}

# Who was refused, as the sentence starts.
ROLE_WORDS: dict[Role, Message] = {
    Role.ANCHOR: msg("permissions.role_anchor", "An anchor"),
    Role.ROOM_CONTROLLER: msg("permissions.role_room_controller", "A room controller"),
    Role.STORE_MANAGER: msg("permissions.role_store_manager", "A store manager"),
    Role.HEAD_OFFICE: msg("permissions.role_head_office", "Head office"),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, with which rights, and through which door."""

    store_id: UUID
    role: Role
    via: AuditVia
    user_id: UUID | None = None
    display_name: str = ""

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise PermissionDenied(msg(
                "permissions.denied", "{role} may not {action}; sign in as a store manager to do this.",
                role=ROLE_WORDS[self.role], action=PERMISSION_WORDS[permission],
            ))
