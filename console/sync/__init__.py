"""Sync between a store's console and head office: the wire protocol and the synced-table catalog."""
