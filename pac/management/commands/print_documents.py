from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pac.core import stores
from pac.documents.printing import print_ahead


class Command(BaseCommand):
    help = (
        "Print ahead the synthesis of every active plan left unchanged for a few minutes "
        "(PRINT_QUIET_MINUTES), for each of its managers. Run it every few minutes."
    )

    def handle(self, *args, **options):
        try:
            done = print_ahead(timezone.now())
        except stores.STORE_ERRORS as error:
            raise CommandError(f"The file store failed: {error!r}") from error
        for plan, manager in done:
            self.stdout.write(f"Printed the synthesis of {plan} for {manager.username}")
