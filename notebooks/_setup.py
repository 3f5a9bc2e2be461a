"""Shared set-up for the notebooks in this folder.

- `dataset_dir()`: where the dataset is (`$OGI_DATASET`, else `../data/dataset` from
  the notebook or `data/dataset` from the repository root).
- `setup_matplotlib()`: a CJK font for Chinese labels (the file `./just fonts` puts
  in `.tools/fonts/`, or one from the system), selected by file path.
- the codes of the dataset with their Chinese and English labels;
- plotting helpers that print "no data: ..." instead of failing on an empty frame.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent
REPO = NOTEBOOKS.parent

# ------------------------------------------------------------------ the dataset
def dataset_dir() -> Path:
    """The dataset directory: `$OGI_DATASET` (a relative path is tried from the current
    directory, then from the repository root), else `../data/dataset` (the notebook's
    folder is the kernel's working directory) or `data/dataset` (from the root)."""
    raw = os.environ.get("OGI_DATASET", "").strip()
    if raw:
        p = Path(raw).expanduser()
        candidates = [p] if p.is_absolute() else [Path.cwd() / p, REPO / p]
    else:
        candidates = [Path.cwd() / ".." / "data" / "dataset", Path.cwd() / "data" / "dataset",
                      REPO / "data" / "dataset"]
    for c in candidates:
        if (c / "reports.parquet").is_file():
            return c.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"no dataset found (tried {tried}): run `./just build-dataset` or set OGI_DATASET")


def sql_str(s) -> str:
    """A SQL string literal (for paths in DuckDB queries)."""
    return "'" + str(s).replace("'", "''") + "'"


# ------------------------------------------------------------------ the CJK font
# WenQuanYi Micro Hei (文泉驿微米黑): `./just fonts` copies it here; the Debian package
# fonts-wqy-microhei installs the same file under /usr/share/fonts.
FONT_CANDIDATES = [
    REPO / ".tools" / "fonts" / "wqy-microhei.ttc",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]


def cjk_font_path() -> Path | None:
    """`$OGI_CJK_FONT` if set, else the first CJK font file found, else None."""
    env = os.environ.get("OGI_CJK_FONT", "").strip()
    if env:
        p = Path(env).expanduser()
        if not p.is_file():
            raise FileNotFoundError(f"OGI_CJK_FONT={env}: no such file")
        return p
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


def setup_matplotlib() -> Path | None:
    """Point matplotlib at the CJK font by file path; returns the path (None, with a
    warning, when there is none: Chinese labels would then render as boxes)."""
    import matplotlib as mpl
    from matplotlib import font_manager

    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.dpi"] = 100
    mpl.rcParams["savefig.bbox"] = "tight"
    mpl.rcParams["axes.spines.top"] = False
    mpl.rcParams["axes.spines.right"] = False
    # U+2212 MINUS SIGN is not in every CJK font; an ASCII hyphen always is
    mpl.rcParams["axes.unicode_minus"] = False
    path = cjk_font_path()
    if path is None:
        warnings.warn("no CJK font found: run `./just fonts` (or set OGI_CJK_FONT); "
                      "Chinese labels will render as boxes", stacklevel=2)
        return None
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = [name, "DejaVu Sans"]
    return path


def save_figure(fig, name: str) -> Path | None:
    """Save `fig` as NAME.png into `$OGI_FIGURES` when that is set (a relative path is
    taken from the repository root; used to make the README's picture); otherwise do
    nothing."""
    out = os.environ.get("OGI_FIGURES", "").strip()
    if not out or fig is None:
        return None
    d = Path(out).expanduser()
    d = d if d.is_absolute() else REPO / d
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{name}.png"
    fig.savefig(p)
    return p


# ------------------------------------------------------------------ codes and labels
# outcome_group, in the order of table 三 of the templates
OUTCOME_GROUPS = {
    "granted": "予以公开",
    "partial": "部分公开",
    "denied": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
# outcome: its Chinese label (short form of the template's row)
OUTCOMES = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "denied": "不予公开（未细分）",
    "denied_state_secret": "属于国家秘密",
    "denied_prohibited_by_law": "其他法律行政法规禁止公开",
    "denied_endangers_safety": "危及“三安全一稳定”",
    "denied_third_party_rights": "保护第三方合法权益",
    "denied_internal_affairs": "属于三类内部事务信息",
    "denied_process_info": "属于四类过程性信息",
    "denied_enforcement_files": "属于行政执法案卷",
    "denied_admin_query": "属于行政查询事项",
    "unable_not_held": "本机关不掌握相关政府信息",
    "unable_needs_creation": "没有现成信息需要另行制作",
    "unable_unclear": "补正后申请内容仍不明确",
    "not_processed_petition": "信访举报投诉类申请",
    "not_processed_repeated": "重复申请",
    "not_processed_publication": "要求提供公开出版物",
    "not_processed_mass_repeated": "无正当理由大量反复申请",
    "not_processed_confirmation": "要求确认或重新出具已获取信息",
    "other": "其他处理",
    "other_no_correction": "逾期不补正",
    "other_unpaid_fee": "逾期未缴纳信息处理费",
    "other_other": "其他",
    "total_handled": "总计",
}
# outcome → outcome_group (the contract's table)
OUTCOME_GROUP_OF = {
    "granted": "granted", "partially_granted": "partial", "denied": "denied",
    **{o: "denied" for o in OUTCOMES if o.startswith("denied_")},
    **{o: "unable" for o in OUTCOMES if o.startswith("unable_")},
    **{o: "not_processed" for o in OUTCOMES if o.startswith("not_processed_")},
    "other": "other", "other_no_correction": "other", "other_unpaid_fee": "other",
    "other_other": "other", "total_handled": "total",
}
APPLICANTS = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "public_interest_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}


