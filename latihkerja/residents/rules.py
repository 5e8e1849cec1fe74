from typing import Any

import rules

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda, is_operator


@rules.predicate
def is_resident_served_by_operator(user: Any, resident: Any) -> bool:
    """The resident is one the operator serves: of the centre's kelurahan, or holding a seat in its classes (the
    same rule as `Resident.objects.for_user`, so the list and the record agree)."""
    from .models import operator_residents

    return resident is None or (
        user.role == Role.OPERATOR
        and user.center_id is not None
        and operator_residents(user.center_id).filter(pk=resident.pk).exists()
    )


rules.add_perm("residents", is_bappeda | is_operator)
rules.add_perm("residents.view_resident", is_bappeda | (is_operator & is_resident_served_by_operator))
rules.add_perm("residents.add_resident", rules.always_deny)  # residents register through the service
rules.add_perm("residents.change_resident", is_bappeda | (is_operator & is_resident_served_by_operator))
rules.add_perm("residents.delete_resident", is_bappeda)

rules.add_perm("residents.view_deletionrequest", is_bappeda)
rules.add_perm("residents.change_deletionrequest", is_bappeda)
rules.add_perm("residents.add_deletionrequest", rules.always_deny)  # residents ask from their data page
rules.add_perm("residents.delete_deletionrequest", rules.always_deny)
