"""Each coach named on an artifact becomes an ``accounts.Grant`` (reason coaching), dated
when the artifact was shared (its creation when that is not known), given by its owner,
before the list of named coaches is removed. ``Artifact.shared`` stays: it is the school
and district audience, a different thing from a named person."""

from django.db import migrations


def coaches_to_grants(apps, schema_editor):
    Artifact = apps.get_model("evidence", "Artifact")
    Grant = apps.get_model("accounts", "Grant")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="evidence", model="artifact")
    Through = Artifact.coaches.through
    for row in Through.objects.select_related("artifact").iterator():
        artifact = row.artifact
        Grant.objects.create(district_id=artifact.district_id, content_type=ct,
                             object_id=artifact.pk, grantee_id=row.user_id, reason="coaching",
                             granted_by_id=artifact.owner_id,
                             granted_at=artifact.shared_at or artifact.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_artifacts"),
        ("accounts", "0002_grants"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(coaches_to_grants, migrations.RunPython.noop)]
