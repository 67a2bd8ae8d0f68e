from django.core.management.base import BaseCommand
from django.utils import timezone

from pac.documents.printing import print_ahead


class Command(BaseCommand):
    help = (
        "Print ahead the synthesis of every active plan left unchanged for a few minutes "
        "(PRINT_QUIET_MINUTES), for each of its managers. Run it every few minutes."
    )

    def handle(self, *args, **options):
        for plan, manager in print_ahead(timezone.now()):
            self.stdout.write(f"Printed the synthesis of {plan} for {manager.username}")
