from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pac"
    verbose_name = _("Commercial action plans")

    def ready(self):
        # Every model is loaded by now: the revisions follow each one that declares its plan.
        from pac.core import revisions

        revisions.connect()
        # The pages whose regions the apps' views refresh by name (pac.core.editing.page).
        from pac.plans import page, sheet  # noqa: F401
        from pac.steering import paci  # noqa: F401
