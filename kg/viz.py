"""Pictures of the knowledge graph: an offline interactive page and PNG/SVG.

:func:`render_html` returns a self-contained HTML page built with pyvis: the
vis-network library shipped inside the pyvis package, the page's own script
and stylesheet (``kg/assets/``) and the graph data are all inlined, so the
page opens from a local file with no network at all.  The data travels as
JSON in a ``<script type="application/json">`` block and is put into the page
with ``textContent`` only, so a name or sentence that happens to contain
markup is shown, never run.

Small graphs are laid out by vis-network's physics, which stops once the
layout has stabilised.  Above ``physics_threshold`` nodes the positions are
computed here (:func:`force_layout`, a force-directed layout whose long-range
repulsion is evaluated on a grid with FFTs, so one iteration costs about
O(n + m)) and physics stays off.

:func:`render_picture` draws a static PNG or SVG with matplotlib, in a CJK
font found through matplotlib's font manager.

:func:`write_viewer` is what ``kg build`` and ``kg viz`` call.
"""

from __future__ import annotations

import json
import math
import os
import unicodedata
import warnings
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, KgError, OutputError
from .graph import ARTICLE, CLASS_LABELS_ZH, simple_undirected, subgraph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "FONT_STACK",
    "PHYSICS_THRESHOLD",
    "STYLE",
    "force_layout",
    "packed_layout",
    "render_html",
    "render_picture",
    "write_viewer",
]

#: CJK-safe font stack of the page; no web font is downloaded.
FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

#: Above this many nodes the page gets precomputed positions and no physics.
PHYSICS_THRESHOLD = 500
#: Above this many edges, edge labels are shown only for the selected node.
EDGE_LABEL_LIMIT = 600

#: class → (colour, vis-network shape, matplotlib marker)
STYLE: dict[str, tuple[str, str, str]] = {
    "TradeUnion": ("#d62728", "dot", "o"),
    "Enterprise": ("#1f77b4", "square", "s"),
    "GovernmentBody": ("#9467bd", "diamond", "D"),
    "OtherOrganization": ("#8c8c8c", "dot", "o"),
    "Person": ("#ff7f0e", "triangle", "^"),
    "Program": ("#2ca02c", "hexagon", "h"),
    "Place": ("#8c564b", "triangleDown", "v"),
    "WorkerGroup": ("#17becf", "dot", "o"),
    "Award": ("#e6b000", "star", "*"),
    ARTICLE: ("#b0b0b0", "square", "s"),
}
_UNKNOWN_STYLE = ("#999999", "dot", "o")
_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Noto Sans CJK",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Noto Serif CJK SC",
    "Noto Serif CJK",
)
_VIS_DIR = ("lib", "vis-9.1.2")
_QUOTES = "\"'“”‘’「」『』《》〈〉【】〔〕()（）"


# ---------------------------------------------------------------------------
# layout


