"""The head-office service: stores, enrollment and the sync endpoints consoles talk to."""
