from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pac"
    verbose_name = _("Commercial action plans")

    def ready(self):
        # Connects the signals that keep each plan's revision (pac.core.revisions), and
        # registers the pages whose regions the apps' views refresh (pac.core.editing.page).
        from pac.core import revisions  # noqa: F401
        from pac.plans import page, sheet  # noqa: F401
        from pac.steering import paci  # noqa: F401
