from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pac"
    verbose_name = _("Commercial action plans")

    def ready(self):
        pass
