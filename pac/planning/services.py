"""What a person receives: their language and reminders, and their calendar feed's token."""

from django.db import transaction

from pac.core.models import new_feed_token
from pac.core.versioning import save_as

# A person's own settings.


@transaction.atomic
def profile_update(*, actor, language, reminders):
    return save_as(actor, actor, language=language, reminders=reminders)


@transaction.atomic
def feed_token_regenerate(*, actor):
    """A new secret for the user's feeds; the old URLs stop working at once."""
    actor.feed_token = new_feed_token()
    actor.save(update_fields=["feed_token"])
    return actor.feed_token
