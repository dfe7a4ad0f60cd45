"""One lock per (account, region) for what EC2 derives from a scope's rows after a sync: the coverage, the costs and
the overview's rollups. Two syncs of one scope can end at once on two workers (a full sync and an action's targeted
re-sync); each derivation then runs after the other, and reads what the other committed."""

from django.db import connection

from fleetui.inventory.models import Account


def scope_lock(*, account: Account, region: str) -> None:
    """Wait until no other transaction derives the scope's data, and hold the scope until this one ends (a PostgreSQL
    transaction-level advisory lock; SQLite runs one writer at a time). Call it inside the transaction, before the
    first read of the scope's rows, so what is derived is read after the previous derivation committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            key = f"ec2-derived|{account.pk}|{region}"
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
