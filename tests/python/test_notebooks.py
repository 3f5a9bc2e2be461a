"""The notebooks in notebooks/ run headless (nbclient, a kernel from this Python) against
`$OGI_DATASET`, draw at least one chart each, and draw Chinese with a CJK font: no
"Glyph ... missing from font(s)" warning, which is what a box in place of a character
looks like from the inside. They are committed without outputs.

The CJK font is the one `./just fonts` puts in .tools/fonts (or a system one, or
`$OGI_CJK_FONT`); `./just test` and `./just notebooks-test` install it first.
"""
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO / "notebooks"
NOTEBOOKS = ["rankings", "outcomes"]
KERNEL = "ogi-test-python"
CELL_TIMEOUT = 300

sys.path.insert(0, str(NOTEBOOKS_DIR))
import _setup  # noqa: E402

MISSING_GLYPH = "missing from font"


def _glyph_warnings(records):
    return [str(w.message) for w in records if MISSING_GLYPH in str(w.message)]


# ---------------------------------------------------------------- committed form
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_without_outputs(name):
    path = NOTEBOOKS_DIR / f"{name}.ipynb"
    assert path.is_file(), f"{path} missing"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells)
             if (c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None))
             or {"execution", "ExecuteTime"} & set(c.get("metadata", {}))]
    assert not dirty, (f"{name}.ipynb has outputs or execution counts in cells {dirty}: run "
                       "`./just notebooks-strip` (or Edit > Clear Outputs of All Cells) before committing")
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


# ---------------------------------------------------------------- the CJK font
CJK_SAMPLES = [
    "金平苗族瑶族傣族自治县（红河哈尼族彝族自治州）", "麟游县 · 宝鸡市 · 陕西省", "凤翔区",
    "勾稽关系 新收申请 公开率 同比变化 前 10 后 10 全部 申请数", "危及“三安全一稳定”",
]


def _render(path, texts, family=None):
    """Draws `texts` as title, tick labels and legend into PNG `path`; returns the warnings."""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": family} if family else {}):
            fig, ax = plt.subplots(figsize=(8, 4))
            ax.barh(range(len(texts)), range(1, len(texts) + 1), label="予以公开 granted")
            ax.set_yticks(range(len(texts)), texts)
            ax.set_title("各县政府信息公开申请数量 -12")
            ax.legend()
            fig.savefig(path)
            plt.close(fig)
    return records


def test_cjk_font_renders_chinese_without_missing_glyphs(tmp_path):
    font = _setup.setup_matplotlib()
    assert font is not None, "no CJK font: run `./just fonts` (or set OGI_CJK_FONT)"
    # the family set by the helper resolves to that very file
    resolved = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]))
    assert Path(resolved).resolve() == Path(font).resolve(), resolved
    labels = (CJK_SAMPLES + list(_setup.OUTCOMES.values()) + list(_setup.OUTCOME_GROUPS.values())
              + list(_setup.APPLICANTS.values()))
    png = tmp_path / "cjk.png"
    records = _render(png, labels)
    assert not _glyph_warnings(records), _glyph_warnings(records)[:5]
    assert png.stat().st_size > 10_000


def test_missing_glyph_check_can_fail(tmp_path):
    """The same drawing in DejaVu Sans (no CJK) does warn: the check above is not vacuous."""
    records = _render(tmp_path / "boxes.png", CJK_SAMPLES[:1], family=["DejaVu Sans"])
    assert _glyph_warnings(records), "DejaVu Sans rendered Chinese without a missing-glyph warning?"


# ---------------------------------------------------------------- executing the notebooks
@pytest.fixture(scope="session")
def kernel_env(tmp_path_factory):
    """A kernelspec for this very Python (the project venv), found first via JUPYTER_PATH,
    and the environment the kernel starts with."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "ogi test kernel", "language": "python",
    }), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(root))
    mp.setenv("JUPYTER_RUNTIME_DIR", str(root / "runtime"))
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel's inline backend is what turns figures into outputs
    env.pop("OGI_FIGURES", None)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    yield env
    mp.undo()


def execute(name, dataset, env, extra_env=None):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    run_env = {**env, "OGI_DATASET": str(dataset), **(extra_env or {})}
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(NOTEBOOKS_DIR)}})
    start = time.monotonic()
    try:
        client.execute(env=run_env)
    except CellExecutionError as e:
        pytest.fail(f"{name}.ipynb failed on {dataset}:\n{e}")
    return nb, time.monotonic() - start


def outputs(nb):
    for cell in nb.cells:
        yield from cell.get("outputs", [])


def streams(nb):
    return "".join(o.get("text", "") for o in outputs(nb) if o.get("output_type") == "stream")


@pytest.fixture(scope="session")
def executed(dataset_dir, kernel_env):
    cache = {}

    def run(name):
        if name not in cache:
            cache[name] = execute(name, dataset_dir, kernel_env)
        return cache[name]
    return run


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_on_the_dataset(executed, name):
    nb, seconds = executed(name)
    errors = [o for o in outputs(nb) if o.get("output_type") == "error"]
    assert not errors, errors[0]
    images = [o for o in outputs(nb) if "image/png" in o.get("data", {})]
    assert images, f"{name}.ipynb drew no chart ({seconds:.1f} s)"
    text = streams(nb)
    assert MISSING_GLYPH not in text, f"{name}.ipynb rendered boxes: " + text[text.find(MISSING_GLYPH) - 200:][:400]
    assert "no CJK font" not in text


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_copes_with_an_empty_dataset(tmp_path, kernel_env, name):
    """A dataset built from no reports: every table is empty, the notebook prints "no data"."""
    ogi = os.environ.get("OGI_BIN")
    if not ogi or not Path(ogi).is_file():
        pytest.skip("OGI_BIN not set (./just test sets it)")
    (tmp_path / "in").mkdir()
    out = tmp_path / "dataset"
    subprocess.run([ogi, "build", str(tmp_path / "in"), "--out", str(out), "--quiet"], check=True,
                   capture_output=True)
    nb, _ = execute(name, out, kernel_env)
    assert "no data" in streams(nb)
