"""Personal API tokens: what an integration (a CRM, a BI tool) signs in to the API with.

A token is shown once, when it is created; the database keeps only its SHA-256 digest and the
first characters that let its owner tell it from their others. A revoked token is refused like an
unknown one. Created and revoked on the profile page, by their owner only.
"""

import hashlib
import secrets

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pac.core.forms import CheckedForm

# What every token starts with: secret scanners and people recognise it.
PREFIX = "pac_"
# The characters of a token kept in clear, to name it on the profile page.
SHOWN = len(PREFIX) + 6


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=SHOWN)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_on = models.DateField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ApiTokenForm(CheckedForm, forms.Form):
    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=100,
        help_text=_("What it is for, e.g. “CRM synchronisation”."),
    )


@transaction.atomic
def token_create(*, actor, name) -> tuple[ApiToken, str]:
    """A new token of the actor's, and its secret: the only time anyone reads it."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=secret[:SHOWN], digest=digest(secret)
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor, pk) -> ApiToken:
    """Revoke one of the actor's tokens; someone else's is a 404, like one that does not exist."""
    token = get_object_or_404(ApiToken.objects.select_for_update().active(), user=actor, pk=pk)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def token_user(secret):
    """The active token a secret is, with its user (active too), or None. Its last use is
    written once a day, not on every request."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
    return token
