// Actor network: loads /api/graph with the filter form's values, draws it with Cytoscape,
// and shows an edge's evidence (from /api/relations/{id}) in #evidence. DOM is built with
// textContent only: stored text is never parsed as HTML.
(function () {
  "use strict";
  var container = document.getElementById("network");
  var panel = document.getElementById("evidence");
  var status = document.getElementById("graph-status");
  var form = document.getElementById("graph-filters");
  if (!container || typeof cytoscape !== "function") { return; }

  var KIND_COLOURS = { state: "#1f5fa8", military: "#2e7d32", government: "#6a1b9a", armed_group: "#c62828",
    person: "#ef6c00", organisation: "#00838f", population: "#8d6e63", media: "#5c6bc0" };
  var TYPE_COLOURS = { supports: "#2e7d32", allied_with: "#43a047", opposes: "#e53935", fights: "#b71c1c",
    funds: "#f9a825", commands: "#6a1b9a", member_of: "#546e7a", part_of: "#78909c", leads: "#8e24aa" };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); e.dir = "auto"; }
    if (cls) { e.className = cls; }
    return e;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function query() {
    var params = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (v, k) { if (v !== "" && !(k === "min_sources" && v === "1")) { params.set(k, v); } });
    }
    return params.toString();
  }

  function showEvidence(id) {
    panel.replaceChildren(el("p", "Loading evidence…", "muted"));
    fetch("/api/relations/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (rel) {
        var head = el("h2");
        var a1 = el("a", rel.source.name); a1.href = "/actors/" + encodeURIComponent(rel.source.id);
        var a2 = el("a", rel.target.name); a2.href = "/actors/" + encodeURIComponent(rel.target.id);
        head.append(a1, " ", el("span", rel.type.replace(/_/g, " "), "tag"), " ", a2);
        var meta = el("p", plural(rel.n_sources, "independent source") + " · " + plural(rel.n_evidence, "piece") + " of evidence · " +
          (rel.first_seen || "?") + " – " + (rel.last_seen || "?"), "muted");
        var list = el("ol");
        list.id = "evidence-list";
        rel.evidence.forEach(function (ev) {
          var li = el("li");
          li.append(el("q", ev.text || "(no sentence text)"), el("br"));
          if (ev.reason) { li.append(el("span", "Why: " + ev.reason, "evidence-reason"), el("br")); }
          var a = el("a", ev.title || ev.document_id, "evidence-doc");
          a.href = ev.link;
          li.append(a, " ", el("span", [ev.kind, ev.site, (ev.published || "").slice(0, 10)].filter(Boolean).join(" · "), "muted"));
          list.append(li);
        });
        panel.replaceChildren(head, meta, list);
        if (!rel.evidence.length) { panel.append(el("p", "No evidence kept for this edge.", "muted")); }
      })
      .catch(function (err) { panel.replaceChildren(el("p", "Could not load evidence: " + err.message, "error")); });
  }

  // The same edges as a keyboard-usable list (buttons load the evidence).
  function listEdges(data, cy) {
    var list = document.getElementById("edge-list");
    if (!list) { return; }
    var label = {};
    data.nodes.forEach(function (n) { label[n.data.id] = n.data.label; });
    data.edges.slice(0, 200).forEach(function (e) {
      var li = el("li");
      var b = el("button", (label[e.data.source] || e.data.source) + " — " + e.data.type.replace(/_/g, " ") + " — " +
        (label[e.data.target] || e.data.target), "edge-link");
      b.type = "button";
      b.dataset.relation = e.data.id;
      b.addEventListener("click", function () {
        cy.elements().unselect();
        cy.getElementById(e.data.id).select();
        showEvidence(e.data.id);
      });
      li.append(b, " ", el("span", "(" + plural(e.data.n_sources, "source") + ")", "muted"));
      list.append(li);
    });
  }

  function draw(data) {
    var elements = data.nodes.concat(data.edges);
    status.textContent = data.nodes.length + " actors, " + data.edges.length + " relations" +
      (data.truncated ? " (strongest shown; narrow the filters for more)" : "");
    if (!data.edges.length) {
      container.replaceChildren(el("p", "No relations match. Relations appear once documents are ingested and analysed.", "muted empty"));
      return;
    }
    var cy = cytoscape({
      container: container,
      elements: elements,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 20, "text-valign": "bottom", "text-margin-y": 4,
          "text-wrap": "ellipsis", "text-max-width": "220px", "text-outline-color": "#fff", "text-outline-width": 3,
          "width": "mapData(degree, 1, 20, 22, 64)", "height": "mapData(degree, 1, 20, 22, 64)", "background-color": "#90a4ae" } },
        { selector: "edge", style: { "width": "mapData(n_sources, 1, 20, 2.5, 12)", "curve-style": "bezier",
          "target-arrow-shape": "triangle", "arrow-scale": 0.8, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
          "label": "data(type)", "font-size": 12, "text-rotation": "autorotate", "color": "#555",
          "text-background-color": "#fff", "text-background-opacity": 0.8 } },
        { selector: "edge:selected", style: { "line-color": "#e07b00", "target-arrow-color": "#e07b00", "width": 6 } }
      ].concat(Object.keys(KIND_COLOURS).map(function (k) {
        return { selector: 'node[kind = "' + k + '"]', style: { "background-color": KIND_COLOURS[k] } };
      })).concat(Object.keys(TYPE_COLOURS).map(function (t) {
        return { selector: 'edge[type = "' + t + '"]', style: { "line-color": TYPE_COLOURS[t], "target-arrow-color": TYPE_COLOURS[t] } };
      })),
      layout: { name: data.nodes.length > 300 ? "grid" : "cose", animate: false, nodeRepulsion: function () { return 120000; },
        idealEdgeLength: function () { return 90; }, nodeOverlap: 30, componentSpacing: 60, padding: 15 }
    });
    cy.on("tap", "edge", function (evt) { showEvidence(evt.target.id()); });
    listEdges(data, cy);
    cy.on("tap", "node", function (evt) { window.location.href = "/actors/" + encodeURIComponent(evt.target.id()); });
    // Hooks for tests and scripts: edge ids are relation ids.
    container.dataset.edges = String(data.edges.length);
    window.sitroomGraph = cy;
    window.sitroomShowEvidence = showEvidence;
  }

  // Colour key for node kinds and edge types.
  function legend() {
    var box = document.getElementById("legend");
    if (!box) { return; }
    function swatch(colour, text, cls) {
      var item = el("span", null, "key " + cls);
      var dot = el("span", null, "dot");
      dot.style.backgroundColor = colour;  // CSSOM, allowed under the CSP (no inline style attribute)
      item.append(dot, " " + text.replace(/_/g, " "));
      return item;
    }
    Object.keys(KIND_COLOURS).forEach(function (k) { box.append(swatch(KIND_COLOURS[k], k, "node-key")); });
    Object.keys(TYPE_COLOURS).forEach(function (t) { box.append(swatch(TYPE_COLOURS[t], t, "edge-key")); });
  }
  legend();

  var q = query();
  fetch(container.dataset.api + (q ? "?" + q : ""), { headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(draw)
    .catch(function (err) { status.textContent = "Could not load the graph: " + err.message; });
})();
