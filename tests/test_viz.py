"""The offline viewer and the pictures (kg.viz), checked in real headless Chromium."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg.viz
from kg.cli import cli
from kg.errors import InputError, OutputError
from kg.graph import simple_undirected, to_networkx
from kg.viz import force_layout, packed_layout, render_html, render_picture, write_viewer

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

    def __init__(self, browser, path: Path):
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
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

    def open_(path: Path) -> Opened:
        o = Opened(browser, path)
        pages.append(o)
        return o

    yield open_
    for o in pages:
        o.close()


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
    assert data["meta"]["physics"] is True
    holds = [e for e in data["edges"] if data["edgeInfo"][e["id"]]["rel"] == "holds"]
    assert holds[0]["label"] == "常务副主席" and holds[0]["dashes"] is True
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
    path = tmp_path / "graph.html"
    path.write_text(render_html(G), "utf-8")
    o = opened(path)
    p = o.page
    o.assert_clean()
    assert p.evaluate("[window.kgNodes.length, window.kgEdges.length]") == [
        G.number_of_nodes(),
        G.number_of_edges(),
    ]
    # physics stopped once the layout had stabilised
    assert p.evaluate("window.kgNetwork.physics.options.enabled") is False

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
    G = to_networkx(mini_build)
    path = tmp_path / "graph.html"
    path.write_text(render_html(G), "utf-8")
    o = opened(path)
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
    # class filter
    p.uncheck("#kg-classes input[data-cls='Place']")
    hidden = p.evaluate("window.kgNodes.get({filter: n => n.hidden === true}).map(n => n.group)")
    assert hidden == ["Place"] * 3
    p.check("#kg-classes input[data-cls='Place']")
    assert p.evaluate("window.kgNodes.get({filter: n => n.hidden === true}).length") == 0
    o.assert_clean()


def test_large_graph_gets_positions_and_no_physics(opened, tmp_path):
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
    html = render_html(G, physics_threshold=50, edge_label_limit=100)
    data = page_data(html)
    assert data["meta"] == {"title": "工会新闻知识图谱", "physics": False, "edgeLabels": False, "seed": 0}
    assert all("x" in n and "y" in n for n in data["nodes"])
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


def test_force_layout_is_seeded():
    U = nx.gnm_random_graph(300, 400, seed=3)
    a, b, c = force_layout(U, seed=1), force_layout(U, seed=1), force_layout(U, seed=2)
    assert a == b and a != c
    assert len(a) == 300
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in a.values())
    # linked nodes end up closer than unlinked ones on average
    import math

    def dist(p, q):
        return math.dist(a[p], a[q])

    linked = sum(dist(p, q) for p, q in U.edges()) / U.number_of_edges()
    pairs = [(i, (i * 7 + 13) % 300) for i in range(300)]
    assert linked < sum(dist(p, q) for p, q in pairs) / len(pairs)
    assert force_layout(nx.Graph()) == {}


def test_packed_layout_keeps_components_apart():
    U = nx.disjoint_union_all([nx.path_graph(5), nx.cycle_graph(4), nx.empty_graph(3)])
    pos = packed_layout(U, seed=0)
    assert len(pos) == 12 and pos == packed_layout(U, seed=0)
    box = [[min(pos[v][k] for v in comp) for k in (0, 1)] + [max(pos[v][k] for v in comp) for k in (0, 1)]
           for comp in ([0, 1, 2, 3, 4], [5, 6, 7, 8])]  # fmt: skip
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = box
    assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0


# ---------------------------------------------------------------------------
# pictures


def test_png_and_svg(mini_build, tmp_path):
    G = to_networkx(mini_build)
    png = render_picture(G, tmp_path / "g.png", "png", title="镇安县")
    assert_not_blank(png)
    svg = render_picture(G, tmp_path / "g.svg", "svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    with pytest.raises(InputError):
        render_picture(G, tmp_path / "g.gif", "gif")


def test_picture_without_cjk_font_warns(mini_build, tmp_path, monkeypatch):
    monkeypatch.setattr(kg.viz, "_CJK_FONTS", ("No Such Font Family",))
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
    assert_not_blank(render_picture(G, tmp_path / "big.png", "png"))


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
