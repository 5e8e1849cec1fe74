"""Back-office lists cost the same number of queries whatever the rows on the page: no query per row. The lists
grow with the programme (an audit event per record opened, a seat per participant)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from latihkerja.audit.services import record_event
from tests.factories.certificates import OutcomeFactory

pytestmark = pytest.mark.integration


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_outcomes(count, actor):
    """Rows for every list below: outcomes (with enrollments and batches), audit events, sessions, assessments
    and registration imports."""
    from latihkerja.registration.models import RegistrationImport
    from latihkerja.training.models import Assessment
    from tests.factories.training import SessionFactory

    for _ in range(count):
        outcome = OutcomeFactory()
        record_event(actor=actor, action="resident.viewed", target=outcome.enrollment.resident)
        SessionFactory(batch=outcome.batch)
        Assessment.objects.create(enrollment=outcome.enrollment, passed=True, assessed_by=actor)
        RegistrationImport.objects.create(
            period=outcome.batch.period, center=outcome.batch.center, uploaded_by=actor, original_name="a.csv"
        )


@pytest.mark.parametrize(
    "view",
    [
        "admin:batches_enrollment_changelist",
        "admin:training_outcome_changelist",
        "admin:audit_auditevent_changelist",
        "admin:registration_application_changelist",
        "admin:training_trainingsession_changelist",
        "admin:training_assessment_changelist",
        "admin:registration_registrationimport_changelist",
    ],
)
def test_a_list_costs_the_same_queries_for_two_rows_as_for_six(reference_data, login, bappeda_admin, view):
    client = login(bappeda_admin)
    url = reverse(view)
    add_outcomes(2, bappeda_admin)
    two = queries_for(client, url)

    add_outcomes(4, bappeda_admin)

    assert queries_for(client, url) == two


def test_the_class_form_lists_its_rooms_in_one_query_however_many(reference_data, login, bappeda_admin):
    from latihkerja.centers.models import Center, Room

    client = login(bappeda_admin)
    url = reverse("admin:batches_batch_add")
    queries_for(client, url)  # the first opening of the form also caches the admin's content types
    before = queries_for(client, url)

    for center in Center.objects.all()[:5]:
        Room.objects.create(center=center, name="Ruang tambahan", capacity=20)

    assert queries_for(client, url) == before


def test_bappeda_finds_a_seat_by_the_residents_name_or_the_class_code(reference_data, login, bappeda_admin):
    """Working through 6,435 unanswered offers had no search and no class code (list review)."""
    first, second = OutcomeFactory(), OutcomeFactory()
    client = login(bappeda_admin)
    url = reverse("admin:batches_enrollment_changelist")

    by_code = client.get(url, {"q": second.batch.code})
    by_name = client.get(url, {"q": first.enrollment.resident.full_name})

    assert [e.pk for e in by_code.context["cl"].result_list] == [second.enrollment.pk]
    assert [e.pk for e in by_name.context["cl"].result_list] == [first.enrollment.pk]
    assert second.batch.code in by_code.content.decode()
