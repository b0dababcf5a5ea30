"""Load the IdP's people and its one client (Uptake), from JSON on standard input.

``{"client": {"id", "secret", "redirect_uris"}, "people": [{"email", "password",
"first_name", "last_name", "verified"}]}``; run with this package's settings.
"""

from __future__ import annotations

import json
import sys

import django


def main() -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth.models import User

    given = json.load(sys.stdin)
    client = given["client"]
    Client.objects.create(
        id=client["id"], name="Uptake", scopes="openid\nprofile\nemail",
        redirect_uris="\n".join(client["redirect_uris"]), type=Client.Type.CONFIDENTIAL,
        grant_types=Client.GrantType.AUTHORIZATION_CODE, response_types="code",
        skip_consent=False)
    client_row = Client.objects.get(id=client["id"])
    client_row.set_secret(client["secret"])
    client_row.save(update_fields=["secret"])
    for person in given["people"]:
        user = User.objects.create_user(
            username=person["email"].split("@")[0], email=person["email"],
            password=person["password"], first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""))
        EmailAddress.objects.create(user=user, email=person["email"], primary=True,
                                    verified=person["verified"])


if __name__ == "__main__":
    main()
