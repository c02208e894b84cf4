"""payment lines of signed conventions, their audit, and the legal commitment (Chorus) of a convention

Revision ID: 4a7d2c9e8f10
Revises: 6c9f4e1a0b32
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the column types of the models)


# revision identifiers, used by Alembic.
revision = '4a7d2c9e8f10'
down_revision = '6c9f4e1a0b32'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payment_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('share', sa.Numeric(precision=9, scale=5), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('report', sa.String(length=300), nullable=True),
    sa.Column('trigger_date', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('requested_on', sa.Date(), nullable=True),
    sa.Column('ordered_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_payment_lines_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_lines')),
    sa.UniqueConstraint('dossier_id', 'position', name='uq_payment_lines_dossier_position')
    )
    with op.batch_alter_table('payment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_lines_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('payment_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_value', sa.String(length=30), nullable=True),
    sa.Column('to_value', sa.String(length=30), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_payment_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_payment_changes_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['line_id'], ['payment_lines.id'], name=op.f('fk_payment_changes_line_id_payment_lines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_changes'))
    )
    with op.batch_alter_table('payment_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_changes_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_changes_line_id'), ['line_id'], unique=False)

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_commitment', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('legal_commitment')

    with op.batch_alter_table('payment_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_changes_line_id'))
        batch_op.drop_index(batch_op.f('ix_payment_changes_dossier_id'))

    op.drop_table('payment_changes')
    with op.batch_alter_table('payment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_lines_dossier_id'))

    op.drop_table('payment_lines')
