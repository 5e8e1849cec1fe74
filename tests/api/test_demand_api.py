"""An employer's HR system declares and lists demand over the API; same rules and messages as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from latihkerja.demand.models import SkillDemand

pytestmark = pytest.mark.integration

URL = "/api/v1/me/company/demand"


def body(**changes):
    data = {
        "theme": "BARISTA",
        "headcount": 12,
        "needed_by": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "kecamatan": "36.71.01",
    }
    data.update(changes)
    return data


def test_employer_declares_demand_and_lists_it_through_the_api(login, employer):
    client = login(employer)

    created = client.post(URL, body(), content_type="application/json")
    listed = client.get(URL)

    assert created.status_code == 201
    demand = SkillDemand.objects.get()
    assert (demand.company_id, demand.theme.code, demand.headcount) == (employer.company_id, "BARISTA", 12)
    assert listed.json() == [
        {
            "id": demand.pk,
            "theme": "BARISTA",
            "occupation_code": "",
            "headcount": 12,
            "needed_by": demand.needed_by.isoformat(),
            "kecamatan": "36.71.01",
            "counts_in_planning": False,
        }
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"theme": "TIDAK-ADA"}, "Tema pelatihan tidak dikenal."),
        ({"kecamatan": "99.99.99"}, "Kecamatan tidak dikenal: pakai kode wilayah, misalnya 36.71.01."),
        ({"headcount": 0}, "Jumlah orang harus lebih dari 0."),
        ({"headcount": 100_001}, "Paling banyak 100.000 orang."),
        ({"headcount": 10**20}, "Paling banyak 100.000 orang."),
        ({"needed_by": "2020-01-01"}, "Tanggal dibutuhkan harus setelah hari ini."),
        ({"theme": "", "occupation_code": "51"}, "Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132."),
        ({"theme": ""}, "Isi tema pelatihan atau kode jabatan (salah satu)."),
        (
            {"occupation_code": "7212"},
            "Isi tema pelatihan atau kode jabatan, salah satu saja: kode jabatan untuk keahlian yang tidak ada "
            "temanya.",
        ),
        ({"needed_by": "9999-12-31"}, "Tanggal dibutuhkan paling jauh 5 tahun dari hari ini."),
        ({"requirements": "x" * 2001}, "Persyaratan paling panjang 2.000 karakter."),
        (
            {"theme": "", "occupation_code": "５１３２"},
            "Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132.",
        ),
    ],
)
def test_bad_demand_is_refused_with_the_reason_and_saves_nothing(login, employer, changes, message):
    response = login(employer).post(URL, body(**changes), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert not SkillDemand.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "operator_blk_a", "bappeda_admin"])
def test_the_demand_api_is_for_employers_only(login, persona, request):
    client = login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, body(), content_type="application/json").status_code == 403
    assert not SkillDemand.objects.exists()


def test_the_demand_api_needs_a_session(client, reference_data):
    assert client.get(URL).status_code == 401


def test_answers_about_the_signed_in_caller_are_never_cached(login, employer):
    response = login(employer).get(URL)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
