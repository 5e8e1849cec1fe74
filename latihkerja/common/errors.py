"""Base class for domain errors: each carries a translated, user-facing message."""

from django.utils.functional import Promise


class DomainError(Exception):
    def __init__(self, message: str | Promise, **params: object) -> None:
        self.template = message
        self.params = params
        super().__init__(str(message) % params if params else str(message))

    @property
    def message(self) -> str:
        return str(self.template) % self.params if self.params else str(self.template)


def checked_reason(
    reason: str,
    *,
    error: type[DomainError],
    limit: int,
    too_long: str | Promise,
    required: str | Promise | None = None,
) -> str:
    """A reason or note a person writes for others to read (a revocation, a refusal, a returned plan): refused
    with `error(required)` when blank and `required` is given, and with `error(too_long, limit=…)` when
    longer than `limit`, never cut. Returned as given; callers normalise spaces first if they want to."""
    if required is not None and not reason:
        raise error(required)
    if len(reason) > limit:
        raise error(too_long, limit=limit)
    return reason
