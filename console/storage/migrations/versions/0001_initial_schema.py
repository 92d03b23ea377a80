"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('local_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_setting'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mutation_id', sa.Uuid(), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('op', sa.Enum('insert', 'update', 'delete', name='outboxop', native_enum=False, length=32), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('changed_fields', sa.JSON(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('mutation_id', name=op.f('uq_outbox_mutation_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_row_id'), ['row_id'], unique=False)

    op.create_table('product',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=False),
    sa.Column('spec', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('after_sales_policy', sa.Text(), nullable=False),
    sa.Column('search_key', sa.String(length=600), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('sku', name=op.f('uq_product_sku'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index('ix_product_brand_category', ['brand', 'category'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_name'), ['name'], unique=False)

    op.create_table('rule_pack',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_pack')),
    sa.UniqueConstraint('name', 'version', name=op.f('uq_rule_pack_name_version'))
    )
    op.create_table('store',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('group_name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store')),
    sa.UniqueConstraint('code', name=op.f('uq_store_code'))
    )
    op.create_table('anchor',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('affiliation', sa.Enum('staff', 'brand', 'guest', name='affiliation', native_enum=False, length=32), nullable=False),
    sa.Column('employer_brand', sa.String(length=120), nullable=False),
    sa.Column('trained_brands', sa.JSON(), nullable=False),
    sa.Column('trained_categories', sa.JSON(), nullable=False),
    sa.Column('certification_expires', sa.Date(), nullable=True),
    sa.Column('weekly_hours_cap', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_anchor_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anchor')),
    sa.UniqueConstraint('store_id', 'code', name=op.f('uq_anchor_store_id_code'))
    )
    with op.batch_alter_table('anchor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anchor_store_id'), ['store_id'], unique=False)

    op.create_table('live_room',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('platforms', sa.JSON(), nullable=False),
    sa.Column('opens_at', sa.Time(), nullable=False),
    sa.Column('closes_at', sa.Time(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_live_room_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_room')),
    sa.UniqueConstraint('store_id', 'code', name=op.f('uq_live_room_store_id_code'))
    )
    with op.batch_alter_table('live_room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_room_store_id'), ['store_id'], unique=False)

    op.create_table('quality_document',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('inspection_report', 'ccc_certificate', 'cosmetics_filing', 'food_license', 'brand_authorisation', 'customs_declaration', name='qualitydocumentkind', native_enum=False, length=32), nullable=False),
    sa.Column('number', sa.String(length=120), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('file_ref', sa.String(length=500), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_quality_document_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_document'))
    )
    with op.batch_alter_table('quality_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_document_product_id'), ['product_id'], unique=False)

    op.create_table('store_product',
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('counter_price_fen', sa.BigInteger(), nullable=False),
    sa.Column('counter_price_evidence', sa.String(length=500), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_store_product_product_id_product')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_store_product_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_product')),
    sa.UniqueConstraint('store_id', 'product_id', name=op.f('uq_store_product_store_id_product_id'))
    )
    with op.batch_alter_table('store_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_product_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_store_product_store_id'), ['store_id'], unique=False)

    op.create_table('broadcast',
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('platform_account_ids', sa.JSON(), nullable=False),
    sa.Column('planned_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('planned_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actual_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actual_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('planned', 'live', 'ended', 'cancelled', name='broadcaststatus', native_enum=False, length=32), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['live_room.id'], name=op.f('fk_broadcast_room_id_live_room')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_broadcast_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast'))
    )
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcast_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_broadcast_store_id_planned_start', ['store_id', 'planned_start'], unique=False)

    op.create_table('platform_account',
    sa.Column('platform', sa.Enum('douyin', 'kuaishou', 'taobao', 'pinduoduo', 'jd', 'wechat', name='platform', native_enum=False, length=32), nullable=False),
    sa.Column('handle', sa.String(length=120), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('room_id', sa.Uuid(), nullable=True),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['live_room.id'], name=op.f('fk_platform_account_room_id_live_room')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_platform_account_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_account'))
    )
    with op.batch_alter_table('platform_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_account_store_id'), ['store_id'], unique=False)

    op.create_table('user_account',
    sa.Column('store_id', sa.Uuid(), nullable=True),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('anchor', 'room_controller', 'store_manager', 'head_office', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('anchor_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['anchor_id'], ['anchor.id'], name=op.f('fk_user_account_anchor_id_anchor')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_user_account_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('store_id', 'login', name=op.f('uq_user_account_store_id_login'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_store_id'), ['store_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('via', sa.Enum('gui', 'cli', 'sync', 'demo', name='auditvia', native_enum=False, length=32), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_audit_log_store_id_store')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_audit_log_store_id_at', ['store_id', 'at'], unique=False)

    op.create_table('metric_snapshot',
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('viewers', sa.Integer(), nullable=False),
    sa.Column('likes', sa.Integer(), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('gmv_fen', sa.BigInteger(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'], name=op.f('fk_metric_snapshot_broadcast_id_broadcast')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_metric_snapshot_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metric_snapshot')),
    sa.UniqueConstraint('broadcast_id', 'at', name=op.f('uq_metric_snapshot_broadcast_id_at'))
    )
    with op.batch_alter_table('metric_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metric_snapshot_store_id'), ['store_id'], unique=False)

    op.create_table('queue_item',
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('link_number', sa.Integer(), nullable=False),
    sa.Column('live_price_fen', sa.BigInteger(), nullable=False),
    sa.Column('deal', sa.String(length=300), nullable=False),
    sa.Column('planned_seconds', sa.Integer(), nullable=False),
    sa.Column('stock_allocated', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'explaining', 'done', 'skipped', name='queueitemstatus', native_enum=False, length=32), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'], name=op.f('fk_queue_item_broadcast_id_broadcast')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_queue_item_product_id_product')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_queue_item_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queue_item'))
    )
    with op.batch_alter_table('queue_item', schema=None) as batch_op:
        batch_op.create_index('ix_queue_item_broadcast_id_position', ['broadcast_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_queue_item_store_id'), ['store_id'], unique=False)
        batch_op.create_index('uq_queue_item_broadcast_id_link_number', ['broadcast_id', 'link_number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('script',
    sa.Column('kind', sa.Enum('product', 'segment', name='scriptkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('product_id', sa.Uuid(), nullable=True),
    sa.Column('broadcast_id', sa.Uuid(), nullable=True),
    sa.Column('approved_version_id', sa.Uuid(), nullable=True),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_version_id'], ['script_version.id'], name=op.f('fk_script_approved_version_id_script_version'), initially='DEFERRED', deferrable=True, use_alter=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'], name=op.f('fk_script_broadcast_id_broadcast')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_script_product_id_product')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_script_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script'))
    )
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_script_store_id'), ['store_id'], unique=False)

    op.create_table('shift',
    sa.Column('anchor_id', sa.Uuid(), nullable=False),
    sa.Column('room_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('host', 'co_host', 'room_controller', name='shiftrole', native_enum=False, length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('broadcast_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'published', name='shiftstatus', native_enum=False, length=32), nullable=False),
    sa.Column('published_version', sa.Integer(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['anchor_id'], ['anchor.id'], name=op.f('fk_shift_anchor_id_anchor')),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'], name=op.f('fk_shift_broadcast_id_broadcast')),
    sa.ForeignKeyConstraint(['room_id'], ['live_room.id'], name=op.f('fk_shift_room_id_live_room')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_shift_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift'))
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index('ix_shift_anchor_id_starts_at', ['anchor_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_shift_room_id_starts_at', ['room_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_shift_store_id_starts_at', ['store_id', 'starts_at'], unique=False)

    op.create_table('time_off',
    sa.Column('anchor_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('unavailable', 'time_off', name='timeoffkind', native_enum=False, length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'rejected', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['anchor_id'], ['anchor.id'], name=op.f('fk_time_off_anchor_id_anchor')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_time_off_decided_by_user_account')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_time_off_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_off'))
    )
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.create_index('ix_time_off_anchor_id_starts_at', ['anchor_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_off_store_id'), ['store_id'], unique=False)

    op.create_table('onair_event',
    sa.Column('broadcast_id', sa.Uuid(), nullable=False),
    sa.Column('queue_item_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('show_started', 'show_ended', 'product_started', 'product_ended', 'product_skipped', 'price_changed', 'stock_changed', 'note', name='onaireventkind', native_enum=False, length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcast.id'], name=op.f('fk_onair_event_broadcast_id_broadcast')),
    sa.ForeignKeyConstraint(['queue_item_id'], ['queue_item.id'], name=op.f('fk_onair_event_queue_item_id_queue_item')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_onair_event_store_id_store')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_onair_event_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onair_event')),
    sa.UniqueConstraint('broadcast_id', 'seq', name=op.f('uq_onair_event_broadcast_id_seq'))
    )
    with op.batch_alter_table('onair_event', schema=None) as batch_op:
        batch_op.create_index('ix_onair_event_broadcast_id_at', ['broadcast_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_onair_event_store_id'), ['store_id'], unique=False)

    op.create_table('script_version',
    sa.Column('script_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'rejected', name='scriptversionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rule_pack_version', sa.Integer(), nullable=True),
    sa.Column('store_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_script_version_author_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_script_version_decided_by_user_account')),
    sa.ForeignKeyConstraint(['script_id'], ['script.id'], name=op.f('fk_script_version_script_id_script')),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], name=op.f('fk_script_version_store_id_store')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_script_version')),
    sa.UniqueConstraint('script_id', 'number', name=op.f('uq_script_version_script_id_number'))
    )
    with op.batch_alter_table('script_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_script_version_script_id'), ['script_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_script_version_store_id'), ['store_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('script_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_script_version_store_id'))
        batch_op.drop_index(batch_op.f('ix_script_version_script_id'))

    op.drop_table('script_version')
    with op.batch_alter_table('onair_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onair_event_store_id'))
        batch_op.drop_index('ix_onair_event_broadcast_id_at')

    op.drop_table('onair_event')
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_off_store_id'))
        batch_op.drop_index('ix_time_off_anchor_id_starts_at')

    op.drop_table('time_off')
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_store_id_starts_at')
        batch_op.drop_index(batch_op.f('ix_shift_store_id'))
        batch_op.drop_index('ix_shift_room_id_starts_at')
        batch_op.drop_index('ix_shift_anchor_id_starts_at')

    op.drop_table('shift')
    with op.batch_alter_table('script', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_script_store_id'))

    op.drop_table('script')
    with op.batch_alter_table('queue_item', schema=None) as batch_op:
        batch_op.drop_index('uq_queue_item_broadcast_id_link_number', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_queue_item_store_id'))
        batch_op.drop_index('ix_queue_item_broadcast_id_position')

    op.drop_table('queue_item')
    with op.batch_alter_table('metric_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metric_snapshot_store_id'))

    op.drop_table('metric_snapshot')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_store_id_at')
        batch_op.drop_index(batch_op.f('ix_audit_log_store_id'))

    op.drop_table('audit_log')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_store_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('platform_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_account_store_id'))

    op.drop_table('platform_account')
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.drop_index('ix_broadcast_store_id_planned_start')
        batch_op.drop_index(batch_op.f('ix_broadcast_store_id'))

    op.drop_table('broadcast')
    with op.batch_alter_table('store_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_product_store_id'))
        batch_op.drop_index(batch_op.f('ix_store_product_product_id'))

    op.drop_table('store_product')
    with op.batch_alter_table('quality_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_document_product_id'))

    op.drop_table('quality_document')
    with op.batch_alter_table('live_room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_room_store_id'))

    op.drop_table('live_room')
    with op.batch_alter_table('anchor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anchor_store_id'))

    op.drop_table('anchor')
    op.drop_table('store')
    op.drop_table('rule_pack')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_name'))
        batch_op.drop_index('ix_product_brand_category')

    op.drop_table('product')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_row_id'))

    op.drop_table('outbox')
    op.drop_table('local_setting')

