"""Exit 0 when a database answers at the URL given, 1 otherwise (used by `make test` to decide the PostgreSQL run)."""

import sys

import environ


def main(url: str) -> int:
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return 1
    import psycopg

    try:
        with psycopg.connect(
            host=config.get("HOST") or "127.0.0.1",
            port=config.get("PORT") or 5432,
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.OperationalError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
