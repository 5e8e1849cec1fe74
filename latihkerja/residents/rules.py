from typing import Any

import rules

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda, is_operator


@rules.predicate
def is_resident_of_own_kelurahan(user: Any, resident: Any) -> bool:
    return resident is None or (
        user.role == Role.OPERATOR and resident.kelurahan.centers.filter(pk=user.center_id).exists()
    )


rules.add_perm("residents", is_bappeda | is_operator)
rules.add_perm("residents.view_resident", is_bappeda | (is_operator & is_resident_of_own_kelurahan))
rules.add_perm("residents.add_resident", rules.always_deny)  # residents register through the service
rules.add_perm("residents.change_resident", is_bappeda | (is_operator & is_resident_of_own_kelurahan))
rules.add_perm("residents.delete_resident", is_bappeda)

rules.add_perm("residents.view_deletionrequest", is_bappeda)
rules.add_perm("residents.change_deletionrequest", is_bappeda)
rules.add_perm("residents.add_deletionrequest", rules.always_deny)  # residents ask from their data page
rules.add_perm("residents.delete_deletionrequest", rules.always_deny)
