/* The assignment form: honest live preview, syntax help in place, AD-table cell checks,
   per-question Check, and a submit that sends only changed answers and asks before sending
   answers the preview flags. No framework, no CDN, no inline handlers (the CSP forbids them). */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function api(method, url, body, headers) {
    var opts = { method: method, credentials: "same-origin",
                 headers: { "Accept": "application/json", "X-CSRF-Token": csrf } };
    Object.keys(headers || {}).forEach(function (k) { opts.headers[k] = headers[k]; });
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; },
                           function () { return { status: r.status, data: {} }; });
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function openHelp(qid) {
    var help = document.getElementById("help-" + qid);
    if (help) { help.open = true; }
  }

  /* The server's 1-based column counts from the start of the whole answer (newlines included). */
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

  /* --- the live preview of one answer ------------------------------------------------------ */
  function setupPreview(input, assignment) {
    var box = document.getElementById(input.dataset.preview);
    var qid = input.dataset.question;
    var timer = null, seq = 0;
    function show(answer, res) {
      box.replaceChildren();
      box.dataset.status = "";
      if (!answer.trim()) { input.removeAttribute("aria-invalid"); box.className = "preview"; return; }
      if (res.status !== 200) {
        box.className = "preview problem";
        box.dataset.status = "error";
        box.append(el("span", "", (res.data && res.data.error) || "Could not check this answer now."));
        return;
      }
      var d = res.data;
      box.dataset.status = d.status || (d.ok ? "ok" : "error");
      if (!d.ok) {
        input.setAttribute("aria-invalid", "true");
        box.className = "preview problem";
        var at = where(answer, d.column);
        var place = at ? (at.lines > 1 ? " (line " + at.line + ", column " + at.column + ")" : " (column " + at.column + ")") : "";
        box.append(el("span", "label", "We cannot read this: " + d.error + place));
        if (at) {
          var pre = el("pre", "caret");
          pre.setAttribute("aria-hidden", "true");  /* the line and column are in the message */
          pre.append(el("span", "", at.text + "\n"));
          pre.append(el("span", "mark", at.text.slice(0, at.column - 1).replace(/[^\t]/g, " ") + "^"));
          box.append(pre);
        }
        openHelp(qid);
        return;
      }
      var level = d.status === "error" ? "problem" : (d.status === "warning" ? "warn" : "ok");
      input.setAttribute("aria-invalid", d.status === "error" ? "true" : "false");
      box.className = "preview " + level;
      var line = el("p", "read");
      line.tabIndex = 0;  /* a long formula scrolls here: reachable by keyboard */
      line.append(el("span", "label", "We read your answer as: "));
      var math = el("span", "math");
      math.innerHTML = d.typed_mathml || d.mathml;  /* MathML printed by the server from the parser's tree */
      line.append(math);
      box.append(line);
      if (d.symbols && d.symbols.length) {
        box.append(el("p", "symbols", "Symbols: " + d.symbols.join(", ")));
      }
      if (d.flags && d.flags.length) {
        var list = el("ul", "flags");
        d.flags.forEach(function (f) { list.append(el("li", "flag " + f.level, f.message)); });
        box.append(list);
        openHelp(qid);
      }
    }
    var latest = Promise.resolve();
    function check() {
      var answer = input.value, mine = ++seq;
      timer = null;
      if (!answer.trim()) { show(answer, null); latest = Promise.resolve(); return latest; }
      box.classList.add("busy");
      latest = api("POST", "/api/v1/validate", { answer: answer, assignment_id: assignment, question_id: qid })
        .then(function (res) { if (mine === seq) { show(answer, res); } })
        .catch(function () { if (mine === seq) { show(answer, { status: 0, data: {} }); } });
      return latest;
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
    /* the preview of what is typed now: a submit waits for it, so a flag is never missed */
    input._settle = function () {
      if (timer !== null) { clearTimeout(timer); return check(); }
      return latest;
    };
    if (input.value.trim()) { check(); }
  }

  function settle(qids) {
    var waits = [];
    qids.forEach(function (qid) {
      var input = document.getElementById("answer-" + qid);
      if (input && input._settle) { waits.push(input._settle()); }
    });
    return Promise.all(waits);
  }

  /* --- answers of the form, changed or as last stored ------------------------------------------ */
  function fields(qid) {
    return document.querySelectorAll('[data-field="' + qid + '"]');
  }
  /* f._stored: the field's value in the student's latest stored answer (null: not stored, as for
     answers just read from a handed-in document) */
  function changed(qid) {
    return Array.prototype.some.call(fields(qid), function (f) { return f.value !== f._stored; });
  }
  function remember(qid) {  /* the current values are now the stored answer */
    fields(qid).forEach(function (f) { f._stored = f.value; });
    var section = document.getElementById("q-" + qid);
    if (section) { section.dataset.answered = "true"; }
  }
  function answerOf(section, stored) {
    var qid = section.dataset.question;
    function v(id) {
      var f = document.getElementById(id);
      return f ? ((stored ? f._stored : f.value) || "").trim() : "";
    }
    if (section.dataset.type !== "ad_table") { return v("answer-" + qid) || null; }
    var table = document.getElementById("table-" + qid), adjoint = table.dataset.part === "adjoint";
    var rows = adjoint ? {} : [], any = false;
    for (var i = 0; document.getElementById(qid + "-name-" + i); i++) {
      var name = v(qid + "-name-" + i);
      if (!name) { continue; }
      if (adjoint) {
        var a = v(qid + "-adjoint-" + i);
        if (a) { rows[name] = a; any = true; }
      } else {
        var expr = v(qid + "-expr-" + i), value = v(qid + "-value-" + i);
        if (expr || value) { rows.push({ name: name, expr: expr, value: value || null }); any = true; }
      }
    }
    return any ? rows : null;
  }
  /* The checked question's answer as typed, every other one as last stored: only the checked
     answer can cost an attempt (an answer carried over unchanged is no attempt). */
  function checkAnswers(qid) {
    var out = {};
    document.querySelectorAll("section.question[data-question]").forEach(function (section) {
      var mine = section.dataset.question === qid;
      if (!mine && section.dataset.answered !== "true") { return; }
      var value = answerOf(section, !mine);
      if (value !== null) { out[section.dataset.question] = value; }
    });
    return out;
  }

  /* Questions the preview marks red or amber, among those about to be sent. */
  function flagged(qids) {
    return qids.filter(function (qid) {
      var box = document.getElementById("preview-" + qid);
      var table = document.getElementById("table-" + qid);
      return (box && (box.dataset.status === "error" || box.dataset.status === "warning")) ||
             (table && Number(table.dataset.problems || 0) > 0);
    });
  }

  function confirmFlagged(qids, go, action) {
    settle(qids).then(function () { askIfFlagged(qids, go, action); });
  }

  function askIfFlagged(qids, go, action) {
    var bad = flagged(qids);
    if (!bad.length) { go(); return; }
    var dialog = document.getElementById("confirm-dialog"), list = document.getElementById("confirm-list");
    list.replaceChildren();
    bad.forEach(function (qid) {
      var li = el("li"), a = el("a", "", "Question " + qid);
      a.href = "#q-" + qid;
      li.append(a);
      var box = document.getElementById("preview-" + qid);
      var first = box && box.querySelector(".flag, .label");
      if (first) { li.append(document.createTextNode(": " + first.textContent)); }
      list.append(li);
    });
    document.getElementById("confirm-go").textContent = action;
    dialog._go = go;
    dialog.showModal();
  }

  function setupDialog() {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) { return; }
    document.getElementById("confirm-back").addEventListener("click", function () { dialog.close(); });
    document.getElementById("confirm-go").addEventListener("click", function () {
      dialog.close();
      if (dialog._go) { dialog._go(); }
    });
    dialog.querySelector("#confirm-list").addEventListener("click", function (e) {
      if (e.target.tagName === "A") { dialog.close(); }
    });
  }

  /* --- per-question Check: an ordinary submission, polled until graded ---------------------- */
  function setupCheck(button, form) {
    var qid = button.dataset.check;
    var box = document.getElementById("check-result-" + qid);
    function say(text, cls) { box.replaceChildren(el("p", cls || "", text)); }
    function fragment(id) {
      return fetch("/submissions/" + id + "/questions/" + encodeURIComponent(qid) + "/check",
                   { credentials: "same-origin" }).then(function (r) { return r.text(); });
    }
    function poll(id, delay) {
      api("GET", "/api/v1/submissions/" + id).then(function (res) {
        if (res.status === 200 && res.data.status === "graded") {
          fragment(id).then(function (html) {
            box.innerHTML = html;  /* rendered by the server: escaped text and MathML */
            var attempts = box.querySelector("[data-attempts]"), here = document.getElementById("attempts-" + qid);
            if (attempts && here) { here.innerHTML = attempts.innerHTML; attempts.remove(); }
            var verdict = box.querySelector(".verdict");
            if (verdict && /invalid/.test(verdict.className)) { openHelp(qid); }
            button.disabled = !!here && here.innerHTML.indexOf("Attempts left: <strong>0<") >= 0;
            button.textContent = "Check this answer";
          });
          return;
        }
        if (res.status !== 200) { say(res.data.error || "Could not read the result.", "flag error"); button.disabled = false; return; }
        say("Checking… (" + res.data.status + ")", "muted");
        setTimeout(function () { poll(id, Math.min(delay * 1.5, 3000)); }, delay);
      }).catch(function () { setTimeout(function () { poll(id, 3000); }, 3000); });
    }
    function send() {
      var answers = checkAnswers(qid);
      if (!(qid in answers)) { say("Type an answer first.", "flag warning"); return; }
      button.disabled = true;
      button.textContent = "Checking…";
      say("Checking…", "muted");
      var key = "check-" + qid + "-" + Date.now() + "-" + Math.random().toString(36).slice(2);
      api("POST", "/api/v1/assignments/" + encodeURIComponent(form.dataset.assignment) + "/submissions",
          { answers: answers }, { "Idempotency-Key": key.slice(0, 100) })
        .then(function (res) {
          if (res.status !== 202 && res.status !== 200) {
            say(res.data.error || "The check could not be sent.", "flag error");
            button.disabled = false; button.textContent = "Check this answer";
            return;
          }
          remember(qid);
          poll(res.data.id, 400);
        }).catch(function () {
          say("The check could not be sent; try again.", "flag error");
          button.disabled = false; button.textContent = "Check this answer";
        });
    }
    button.addEventListener("click", function () { confirmFlagged([qid], send, "Check anyway"); });
  }

  /* --- the whole form -------------------------------------------------------------------------- */
  function setupForm(form) {
    var message = document.getElementById("submit-message");
    form.querySelectorAll("[data-preview]").forEach(function (input) { setupPreview(input, form.dataset.assignment); });
    form.querySelectorAll("table[data-table]").forEach(function (table) {
      window.GraderTableCells.setup(table, { api: api, el: el, openHelp: openHelp });
    });
    form.querySelectorAll("button[data-check]").forEach(function (b) { setupCheck(b, form); });
    form.querySelectorAll("[data-field]").forEach(function (f) {
      var section = document.getElementById("q-" + f.dataset.field);
      f._stored = section && section.dataset.found === "true" ? null : f.defaultValue;
      f.addEventListener("focus", function () { openHelp(f.dataset.field); });
    });
    /* Enter in an answer never submits the whole assignment */
    form.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target.tagName === "INPUT") { e.preventDefault(); }
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var qids = [];
      form.querySelectorAll("section.question[data-question]").forEach(function (s) {
        if (changed(s.dataset.question)) { qids.push(s.dataset.question); }
      });
      if (!qids.length) {
        message.textContent = "Nothing changed since your last submission: nothing was sent and no attempt was used.";
        return;
      }
      confirmFlagged(qids, function () {
        /* unchanged answers are not sent: they keep their grade and cost no attempt */
        form.querySelectorAll("section.question[data-question]").forEach(function (s) {
          if (qids.indexOf(s.dataset.question) < 0) {
            fields(s.dataset.question).forEach(function (f) { f.disabled = true; });
          }
        });
        var b = document.getElementById("submit-answers");
        b.disabled = true; b.textContent = "Submitting…";
        message.textContent = "Sending " + qids.length + " changed answer" + (qids.length === 1 ? "" : "s") + "…";
        form.submit();
      }, "Submit anyway");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("answers-form");
    if (form) { setupForm(form); setupDialog(); }
  });
})();
