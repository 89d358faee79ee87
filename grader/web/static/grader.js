/* Grader pages: live answer preview, grading and regrade progress. No framework, no CDN. */
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

  /* The server's 1-based column counts from the start of the whole answer (newlines included):
     which line that is, and the column within it. */
  function where(answer, col) {
    if (!col || col < 1) { return null; }
    var lines = answer.split("\n"), start = 0;
    for (var i = 0; i < lines.length; i++) {
      if (col - 1 <= start + lines[i].length || i === lines.length - 1) {
        return { line: i + 1, lines: lines.length, text: lines[i],
                 column: Math.min(col - start, lines[i].length + 1) };
      }
      start += lines[i].length + 1;
    }
    return null;
  }

  /* Live preview: debounced POST /api/v1/validate for each answer input. */
  function setupPreview(input, assignment) {
    var box = document.getElementById(input.dataset.preview);
    var timer = null, seq = 0;
    function show(answer, res) {
      box.replaceChildren();
      if (!answer.trim()) { input.removeAttribute("aria-invalid"); box.className = "preview"; return; }
      if (res.status !== 200) {
        box.className = "preview problem";
        box.append(el("span", "", (res.data && res.data.error) || "Could not check this answer now."));
        return;
      }
      if (res.data.ok) {
        input.setAttribute("aria-invalid", "false");
        box.className = "preview ok";
        box.append(el("span", "label", "We read your answer as: "));
        var math = el("span", "math");
        math.innerHTML = res.data.mathml;  /* MathML printed by the server from the parsed answer */
        box.append(math);
      } else {
        input.setAttribute("aria-invalid", "true");
        box.className = "preview problem";
        var at = where(answer, res.data.column);
        var place = at ? (at.lines > 1 ? " (line " + at.line + ", column " + at.column + ")" : " (column " + at.column + ")") : "";
        box.append(el("span", "label", "We cannot read this: " + res.data.error + place));
        if (at) {
          var pre = el("pre", "caret");
          pre.setAttribute("aria-hidden", "true");  /* the line and column are in the message */
          pre.append(el("span", "", at.text + "\n"));
          /* keep tabs so the caret stays under the character the server named */
          pre.append(el("span", "mark", at.text.slice(0, at.column - 1).replace(/[^\t]/g, " ") + "^"));
          box.append(pre);
        }
      }
    }
    function check() {
      var answer = input.value, mine = ++seq;
      if (!answer.trim()) { show(answer, null); return; }
      box.classList.add("busy");
      api("POST", "/api/v1/validate", { answer: answer, assignment_id: assignment,
                                        question_id: input.dataset.question })
        .then(function (res) { if (mine === seq) { show(answer, res); } })
        .catch(function () { if (mine === seq) { show(answer, { status: 0, data: {} }); } });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
    if (input.value.trim()) { check(); }
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
    function tick() {
      api("GET", "/api/v1/regrade-jobs/" + box.dataset.job).then(function (res) {
        if (res.status !== 200) { text.textContent = res.data.error || "unknown job"; return; }
        var j = res.data;
        bar.max = Math.max(j.total, 1); bar.value = j.total ? j.done : 1;
        text.textContent = j.done + " of " + j.total + " regraded (" + j.status + ")";
        if (j.status === "done" || j.status === "failed") {
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
    var form = document.getElementById("answers-form");
    if (form) {
      form.querySelectorAll("[data-preview]").forEach(function (input) { setupPreview(input, form.dataset.assignment); });
      form.addEventListener("submit", function () {
        var b = document.getElementById("submit-answers");
        setTimeout(function () { b.disabled = true; b.textContent = "Submitting…"; }, 0);
      });
    }
    var grading = document.getElementById("grading-progress");
    if (grading) { pollSubmission(grading); }
    var regrade = document.getElementById("regrade-progress");
    if (regrade) { pollRegrade(regrade); }
  });
})();
