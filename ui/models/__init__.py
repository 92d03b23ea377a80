"""Qt item models over the values services return."""
