"""How long the offline viewer takes to lay out and to become interactive on a large graph.

Generates a seeded synthetic knowledge graph with the classes, relations and
attributes of a real build (5,000 entities by default), or reads a build
(``--build OUT``), renders it with :func:`kg.network.viz.render_html` (the layout is
computed there: its time is printed), opens the page from disk in headless
Chromium at 1440×900 and measures the time from navigation to
``window.kgReady`` (set on the first drawing).  It also reports what the first
view shows: how many names are drawn, their smallest size on screen, and
whether the ten most central entities are named.  Target: interactive in
under 3 seconds.

    python benchmarks/viewer.py [--nodes 5000] [--seed 0] [--chromium /usr/bin/chromium]
    python benchmarks/viewer.py --build /tmp/out --screenshot /tmp/first-view.png
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = "https://w3id.org/gonghui-kg/id/"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: share of each class among the entities of a multi-year corpus
SHARES = {
    "TradeUnion": 0.16,
    "Enterprise": 0.18,
    "GovernmentBody": 0.07,
    "OtherOrganization": 0.05,
    "Person": 0.26,
    "Program": 0.12,
    "Place": 0.09,
    "WorkerGroup": 0.04,
    "Award": 0.03,
}
#: relation → (head classes, tail classes, edges per head entity)
PATTERNS = {
    "locatedIn": (("TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization"), ("Place",), 0.8),
    "partOf": (("Place",), ("Place",), 0.9),
    "subOrganizationOf": (("TradeUnion",), ("TradeUnion",), 0.5),
    "memberOf": (("Person", "WorkerGroup"), ("TradeUnion",), 0.15),
    "organizes": (("TradeUnion", "GovernmentBody"), ("Program",), 0.6),
    "participatesIn": (("Enterprise", "OtherOrganization", "WorkerGroup"), ("Program",), 0.4),
    "benefits": (("Program",), ("WorkerGroup",), 0.7),
    "employedBy": (("Person",), ("Enterprise", "OtherOrganization"), 0.35),
    "establishedUnion": (("Enterprise",), ("TradeUnion",), 0.2),
    "receivedAward": (("Person", "Enterprise"), ("Award",), 0.1),
}
ROLES = ["主席", "常务副主席", "副主席", "党组书记", "经费审查委员会主任"]
CHARS = "工会职工劳动服务中心建设发展创新安全技能关爱温暖行动计划集团有限公司市县区省镇街道"


def synthetic_graph(n: int = 5000, seed: int = 0) -> Any:
    """A random MultiDiGraph shaped like :func:`kg.network.graph.to_networkx`'s output.

    Tails are drawn with preferential attachment, so a few unions, places and
    programs become hubs, as in real coverage.
    """
    import networkx as nx

    from kg.network.graph import REL_LABELS_ZH

    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    arts = [f"{BASE}Article/{seed:08x}/{i}" for i in range(max(n // 10, 1))]
    G.graph["articles"] = {
        a: {
            "headline": "".join(rng.choices(CHARS, k=12)),
            "position": i,
            "source": "synthetic.md",
            "date": None,
        }
        for i, a in enumerate(arts)
    }
    by_class: dict[str, list[str]] = {c: [] for c in SHARES}
    classes = list(SHARES)
    weights = [SHARES[c] for c in classes]
    for i in range(n):
        cls = rng.choices(classes, weights)[0]
        label = "".join(rng.choices(CHARS, k=rng.randint(3, 9))) + str(i)
        iri = f"{BASE}{cls}/{label}"
        G.add_node(
            iri,
            **{"class": cls},
            label=label,
            aliases=[label[:3] + "总"] if cls == "TradeUnion" and rng.random() < 0.3 else [],
            iri=iri,
            articles=sorted(rng.sample(arts, k=min(len(arts), rng.randint(1, 3)))),
        )
        by_class[cls].append(iri)

    def pick(pool: list[str], popularity: dict[str, int]) -> str:
        # preferential attachment: half the time an already popular tail
        if popularity and rng.random() < 0.5:
            return rng.choices(list(popularity), weights=list(popularity.values()))[0]
        return rng.choice(pool)

    for rel, (heads, tails, rate) in PATTERNS.items():
        pool = [t for c in tails for t in by_class[c]]
        if not pool:
            continue
        popularity: dict[str, int] = {}
        for h in (h for c in heads for h in by_class[c]):
            k = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
            for _ in range(k):
                t = pick(pool, popularity)
                if t == h or G.has_edge(h, t, rel):
                    continue
                popularity[t] = popularity.get(t, 0) + 1
                ev = (
                    [("".join(rng.choices(CHARS, k=30)) + "。", rng.choice(arts), 0.9)]
                    if rng.random() < 0.7
                    else []
                )
                G.add_edge(h, t, key=rel, relation=rel, label_zh=REL_LABELS_ZH[rel], evidence=ev)
    orgs = by_class["TradeUnion"]
    for p in by_class["Person"]:
        if orgs and rng.random() < 0.4:
            role = rng.choice(ROLES)
            G.add_edge(
                p, rng.choice(orgs), key=f"holds:{role}", relation="holds", role=role, label_zh=role, evidence=[]
            )
    return G


def measure(
    n: int = 5000,
    seed: int = 0,
    chromium: str = "/usr/bin/chromium",
    *,
    build: str | None = None,
    screenshot: str | None = None,
) -> float:
    """Seconds from navigation until the viewer of a synthetic graph (or of ``build``) is interactive."""
    from playwright.sync_api import sync_playwright

    from kg.network.viz import render_html

    if build is not None:
        from kg.network.graph import to_networkx

        G = to_networkx(build)
    else:
        G = synthetic_graph(n, seed)
    t0 = time.perf_counter()
    page_html = render_html(G, seed=seed)
    render_s = time.perf_counter() - t0
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    print(f"render_html: {render_s:.2f} s, {len(page_html.encode()) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "viewer.html"
        path.write_text(page_html, "utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
                )
                t1 = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function("window.kgReady === true", timeout=120_000, polling=20)
                wall = time.perf_counter() - t1
                in_page = page.evaluate("performance.now()") / 1000.0
                counts = page.evaluate("[window.kgNodes.length, window.kgEdges.length]")
                state = page.evaluate("window.kgState()")
                labels = page.evaluate("window.kgLabels()")
                hubs = page.evaluate("""() => { const d = JSON.parse(document.getElementById('kg-data').textContent);
                    return d.nodes.filter(n => !n.ctx && n.p).sort((a, b) => b.r - a.r)
                        .slice(0, 10).map(n => n.id); }""")
                marks = page.evaluate("window.kgTimes")
                if screenshot:
                    page.screenshot(path=screenshot)
            finally:
                browser.close()
    if errors:
        raise RuntimeError(f"page errors: {errors}")
    print(f"page holds {counts[0]} nodes, {counts[1]} edges; first view shows {state['nodes']} "
          f"({state['isolatedHidden']} with no relation behind the toggle)")
    named = {lb["id"] for lb in labels}
    print(f"first view: {len(labels)} names, smallest {min((lb['px'] for lb in labels), default=0)} px; "
          f"{sum(h in named for h in hubs)} of the {len(hubs)} most central entities named")
    print(f"interactive after {wall:.2f} s (page clock {in_page:.2f} s); target < 3 s")
    print("in the page: script starts {start:.0f} ms, network made {network:.0f} ms, components packed "
          "{packed:.0f} ms, data handed over {layout:.0f} ms, first drawn {drawn:.0f} ms".format(**marks))
    if screenshot:
        print(f"screenshot: {screenshot}")
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--build", help="a build directory to show instead of a synthetic graph")
    parser.add_argument("--screenshot", help="save the first view as this PNG")
    args = parser.parse_args(argv)
    seconds = measure(args.nodes, args.seed, args.chromium, build=args.build, screenshot=args.screenshot)
    return 0 if seconds < 3.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
