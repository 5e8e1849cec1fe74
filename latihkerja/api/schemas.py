from datetime import date

from ninja import Field, Schema


class TargetsOut(Schema):
    period: str
    period_name: str
    starts_on: date
    ends_on: date
    trainings_per_center: int
    minimum_per_batch: int
    maximum_per_batch: int
    participant_target_min: int
    participant_target_max: int
    budget: int


class SummaryOut(Schema):
    kecamatan: int
    kelurahan: int
    centers: int
    themes: int
    batches: int
    seats: int
    batches_by_status: dict[str, int]
    targets: TargetsOut | None


class BatchOut(Schema):
    code: str
    theme: str = Field(alias="theme.name")
    theme_code: str = Field(alias="theme.code")
    agency: str = Field(alias="theme.agency.short_name")
    center: str = Field(alias="center.name")
    center_code: str = Field(alias="center.code")
    kelurahan: str = Field(alias="center.kelurahan.code")
    kecamatan: str = Field(alias="center.kelurahan.kecamatan.code")
    modality: str
    starts_on: date
    ends_on: date
    capacity: int
    seats_left: int
    status: str


class Message(Schema):
    """Every refusal's body: one sentence in the request's language."""

    detail: str


class FieldError(Schema):
    type: str
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    """A body or query that does not have the documented shape (ninja's 422, its message translated)."""

    detail: list[FieldError]


# What every endpoint behind the session answers without a valid session (documented with each).
SIGNED_IN = {401: Message}
