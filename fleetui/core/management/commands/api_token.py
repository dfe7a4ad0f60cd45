"""`manage.py api_token <username> [--create] [--rotate]`: print a user's REST API token, for scripts."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from fleetui.core.roles import user_role


class Command(BaseCommand):
    help = (
        "Print the REST API token of USERNAME on stdout, and nothing else, so a script can capture it:\n"
        "  TOKEN=$(python manage.py api_token alice --create)\n"
        '  curl -H "Authorization: Token $TOKEN" "http://127.0.0.1:8000/api/v1/sync-runs/?status=failed"\n'
        "Without --create it fails if the user has no token yet; --create makes one if missing; --rotate replaces "
        "it (the old one stops working at once). The user must be active and have a role (viewer, operator or "
        "admin): the API refuses everyone else, so no token is handed out for them."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter  # keep the help's example lines as written
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--create", action="store_true", help="Create the token if the user has none yet.")
        parser.add_argument("--rotate", action="store_true", help="Delete the user's token and create a new one.")

    def handle(self, *args: Any, username: str, create: bool, rotate: bool, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist:
            raise CommandError(f"No user named {username!r}. Create one with `manage.py createsuperuser`.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; the API would refuse their token.")
        if user_role(user) is None:
            raise CommandError(
                f"User {username!r} has no role, so the API would refuse their token. Give them one first "
                "(Django admin: add the user to the group viewer, operator or admin)."
            )
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token = Token.objects.filter(user=user).first()
            if token is None:
                if not (create or rotate):
                    raise CommandError(f"User {username!r} has no API token yet; run again with --create to make one.")
                token = Token.objects.create(user=user)
        self.stdout.write(token.key)
