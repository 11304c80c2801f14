"""The offline viewer and the pictures (kg.network.viz), checked in real headless Chromium."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg.network.viz
from kg.cli import cli
from kg.errors import InputError, OutputError
from kg.network.graph import simple_undirected, to_networkx
from kg.network.viz import component_layout, pack, render_html, render_picture, structure_layout, write_viewer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ID = "https://w3id.org/gonghui-kg/id/"
ZHENAN = ID + "TradeUnion/镇安县总工会"
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.fixture(params=["mini", "page"])
def build(request) -> Path:
    if request.param == "page":
        return request.getfixturevalue("page_build")
    return request.getfixturevalue("mini_build")


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)"
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    """A page opened from disk with every non-file request blocked and recorded."""

    def __init__(self, browser, path: Path, viewport: dict | None = None):
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady === true", timeout=30_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def assert_clean(self) -> None:
        assert self.errors == []
        assert [m for m in self.console if m[0] in ("error", "warning")] == []
        assert self.blocked == [] and self.failed == []
        assert all(u.startswith(("file:", "data:")) for u in self.requests), self.requests

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser):
    pages: list[Opened] = []

    def open_(path: Path, viewport: dict | None = None) -> Opened:
        o = Opened(browser, path, viewport)
        pages.append(o)
        return o

    yield open_
    for o in pages:
        o.close()


def show(opened, tmp_path: Path, G: nx.MultiDiGraph, viewport: dict | None = None) -> Opened:
    """Render ``G``'s page into ``tmp_path`` and open it."""
    path = tmp_path / "graph.html"
    path.write_text(render_html(G), "utf-8")
    return opened(path, viewport)


# ---------------------------------------------------------------------------
# the page as text


def test_page_is_self_contained(mini_build):
    html = render_html(to_networkx(mini_build))
    assert not REMOTE.search(html), REMOTE.search(html).group(0)
    assert not re.search(r"<script[^>]*\bsrc=", html) and not re.search(r"<link[^>]*stylesheet", html)
    assert "bootstrap" not in html.lower()
    assert "vis.Network" in html and "kgNetwork" in html
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif' in html


def test_page_data(mini_build):
    G = to_networkx(mini_build)
    data = page_data(render_html(G, seed=4))
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    node = next(n for n in data["nodes"] if n["id"] == ZHENAN)
    assert node["label"] == "镇安县总工会" and node["group"] == "TradeUnion"
    assert data["info"][ZHENAN]["aliases"] == ["县总工会", "镇安县总"]
    assert "镇安县总" in data["info"][ZHENAN]["ka"] and "鎮安縣總" in data["info"][ZHENAN]["ka"]
    assert data["options"]["groups"]["TradeUnion"]["color"]["background"] == "#d62728"
    assert data["options"]["layout"]["randomSeed"] == 4
    assert data["options"]["physics"] == {"enabled": False}  # positions come from the layout
    assert node["p"] is not None and len(node["p"]) == 2
    award = next(n for n in data["nodes"] if n["group"] == "Award")
    assert award["p"] is None  # no relation: not laid out, kept behind the toggle
    place = next(n for n in data["nodes"] if n["group"] == "Place")
    assert place["ctx"] == 1 and place["size"] < node["size"]
    holds = [e for e in data["edges"] if data["edgeInfo"][e["id"]]["rel"] == "holds"]
    assert holds[0]["label"] == "常务副主席" and holds[0]["dashes"] is True
    located = [e for e in data["edges"] if data["edgeInfo"][e["id"]]["rel"] == "locatedIn"]
    assert located[0]["color"]["color"] == "#c9ced4"  # links to places are drawn light
    assert {c["cls"]: c["shape"] for c in data["classes"]}["Person"] == "triangle"
    assert data["articleList"][0]["title"] == "《“加入了工会就是不一样”》"
    assert data["edgeInfo"][holds[0]["id"]]["evidence"][0][0].startswith("调研中,徐昌顺")
    assert {c["cls"] for c in data["classes"]} == {d["class"] for _, d in G.nodes(data=True)}


def hostile_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(articles={})
    bad = [
        "<script>window.pwned = 1</script>",
        '</script><img src=x onerror="window.pwned=2">',
        "<!-- 工会 & “引号” \u2028 -->",
    ]
    for i, label in enumerate(bad):
        iri = f"{ID}TradeUnion/{i}"
        G.add_node(iri, **{"class": "TradeUnion"}, label=label, aliases=[label], iri=iri, articles=[])
    G.add_edge(f"{ID}TradeUnion/0", f"{ID}TradeUnion/1", key="partOf", relation="partOf", label_zh="<b>隶属</b>",
               evidence=[("<img src=x onerror=window.pwned=3>", "x", None)])  # fmt: skip
    return G


