"""Every demo login reaches its own start page (the logins `make run` prints)."""

import pytest
from django.urls import reverse

from latihkerja.common.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """Seeded once for the module (outside the per-test transactions) and removed afterwards."""
    with django_db_blocker.unblock():
        seed_demo(residents=60, seed=7)
    yield
    with django_db_blocker.unblock():
        from latihkerja.accounts.models import User
        from latihkerja.batches.models import Batch
        from latihkerja.demand.models import Company, SkillDemand
        from latihkerja.programs.models import Period
        from latihkerja.residents.models import Resident

        User.objects.all().delete()
        Resident.objects.all().delete()
        Batch.objects.all().delete()
        Period.objects.all().delete()
        SkillDemand.objects.all().delete()
        Company.objects.all().delete()


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("bappeda", "Bappeda: seluruh program"),
        ("opd.disnaker", "Pengawasan Dinas Ketenagakerjaan Kota Tangerang"),
        ("operator.sukarasa", "BLK Kelurahan Sukarasa"),
        ("instruktur", "Kelas yang Anda ajar"),
        ("pemberikerja", None),
        ("warga", "Halaman saya"),
    ],
)
def test_each_demo_login_reaches_its_own_start_page_when_signing_in(demo_data, client, db, username, heading):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("accounts:start")
    assert response.status_code == 200
    if heading is None:
        heading = response.context["company"].name
    assert f"<h1>{heading}</h1>".encode() in response.content


def test_wrong_password_shows_a_clear_message_when_signing_in(demo_data, client, db):
    response = client.post(reverse("accounts:login"), {"username": "bappeda", "password": "salah"})

    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()


def test_start_page_asks_anonymous_visitors_to_sign_in_when_opened(client, db):
    response = client.get(reverse("accounts:start"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=" + reverse("accounts:start")
