"""An operator registers a resident without a smartphone at the kelurahan office."""

import time

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.registration.assisted import VERIFIED
from latihkerja.registration.models import Application, Consent
from latihkerja.residents.models import Resident
from tests.helpers import sent_code
from tests.registration.test_journey import PROFILE

pytestmark = pytest.mark.integration


def verify_resident_phone(client, phone="0857 1111 2222"):
    client.post(reverse("assisted:phone"), {"phone": phone})
    return client.post(reverse("assisted:code"), {"code": sent_code("+6285711112222")})


def test_operator_registers_a_resident_with_consent_and_choices_when_assisting(
    login, operator_blk_a, open_batches
):
    client = login(operator_blk_a)

    verified = verify_resident_phone(client)
    profile = client.post(reverse("assisted:profile"), PROFILE)
    done = client.post(reverse("assisted:choices"), {"choice_1": "reg-1", "choice_2": "reg-3"}, follow=True)

    assert verified.url == reverse("assisted:profile")
    assert profile.url == reverse("assisted:choices")
    resident = Resident.objects.get()
    assert (resident.phone, resident.user.username) == ("+6285711112222", "+6285711112222")
    assert list(Consent.objects.values_list("source", "assisted_by__username")) == [
        ("assisted", "operator.a")
    ]
    application = Application.objects.get()
    assert (application.source, application.submitted_by) == ("assisted", operator_blk_a)
    assert list(application.choices.values_list("batch__code", flat=True)) == ["reg-1", "reg-3"]
    assert [str(m) for m in done.context["messages"]] == [
        "Pendaftaran Siti Aminah tersimpan. Warga menerima SMS konfirmasi."
    ]
    # Next: another person on the same phone without a new code, or done.
    assert done.redirect_chain[-1][0] == reverse("assisted:who")
    assert 'id="assist-done"' in done.content.decode()
    assert set(
        AuditEvent.objects.exclude(action="account.signed_in").values_list("action", "actor__username")
    ) == {
        ("resident.registered", "operator.a"),
        ("application.submitted", "operator.a"),
    }


def test_operator_stays_signed_in_as_themselves_when_assisting(login, operator_blk_a, open_batches):
    client = login(operator_blk_a)

    verify_resident_phone(client)
    page = client.get(reverse("accounts:start"))

    assert page.context["user"] == operator_blk_a


def test_a_wrong_code_stops_the_assisted_registration_when_entered(login, operator_blk_a, open_batches):
    client = login(operator_blk_a)
    client.post(reverse("assisted:phone"), {"phone": "085711112222"})
    right = sent_code("+6285711112222")

    response = client.post(reverse("assisted:code"), {"code": "000000" if right != "000000" else "111111"})
    profile = client.get(reverse("assisted:profile"))

    assert response.context["form"].errors["code"] == ["Kode salah. Sisa percobaan: 4."]
    assert profile.url == reverse("assisted:phone")


def test_verified_phone_expires_when_the_operator_waits_too_long(login, operator_blk_a, open_batches):
    client = login(operator_blk_a)
    verify_resident_phone(client)
    session = client.session
    session[VERIFIED] = {**session[VERIFIED], "at": time.time() - 31 * 60}
    session.save()

    response = client.post(reverse("assisted:profile"), PROFILE)

    assert response.url == reverse("assisted:phone")
    assert Resident.objects.count() == 0


@pytest.mark.parametrize("persona", ["resident", "employer", "instructor", "opd_supervisor"])
def test_only_operators_and_bappeda_can_assist_when_signed_in(client, request, persona, open_batches):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("assisted:phone"))

    assert response.status_code == 404


def test_assisting_needs_a_staff_login_when_anonymous(client, open_batches):
    response = client.get(reverse("assisted:phone"))

    assert response.url.startswith(reverse("accounts:login"))


def test_the_code_sms_of_assisted_intake_says_to_read_it_to_the_officer_not_to_keep_it_secret(
    login, client, operator_blk_a, open_batches
):
    from latihkerja.notifications.models import Message

    login(operator_blk_a).post(reverse("assisted:phone"), {"phone": "0857 1111 2222"})
    client.post(reverse("registration:phone"), {"phone": "0812 3456 7890"})

    assisted = Message.objects.get(kind="otp", recipient="+6285711112222").body
    own = Message.objects.get(kind="otp", recipient="+6281234567890").body
    assert "Bacakan kode ini hanya kepada petugas BLK" in assisted
    assert "Jangan berikan kode ini kepada siapa pun" not in assisted
    assert "Jangan berikan kode ini kepada siapa pun" in own


