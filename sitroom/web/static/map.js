// Map of events, offline: country shapes (world-atlas TopoJSON, vendored) drawn by Leaflet with
// no tile server; one circle per place from /api/map (coloured by its most frequent event type,
// sized by fatalities when the store records them, else by the number of events), clustered.
// Clicking a circle lists that place's events (/api/events?place=...) in #map-events.
// DOM is built with textContent only: stored text is never parsed as HTML.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var panel = document.getElementById("map-events");
  var status = document.getElementById("map-status");
  var legend = document.getElementById("map-legend");
  if (!box || typeof L === "undefined") { return; }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); e.dir = "auto"; }
    if (cls) { e.className = cls; }
    return e;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  var map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  map.setView([33, 40], 4);
  window.sitroomMap = map;

  getJSON(box.dataset.shapes).then(function (topo) {
    if (typeof topojson === "undefined") { return; }
    var shapes = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(shapes, { interactive: false,
      style: { color: "#9aa5b5", weight: 0.7, fillColor: "#eef0f3", fillOpacity: 1 } }).addTo(map).bringToBack();
  }).catch(function () { status.textContent = "Could not load the country shapes."; });

  function showPlace(p) {
    panel.replaceChildren(el("p", "Loading events…", "muted"));
    var url = box.dataset.events + (box.dataset.events.indexOf("?") >= 0 ? "&" : "?") +
      "place=" + encodeURIComponent(p.place) + "&limit=50";
    getJSON(url).then(function (res) {
      var head = el("h2");
      var link = el("a", p.place);
      link.href = "/places/" + encodeURIComponent(p.place);
      link.dir = "auto";
      head.append(link);
      var list = el("ol");
      res.items.forEach(function (e) {
        var li = el("li");
        li.append(el("span", (e.date_value || "undated") + " ", "muted"), el("span", e.type, "tag"));
        if (e.fatalities) { li.append(el("span", " " + e.fatalities + " killed", "muted")); }
        var q = el("q", e.text || "");
        q.dir = "auto";
        var doc = el("a", e.title || e.site || "document", "evidence-doc");
        doc.href = e.link;
        doc.dir = "auto";
        li.append(el("br"), q, el("br"), doc);
        list.append(li);
      });
      var more = res.next ? el("p") : null;
      if (more) {
        var all = el("a", "all events here");
        all.href = "/events?" + url.split("?")[1].replace(/&limit=50$/, "");
        more.append(all);
      }
      panel.replaceChildren(head, el("p", p.n + " event" + (p.n === 1 ? "" : "s") +
        (p.fatalities ? ", " + p.fatalities + " killed" : ""), "muted"), list);
      if (more) { panel.append(more); }
    }).catch(function (err) { panel.replaceChildren(el("p", "Could not load the events: " + err.message, "error")); });
  }

  getJSON(box.dataset.api).then(function (res) {
    var cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    var bounds = [];
    res.points.forEach(function (p) {
      var size = res.has_fatalities ? p.fatalities : p.n;
      var radius = Math.min(28, 5 + 2.5 * Math.sqrt(size || 0));
      var m = L.circleMarker([p.lat, p.lon], { radius: radius, color: "#1d2330", weight: 1,
        fillColor: p.colour, fillOpacity: 0.8 });
      m.bindTooltip(p.place + ": " + p.n + " event" + (p.n === 1 ? "" : "s") +
        (p.fatalities ? ", " + p.fatalities + " killed" : ""));
      m.on("click", function () { showPlace(p); });
      m.sitroomPlace = p.place;
      cluster.addLayer(m);
      bounds.push([p.lat, p.lon]);
    });
    map.addLayer(cluster);
    window.sitroomMarkers = cluster;
    if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 5 }); }
    status.textContent = res.points.length + " places, " + res.events + " events" +
      (res.truncated ? " (the newest matching; narrow the dates for older ones)" : "") + ".";
    if (!res.points.length) { status.textContent = "No events with a known place match these filters."; }
    legend.replaceChildren();
    Object.keys(res.colours).sort().forEach(function (t) {
      var key = el("span", null, "key");
      var dot = el("span", null, "dot");
      dot.style.backgroundColor = res.colours[t];  // CSSOM, not a style attribute: allowed by the CSP
      key.append(dot, document.createTextNode(" " + t));
      legend.append(key);
    });
  }).catch(function (err) { status.textContent = "Could not load the events: " + err.message; });
})();
