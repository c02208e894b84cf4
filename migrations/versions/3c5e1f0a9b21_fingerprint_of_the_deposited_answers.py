"""fingerprint of the deposited answers

Revision ID: 3c5e1f0a9b21
Revises: c5e2a7f41b93
Create Date: 2026-12-01 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5e1f0a9b21'
down_revision = 'c5e2a7f41b93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_column('answers_sha256')