def force_layout(
    U: nx.Graph, *, seed: int = 0, iterations: int = 150, grid: int = 128
) -> dict[Any, tuple[float, float]]:
    """A fast force-directed layout for graphs of thousands of nodes.

    Springs pull linked nodes together (Fruchterman–Reingold attraction);
    every node repels every other with a force ``1/r``, evaluated by
    spreading the nodes on a ``grid × grid`` mesh and convolving with the
    force kernel by FFT; nodes sharing a cell are pushed apart from the
    cell's centre; a weak pull towards the centre keeps components together.
    The result is scaled so that neighbouring nodes sit about one unit apart.

    Parameters
    ----------
    U
        An undirected graph.
    seed
        Seed of the initial positions: the same graph and seed give the
        same layout.
    """
    import numpy as np

    nodes = list(U)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    idx = {v: i for i, v in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    pos = (rng.random((n, 2)) - 0.5) * math.sqrt(n) * 2.0
    pairs = [(idx[a], idx[b]) for a, b in U.edges() if a != b]
    E = np.array(pairs, dtype=np.int64).reshape(-1, 2)

    M = grid
    off = np.fft.fftfreq(2 * M, 1.0 / (2 * M))
    ox, oy = np.meshgrid(off, off, indexing="ij")
    r2 = ox * ox + oy * oy
    r2[0, 0] = 1.0
    kx, ky = ox / r2, oy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    fkx, fky = np.fft.rfft2(kx), np.fft.rfft2(ky)
    padded = np.zeros((2 * M, 2 * M))
    gravity = 0.005 * math.sqrt(n)
    step = math.sqrt(n) * 0.3
    for _ in range(iterations):
        lo = pos.min(axis=0) - 1e-6
        h = float((pos.max(axis=0) + 1e-6 - lo).max()) / M
        cell2 = np.minimum(((pos - lo) / h).astype(np.int64), M - 1)
        cell = cell2[:, 0] * M + cell2[:, 1]
        count = np.bincount(cell, minlength=M * M)
        padded[:M, :M] = count.reshape(M, M)
        spectrum = np.fft.rfft2(padded)
        fx = np.fft.irfft2(spectrum * fkx, s=padded.shape)[:M, :M].ravel() / h
        fy = np.fft.irfft2(spectrum * fky, s=padded.shape)[:M, :M].ravel() / h
        disp = np.stack([fx[cell], fy[cell]], axis=1)
        # nodes sharing a cell: push away from the cell's centre
        safe = np.maximum(count, 1)
        centre = np.stack(
            [np.bincount(cell, pos[:, 0], M * M) / safe, np.bincount(cell, pos[:, 1], M * M) / safe], axis=1
        )[cell]
        d = pos - centre
        disp += d * ((count[cell] - 1) / np.maximum((d * d).sum(axis=1), 1e-2))[:, None]
        if len(E):
            d = pos[E[:, 0]] - pos[E[:, 1]]
            f = np.sqrt((d * d).sum(axis=1))[:, None] * d
            np.add.at(disp, E[:, 0], -f)
            np.add.at(disp, E[:, 1], f)
        disp -= gravity * (pos - pos.mean(axis=0))
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, step) / length)[:, None]
        step = max(step * 0.96, 0.02)
    pos -= pos.mean(axis=0)
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for v, i in idx.items()}


