"""Make the audit log append-only in the database itself, not only in the ORM.

PostgreSQL rejects every DELETE and every UPDATE except the one Django issues when an
account or district is removed (``on_delete=SET_NULL`` clears ``actor_id``/``district_id``;
``actor_label`` keeps who acted). TRUNCATE stays possible for test-database flushes.

SQLite rejects the same UPDATEs. It does not block DELETE because Django empties SQLite
test databases with DELETE (PostgreSQL uses TRUNCATE); SQLite only serves demos and tests,
and the ORM refuses deletes on both. See docs/decisions.md, "Audit log is append-only".
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - 'actor_id' - 'district_id') = (to_jsonb(OLD) - 'actor_id' - 'district_id')
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.district_id IS NULL OR NEW.district_id = OLD.district_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'The audit log is append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""

_CONTENT_COLUMNS = ("id", "at", "actor_label", "action", "object_type", "object_id", "summary",
                    "subjects", "page", "ip_address", "details")
SQLITE_FORWARD = [
    f"""CREATE TRIGGER audit_auditevent_no_update
        BEFORE UPDATE OF {", ".join(_CONTENT_COLUMNS)} ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER audit_auditevent_only_clear_links
        BEFORE UPDATE OF actor_id, district_id ON audit_auditevent
        WHEN (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
          OR (NEW.district_id IS NOT NULL AND NEW.district_id IS NOT OLD.district_id)
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only (UPDATE refused)'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_only_clear_links;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_person_reactivated_action"),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
