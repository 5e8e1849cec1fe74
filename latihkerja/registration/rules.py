import rules

from latihkerja.accounts.rules import is_bappeda, is_opd, is_operator

rules.add_perm("registration", is_bappeda | is_operator | is_opd)
for model in ("application", "applicationchoice", "consent", "registrationimport"):
    rules.add_perm(f"registration.view_{model}", is_bappeda | is_operator | is_opd)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"registration.{action}_{model}", rules.always_deny)
