"""A trigram index for the instance list's `q` search (LIKE '%word%' on search_text), PostgreSQL only.

Without it every search reads all rows twice (the count and the page): ~100 ms each at 100k rows.
It is not declared on the model, since SQLite (the demo) has no trigram indexes; where the pg_trgm
extension cannot be created (no privilege), the search still works, only slower.
"""

import logging

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)
INDEX = "instance_search_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        log.warning("pg_trgm is not available (%s); the instance search will scan.", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON inventory_instance USING gin (search_text gin_trgm_ops) "
        "WHERE gone_at IS NULL"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_instance_live_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
