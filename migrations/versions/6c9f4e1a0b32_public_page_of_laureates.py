"""Public page of laureates: the summaries laureates write, the published snapshot and its audit

Revision ID: 6c9f4e1a0b32
Revises: 3c5e1f0a9b21
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the column types of the models)

# revision identifiers, used by Alembic.
revision = '6c9f4e1a0b32'
down_revision = '3c5e1f0a9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('laureate_summaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('written_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_laureate_summaries_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_laureate_summaries_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_laureate_summaries')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_laureate_summaries_dossier_id'))
    )

    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.String(length=80), nullable=False),
    sa.Column('published_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_publications_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications')),
    sa.UniqueConstraint('edition_id', name=op.f('uq_publications_edition_id'))
    )

    op.create_table('published_laureates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('administration', sa.String(length=300), nullable=True),
    sa.Column('axis', sa.String(length=80), nullable=True),
    sa.Column('axis_label', sa.String(length=300), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_published_laureates_dossier_id_dossiers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], name=op.f('fk_published_laureates_publication_id_publications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_laureates'))
    )
    with op.batch_alter_table('published_laureates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_laureates_publication_id'), ['publication_id'], unique=False)

    op.create_table('publication_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.String(length=80), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('laureates', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_publication_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_events'))
    )
    with op.batch_alter_table('publication_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_events_edition_id'), ['edition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('publication_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_events_edition_id'))
    op.drop_table('publication_events')
    with op.batch_alter_table('published_laureates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_laureates_publication_id'))
    op.drop_table('published_laureates')
    op.drop_table('publications')
    op.drop_table('laureate_summaries')