def test_labels_from_newspapers_cannot_run(browser, opened, tmp_path):
    G = hostile_graph()
    html = render_html(G, title="<script>window.pwned=4</script>")
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    path = tmp_path / "hostile.html"
    path.write_text(html, "utf-8")
    o = opened(path)
    o.assert_clean()
    p = o.page
    assert p.evaluate("window.pwned") is None
    labels = p.evaluate("window.kgNodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(d["label"] for _, d in G.nodes(data=True))
    assert p.title() == "<script>window.pwned=4</script>"
    # the side panel shows the text as text
    p.evaluate(f"window.kgNetwork.selectNodes([{json.dumps(ID + 'TradeUnion/0')}])")
    p.fill("#kg-search", "<script>")
    assert p.evaluate("window.pwned") is None
    assert "<img src=x onerror=window.pwned=3>" in p.inner_text("#kg-panel")
    assert p.evaluate("document.querySelectorAll('#kg-panel img, #kg-panel b').length") == 0


# ---------------------------------------------------------------------------
# the page in a browser


def test_viewer_in_chromium(build, opened, tmp_path):
    G = to_networkx(build)
    o = show(opened, tmp_path, G)
    p = o.page
    o.assert_clean()
    assert p.evaluate("[window.kgNodes.length, window.kgEdges.length]") == [
        G.number_of_nodes(),
        G.number_of_edges(),
    ]

    p.click("#kg-search")
    p.keyboard.type("镇安县总")
    assert p.evaluate("window.kgNetwork.getSelectedNodes()") == [ZHENAN]
    panel = p.inner_text("#kg-panel")
    assert "镇安县总工会" in panel and "镇安县总" in panel and "常务副主席" in panel
    assert "调研中,徐昌顺告诉镇安县总工会常务副主席张家升" in panel
    assert "“加入了工会就是不一样”" in panel

    shot = tmp_path / "shot.png"
    p.screenshot(path=str(shot))
    assert_not_blank(shot)
    o.assert_clean()


def test_click_filter_and_edge_panel(mini_build, opened, tmp_path):
    o = show(opened, tmp_path, to_networkx(mini_build))
    p = o.page
    # click the node where vis-network drew it
    xy = p.evaluate(
        """(id) => { const n = window.kgNetwork; const d = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.getElementById('kg-network').getBoundingClientRect();
        return [d.x + r.left, d.y + r.top]; }""",
        ZHENAN,
    )
    p.mouse.click(*xy)
    assert p.evaluate("window.kgNetwork.getSelectedNodes()") == [ZHENAN]
    assert p.is_visible("#kg-panel") and "镇安县总工会" in p.inner_text("#kg-panel h3")
    # follow a relation from the panel
    p.click("#kg-panel a:text('张家升')")
    assert p.inner_text("#kg-panel h3") == "张家升"
    # class filter: the rest is laid out again and the counts follow
    before = p.evaluate("window.kgState()")
    p.uncheck("#kg-classes input[data-cls='Place']")
    hidden = p.evaluate("window.kgNodes.get({filter: n => n.hidden === true}).map(n => n.group)")
    assert sorted(hidden) == ["Award", "Place", "Place", "Place", "TradeUnion"]  # 全国总工会 has no relation left
    after = p.evaluate("window.kgState()")
    assert after["nodes"] == before["nodes"] - 3 and after["byClass"].get("Place") is None
    assert p.inner_text("#kg-stats").startswith(f"{after['nodes']} / 11 个实体")
    assert p.inner_text("#kg-classes label:has(input[data-cls='Place']) .kg-count") == "0 / 3"
    p.check("#kg-classes input[data-cls='Place']")
    assert p.evaluate("window.kgState()")["nodes"] == before["nodes"]
    o.assert_clean()


def test_first_view_is_legible(page_build, opened, tmp_path):
    """The bundled page at 1440×900: hubs named at 12 px or more, names apart, isolates aside."""
    G = to_networkx(page_build)
    o = show(opened, tmp_path, G, viewport={"width": 1440, "height": 900})
    p = o.page
    data = page_data((tmp_path / "graph.html").read_text("utf-8"))
    labels = p.evaluate("window.kgLabels()")
    by_id = {lb["id"]: lb for lb in labels if lb["id"]}
    hubs = sorted((n for n in data["nodes"] if not n["ctx"] and n["p"]), key=lambda n: -n["r"])[:8]
    for n in hubs:
        assert n["id"] in by_id, f"{n['label']} has no name at the first view"
        assert by_id[n["id"]]["px"] >= 12
    assert len(labels) >= 40 and all(lb["px"] >= 12 for lb in labels)
    for i, a in enumerate(labels):  # no two names overlap
        for b in labels[i + 1 :]:
            apart_x = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
            assert apart_x or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
    # entities with no relation are behind a toggle, not spread among the others
    isolated = sum(1 for n in data["nodes"] if n["p"] is None)
    state = p.evaluate("window.kgState()")
    assert state["isolatedHidden"] == isolated > 0 and state["nodes"] == len(data["nodes"]) - isolated
    assert p.inner_text("#kg-stats").startswith(f"{state['nodes']} / {len(data['nodes'])} 个实体")
    p.check("#kg-show-isolated")
    assert p.evaluate("window.kgState()")["nodes"] == len(data["nodes"])
    p.uncheck("#kg-show-isolated")
    # the fitted drawing stays inside the canvas, right of the legend
    legend = p.evaluate("document.getElementById('kg-legend').getBoundingClientRect().right")
    xs = p.evaluate("""Object.values(window.kgNetwork.getPositions(
        window.kgNodes.getIds({filter: n => !n.hidden}))).map(q => window.kgNetwork.canvasToDOM(q).x)""")
    assert min(xs) > legend - 5 and max(xs) < 1440
    shot = tmp_path / "first-view.png"
    p.screenshot(path=str(shot))
    assert_not_blank(shot)
    o.assert_clean()


def test_legend_shows_the_shapes_and_lines_drawn(mini_build, opened, tmp_path):
    o = show(opened, tmp_path, to_networkx(mini_build))
    p = o.page
    shapes = p.evaluate("""Object.fromEntries([...document.querySelectorAll('#kg-classes label')].map(l => [
        l.querySelector('input').dataset.cls,
        [l.querySelector('svg :not(svg)').tagName,
         (l.querySelector('polygon') ? l.querySelector('polygon').getAttribute('points').split(' ').length : 0),
         l.querySelector('svg :not(svg)').getAttribute('fill')]]))""")
    assert shapes["TradeUnion"] == ["circle", 0, "#d62728"]
    assert shapes["Enterprise"][0] == "rect"
    assert shapes["Person"][:2] == ["polygon", 3] and shapes["Place"][:2] == ["polygon", 3]
    assert shapes["Program"][:2] == ["polygon", 6] and shapes["Award"][:2] == ["polygon", 10]
    drawn = p.evaluate("""Object.fromEntries(Object.values(window.kgNetwork.body.nodes).map(
        n => [n.options.group, n.options.shape]))""")  # what vis-network draws for each class
    assert drawn["Person"] == "triangle" and drawn["TradeUnion"] == "dot" and drawn["Award"] == "star"
    lines = p.evaluate("[...document.querySelectorAll('#kg-lines line')].map(l => l.getAttribute('stroke-dasharray'))")
    assert lines == [None, "4 3", None]
    assert "任职" in p.inner_text("#kg-lines") and "位于" in p.inner_text("#kg-lines")
    o.assert_clean()


def test_side_panel_does_not_shrink_the_graph(mini_build, opened, tmp_path):
    o = show(opened, tmp_path, to_networkx(mini_build))
    p = o.page
    width = p.evaluate("document.querySelector('#kg-network canvas').clientWidth")
    assert width == 1280
    p.fill("#kg-search", "镇安县总")
    assert p.is_visible("#kg-panel")
    assert p.evaluate("document.querySelector('#kg-network canvas').clientWidth") == width
    # a node whose class is filtered out comes back when searched for
    p.uncheck("#kg-classes input[data-cls='Award']")
    p.fill("#kg-search", "全国劳动模范")
    assert p.is_checked("#kg-classes input[data-cls='Award']") and p.is_checked("#kg-show-isolated")
    assert p.evaluate("window.kgNetwork.getSelectedNodes()") == [ID + "Award/全国劳动模范"]
    o.assert_clean()


def test_large_graph_labels_edges_on_demand(opened, tmp_path):
    G = nx.MultiDiGraph(articles={})
    U = nx.barabasi_albert_graph(120, 2, seed=1)
    for v in U:
        iri = f"{ID}Enterprise/{v}"
        G.add_node(iri, **{"class": "Enterprise"}, label=f"企业{v}", aliases=[], iri=iri, articles=[])
    for a, b in U.edges():
        G.add_edge(
            f"{ID}Enterprise/{a}",
            f"{ID}Enterprise/{b}",
            key="partOf",
            relation="partOf",
            label_zh="隶属",
            evidence=[],
        )
    html = render_html(G, edge_label_limit=100)
    data = page_data(html)
    assert data["meta"]["edgeLabels"] is False
    assert all(n["p"] is not None for n in data["nodes"])
    assert all("label" not in e for e in data["edges"])
    path = tmp_path / "big.html"
    path.write_text(html, "utf-8")
    o = opened(path)
    p = o.page
    assert p.evaluate("window.kgNodes.length") == 120
    p.fill("#kg-search", "企业0")
    assert p.evaluate("window.kgNetwork.getSelectedNodes()") == [f"{ID}Enterprise/0"]
    # labels appear on the selected node's edges only
    labelled = p.evaluate("window.kgEdges.get({filter: e => !!e.label}).length")
    assert labelled == G.degree(f"{ID}Enterprise/0")
    o.assert_clean()


def test_empty_graph_page(opened, tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(render_html(nx.MultiDiGraph()), "utf-8")
    o = opened(path)
    assert "没有实体" in o.page.inner_text("#kg-network")
    o.assert_clean()


def assert_not_blank(png: Path) -> None:
    from PIL import Image

    with Image.open(png) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50
        total = rgb.width * rgb.height
        non_white = total - sum(c for c, px in colours if min(px) >= 245)
        assert non_white / total > 0.01


# ---------------------------------------------------------------------------
# layouts


def test_structure_layout_is_seeded_and_packs_components_apart():
    U = nx.disjoint_union_all([nx.path_graph(5), nx.cycle_graph(4), nx.star_graph(14), nx.empty_graph(3)])
    pos = structure_layout(U, seed=1)
    assert pos == structure_layout(U, seed=1)
    assert set(pos) == set(range(5 + 4 + 15))  # the three isolated nodes get no position
    comps = [range(0, 5), range(5, 9), range(9, 24)]
    boxes = [[min(pos[v][k] for v in c) for k in (0, 1)] + [max(pos[v][k] for v in c) for k in (0, 1)]
             for c in comps]  # fmt: skip
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1 :]:
            assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0
    # neighbours about one unit apart, no two nodes on top of each other
    import statistics

    assert 0.8 < statistics.median(math.dist(pos[a], pos[b]) for a, b in U.edges()) < 1.6
    placed = list(pos.values())
    assert min(math.dist(p, q) for i, p in enumerate(placed) for q in placed[i + 1 :]) > 0.7


def test_large_components_keep_their_communities_together():
    # four dense groups in a ring, one edge between neighbours: laid out block by block
    U = nx.ring_of_cliques(4, 25)
    pos = component_layout(U, seed=0, block=30)
    assert len(pos) == 100 and pos == component_layout(U, seed=0, block=30)

    def centre(group):
        return (sum(pos[v][0] for v in group) / len(group), sum(pos[v][1] for v in group) / len(group))

    groups = [range(25 * i, 25 * i + 25) for i in range(4)]
    centres = [centre(g) for g in groups]
    for g, c in zip(groups, centres, strict=True):
        own = max(math.dist(pos[v], c) for v in g)
        others = min(math.dist(c, d) for d in centres if d != c)
        assert own < others  # each group sits apart from the others


def test_pack_fills_a_frame_of_the_given_aspect():
    boxes = [(2.0, 1.0)] * 4
    assert pack(boxes, aspect=2.0, gap=0.0) == [(0.0, 0.0), (2.0, 0.0), (0.0, 1.0), (2.0, 1.0)]
    corners = pack([(1.0, 1.0)] * 50, aspect=1.6, gap=0.2)
    width = max(x for x, _ in corners) + 1
    height = max(y for _, y in corners) + 1
    assert 1.1 < width / height < 2.4


# ---------------------------------------------------------------------------
# pictures


def test_png_and_svg(mini_build, tmp_path):
    G = to_networkx(mini_build)
    report: dict = {}
    png = render_picture(G, tmp_path / "g.png", "png", title="镇安县", report=report)
    assert_not_blank(png)
    assert sorted(report["not_drawn"]) == ["全国劳动模范", "全国总工会"]  # no relation: listed, not drawn
    written = [t for t, _ in report["labels"]]
    assert written[0] == "镇安县总工会" and len(written) == 9
    svg = render_picture(G, tmp_path / "g.svg", "svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    with pytest.raises(InputError):
        render_picture(G, tmp_path / "g.gif", "gif")


def test_picture_without_cjk_font_warns(mini_build, tmp_path, monkeypatch):
    monkeypatch.setattr(kg.network.viz, "_CJK_FONTS", ("No Such Font Family",))
    with pytest.warns(RuntimeWarning, match="no CJK font"):
        png = render_picture(to_networkx(mini_build), tmp_path / "g.png", "png")
    assert png.stat().st_size > 0


def test_large_picture(tmp_path):
    G = nx.MultiDiGraph(articles={})
    for v in range(600):
        iri = f"{ID}Place/{v}"
        G.add_node(iri, **{"class": "Place"}, label=f"地{v}", aliases=[], iri=iri, articles=[])
    for v in range(1, 600):
        G.add_edge(f"{ID}Place/{v}", f"{ID}Place/{(v * 31) % v}", key="partOf", relation="partOf", label_zh="隶属")
    assert simple_undirected(G).number_of_nodes() == 600
    report: dict = {}
    assert_not_blank(render_picture(G, tmp_path / "big.png", "png", report=report))
    boxes = [b for _, b in report["labels"]]
    assert 20 <= len(boxes) <= 80
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):  # names placed away from each other
        for bx0, by0, bx1, by1 in boxes[i + 1 :]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0


# ---------------------------------------------------------------------------
# write_viewer and the command line


def test_write_viewer(mini_build, writable_copy, tmp_path):
    out = writable_copy(mini_build)
    path = write_viewer(out)
    assert path == out / "graph.html"
    assert write_viewer(out) == path  # a build file: rewritten freely
    data = page_data(path.read_text("utf-8"))
    assert len(data["nodes"]) == 11

    target = tmp_path / "view.html"
    target.write_text("mine", "utf-8")
    with pytest.raises(OutputError, match="already exists"):
        write_viewer(out, target)
    assert target.read_text("utf-8") == "mine"
    write_viewer(out, target, force=True, focus="镇安县总", radius=1, classes=["Person", "Place"])
    focused = page_data(target.read_text("utf-8"))
    assert sorted(n["label"] for n in focused["nodes"]) == ["张家升", "徐昌顺", "镇安县", "镇安县总工会"]
    assert "镇安县总工会" in focused["meta"]["title"]

    svg = write_viewer(out, tmp_path / "g.svg", top=3)
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert write_viewer(out, fmt="png") == out / "graph.png"
    with pytest.raises(OutputError):
        write_viewer(out, tmp_path / "missing" / "g.html")
    with pytest.raises(TypeError):
        write_viewer(out, colour="red")


def test_write_viewer_from_an_open_store(mini_build, tmp_path):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(Path(__file__).parent / "data" / "mini.trig"), format=ox.RdfFormat.TRIG)
    path = write_viewer(tmp_path, store=store)
    assert path == tmp_path / "graph.html"
    assert len(page_data(path.read_text("utf-8"))["nodes"]) == 11


