"""The pac app's models, each defined in the package of its concern; Django registers the app's
models from this module, so it imports every one of them."""

from pac.core.models import (
    Membership,
    Plan,
    Role,
    SentForm,
    Team,
    User,
    Versioned,
)
from pac.core.tokens import ApiToken
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure
from pac.documents.models import PdfExport
from pac.planning.models import ReminderSent
from pac.plans.models import Competitor, SwotItem
from pac.proposals.models import Proposal
from pac.steering.models import PaciSignature, Review

__all__ = [
    "ApiToken",
    "ClientFigure",
    "Diagnosis",
    "OfferFigure",
    "OfferSegmentFigure",
    "Competitor",
    "Membership",
    "PaciSignature",
    "PdfExport",
    "Plan",
    "Proposal",
    "ReminderSent",
    "Review",
    "Role",
    "SentForm",
    "SwotItem",
    "Team",
    "User",
    "Versioned",
]
