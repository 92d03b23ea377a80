"""on air: show runs (the show or a rehearsal), the run of each event and metric, views

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Events and metrics written before this revision (the demo's past shows) keep
``run_id`` null: they are real shows, recorded before runs were kept.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('show_run',
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('rehearsal', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_by', sa.Uuid(), nullable=True),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'], name=op.f('fk_show_run_broadcast_id_broadcast')),
    sa.ForeignKeyConstraint(['room_id'], ['live_room.id'], name=op.f('fk_show_run_room_id_live_room')),
    sa.ForeignKeyConstraint(['started_by'], ['user_account.id'], name=op.f('fk_show_run_started_by_user_account')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_show_run_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_show_run')),
    )
    with op.batch_alter_table('show_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_show_run_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_show_run_room_id_ended_at', ['room_id', 'ended_at'], unique=False)
        batch_op.create_index('ix_show_run_broadcast_id', ['broadcast_id'], unique=False)
    # Plain ADD COLUMN, not a table copy: the tables may be large, and SQLite adds a nullable
    # reference in place (Alembic's add_column would want to ALTER a constraint, which SQLite cannot).
    for table in ('onair_event', 'metric_snapshot'):
        op.execute(f"ALTER TABLE {table} ADD COLUMN run_id CHAR(32) "
                   f"CONSTRAINT fk_{table}_run_id_show_run REFERENCES show_run (id)")
    op.add_column('metric_snapshot', sa.Column('views', sa.Integer(), nullable=False, server_default='0'))

def downgrade() -> None:
    with op.batch_alter_table('metric_snapshot', schema=None) as batch_op:
        batch_op.drop_column('views')
        batch_op.drop_column('run_id')
    with op.batch_alter_table('onair_event', schema=None) as batch_op:
        batch_op.drop_column('run_id')
    op.drop_table('show_run')
