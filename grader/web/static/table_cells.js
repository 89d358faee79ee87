/* The AD-table editor: every cell checked as it is typed (names here, expressions and values by
   POST /api/v1/validate), every problem of a table listed under it at once, each bad cell marked
   aria-invalid. Used by form.js; no inline handlers. */
(function () {
  "use strict";
  var NAME = /^(y|[A-Za-z](_(\{-?[A-Za-z0-9]+\}|-?[A-Za-z0-9]+))?)$/;

  function setup(table, deps) {
    var api = deps.api, el = deps.el, openHelp = deps.openHelp;
    var qid = table.dataset.table;
    var list = document.getElementById("problems-" + qid);
    var problems = {};  /* input id -> message */
    function render() {
      list.replaceChildren();
      var ids = Object.keys(problems).filter(function (k) { return problems[k]; });
      table.dataset.problems = String(ids.length);
      if (!ids.length) { return; }
      list.append(el("p", "label", ids.length === 1 ? "1 problem in this table:" : ids.length + " problems in this table:"));
      var ul = el("ul", "flags");
      ids.sort(function (a, b) {
        return Number(document.getElementById(a).dataset.row) - Number(document.getElementById(b).dataset.row);
      }).forEach(function (id) { ul.append(el("li", "flag error", problems[id])); });
      list.append(ul);
    }
    function set(input, message) {
      problems[input.id] = message || "";
      input.setAttribute("aria-invalid", message ? "true" : "false");
      render();
    }
    function label(input) {
      var kind = { name: "name", expr: "expression", number: input.id.indexOf("-adjoint-") > 0 ? "adjoint" : "value" }[input.dataset.cell];
      return "Row " + input.dataset.row + " " + kind + ": ";
    }
    function checkCell(input) {
      var text = input.value.trim();
      if (!text) { set(input, ""); return; }
      if (input.dataset.cell === "name") {
        /* \bar{v}_1 names the adjoint of v_1, as the grader reads it */
        var plain = text.replace(/\\(bar|overline)\s*\{([^{}]*)\}/g, "$2").replace(/\\bar\s*/g, "").replace(/\s+/g, "");
        set(input, NAME.test(plain) ? "" : label(input) + "“" + text + "” is not a row name (v_1, v_{-2} or y).");
        return;
      }
      var mine = (input._seq = (input._seq || 0) + 1);
      api("POST", "/api/v1/validate", { answer: text }).then(function (res) {
        if (mine !== input._seq) { return; }
        var d = res.data || {};
        if (res.status !== 200) { set(input, label(input) + (d.error || "could not be checked")); return; }
        if (!d.ok) { set(input, label(input) + d.error + (d.column ? " (column " + d.column + ")" : "")); return; }
        if (input.dataset.cell === "number" && d.symbols && d.symbols.length) {
          set(input, label(input) + "“" + text + "” is not a number (it contains " + d.symbols.join(", ") + ").");
          return;
        }
        set(input, "");
      }).catch(function () { set(input, ""); });
    }
    table.querySelectorAll("input[data-cell]").forEach(function (input) {
      var timer = null;
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { checkCell(input); }, 300); });
      input.addEventListener("focus", function () { openHelp(qid); });
      if (input.value.trim() && input.dataset.cell !== "name") { checkCell(input); }
    });
  }


  window.GraderTableCells = { setup: setup };
})();
