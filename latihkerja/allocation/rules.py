"""Who may do what with allocation. Runs, placements and wait lists are Bappeda's (read-only in the admin);
residents answer only their own offers (`services._check_holder`, and pages load offers through
`queries.offers_of`)."""

import rules

from latihkerja.accounts.rules import is_bappeda

can_run_allocation = is_bappeda

rules.add_perm("allocation", is_bappeda)
for model in ("allocationrun", "placement", "waitlistentry"):
    rules.add_perm(f"allocation.view_{model}", is_bappeda)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"allocation.{action}_{model}", rules.always_deny)
