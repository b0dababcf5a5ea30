"""Occasion.updated_at: when an occasion's data last changed, for a sync's updated_since.
Existing occasions start from when they were created."""

import django.utils.timezone
from django.db import migrations, models


def from_created(apps, schema_editor):  # type: ignore[no-untyped-def]
    Occasion = apps.get_model("inquiry", "Occasion")
    Occasion.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('inquiry', '0006_measure_annotations'),
    ]

    operations = [
        migrations.AddField(
            model_name='occasion',
            name='updated_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(from_created, migrations.RunPython.noop),
    ]
