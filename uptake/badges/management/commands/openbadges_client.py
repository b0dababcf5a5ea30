"""``uptake openbadges_client --coordinator EMAIL --name NAME --redirect-uri URI [...]``:
register an application (a badge host, a learner's wallet) as an OAuth 2.0 client of the
Open Badges 3.0 API (``/ims/ob/v3p0/``), for the coordinator's district.

The client may use the authorization-code grant (with PKCE) and ask for the API's read
scopes; each educator who authorizes it sees a consent screen. The client id and secret are
printed once (the secret is stored hashed): give them to the application's owner, with the
discovery document's URL. A refusal exits with status 1 and a message on stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from uptake.accounts.models import User
from uptake.badges import actions, keystore
from uptake.rules import RuleError


class Command(BaseCommand):
    help = "Register an Open Badges 3.0 API client (OAuth 2.0 authorization code)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--coordinator", required=True,
                            help="the e-mail of a coordinator of the district")
        parser.add_argument("--name", required=True, help="the application's name, shown "
                                                          "on the consent screen")
        parser.add_argument("--redirect-uri", action="append", required=True,
                            dest="redirect_uris", help="where the application receives "
                                                       "its code (repeat for more)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(email__iexact=options["coordinator"].strip()).first()
        if actor is None:
            raise CommandError(f"No account with the e-mail {options['coordinator']!r}.")
        try:
            client_id, secret = actions.do_register_api_client(
                actor, name=options["name"], redirect_uris=options["redirect_uris"])
        except RuleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"client_id: {client_id}\nclient_secret: {secret}\n"
                          f"discovery: {keystore.base_url()}/ims/ob/v3p0/discovery\n"
                          "The secret is shown only now.")
