"""Pictures of the knowledge graph: an offline interactive page and PNG/SVG.

:func:`render_html` returns a self-contained HTML page: the vis-network
library shipped inside the pyvis package, the page's own script and
stylesheet (``kg/network/assets/``) and the graph data are all inlined, so the page
opens from a local file with no network at all.  The data travels as JSON in
a ``<script type="application/json">`` block and is put into the page with
``textContent`` only, so a name or sentence that happens to contain markup is
shown, never run.

The layout shows structure rather than a disc of markers
(:func:`structure_layout`): every connected component is laid out on its
own with NetworkX's ForceAtlas2, components of more than
:data:`LAYOUT_BLOCK` nodes community by community (Louvain), and the
components are packed in rows, largest first.  Entities with no relation are
not part of the drawing: the page keeps them behind a toggle, the pictures
list them.  The page's script re-packs the components of whatever the class
filters leave (each keeps its shape from the full layout), so hiding a class,
places for instance, closes the holes it leaves.  Small components are grouped
by the article they come from, under its headline.

Labels are drawn by the page itself at a fixed size on screen (12–14 px),
most central first, each only where it does not overlap a label already
drawn: the hubs are legible at the first view and the rest appear as one
zooms in.  Centrality is PageRank over the actors (:func:`kg.network.graph.actors`);
places are context, drawn small and labelled last.

:func:`render_picture` draws a static PNG or SVG with matplotlib, in a CJK
font found through matplotlib's font manager, with the same layout and the
same rule for labels.

:func:`write_viewer` is what ``kg build`` and ``kg viz`` call.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import unicodedata
import warnings
from collections import Counter
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, KgError, OutputError
from .graph import (
    ARTICLE,
    CLASS_LABELS_ZH,
    PLACE,
    actors,
    communities,
    ordered_subgraph,
    pagerank,
    simple_undirected,
    subgraph,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "FONT_STACK",
    "LAYOUT_BLOCK",
    "STYLE",
    "node_sizes",
    "pack",
    "render_html",
    "render_picture",
    "structure_layout",
    "write_viewer",
]

#: CJK-safe font stack of the page; no web font is downloaded.
FONT_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

#: Components larger than this are laid out one Louvain community at a time.
LAYOUT_BLOCK = 300
#: Above this many edges, edge labels are shown only around the selected node.
EDGE_LABEL_LIMIT = 600
#: Canvas units between two linked nodes (the median edge length of the layout).
UNIT = 100.0
#: Components of at most this many nodes are grouped under their article's headline.
GROUP_MAX = 30

#: class → (colour, vis-network shape, matplotlib marker)
STYLE: dict[str, tuple[str, str, str]] = {
    "TradeUnion": ("#d62728", "dot", "o"),
    "Enterprise": ("#1f77b4", "square", "s"),
    "GovernmentBody": ("#9467bd", "diamond", "D"),
    "OtherOrganization": ("#8c8c8c", "dot", "o"),
    "Person": ("#ff7f0e", "triangle", "^"),
    "Program": ("#2ca02c", "hexagon", "h"),
    "Place": ("#a1887f", "triangleDown", "v"),
    "WorkerGroup": ("#17becf", "dot", "o"),
    "Award": ("#e6b000", "star", "*"),
    ARTICLE: ("#b0b0b0", "square", "s"),
}
_UNKNOWN_STYLE = ("#999999", "dot", "o")
#: relations between an entity and its context: drawn light
_CONTEXT_RELATIONS = frozenset({"locatedIn", "partOf", "mentionedIn", "byline"})
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


def _normalised(pos: dict[Any, Any], edges: Sequence[tuple[Any, Any]]) -> dict[Any, tuple[float, float]]:
    """Centre ``pos`` on its centroid and scale it so that the median edge is one unit long."""
    if not pos:
        return {}
    lengths = [math.dist(pos[a], pos[b]) for a, b in edges if a != b]
    unit = statistics.median(lengths) if lengths else 1.0
    unit = unit if unit > 1e-9 else 1.0
    cx = sum(float(p[0]) for p in pos.values()) / len(pos)
    cy = sum(float(p[1]) for p in pos.values()) / len(pos)
    return {v: ((float(p[0]) - cx) / unit, (float(p[1]) - cy) / unit) for v, p in pos.items()}


#: Below this many nodes a component is laid out by Fruchterman–Reingold, whose
#: evenly long edges suit a few dozen nodes and which costs a few milliseconds
#: (a ForceAtlas2 run costs tens, whatever the size).
_SMALL = 40


def _fa2(U: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """ForceAtlas2 (NetworkX) with node sizes, so that the neighbours of a hub do not pile up;
    Fruchterman–Reingold (NetworkX) below :data:`_SMALL` nodes; then nodes closer than 0.84 are pushed apart."""
    import networkx as nx
    import numpy as np

    n = U.number_of_nodes()
    if n == 1:
        return {next(iter(U)): (0.0, 0.0)}
    if n == 2:
        a, b = sorted(U, key=str)
        return {a: (-0.5, 0.0), b: (0.5, 0.0)}
    if n < _SMALL:
        pos = nx.spring_layout(U, seed=seed, iterations=60)
    else:
        pos = nx.forceatlas2_layout(U, seed=seed, max_iter=80, node_size=dict.fromkeys(U, 0.5), weight="weight")
    pos = _normalised(pos, list(U.edges()))
    nodes = list(pos)
    spread = _separate(np.array([pos[v] for v in nodes], dtype=float), np.full(len(nodes), 0.42), iterations=30)
    return {v: (float(spread[i][0]), float(spread[i][1])) for i, v in enumerate(nodes)}


def _parts(U: nx.Graph, seed: int, block: int) -> list[list[Any]]:
    """Louvain communities of ``U``, split again until none has more than ``block`` nodes."""
    out: list[list[Any]] = []
    todo = communities(U, seed=seed)
    while todo:
        part = todo.pop()
        if len(part) <= block:
            out.append(part)
            continue
        sub = communities(ordered_subgraph(U, part), seed=seed)
        if len(sub) > 1:
            todo.extend(sub)
        else:  # one dense block: cut it in slices
            out.extend(part[i : i + block] for i in range(0, len(part), block))
    return sorted(out, key=lambda c: (-len(c), str(c[0])))


def _separate(centres: Any, radii: Any, iterations: int = 200) -> Any:
    """Push discs apart until none overlaps (centres: k×2 array, radii: k array)."""
    import numpy as np

    pos = centres.copy()
    need = radii[:, None] + radii[None, :]
    for _ in range(iterations):
        diff = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        overlap = need - dist
        np.fill_diagonal(overlap, 0.0)
        if (overlap <= 1e-6).all():
            break
        push = np.where(overlap > 0, overlap / 2 / np.maximum(dist, 1e-9), 0.0)
        pos += (diff * push[:, :, None]).sum(axis=1)
    return pos


def component_layout(U: nx.Graph, *, seed: int = 0, block: int = LAYOUT_BLOCK) -> dict[Any, tuple[float, float]]:
    """Positions of one connected graph, median edge one unit long.

    Up to ``block`` nodes: ForceAtlas2.  Larger: each Louvain community is
    laid out on its own and drawn as a disc; the graph of communities is laid
    out with ForceAtlas2 and the discs are pushed apart until none overlaps,
    so each community's nodes stay together.  The cost is that of
    ForceAtlas2 on ``block`` nodes per community, not on the whole graph.
    """
    import networkx as nx
    import numpy as np

    if U.number_of_nodes() <= block:
        return _fa2(U, seed)
    parts = _parts(U, seed, block)
    local = [_fa2(ordered_subgraph(U, p), seed) for p in parts]
    radii = np.array([max(math.hypot(x, y) for x, y in lp.values()) + 1.0 for lp in local])
    which = {v: i for i, p in enumerate(parts) for v in p}
    Q = nx.Graph()
    Q.add_nodes_from(range(len(parts)))
    for a, b in U.edges():
        i, j = which[a], which[b]
        if i != j:
            Q.add_edge(i, j, weight=Q[i][j]["weight"] + 1 if Q.has_edge(i, j) else 1)
    qpos = nx.forceatlas2_layout(Q, seed=seed, max_iter=300, weight="weight", node_size=dict(enumerate(radii)))
    centres = np.array([qpos[i] for i in range(len(parts))], dtype=float)
    centres -= centres.mean(axis=0)
    span = float(np.abs(centres).max()) or 1.0
    centres *= 2.0 * float(np.sqrt((radii**2).sum())) / span  # about the area the discs need
    centres = _separate(centres, radii)
    return {v: (float(centres[i][0] + x), float(centres[i][1] + y)) for i, lp in enumerate(local)
            for v, (x, y) in lp.items()}  # fmt: skip


def _shelf(
    boxes: Sequence[tuple[float, float]], width: float, gap: float
) -> tuple[list[tuple[float, float]], float, float]:
    out: list[tuple[float, float]] = []
    x = y = row = right = 0.0
    for w, h in boxes:
        if x > 0 and x + w > width + 1e-9:
            x, y, row = 0.0, y + row + gap, 0.0
        out.append((x, y))
        x += w + gap
        right = max(right, x - gap)
        row = max(row, h)
    return out, right, y + row


def pack(
    boxes: Sequence[tuple[float, float]], *, aspect: float = 1.6, gap: float = 1.0
) -> list[tuple[float, float]]:
    """Top-left corners for boxes ``(width, height)``, in rows about ``aspect`` times as wide as tall.

    The boxes are placed in the order given, left to right, a new row
    starting when the next box would pass the row width (shelf packing); of
    a few row widths around the square root of ``aspect`` times the boxes'
    area, the one whose result fits a frame of that aspect best is kept.
    The page's script packs with the same rule.

    >>> pack([(2, 1), (2, 1), (2, 1), (2, 1)], aspect=2.0, gap=0.0)
    [(0.0, 0.0), (2.0, 0.0), (0.0, 1.0), (2.0, 1.0)]
    """
    area = sum((w + gap) * (h + gap) for w, h in boxes)
    widest = max((w for w, _ in boxes), default=0.0)
    base = math.sqrt(area * aspect)
    best, best_width = -1.0, widest
    for k in range(13):
        width = max(base * (0.6 + 0.1 * k), widest)
        _, w, h = _shelf(boxes, width, gap)
        fit = min(aspect / max(w, 1e-9), 1 / max(h, 1e-9))
        if fit > best + 1e-12:
            best, best_width = fit, width
    return _shelf(boxes, best_width, gap)[0]


def structure_layout(
    U: nx.Graph, *, seed: int = 0, aspect: float = 1.6, block: int = LAYOUT_BLOCK
) -> dict[Any, tuple[float, float]]:
    """Positions of the nodes of ``U`` that have a neighbour, one component beside the other.

    Each connected component is laid out by :func:`component_layout`; the
    components are packed in rows by :func:`pack`, largest first, one unit
    apart.  Isolated nodes get no position.  The same graph and seed give
    the same positions.
    """
    import networkx as nx

    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(U) if len(c) > 1), key=lambda c: (-len(c), str(c[0]))
    )
    local = [component_layout(ordered_subgraph(U, c), seed=seed, block=block) for c in comps]
    boxes = []
    for lp in local:
        xs, ys = [p[0] for p in lp.values()], [p[1] for p in lp.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    corners = pack([(w, h) for _, _, w, h in boxes], aspect=aspect, gap=1.0)
    pos: dict[Any, tuple[float, float]] = {}
    for lp, (x0, y0, _, _), (cx, cy) in zip(local, boxes, corners, strict=True):
        for v, (x, y) in lp.items():
            pos[v] = (cx + x - x0, cy + y - y0)
    return pos


def node_sizes(G: nx.MultiDiGraph, rank: dict[Any, float]) -> dict[Any, float]:
    """Radius of each node in layout units: 0.08 to 0.3 by PageRank; places and articles 0.06."""
    top = max(rank.values(), default=0.0) or 1.0
    return {
        v: 0.06 if d.get("class") in (PLACE, ARTICLE) else round(0.08 + 0.22 * math.sqrt(rank.get(v, 0.0) / top), 3)
        for v, d in G.nodes(data=True)
    }


def _rank(G: nx.MultiDiGraph) -> dict[Any, float]:
    """PageRank over the actors; context nodes get 0."""
    return pagerank(simple_undirected(actors(G)))


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

    return (files("kg.network") / "assets" / name).read_text("utf-8")


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


def _options(*, n_nodes: int, n_edges: int, seed: int) -> dict[str, Any]:
    edge_font = {
        "face": FONT_STACK,
        "size": 11,
        "color": "#59636e",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
        "align": "middle",
    }
    big = n_nodes > 2000 or n_edges > 4000
    return {
        "autoResize": True,
        "height": "100%",
        "width": "100%",
        # node names are drawn by the page's script (fixed size on screen, no overlaps)
        "nodes": {"font": {"size": 0}, "borderWidth": 1, "borderWidthSelected": 3},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": "#8c959f", "highlight": "#24292f", "hover": "#24292f", "inherit": False},
            "font": edge_font,
            "scaling": {"label": {"drawThreshold": 9, "maxVisible": 13}},
            "smooth": False,
            "width": 1.4,
            "selectionWidth": 2,
        },
        "layout": {"randomSeed": seed, "improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
    }


def _article_order(G: nx.MultiDiGraph, used: Collection[str]) -> list[str]:
    arts = G.graph.get("articles") or {}

    def key(a: str) -> tuple[str, str, int, str]:
        m = arts.get(a) or {}
        pos = m.get("position")
        return (str(m.get("date") or ""), str(m.get("source") or ""), -1 if pos is None else int(pos), a)

    return sorted(used, key=key)


def _article_title(iri: str, meta: dict[str, Any]) -> str:
    """《headline》, or the source file's name and the article's number when it has no headline."""
    if meta.get("headline"):
        return f"《{meta['headline']}》"
    where = str(meta.get("source") or "").replace("\\", "/").rsplit("/", 1)[-1] or iri.rsplit("/", 2)[-2]
    pos = meta.get("position")
    return f"{where} · 第{int(pos) + 1}篇" if pos is not None else where


def _scaled(pos: dict[Any, tuple[float, float]]) -> dict[Any, list[float]]:
    return {v: [round(x, 2), round(y, 2)] for v, (x, y) in pos.items()}


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "工会新闻知识图谱",
    seed: int = 0,
    edge_label_limit: int = EDGE_LABEL_LIMIT,
    articles_shown: bool = True,
) -> str:
    """The interactive viewer of ``G`` as one self-contained HTML page.

    Parameters
    ----------
    G
        A graph from :func:`kg.network.graph.to_networkx` (or a cut of it).
    title
        Shown as the page's title and heading (escaped).
    seed
        Seed of the layout (:func:`structure_layout`).
    edge_label_limit
        Graphs with more edges show edge labels only around the selected node.
    articles_shown
        Whether article nodes (``articles=True`` graphs) are shown at first.

    Returns
    -------
    str
        The page; the caller writes it (atomically, see :func:`write_viewer`).
    """
    import jinja2
    from markupsafe import Markup

    from .._version import __version__

    used = sorted({a for _, d in G.nodes(data=True) for a in d.get("articles") or ()})
    art_list = _article_order(G, used)
    nodes, info, counts = _page_nodes(G, seed, {a: i for i, a in enumerate(art_list)})
    show_labels = G.number_of_edges() <= edge_label_limit
    edges, edge_info = _page_edges(G, show_labels)
    used_arts = set(used) | {ev[1] for e in edge_info.values() for ev in e["evidence"]}
    articles = {a: meta for a, meta in (G.graph.get("articles") or {}).items() if a in used_arts}
    classes = _legend(counts)
    options = _options(n_nodes=G.number_of_nodes(), n_edges=G.number_of_edges(), seed=seed)
    options["groups"] = _groups(classes)
    data = {
        "meta": {
            "title": title,
            "edgeLabels": show_labels,
            "seed": seed,
            "unit": UNIT,
            "font": FONT_STACK,
            "hubs": max(5, min(12, len(nodes) // 10)),
            "groupMax": GROUP_MAX,
            "articlesShown": articles_shown,
        },
        "classes": classes,
        "articles": articles,
        "articleList": [{"iri": a, "title": _article_title(a, articles.get(a) or {})} for a in art_list],
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


def _page_nodes(
    G: nx.MultiDiGraph, seed: int, art_index: dict[str, int]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], Counter[str]]:
    """The page's nodes (drawn: size, place, first article), their details (shown on selection) and class counts."""
    rank = _rank(G)
    size = node_sizes(G, rank)
    layout = _scaled(structure_layout(simple_undirected(G), seed=seed))
    counts: Counter[str] = Counter()
    nodes: list[dict[str, Any]] = []
    info: dict[str, dict[str, Any]] = {}
    for v, d in G.nodes(data=True):
        cls = d.get("class", "")
        counts[cls] += 1
        label = str(d.get("label") or v)
        aliases = list(d.get("aliases") or ())
        arts = [art_index[a] for a in d.get("articles") or () if a in art_index]
        nodes.append({
            "id": v,
            "label": label,
            "group": cls,
            "size": round(size[v] * UNIT, 1),
            "title": f"{label}（{CLASS_LABELS_ZH.get(cls, cls)}）",
            "r": round(rank.get(v, 0.0), 6),
            "ctx": int(cls in (PLACE, ARTICLE)),
            "a": min(arts) if arts else -1,
            "p": layout.get(v),
        })  # fmt: skip
        label_keys = _keys([label])
        info[v] = {
            "cls": cls,
            "iri": d.get("iri", v),
            "aliases": aliases,
            "articles": list(d.get("articles") or ()),
            "figures": list(d.get("figures") or ()),
            "kl": label_keys,
            "ka": [k for k in _keys(aliases) if k not in label_keys],
        }
        if d.get("code"):
            info[v]["code"] = d["code"]
    return nodes, info, counts


