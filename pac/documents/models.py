"""Documents printed in the background."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pac.core import stores
from pac.core.models import Plan

# What the waiting page says when the file store failed (pac.core.stores.failure).
STORE_FAILURES = {
    stores.UNREACHABLE: _(
        "The file store cannot be reached just now. Try again in a few minutes, and tell an "
        "administrator if it lasts."
    ),
    stores.NO_BUCKET: _(
        "The file store's bucket does not exist. Tell an administrator: the bucket named in "
        "PAC's settings must be created."
    ),
    stores.REFUSED: _(
        "The file store refuses PAC's access. Tell an administrator: the store's keys or "
        "permissions must be checked."
    ),
}


class PdfExport(models.Model):
    """A large document printed in the background, then offered for download."""

    class Kind(models.TextChoices):
        SYNTHESIS = "synthesis", _("Synthesis of the PAC")
        DOSSIER = "dossier", _("Full dossier")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be printed")
        RUNNING = "running", _("Being printed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pdf_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pdf_exports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DOSSIER)
    language = models.CharField(max_length=5, default="fr")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=200, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # What went wrong, for an administrator; a failure of the file store starts with its code
    # (pac.core.stores.FAILURES), which the waiting page explains to the reader.
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("PDF export")
        verbose_name_plural = _("PDF exports")

    def __str__(self):
        return f"{self.plan} · {self.get_status_display()}"

    @property
    def stored_as(self):
        """Its file in the storage (`STORAGES["default"]`)."""
        return f"exports/{self.pk}.pdf"

    @property
    def store_failure(self):
        """What the waiting page says of the file store, when its failure stopped the export;
        or ''."""
        return STORE_FAILURES.get(self.error.partition(":")[0], "")

    def fail(self, error, failure=""):
        """Record why the export failed; `failure`, when the file store did, what that means
        (pac.core.stores.failure)."""
        self.status = self.Status.FAILED
        self.error = f"{type(error).__name__}: {error}"
        if failure:
            self.error = f"{failure}: {self.error}"

    @property
    def finished(self):
        return self.status in {self.Status.READY, self.Status.FAILED}
