/* Follow a batch of decisions being sent: poll its figures and update the progress bar; reload when done. */
(function () {
  "use strict";
  var box = document.getElementById("progression");
  if (!box || box.getAttribute("data-finished") === "true") { return; }
  var bar = document.getElementById("barre-progression");
  var text = document.getElementById("progression-texte");
  function plural(n, word) { return n + " " + word + (n > 1 ? "s" : ""); }
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.max = state.total;
        bar.value = state.sent + state.failed;
        bar.textContent = state.percent + " %";
        text.textContent = plural(state.sent, "envoyée") + " sur " + state.total + ", " + state.failed +
          " en échec, " + plural(state.pending, "restante") + (state.finished ? " — envoi terminé." : ".");
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