def _page_edges(G: nx.MultiDiGraph, show_labels: bool) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The page's edges (parallel ones curved apart, posts dashed, context links light) and their evidence."""
    parallel: dict[frozenset[Any], int] = {}
    edges: list[dict[str, Any]] = []
    edge_info: dict[str, dict[str, Any]] = {}
    for i, (s, o, key, d) in enumerate(G.edges(keys=True, data=True)):
        pair = frozenset((s, o))
        k = parallel.get(pair, 0)
        parallel[pair] = k + 1
        rel = str(d.get("relation") or key)
        label_zh = str(d.get("label_zh") or rel)
        edge: dict[str, Any] = {"id": f"e{i}", "from": s, "to": o}
        if show_labels:
            edge["label"] = label_zh
        if k:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * k}
        if rel == "holds":
            edge["dashes"] = True
        if rel in _CONTEXT_RELATIONS:
            edge["color"] = {"color": "#c9ced4", "highlight": "#24292f", "hover": "#24292f"}
            edge["width"] = 1
        edges.append(edge)
        edge_info[edge["id"]] = {
            "rel": rel,
            "label_zh": label_zh,
            "evidence": [list(ev) for ev in d.get("evidence") or ()],
        }
    return edges, edge_info


def _legend(counts: Counter[str]) -> list[dict[str, Any]]:
    """The classes present, in :data:`STYLE` order then by name, with colour, shape and count."""
    return [
        {
            "cls": c,
            "zh": CLASS_LABELS_ZH.get(c, c),
            "color": STYLE.get(c, _UNKNOWN_STYLE)[0],
            "shape": STYLE.get(c, _UNKNOWN_STYLE)[1],
            "count": counts[c],
        }
        for c in STYLE
        if c in counts
    ] + [
        {"cls": c, "zh": c, "color": _UNKNOWN_STYLE[0], "shape": _UNKNOWN_STYLE[1], "count": k}
        for c, k in sorted(counts.items())
        if c not in STYLE
    ]


