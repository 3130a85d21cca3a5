"""Create or update the role groups (committee, legal, executive, auditor); idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "Create or update the groups committee, legal, executive and auditor (idempotent)."

    def handle(self, *args, **options) -> None:
        try:
            groups = ensure_roles()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for name, group in groups.items():
            self.stdout.write(
                _("%(group)s: %(label)s (%(count)d permissions)")
                % {
                    "group": name,
                    "label": ROLES[name]["label"],
                    "count": group.permissions.count(),
                }
            )
