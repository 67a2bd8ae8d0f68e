"""The e-mail that tells a rep what became of their proposal, in the rep's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from pac.core import text
from pac.proposals.selectors import describe


def decision_mail(proposal):
    """The subject and body telling the proposal's author the decision, in their language."""
    author = proposal.author
    with translation.override(author.language):
        context = {"proposal": describe(proposal), "site": settings.SITE_URL}
        # User text saved before the forms refused control characters, or typed in the admin.
        subject = text.plain(
            render_to_string("email/proposal_decided_subject.txt", context), multiline=False
        )
        body = text.plain(render_to_string("email/proposal_decided_body.txt", context))
    return subject, body


def send_decision(proposal):
    author = proposal.author
    if not author.is_active or not author.email:
        return
    subject, body = decision_mail(proposal)
    EmailMessage(subject=subject, body=body, to=[author.email]).send()
