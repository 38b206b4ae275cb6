// Document reader: a hover box explaining each highlight (from its title attribute), and
// scrolling to #s-N even when N is inside a sentence (nearest anchor at or before N).
(function () {
  "use strict";
  var reader = document.getElementById("reader");
  var box = document.getElementById("hoverbox");
  if (!reader) { return; }

  function jump() {
    var m = /^#s-(\d+)$/.exec(window.location.hash);
    if (!m) { return; }
    var want = parseInt(m[1], 10);
    var target = document.getElementById("s-" + want);
    if (!target) {
      var best = null;
      reader.querySelectorAll(".anchor").forEach(function (a) {
        if (parseInt(a.dataset.start, 10) <= want) { best = a; }
      });
      target = best;
    }
    if (target) {
      reader.querySelectorAll(".target").forEach(function (x) { x.classList.remove("target"); });
      var next = target.nextElementSibling;
      if (next && next.tagName === "MARK") { next.classList.add("target"); }
      target.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("hashchange", jump);
  jump();

  if (!box) { return; }
  reader.addEventListener("mouseover", function (evt) {
    var mark = evt.target.closest("mark");
    if (!mark) { box.hidden = true; return; }
    var lines = [];
    for (var m = mark; m && m !== reader; m = m.parentElement) {
      if (m.tagName === "MARK" && m.title) { lines.push(m.title); }
    }
    box.textContent = lines.join("\n");
    box.style.whiteSpace = "pre-line";
    var r = mark.getBoundingClientRect();
    box.style.left = (window.scrollX + r.left) + "px";
    box.style.top = (window.scrollY + r.bottom + 4) + "px";
    box.hidden = false;
  });
  reader.addEventListener("mouseleave", function () { box.hidden = true; });
})();
