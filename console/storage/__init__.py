"""Local store: SQLAlchemy models, engine set-up, outbox and migrations."""
