/* The gonghui-kg viewer: draws the graph with vis-network and wires up search,
 * class filters and the side panel.  Every text from the graph is put into the
 * page with textContent, never parsed as HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta;
  var info = data.info;
  var edgeInfo = data.edgeInfo;
  var classInfo = {};
  data.classes.forEach(function (c) { classInfo[c.cls] = c; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);

  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  window.kgReady = false;

  function markReady() {
    if (window.kgReady) { return; }
    window.kgReady = true;
    document.body.setAttribute("data-kg-ready", "1");
  }

  if (meta.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }
  network.setData({ nodes: nodes, edges: edges });
  if (!meta.physics) { network.fit({ animation: false }); }
  if (data.nodes.length === 0) {
    var empty = document.createElement("p");
    empty.id = "kg-empty";
    empty.textContent = "图中没有实体 · the graph has no entities";
    container.appendChild(empty);
    network.redraw();
    markReady();
  }

  document.getElementById("kg-stats").textContent =
    data.nodes.length + " 个实体 entities · " + data.edges.length + " 条关系 relations";

  // ---- helpers -----------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function swatch(cls) {
    var s = el("span", null, "kg-swatch");
    var info = classInfo[cls];
    s.style.background = info ? info.color : "#999";
    return s;
  }
  function classText(cls) {
    var info = classInfo[cls];
    return info ? info.zh + " · " + cls : cls;
  }
  function articleText(iri) {
    var a = data.articles[iri];
    if (!a) { return iri; }
    var parts = [];
    parts.push(a.headline ? "《" + a.headline + "》" : iri);
    var where = [];
    if (a.source) { where.push(a.source); }
    if (a.position !== null && a.position !== undefined) { where.push("第" + (a.position + 1) + "篇 article " + a.position); }
    if (a.date) { where.push(a.date); }
    if (where.length) { parts.push("（" + where.join("，") + "）"); }
    return parts.join(" ");
  }
  var fold = function (s) {
    return String(s).normalize("NFKC").replace(/[\s"'“”‘’「」『』《》〈〉【】〔〕()（）]/g, "").toLowerCase();
  };

  // ---- edge labels on demand (large graphs) --------------------------------
  var labelled = [];
  function showEdgeLabels(nodeId) {
    if (meta.edgeLabels) { return; }
    var updates = labelled.map(function (id) { return { id: id, label: "" }; });
    labelled = nodeId === null ? [] : network.getConnectedEdges(nodeId);
    labelled.forEach(function (id) {
      var e = edgeInfo[id];
      if (e) { updates.push({ id: id, label: e.label_zh }); }
    });
    if (updates.length) { edges.update(updates); }
  }

  // ---- side panel --------------------------------------------------------
  var panel = document.getElementById("kg-panel");

  function openPanel() {
    panel.textContent = "";
    panel.hidden = false;
    var close = el("button", "×", "kg-close");
    close.type = "button";
    close.setAttribute("aria-label", "关闭 close");
    close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); showEdgeLabels(null); });
    panel.appendChild(close);
  }

  function evidenceList(target, evidence) {
    if (!evidence || !evidence.length) {
      target.appendChild(el("div", "（无来源句子 no evidence sentence）", "kg-source"));
      return;
    }
    evidence.forEach(function (ev) {
      var q = el("blockquote", ev[0]);
      var src = articleText(ev[1]);
      if (ev[2] !== null && ev[2] !== undefined) { src += " · 置信度 " + ev[2]; }
      q.appendChild(el("span", src, "kg-source"));
      target.appendChild(q);
    });
  }

  function nodeLink(id) {
    var n = nodes.get(id);
    var a = el("a", n ? n.label : id);
    a.addEventListener("click", function () { selectNode(id, true); });
    return a;
  }

  function showNode(id) {
    var node = nodes.get(id);
    var n = info[id];
    if (!node || !n) { return; }
    openPanel();
    panel.appendChild(el("h3", node.label));
    var c = el("div", null, "kg-class");
    c.appendChild(swatch(n.cls));
    c.appendChild(el("span", classText(n.cls)));
    panel.appendChild(c);
    var dl = el("dl");
    if (n.aliases && n.aliases.length) {
      dl.appendChild(el("dt", "别名 aliases"));
      dl.appendChild(el("dd", n.aliases.join("、")));
    }
    if (n.code) {
      dl.appendChild(el("dt", "行政区划代码 division code"));
      dl.appendChild(el("dd", n.code));
    }
    dl.appendChild(el("dt", "IRI"));
    dl.appendChild(el("dd", n.iri, "kg-iri"));
    panel.appendChild(dl);

    panel.appendChild(el("h2", "来源报道 · Articles (" + (n.articles ? n.articles.length : 0) + ")"));
    var ul = el("ul");
    (n.articles || []).forEach(function (iri) { ul.appendChild(el("li", articleText(iri))); });
    panel.appendChild(ul);

    var connected = network.getConnectedEdges(id);
    panel.appendChild(el("h2", "关系 · Relations (" + connected.length + ")"));
    var rl = el("ul");
    connected.forEach(function (eid) {
      var e = edges.get(eid);
      var ei = edgeInfo[eid];
      if (!e || !ei) { return; }
      var li = el("li");
      var outgoing = e.from === id;
      li.appendChild(el("span", outgoing ? "→ " : "← "));
      li.appendChild(el("span", ei.label_zh, "kg-rel"));
      li.appendChild(el("span", " "));
      li.appendChild(nodeLink(outgoing ? e.to : e.from));
      evidenceList(li, ei.evidence);
      rl.appendChild(li);
    });
    panel.appendChild(rl);
  }

  function showEdge(eid) {
    var e = edges.get(eid);
    var ei = edgeInfo[eid];
    if (!e || !ei) { return; }
    openPanel();
    var h = el("h3");
    h.appendChild(nodeLink(e.from));
    h.appendChild(el("span", " —[" + ei.label_zh + "]→ "));
    h.appendChild(nodeLink(e.to));
    panel.appendChild(h);
    panel.appendChild(el("div", ei.rel, "kg-class"));
    panel.appendChild(el("h2", "来源句子 · Evidence"));
    evidenceList(panel, ei.evidence);
  }

  function selectNode(id, focus) {
    var n = nodes.get(id);
    if (!n) { return; }
    if (n.hidden) { setClassVisible(info[id].cls, true); }
    network.selectNodes([id]);
    showEdgeLabels(id);
    showNode(id);
    if (focus) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showEdgeLabels(params.nodes[0]);
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      showEdgeLabels(null);
      showEdge(params.edges[0]);
    } else {
      showEdgeLabels(null);
      panel.hidden = true;
    }
  });

  // ---- class filter ------------------------------------------------------
  var byClass = {};
  data.nodes.forEach(function (n) { (byClass[n.group] = byClass[n.group] || []).push(n.id); });
  var boxes = {};

  function setClassVisible(cls, visible) {
    if (boxes[cls]) { boxes[cls].checked = visible; }
    nodes.update((byClass[cls] || []).map(function (id) { return { id: id, hidden: !visible }; }));
  }

  var legend = document.getElementById("kg-classes");
  data.classes.forEach(function (c) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-cls", c.cls);
    box.addEventListener("change", function () { setClassVisible(c.cls, box.checked); });
    boxes[c.cls] = box;
    label.appendChild(box);
    label.appendChild(swatch(c.cls));
    label.appendChild(el("span", c.zh + " " + c.cls));
    label.appendChild(el("span", c.count, "kg-count"));
    legend.appendChild(label);
  });

  // ---- search ------------------------------------------------------------
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var index = data.nodes.map(function (n) {
    var i = info[n.id] || {};
    return { id: n.id, label: n.label, cls: n.group, size: n.size || 0, kl: i.kl || [fold(n.label)], ka: i.ka || [] };
  });

  function rank(entry, q) {
    var i;
    for (i = 0; i < entry.kl.length; i++) { if (entry.kl[i] === q) { return 0; } }
    for (i = 0; i < entry.ka.length; i++) { if (entry.ka[i] === q) { return 1; } }
    for (i = 0; i < entry.kl.length; i++) { if (entry.kl[i].indexOf(q) === 0) { return 2; } }
    for (i = 0; i < entry.ka.length; i++) { if (entry.ka[i].indexOf(q) === 0) { return 3; } }
    for (i = 0; i < entry.kl.length; i++) { if (entry.kl[i].indexOf(q) > 0) { return 4; } }
    for (i = 0; i < entry.ka.length; i++) { if (entry.ka[i].indexOf(q) > 0) { return 5; } }
    return -1;
  }

  function search(text) {
    var q = fold(text);
    if (!q) { return []; }
    var hits = [];
    index.forEach(function (entry) {
      var r = rank(entry, q);
      if (r >= 0) { hits.push({ r: r, e: entry }); }
    });
    hits.sort(function (a, b) {
      return a.r - b.r || b.e.size - a.e.size || (a.e.label < b.e.label ? -1 : a.e.label > b.e.label ? 1 : 0);
    });
    return hits.slice(0, 12).map(function (h) { return h.e; });
  }

  function showResults(hits) {
    results.textContent = "";
    hits.forEach(function (entry, i) {
      var li = el("li");
      li.setAttribute("role", "option");
      if (i === 0) { li.className = "kg-active"; }
      li.appendChild(swatch(entry.cls));
      li.appendChild(el("span", entry.label));
      li.appendChild(el("span", classText(entry.cls), "kg-hint"));
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        results.textContent = "";
        selectNode(entry.id, true);
      });
      results.appendChild(li);
    });
  }

  input.addEventListener("input", function () {
    var hits = search(input.value);
    showResults(hits);
    if (hits.length) { selectNode(hits[0].id, true); }
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = search(input.value);
      if (hits.length) { selectNode(hits[0].id, true); }
      results.textContent = "";
    } else if (ev.key === "Escape") {
      results.textContent = "";
    }
  });
  input.addEventListener("blur", function () { results.textContent = ""; });
})();
