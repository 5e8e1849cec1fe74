"""Role predicates shared by every app's rules."""

from typing import Any

import rules

from .enums import Role


@rules.predicate
def is_bappeda(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.BAPPEDA))


@rules.predicate
def is_opd(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.OPD)


@rules.predicate
def is_operator(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.OPERATOR)


@rules.predicate
def is_instructor(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.INSTRUCTOR)


@rules.predicate
def is_employer(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.EMPLOYER)


@rules.predicate
def is_resident(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.RESIDENT)
