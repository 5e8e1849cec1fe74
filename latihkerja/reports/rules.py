"""Who may see which dashboard. The scope itself is `queries.dashboard_scope_of` (Bappeda: the city, OPD: its
themes, operator: its centre); choosing another scope than one's own is Bappeda's alone."""

import rules

from latihkerja.accounts.rules import is_bappeda, is_opd, is_operator

can_view_dashboard = is_bappeda | is_opd | is_operator
can_choose_scope = is_bappeda
can_refresh_figures = is_bappeda

rules.add_perm("reports", can_view_dashboard)
rules.add_perm("reports.view_figure", is_bappeda)
rules.add_perm("reports.view_figurerefresh", is_bappeda)
rules.add_perm("reports.view_reportexport", is_bappeda)
for model in ("figure", "figurerefresh", "reportexport"):
    for action in ("add", "change", "delete"):
        rules.add_perm(f"reports.{action}_{model}", rules.always_deny)
