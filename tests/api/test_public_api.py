import pytest

from latihkerja.batches.enums import BatchStatus
from tests.factories import BatchFactory, ResidentFactory

pytestmark = pytest.mark.integration


def test_summary_reports_regions_centres_batches_by_status_and_targets_when_asked(
    client, period, center_a, center_b
):
    BatchFactory(center=center_a)
    BatchFactory(center=center_b, status=BatchStatus.DRAFT)
    BatchFactory(center=center_b, status=BatchStatus.CANCELLED)

    response = client.get("/api/v1/public/summary")

    body = response.json()
    assert response.status_code == 200
    assert (body["kecamatan"], body["kelurahan"], body["centers"], body["batches"]) == (13, 104, 104, 3)
    assert body["batches_by_status"] == {
        "draft": 1,
        "approved": 0,
        "open": 1,
        "allocated": 0,
        "running": 0,
        "completed": 0,
        "cancelled": 1,
    }
    assert body["targets"]["trainings_per_center"] == 5
    assert body["targets"]["minimum_per_batch"] == 20
    assert (body["targets"]["participant_target_min"], body["targets"]["participant_target_max"]) == (
        10000,
        12000,
    )


def test_summary_carries_no_personal_data_when_residents_exist(client, period):
    resident = ResidentFactory(full_name="Siti Contoh Rahasia")

    text = client.get("/api/v1/public/summary").content.decode()

    assert "Siti Contoh Rahasia" not in text
    assert resident.nik not in text


def test_summary_has_no_targets_when_no_period_exists(client, db):
    body = client.get("/api/v1/public/summary").json()

    assert body["targets"] is None
    assert body["batches"] == 0


def test_openapi_document_describes_the_public_endpoints_when_fetched(client, db):
    response = client.get("/api/v1/openapi.json")

    paths = response.json()["paths"]
    assert response.status_code == 200
    assert {"/api/v1/public/summary", "/api/v1/public/batches"} <= set(paths)


def test_openapi_document_names_each_answer_once_so_swagger_ui_can_read_it(client, db):
    """A status declared by an operation (401) and added again as "401" made a JSON object with one key twice:
    /api/v1/docs then showed 'duplicated mapping key' instead of the API."""
    import json

    repeated: list[list[str]] = []

    def no_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in pairs]
        if len(set(keys)) != len(keys):
            repeated.append(keys)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_repeats)

    assert repeated == []


def test_public_batches_filter_by_kecamatan_and_page_when_asked(client, period, center_a, center_b):
    BatchFactory(code="x-a", center=center_a)
    BatchFactory(code="x-b", center=center_b)

    body = client.get(
        "/api/v1/public/batches", {"kecamatan": center_b.kelurahan.kecamatan.code, "limit": 10}
    ).json()

    assert body["count"] == 1
    assert [b["code"] for b in body["items"]] == ["x-b"]
    assert body["items"][0]["seats_left"] == 25


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "lots"}, "limit"),
        ({"limit": "99999999999999999999"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"offset": "99999999999999999999"}, "offset"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_public_batches_reject_a_bad_limit_or_offset_with_a_message_when_asked(client, db, query, field):
    response = client.get("/api/v1/public/batches", query)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
