"""Who may do what with plans. Bappeda generates, edits, sends and approves; an OPD supervisor sees a sent plan
and approves its own agency's themes (`PlanRun.objects.for_user`). The admin is read-only: every change goes
through `services`."""

import rules

from latihkerja.accounts.rules import is_bappeda, is_opd

rules.add_perm("planning", is_bappeda | is_opd)
for model in ("planrun", "plannedbatch"):
    rules.add_perm(f"planning.view_{model}", is_bappeda | is_opd)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"planning.{action}_{model}", rules.always_deny)
rules.add_perm("planning.view_opdmonthlycapacity", is_bappeda | is_opd)
for action in ("add", "change", "delete"):
    rules.add_perm(f"planning.{action}_opdmonthlycapacity", is_bappeda)