def test_the_assisted_profile_form_speaks_of_the_resident_not_of_the_operator(
    login, operator_blk_a, open_batches
):
    client = login(operator_blk_a)
    verify_resident_phone(client)

    page = client.get(reverse("assisted:profile")).content.decode()

    assert "Warga penyandang disabilitas" in page
    assert "Saya penyandang disabilitas" not in page


def test_a_second_person_on_a_phone_already_used_is_registered_apart_without_touching_the_first(
    login, operator_blk_a, open_batches
):
    client = login(operator_blk_a)
    verify_resident_phone(client)
    client.post(reverse("assisted:profile"), PROFILE)
    client.post(reverse("assisted:choices"), {"choice_1": "reg-1"})
    first = Resident.objects.get()

    asked = verify_resident_phone(client)  # the same phone again, for the first person's son
    page = client.get(reverse("assisted:who")).content.decode()
    chosen = client.post(reverse("assisted:who"), {"person": "new"})
    son = {
        **PROFILE,
        "nik": "3671010101000001",
        "full_name": "Budi Aminah",
        "sex": "L",
        "birth_date": "2000-01-01",
    }
    client.post(reverse("assisted:profile"), son)
    client.post(reverse("assisted:choices"), {"choice_1": "reg-3"})

    assert asked.url == reverse("assisted:who")
    assert first.full_name in page
    assert chosen.url == reverse("assisted:profile")  # not the first person's choices
    budi = Resident.objects.get(full_name="Budi Aminah")
    assert (budi.phone, first.phone) == ("+6285711112222", "+6285711112222")
    assert budi.user_id != first.user_id
    choices = dict(Application.objects.values_list("resident__full_name", "choices__batch__code"))
    assert choices == {"Siti Aminah": "reg-1", "Budi Aminah": "reg-3"}


def test_continuing_for_a_person_already_on_the_phone_opens_their_choices(
    login, operator_blk_a, open_batches
):
    client = login(operator_blk_a)
    verify_resident_phone(client)
    client.post(reverse("assisted:profile"), PROFILE)
    first = Resident.objects.get()

    verify_resident_phone(client)
    nobody = client.post(reverse("assisted:who"), {})
    chosen = client.post(reverse("assisted:who"), {"person": str(first.pk)})

    assert "Pilih warga yang sedang Anda bantu" in nobody.content.decode()
    assert chosen.url == reverse("assisted:choices")


def test_strangers_requesting_and_guessing_codes_for_the_phone_do_not_stop_the_office(
    login, operator_blk_a, open_batches
):
    """Five anonymous code requests used to block the operator's desk for the same phone for 30 minutes, and
    five wrong guesses from anywhere locked the code the resident was reading out (security review)."""
    from django.test import Client

    from latihkerja.accounts.services import CODES_PER_PHONE, MAX_ATTEMPTS

    stranger = Client()
    requested = [
        stranger.post(
            "/api/v1/auth/code", {"phone": "085711112222"}, content_type="application/json"
        ).status_code
        for _ in range(CODES_PER_PHONE + 1)
    ]
    client = login(operator_blk_a)
    client.post(reverse("assisted:phone"), {"phone": "0857 1111 2222"})
    code = sent_code("+6285711112222")  # the office's code, read out by the resident
    guesses = [
        stranger.post(
            "/api/v1/auth/verify",
            {"phone": "085711112222", "code": "000000" if code != "000000" else "111111"},
            content_type="application/json",
        ).status_code
        for _ in range(MAX_ATTEMPTS + 1)
    ]
    overheard = stranger.post(  # the office's code read out aloud signs nobody in elsewhere
        "/api/v1/auth/verify", {"phone": "085711112222", "code": code}, content_type="application/json"
    )
    verified = client.post(reverse("assisted:code"), {"code": code})

    assert requested == [202] * CODES_PER_PHONE + [429]  # the public limit still holds
    assert guesses == [400] * (MAX_ATTEMPTS + 1)
    assert verified.url == reverse("assisted:profile")
    assert overheard.status_code == 400
