"""Database models, one module per concern; importing this package registers them all."""

from models.agreement import Agreement
from models.base import db
from models.decision import DecisionBatch, DecisionNotice
from models.documents import GeneratedDocument
from models.dossier import Dossier, ReferenceCounter, Transition
from models.files import StoredFile
from models.invitation import StaffInvitation
from models.jobs import Job
from models.outbox import OutboxMessage
from models.payment import PaymentChange, PaymentLine
from models.publication import LaureateSummary, Publication, PublicationEvent, PublishedLaureate
from models.report import Report, ReportTransition
from models.review import JuryAssignment, Score
from models.revision import EditionRevision
from models.user import LoginToken, SignInThrottle, User
from models.workshop import WorkshopRegistration, WorkshopSeats

__all__ = [
    "db", "Agreement", "DecisionBatch", "DecisionNotice", "Dossier", "EditionRevision", "GeneratedDocument",
    "Job", "JuryAssignment", "LaureateSummary", "LoginToken", "OutboxMessage", "PaymentChange", "PaymentLine",
    "Publication", "PublicationEvent", "PublishedLaureate", "ReferenceCounter", "Report", "ReportTransition", "Score",
    "SignInThrottle", "StaffInvitation", "StoredFile", "Transition", "User", "WorkshopRegistration", "WorkshopSeats",
]
