"""Remote seats of workshops, counted apart from the room's

Revision ID: c5e2a7f41b93
Revises: 1c56b11de248
Create Date: 2026-12-01 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c5e2a7f41b93'
down_revision = '1c56b11de248'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop_seats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remote_taken', sa.Integer(), server_default='0', nullable=False))
    # Remote registrations were not counted before: count those already confirmed.
    registered = ("FROM workshop_registrations r WHERE r.remote = :remote AND r.status = 'inscrit' "
                  "AND r.edition_id = workshop_seats.edition_id AND r.workshop_key = workshop_seats.workshop_key")
    op.execute(sa.text(f"UPDATE workshop_seats SET remote_taken = (SELECT count(*) {registered})")
               .bindparams(remote=True))
    op.execute(sa.text(
        "INSERT INTO workshop_seats (edition_id, workshop_key, taken, remote_taken) "
        "SELECT r.edition_id, r.workshop_key, 0, count(*) FROM workshop_registrations r "
        "WHERE r.remote = :remote AND r.status = 'inscrit' AND NOT EXISTS (SELECT 1 FROM workshop_seats s "
        "WHERE s.edition_id = r.edition_id AND s.workshop_key = r.workshop_key) "
        "GROUP BY r.edition_id, r.workshop_key").bindparams(remote=True))


def downgrade():
    with op.batch_alter_table('workshop_seats', schema=None) as batch_op:
        batch_op.drop_column('remote_taken')
