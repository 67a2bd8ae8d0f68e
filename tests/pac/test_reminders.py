"""The daily digest: what it says, that it never repeats itself, and that people can stop it."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from pac.core.models import Plan
from pac.planning.models import ReminderSent
from pac.planning.reminders import digest_for, send_reminders
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.targets.factories import DealFactory, TargetFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 10)


@pytest.fixture
def agenda(world):
    target = TargetFactory(plan=world.plan)
    rep = world.rep
    return {
        "late": ActionFactory(
            target=target,
            owner=rep,
            title="Relances en retard",
            status="in_progress",
            start_date=date(2027, 2, 1),
            end_date=date(2027, 3, 5),
        ),
        "due": ActionFactory(
            target=target,
            owner=rep,
            title="Salon à finir",
            status="in_progress",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 3, 15),
        ),
        "far": ActionFactory(
            target=target,
            owner=rep,
            title="Plus tard",
            start_date=date(2027, 4, 1),
            end_date=date(2027, 4, 30),
        ),
        "done": ActionFactory(
            target=target,
            owner=rep,
            title="Déjà faite",
            status="done",
            start_date=date(2027, 2, 1),
            end_date=date(2027, 3, 1),
        ),
        # Due after the week: its owner gets nothing today.
        "colleague": ActionFactory(
            target=target,
            owner=world.other_rep,
            title="Pas à moi",
            start_date=date(2027, 3, 1),
            end_date=date(2027, 4, 20),
        ),
        "step": ActionStepFactory(
            action=ActionFactory(
                target=target,
                owner=rep,
                title="Longue",
                start_date=date(2027, 1, 1),
                end_date=date(2027, 6, 1),
            ),
            title="Envoyer le devis",
            due_date=date(2027, 3, 12),
        ),
        "deal": DealFactory(
            plan=world.plan,
            owner=rep,
            company="Fonderie Lemaire",
            milestone_date=date(2027, 3, 16),
            stage="proposal",
            probability=40,
        ),
        "won": DealFactory(
            plan=world.plan,
            owner=rep,
            company="Déjà signée",
            milestone_date=date(2027, 3, 12),
            stage="won",
            probability=100,
        ),
    }


def test_the_digest_holds_what_is_late_and_due_soon(world, agenda):
    digest = digest_for(world.rep, TODAY, 7)
    assert [a.title for a in digest.late_actions] == ["Relances en retard"]
    assert [a.title for a in digest.due_actions] == ["Salon à finir"]
    assert [s.title for s in digest.due_steps] == ["Envoyer le devis"]
    assert [d.company for d in digest.deals] == ["Fonderie Lemaire"]


def test_each_person_gets_one_mail_in_their_language(world, agenda):
    world.rep.email = "julien@example.com"
    world.rep.save()
    sent = send_reminders(TODAY, days=7)
    assert [digest.user for digest in sent] == [world.rep]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["julien@example.com"]
    assert message.subject == "PAC : 4 choses à suivre aujourd'hui"
    for text in [
        "EN RETARD",
        "Relances en retard",
        "fin prévue le 05/03/2027",
        "Salon à finir",
        "15/03/2027",
        "Étape « Envoyer le devis »",
        "Fonderie Lemaire",
        "16/03/2027",
    ]:
        assert text in message.body, text
    assert "Pas à moi" not in message.body and "Déjà faite" not in message.body
    assert "Plus tard" not in message.body


def test_english_speakers_read_english(world, agenda):
    world.rep.language = "en"
    world.rep.save()
    send_reminders(TODAY, days=7)
    assert mail.outbox[0].subject == "PAC: 4 things to follow today"
    assert "LATE" in mail.outbox[0].body


def test_nothing_is_sent_twice_the_same_day(world, agenda):
    send_reminders(TODAY, days=7)
    send_reminders(TODAY, days=7)
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(user=world.rep, sent_on=TODAY).count() == 4
    # A new item the same day comes alone.
    ActionFactory(
        target=agenda["due"].target,
        owner=world.rep,
        title="Nouvelle urgence",
        start_date=date(2027, 3, 9),
        end_date=date(2027, 3, 11),
    )
    send_reminders(TODAY, days=7)
    assert len(mail.outbox) == 2
    assert "Nouvelle urgence" in mail.outbox[1].body
    assert "Salon à finir" not in mail.outbox[1].body
    # The next day, what is still open is said again.
    send_reminders(date(2027, 3, 11), days=7)
    assert len(mail.outbox) == 3
    assert "Salon à finir" in mail.outbox[2].body


def test_people_who_turned_reminders_off_get_nothing(world, agenda):
    world.rep.reminders = False
    world.rep.save()
    assert send_reminders(TODAY, days=7) == []
    assert mail.outbox == []


def test_a_closed_plan_sends_nothing(world, agenda):
    world.plan.status = Plan.Status.CLOSED
    world.plan.save()
    assert send_reminders(TODAY, days=7) == []


def test_the_command(world, agenda, capsys):
    call_command("send_reminders", "--date", "2027-03-10", "--dry-run")
    assert "Would send 4 item(s) to rep@example.com" in capsys.readouterr().out
    assert mail.outbox == []
    call_command("send_reminders", "--date", "2027-03-10")
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", "--date", "10/03/2027")
    with pytest.raises(CommandError, match="--days"):
        call_command("send_reminders", "--days", "0")


def test_a_colleague_is_reminded_of_their_own_work(world, agenda):
    colleague = agenda["colleague"]
    colleague.end_date = date(2027, 3, 12)
    colleague.save()
    send_reminders(TODAY, days=7)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "Pas à moi" in bodies[world.other_rep.email]
    assert "Pas à moi" not in bodies[world.rep.email]
