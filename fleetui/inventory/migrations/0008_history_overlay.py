"""Change records become diffs: `before` (the columns a write changed, with their old values) and `name` replace the
whole-row versions (`row`, `valid_to`); `baseline` records go. Existing records are converted: each one's `before`
is what differs between the previous version's row and its own.

ChangeCount, the daily counts the feed's chart reads, is kept by statement triggers on PostgreSQL (inserts add,
deletes subtract, TRUNCATE empties), so every writer keeps it right in its own transaction."""

from django.db import migrations, models

import fleetui.inventory.models


def _name(row):
    tags = row.get("tags")
    return str(row.get("name") or (tags.get("Name") if isinstance(tags, dict) else "") or "")[:256]


def versions_to_diffs(apps, schema_editor):
    ResourceChange = apps.get_model("inventory", "ResourceChange")
    records = ResourceChange.objects.order_by("resource_type", "account_id", "region", "resource_id", "at", "id")
    previous, last_resource, pending, baselines = None, None, [], []
    for record in records.iterator(chunk_size=2000):
        resource = (record.resource_type, record.account_id, record.region, record.resource_id)
        if resource != last_resource:
            previous, last_resource = None, resource
        row = record.row or {}
        if record.kind == "baseline":
            baselines.append(record.pk)
        else:
            record.name = _name(row)
            record.row_id = row.get("id")
            record.before = None if previous is None else {k: v for k, v in previous.items() if row.get(k) != v}
            pending.append(record)
        previous = row
        if len(pending) >= 2000:
            ResourceChange.objects.bulk_update(pending, ["name", "row_id", "before"])
            pending = []
    ResourceChange.objects.bulk_update(pending, ["name", "row_id", "before"])
    for start in range(0, len(baselines), 2000):
        ResourceChange.objects.filter(pk__in=baselines[start : start + 2000]).delete()


COUNTED = """
    SELECT (r.at AT TIME ZONE 'UTC')::date, r.resource_type, r.kind, r.actor = '', count(*)
    FROM {rows} r GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""
TRIGGERS = f"""
-- as_of merges the old values of a resource's records since T (fleetui.inventory.history.asof).
CREATE AGGREGATE history_merge(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb);
CREATE FUNCTION inventory_change_count_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- In key order, so two writers adding to the same days take the row locks in the same order.
    INSERT INTO inventory_changecount (day, resource_type, kind, outside, count)
    {COUNTED.format(rows="added_rows")}
    ON CONFLICT (day, resource_type, kind, outside) DO UPDATE SET count = inventory_changecount.count + EXCLUDED.count;
    RETURN NULL;
END $$;
CREATE FUNCTION inventory_change_count_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inventory_changecount c SET count = c.count - r.n
    FROM (SELECT (at AT TIME ZONE 'UTC')::date AS day, resource_type, kind, actor = '' AS outside, count(*) AS n
          FROM removed_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) r
    WHERE (c.day, c.resource_type, c.kind, c.outside) = (r.day, r.resource_type, r.kind, r.outside);
    DELETE FROM inventory_changecount WHERE count <= 0;
    RETURN NULL;
END $$;
CREATE FUNCTION inventory_change_count_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM inventory_changecount;
    RETURN NULL;
END $$;
CREATE TRIGGER change_count_insert AFTER INSERT ON inventory_resourcechange
    REFERENCING NEW TABLE AS added_rows FOR EACH STATEMENT EXECUTE FUNCTION inventory_change_count_add();
CREATE TRIGGER change_count_delete AFTER DELETE ON inventory_resourcechange
    REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION inventory_change_count_remove();
CREATE TRIGGER change_count_truncate AFTER TRUNCATE ON inventory_resourcechange
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_change_count_clear();
INSERT INTO inventory_changecount (day, resource_type, kind, outside, count)
{COUNTED.format(rows="inventory_resourcechange")};
"""
DROP_TRIGGERS = """
DROP AGGREGATE IF EXISTS history_merge(jsonb);
DROP TRIGGER IF EXISTS change_count_insert ON inventory_resourcechange;
DROP TRIGGER IF EXISTS change_count_delete ON inventory_resourcechange;
DROP TRIGGER IF EXISTS change_count_truncate ON inventory_resourcechange;
DROP FUNCTION IF EXISTS inventory_change_count_add();
DROP FUNCTION IF EXISTS inventory_change_count_remove();
DROP FUNCTION IF EXISTS inventory_change_count_clear();
"""


def counts_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def counts_triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0007_change_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="resourcechange",
            name="before",
            field=models.JSONField(
                blank=True,
                encoder=fleetui.inventory.models.HistoryEncoder,
                help_text="{column: value before this write}; null: new.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="resourcechange",
            name="name",
            field=models.CharField(blank=True, max_length=256),
        ),
        migrations.AddField(
            model_name="resourcechange",
            name="row_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(versions_to_diffs, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="resourcechange",
            name="change_version_idx",
        ),
        migrations.RemoveField(
            model_name="resourcechange",
            name="row",
        ),
        migrations.RemoveField(
            model_name="resourcechange",
            name="valid_to",
        ),
        migrations.AlterField(
            model_name="resourcechange",
            name="kind",
            field=models.CharField(
                choices=[("added", "Added"), ("changed", "Changed"), ("gone", "Gone")], max_length=8
            ),
        ),
        migrations.AddIndex(
            model_name="resourcechange",
            index=models.Index(fields=["resource_type", "at"], name="change_type_at_idx"),
        ),
        migrations.CreateModel(
            name="ChangeCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("resource_type", models.CharField(max_length=32)),
                ("kind", models.CharField(max_length=8)),
                ("outside", models.BooleanField(help_text="Made outside fleetui (no action).")),
                ("count", models.IntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "resource_type", "kind", "outside"), name="one_change_count_per_day"
                    )
                ],
            },
        ),
        migrations.RunPython(counts_triggers, counts_triggers_drop),
    ]
