"""Each ``PlanShare`` becomes an ``accounts.Grant`` (reason review) with the same date,
given by the plan's owner, before the share table is removed."""

from django.db import migrations


def shares_to_grants(apps, schema_editor):
    PlanShare = apps.get_model("learning", "PlanShare")
    Grant = apps.get_model("accounts", "Grant")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="learning", model="learningplan")
    for share in PlanShare.objects.select_related("plan").iterator():
        Grant.objects.create(district_id=share.plan.district_id, content_type=ct,
                             object_id=share.plan_id, grantee_id=share.reviewer_id,
                             reason="review", granted_by_id=share.plan.owner_id,
                             granted_at=share.shared_at)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_source_informs_inquiries"),
        ("accounts", "0002_grants"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(shares_to_grants, migrations.RunPython.noop)]
