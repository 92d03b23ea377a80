"""Every word the dashboard's pages show, as core catalog messages (extracted from here like any msg()).

Templates name a message by its id: ``{{ t("dashboard.wall_title") }}``, or with values
``{{ t("dashboard.shows_on_air", count=3) }}``; tests/headoffice/test_dashboard_words.py checks that
every id a template names is here.
"""

from __future__ import annotations

from console.i18n import Message, msg, msg_n

_ALL: tuple[Message, ...] = (
    # the frame
    msg("dashboard.product_name", "Anchor Console head office"),
    msg("dashboard.nav_wall", "Live wall"),
    msg("dashboard.nav_reports", "Reports"),
    msg("dashboard.nav_stores", "Stores"),
    msg("dashboard.sign_out", "Sign out"),
    msg("dashboard.signed_in_as", "Signed in as {name} ({role})"),
    msg("dashboard.language", "Language"),
    msg("dashboard.role_admin", "administrator"),
    msg("dashboard.role_catalog_manager", "catalog manager"),
    msg("dashboard.role_analyst", "analyst"),
    msg("dashboard.scoped_to", "Stores you see: {stores}"),
    # sign-in
    msg("dashboard.sign_in_title", "Sign in to head office"),
    msg("dashboard.login", "Login"),
    msg("dashboard.password", "Password"),
    msg("dashboard.sign_in", "Sign in"),
    msg("dashboard.sign_in_failed", "This login and password do not match a head-office account."),
    msg("dashboard.account_disabled", "This head-office account is disabled; ask an administrator."),
    msg("dashboard.sign_in_missing", "Enter your login and your password."),
    msg("dashboard.sign_in_rate_limited", "Too many sign-in attempts from this address; wait a minute and retry."),
    msg("dashboard.signed_out", "You are signed out."),
    msg("dashboard.session_ended", "Your session has ended; sign in again."),
    # refusals
    msg("dashboard.refused_title", "Not allowed"),
    msg("dashboard.forged_form", "This form did not come from your session's page (its security token is "
                                 "missing or wrong), so nothing was done. Reload the page and try again."),
    msg("dashboard.role_refused", "Your account ({role}) may not open this page; it sees the reports only."),
    msg("dashboard.store_refused", "Your account may not see this store."),
    msg("dashboard.store_unknown", "There is no store {code}."),
    msg("dashboard.not_found", "There is no such page on the dashboard."),
    msg("dashboard.bad_request", "This request cannot be answered: {reason}"),
    msg("dashboard.back", "Back to the dashboard"),
    msg("dashboard.server_error", "The service failed; nothing was changed. Try again shortly."),
    # the live wall
    msg("dashboard.wall_title", "Live wall"),
    msg_n("dashboard.shows_on_air", "{count} show on air now", "{count} shows on air now", count=0),
    msg("dashboard.wall_empty", "No show is on air in your stores right now."),
    msg("dashboard.wall_live", "Live: updates as the stores' consoles sync."),
    msg("dashboard.wall_reconnecting", "Connection lost; reconnecting…"),
    msg("dashboard.room", "Room"),
    msg("dashboard.hosts", "Hosts"),
    msg("dashboard.no_hosts", "no host on the roster"),
    msg("dashboard.on_air_product", "On air"),
    msg("dashboard.link_number", "Link {number}"),
    msg("dashboard.no_product", "between products"),
    msg("dashboard.viewers", "Viewers"),
    msg("dashboard.orders", "Orders"),
    msg("dashboard.gmv", "GMV"),
    msg("dashboard.since", "On air since {time}"),
    msg("dashboard.updated", "Figures as of {time}"),
    msg("dashboard.no_figures", "no figures yet"),
    # stores
    msg("dashboard.stores_title", "Stores"),
    msg("dashboard.store", "Store"),
    msg("dashboard.store_code", "Code"),
    msg("dashboard.consoles", "Consoles"),
    msg("dashboard.console", "Console"),
    msg("dashboard.console_status", "Status"),
    msg("dashboard.status_active", "active"),
    msg("dashboard.status_revoked", "revoked"),
    msg("dashboard.status_expired", "expired"),
    msg("dashboard.enrolled", "Enrolled"),
    msg("dashboard.last_sync", "Last sync"),
    msg("dashboard.never", "never"),
    msg("dashboard.problems", "Pending problems"),
    msg_n("dashboard.conflicts_count", "{count} conflict", "{count} conflicts", count=0),
    msg_n("dashboard.refused_count", "{count} refused change", "{count} refused changes", count=0),
    msg("dashboard.no_problems", "none"),
    msg("dashboard.problems_window", "Conflicts and refused changes of the last {days} days."),
    msg("dashboard.recent_conflicts", "Recent conflicts"),
    msg("dashboard.conflict_row", "{table} {row}: fields {fields}, by {console}"),
    msg("dashboard.shows_on_air_here", "On air now"),
    msg("dashboard.no_stores", "No store is registered yet."),
    # reports
    msg("dashboard.reports_title", "Reports"),
    msg("dashboard.report_kind", "Report"),
    msg("dashboard.kind_broadcasts", "Broadcasts"),
    msg("dashboard.kind_anchors", "Anchors"),
    msg("dashboard.kind_rooms", "Rooms"),
    msg("dashboard.kind_products", "Products"),
    msg("dashboard.kind_stores", "Stores"),
    msg("dashboard.all_stores", "All my stores"),
    msg("dashboard.from", "From"),
    msg("dashboard.to", "To"),
    msg("dashboard.platform", "Platform"),
    msg("dashboard.brand", "Brand"),
    msg("dashboard.category", "Category"),
    msg("dashboard.any", "any"),
    msg("dashboard.show_report", "Show"),
    msg("dashboard.export_csv", "Export CSV"),
    msg("dashboard.export_xlsx", "Export XLSX"),
    msg("dashboard.report_empty", "No broadcast in this range."),
    msg("dashboard.report_unavailable", "Reports are not available on this service yet."),
    msg("dashboard.drill_broadcasts", "its broadcasts"),
    msg("dashboard.drill_products", "its products"),
    msg_n("dashboard.report_rows", "{count} row", "{count} rows", count=0),
)

WORDS: dict[str, Message] = {message.id: message for message in _ALL}
