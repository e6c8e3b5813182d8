"""The benchmark runs and reports linear-looking figures (timings are not asserted tightly)."""

from documents.parsing import parse_document
from documents.parsing.bench import (
    ADVERSARIAL_SHAPES,
    adversarial_document,
    run_adversarial,
    run_benchmark,
    synthetic_document,
)


def test_synthetic_documents_have_the_requested_size_and_parse_into_measures():
    text = synthetic_document(30_000)
    assert 30_000 <= len(text.encode("utf-8")) < 32_000
    document = parse_document(text)
    assert len(document.measures) > 50
    assert all(m.lead or m.responsible for m in document.measures)


def test_run_benchmark_reports_each_size():
    figures = run_benchmark(sizes=(10_000, 20_000), repeats=1)
    assert all(row.size_bytes >= size for row, size in zip(figures["rows"], (10_000, 20_000), strict=True))
    assert figures["median_ms_30kb"] > 0
    assert all(row.measures > 0 and row.ms_per_kb > 0 for row in figures["rows"])


def test_adversarial_documents_have_the_requested_size_and_parse():
    for shape in ADVERSARIAL_SHAPES:
        text = adversarial_document(shape, 20_000)
        assert 20_000 <= len(text.encode("utf-8")) < 21_000, shape
        document = parse_document(text)
        assert document.measures, shape


def test_run_adversarial_reports_a_ratio_per_shape():
    rows = run_adversarial(sizes=(5_000, 20_000), repeats=1)
    assert [row["shape"] for row in rows] == list(ADVERSARIAL_SHAPES)
    assert all(row["small_ms"] > 0 and row["large_ms"] > 0 and row["ratio"] > 0 for row in rows)


def test_the_table_benchmark_parses_every_row_of_each_size():
    from documents.parsing.bench import run_table_benchmark, synthetic_table

    assert len(parse_document(synthetic_table(2001)).measures) == 2001  # past the category 一百、 too
    figures = run_table_benchmark(sizes=(40, 80), repeats=1)
    assert [(row.count, row.measures) for row in figures["rows"]] == [(40, 40), (80, 80)]
    assert figures["spread"] > 0


def test_the_pdf_benchmark_reads_the_first_pages_of_each_count():
    from pathlib import Path

    from documents.parsing.bench import run_pdf_benchmark

    data = (Path(__file__).resolve().parent / "fixtures" / "pdf" / "bench_long.pdf").read_bytes()
    figures = run_pdf_benchmark(data, page_counts=(1, 3))
    first, second = figures["rows"]
    assert (first.count, second.count) == (1, 3) and 0 < first.measures < second.measures
