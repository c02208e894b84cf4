"""Database models, one module per concern; importing this package registers them all."""

from models.base import db
from models.documents import GeneratedDocument
from models.dossier import Dossier, ReferenceCounter, Transition
from models.files import StoredFile
from models.outbox import OutboxMessage
from models.revision import EditionRevision
from models.user import LoginToken, User
from models.workshop import WorkshopRegistration, WorkshopSeats

__all__ = [
    "db", "Dossier", "EditionRevision", "GeneratedDocument", "LoginToken", "OutboxMessage", "ReferenceCounter",
    "StoredFile", "Transition", "User", "WorkshopRegistration", "WorkshopSeats",
]
