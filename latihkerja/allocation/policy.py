"""The priority policy: which applicant a batch prefers, as one number per (applicant, batch).

A batch ranks its applicants by a *key* (lower is better), which the engine compares as a float:

    key = group × 3 + locality + lottery

- ``group``: the index of the first policy group holding the resident's employment status; residents in no
  group come last (index ``len(groups)``). Default groups: laid off or furloughed, then unemployed.
- ``locality`` (0, 1, 2): the resident lives in the kelurahan of the batch's centre, else in its kecamatan,
  else elsewhere. With ``"locality": false`` it is always 0.
- ``lottery`` ∈ [0, 1): ``int(sha256(f"{seed}:{application_id}").hexdigest()[:13], 16) / 16**13`` — 52
  bits, drawn from the run's *published* seed, the same number at every batch for one applicant, so anyone
  holding the seed can recompute every resident's number. Equal keys (practically impossible) are broken by
  the application id compared as a string, inside the engine.

Because ``locality + lottery < 3`` the key orders by group first, then locality, then lottery. The policy
is configured per period (``Period.allocation_policy``; empty means ``DEFAULT_POLICY``) and copied onto
every run, so a rerun reproduces its result whatever the period says later.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from latihkerja.programs.models import Period
from latihkerja.residents.enums import EmploymentStatus

from .enums import Locality
from .errors import AllocationError

DEFAULT_POLICY: dict[str, Any] = {
    "groups": [
        [EmploymentStatus.LAID_OFF.value, EmploymentStatus.FURLOUGHED.value],
        [EmploymentStatus.UNEMPLOYED.value],
    ],
    "locality": True,
}
LOCALITY_SPAN = 3  # locality takes 0, 1 or 2; the lottery adds less than 1
LOTTERY_HEX_DIGITS = 13  # 52 bits: exact in a float64 mantissa


@dataclass(frozen=True, slots=True)
class Policy:
    """A validated priority policy. ``groups``: employment statuses, best group first."""

    groups: tuple[tuple[str, ...], ...]
    locality: bool

    @classmethod
    def from_json(cls, data: Any) -> Policy:
        """Read a policy as stored on a period or a run; raise ``AllocationError.BAD_POLICY`` when wrong."""
        if not isinstance(data, dict) or set(data) - {"groups", "locality"}:
            raise AllocationError(AllocationError.BAD_POLICY, problem='keys must be "groups" and "locality"')
        groups = data.get("groups", [])
        locality = data.get("locality", True)
        if not isinstance(locality, bool):
            raise AllocationError(AllocationError.BAD_POLICY, problem='"locality" must be true or false')
        if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups):
            raise AllocationError(
                AllocationError.BAD_POLICY, problem='"groups" must be a list of non-empty lists'
            )
        seen: set[str] = set()
        for group in groups:
            for status in group:
                if status not in EmploymentStatus.values:
                    raise AllocationError(
                        AllocationError.BAD_POLICY, problem=f"unknown employment status {status!r}"
                    )
                if status in seen:
                    raise AllocationError(AllocationError.BAD_POLICY, problem=f"{status!r} is in two groups")
                seen.add(status)
        return cls(groups=tuple(tuple(g) for g in groups), locality=locality)

    def to_json(self) -> dict[str, Any]:
        return {"groups": [list(g) for g in self.groups], "locality": self.locality}

    @property
    def group_count(self) -> int:
        """The groups including the last one, "everybody else"."""
        return len(self.groups) + 1

    def group_of(self, employment_status: str) -> int:
        for index, group in enumerate(self.groups):
            if employment_status in group:
                return index
        return len(self.groups)

    def locality_of(
        self, *, kelurahan_id: int, kecamatan_id: int, batch_kelurahan_id: int, batch_kecamatan_id: int
    ) -> int:
        """Where the resident lives seen from the batch's centre (`Locality`), whatever the policy says."""
        if kelurahan_id == batch_kelurahan_id:
            return Locality.KELURAHAN
        if kecamatan_id == batch_kecamatan_id:
            return Locality.KECAMATAN
        return Locality.ELSEWHERE

    def key(self, *, group: int, locality: int, lottery: float) -> float:
        return float(group * LOCALITY_SPAN + (locality if self.locality else 0)) + lottery

    def group_label(self, group: int) -> str:
        """Plain words for a group, e.g. "Terkena PHK / Dirumahkan"; the last group is "others"."""
        if group >= len(self.groups):
            return _("Lainnya (bekerja, pelajar, usaha sendiri, …)") if self.groups else _("Semua pendaftar")
        return " / ".join(str(EmploymentStatus(status).label) for status in self.groups[group])

    def describe(self) -> list[str]:
        """The policy in plain sentences for residents, built from the run's own policy (not the default)."""
        if self.groups:
            labels = [f"“{self.group_label(index)}”" for index in range(len(self.groups))]
            order = _("Setiap kelas menerima pendaftar menurut urutan prioritas: lebih dulu %(first)s") % {
                "first": labels[0]
            }
            for label in labels[1:]:
                order += _(", lalu %(next)s") % {"next": label}
            order += _(", lalu yang lain.")
        else:
            order = _("Semua pendaftar mendapat prioritas yang sama.")
        sentences = [order]
        if self.locality:
            sentences.append(
                _(
                    "Di dalam satu kelompok, warga kelurahan tempat BLK didahulukan, lalu warga kecamatannya. "
                    "Bila masih sama, nomor undian menentukan (angka lebih kecil lebih dulu)."
                )
            )
        else:
            sentences.append(
                _("Di dalam satu kelompok, nomor undian menentukan (angka lebih kecil lebih dulu).")
            )
        return sentences

    def describe_key(self, key: float) -> str:
        """The group (and locality) a key stands for, without its lottery part: safe to show anyone."""
        group, locality = split_key(key)
        label = self.group_label(group)
        if self.locality:
            label = f"{label}, {Locality(locality).label}"
        return label


def split_key(key: float) -> tuple[int, int]:
    """(group, locality) of a key; the lottery is the fractional part."""
    whole = int(key)
    return whole // LOCALITY_SPAN, whole % LOCALITY_SPAN


def lottery(seed: str, application_id: int) -> float:
    """The application's public lottery number in [0, 1), reproducible by anyone from the published seed."""
    digest = hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()
    return int(digest[:LOTTERY_HEX_DIGITS], 16) / 16**LOTTERY_HEX_DIGITS


def policy_for(period: Period) -> Policy:
    """The period's policy (`Period.allocation_policy`), or the default when the period sets none."""
    return Policy.from_json(period.allocation_policy or DEFAULT_POLICY)
