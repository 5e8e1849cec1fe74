import rules

from latihkerja.accounts.rules import is_bappeda, is_opd

rules.add_perm("demand", is_bappeda | is_opd)
for model in ("company", "skilldemand"):
    rules.add_perm(f"demand.view_{model}", is_bappeda | is_opd)
    rules.add_perm(f"demand.add_{model}", is_bappeda)
    rules.add_perm(f"demand.change_{model}", is_bappeda | is_opd)
    rules.add_perm(f"demand.delete_{model}", is_bappeda)
