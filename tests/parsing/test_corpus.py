"""Score the parser against hand-checked annotations: the real corpus (shared/corpus beside the
repo, or where ``POLICYTRACK_CORPUS`` points) and the project's own table and PDF fixtures."""

import importlib.util
import json
import os
from pathlib import Path

import pytest

from documents.parsing import parse_document, to_corpus_dict

CORPUS = Path(os.environ.get("POLICYTRACK_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
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


def _annotations() -> list[Path]:
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


def _scorer():
    spec = importlib.util.spec_from_file_location("score_parse", CORPUS / "score_parse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


@pytest.fixture(scope="module")
def score():
    if not (CORPUS / "score_parse.py").is_file() or not _annotations():
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
