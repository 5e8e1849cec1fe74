"""The back office: every entity has an admin page that opens for Bappeda, and others see only their part."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from latihkerja.accounts.models import User
from latihkerja.batches.services import take_open_seat
from latihkerja.regions.models import Kecamatan
from latihkerja.registration.services import submit_application
from latihkerja.residents.services import register_resident
from tests.factories import BatchFactory, CompanyFactory, ResidentFactory, SkillDemandFactory

pytestmark = pytest.mark.integration

# One-time codes are secrets; ranked choices are shown inside their application.
# One-time codes are secrets; choices are edited with their application; the reports' tables are derived
# data, rebuilt by `refresh_reports` (an edit there would be overwritten and would falsify the dashboard).
DELIBERATELY_NOT_IN_ADMIN = {
    "accounts.onetimecode",
    "registration.applicationchoice",
    "registration.interestnotice",  # which themes a "classes open" SMS named: the messages are in the admin
    "reports.figure",
    "reports.figurerefresh",
    "reports.reportexport",
}

PROJECT_MODELS = sorted(
    f"{m._meta.app_label}.{m._meta.model_name}"
    for m in admin.site._registry
    if m.__module__.startswith("latihkerja.")
)


@pytest.fixture
def some_of_everything(period, center_a, bappeda_admin):
    batch = BatchFactory(center=center_a, status="allocated")  # as a published allocation leaves it
    resident = register_resident(
        period=period,
        user=None,
        nik="3671014508950003",
        kk="3671010101120005",
        full_name="Siti Aminah",
        sex="P",
        birth_date=dt.date(1995, 8, 5),
        kelurahan=center_a.kelurahan,
        address="Jl. Uji",
        phone="+6281234567890",
        education="sma",
        employment_status="phk",
        consent_given=True,
    )
    open_batch = BatchFactory(center=center_a)
    submit_application(resident=resident, period=period, batch_codes=[open_batch.code], actor=bappeda_admin)
    take_open_seat(batch=batch, resident=resident, actor=bappeda_admin)
    ResidentFactory()
    SkillDemandFactory(company=CompanyFactory())


def test_every_project_model_has_an_admin_when_registered():
    models = {
        f"{m._meta.app_label}.{m._meta.model_name}"
        for m in apps.get_models()
        if m.__module__.startswith("latihkerja.") and not m._meta.auto_created
    }

    assert models - set(PROJECT_MODELS) == DELIBERATELY_NOT_IN_ADMIN


@pytest.mark.parametrize("label", PROJECT_MODELS)
def test_bappeda_opens_every_list_and_first_object_when_signed_in(
    login, bappeda_admin, some_of_everything, label
):
    client = login(bappeda_admin)
    app, model = label.split(".")

    listing = client.get(reverse(f"admin:{app}_{model}_changelist"))
    rows = listing.context["cl"].result_list

    assert listing.status_code == 200
    if rows:  # some_of_everything creates a row for every model it can reach through the services
        detail = client.get(reverse(f"admin:{app}_{model}_change", args=[rows[0].pk]))
        assert detail.status_code == 200


def test_operator_admin_index_lists_only_what_an_operator_manages_when_opened(login, operator_blk_a):
    client = login(operator_blk_a)

    response = client.get(reverse("admin:index"))

    apps = sorted(app["app_label"] for app in response.context["app_list"])
    assert apps == [
        "agencies",
        "batches",
        "catalog",
        "centers",
        "certificates",
        "programs",
        "regions",
        "registration",
        "residents",
        "training",
    ]


def test_bappeda_cannot_make_anyone_superuser_when_editing_users(login, bappeda_admin, operator_blk_a):
    client = login(bappeda_admin)

    client.post(
        reverse("admin:accounts_user_change", args=[operator_blk_a.pk]),
        {
            "username": operator_blk_a.username,
            "role": "operator",
            "center": operator_blk_a.center_id,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    assert User.objects.get(pk=operator_blk_a.pk).is_superuser is False


def test_the_first_administrator_made_by_createsuperuser_is_bappeda(db):
    from django.core.management import call_command

    call_command("createsuperuser", username="admin.kota", email="", interactive=False, verbosity=0)

    admin_user = User.objects.get(username="admin.kota")
    assert (admin_user.role, admin_user.is_superuser, admin_user.is_staff) == ("bappeda", True, True)


def test_a_staff_account_added_in_the_admin_opens_the_admin_by_its_role(login, bappeda_admin, center_a):
    client = login(bappeda_admin)
    operator = User.objects.create_user(username="operator.baru", password="Sandi-Kuat-2025!")
    employer = User.objects.create_user(username="hrd.baru", password="Sandi-Kuat-2025!", is_staff=True)
    company = CompanyFactory()

    for user, role, anchor in (
        (operator, "operator", {"center": center_a.pk}),
        (employer, "employer", {"company": company.pk}),
    ):
        client.post(
            reverse("admin:accounts_user_change", args=[user.pk]),
            {"username": user.username, "role": role, "is_active": "on", **anchor},
        )

    assert User.objects.get(pk=operator.pk).is_staff is True  # "Staff status" was not ticked
    assert User.objects.get(pk=employer.pk).is_staff is False  # employers work on their own pages


def test_nobody_adds_a_resident_in_the_admin_not_even_a_superuser(client, db):
    superuser = User.objects.create_superuser(username="admin.kota", password="Sandi-Kuat-2025!")
    client.force_login(superuser)

    assert client.get(reverse("admin:residents_resident_add")).status_code == 403


def test_reference_data_is_read_only_for_operators_when_opened(login, operator_blk_a):
    client = login(operator_blk_a)

    kecamatan = Kecamatan.objects.order_by("code").first()

    response = client.post(reverse("admin:regions_kecamatan_change", args=[kecamatan.pk]), {"name": "Diubah"})

    assert response.status_code == 403
    assert Kecamatan.objects.get(pk=kecamatan.pk).name == kecamatan.name


def test_an_operator_cannot_move_their_centre_to_another_kelurahan_in_the_admin(
    login, operator_blk_a, center_b
):
    """The centre's kelurahan scopes the residents an operator sees: moving it would widen their reach."""
    center = operator_blk_a.center
    own_kelurahan, code, name = center.kelurahan_id, center.code, center.name
    client = login(operator_blk_a)
    url = reverse("admin:centers_center_change", args=[center.pk])

    page = client.get(url)
    client.post(
        url,
        {
            "code": "blk-lain",
            "name": "Nama lain",
            "kelurahan": center_b.kelurahan_id,
            "address": "Jl. Baru 1",
            "is_active": "",
            "rooms-TOTAL_FORMS": "0",
            "rooms-INITIAL_FORMS": "0",
        },
    )

    center.refresh_from_db()
    assert page.status_code == 200
    assert (center.kelurahan_id, center.code, center.name, center.is_active) == (
        own_kelurahan,
        code,
        name,
        True,
    )
