"""The parse's time budget: a spent budget stops the parse; no budget never does."""

import pytest

from documents.parsing import ParseTimeLimitExceeded, parse_document
from documents.parsing.bench import adversarial_document, synthetic_document
from documents.parsing.budget import check_budget, tick, time_budget


def test_a_parse_past_its_budget_raises_instead_of_running_on():
    text = adversarial_document("dense labels", 200_000)
    with pytest.raises(ParseTimeLimitExceeded) as raised:
        parse_document(text, time_limit=1e-6)
    assert raised.value.seconds == 1e-6


def test_without_a_budget_the_same_text_parses():
    text = adversarial_document("dense labels", 50_000)
    assert parse_document(text).measures
    assert parse_document(text, time_limit=0).measures
    assert parse_document(text, time_limit=None).measures


def test_a_generous_budget_leaves_the_result_unchanged():
    text = synthetic_document(30_000)
    assert parse_document(text, time_limit=60) == parse_document(text)


def test_the_budget_ends_with_its_block():
    with pytest.raises(ParseTimeLimitExceeded), time_budget(1e-9):
        for index in range(10_000):
            tick(index)
    check_budget()  # closed: never raises
    with time_budget(60), time_budget(None):
        check_budget()  # an inner 'no budget' keeps the outer one, which is not spent
