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
