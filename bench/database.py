"""The benchmark's own PostgreSQL database: dropped, created and migrated at the start of a run."""

import os

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fleetui_bench"


def database_recreate(url: str | None = None) -> str:
    """Drop and create the database named in DATABASE_URL (it must be PostgreSQL). Returns its name."""
    config = dj_database_url.parse(url or os.environ.get("DATABASE_URL", DEFAULT_URL))
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    name = config["NAME"]
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        # FORCE ends connections left by an earlier, interrupted run of the benchmark.
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name
