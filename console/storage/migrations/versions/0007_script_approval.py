"""scripts: segment and template of a script; submission, decision comment, override and rule pack of a
version; script_check, each version's check against a rule pack

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('script_check',
    sa.Column('script_version_id', sa.Uuid(), nullable=False),
    sa.Column('rule_pack', sa.String(length=160), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('blocks', sa.Integer(), nullable=False),
    sa.Column('warns', sa.Integer(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['script_version_id'], ['script_version.id'],
                            name=op.f('fk_script_check_script_version_id_script_version')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_script_check_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script_check')),
    )
    with op.batch_alter_table('script_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_script_check_script_version_id'), ['script_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_script_check_store_id'), ['store_id'], unique=False)
    # Plain ADD COLUMN, in place (no table copy): the columns are nullable or have a default.
    op.add_column('script', sa.Column('segment', sa.Enum('opening', 'interaction', 'closing', name='scriptsegment',
                                                         native_enum=False, length=32), nullable=True))
    op.add_column('script', sa.Column('template', sa.String(length=64), nullable=False, server_default=''))
    op.execute("ALTER TABLE script_version ADD COLUMN submitted_by CHAR(32) "
               "CONSTRAINT fk_script_version_submitted_by_user_account REFERENCES user_account (id)")
    op.add_column('script_version', sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('script_version', sa.Column('decision_comment', sa.Text(), nullable=False, server_default=''))
    op.add_column('script_version', sa.Column('override_reason', sa.Text(), nullable=False, server_default=''))
    op.add_column('script_version', sa.Column('rule_pack', sa.String(length=160), nullable=False,
                                              server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('script_version', schema=None) as batch_op:
        for column in ('rule_pack', 'override_reason', 'decision_comment', 'submitted_at', 'submitted_by'):
            batch_op.drop_column(column)
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.drop_column('template')
        batch_op.drop_column('segment')
    op.drop_table('script_check')
