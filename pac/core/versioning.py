"""Optimistic locking: an edit carries the version its editor opened.

A newer version in the database means someone else saved in between, and the write raises
EditConflict instead of overwriting their work.
"""

from django.db import IntegrityError, transaction


class EditConflict(Exception):
    """Somebody saved the row after the editor opened it; `current` is what they saved."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} changed (v{current.version}).")
        self.current = current


def lock_version(instance, version):
    """The row as it is now, locked until the transaction ends; a conflict if it moved on."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is not None and current.version != version:
        raise EditConflict(current)
    return current


def save_as(actor, instance, **fields):
    """Set fields, validate as a form would, and save with the actor named in the history."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance._history_user = actor
    try:
        # A savepoint, so that losing a race leaves the transaction usable on PostgreSQL.
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # Two identical creates at the same instant both passed full_clean(); the loser now sees
        # the winner's row and gets the message a form would have shown.
        instance.validate_unique()
        instance.validate_constraints()
        raise
    return instance


def versioned_update(*, actor, instance, version, data):
    """Apply `data` to the row if nobody saved it since `version`."""
    current = lock_version(instance, version)
    return save_as(actor, current, **data)
