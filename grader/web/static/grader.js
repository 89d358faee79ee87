/* Grader pages: grading and regrade progress (the assignment form: form.js). No framework, no CDN. */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function api(method, url, body) {
    var opts = { method: method, credentials: "same-origin",
                 headers: { "Accept": "application/json", "X-CSRF-Token": csrf } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  /* Poll a submission until it is graded, then reload to show the grades. */
  function pollSubmission(box) {
    var status = document.getElementById("grading-status");
    var delay = 500;
    function tick() {
      api("GET", "/api/v1/submissions/" + box.dataset.submission).then(function (res) {
        if (res.status === 200 && res.data.status === "graded") { window.location.reload(); return; }
        if (res.status === 200) { status.textContent = "Grading… (" + res.data.status + ")"; }
        delay = Math.min(delay * 1.5, 3000);
        setTimeout(tick, delay);
      }).catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, delay);
  }

  /* Poll a regrade job and show its progress. */
  function pollRegrade(box) {
    var bar = document.getElementById("regrade-bar"), text = document.getElementById("regrade-status");
    var button = document.getElementById("regrade-button");
    if (button) { button.disabled = true; }  /* one regrade at a time */
    function tick() {
      api("GET", "/api/v1/regrade-jobs/" + box.dataset.job).then(function (res) {
        if (res.status !== 200) { text.textContent = res.data.error || "unknown job"; return; }
        var j = res.data;
        bar.max = Math.max(j.total, 1); bar.value = j.total ? j.done : 1;
        text.textContent = j.done + " of " + j.total + " regraded (" + j.status + ")";
        if (j.status === "done" || j.status === "failed") {
          if (button) { button.disabled = false; }
          var a = el("a", "", " Reload to see the new results.");
          a.href = window.location.pathname;
          text.append(a);
          return;
        }
        setTimeout(tick, 1000);
      }).catch(function () { setTimeout(tick, 3000); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var grading = document.getElementById("grading-progress");
    if (grading) { pollSubmission(grading); }
    var regrade = document.getElementById("regrade-progress");
    if (regrade) { pollRegrade(regrade); }
  });
})();
