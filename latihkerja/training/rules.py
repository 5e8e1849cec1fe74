"""Who may do what while a batch runs. Visibility is `TrainingSession.objects.for_user` (through the batch's
scope); these predicates decide actions, and pages answer 404 when one fails (never a 403 that reveals an
object). Each takes the batch the action is about.

| action | who |
|---|---|
| schedule/move sessions, sign the checklist, start/end, show the QR, upload paper sheets, close the batch | the centre's operator (Bappeda too, except the checklist, which is signed on site) |
| mark/correct attendance, enter assessments | the centre's operator, the batch's instructors |
| supervision visits | the supervising OPD (the theme's agency) |
| evidence report | Bappeda, the supervising OPD, the centre's operator, the batch's instructors |
| contact-tracing export (personal data, audited) | Bappeda, the supervising OPD, the centre's operator |
"""

from __future__ import annotations

import rules

from latihkerja.accounts.rules import is_bappeda, is_instructor, is_opd, is_operator
from latihkerja.batches.rules import is_batch_agency_supervisor, is_batch_center_operator, is_batch_instructor

center_operator = is_operator & is_batch_center_operator
batch_instructor = is_instructor & is_batch_instructor
agency_supervisor = is_opd & is_batch_agency_supervisor

can_manage_sessions = is_bappeda | center_operator
can_sign_checklist = center_operator
can_mark_attendance = center_operator | batch_instructor
can_assess = center_operator | batch_instructor
can_record_visit = agency_supervisor
can_view_evidence = is_bappeda | agency_supervisor | center_operator | batch_instructor
can_export_contacts = is_bappeda | agency_supervisor | center_operator
can_close_batch = is_bappeda | center_operator

rules.add_perm("training", is_bappeda | is_opd | is_operator | is_instructor)
for model in (
    "trainingsession",
    "checklistsignoff",
    "attendance",
    "attendancecorrection",
    "attendancesheet",
    "supervisionvisit",
    "assessment",
    "outcome",
):
    rules.add_perm(f"training.view_{model}", is_bappeda | is_opd | is_operator | is_instructor)
    # Every change goes through training.services (capacity, audit, corrections log): the admin reads.
    for action in ("add", "change", "delete"):
        rules.add_perm(f"training.{action}_{model}", rules.always_deny)
rules.add_perm("training.view_checklistitem", is_bappeda | is_opd | is_operator | is_instructor)
rules.add_perm("training.add_checklistitem", is_bappeda)
rules.add_perm("training.change_checklistitem", is_bappeda)
rules.add_perm("training.delete_checklistitem", rules.always_deny)
