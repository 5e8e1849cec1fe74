"""The priority policy: keys order laid-off before unemployed before others, then locality, then lottery."""

import hashlib

import pytest

from latihkerja.allocation.errors import AllocationError
from latihkerja.allocation.policy import DEFAULT_POLICY, Policy, lottery, split_key

pytestmark = pytest.mark.unit

POLICY = Policy.from_json(DEFAULT_POLICY)


def test_groups_follow_the_default_policy_when_reading_employment_statuses():
    statuses = ["phk", "dirumahkan", "menganggur", "bekerja", "pelajar", "usaha"]

    groups = [POLICY.group_of(s) for s in statuses]

    assert groups == [0, 0, 1, 2, 2, 2]
    assert [POLICY.group_label(g) for g in range(3)] == [
        "Terkena PHK / Dirumahkan",
        "Belum/tidak bekerja",
        "Lainnya (bekerja, pelajar, usaha sendiri, …)",
    ]


def test_keys_put_group_before_locality_before_lottery_when_comparing_applicants():
    worst_laid_off = POLICY.key(group=0, locality=2, lottery=0.999999)
    best_unemployed = POLICY.key(group=1, locality=0, lottery=0.0)
    unemployed_kelurahan = POLICY.key(group=1, locality=0, lottery=0.9)
    unemployed_kecamatan = POLICY.key(group=1, locality=1, lottery=0.1)
    unemployed_elsewhere = POLICY.key(group=1, locality=2, lottery=0.0)
    other_best = POLICY.key(group=2, locality=0, lottery=0.0)

    keys = [
        other_best,
        unemployed_elsewhere,
        best_unemployed,
        unemployed_kecamatan,
        worst_laid_off,
        unemployed_kelurahan,
    ]

    assert sorted(keys) == [
        worst_laid_off,
        best_unemployed,
        unemployed_kelurahan,
        unemployed_kecamatan,
        unemployed_elsewhere,
        other_best,
    ]
    assert split_key(unemployed_kecamatan) == (1, 1)


def test_locality_is_ignored_when_the_policy_turns_it_off():
    policy = Policy.from_json({"groups": [["phk"]], "locality": False})

    assert (
        policy.key(group=0, locality=2, lottery=0.25) == policy.key(group=0, locality=0, lottery=0.25) == 0.25
    )
    assert policy.describe_key(3.5) == "Lainnya (bekerja, pelajar, usaha sendiri, …)"


def test_lottery_is_reproducible_from_the_seed_when_recomputed_by_anyone():
    expected = int(hashlib.sha256(b"benih-2020:42").hexdigest()[:13], 16) / 16**13

    assert lottery("benih-2020", 42) == expected
    assert lottery("benih-2020", 42) == lottery("benih-2020", 42)
    assert 0.0 <= expected < 1.0


def test_lottery_differs_when_the_seed_or_the_application_differs():
    assert lottery("benih-2020", 42) != lottery("benih-2021", 42)
    assert lottery("benih-2020", 42) != lottery("benih-2020", 43)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"groups": [["pengangguran"]]}, "unknown employment status 'pengangguran'"),
        ({"groups": [["phk"], ["phk"]]}, "'phk' is in two groups"),
        ({"groups": [[]]}, '"groups" must be a list of non-empty lists'),
        ({"groups": [], "locality": "ya"}, '"locality" must be true or false'),
        ({"groups": [], "urutan": 1}, 'keys must be "groups" and "locality"'),
    ],
)
def test_policy_is_refused_with_the_problem_when_it_is_malformed(data, problem):
    with pytest.raises(AllocationError) as error:
        Policy.from_json(data)

    assert error.value.message == f"Kebijakan prioritas periode ini tidak sah: {problem}"


def test_explanation_text_follows_the_runs_own_policy_when_it_is_not_the_default():
    default = Policy.from_json(DEFAULT_POLICY)
    custom = Policy.from_json({"groups": [["menganggur"]], "locality": False})

    assert default.describe() == [
        "Setiap kelas menerima pendaftar menurut urutan prioritas: lebih dulu “Terkena PHK / Dirumahkan”, "
        "lalu “Belum/tidak bekerja”, lalu yang lain.",
        "Di dalam satu kelompok, warga kelurahan tempat BLK didahulukan, lalu warga kecamatannya. "
        "Bila masih sama, nomor undian menentukan (angka lebih kecil lebih dulu).",
    ]
    assert custom.describe() == [
        "Setiap kelas menerima pendaftar menurut urutan prioritas: lebih dulu “Belum/tidak bekerja”, lalu yang lain.",
        "Di dalam satu kelompok, nomor undian menentukan (angka lebih kecil lebih dulu).",
    ]
    assert Policy.from_json({"groups": [], "locality": False}).describe()[0] == (
        "Semua pendaftar mendapat prioritas yang sama."
    )
