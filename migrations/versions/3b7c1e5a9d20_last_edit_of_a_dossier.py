"""Which page made the last change of a dossier, so that its own autosaves are not taken for conflicts

Revision ID: 3b7c1e5a9d20
Revises: d42651349abd
Create Date: 2026-12-01 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import models.base  # noqa: F401  (the column types of the models)


# revision identifiers, used by Alembic.
revision = '3b7c1e5a9d20'
down_revision = 'd42651349abd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'last_edit', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))


def downgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_column('last_edit')