def bilingual(code: str, labels: dict) -> str:
    """`予以公开 granted` for a code with a Chinese label, else the code."""
    zh = labels.get(code)
    return f"{zh} {code}" if zh else str(code)


# ------------------------------------------------------------------ empty frames
def is_empty(df) -> bool:
    return df is None or len(df) == 0


def no_data(df, what: str) -> bool:
    """True (after printing "no data: WHAT") when `df` has no rows."""
    if is_empty(df):
        print(f"no data: {what}")
        return True
    return False


# ------------------------------------------------------------------ charts
def _barh(ax, labels, values, texts, color, title, percent, lo, hi):
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    y = list(range(len(labels)))
    colors = [color if v >= 0 else "#c0504d" for v in values]
    bars = ax.barh(y, values, color=colors, height=0.6)
    ax.set_yticks(y, labels)
    ax.set_ylim(len(labels) - 0.5 + (0.4 if len(labels) < 3 else 0), -0.5 - (0.4 if len(labels) < 3 else 0))
    ax.axvline(0, color="#444", linewidth=0.8)
    ax.set_title(title, fontsize=11)
    span = (hi - lo) or 1
    for bar, v, text in zip(bars, values, texts):
        pad = 0.01 * span
        ax.text(bar.get_width() + (pad if v >= 0 else -pad), bar.get_y() + bar.get_height() / 2, text,
                va="center", ha="left" if v >= 0 else "right", fontsize=9)
    margin = 0.22 * span
    ax.set_xlim(lo - (margin if lo < 0 else 0), (hi if hi > lo else lo + 1) + margin)
    if percent:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    elif all(float(v).is_integer() for v in values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def barh_top_bottom(labels, values, title: str, n: int = 10, fmt: str = "{:,.0f}",
                    xlabel: str = "", what: str | None = None, texts=None, percent: bool = False):
    """Horizontal bars of the `n` highest and the `n` lowest values (`labels` and `values`
    sorted best first); one panel with every row when there are at most 2n. `texts`
    (optional) are the numbers written at the bars, else `fmt` of the values;
    `percent=True` labels the axis in percent of 1. Prints "no data" and returns None
    when there is nothing to plot."""
    import matplotlib.pyplot as plt

    if texts is None:
        texts = [None] * len(values)
    rows = [(lab, v, t if t is not None else fmt.format(v))
            for lab, v, t in zip(labels, values, texts) if v is not None]
    if not rows:
        print(f"no data: {what or title}")
        return None
    if len(rows) <= 2 * n:
        panels = [(f"全部 all {len(rows)}", rows)]
    else:
        panels = [(f"前 {n} top {n}", rows[:n]), (f"后 {n} bottom {n}", rows[-n:])]
    height = max(1.9, 0.34 * max(len(p) for _, p in panels) + 1.3)
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), height), squeeze=False)
    # one scale for both panels
    lo, hi = min(0, min(r[1] for r in rows)), max(0, max(r[1] for r in rows))
    for ax, (sub, part) in zip(axes[0], panels):
        _barh(ax, [r[0] for r in part], [r[1] for r in part], [r[2] for r in part], "#4472c4", sub,
              percent, lo, hi)
        if xlabel:
            ax.set_xlabel(xlabel)
    fig.suptitle(title, fontsize=13)
    fig.tight_layout()
    return fig


GROUP_COLORS = {
    "granted": "#4e9a06", "partial": "#9bcd5a", "denied": "#cc3333",
    "unable": "#f0a030", "not_processed": "#7f7f7f", "other": "#5b7fbf",
}


def stacked_bars(index, series: dict, title: str, ylabel: str = "", colors: dict | None = None,
                 labels: dict | None = None, percent: bool = False, what: str | None = None):
    """Vertical bars stacked from `series` (name → values, one per `index` entry).
    `percent=True` draws each bar as shares of its total. Prints "no data" and returns
    None when there is nothing to plot."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    index = list(index)
    series = {k: [v or 0 for v in vals] for k, vals in series.items()}
    series = {k: v for k, v in series.items() if any(v)}
    if not index or not series:
        print(f"no data: {what or title}")
        return None
    totals = [sum(vals[i] for vals in series.values()) for i in range(len(index))]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.1 * len(index) + 4.0), 4.2))
    bottom = [0.0] * len(index)
    x = list(range(len(index)))
    for name, vals in series.items():
        if percent:
            vals = [100.0 * v / t if t else 0.0 for v, t in zip(vals, totals)]
        color = (colors or {}).get(name)
        ax.bar(x, vals, bottom=bottom, label=(labels or {}).get(name, name), color=color, width=0.6)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(x, [str(i) for i in index])
    ax.set_ylabel(ylabel or ("%" if percent else ""))
    if percent:
        ax.set_ylim(0, 100)
    else:
        for xi, t in zip(x, totals):
            ax.text(xi, t, f"{t:,.0f}", ha="center", va="bottom", fontsize=9)
        ax.set_ylim(0, max(totals) * 1.12 or 1)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=12)
    handles, names = ax.get_legend_handles_labels()  # top of the stack first
    ax.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9,
              frameon=False)
    fig.tight_layout()
    return fig
