"""Change records become diffs: `before` (the columns a write changed, with their old values) and `name` replace the
whole-row versions (`row`, `valid_to`); `baseline` records go. Existing records are converted: each one's `before`
is what differs between the previous version's row and its own."""

import fleetui.inventory.models
from django.db import migrations, models


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
            record.before = None if previous is None else {k: v for k, v in previous.items() if row.get(k) != v}
            pending.append(record)
        previous = row
        if len(pending) >= 2000:
            ResourceChange.objects.bulk_update(pending, ["name", "before"])
            pending = []
    ResourceChange.objects.bulk_update(pending, ["name", "before"])
    for start in range(0, len(baselines), 2000):
        ResourceChange.objects.filter(pk__in=baselines[start : start + 2000]).delete()


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
    ]
