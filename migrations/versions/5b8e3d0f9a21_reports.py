"""Laureates' reports: one per dossier and report kind, their history, and their annexes among stored files

Revision ID: 5b8e3d0f9a21
Revises: 4a7d2c9e8f10
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import models.base  # noqa: F401  (the column types of the models)


# revision identifiers, used by Alembic.
revision = '5b8e3d0f9a21'
down_revision = '4a7d2c9e8f10'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.String(length=80), nullable=False),
    sa.Column('report_key', sa.String(length=80), nullable=False),
    sa.Column('revision', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('answers', JSON, nullable=False),
    sa.Column('set_aside', JSON, nullable=False),
    sa.Column('completed_steps', JSON, nullable=False),
    sa.Column('draft_input', JSON, nullable=False),
    sa.Column('last_edit', JSON, nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('answers_sha256', sa.String(length=64), nullable=True),
    sa.Column('reviewed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_reports_dossier_id_dossiers'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reports_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('dossier_id', 'report_key', name='uq_reports_dossier_kind')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index('ix_reports_edition_state', ['edition_id', 'state'], unique=False)

    op.create_table('report_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=False),
    sa.Column('to_state', sa.String(length=30), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answers_sha256', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_report_transitions_actor_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_transitions_report_id_reports'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_transitions'))
    )
    with op.batch_alter_table('report_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_transitions_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stored_files_report_id'), ['report_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stored_files_report_id_reports'), 'reports', ['report_id'],
                                    ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stored_files_report_id_reports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stored_files_report_id'))
        batch_op.drop_column('report_id')

    with op.batch_alter_table('report_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_transitions_report_id'))
    op.drop_table('report_transitions')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_edition_state')
        batch_op.drop_index(batch_op.f('ix_reports_dossier_id'))
    op.drop_table('reports')
