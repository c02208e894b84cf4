/* Keep what is typed: a few seconds after the last keystroke, post the step as a draft (nothing validated).
   The server keeps it as the step's pending input, so a closed tab or a lost connection loses a few seconds at
   most. The page posts the version it was built from and its own token: the server refuses (409) when another
   tab or person saved since, and this page then says so and stops autosaving — it never takes on a newer
   version, so its « Suivant » cannot silently overwrite another save. Without JavaScript, « Enregistrer et
   quitter » and the step buttons still save. */
(function () {
  "use strict";
  var form = document.getElementById("form-etape");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData || !form.dataset.autosaveUrl) { return; }
  var timer = null;
  var sending = false;
  var again = false;
  var stale = false;    // another save happened since this page was built: autosave is over for this page
  var leaving = false;  // « Suivant » or another button was pressed: answers to older autosaves are moot

  function warn(message) {
    var alert = document.getElementById("autosave-conflict");
    if (!alert) {
      alert = document.createElement("div");
      alert.id = "autosave-conflict";
      alert.className = "fr-alert fr-alert--warning fr-alert--sm fr-mb-3w";
      alert.setAttribute("role", "alert");
      alert.appendChild(document.createElement("p"));
      form.insertBefore(alert, form.firstChild);
    }
    alert.firstChild.textContent = message;
  }

  function show(response, body) {
    if (leaving) { return; }
    if (response.status === 409) {
      stale = true;
      window.clearTimeout(timer);
      warn(body.message);
      status.textContent = "Enregistrement automatique arrêté : ce dossier a été modifié ailleurs.";
    } else if (body.message) {
      status.textContent = body.message;
    } else if (!response.ok) {
      status.textContent = "L'enregistrement automatique n'a pas abouti (erreur " + response.status + ") : " +
        "utilisez « Enregistrer et quitter ».";
    }
  }

  function save() {
    if (stale || leaving) { return; }
    if (sending) { again = true; return; }
    sending = true;
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    data.delete("action");
    fetch(form.dataset.autosaveUrl, { method: "POST", body: data, credentials: "same-origin",
                                       headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) { show(response, body); });
      })
      .catch(function () {
        if (!leaving) {
          status.textContent = "Hors connexion : vos saisies seront enregistrées dès le retour du réseau.";
        }
      })
      .then(function () {
        sending = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    if (stale) { return; }
    leaving = false;  // typing again after a button whose sending failed (upload interrupted)
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  window.addEventListener("online", schedule);
  form.addEventListener("submit", function () { leaving = true; window.clearTimeout(timer); });
})();
