"""A closed plan is the archive of its period: nothing it holds changes, in the admin as on its
pages (where the services refuse every write, pac.core.access). Each plan-content model says how
its rows lead to their plan (`plan_path`, pac.core.revisions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pac.core.models import Plan


def plan_of(row, data=None):
    """The plan a row belongs to, or None; `data` (a form's cleaned data) overrides the row's
    first step on the way, for a row being created or moved."""
    if isinstance(row, Plan):
        return row
    paths = getattr(row, "plan_path", None) or ()
    for path in (paths,) if isinstance(paths, str) else paths:
        first, *rest = path.split("__")
        step = (data or {}).get(first) or getattr(row, first, None)
        for name in rest:
            step = getattr(step, name, None) if step is not None else None
        if isinstance(step, Plan):
            return step
    return None


def in_closed_plan(row, data=None):
    plan = plan_of(row, data) if row is not None else None
    return plan is not None and plan.is_closed


class OpenPlanAdmin:
    """For the admin of plan content (and its inlines, whose `obj` is the parent row): rows of a
    closed plan are shown, not changed, and nothing is added to or moved into a closed plan."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not in_closed_plan(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not in_closed_plan(obj)

    def has_add_permission(self, request, obj=None):
        # An inline is asked with the parent row; a model admin without one.
        allowed = super().has_add_permission(request, *([obj] if self.is_inline else []))
        return allowed and not in_closed_plan(obj)

    @property
    def is_inline(self):
        return hasattr(self, "parent_model")

    def get_form(self, request, obj=None, **kwargs):
        return with_open_plan(super().get_form(request, obj, **kwargs))


def with_open_plan(form_class):
    class OpenPlanForm(form_class):
        def clean(self):
            data = super().clean()
            if in_closed_plan(self.instance, data):
                raise forms.ValidationError(
                    _("This plan is closed: it can no longer be changed."), code="closed"
                )
            return data

    return OpenPlanForm
