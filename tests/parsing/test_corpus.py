"""Score the parser against hand-checked annotations: the shared corpus beside the checkout (or
where ``POLICYTRACK_CORPUS`` points), the project's own fixture documents (tests/parsing/fixtures/*.json:
other provinces and levels, a Traditional-script mirror, a news report without measures) and its
table and PDF fixtures, with the corpus's scorer."""

import importlib.util
import json
import os
from pathlib import Path

import pytest

from documents.parsing import parse_document, to_corpus_dict


def _find_corpus() -> Path:
    """``POLICYTRACK_CORPUS``, else shared/corpus beside the checkout or beside any folder above it."""
    if os.environ.get("POLICYTRACK_CORPUS"):
        return Path(os.environ["POLICYTRACK_CORPUS"])
    here = Path(__file__).resolve()
    for folder in here.parents[2:]:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return here.parents[2].parent / "shared" / "corpus"


CORPUS = _find_corpus()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Floors for task tables, from what the parser must hold on unseen real tables.
TABLE_FLOORS = {
    "measure_f1": 0.97,
    "lead_exact": 0.95,
    "unit_f1": 0.95,
    "role_accuracy": 0.95,
    "deadline_recall": 0.95,
}
LINES_FLOORS = {**TABLE_FLOORS, "measure_f1": 0.9}
FLOORS = {
    "measure_f1": 0.98,
    "title_match": 0.95,
    "lead_exact": 0.95,
    "unit_f1": 0.95,
    "role_accuracy": 0.95,
    "deadline_recall": 0.90,
}


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _annotations() -> list[Path]:
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


def _fixture_annotations() -> list[Path]:
    return sorted(FIXTURES.glob("*.json"))


def _scorer():
    spec = importlib.util.spec_from_file_location("score_parse", CORPUS / "score_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


@pytest.fixture(scope="module")
def score():
    if not (CORPUS / "score_parse.py").is_file():
        reason = f"the annotated corpus is not available at {CORPUS}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    return _scorer()


@pytest.mark.parametrize("truth_path", _annotations() or [None], ids=lambda path: path.stem if path else "corpus")
def test_it_meets_the_floors_on_every_corpus_document(score, truth_path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    text = truth_path.with_suffix(".txt").read_text(encoding="utf-8")
    result = to_corpus_dict(parse_document(text, source=truth_path.with_suffix(".txt").name))
    scores = score(truth, result)
    below = {metric: scores[metric] for metric, floor in FLOORS.items() if scores[metric] < floor}
    assert not below, f"{truth_path.name}: below the floors {below} (all scores: {scores})"
    assert result["title"] and scores["metadata_match"] >= 0.99, scores


@pytest.mark.parametrize("truth_path", _fixture_annotations(), ids=lambda path: path.stem)
def test_it_meets_the_floors_on_every_fixture_document(score, truth_path):
    test_it_meets_the_floors_on_every_corpus_document(score, truth_path)
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    if not truth["measures"]:  # a text that holds no measures yields none
        text = truth_path.with_suffix(".txt").read_text(encoding="utf-8")
        assert parse_document(text).measures == []


def test_there_are_at_least_ten_annotated_fixture_documents():
    paths = _fixture_annotations()
    assert len(paths) >= 10
    assert all(path.with_suffix(".txt").is_file() for path in paths)


def _table_fixtures() -> list[Path]:
    return sorted([*(FIXTURES / "tables").glob("*.json"), *(FIXTURES / "pdf").glob("*.json")])


def _fixture_text(truth_path: Path) -> str:
    from documents.parsing import read_document

    source = next(path for suffix in (".pdf", ".docx", ".txt")
                  if (path := truth_path.with_suffix(suffix)).is_file())
    return read_document(source.name, source.read_bytes())


@pytest.mark.parametrize("truth_path", _table_fixtures(), ids=lambda path: path.stem)
def test_it_meets_the_table_floors_on_every_table_and_pdf_fixture(score, truth_path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    scores = score(truth, to_corpus_dict(parse_document(_fixture_text(truth_path))))
    floors = LINES_FLOORS if truth_path.stem.startswith("lines_") else TABLE_FLOORS
    below = {metric: scores[metric] for metric, floor in floors.items() if scores[metric] < floor}
    assert not below, f"{truth_path.name}: below the floors {below} (all scores: {scores})"
    assert scores["metadata_match"] >= 0.99, scores
