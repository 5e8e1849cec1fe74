"""Who may do what with certificates. Visibility is `Certificate.objects.for_user`; these predicates decide
the actions on a visible object.

* issue (a batch's certificates) and export: any staff who sees the batch — Bappeda, the theme's OPD, the
  centre's operator; instructors see and download but neither issue nor export in bulk;
* revoke: Bappeda, or a supervisor of the OPD that runs the theme;
* download one PDF: its holder, or staff who see the certificate.
"""

from typing import Any

import rules

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda, is_instructor, is_opd, is_operator


@rules.predicate
def is_theme_agency(user: Any, batch: Any) -> bool:
    return batch is not None and user.agency_id is not None and batch.theme.agency_id == user.agency_id


@rules.predicate
def is_batch_center(user: Any, batch: Any) -> bool:
    return batch is not None and user.center_id is not None and batch.center_id == user.center_id


@rules.predicate
def is_certificate_theme_agency(user: Any, certificate: Any) -> bool:
    return certificate is not None and is_theme_agency.test(user, certificate.batch)


@rules.predicate
def is_holder(user: Any, certificate: Any) -> bool:
    return bool(
        certificate is not None
        and user.role == Role.RESIDENT
        and certificate.resident.user_id is not None
        and certificate.resident.user_id == user.pk
    )


# On a batch.
can_issue_for_batch = is_bappeda | (is_opd & is_theme_agency) | (is_operator & is_batch_center)
can_export_batch = can_issue_for_batch
# On a certificate.
can_revoke = is_bappeda | (is_opd & is_certificate_theme_agency)
# Staff scope itself is asked of `for_user` (the view loads the certificate through it).
is_staff_role = is_bappeda | is_opd | is_operator | is_instructor

rules.add_perm("certificates", is_staff_role)
rules.add_perm("certificates.view_certificate", is_staff_role)
# Certificates are issued and revoked by the services only (audit-logged); the admin is read-only.
for action in ("add", "change", "delete"):
    rules.add_perm(f"certificates.{action}_certificate", rules.always_deny)
