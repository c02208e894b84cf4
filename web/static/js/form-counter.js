/* A live character counter under long texts, announced politely to screen readers. */
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
    var max = parseInt(area.getAttribute("data-max-length"), 10);
    var counter = document.getElementById(area.id + "-counter");
    if (!counter) { return; }
    counter.setAttribute("aria-live", "polite");
    function update() {
      var left = max - area.value.length;
      counter.textContent = left >= 0
        ? left + " caractère" + (left > 1 ? "s" : "") + " restant" + (left > 1 ? "s" : "") + " sur " + max + "."
        : "Vous avez dépassé la limite de " + (-left) + " caractère" + (-left > 1 ? "s" : "") + " (" + max + " au plus).";
      counter.classList.toggle("fr-message--error", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });
})();
