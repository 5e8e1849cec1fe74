"""Local development and the embedded demo (`make run`): SQLite under var/, DEBUG from the environment."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def _local_secret(name: str) -> str:
    """A random secret kept in var/ so that sessions survive restarts of the demo; never used in production."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret("secret_key")
NIK_KEY = env.str("NIK_KEY", default="") or _local_secret("nik_key")

# The demo's printed logins must work without an authenticator app; `STAFF_TWO_FACTOR=1 make run` tries it.
STAFF_TWO_FACTOR = env.bool("STAFF_TWO_FACTOR", default=False)
