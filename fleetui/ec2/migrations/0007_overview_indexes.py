"""The overview's two indexes on the live instances (issue 14's overview figure at 100,000 instances).

- `instance_overview_mix_idx`: the fleet mix's dimensions, so counting each combination reads this index alone
  (under 1 MB at 100k rows, thanks to B-tree deduplication) instead of the whole table.
- `instance_live_tags_idx` (PostgreSQL only, like the trigram index of inventory 0003): a GIN index on the tags,
  so a service that says it owns the instances carrying a tag (Batch, EKS) is counted from the index, not by
  reading every row. SQLite (the demo) has no GIN indexes; there the count scans.
"""

from django.db import migrations, models

TAGS_INDEX = "instance_live_tags_idx"


def create_tags_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TAGS_INDEX} ON inventory_instance USING gin (tags) WHERE gone_at IS NULL"
        )


def drop_tags_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TAGS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("ec2", "0006_filters_region_index"),
        ("inventory", "0007_change_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="instance",
            index=models.Index(
                condition=models.Q(("gone_at__isnull", True)),
                fields=["account", "region", "state", "family", "category", "lifecycle", "tenancy"],
                name="instance_overview_mix_idx",
            ),
        ),
        migrations.RunPython(create_tags_index, drop_tags_index),
    ]
