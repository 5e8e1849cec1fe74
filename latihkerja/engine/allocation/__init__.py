"""Seat allocation for training batches: deferred acceptance with minimum quotas, and two baselines.

Framework-free (no Django): the app calls ``allocate`` with plain dataclasses and stores the ``Result``.

Input
-----
Batches (``id``, ``capacity``, ``minimum``) and applicants (``id``, ranked ``choices`` and, at each choice,
a priority ``key``: lower is better; equal keys at a batch are broken by the applicant id compared as a
string, i.e. by Unicode code points).

Mechanisms (``mechanism=``)
---------------------------
``"da"`` — the product's mechanism. Applicant-proposing deferred acceptance (Gale & Shapley 1962) gives
the *resident-optimal stable matching*: no applicant and batch would both rather be matched to each other
(stable: no justified envy, no wasted seat an applicant wants), and every applicant weakly prefers it to
any other stable matching (Gale & Shapley 1962; Roth 1982 for many-to-one markets). It is strategy-proof
for applicants — ranking one's true preferences is a dominant strategy (Dubins & Freedman 1981; Roth 1982)
— which is why school choice uses it (Abdulkadiroğlu & Sönmez 2003).

Minimum quotas: once DA has converged, while some open batch with a positive minimum holds fewer than its
minimum, the one holding the fewest (ties: smallest batch id as a string) is cancelled, the applicants it
held continue down their lists, DA re-converges, and the check repeats. A batch holding nobody is below
any positive minimum and is cancelled too (it cannot run); a batch with minimum 0 is never cancelled. The
result is the resident-optimal stable matching of the market *without the cancelled batches*. Because DA's
outcome does not depend on the order of proposals, a cancellation resumes from the current state instead
of restarting (see ``deferred``). Honest limits: with cancellations the mechanism is *not* strategy-proof
(an applicant can, by ranking a weak batch, keep it alive or push another below its minimum), and the
cancelled set is the outcome of this greedy rule, not of an optimisation: finding the best set of batches
to open under lower quotas is NP-hard (Biró, Fleiner, Irving & Manlove 2010, "The College Admissions
problem with lower and common quotas", Theoretical Computer Science 411). Strategy-proofness and
stability hold exactly when nothing is cancelled.

``"fcfs"`` — baseline, first come, first served: applicants in input order each take their best choice
with a seat left. Computed as DA in which every batch ranks applicants by input order (serial dictatorship),
so the same minimum-quota rule applies in the same way and reports compare like with like.

``"welfare"`` — comparison only: the most applicants placed, then the smallest sum of choice ranks (a
min-cost flow), ignoring priorities, with the same cancellation rule as a greedy heuristic (``welfare``).
Not stable, not strategy-proof; it shows what stability costs.

Entry points
------------
- ``allocate(batches, applicants, mechanism="da") -> Result`` (records; raises ``AllocationInputError``).
- ``allocate_arrays(market, mechanism="da") -> ArrayResult`` (numpy arrays; the fast path the record API
  and the command line use).
- ``cutoffs(batches, applicants, result)`` — per batch the last admitted (key, applicant id): the "why
  this result" explanation.
- ``python -m latihkerja.engine.allocation INPUT.json [--mechanism da|fcfs|welfare]`` (``cli``).

References
----------
- D. Gale, L. S. Shapley (1962). College admissions and the stability of marriage. Amer. Math. Monthly 69.
- A. E. Roth (1982). The economics of matching: stability and incentives. Math. of Oper. Research 7.
- L. E. Dubins, D. A. Freedman (1981). Machiavelli and the Gale–Shapley algorithm. Amer. Math. Monthly 88.
- A. Abdulkadiroğlu, T. Sönmez (2003). School choice: a mechanism design approach. Amer. Econ. Review 93.
- P. Biró, T. Fleiner, R. W. Irving, D. F. Manlove (2010). The College Admissions problem with lower and
  common quotas. Theoretical Computer Science 411.
"""

from .api import allocate, allocate_arrays, cutoff_arrays, cutoffs, summarise
from .market import check_market, market_from_lists, market_from_records
from .model import (
    MECHANISMS,
    AllocationInputError,
    Applicant,
    ArrayMarket,
    ArrayResult,
    Batch,
    Cutoff,
    Mechanism,
    Result,
)

# Stored with every allocation run: a rerun reproduces a result only with the same engine version. Raise it
# whenever a change could move any applicant (ordering, tie-breaks, the cancellation rule).
ENGINE_VERSION = "1"

__all__ = [
    "ENGINE_VERSION",
    "MECHANISMS",
    "AllocationInputError",
    "Applicant",
    "ArrayMarket",
    "ArrayResult",
    "Batch",
    "Cutoff",
    "Mechanism",
    "Result",
    "allocate",
    "allocate_arrays",
    "check_market",
    "cutoff_arrays",
    "cutoffs",
    "market_from_lists",
    "market_from_records",
    "summarise",
]