def _groups(classes: list[dict[str, Any]]) -> dict[str, Any]:
    """vis-network's look of each class: its shape and colours."""
    return {
        c["cls"]: {
            "shape": c["shape"],
            "color": {
                "background": c["color"],
                "border": "#333333",
                "highlight": {"background": c["color"], "border": "#000000"},
                "hover": {"background": c["color"], "border": "#000000"},
            },
        }
        for c in classes
    }


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


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def render_picture(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    fmt: str = "png",
    *,
    seed: int = 0,
    title: str | None = None,
    max_labels: int = 80,
    report: dict[str, Any] | None = None,
) -> Path:
    """Draw ``G`` as a PNG or SVG file with matplotlib (no display needed).

    The layout is :func:`structure_layout`; node colours and markers follow
    :data:`STYLE`, with a legend; sizes follow PageRank over the actors.  Up
    to ``max_labels`` names are written, most central first, each only where
    it overlaps no name already written (below, above, right or left of its
    node).  Entities with no relation are not drawn: they are counted and
    named under the picture.  Chinese needs a CJK font (e.g. Debian's
    fonts-noto-cjk): when none is found a :class:`RuntimeWarning` says so
    and labels may show as boxes.  The file is written atomically.

    A dict passed as ``report`` receives ``labels`` (each name written, with
    its box in figure pixels) and ``not_drawn`` (the names of the entities
    with no relation).
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..store import atomic_writer

    fmt = fmt.lower()
    if fmt not in ("png", "svg"):
        raise InputError(f"unknown picture format {fmt!r}; use png or svg")
    target = Path(path)
    pos = structure_layout(simple_undirected(G), seed=seed)
    shown = [v for v in G if v in pos]
    alone = sorted((v for v in G if v not in pos), key=lambda v: (str(G.nodes[v].get("class")), str(v)))
    if report is not None:
        report["labels"] = []
        report["not_drawn"] = [str(G.nodes[v].get("label", v)) for v in alone]
    rank = _rank(G)
    size = node_sizes(G, rank)
    order = sorted(shown, key=lambda v: (G.nodes[v].get("class") in (PLACE, ARTICLE), -rank.get(v, 0.0), str(v)))

    family = _cjk_font()
    if family is None:
        warnings.warn(
            "no CJK font found by matplotlib (install fonts-noto-cjk); Chinese labels may show as boxes",
            RuntimeWarning,
            stacklevel=2,
        )
    families = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    width, height, dpi = _picture_size(pos, len(shown))
    with matplotlib.rc_context({"font.family": families, "svg.fonttype": "path"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        fig = Figure(figsize=(width, height + (0.6 if alone else 0.0)))
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.06 if alone else 0.01, 0.82, 0.9 if alone else 0.95))
        points_per_unit = _frame(ax, pos)
        _draw_edges(ax, G, pos)
        present = _draw_nodes(ax, G, shown, pos, {v: 2 * size[v] * points_per_unit for v in shown})
        labels = _place_labels(ax, canvas.get_renderer(), G, order, pos, size, points_per_unit, max_labels)
        if report is not None:
            report["labels"].extend(labels)
        if present:
            ax.legend(handles=_legend_handles(present), loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                      fontsize=9)  # fmt: skip
        if not G.number_of_nodes():
            ax.text(0.5, 0.5, "图中没有实体 · the graph has no entities", ha="center", va="center",
                    transform=ax.transAxes)  # fmt: skip
        if alone:
            fig.text(0.01, 0.01, _not_drawn_note(G, alone, int(width * 9)), fontsize=7, color="#59636e", va="bottom")
        if title:
            fig.suptitle(title, fontsize=14)
        with atomic_writer(target, "wb") as f:
            fig.savefig(f, format=fmt, dpi=dpi if fmt == "png" else 72, facecolor="white", bbox_inches="tight",
                        pad_inches=0.2)
    return target


def _picture_size(pos: dict[Any, tuple[float, float]], shown: int) -> tuple[float, float, int]:
    """Width and height in inches (the layout's proportions, 8 to 24 across) and the PNG's dots per inch."""
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x, span_y = max(xs) - min(xs) + 2, max(ys) - min(ys) + 2
    width = min(max(8.0, 1.6 * math.sqrt(shown + 1)), 24.0)
    height = min(max(4.0, width * span_y / span_x), 24.0)
    dpi = 150 if width <= 12 else int(1800 / width)  # at most about 3600 pixels across
    return width, height, dpi


def _frame(ax: Any, pos: dict[Any, tuple[float, float]]) -> float:
    """Fit the axes to the layout (y pointing down, one unit as long both ways); return points per layout unit."""
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    ax.set_axis_off()
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(max(ys) + 1, min(ys) - 1)  # the page's y axis points down
    ax.set_aspect("equal", adjustable="box")
    ax.apply_aspect()
    points_per_unit = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    return float(points_per_unit * (72.0 / ax.figure.dpi))


def _draw_edges(ax: Any, G: nx.MultiDiGraph, pos: dict[Any, tuple[float, float]]) -> None:
    """One line per relation: posts dashed, links to context light."""
    for s, o, d in G.edges(data=True):
        if s not in pos or o not in pos or s == o:
            continue
        rel = d.get("relation")
        (x1, y1), (x2, y2) = pos[s], pos[o]
        ax.plot(
            [x1, x2], [y1, y2], zorder=1,
            color="#c9ced4" if rel in _CONTEXT_RELATIONS else "#8c959f",
            linewidth=0.7 if rel in _CONTEXT_RELATIONS else 1.0,
            linestyle=(0, (4, 3)) if rel == "holds" else "-",
        )  # fmt: skip


def _draw_nodes(
    ax: Any, G: nx.MultiDiGraph, shown: list[Any], pos: dict[Any, tuple[float, float]], diameter: dict[Any, float]
) -> list[str]:
    """The markers, one scatter per class (``diameter`` in points); return the classes drawn, in legend order."""
    present: list[str] = []
    for cls in [*STYLE, *sorted({str(d.get("class", "")) for _, d in G.nodes(data=True)} - set(STYLE))]:
        members = [v for v in shown if G.nodes[v].get("class", "") == cls]
        if not members:
            continue
        present.append(cls)
        colour, _, marker = STYLE.get(cls, _UNKNOWN_STYLE)
        ax.scatter(
            [pos[v][0] for v in members], [pos[v][1] for v in members], zorder=2,
            s=[diameter[v] ** 2 for v in members],
            c=colour, marker=marker, edgecolors="#333333", linewidths=0.5,
        )  # fmt: skip
    return present


def _place_labels(
    ax: Any,
    renderer: Any,
    G: nx.MultiDiGraph,
    order: list[Any],
    pos: dict[Any, tuple[float, float]],
    size: dict[Any, float],
    points_per_unit: float,
    max_labels: int,
) -> list[tuple[str, tuple[float, ...]]]:
    """Write names in ``order`` where they overlap no other name and no other marker; return each with its box."""
    from matplotlib.transforms import Bbox

    pixels_per_unit = points_per_unit * ax.figure.dpi / 72.0
    markers: dict[Any, Any] = {}
    for v in order:  # every marker is an obstacle for the names of the others
        cx, cy = ax.transData.transform(pos[v])
        r = size[v] * pixels_per_unit
        markers[v] = Bbox.from_extents(cx - r, cy - r, cx + r, cy + r)
    taken: list[Any] = []
    written: list[tuple[str, tuple[float, ...]]] = []
    frame = ax.get_window_extent(renderer)  # names stay inside the plot, clear of the legend beside it
    for v in order:
        if len(written) >= max_labels:
            break
        x, y = pos[v]
        r = size[v] * points_per_unit + 2
        context = G.nodes[v].get("class") in (PLACE, ARTICLE)
        text = str(G.nodes[v].get("label", v))
        text = text if len(text) <= 16 else text[:15] + "…"
        for dx, dy, ha, va in ((0, -r, "center", "top"), (0, r, "center", "bottom"),
                               (r + 2, 0, "left", "center"), (-r - 2, 0, "right", "center")):  # fmt: skip
            t = ax.annotate(
                text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, zorder=3,
                fontsize=7 if context else 8.5, color="#6e5a4f" if context else "#1f2328",
                fontweight="bold" if len(written) < 10 and not context else "normal",
            )  # fmt: skip
            box = t.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in taken) and not any(
                box.overlaps(m) for u, m in markers.items() if u != v
            ):
                taken.append(box)
                written.append((text, tuple(box.extents)))
                break
            t.remove()
    return written


def _not_drawn_note(G: nx.MultiDiGraph, alone: list[Any], width: int) -> str:
    """The line under the picture naming the entities with no relation (at most 60), wrapped at ``width``."""
    names = "、".join(str(G.nodes[v].get("label", v)) for v in alone[:60]) + (" …" if len(alone) > 60 else "")
    return _wrap(f"没有关系、未画出的实体 entities with no relation, not drawn ({len(alone)}): {names}", width)


def _legend_handles(present: list[str]) -> list[Any]:
    """Legend entries: the classes drawn, then the three kinds of line."""
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], linestyle="", marker=STYLE.get(c, _UNKNOWN_STYLE)[2], markersize=8,
               markerfacecolor=STYLE.get(c, _UNKNOWN_STYLE)[0], markeredgecolor="#333333",
               label=f"{CLASS_LABELS_ZH.get(c, c)} {c}")
        for c in present
    ] + [
        Line2D([], [], color="#8c959f", label="关系 relation"),
        Line2D([], [], color="#8c959f", linestyle=(0, (4, 3)), label="任职 post"),
        Line2D([], [], color="#c9ced4", label="位于/隶属于 place link"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------
# the entry point of `kg build` and `kg viz`

_FORMATS = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg"}
#: The keyword options of :func:`write_viewer`.
_VIEWER_OPTIONS = frozenset(
    {"fmt", "top", "focus", "radius", "classes", "articles", "seed", "title", "force", "edge_label_limit", "store"}
)


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
        ``seed``, ``title``, ``force``, ``edge_label_limit``, and ``store``:
        an open ``pyoxigraph.Store`` to read instead of ``build_dir/store``
        (the build pipeline passes the store it has just written).
    """
    from ..store import atomic_write_text, read_manifest
    from .graph import to_networkx

    unknown = sorted(set(options) - _VIEWER_OPTIONS)
    if unknown:
        raise TypeError(f"write_viewer() got unexpected options: {', '.join(unknown)}")
    store = options.get("store")
    if store is None:
        read_manifest(build_dir)  # a missing or foreign directory fails here, before anything else
    fmt, target = _viewer_target(build_dir, path, options.get("fmt"), force=bool(options.get("force")))

    G = to_networkx(build_dir if store is None else store, articles=bool(options.get("articles")))
    G = subgraph(
        G,
        focus=options.get("focus"),
        radius=int(options.get("radius", 2)),
        classes=options.get("classes"),
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
                edge_label_limit=int(options.get("edge_label_limit") or EDGE_LABEL_LIMIT),
            )
            atomic_write_text(target, page)
        else:
            render_picture(G, target, fmt, seed=seed, title=title)
    except PermissionError as e:
        raise OutputError(f"{target}: cannot write ({e.strerror})") from None
    return target


def _viewer_target(
    build_dir: str | os.PathLike[str], path: str | os.PathLike[str] | None, fmt: Any, *, force: bool
) -> tuple[str, Path]:
    """The format and the file to write, checked: a known format, no existing file unless ``force``, a folder."""
    target = Path(path) if path is not None else None
    if fmt is None:
        fmt = _FORMATS.get(target.suffix.lower(), "html") if target is not None else "html"
    fmt = str(fmt).lower()
    if fmt not in ("html", "png", "svg"):
        raise InputError(f"unknown format {fmt!r}; use html, png or svg")
    if target is None:
        target = Path(build_dir) / f"graph.{fmt}"
    elif target.exists() and not force:
        raise OutputError(f"{target}: already exists; choose another -o or pass --force to overwrite it")
    if target.exists() and target.is_dir():
        raise OutputError(f"{target}: is a directory")
    if not target.parent.is_dir():
        raise OutputError(f"{target.parent}: no such directory")
    return fmt, target


def _default_title(G: nx.MultiDiGraph) -> str:
    focus = G.graph.get("focus")
    if focus:
        return f"工会新闻知识图谱 · {focus['label']}（{focus['radius']} 跳）"
    return "工会新闻知识图谱"
