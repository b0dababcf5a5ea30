"""Invitations whose row holds the link's secret itself (made with the old default rather
than through the invite action) get its SHA-256 instead, so the link already sent keeps
working and the database holds no usable secret. Rows already holding a digest (64 hex
characters) are left alone."""

import hashlib
import re

from django.db import migrations

DIGEST = re.compile(r"^[0-9a-f]{64}$")


def hash_plain_tokens(apps, schema_editor):
    Invitation = apps.get_model("accounts", "Invitation")
    for invitation in Invitation.objects.only("pk", "token").iterator():
        if not DIGEST.match(invitation.token):
            invitation.token = hashlib.sha256(invitation.token.encode()).hexdigest()
            invitation.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_grants")]

    operations = [migrations.RunPython(hash_plain_tokens, migrations.RunPython.noop)]
