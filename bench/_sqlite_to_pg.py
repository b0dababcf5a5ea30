"""Copy a bench SQLite database into an empty PostgreSQL one migrated to the same schema.

Seeding a district through the roster import takes minutes of CPU on each database; the
benchmarks build it once on SQLite and copy it here, so that both databases hold the
same rows. Every table of the PostgreSQL database (after ``migrate``) is emptied, then
filled with ``COPY`` from the SQLite table of the same name (the columns both have),
with triggers and foreign-key checks off for the load (``session_replication_role``:
the rows come from a database that kept them), then every identity sequence is moved
past the largest id and the tables are analysed. Values are converted where the two
store them differently: SQLite's 0/1 booleans and text datetimes (UTC) are read by
PostgreSQL's own input functions; durations (microseconds in SQLite) become intervals.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def copy_sqlite_to_postgres(source: Path, url: str) -> dict[str, int]:
    import psycopg

    rows_copied: dict[str, int] = {}
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    src_tables = {r[0] for r in src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    with psycopg.connect(url) as pg:
        pg.execute("SET TIME ZONE 'UTC'")
        pg.execute("SET session_replication_role = replica")
        tables = [r[0] for r in pg.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'django_migrations' ORDER BY tablename")]
        pg.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            if table not in src_tables:
                continue
            pg_cols = {r[0]: r[1] for r in pg.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s", (table,))}
            cols = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')
                    if r[1] in pg_cols]
            intervals = [i for i, c in enumerate(cols) if pg_cols[c] == "interval"]
            names = ", ".join(f'"{c}"' for c in cols)
            n = 0
            with pg.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in src.execute(f'SELECT {names} FROM "{table}"'):
                    if intervals:
                        row = _intervals(row, intervals)
                    copy.write_row(row)
                    n += 1
            rows_copied[table] = n
        for table, column in pg.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND (is_identity = 'YES' "
                "OR column_default LIKE 'nextval%%')").fetchall():
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f'COALESCE((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
                (f'"{table}"', column))
        pg.execute("SET session_replication_role = DEFAULT")
        pg.commit()
        pg.autocommit = True
        pg.execute("ANALYZE")
    src.close()
    return rows_copied


def _intervals(row: tuple[Any, ...], at: list[int]) -> tuple[Any, ...]:
    out = list(row)
    for i in at:
        if isinstance(out[i], int):
            out[i] = f"{out[i]} microseconds"
    return tuple(out)
