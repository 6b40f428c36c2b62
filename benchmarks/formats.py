"""How long reading a gazette takes in each file format: the real gazette laid out as PDF, Word and HTML (as the
tests make them, tests/format_helpers.py) against its .txt — bytes, pages, read (extract) and parse times, and
whether the documents and clauses come out the same.

    python benchmarks/formats.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _common import REPO, RESULTS, machine_facts, machine_markdown, markdown_table  # noqa: E402
from format_helpers import text_to_docx, text_to_html, text_to_pdf  # noqa: E402

from qa_bot.parse.corpus import parse_text_with_warnings  # noqa: E402
from qa_bot.parse.reader import read_gazette  # noqa: E402

SEED = REPO / "corpus" / "jinzhou-gazette-2022-04.txt"


def signature(documents: list) -> list:
    return [(d.doc_no, d.title, [(c.chunk_id, c.text) for c in d.clauses]) for d in documents]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = SEED.read_text(encoding="utf-8")
    baseline = signature(parse_text_with_warnings(text, SEED.name)[0])
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        files = {".txt": SEED}
        for suffix, make in ((".pdf", text_to_pdf), (".docx", text_to_docx), (".html", text_to_html)):
            files[suffix] = make(text, Path(folder) / f"jinzhou-gazette-2022-04{suffix}")
        for suffix, path in files.items():
            reads, parses = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                content, _how = read_gazette(path)
                reads.append(time.perf_counter() - started)
                started = time.perf_counter()
                documents, warnings = parse_text_with_warnings(content, path.name)
                parses.append(time.perf_counter() - started)
            pages = ""
            if suffix == ".pdf":
                import pypdfium2 as pdfium

                pages = str(len(pdfium.PdfDocument(path)))
            same = "yes" if signature(documents) == baseline else "NO"
            clauses = sum(len(d.clauses) for d in documents)
            rows.append(
                [suffix, f"{path.stat().st_size / 1024:.0f}", pages, f"{statistics.median(reads) * 1000:.0f}",
                 f"{statistics.median(parses) * 1000:.0f}", len(documents), clauses, len(warnings), same]
            )
    table = markdown_table(
        [
            "format",
            "KB",
            "pages",
            "read ms (median)",
            "parse ms (median)",
            "documents",
            "clauses",
            "warnings",
            "same as .txt",
        ],
        rows,
    )
    report = f"{machine_markdown(machine_facts())}\n\n{table}\n"
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "formats.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
