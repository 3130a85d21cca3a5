from django.core.management.base import BaseCommand

from incidents import founding_case


class Command(BaseCommand):
    help = "Load the founding case (Emotet, 2022) and the demo personas. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create the demo persona users."
        )

    def handle(self, *args, no_users=False, **options):
        incident = founding_case.load(with_users=not no_users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Founding case loaded: {incident.reference} — {incident.organization}"
            )
        )
        if not no_users:
            self.stdout.write(
                "Demo logins (password for all: "
                f"{founding_case.DEMO_PASSWORD}): admin (superuser), "
                + ", ".join(founding_case.PERSONAS)
            )
