"""Database models, one module per concern; importing this package registers them all."""

from models.base import db
from models.dossier import Dossier, ReferenceCounter, Transition
from models.files import StoredFile
from models.user import LoginToken, User

__all__ = ["db", "Dossier", "ReferenceCounter", "LoginToken", "StoredFile", "Transition", "User"]
