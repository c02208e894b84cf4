/* Keep what is typed: a few seconds after the last keystroke, post the step as a draft (nothing validated).
   The server keeps it as the step's raw input, so a closed tab or a lost connection loses a few seconds at
   most. Without JavaScript, « Enregistrer et quitter » and the step buttons still save. */
(function () {
  "use strict";
  var form = document.getElementById("form-etape");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) { return; }
  var timer = null;
  var sending = false;
  var again = false;

  function save() {
    if (sending) { again = true; return; }
    sending = true;
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    data.set("action", "autosave");
    fetch(window.location.pathname, { method: "POST", body: data, credentials: "same-origin",
                                      headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.json().then(function (body) {
          status.textContent = body.message;
          var version = form.querySelector("input[name=version]");
          if (version && body.version) { version.value = body.version; }  // our own save is not a conflict
        });
      })
      .catch(function () {
        status.textContent = "Hors connexion : vos saisies seront enregistrées dès le retour du réseau.";
      })
      .then(function () {
        sending = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  window.addEventListener("online", schedule);
  form.addEventListener("submit", function () { window.clearTimeout(timer); });
})();
