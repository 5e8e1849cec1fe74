"""Once a resident is offered or holds a seat in a period, their choices for it are settled: the page, the API
and the service refuse to change or withdraw them, with the same message, and nothing changes."""

import pytest
from django.urls import reverse

from latihkerja.batches.models import Enrollment
from latihkerja.registration.errors import RegistrationError
from latihkerja.registration.models import Application
from latihkerja.registration.services import submit_application, withdraw_application
from tests.api.test_registration_api import API_PROFILE, signed_in
from tests.factories.reports import make_enrollment

pytestmark = pytest.mark.integration

SEAT_HELD = str(RegistrationError.SEAT_HELD)


def seated(client, open_batches, status="active"):
    """A resident who applied for reg-1 and reg-2 through the API and then got a seat in reg-1."""
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
    client.put("/api/v1/me/application", {"choices": ["reg-1", "reg-2"]}, content_type="application/json")
    application = Application.objects.get()
    make_enrollment(application.resident, open_batches[0], status=status)
    return application


def choices_of(application):
    return list(application.choices.order_by("rank").values_list("batch__code", flat=True))


@pytest.mark.parametrize("status", ["offered", "active"])
def test_api_refuses_new_choices_and_keeps_the_old_when_a_seat_is_held(client, open_batches, status):
    application = seated(client, open_batches, status)

    response = client.put("/api/v1/me/application", {"choices": ["reg-3"]}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": SEAT_HELD}
    application.refresh_from_db()
    assert (choices_of(application), application.revision) == (["reg-1", "reg-2"], 1)


def test_choices_page_sends_a_seat_holder_to_their_start_page_with_the_reason_when_opened(
    client, open_batches
):
    seated(client, open_batches)

    page = client.get(reverse("registration:choices"), follow=True)
    posted = client.post(reverse("registration:choices"), {"choice_1": "reg-3"}, follow=True)

    assert page.redirect_chain == [(reverse("accounts:start"), 302)]
    assert SEAT_HELD in page.content.decode()
    assert posted.redirect_chain == [(reverse("accounts:start"), 302)]
    assert choices_of(Application.objects.get()) == ["reg-1", "reg-2"]


def test_service_refuses_to_withdraw_or_resubmit_and_leaves_the_seat_when_a_seat_is_held(
    client, open_batches
):
    application = seated(client, open_batches)
    resident, period = application.resident, application.period

    with pytest.raises(RegistrationError) as withdrawing:
        withdraw_application(resident=resident, period=period, actor=resident.user)
    with pytest.raises(RegistrationError) as resubmitting:
        submit_application(resident=resident, period=period, batch_codes=["reg-2"], actor=resident.user)

    assert withdrawing.value.message == resubmitting.value.message == SEAT_HELD
    application.refresh_from_db()
    assert (application.status, application.revision, choices_of(application)) == (
        "submitted",
        1,
        ["reg-1", "reg-2"],
    )
    assert Enrollment.objects.get().status == "active"


def test_a_declined_offer_no_longer_settles_the_choices_when_registration_is_open(client, open_batches):
    application = seated(client, open_batches, status="declined")

    response = client.put("/api/v1/me/application", {"choices": ["reg-3"]}, content_type="application/json")

    assert response.status_code == 200
    assert choices_of(Application.objects.get(pk=application.pk)) == ["reg-3"]


@pytest.mark.parametrize(
    ("status", "here", "said"),
    [
        ("active", 0, "Anda peserta kelas ini."),
        ("offered", 0, "Anda ditawari kursi di kelas ini."),
        ("active", 1, "Anda sudah punya kursi di periode ini, di kelas"),
    ],
)
def test_a_class_page_tells_a_seat_holder_where_they_stand_instead_of_offering_to_register(
    client, open_batches, status, here, said
):
    seated(client, open_batches, status)

    page = client.get(reverse("batches:detail", args=[open_batches[here].code])).content.decode()

    assert said in page
    assert "Daftar ke kelas ini" not in page
    assert reverse("registration:take-seat", args=[open_batches[here].code]) not in page
    client.logout()
    assert (
        "Daftar ke kelas ini"
        in client.get(reverse("batches:detail", args=[open_batches[here].code])).content.decode()
    )
