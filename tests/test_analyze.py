"""Network analysis, `kg analyze` and `kg path` (kg.network.analyze)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg.network.analyze
from kg.cli import cli
from kg.errors import InputError, KgError
from kg.network.analyze import Hop, analyze, brokers, community_name, render_markdown, shortest_path, write_analysis
from kg.network.graph import simple_undirected, to_networkx

ID = "https://w3id.org/gonghui-kg/id/"
ZHENAN = ID + "TradeUnion/镇安县总工会"
SENTENCE = "调研中,徐昌顺告诉镇安县总工会常务副主席张家升:上一家公司已连续两个月没发工资"


@pytest.fixture(scope="module")
def G(mini_build: Path):
    return to_networkx(mini_build)


@pytest.fixture(scope="module")
def result(G):
    return analyze(G, seed=0, top=5)


def test_counts(result):
    assert result["graph"]["nodes"] == 11
    assert result["graph"]["edges"] == 8
    assert result["classes"] == {
        "TradeUnion": 2,
        "Enterprise": 1,
        "GovernmentBody": 0,
        "OtherOrganization": 0,
        "Person": 2,
        "Program": 1,
        "Place": 3,
        "WorkerGroup": 1,
        "Award": 1,
    }
    assert result["relations"]["partOf"] == 2
    assert result["relations"]["holds"] == 1
    assert result["relations"]["receivedAward"] == 0


def test_hubs_and_rankings(result):
    assert result["hubs"][0]["label"] == "镇安县总工会"
    assert result["hubs"][0]["degree"] == 3  # the place it is located in does not count
    assert len(result["hubs"]) == 5
    assert all(h["class"] != "Place" for h in result["hubs"])
    unions = result["top"]["TradeUnion"]
    assert [e["label"] for e in unions["degree"]] == ["镇安县总工会", "全国总工会"]
    assert unions["betweenness"][0]["score"] > 0.3
    assert "GovernmentBody" not in result["top"] and "Place" not in result["top"]


def test_places_count_only_when_asked(G):
    r = analyze(G, top=11, with_places=True)
    assert r["graph"]["with_places"] is True and r["graph"]["actors"] == 11
    assert r["hubs"][0]["label"] == "镇安县总工会" and r["hubs"][0]["degree"] == 4
    assert "Place" in r["top"]
    assert r["components"]["sizes"] == [9, 1, 1]
    plain = analyze(G, top=11)
    assert plain["graph"]["actors"] == 8 and plain["components"]["sizes"] == [6, 1, 1]


def test_result_is_json(result):
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result


def test_communities_are_reproducible_and_named(G):
    a = json.dumps(analyze(G, seed=7), sort_keys=True)
    b = json.dumps(analyze(G, seed=7), sort_keys=True)
    assert a == b
    comms = json.loads(a)["communities"]
    assert comms["seed"] == 7
    members = [m for c in comms["items"] for m in c["members"]]
    assert len(members) == len(set(members)) == 6  # every linked actor, once; no place
    assert comms["singletons"] == 2
    for c in comms["items"]:
        assert c["trivial"] == (c["size"] < 3)
        assert c["name"] in c["labels"]
        classes = [G.nodes[m]["class"] for m in c["members"]]
        if "TradeUnion" in classes:
            assert G.nodes[c["members"][classes.index("TradeUnion")]]["label"] == c["name"]


def test_community_named_after_its_leading_union_or_program():
    G = nx.MultiDiGraph()
    big, small = _node(G, "甲市总工会", "TradeUnion"), _node(G, "乙区总工会", "TradeUnion")
    prog, person = _node(G, "职工书屋", "Program"), _node(G, "王五", "Person")
    members = [big, small, prog, person]
    score = {person: 0.5, prog: 0.3, small: 0.1, big: 0.2}
    assert community_name(G, members, score) == "甲市总工会"  # the leading union, not the leading member
    assert community_name(G, [prog, person], score) == "职工书屋"
    assert community_name(G, [person], score) == "王五"


def test_trivial_communities_are_not_the_headline():
    G = nx.MultiDiGraph()
    rel = "locatedIn"
    for i in range(4):  # four union–place pairs: no actor community at all
        u, p = _node(G, f"{i}省总工会", "TradeUnion"), _node(G, f"{i}省", "Place")
        G.add_edge(u, p, key=rel, relation=rel, label_zh="位于", evidence=[])
    hub, progs = _node(G, "丙市总工会", "TradeUnion"), [_node(G, f"项目{i}", "Program") for i in range(3)]
    for p in progs:
        G.add_edge(hub, p, key="organizes", relation="organizes", label_zh="举办", evidence=[])
    a, b = _node(G, "赵六", "Person"), _node(G, "某公司", "Enterprise")
    G.add_edge(a, b, key="employedBy", relation="employedBy", label_zh="就职于", evidence=[])
    r = analyze(G)
    cm = r["communities"]
    assert cm["count"] == 1 and cm["pairs"] == 1 and cm["singletons"] == 4
    assert cm["items"][0]["name"] == "丙市总工会" and not cm["items"][0]["trivial"]
    md = render_markdown(r)
    assert "| 1 | 丙市总工会 | 4 |" in md and "赵六" not in md.split("## Communities")[1].split("##")[0]
    with_places = analyze(G, with_places=True)["communities"]
    assert with_places["count"] == 1 and with_places["pairs"] == 5


def test_components(result):
    comp = result["components"]
    assert comp["count"] == 3
    assert comp["sizes"] == [6, 1, 1]
    assert comp["isolated"] == 2
    assert comp["largest"]["members"][0] == "镇安县总工会"


def test_brokers_on_mini(result):
    br = result["brokers"]
    assert [(e["label"], e["pairs_disconnected"]) for e in br["items"]] == [("徐昌顺", 1)]
    assert br["articulation_points"] == 3


def _lost_by_removal(U, is_union, is_target, v) -> int:
    def connected_pairs(H) -> int:
        total = 0
        for comp in nx.connected_components(H):
            total += sum(map(is_union, comp)) * sum(map(is_target, comp))
        return total

    H = U.copy()
    H.remove_node(v)
    before = U.copy()
    # pairs not involving v: count in U with v's own role switched off
    u0, t0 = is_union(v), is_target(v)
    before_pairs = 0
    for comp in nx.connected_components(before):
        nu = sum(map(is_union, comp)) - (u0 if v in comp else 0)
        nt = sum(map(is_target, comp)) - (t0 if v in comp else 0)
        before_pairs += nu * nt
    return before_pairs - connected_pairs(H)


@pytest.mark.parametrize("seed", range(12))
def test_brokers_match_brute_force(seed):
    rng = random.Random(seed)
    U = nx.gnm_random_graph(40, rng.randint(30, 60), seed=seed)
    role = {v: rng.choice("utx") for v in U}
    is_union, is_target = (lambda v: role[v] == "u"), (lambda v: role[v] == "t")
    b = brokers(U, is_union, is_target)
    assert set(b["articulation_points"]) == set(nx.articulation_points(U))
    for v in U:
        expected = _lost_by_removal(U, is_union, is_target, v)
        assert b["lost"].get(v, 0) == expected, v
    for v in b["articulation_points"]:
        H = U.copy()
        comp = nx.node_connected_component(U, v)
        H.remove_node(v)
        assert b["pieces"][v] == nx.number_connected_components(H.subgraph(comp - {v}))


def _node(G, name: str, cls: str) -> str:
    iri = f"{ID}{cls}/{name}"
    G.add_node(iri, **{"class": cls}, label=name, aliases=[], iri=iri, articles=[])
    return iri


def test_projections():
    G = nx.MultiDiGraph()
    u1, u2, u3 = (_node(G, n, "TradeUnion") for n in ("甲市总工会", "乙市总工会", "丙县总工会"))
    p1, p2 = _node(G, "劳动竞赛", "Program"), _node(G, "温暖行动", "Program")
    g1, g2 = _node(G, "货车司机", "WorkerGroup"), _node(G, "快递员", "WorkerGroup")
    for s, o, rel in [
        (u1, p1, "organizes"),
        (u2, p1, "participatesIn"),
        (u1, p2, "organizes"),
        (u2, p2, "organizes"),
        (u3, p2, "participatesIn"),
        (p2, g1, "benefits"),
        (p2, g2, "benefits"),
        (p1, g1, "benefits"),
    ]:
        G.add_edge(s, o, key=rel, relation=rel, label_zh=rel, evidence=[])
    up = analyze(G)["projections"]["union_program"]
    assert up["unions"] == 3 and up["programs"] == 2 and up["pairs_total"] == 3
    assert up["pairs"][0] == {
        "unions": ["乙市总工会", "甲市总工会"],
        "ids": [u2, u1],
        "weight": 2,
        "programs": ["劳动竞赛", "温暖行动"],
    }
    pw = analyze(G)["projections"]["program_worker_group"]
    assert pw["groups"][0] == {
        "id": g1,
        "label": "货车司机",
        "count": 2,
        "programs": ["劳动竞赛", "温暖行动"],
    }
    assert pw["pairs"] == [
        {"groups": ["快递员", "货车司机"], "ids": [g2, g1], "weight": 1, "programs": ["温暖行动"]}
    ]


def test_union_activity_programs_groups_money_members():
    G = nx.MultiDiGraph()
    u1, u2 = _node(G, "甲市总工会", "TradeUnion"), _node(G, "乙市总工会", "TradeUnion")
    p1, p2 = _node(G, "劳动竞赛", "Program"), _node(G, "温暖行动", "Program")
    g1 = _node(G, "货车司机", "WorkerGroup")
    for s, o, rel in [(u1, p1, "organizes"), (u1, p2, "organizes"), (u2, p2, "participatesIn"), (p2, g1, "benefits")]:
        G.add_edge(s, o, key=rel, relation=rel, label_zh=rel, evidence=[])
    G.nodes[u1]["figures"] = [{"measure": "会员", "value": 22353, "unit": "人"},
                              {"measure": "经费", "value": 200000, "unit": "元"}]  # fmt: skip
    G.nodes[p2]["figures"] = [{"measure": "慰问金", "value": 3800000, "unit": "元"}]
    G.nodes[u2]["figures"] = [{"measure": "补贴", "value": 500, "unit": "元"}]
    act = analyze(G)["activity"]
    first, second = act["items"]
    assert first["label"] == "甲市总工会" and first["programs"] == ["劳动竞赛", "温暖行动"]
    assert first["worker_groups"] == ["货车司机"]
    assert first["money_yuan"] == 4_000_000 and first["members"] == 22353
    assert second["label"] == "乙市总工会" and second["programs"] == [] and second["money_yuan"] == 500
    md = render_markdown(analyze(G))
    assert "| 1 | 甲市总工会 | 2: 劳动竞赛、温暖行动 | 货车司机 | 400 万元 | 22,353 |" in md


def test_sampled_betweenness_on_large_graphs(G, monkeypatch):
    monkeypatch.setattr(kg.network.analyze, "BETWEENNESS_EXACT_LIMIT", 5)
    r = analyze(G)
    assert r["betweenness"] == {"exact": False, "samples": 8}
    assert "sampled sources" in render_markdown(r)


def test_empty_graph():
    r = analyze(nx.MultiDiGraph())
    assert r["graph"]["nodes"] == 0 and r["communities"]["count"] == 0 and r["hubs"] == []
    assert "# Network analysis" in render_markdown(r)


def test_markdown(result):
    md = render_markdown(result)
    for heading in (
        "## Counts",
        "## Hubs (PageRank)",
        "## Communities",
        "## Brokers",
        "## Connected components",
        "## Unions: programs, worker groups, money",
    ):
        assert heading in md
    assert "| 1 | 镇安县总工会 | TradeUnion | 3 |" in md
    row = "| 1 | 镇安县总工会 | 1: 工会进万家·新就业形态劳动者温暖行动 | 新就业形态劳动者 |  | 22,353 | 1 | 2022-11-11"
    assert row in md


def test_focus_through_the_library(mini_build, writable_copy):
    out = writable_copy(mini_build)
    r = write_analysis(out, focus="镇安县总", radius=1, top=3, seed=1)
    assert r["graph"]["focus"]["label"] == "镇安县总工会"
    assert r["graph"]["nodes"] == 5 and r["graph"]["actors"] == 4
    assert json.loads((out / "analysis.json").read_text("utf-8")) == r
    assert "Ego network of **镇安县总工会** within 1 hop(s)." in (out / "analysis.md").read_text("utf-8")


def test_shortest_path_with_evidence(G):
    hops = shortest_path(G, "徐昌顺", "张家升")
    assert [h.target_label for h in hops] == ["镇安县总工会", "张家升"]
    assert hops[0].source_label == "徐昌顺" and hops[0].relation == "memberOf" and hops[0].forward
    assert str(hops[0]) == "徐昌顺 —[加入]→ 镇安县总工会"
    assert hops[1].relation == "holds" and not hops[1].forward
    assert str(hops[1]) == "镇安县总工会 ←[常务副主席]— 张家升"
    assert hops[1].evidence == [(SENTENCE, ID + "Article/d0c0ffee/0", 0.9)]
    assert isinstance(hops[0], Hop)


def test_shortest_path_errors(G):
    with pytest.raises(KgError, match="no connection between 全国总工会 and 张家升") as e:
        shortest_path(G, "全总", "张家升")
    assert e.value.exit_code == 1
    with pytest.raises(InputError):
        shortest_path(G, "无名氏", "张家升")
    assert shortest_path(G, "镇安县总", "镇安县总工会") == []


def test_paths_avoid_places_unless_asked():
    G = nx.MultiDiGraph(articles={})
    a, b = _node(G, "甲", "Person"), _node(G, "乙", "Person")
    city = _node(G, "丙市", "Place")
    u, e = _node(G, "丙市总工会", "TradeUnion"), _node(G, "丁公司", "Enterprise")
    for s, o, rel in [(a, city, "locatedIn"), (b, city, "locatedIn"), (a, u, "memberOf"), (u, e, "partOf"),
                      (b, e, "employedBy")]:  # fmt: skip
        G.add_edge(s, o, key=rel, relation=rel, label_zh=rel, evidence=[])
    assert [h.target_label for h in shortest_path(G, "甲", "乙")] == ["丙市总工会", "丁公司", "乙"]
    assert [h.target_label for h in shortest_path(G, "甲", "乙", with_places=True)] == ["丙市", "乙"]
    assert [h.target_label for h in shortest_path(G, "甲", "丙市")] == ["丙市"]  # a place at an end is fine
    G.remove_edge(b, e, "employedBy")
    with pytest.raises(KgError, match="linked through places: pass --with-places"):
        shortest_path(G, "甲", "乙")


# ---------------------------------------------------------------------------
# command line


def test_cli_analyze(mini_build, writable_copy, G):
    out = writable_copy(mini_build)
    runner = CliRunner()
    res = runner.invoke(cli, ["analyze", str(out), "--top", "4", "--seed", "3"])
    assert res.exit_code == 0, res.output
    first = (out / "analysis.json").read_text("utf-8"), (out / "analysis.md").read_text("utf-8")
    assert json.loads(first[0]) == json.loads(json.dumps(analyze(G, seed=3, top=4)))
    res = runner.invoke(cli, ["analyze", str(out), "--top", "4", "--seed", "3"])
    assert res.exit_code == 0
    assert ((out / "analysis.json").read_text("utf-8"), (out / "analysis.md").read_text("utf-8")) == first


def test_cli_analyze_errors(mini_build, writable_copy, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["analyze", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "no such build directory" in res.output
    res = runner.invoke(cli, ["analyze", str(writable_copy(mini_build)), "--focus", "镇安县总工"])
    assert res.exit_code == 2 and "did you mean 镇安县总工会" in res.output
    assert "Traceback" not in res.output


def test_cli_path(mini_build):
    runner = CliRunner()
    res = runner.invoke(cli, ["path", str(mini_build), "徐昌顺", "张家升"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "徐昌顺 —[加入]→ 镇安县总工会"
    assert lines[2] == "镇安县总工会 ←[常务副主席]— 张家升"
    assert SENTENCE in lines[3] and "《“加入了工会就是不一样”》" in lines[3]


def test_cli_path_failures(mini_build):
    runner = CliRunner()
    res = runner.invoke(cli, ["path", str(mini_build), "全国总工会", "张家升"])
    assert res.exit_code == 1
    assert res.output.strip() == "kg: error: no connection between 全国总工会 and 张家升 in this graph"
    res = runner.invoke(cli, ["path", str(mini_build), "无名氏", "张家升"])
    assert res.exit_code == 2 and "no entity named '无名氏'" in res.output
    res = runner.invoke(cli, ["path", str(mini_build), "徐昌顺", "陕西省"])
    assert res.exit_code == 1 and "pass --with-places" in res.output
    res = runner.invoke(cli, ["path", str(mini_build), "徐昌顺", "陕西省", "--with-places"])
    assert res.exit_code == 0 and "商洛市 —[隶属于]→ 陕西省" in res.output.splitlines()


# ---------------------------------------------------------------------------
# the development page


@pytest.fixture(scope="module")
def page_graph(request):
    return to_networkx(request.getfixturevalue("page_build"))


def test_page_build_hubs_are_unions_or_programs_and_never_places(page_graph):
    r = analyze(page_graph, seed=0, top=10)
    assert r["graph"]["nodes"] > 20
    assert r["hubs"][0]["class"] in ("TradeUnion", "Program"), r["hubs"]
    assert all(h["class"] != "Place" for h in r["hubs"]) and all(e["class"] != "Place" for e in r["brokers"]["items"])
    assert r["communities"]["count"] >= 2
    named = [c for c in r["communities"]["items"] if not c["trivial"]]
    assert all(c["size"] >= 3 for c in named)
    leaders = [page_graph.nodes[c["members"][0]]["class"] for c in named]
    assert sum(cls in ("TradeUnion", "Program") for cls in leaders) >= len(named) // 2
    assert simple_undirected(page_graph).number_of_nodes() == r["graph"]["nodes"]
    assert r["activity"]["items"][0]["programs"], r["activity"]
