"""Reminders already sent: a digest never repeats an item on the same day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    """One item of one digest: a reminder is never sent twice for the same item on the same day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    item = models.CharField(max_length=60)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "sent_on"], name="reminder_once_per_item_and_day"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.item} · {self.sent_on}"