def test_cli_viz(mini_build, writable_copy, tmp_path):
    out = writable_copy(mini_build)
    runner = CliRunner()
    res = runner.invoke(cli, ["viz", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "graph.html").is_file()
    target = tmp_path / "u.svg"
    res = runner.invoke(cli, ["viz", str(out), "--classes", "TradeUnion,Place", "-o", str(target)])
    assert res.exit_code == 0, res.output
    assert ET.parse(target).getroot().tag.endswith("svg")
    res = runner.invoke(cli, ["viz", str(out), "-o", str(target)])
    assert res.exit_code == 2 and "pass --force" in res.output
    res = runner.invoke(
        cli, ["viz", str(out), "-o", str(target), "--force", "--format", "html", "--top", "2"]
    )
    assert res.exit_code == 0
    assert len(page_data(target.read_text("utf-8"))["nodes"]) == 2
    res = runner.invoke(cli, ["viz", str(out), "--focus", "无名氏"])
    assert res.exit_code == 2 and "no entity named" in res.output
    res = runner.invoke(cli, ["viz", str(out), "--classes", "Union"])
    assert res.exit_code == 2 and "unknown class Union" in res.output
    res = runner.invoke(cli, ["viz", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "no such build directory" in res.output


def test_the_viewer_is_the_same_under_another_hash_seed(page_build: Path, tmp_path: Path) -> None:
    """Layouts and communities read subgraphs in a fixed order, whatever the hash seed."""
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2718281"):
        out = tmp_path / f"viewer-{seed}.html"
        p = subprocess.run([sys.executable, "-m", "kg", "viz", str(page_build), "-o", str(out)],
                           env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