def packed_layout(U: nx.Graph, *, seed: int = 0, gap: float = 1.0) -> dict[Any, tuple[float, float]]:
    """Lay out each connected component on its own and pack them in rows.

    Components are drawn with NetworkX's spring layout (seeded), scaled to
    about one unit between neighbours, and placed largest first, left to
    right, in rows about as wide as the whole picture is tall; isolated
    nodes fill the last rows as a grid.
    """
    import networkx as nx

    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(U)), key=lambda c: (-len(c), str(c[0]))
    )
    boxes: list[tuple[dict[Any, tuple[float, float]], float, float]] = []
    singles = [c[0] for c in comps if len(c) == 1]
    for comp in comps:
        if len(comp) == 1:
            continue
        sub = U.subgraph(comp)
        raw = nx.spring_layout(sub, seed=seed, k=1.5 / math.sqrt(len(comp)), iterations=100)
        half = 0.9 * math.sqrt(len(comp)) + 0.3
        xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        local = {
            v: ((x - min(xs)) / span * 2 * half, (y - min(ys)) / span * 2 * half) for v, (x, y) in raw.items()
        }
        boxes.append((local, max(p[0] for p in local.values()), max(p[1] for p in local.values())))
    if singles:
        side = math.ceil(math.sqrt(len(singles)))
        boxes.append(
            ({v: (float(i % side), float(-(i // side))) for i, v in enumerate(singles)}, side - 1.0, 0.0)
        )
    area = sum((w + gap) * (h + gap) for _, w, h in boxes)
    width = max(math.sqrt(area) * 1.3, max((w for _, w, _ in boxes), default=0.0))
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row = 0.0
    for local, w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row = 0.0, y - row - gap, 0.0
        top = max((p[1] for p in local.values()), default=0.0)
        for v, (px, py) in local.items():
            pos[v] = (x + px, y - (top - py))
        x += w + gap
        row = max(row, h if h else max((top - p[1] for p in local.values()), default=0.0))
    return pos


def _has_numpy() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def _positions(U: nx.Graph, seed: int, spacing: float) -> dict[Any, tuple[float, float]]:
    """Layout scaled so that the typical distance between near nodes is ``spacing``."""
    pos = force_layout(U, seed=seed)
    if len(pos) < 2:
        return pos
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    area = max((max(xs) - min(xs)) * (max(ys) - min(ys)), 1e-9)
    scale = spacing / math.sqrt(area / len(pos))
    return {v: (round(x * scale, 1), round(y * scale, 1)) for v, (x, y) in pos.items()}


# ---------------------------------------------------------------------------
# the page


@lru_cache(maxsize=2)
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def _plain(text: str) -> str:
    """The viewer's search form (the same as its script's): NFKC, no quotes or spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTES).lower()


def _keys(names: Collection[str]) -> list[str]:
    """Search keys of names in their own, simplified and traditional script."""
    keys: dict[str, None] = {}
    for name in names:
        for form in (name, _opencc("t2s").convert(name), _opencc("s2t").convert(name)):
            k = _plain(form)
            if k:
                keys[k] = None
    return list(keys)


def _asset(name: str) -> str:
    from importlib.resources import files

    return (files("kg") / "assets" / name).read_text("utf-8")


def _vis_asset(name: str) -> str:
    from importlib.resources import files

    try:
        res = files("pyvis")
        for part in _VIS_DIR:
            res = res / part
        return (res / name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as e:
        raise KgError(
            f"cannot read vis-network from the pyvis package ({e}); "
            "reinstall it with `pip install pyvis==0.3.2`"
        ) from None


def _inline(code: str, tag: str) -> str:
    """Code safe to place inside a ``<script>``/``<style>`` element."""
    import re

    return re.sub(rf"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


def _json_for_html(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _network() -> Any:
    """A pyvis Network whose edge insertion does not scan the node list."""
    try:
        from pyvis.network import Network
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise KgError(f"the viewer needs pyvis ({e}); install it with `pip install pyvis==0.3.2`") from None

    class _Network(Network):  # type: ignore[misc]
        def get_nodes(self) -> Any:
            return self.node_map

    return _Network(directed=True, height="100%", width="100%", cdn_resources="remote")


def _options(*, physics: bool, seed: int, n: int) -> dict[str, Any]:
    label_font = {
        "face": FONT_STACK,
        "size": 14,
        "color": "#1f2328",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
    }
    edge_font = {
        "face": FONT_STACK,
        "size": 11,
        "color": "#59636e",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
        "align": "middle",
    }
    options: dict[str, Any] = {
        "autoResize": True,
        "height": "100%",
        "width": "100%",
        "nodes": {"font": label_font, "borderWidth": 1, "borderWidthSelected": 3},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa4ae", "highlight": "#24292f", "hover": "#24292f", "inherit": False},
            "font": edge_font,
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if physics else False,
            "width": 1,
            "selectionWidth": 2,
        },
        "layout": {"randomSeed": seed, "improvedLayout": physics and n <= 150},
        "interaction": {
            "hover": physics,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": not physics,
        },
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -70,
                "centralGravity": 0.012,
                "springLength": 110,
                "springConstant": 0.08,
                "avoidOverlap": 0.4,
            },
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "工会新闻知识图谱",
    seed: int = 0,
    physics_threshold: int = PHYSICS_THRESHOLD,
    edge_label_limit: int = EDGE_LABEL_LIMIT,
) -> str:
    """The interactive viewer of ``G`` as one self-contained HTML page.

    Parameters
    ----------
    G
        A graph from :func:`kg.graph.to_networkx` (or a cut of it).
    title
        Shown as the page's title and heading (escaped).
    seed
        Seed of the layout (vis-network's or :func:`force_layout`).
    physics_threshold
        Graphs with more nodes get precomputed positions and no physics.
    edge_label_limit
        Graphs with more edges show edge labels only around the selected node.

    Returns
    -------
    str
        The page; the caller writes it (atomically, see :func:`write_viewer`).
    """
    import jinja2
    from markupsafe import Markup

    from . import __version__
    from .graph import pagerank

    U = simple_undirected(G)
    n = G.number_of_nodes()
    physics = 0 < n <= physics_threshold
    if not physics and n and not _has_numpy():
        physics = True  # no numpy for the layout: let the browser lay the graph out
    pr = pagerank(U)
    top = max(pr.values(), default=0.0) or 1.0
    pos = {} if physics else _positions(U, seed, spacing=60.0)

    net = _network()
    counts: dict[str, int] = {}
    info: dict[str, dict[str, Any]] = {}
    for v, d in G.nodes(data=True):
        cls = d.get("class", "")
        counts[cls] = counts.get(cls, 0) + 1
        label = str(d.get("label") or v)
        aliases = list(d.get("aliases") or ())
        extra: dict[str, Any] = {}
        if v in pos:
            extra["x"], extra["y"] = pos[v]
        net.add_node(
            v,
            label=label,
            group=cls,
            size=round(8 + 24 * math.sqrt(pr.get(v, 0.0) / top), 2),
            title=f"{label}（{CLASS_LABELS_ZH.get(cls, cls)}）",
            **extra,
        )
        label_keys = _keys([label])
        info[v] = {
            "cls": cls,
            "iri": d.get("iri", v),
            "aliases": aliases,
            "articles": list(d.get("articles") or ()),
            "kl": label_keys,
            "ka": [k for k in _keys(aliases) if k not in label_keys],
        }
        if d.get("code"):
            info[v]["code"] = d["code"]

    show_labels = G.number_of_edges() <= edge_label_limit
    parallel: dict[frozenset[Any], int] = {}
    edge_info: dict[str, dict[str, Any]] = {}
    for i, (s, o, key, d) in enumerate(G.edges(keys=True, data=True)):
        pair = frozenset((s, o))
        k = parallel.get(pair, 0)
        parallel[pair] = k + 1
        label_zh = str(d.get("label_zh") or d.get("relation") or key)
        extra = {}
        if show_labels:
            extra["label"] = label_zh
        if physics and k:
            extra["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * k}
        if d.get("relation") == "holds":
            extra["dashes"] = True
        eid = f"e{i}"
        net.add_edge(s, o, id=eid, **extra)
        edge_info[eid] = {
            "rel": str(d.get("relation") or key),
            "label_zh": label_zh,
            "evidence": [list(ev) for ev in d.get("evidence") or ()],
        }

    nodes, edges, *_ = net.get_network_data()
    for node in nodes:
        node.pop("shape", None)  # shapes and colours come from the class groups
    for e in edges:
        e.pop("arrows", None)  # arrows come from the global options
    used = {a for i in info.values() for a in i["articles"]} | {
        ev[1] for e in edge_info.values() for ev in e["evidence"]
    }
    articles = {a: meta for a, meta in (G.graph.get("articles") or {}).items() if a in used}
    classes: list[dict[str, Any]] = [
        {
            "cls": c,
            "zh": CLASS_LABELS_ZH.get(c, c),
            "color": STYLE.get(c, _UNKNOWN_STYLE)[0],
            "count": counts[c],
        }
        for c in STYLE
        if c in counts
    ] + [
        {"cls": c, "zh": c, "color": _UNKNOWN_STYLE[0], "count": k}
        for c, k in sorted(counts.items())
        if c not in STYLE
    ]
    options = _options(physics=physics, seed=seed, n=n)
    options["groups"] = {
        c["cls"]: {
            "shape": STYLE.get(c["cls"], _UNKNOWN_STYLE)[1],
            "color": {
                "background": c["color"],
                "border": "#333333",
                "highlight": {"background": c["color"], "border": "#000000"},
                "hover": {"background": c["color"], "border": "#000000"},
            },
        }
        for c in classes
    }
    data = {
        "meta": {"title": title, "physics": physics, "edgeLabels": show_labels, "seed": seed},
        "classes": classes,
        "articles": articles,
        "nodes": nodes,
        "edges": edges,
        "info": info,
        "edgeInfo": edge_info,
        "options": options,
    }
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("viewer.html"))
    return template.render(
        title=title,
        version=__version__,
        data=Markup(_json_for_html(data)),
        vis_css=Markup(_inline(_vis_asset("vis-network.css"), "style")),
        vis_js=Markup(_inline(_vis_asset("vis-network.min.js"), "script")),
        app_css=Markup(_inline(_asset("viewer.css"), "style")),
        app_js=Markup(_inline(_asset("viewer.js"), "script")),
    )


# ---------------------------------------------------------------------------
# pictures


def _cjk_font() -> str | None:
    """The family name of an installed CJK font known to matplotlib, if any."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for want in _CJK_FONTS:
        for name in sorted(names):
            if (
                name == want
                or name.startswith(want + " ")
                or (want.endswith("CJK") and name.startswith(want))
            ):
                return name
    return None


def render_picture(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    fmt: str = "png",
    *,
    seed: int = 0,
    title: str | None = None,
    max_labels: int = 60,
) -> Path:
    """Draw ``G`` as a PNG or SVG file with matplotlib (no display needed).

    Node colours and markers follow :data:`STYLE`, with a legend; sizes follow
    PageRank.  Chinese needs a CJK font (e.g. Debian's fonts-noto-cjk): when
    none is found a :class:`RuntimeWarning` says so and labels may show as
    boxes.  The file is written atomically.
    """
    import matplotlib
    import networkx as nx
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from .graph import pagerank
    from .store import atomic_writer

    fmt = fmt.lower()
    if fmt not in ("png", "svg"):
        raise InputError(f"unknown picture format {fmt!r}; use png or svg")
    target = Path(path)
    U = simple_undirected(G)
    n = U.number_of_nodes()
    pos = packed_layout(U, seed=seed) if n <= PHYSICS_THRESHOLD else force_layout(U, seed=seed)
    pr = pagerank(U)
    top = max(pr.values(), default=0.0) or 1.0
    labelled = set(sorted(U, key=lambda v: (-pr.get(v, 0.0), str(v)))[:max_labels])

    family = _cjk_font()
    if family is None:
        warnings.warn(
            "no CJK font found by matplotlib (install fonts-noto-cjk); Chinese labels may show as boxes",
            RuntimeWarning,
            stacklevel=2,
        )
    families = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    side = min(8 + math.sqrt(n) * 0.6, 30)
    with matplotlib.rc_context({"font.family": families, "svg.fonttype": "path"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        fig = Figure(figsize=(side, side * 0.75))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_axis_off()
        if U.number_of_edges():
            nx.draw_networkx_edges(U, pos, ax=ax, edge_color="#9aa4ae", width=0.8, alpha=0.7, arrows=False)
        present: list[str] = []
        for cls in [*STYLE, *sorted({d.get("class", "") for _, d in G.nodes(data=True)} - set(STYLE))]:
            members = [v for v, d in G.nodes(data=True) if d.get("class", "") == cls]
            if not members:
                continue
            present.append(cls)
            colour, _, marker = STYLE.get(cls, _UNKNOWN_STYLE)
            nx.draw_networkx_nodes(
                U,
                pos,
                nodelist=members,
                ax=ax,
                node_color=colour,
                node_shape=marker,
                node_size=[40 + 460 * math.sqrt(pr.get(v, 0.0) / top) for v in members],
                edgecolors="#333333",
                linewidths=0.5,
            )
        for v in labelled:
            x, y = pos[v]
            radius = math.sqrt(40 + 460 * math.sqrt(pr.get(v, 0.0) / top)) / 2
            ax.annotate(
                str(G.nodes[v].get("label", v)),
                (x, y),
                xytext=(0, -radius - 2),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
                color="#1f2328",
            )
        if G.number_of_edges() <= 80:
            seen: set[frozenset[Any]] = set()
            for s, o, d in G.edges(data=True):
                pair = frozenset((s, o))
                if pair in seen or s == o:
                    continue
                seen.add(pair)
                (x1, y1), (x2, y2) = pos[s], pos[o]
                ax.text(
                    (x1 + x2) / 2, (y1 + y2) / 2, str(d.get("label_zh", "")), fontsize=6, color="#59636e",
                    ha="center", va="center",
                )  # fmt: skip
        handles = [
            Line2D(
                [],
                [],
                linestyle="",
                marker=STYLE.get(c, _UNKNOWN_STYLE)[2],
                markersize=8,
                markerfacecolor=STYLE.get(c, _UNKNOWN_STYLE)[0],
                markeredgecolor="#333333",
                label=f"{CLASS_LABELS_ZH.get(c, c)} {c}",
            )  # fmt: skip
            for c in present
        ]
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
        if not n:
            ax.text(0.5, 0.5, "图中没有实体 · the graph has no entities", ha="center", va="center")
        if title:
            ax.set_title(title, fontsize=14)
        with atomic_writer(target, "wb") as f:
            fig.savefig(
                f, format=fmt, dpi=150 if fmt == "png" else 72, bbox_inches="tight", facecolor="white"
            )
    return target


# ---------------------------------------------------------------------------
# the entry point of `kg build` and `kg viz`

_FORMATS = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg"}


def write_viewer(
    build_dir: str | os.PathLike[str], path: str | os.PathLike[str] | None = None, **options: Any
) -> Path:
    """Write the viewer (or a picture) of a build; return the file written.

    Parameters
    ----------
    build_dir
        The build directory.
    path
        Where to write.  By default ``build_dir/graph.html`` (or
        ``graph.png``/``graph.svg``), which is rewritten freely since it is a
        build file; a path given here is never overwritten unless
        ``force=True``.
    **options
        ``fmt`` (``html``, ``png`` or ``svg``; by default from ``path``'s
        suffix, else ``html``), ``top`` (keep the N most central nodes),
        ``focus`` and ``radius`` (the ego network of a named node),
        ``classes`` (keep these classes), ``articles`` (add article nodes),
        ``seed``, ``title``, ``force``, ``physics_threshold``, and ``store``:
        an open ``pyoxigraph.Store`` to read instead of ``build_dir/store``
        (the build pipeline passes the store it has just written).
    """
    from .graph import to_networkx
    from .store import atomic_write_text, read_manifest

    known = {
        "fmt",
        "top",
        "focus",
        "radius",
        "classes",
        "articles",
        "seed",
        "title",
        "force",
        "physics_threshold",
        "store",
    }
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"write_viewer() got unexpected options: {', '.join(unknown)}")
    store = options.get("store")
    if store is None:
        read_manifest(build_dir)  # a missing or foreign directory fails here, before anything else
    fmt = options.get("fmt")
    target = Path(path) if path is not None else None
    if fmt is None:
        fmt = _FORMATS.get(target.suffix.lower(), "html") if target is not None else "html"
    fmt = str(fmt).lower()
    if fmt not in ("html", "png", "svg"):
        raise InputError(f"unknown format {fmt!r}; use html, png or svg")
    if target is None:
        target = Path(build_dir) / f"graph.{fmt}"
    elif target.exists() and not options.get("force"):
        raise OutputError(f"{target}: already exists; choose another -o or pass --force to overwrite it")
    if target.exists() and target.is_dir():
        raise OutputError(f"{target}: is a directory")
    if not target.parent.is_dir():
        raise OutputError(f"{target.parent}: no such directory")

    classes = options.get("classes")
    G = to_networkx(build_dir if store is None else store, articles=bool(options.get("articles")))
    G = subgraph(
        G,
        focus=options.get("focus"),
        radius=int(options.get("radius", 2)),
        classes=classes,
        top=options.get("top"),
    )
    seed = int(options.get("seed") or 0)
    title = options.get("title") or _default_title(G)
    try:
        if fmt == "html":
            page = render_html(
                G,
                title=title,
                seed=seed,
                physics_threshold=int(options.get("physics_threshold") or PHYSICS_THRESHOLD),
            )
            atomic_write_text(target, page)
        else:
            render_picture(G, target, fmt, seed=seed, title=title)
    except PermissionError as e:
        raise OutputError(f"{target}: cannot write ({e.strerror})") from None
    return target


def _default_title(G: nx.MultiDiGraph) -> str:
    focus = G.graph.get("focus")
    if focus:
        return f"工会新闻知识图谱 · {focus['label']}（{focus['radius']} 跳）"
    return "工会新闻知识图谱"
