"""Plain domain values, enums and errors shared by every layer."""
