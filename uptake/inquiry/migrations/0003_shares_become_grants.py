"""Each coach or leader an inquiry was shared with gets an ``accounts.Grant`` (reason
coaching), dated by the audit event that recorded the sharing (the plain list kept no
date; the inquiry's creation date when no event is found), given by the owner."""

from django.db import migrations


def shares_to_grants(apps, schema_editor):
    Inquiry = apps.get_model("inquiry", "Inquiry")
    Grant = apps.get_model("accounts", "Grant")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="inquiry", model="inquiry")
    Through = Inquiry.shared_with.through
    for row in Through.objects.select_related("inquiry").iterator():
        inquiry = row.inquiry
        events = AuditEvent.objects.filter(action="inquiry_shared", object_type="inquiry.Inquiry",
                                           object_id=str(inquiry.pk))
        when = next((e.at for e in events.order_by("-at")
                     if (e.details or {}).get("person") == row.user_id), inquiry.created_at)
        Grant.objects.create(district_id=inquiry.district_id, content_type=ct,
                             object_id=inquiry.pk, grantee_id=row.user_id, reason="coaching",
                             granted_by_id=inquiry.owner_id, granted_at=when)


class Migration(migrations.Migration):
    dependencies = [
        ("inquiry", "0002_measure_chart_choice"),
        ("accounts", "0002_grants"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(shares_to_grants, migrations.RunPython.noop)]
