"""The NetworkX projection of a build (kg.network.graph)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import BuildDirError, InputError
from kg.network.graph import ego, find_node, fold, subgraph, to_networkx, top_nodes

ID = "https://w3id.org/gonghui-kg/id/"
ZHENAN = ID + "TradeUnion/镇安县总工会"
XU = ID + "Person/徐昌顺/美团"
ZHANG = ID + "Person/张家升/镇安县总工会"
PROGRAM = ID + "Program/工会进万家·新就业形态劳动者温暖行动"
ART0 = ID + "Article/d0c0ffee/0"
SENTENCE = "调研中,徐昌顺告诉镇安县总工会常务副主席张家升:上一家公司已连续两个月没发工资"
DATA = Path(__file__).parent / "data"

# Extra statements for an in-memory store: the organizes triple supported by two sentences.
EXTRA_TRIG = """
@prefix gh: <https://w3id.org/gonghui-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix id: <https://w3id.org/gonghui-kg/id/> .
<https://w3id.org/gonghui-kg/id/Article/d0c0ffee/0/s7> a gh:Sentence ;
    gh:inArticle <https://w3id.org/gonghui-kg/id/Article/d0c0ffee/0> ; gh:sentenceIndex 7 ;
    gh:text "镇安县总工会开展温暖行动。"@zh .
<https://w3id.org/gonghui-kg/id/Article/d0c0ffee/1/s2> a gh:Sentence ;
    gh:inArticle <https://w3id.org/gonghui-kg/id/Article/d0c0ffee/1> ; gh:sentenceIndex 2 ;
    gh:text "温暖行动由镇安县总工会组织。"@zh .
<https://w3id.org/gonghui-kg/id/Evidence/0002> a gh:Evidence ; gh:confidence 0.8 ;
    prov:wasDerivedFrom <https://w3id.org/gonghui-kg/id/Article/d0c0ffee/0/s7> .
<https://w3id.org/gonghui-kg/id/Evidence/0003> a gh:Evidence ; gh:confidence 0.7 ;
    prov:wasDerivedFrom <https://w3id.org/gonghui-kg/id/Article/d0c0ffee/1/s2> .
<https://w3id.org/gonghui-kg/id/Evidence/0002> {
  <https://w3id.org/gonghui-kg/id/TradeUnion/镇安县总工会> gh:organizes
    <https://w3id.org/gonghui-kg/id/Program/工会进万家·新就业形态劳动者温暖行动> . }
