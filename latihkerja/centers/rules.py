from typing import Any

import rules

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda, is_instructor, is_opd, is_operator


@rules.predicate
def is_own_center(user: Any, center: Any) -> bool:
    return center is None or (user.role == Role.OPERATOR and center.pk == user.center_id)


@rules.predicate
def is_own_room(user: Any, room: Any) -> bool:
    return room is None or (user.role == Role.OPERATOR and room.center_id == user.center_id)


rules.add_perm("centers", is_bappeda | is_opd | is_operator | is_instructor)
rules.add_perm("centers.view_center", is_bappeda | is_opd | is_instructor | (is_operator & is_own_center))
rules.add_perm("centers.add_center", is_bappeda)
rules.add_perm("centers.change_center", is_bappeda | (is_operator & is_own_center))
rules.add_perm("centers.delete_center", is_bappeda)
rules.add_perm("centers.view_room", is_bappeda | is_opd | is_instructor | (is_operator & is_own_room))
rules.add_perm("centers.add_room", is_bappeda | is_operator)
rules.add_perm("centers.change_room", is_bappeda | (is_operator & is_own_room))
rules.add_perm("centers.delete_room", is_bappeda | (is_operator & is_own_room))
