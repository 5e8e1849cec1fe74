"""The record path's bulk conversions (bytes matching, ``marshal``-checked keys, byte-sorted ids) give the
same market, and the same refusals, as a plain reading of the records."""

from __future__ import annotations

import random

import numpy as np
import pytest

from latihkerja.engine.allocation import (
    AllocationInputError,
    Applicant,
    Batch,
    allocate,
    market_from_lists,
    market_from_records,
)
from latihkerja.engine.allocation.market import string_ranks

pytestmark = pytest.mark.unit

# Characters that stress the byte tricks: multi-byte UTF-8, a lone surrogate, a control character, and
# characters on either side of ASCII digits and letters.
ALPHABET = ["A", "B", "a", "0", "9", "é", "\u00ff", "\u4e2d", "\U0001f600", "\ud800", "-", " ", "~", "\x01"]


def _plain_ranks(ids: list[str]) -> list[int]:
    ranks = [0] * len(ids)
    for rank, i in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
        ranks[i] = rank
    return ranks


def _random_id(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def _check_market(batches: list[Batch], applicants: list[Applicant]) -> None:
    market, batch_ids, applicant_ids = market_from_records(batches, applicants)
    index = {b.id: i for i, b in enumerate(batches)}
    lengths = [len(a.choices) for a in applicants]

    assert batch_ids == [b.id for b in batches]
    assert applicant_ids == [a.id for a in applicants]
    assert market.choice_ptr.tolist() == [0, *np.cumsum(lengths, dtype=np.int64).tolist()]
    assert market.choice_batch.dtype == np.int64
    assert market.choice_batch.tolist() == [index[c] for a in applicants for c in a.choices]
    assert market.choice_key.dtype == np.float64
    assert market.choice_key.tolist() == [float(k) for a in applicants for k in a.keys]
    assert market.applicant_order.tolist() == _plain_ranks(applicant_ids)
    assert market.batch_order.tolist() == _plain_ranks(batch_ids)


@pytest.mark.parametrize("seed", range(6))
def test_market_matches_a_plain_reading_when_ids_vary_in_width_and_script(seed: int) -> None:
    rng = random.Random(seed)
    longest = [3, 7, 8, 9, 17, 30][seed]  # ids within one 8-byte word, on its edge, and across words
    batch_ids = list({_random_id(rng, longest) for _ in range(rng.randint(1, 40))})
    batches = [Batch(bid, rng.randint(0, 5), 0) for bid in batch_ids]
    applicant_ids = list({_random_id(rng, longest) for _ in range(rng.randint(0, 80))})
    applicants = []
    for aid in applicant_ids:
        choices = rng.sample(batch_ids, rng.randint(0, min(4, len(batch_ids))))
        keys = [rng.choice([rng.random(), 0.0, 1.0, -2.5]) for _ in choices]
        container = tuple if rng.random() < 0.5 else list
        applicants.append(Applicant(aid, container(choices), container(keys)))  # type: ignore[arg-type]

    _check_market(batches, applicants)


def test_market_matches_a_plain_reading_when_ids_share_one_width() -> None:
    batches = [Batch(f"B{i:03d}", 2) for i in range(50)]
    applicants = [
        Applicant(
            f"A{(i * 37) % 200:04d}", tuple(f"B{(i + j) % 50:03d}" for j in range(3)), (0.5, 0.25, 0.125)
        )
        for i in range(200)
    ]

    _check_market(batches, applicants)


def test_market_matches_a_plain_reading_when_keys_are_integers_or_numpy_numbers() -> None:
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [
        Applicant("A1", ("B1", "B2"), (1, 2)),  # type: ignore[arg-type]
        Applicant("A2", ("B2", "B1"), (np.float64(0.5), np.int32(3))),  # type: ignore[arg-type]
        Applicant("A3", ("B1",), (2**70,)),  # type: ignore[arg-type]
    ]

    _check_market(batches, applicants)


def test_ids_holding_nul_are_matched_when_the_byte_path_cannot_be_used() -> None:
    batches = [Batch("B\x001", 1), Batch("B1", 1)]
    applicants = [Applicant("A\x00", ("B\x001", "B1"), (0.5, 0.5)), Applicant("A", ("B1",), (0.1,))]

    _check_market(batches, applicants)
    assert allocate(batches, applicants).assignment == {"A\x00": "B\x001", "A": "B1"}


@pytest.mark.parametrize(
    ("applicants", "message"),
    [
        ([Applicant("A1", ("B1\x00",), (0.5,))], 'applicant "A1": choice "B1\\u0000" is not a batch'),
        ([Applicant("A1", ("B10",), (0.5,))], 'applicant "A1": choice "B10" is not a batch'),
        ([Applicant("A1", ("B",), (0.5,))], 'applicant "A1": choice "B" is not a batch'),
        ([Applicant("A1", (1,), (0.5,))], 'applicant "A1": choice 1 is not a batch'),  # type: ignore[arg-type]
        (
            [Applicant("A1", ("B1", "B2"), (0.5, True))],  # type: ignore[arg-type]
            'applicant "A1": key at choice "B2" must be a number, got true',
        ),
        (
            [Applicant("A1", ("B1",), (np.array(0.5),))],  # type: ignore[arg-type]
            'applicant "A1": key at choice "B1" must be a number, got array(0.5)',
        ),
        (
            [Applicant("A1", ("B1",), ((0.5,),))],  # type: ignore[arg-type]
            'applicant "A1": key at choice "B1" must be a number, got [0.5]',
        ),
        (
            [Applicant("A1", ("B1",), {0.5: 1})],  # type: ignore[arg-type]
            'applicant "A1": "keys" must be a list of numbers, got {"0.5": 1}',
        ),
        (
            [Applicant("A2", ("B1", "B2"), (0.5, 0.25)), Applicant("A1", ("B2",), (0.5, 0.25))],
            'applicant "A1": 1 choices but 2 keys',
        ),
        (
            [Applicant("A2", ("B1",), (0.5,)), Applicant("A2", ("B2",), (0.5,))],
            'duplicate applicant id "A2"',
        ),
        (
            [Applicant("A\u00e9", ("B1",), (0.5,)), Applicant("A\u00e9", ("B2",), (0.5,))],
            'duplicate applicant id "A\\u00e9"',
        ),
    ],
)
def test_bad_records_are_refused_with_the_first_problem_when_bulk_checks_fail(
    applicants: list[Applicant], message: str
) -> None:
    with pytest.raises(AllocationInputError) as caught:
        allocate([Batch("B1", 1), Batch("B2", 1)], applicants)

    assert str(caught.value) == message


def test_json_lists_build_the_same_market_as_records_when_read_by_the_command_line() -> None:
    batches = [Batch("B1", 2), Batch("B22", 1, 1)]
    applicants = [Applicant("A1", ("B22", "B1"), (0.5, 0.25)), Applicant("A10", ("B1",), (0.75,))]

    from_records, _, _ = market_from_records(batches, applicants)
    from_lists, _, _ = market_from_lists(
        ["B1", "B22"], [2, 1], [0, 1], ["A1", "A10"], [["B22", "B1"], ["B1"]], [[0.5, 0.25], [0.75]]
    )

    for name in ("capacity", "minimum", "batch_order", "choice_ptr", "choice_batch", "choice_key"):
        assert np.array_equal(getattr(from_records, name), getattr(from_lists, name)), name
    assert np.array_equal(from_records.applicant_order, from_lists.applicant_order)


@pytest.mark.parametrize("seed", range(4))
def test_string_ranks_follow_python_string_order_when_ids_repeat_or_prefix(seed: int) -> None:
    rng = random.Random(100 + seed)
    ids = [_random_id(rng, 12) for _ in range(rng.randint(0, 60))]
    ids += ids[: len(ids) // 4]  # repeats rank by position, like sorted()
    ids += [i + "A" for i in ids[:5]]  # prefixes sort first
    ids.append("A\x00B")

    assert string_ranks(ids).tolist() == _plain_ranks(ids)
    without_nul = [i for i in ids if "\x00" not in i]
    assert string_ranks(without_nul).tolist() == _plain_ranks(without_nul)
