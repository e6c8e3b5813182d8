"""Fixtures of the pure parser tests: no Django needed (run with -p no:django or without)."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _media_root():
    """Override the project-wide media fixture: these tests touch no Django settings."""


@pytest.fixture
def fixture_text():
    """Read a fixture document by file name."""

    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8")

    return read
