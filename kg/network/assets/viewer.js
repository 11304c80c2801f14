/* The gonghui-kg viewer: draws the graph with vis-network and wires up the
 * layout of what the filters leave, the labels, search, class filters and the
 * side panel.  Every text from the graph is put into the page with
 * textContent or drawn on the canvas, never parsed as HTML. */
(function () {
  "use strict";

  var times = { start: performance.now() };
  window.kgTimes = times;  // milliseconds since navigation, for the benchmark
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = data.meta;
  var info = data.info;
  var edgeInfo = data.edgeInfo;
  var UNIT = meta.unit;
  var FONT = meta.font;
  var classInfo = {};
  var classOrder = {};
  data.classes.forEach(function (c, i) { classInfo[c.cls] = c; classOrder[c.cls] = i; });

  // ---- the graph as plain objects ------------------------------------------
  var byId = {};
  var adjacent = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; adjacent[n.id] = []; });
  data.edges.forEach(function (e) {
    if (e.from !== e.to) { adjacent[e.from].push(e); adjacent[e.to].push(e); }
  });
  // label order: actors by PageRank, context (places, articles) after them
  var byRank = data.nodes.map(function (n) { return n.id; });
  byRank.sort(function (a, b) {
    var na = byId[a], nb = byId[b];
    return (na.ctx - nb.ctx) || (nb.r - na.r) || (na.label < nb.label ? -1 : na.label > nb.label ? 1 : 0);
  });
  var hubs = {};
  byRank.slice(0, meta.hubs).forEach(function (id) { if (!byId[id].ctx) { hubs[id] = true; } });

  // filled once the first layout is known, then handed to the network in one go
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var started = false;
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);

  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  window.kgReady = false;

  // ---- helpers -----------------------------------------------------------
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function polygon(points) {
    return points.map(function (p) { return p[0].toFixed(2) + "," + p[1].toFixed(2); }).join(" ");
  }
  /* A 14×14 picture of the marker vis-network draws for a class. */
  function swatch(cls) {
    var c = classInfo[cls] || { color: "#999", shape: "dot" };
    var s = svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "class": "kg-swatch", "aria-hidden": "true" });
    var style = { fill: c.color, stroke: "#333", "stroke-width": 0.8 };
    var shape;
    var i, pts = [];
    switch (c.shape) {
      case "square": shape = svg("rect", { x: 2, y: 2, width: 10, height: 10 }); break;
      case "diamond": shape = svg("polygon", { points: polygon([[7, 1], [13, 7], [7, 13], [1, 7]]) }); break;
      case "triangle": shape = svg("polygon", { points: polygon([[7, 1.5], [13, 12], [1, 12]]) }); break;
      case "triangleDown": shape = svg("polygon", { points: polygon([[1, 2], [13, 2], [7, 12.5]]) }); break;
      case "hexagon":
        for (i = 0; i < 6; i++) { pts.push([7 + 6 * Math.cos(Math.PI / 3 * i), 7 + 6 * Math.sin(Math.PI / 3 * i)]); }
        shape = svg("polygon", { points: polygon(pts) }); break;
      case "star":
        for (i = 0; i < 10; i++) {
          var r = i % 2 ? 2.6 : 6.5, a = -Math.PI / 2 + Math.PI / 5 * i;
          pts.push([7 + r * Math.cos(a), 7.5 + r * Math.sin(a)]);
        }
        shape = svg("polygon", { points: polygon(pts) }); break;
      default: shape = svg("circle", { cx: 7, cy: 7, r: 5.5 });
    }
    Object.keys(style).forEach(function (k) { shape.setAttribute(k, style[k]); });
    s.appendChild(shape);
    return s;
  }
  /* A 28×10 picture of an edge style. */
  function lineSwatch(color, dashed, width) {
    var s = svg("svg", { width: 30, height: 10, viewBox: "0 0 30 10", "class": "kg-line", "aria-hidden": "true" });
    var line = svg("line", { x1: 1, y1: 5, x2: 23, y2: 5, stroke: color, "stroke-width": width });
    if (dashed) { line.setAttribute("stroke-dasharray", "4 3"); }
    s.appendChild(line);
    s.appendChild(svg("polygon", { points: "22,1.5 29,5 22,8.5", fill: color }));
    return s;
  }
  function classText(cls) {
    var c = classInfo[cls];
    return c ? c.zh + " · " + cls : cls;
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

  // ---- layout of what is shown -----------------------------------------------
  var shown = {};
  data.classes.forEach(function (c) { shown[c.cls] = c.cls !== "Article" || meta.articlesShown; });
  var showIsolated = false;
  var visibleNodes = {};   // id → true
  var positions = {};      // id → {x, y} of the shown nodes
  var boxes = [];          // article groups: {x, y, w, h, title}
  var counts = { nodes: 0, edges: 0, isolated: 0, byClass: {} };

  function find(parent, x) {
    while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; }
    return x;
  }

  function availableArea() {
    var w = container.clientWidth || 800, h = container.clientHeight || 600;
    // room beside the legend and the edges for names drawn beside the outermost nodes
    var left = legendOpen() ? legend.offsetWidth + 120 : 100;
    return { left: left, top: 16, w: Math.max(w - left - 100, 100), h: Math.max(h - 40, 100), W: w, H: h };
  }

  /* Shelf packing (the same rule as kg.viz.pack): boxes left to right in rows,
   * the row width chosen among a few so that the result is closest to `aspect`. */
  function shelf(items, width, gap) {
    var x = 0, y = 0, row = 0, right = 0;
    items.forEach(function (b) {
      if (x > 0 && x + b.w > width + 1e-9) { x = 0; y += row + gap; row = 0; }
      b.x = x; b.y = y;
      x += b.w + gap;
      right = Math.max(right, x - gap);
      row = Math.max(row, b.h);
    });
    return { w: right, h: y + row };
  }
  function pack(items, aspect, gap) {
    var area = 0, widest = 0;
    items.forEach(function (b) { area += (b.w + gap) * (b.h + gap); widest = Math.max(widest, b.w); });
    var base = Math.sqrt(area * aspect), best = null, bestWidth = 0;
    for (var k = 0; k <= 12; k++) {
      var width = Math.max(base * (0.6 + 0.1 * k), widest);
      var size = shelf(items, width, gap);
      var fit = Math.min(aspect / Math.max(size.w, 1e-9), 1 / Math.max(size.h, 1e-9));
      if (best === null || fit > best + 1e-12) { best = fit; bestWidth = width; }
    }
    return shelf(items, bestWidth, gap);
  }

  function relayout() {
    var ids = data.nodes.filter(function (n) { return shown[n.group]; }).map(function (n) { return n.id; });
    var on = {};
    ids.forEach(function (id) { on[id] = true; });
    var parent = {};
    ids.forEach(function (id) { parent[id] = id; });
    var nEdges = 0;
    data.edges.forEach(function (e) {
      if (on[e.from] && on[e.to]) {
        nEdges += 1;
        if (e.from !== e.to) { parent[find(parent, e.from)] = find(parent, e.to); }
      }
    });
    var comps = {};
    ids.forEach(function (id) { var r = find(parent, id); (comps[r] = comps[r] || []).push(id); });
    var blocks = [];
    var singles = [];
    var groups = {};
    Object.keys(comps).forEach(function (root) {
      var members = comps[root];
      if (members.length < 2) { singles.push(members[0]); return; }
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      var votes = {};
      members.forEach(function (id) {
        var n = byId[id];
        var p = n.p || [0, 0];
        x0 = Math.min(x0, p[0]); y0 = Math.min(y0, p[1]); x1 = Math.max(x1, p[0]); y1 = Math.max(y1, p[1]);
        if (n.a >= 0) { votes[n.a] = (votes[n.a] || 0) + 1; }
      });
      var art = -1, best = 0;
      Object.keys(votes).forEach(function (a) {
        a = +a;
        if (votes[a] > best || (votes[a] === best && a < art)) { best = votes[a]; art = a; }
      });
      var comp = { ids: members, x0: x0 - 0.6, y0: y0 - 0.6, w: x1 - x0 + 1.2, h: y1 - y0 + 1.2, n: members.length, art: art };
      if (members.length <= meta.groupMax && art >= 0) {
        (groups[art] = groups[art] || []).push(comp);
      } else {
        blocks.push({ comps: [comp], w: comp.w, h: comp.h, n: comp.n, title: null });
      }
    });
    Object.keys(groups).forEach(function (a) {
      var list = groups[a];
      list.sort(function (p, q) { return q.n - p.n || q.h - p.h; });
      var size = pack(list, 2.2, 0.4);
      var n = 0;
      list.forEach(function (c) { n += c.n; });
      var head = data.articleList[+a];
      blocks.push({ comps: list, w: Math.max(size.w, 2.5), h: size.h + 0.55, n: n, title: head ? head.title : null, top: 0.55 });
    });
    var area = availableArea();
    blocks.sort(function (p, q) { return q.n - p.n || q.h - p.h || (p.title || "").localeCompare(q.title || ""); });
    var total = pack(blocks, area.w / area.h, 0.8);
    positions = {};
    boxes = [];
    blocks.forEach(function (b) {
      var top = b.top || 0;
      if (b.title !== null) { boxes.push({ x: b.x, y: b.y, w: b.w, h: b.h, title: b.title }); }
      b.comps.forEach(function (c) {
        var ox = b.x + (b.title !== null ? c.x : 0), oy = b.y + top + (b.title !== null ? c.y : 0);
        c.ids.forEach(function (id) {
          var n = byId[id];
          var p = n.p || [0, 0];
          positions[id] = { x: (ox + p[0] - c.x0) * UNIT, y: (oy + p[1] - c.y0) * UNIT };
        });
      });
    });
    if (showIsolated && singles.length) {
      singles.sort(function (a, b) {
        var na = byId[a], nb = byId[b];
        return (classOrder[na.group] - classOrder[nb.group]) || (nb.r - na.r) || (na.label < nb.label ? -1 : 1);
      });
      var cols = Math.max(1, Math.ceil(Math.sqrt(singles.length * 2.5)));
      var y0 = blocks.length ? total.h + 1.2 : 0;
      var cell = 1.1;
      boxes.push({ x: 0, y: y0, w: Math.max(cols * cell, 3), h: Math.ceil(singles.length / cols) * cell + 0.55,
                   title: "没有关系的实体 · entities with no relation (" + singles.length + ")" });
      singles.forEach(function (id, i) {
        positions[id] = { x: ((i % cols) * cell + 0.55) * UNIT, y: (y0 + 0.55 + Math.floor(i / cols) * cell + 0.5) * UNIT };
      });
    }
    boxes.forEach(function (b) { b.x *= UNIT; b.y *= UNIT; b.w *= UNIT; b.h *= UNIT; });

    visibleNodes = {};
    var updates = [];
    counts = { nodes: 0, edges: 0, isolated: showIsolated ? 0 : singles.length, singles: singles.length, byClass: {} };
    data.nodes.forEach(function (n) {
      var p = positions[n.id];
      if (p) {
        visibleNodes[n.id] = true;
        counts.nodes += 1;
        counts.byClass[n.group] = (counts.byClass[n.group] || 0) + 1;
        updates.push({ id: n.id, x: p.x, y: p.y, hidden: false });
      } else {
        updates.push({ id: n.id, hidden: true });
      }
    });
    data.edges.forEach(function (e) { if (visibleNodes[e.from] && visibleNodes[e.to]) { counts.edges += 1; } });
    if (started) {
      nodes.update(updates);
    } else {
      nodes.add(data.nodes.map(function (n, i) {
        var u = updates[i];
        return { id: n.id, label: n.label, group: n.group, size: n.size, title: n.title,
                 hidden: u.hidden, x: u.hidden ? 0 : u.x, y: u.hidden ? 0 : u.y };
      }));
    }
    updateCounts();
  }

  function bounds() {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    Object.keys(positions).forEach(function (id) {
      var p = positions[id], r = byId[id].size;
      x0 = Math.min(x0, p.x - r); y0 = Math.min(y0, p.y - r); x1 = Math.max(x1, p.x + r); y1 = Math.max(y1, p.y + r);
    });
    boxes.forEach(function (b) {
      x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h);
    });
    return x0 === Infinity ? null : { x0: x0, y0: y0, x1: x1, y1: y1 };
  }

  /* Fit the shown graph into the part of the canvas the legend leaves free. */
  function fitView(animate) {
    var b = bounds();
    if (!b) { return; }
    var area = availableArea();
    var bw = Math.max(b.x1 - b.x0, 1), bh = Math.max(b.y1 - b.y0 + UNIT * 0.4, 1);
    var scale = Math.min(area.w / bw, area.h / bh, 1.6);
    var cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1 + UNIT * 0.4) / 2;
    var position = {
      x: cx - (area.left + area.w / 2 - area.W / 2) / scale,
      y: cy - (area.top + area.h / 2 - area.H / 2) / scale
    };
    network.moveTo({ position: position, scale: scale, animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false });
  }

  // ---- drawing: article boxes behind, labels in front ------------------------
  var widths = {};
  function textWidth(ctx, text, font) {
    var k = font + "\u0000" + text;
    if (widths[k] === undefined) { ctx.font = font; widths[k] = ctx.measureText(text).width; }
    return widths[k];
  }
  function toDom(x, y, view, scale, W, H) {
    return { x: (x - view.x) * scale + W / 2, y: (y - view.y) * scale + H / 2 };
  }
  function clip(ctx, text, font, width) {
    if (textWidth(ctx, text, font) <= width) { return text; }
    var t = text;
    while (t.length > 1 && textWidth(ctx, t + "…", font) > width) { t = t.slice(0, -1); }
    return t + "…";
  }

  network.on("beforeDrawing", function (ctx) {
    if (!boxes.length) { return; }
    var scale = network.getScale();
    ctx.save();
    ctx.fillStyle = "#f6f8fa";
    ctx.strokeStyle = "#e1e4e8";
    ctx.lineWidth = 1 / scale;
    boxes.forEach(function (b) {
      ctx.beginPath();
      ctx.rect(b.x, b.y, b.w, b.h);
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
  });

  var drawn = [];
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale(), view = network.getViewPosition();
    var W = container.clientWidth, H = container.clientHeight;
    var ratio = ctx.canvas.width / (ctx.canvas.clientWidth || W || 1);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineJoin = "round";
    ctx.textBaseline = "top";
    var taken = [];
    var cell = 48;
    var grid = {};
    function free(b, namesOnly) {
      for (var gx = Math.floor(b.x / cell); gx <= Math.floor((b.x + b.w) / cell); gx++) {
        for (var gy = Math.floor(b.y / cell); gy <= Math.floor((b.y + b.h) / cell); gy++) {
          var list = grid[gx + ":" + gy];
          if (!list) { continue; }
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (o.node && (namesOnly || o.id === b.id)) { continue; }
            if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) { return false; }
          }
        }
      }
      return true;
    }
    function take(b) {
      taken.push(b);
      for (var gx = Math.floor(b.x / cell); gx <= Math.floor((b.x + b.w) / cell); gx++) {
        for (var gy = Math.floor(b.y / cell); gy <= Math.floor((b.y + b.h) / cell); gy++) {
          (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(b);
        }
      }
    }
    // article headlines over their boxes
    var titleFont = "12px " + FONT;
    boxes.forEach(function (b) {
      var p = toDom(b.x, b.y, view, scale, W, H);
      var w = b.w * scale;
      if (w < 70 || p.x > W || p.y > H || p.x + w < 0 || p.y + b.h * scale < 0) { return; }
      var text = clip(ctx, b.title, titleFont, w - 10);
      var box = { x: p.x + 5, y: p.y + 3, w: textWidth(ctx, text, titleFont), h: 15, id: null, text: text, px: 12 };
      ctx.font = titleFont;
      ctx.fillStyle = "#59636e";
      ctx.fillText(text, box.x, box.y);
      take(box);
    });
    // entity labels: the selection and its neighbours first, then by rank
    var order = [];
    var seen = {};
    var selected = network.getSelectedNodes();
    selected.forEach(function (id) {
      order.push(id); seen[id] = true;
      adjacent[id].forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        if (!seen[other]) { seen[other] = true; order.push(other); }
      });
    });
    var labels = [];
    function consider(id) {
      if (!visibleNodes[id]) { return; }
      var p = positions[id];
      var c = toDom(p.x, p.y, view, scale, W, H);
      if (c.x < -80 || c.y < -30 || c.x > W + 80 || c.y > H + 30) { return; }
      var n = byId[id];
      var strong = hubs[id] || selected.indexOf(id) >= 0;
      var px = strong ? 14 : (n.ctx ? 12 : 13);
      var font = (strong ? "600 " : "") + px + "px " + FONT;
      var text = selected.indexOf(id) >= 0 ? n.label : clip(ctx, n.label, font, 15 * px);
      var w = textWidth(ctx, text, font), h = px + 3;
      var r = n.size * scale;
      var tries = [
        { x: c.x - w / 2, y: c.y + r + 2 },
        { x: c.x - w / 2, y: c.y - r - 2 - h },
        { x: c.x + r + 4, y: c.y - h / 2 },
        { x: c.x - r - 4 - w, y: c.y - h / 2 }
      ];
      // a hub's name may cover other markers, never another name
      for (var pass = 0; pass < (strong ? 2 : 1); pass++) {
        for (var i = 0; i < tries.length; i++) {
          var b = { x: tries[i].x, y: tries[i].y, w: w, h: h, id: id, text: text, px: px };
          if (free(b, pass === 1)) { take(b); b.font = font; b.ctx = n.ctx; labels.push(b); return; }
        }
      }
    }
    // every node on screen is an obstacle for the names of the others
    Object.keys(visibleNodes).forEach(function (id) {
      var p = positions[id];
      var c = toDom(p.x, p.y, view, scale, W, H);
      var r = Math.max(byId[id].size * scale, 1.5);
      if (c.x < -r || c.y < -r || c.x > W + r || c.y > H + r) { return; }
      take({ x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r, id: id, node: true });
    });
    taken = [];
    order.forEach(consider);
    for (var k = 0; k < byRank.length && labels.length < 400; k++) {
      if (!seen[byRank[k]]) { consider(byRank[k]); }
    }
    labels.forEach(function (b) {
      ctx.font = b.font;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(b.text, b.x, b.y + 1);
      ctx.fillStyle = b.ctx ? "#6e5a4f" : "#1f2328";
      ctx.fillText(b.text, b.x, b.y + 1);
    });
    ctx.restore();
    drawn = labels.map(function (b) { return { id: b.id, text: b.text, px: b.px, x: b.x, y: b.y, w: b.w, h: b.h }; });
  });

  /* The labels of the last drawing, in page pixels (used by the tests). */
  window.kgLabels = function () { return drawn.slice(); };

  // ---- counts, legend and filters -------------------------------------------
  var legend = document.getElementById("kg-legend");
  var legendBody = document.getElementById("kg-legend-body");
  var classBoxes = {};
  var countCells = {};
  function legendOpen() { return !legend.classList.contains("kg-collapsed"); }

  function updateCounts() {
    document.getElementById("kg-stats").textContent =
      counts.nodes + " / " + data.nodes.length + " 个实体 entities · " +
      counts.edges + " / " + data.edges.length + " 条关系 relations";
    data.classes.forEach(function (c) {
      if (countCells[c.cls]) { countCells[c.cls].textContent = (counts.byClass[c.cls] || 0) + " / " + c.count; }
    });
    isolatedCount.textContent = String(counts.singles);
  }

  function refresh(animate) {
    relayout();
    fitView(animate);
    network.redraw();
  }

  function setClassVisible(cls, visible) {
    shown[cls] = visible;
    if (classBoxes[cls]) { classBoxes[cls].checked = visible; }
    refresh(false);
  }
  function setIsolated(visible) {
    showIsolated = visible;
    isolatedBox.checked = visible;
    refresh(false);
  }

  var classList = document.getElementById("kg-classes");
  data.classes.forEach(function (c) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = shown[c.cls];
    box.setAttribute("data-cls", c.cls);
    box.addEventListener("change", function () { setClassVisible(c.cls, box.checked); });
    classBoxes[c.cls] = box;
    label.appendChild(box);
    label.appendChild(swatch(c.cls));
    label.appendChild(el("span", c.zh + " " + c.cls));
    countCells[c.cls] = el("span", c.count, "kg-count");
    label.appendChild(countCells[c.cls]);
    classList.appendChild(label);
  });
  var lines = document.getElementById("kg-lines");
  [["#8c959f", false, 1.6, "关系 relation（箭头指向对象）"], ["#8c959f", true, 1.6, "任职 post held"],
   ["#c9ced4", false, 1, "位于/隶属于 place link"]].forEach(function (l) {
    var row = el("div", null, "kg-linerow");
    row.appendChild(lineSwatch(l[0], l[1], l[2]));
    row.appendChild(el("span", l[3]));
    lines.appendChild(row);
  });
  var isolatedLabel = el("label", null, "kg-isolated");
  var isolatedBox = el("input");
  isolatedBox.type = "checkbox";
  isolatedBox.id = "kg-show-isolated";
  isolatedBox.addEventListener("change", function () { setIsolated(isolatedBox.checked); });
  var isolatedCount = el("span", "", "kg-count");
  isolatedLabel.appendChild(isolatedBox);
  isolatedLabel.appendChild(el("span", "显示无关系的实体 show entities with no relation"));
  isolatedLabel.appendChild(isolatedCount);
  document.getElementById("kg-options").appendChild(isolatedLabel);
  var fitButton = document.getElementById("kg-fit");
  fitButton.addEventListener("click", function () { fitView(true); });
  document.getElementById("kg-legend-toggle").addEventListener("click", function () {
    legend.classList.toggle("kg-collapsed");
    var open = legendOpen();
    legendBody.hidden = !open;
    this.setAttribute("aria-expanded", open ? "true" : "false");
    this.textContent = open ? "▾" : "▸";
  });

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
    close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); showEdgeLabels(null); network.redraw(); });
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
    var n = byId[id];
    var a = el("a", n ? n.label : id);
    a.addEventListener("click", function () { selectNode(id, true); });
    return a;
  }

  function showNode(id) {
    var node = byId[id];
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
    if (n.figures && n.figures.length) {
      dl.appendChild(el("dt", "数字 figures"));
      var fl = el("dd");
      n.figures.forEach(function (f, i) {
        fl.appendChild(el("span", (i ? "；" : "") + f.measure + " " + f.value + (f.unit ? " " + f.unit : "")));
      });
      dl.appendChild(fl);
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
    var n = byId[id];
    if (!n) { return; }
    if (!shown[n.group]) { setClassVisible(n.group, true); }
    if (!visibleNodes[id] && !showIsolated) { setIsolated(true); }
    network.selectNodes([id]);
    showEdgeLabels(id);
    showNode(id);
    if (focus) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    } else {
      network.redraw();
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

  // ---- start ------------------------------------------------------------------
  /* What is shown, for tests and for the curious: counts after the filters. */
  window.kgState = function () {
    return { nodes: counts.nodes, edges: counts.edges, isolatedHidden: counts.isolated, byClass: counts.byClass,
             scale: network.getScale(), boxes: boxes.length };
  };
  window.kgFit = function () { fitView(false); network.redraw(); };

  function markReady() {
    if (window.kgReady) { return; }
    window.kgReady = true;
    document.body.setAttribute("data-kg-ready", "1");
  }
  times.network = performance.now();
  relayout();
  times.packed = performance.now();
  edges.add(data.edges);
  network.setData({ nodes: nodes, edges: edges });
  started = true;
  times.layout = performance.now();
  if (data.nodes.length === 0) {
    var empty = document.createElement("p");
    empty.id = "kg-empty";
    empty.textContent = "图中没有实体 · the graph has no entities";
    container.appendChild(empty);
  } else if (counts.nodes === 0) {
    setIsolated(true);
  }
  fitView(false);
  network.once("afterDrawing", function () { times.drawn = performance.now(); setTimeout(markReady, 0); });
  network.redraw();
  window.addEventListener("resize", function () { fitView(false); });
})();
