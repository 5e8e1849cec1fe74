"""Who may do what with employers' data. Visibility is `Company.objects.for_user` (employers: their own
company only); verification belongs to Disnaker's supervisors and Bappeda."""

from typing import Any

import rules

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda, is_employer, is_opd

from .models import works_for_verifying_agency

is_disnaker = rules.predicate(works_for_verifying_agency, name="is_disnaker")


@rules.predicate
def is_company_user(user: Any, company: Any) -> bool:
    return company is None or (user.role == Role.EMPLOYER and company.pk == user.company_id)


can_verify_company = is_bappeda | is_disnaker
# Demand and vacancies are declared by the company itself, or entered for it by Bappeda or Disnaker.
can_declare_for_company = is_bappeda | is_disnaker | (is_employer & is_company_user)

rules.add_perm("demand", is_bappeda | is_opd)
for model in ("company", "skilldemand", "vacancy"):
    # Other agencies read the demand for their own themes only (`SkillDemand.objects.for_user`).
    rules.add_perm(f"demand.view_{model}", is_bappeda | (is_opd if model == "skilldemand" else is_disnaker))
    rules.add_perm(f"demand.add_{model}", is_bappeda)
    rules.add_perm(f"demand.change_{model}", is_bappeda | is_disnaker)
    rules.add_perm(f"demand.delete_{model}", is_bappeda)
rules.add_perm("demand.view_demandimport", is_bappeda | is_opd)
for action in ("add", "change", "delete"):
    rules.add_perm(f"demand.{action}_demandimport", rules.always_deny)
