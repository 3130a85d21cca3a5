"""Issue a user's calendar-feed URL (a new one each time: the old URL stops working)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from incidents.models import CalendarToken


class Command(BaseCommand):
    help = (
        "Print a new secret iCalendar URL of USERNAME's deadlines; the previous URL is "
        "revoked. --revoke only revokes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Revoke without a new URL.")

    def handle(self, *args, username: str, revoke: bool, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if revoke:
            deleted, _rows = CalendarToken.objects.filter(user=user).delete()
            self.stdout.write("Revoked." if deleted else "No calendar URL to revoke.")
            return
        token = CalendarToken.issue(user)
        path = reverse("calendar-feed", args=[token])
        self.stdout.write(settings.SITE_URL.rstrip("/") + path)
