// Live alerts: every page listens to /alerts/stream (server-sent events). The Alerts page
// puts new alerts at the top of its list; other pages count them on the Alerts link.
// Text is set with textContent only: an alert's title comes from ingested reporting.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var list = document.getElementById("alerts-list");
  var nav = document.getElementById("nav-alerts");
  var status = document.getElementById("alerts-status");
  var after = list ? list.getAttribute("data-after") : null;
  var rule = list ? list.getAttribute("data-rule") : "";
  var unseen = 0;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function localLink(link) {
    return typeof link === "string" && link.charAt(0) === "/" && link.charAt(1) !== "/";
  }

  function show(a) {
    if (rule && a.rule !== rule) { return; }
    var li = el("li", "", "alert new rule-" + String(a.rule).replace(/[^a-z]/g, ""));
    li.append(el("span", (a.created_at || "").replace("T", " ").slice(0, 16) + " · " + a.rule, "muted"), " ");
    var title = el("bdi", a.title);
    if (localLink(a.link)) {
      var link = el("a");
      link.href = a.link;
      link.append(title);
      li.append(link);
    } else {
      li.append(title);
    }
    if (a.detail) { var d = el("div", a.detail, "muted"); d.dir = "auto"; li.append(d); }
    var empty = list.querySelector(".empty");
    if (empty) { empty.remove(); }
    list.prepend(li);
    if (status) { status.textContent = "new alert: " + a.title; }
  }

  var url = "/alerts/stream" + (after ? "?after=" + encodeURIComponent(after) : "");
  var source = new EventSource(url);
  source.addEventListener("alert", function (ev) {
    var a;
    try { a = JSON.parse(ev.data); } catch (e) { return; }
    if (list) { show(a); return; }
    if (nav) {
      unseen += 1;
      nav.textContent = "Alerts (" + unseen + " new)";
      nav.classList.add("has-new");
    }
  });
}());
