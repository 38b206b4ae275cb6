// Review forms: the write token typed once (kept in sessionStorage for this tab) is copied
// into each form's hidden token field on submit.
(function () {
  "use strict";
  var input = document.getElementById("review-token");
  if (!input) { return; }
  try { input.value = sessionStorage.getItem("sitroom-token") || ""; } catch (e) { /* storage off */ }
  input.addEventListener("change", function () {
    try { sessionStorage.setItem("sitroom-token", input.value); } catch (e) { /* storage off */ }
  });
  document.querySelectorAll("form.review-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var field = form.querySelector("input.token-field");
      if (field) { field.value = input.value; }
    });
  });
})();
