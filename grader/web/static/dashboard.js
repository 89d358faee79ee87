/* The instructor dashboard: a regrade asks first (an in-page dialog, not window.confirm) and its
   button stays disabled while the regrade runs (grader.js polls it). No inline handlers. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("regrade-form"), dialog = document.getElementById("regrade-dialog");
    if (!form || !dialog) { return; }
    var confirmed = false;
    form.addEventListener("submit", function (e) {
      if (confirmed) { return; }
      e.preventDefault();
      dialog.showModal();
    });
    document.getElementById("regrade-cancel").addEventListener("click", function () { dialog.close(); });
    document.getElementById("regrade-confirm").addEventListener("click", function () {
      confirmed = true;
      dialog.close();
      var button = document.getElementById("regrade-button");
      button.disabled = true;
      button.textContent = "Regrade starting…";
      form.submit();
    });
  });
})();
