"""Services: one module per capability; each owns its sessions and returns values."""
