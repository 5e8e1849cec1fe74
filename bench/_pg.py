"""PostgreSQL administration shared by the benchmarks that create and drop a throwaway database."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def admin_conninfo(url: str) -> tuple[dict[str, Any], str]:
    """Connection settings for the server's `postgres` database, and the database name `url` names."""
    parts = urlsplit(url)
    info = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password,
        "dbname": "postgres",
        "connect_timeout": 3,
        "autocommit": True,
    }
    return info, parts.path.lstrip("/")


def postgres_problem(url: str) -> str | None:
    """Why `url` cannot be used (not PostgreSQL, no driver, no server), or None."""
    if not url.startswith(("postgres://", "postgresql://")):
        return f"needs a PostgreSQL database URL, got {url!r}"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    info, _ = admin_conninfo(url)
    try:
        with psycopg.connect(**info):
            return None
    except psycopg.OperationalError as error:
        return f"PostgreSQL not reachable at {info['host']}:{info['port']} ({str(error).strip()})"


def create_database(url: str) -> None:
    """Drop (with its sessions) and create the database `url` names."""
    import psycopg
    from psycopg import sql

    info, dbname = admin_conninfo(url)
    with psycopg.connect(**info) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    info, dbname = admin_conninfo(url)
    with psycopg.connect(**info) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
