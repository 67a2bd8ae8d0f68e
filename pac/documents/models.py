"""Documents printed in the background."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pac.core.models import Plan


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
    def finished(self):
        return self.status in {self.Status.READY, self.Status.FAILED}
