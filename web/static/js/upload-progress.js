/* Show the progress of a file upload (large PDFs on a slow mobile connection), then carry on as the
   server says: follow its redirect, or show the page it answered (errors). Without JavaScript, or with no
   file chosen, the form posts as usual. */
(function () {
  "use strict";
  var form = document.getElementById("form-etape");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var status = document.getElementById("upload-status");

  form.addEventListener("submit", function (event) {
    var chosen = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
    if (!chosen || !status) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.set(event.submitter.name, event.submitter.value); }
    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action") || window.location.pathname);
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        status.textContent = "Envoi des fichiers : " + Math.round(progress.loaded * 100 / progress.total) + " %";
      }
    });
    request.addEventListener("load", function () {
      if (request.responseURL && request.responseURL !== window.location.href && request.status < 400) {
        window.location.replace(request.responseURL);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      status.textContent = "L'envoi a échoué (connexion interrompue ?). Vos saisies sont conservées : réessayez.";
    });
    status.textContent = "Envoi des fichiers : 0 %";
    request.send(data);
  });
})();
