from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pac.planning.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail each user a digest of what is late and what is due soon. Run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="How far ahead to look (7).")
        parser.add_argument("--date", help="The day to send for, as YYYY-MM-DD (today).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent.")

    def handle(self, *args, days, date: str | None = None, dry_run=False, **options):
        if days < 1 or days > 90:
            raise CommandError("--days must be between 1 and 90.")
        try:
            today = date_of(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must look like 2027-03-31: {error}") from error
        digests = send_reminders(today, days=days, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for digest in digests:
            self.stdout.write(f"{verb} {len(digest.items())} item(s) to {digest.user.email}")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(digests)} reminder e-mail(s)."))


def date_of(text):
    return date.fromisoformat(text)