<https://w3id.org/gonghui-kg/id/Evidence/0003> {
  <https://w3id.org/gonghui-kg/id/TradeUnion/镇安县总工会> gh:organizes
    <https://w3id.org/gonghui-kg/id/Program/工会进万家·新就业形态劳动者温暖行动> . }
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/gonghui-kg/id/Person/李晨/甲工会> a gh:Person ; rdfs:label "李晨"@zh .
<https://w3id.org/gonghui-kg/id/Person/李晨/乙工会> a gh:Person ; rdfs:label "李晨"@zh .
"""


@pytest.fixture(scope="module")
def G(mini_build: Path):
    return to_networkx(mini_build)


@pytest.fixture(scope="module")
def memory_store():
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(DATA / "mini.trig"), format=ox.RdfFormat.TRIG)
    store.load(EXTRA_TRIG.encode(), format=ox.RdfFormat.TRIG)
    return store


def triples(G) -> set[tuple[str, str, str]]:
    return {(G.nodes[s]["label"], d["relation"], G.nodes[o]["label"]) for s, o, d in G.edges(data=True)}


def test_nodes_carry_class_label_aliases_articles_and_codes(G):
    assert G.number_of_nodes() == 11
    z = G.nodes[ZHENAN]
    assert z["class"] == "TradeUnion"
    assert z["label"] == "镇安县总工会"
    assert z["aliases"] == ["县总工会", "镇安县总"]
    assert z["iri"] == ZHENAN
    assert z["articles"] == [ART0]
    assert G.nodes[ID + "Place/611025"]["code"] == "611025"
    assert "code" not in z
    assert sorted(d["class"] for _, d in G.nodes(data=True)).count("Place") == 3


def test_edges_are_the_direct_relations_and_posts(G):
    assert triples(G) == {
        ("徐昌顺", "employedBy", "美团"),
        ("徐昌顺", "memberOf", "镇安县总工会"),
        ("商洛市", "partOf", "陕西省"),
        ("镇安县", "partOf", "商洛市"),
        ("工会进万家·新就业形态劳动者温暖行动", "benefits", "新就业形态劳动者"),
        ("镇安县总工会", "locatedIn", "镇安县"),
        ("镇安县总工会", "organizes", "工会进万家·新就业形态劳动者温暖行动"),
        ("张家升", "holds", "镇安县总工会"),
    }
    assert G.edges[XU, ZHENAN, "memberOf"]["label_zh"] == "加入"
    assert G.edges[ZHENAN, PROGRAM, "organizes"]["label_zh"] == "举办"


def test_post_edge_has_role_and_evidence(G):
    post = G.edges[ZHANG, ZHENAN, "holds:常务副主席"]
    assert post["relation"] == "holds"
    assert post["role"] == post["label_zh"] == "常务副主席"
    assert post["as_of"] == "2022-11-11"
    assert post["evidence"] == [(SENTENCE, ART0, 0.9)]


def test_article_metadata_is_kept_on_the_graph(G):
    assert G.graph["articles"][ART0]["headline"] == "“加入了工会就是不一样”"
    assert G.graph["articles"][ART0]["position"] == 0
    assert G.graph["articles"][ART0]["source"] == "mini.md"


def test_loading_is_deterministic(mini_build):
    a, b = to_networkx(mini_build), to_networkx(mini_build)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert list(a.nodes) == sorted(a.nodes)


def test_in_memory_store_and_evidence_from_several_sentences(memory_store):
    G = to_networkx(memory_store)
    assert G.number_of_nodes() == 13
    ev = G.edges[ZHENAN, PROGRAM, "organizes"]["evidence"]
    assert ev == [
        ("镇安县总工会开展温暖行动。", ART0, 0.8),
        ("温暖行动由镇安县总工会组织。", ID + "Article/d0c0ffee/1", 0.7),
    ]


def test_articles_as_nodes(mini_build):
    G = to_networkx(mini_build, articles=True)
    arts = [n for n, d in G.nodes(data=True) if d["class"] == "Article"]
    assert sorted(arts) == [ART0, ID + "Article/d0c0ffee/1"]
    assert G.nodes[ART0]["label"] == "“加入了工会就是不一样”"
    mentions = [(s, o) for s, o, d in G.edges(data=True) if d["relation"] == "mentionedIn"]
    assert len(mentions) == 11
    assert (ZHENAN, ART0) in mentions


def test_class_filter(mini_build):
    G = to_networkx(mini_build, classes=["TradeUnion", "Place"])
    assert {d["class"] for _, d in G.nodes(data=True)} == {"TradeUnion", "Place"}
    assert {d["relation"] for _, _, d in G.edges(data=True)} == {"locatedIn", "partOf"}
    with pytest.raises(InputError, match="unknown class TradeUnoin"):
        to_networkx(mini_build, classes=["TradeUnoin"])


def test_not_a_build(tmp_path):
    with pytest.raises(BuildDirError):
        to_networkx(tmp_path)


# fmt: off
@pytest.mark.parametrize("name, expected", [
    ("镇安县总工会", ZHENAN),
    ("镇安县总", ZHENAN),            # alias
    ("鎮安縣總工會", ZHENAN),         # traditional script
    ("“镇安县总” ", ZHENAN),          # quotes and spaces
    ("全总", ID + "TradeUnion/全国总工会"),
    ("徐昌顺", XU),
    (ZHENAN, ZHENAN),               # an IRI
])
# fmt: on
def test_find_node(G, name, expected):
    assert find_node(G, name) == expected


def test_find_node_unknown_suggests_close_names(G):
    with pytest.raises(InputError, match="did you mean 镇安县总工会"):
        find_node(G, "镇安县总工")
    with pytest.raises(InputError, match="no entity named 'xyz'"):
        find_node(G, "xyz")


def test_find_node_ambiguous_lists_candidates(memory_store):
    G = to_networkx(memory_store)
    with pytest.raises(InputError, match="ambiguous") as e:
        find_node(G, "李晨")
    assert "Person/李晨/甲工会" in str(e.value) and "Person/李晨/乙工会" in str(e.value)


def test_namespace_matches_the_vocabulary():
    import kg.network.graph
    from kg.rdf.namespace import GH

    assert kg.network.graph._GH == str(GH._NS)


def test_fold():
    assert fold(" 「鎮安縣總」 ") == "镇安县总"
    assert fold("ＡＢＣ 工会") == "abc工会"


def test_ego_network(G):
    H = ego(G, "镇安县总", 1)
    labels = {H.nodes[n]["label"] for n in H}
    assert labels == {"镇安县总工会", "镇安县", "徐昌顺", "张家升", PROGRAM.rsplit("/", 1)[1]}
    assert H.graph["focus"] == {"id": ZHENAN, "label": "镇安县总工会", "radius": 1}
    assert H.number_of_edges() == 4
    assert ego(G, "镇安县总", 0).number_of_nodes() == 1


def test_subgraph_options(G):
    assert subgraph(G) is G
    H = subgraph(G, focus="镇安县总工会", radius=2, classes=["Person"])
    assert {H.nodes[n]["label"] for n in H} == {"镇安县总工会", "徐昌顺", "张家升"}
    T = top_nodes(G, 3)
    assert T.number_of_nodes() == 3 and ZHENAN in T
    with pytest.raises(InputError):
        top_nodes(G, 0)


def test_edge_labels_are_the_ontology_labels():
    from rdflib import RDFS

    from kg.network.graph import REL_LABELS_ZH
    from kg.rdf.namespace import GH
    from kg.rdf.ontology import load_ontology

    onto = load_ontology()
    for name, label in REL_LABELS_ZH.items():
        zh = [str(o) for o in onto.objects(GH[name], RDFS.label) if o.language == "zh"]
        assert zh == [label], name


def test_graph_measures_do_not_need_the_analysis_module():
    import subprocess
    import sys

    code = (
        "import sys, networkx as nx\n"
        "from kg.network.graph import pagerank, communities, top_nodes\n"
        "U = nx.path_graph(4)\n"
        "assert abs(sum(pagerank(U).values()) - 1) < 1e-9\n"
        "assert [len(c) for c in communities(nx.disjoint_union(U, U))] in ([2, 2, 2, 2], [4, 4])\n"
        "assert 'kg.network.analyze' not in sys.modules, 'kg.network.graph imports kg.network.analyze'\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr


def test_dates_and_figures_on_nodes(G):
    z = G.nodes[ZHENAN]
    assert z["first_date"] == z["last_date"] == "2022-11-11"
    assert {"measure": "会员", "value": 22353, "unit": "人"} in z["figures"]


def test_actors_leave_out_places_and_articles(mini_build):
    from kg.network.graph import actors

    G = to_networkx(mini_build, articles=True)
    assert {d["class"] for _, d in actors(G).nodes(data=True)} & {"Place", "Article"} == set()
    assert "Place" in {d["class"] for _, d in actors(G, with_places=True).nodes(data=True)}
    assert ID + "Place/611025" in actors(G, keep=[ID + "Place/611025"])
