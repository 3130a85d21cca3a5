import json

from django.core.management.base import BaseCommand, CommandError

from operations.health import CHECKS, health


class Command(BaseCommand):
    help = (
        "Print the health checks as JSON (those of GET /health/); exit 1 when one is stale. "
        "docker-compose's beat and worker services use it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="append",
            choices=CHECKS,
            help="only this check (repeatable); default: all",
        )

    def handle(self, *args, check=None, **options):
        result = health(only=check)
        self.stdout.write(json.dumps(result, indent=2))
        if result["status"] != "ok":
            stale = ", ".join(name for name, c in result["checks"].items() if not c["ok"])
            raise CommandError(f"stale: {stale}")
