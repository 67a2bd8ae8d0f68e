"""Two runs of the daily digest at the same moment (two servers' cron) send each e-mail once."""

import threading
import time
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from actions.models import Action
from pac.planning import reminders
from pac.planning.models import ReminderSent
from pac.planning.reminders import send_reminders
from tests.actions.factories import ActionFactory
from tests.targets.factories import TargetFactory

TODAY = date(2027, 3, 10)


def late_work(world):
    """One late action for each of the plan's two reps: one e-mail each, of one item."""
    target = TargetFactory(plan=world.plan)
    for rep in (world.rep, world.other_rep):
        ActionFactory(
            target=target,
            owner=rep,
            status="in_progress",
            start_date=date(2027, 2, 1),
            end_date=date(2027, 3, 5),
        )


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


@pytest.mark.django_db
def test_a_run_that_meets_the_records_of_another_skips_that_person_only(world):
    """Where rows are not locked, another run may record the first person's items while this one
    writes their e-mail: this run sends them nothing, and still goes on to the next person."""
    late_work(world)
    render = reminders.render_to_string
    item = f"action:{Action.objects.get(owner=world.rep).pk}"

    def other_run_meanwhile(name, context, *args, **kwargs):
        user = context["digest"].user
        if user == world.rep and not ReminderSent.objects.filter(user=user).exists():
            ReminderSent.objects.create(user=user, item=item, sent_on=TODAY)
        return render(name, context, *args, **kwargs)

    with mock.patch.object(reminders, "render_to_string", other_run_meanwhile):
        sent = send_reminders(TODAY)
    assert [digest.user for digest in sent] == [world.other_rep]
    assert recipients() == [world.other_rep.email]


@pytest.mark.django_db(transaction=True)
def test_a_run_started_during_another_waits_for_it_then_sends_nothing(world):
    """Two runs on two connections: the second reaches the person while the first holds them,
    waits until the first has recorded and sent, then finds nothing new."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "the SQLite test database lives in memory with a shared cache, where a second "
            "writer fails at once instead of waiting: `make test-postgres` runs this test"
        )
    late_work(world)
    digest_for = reminders.digest_for
    other = {}

    def second_run():
        try:
            other["sent"] = send_reminders(TODAY)
        finally:
            connection.close()

    def digest_while_another_starts(user, today, days):
        if not other:
            other["thread"] = threading.Thread(target=second_run)
            other["thread"].start()
            # Time for the second run to reach this person's row, where it must wait.
            time.sleep(0.5)
            other["done_early"] = "sent" in other
        return digest_for(user, today, days)

    with mock.patch.object(reminders, "digest_for", digest_while_another_starts):
        first = send_reminders(TODAY)
    other["thread"].join(timeout=30)
    assert not other["done_early"]
    # The first run had the first person alone; the next one may fall to either run.
    assert first[0].user == world.rep
    served = sorted(digest.user.username for digest in first + other["sent"])
    assert served == sorted([world.rep.username, world.other_rep.username])
    assert recipients() == sorted([world.rep.email, world.other_rep.email])
