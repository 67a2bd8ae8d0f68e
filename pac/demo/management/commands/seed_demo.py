from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pac.core.models import Plan
from pac.demo.data import build_demo, demo_exists
from pac.demo.texts import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Load the demo data (a French IT services company's plan). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load the demo into a database that holds no plan at all.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off (demo accounts share a known password).",
        )

    def handle(self, *args, if_empty=False, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: the demo accounts have a known password. "
                "Pass --allow-production to load them anyway."
            )
        if demo_exists():
            self.stdout.write("The demo data is already loaded.")
            return
        if if_empty and Plan.objects.exists():
            self.stdout.write("The database already holds plans: demo data not loaded.")
            return
        plan = build_demo(timezone.localdate())
        accounts = ", ".join(username for username, *_ in PEOPLE)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {plan.title}. Accounts {accounts} and admin, "
                f"password '{DEMO_PASSWORD}'."
            )
        )
