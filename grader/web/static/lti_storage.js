// LTI Client Side postMessage storage (1EdTech): keeps the OIDC state and nonce in the LMS's storage
// frame when the browser gives the tool no cookie inside the LMS page. A static file: the CSP
// allows scripts from 'self' only. Login page: lti.put_data both, then on to the LMS's sign-in
// (also when the frame fails: the partitioned cookie may still work). Launch page: lti.get_data
// both and post them with the id_token; when the frame fails, say to open a new window.
(function () {
  "use strict";

  function frame(name) {
    var home = window.opener || window.parent;
    if (!home || home === window) { return null; }
    if (name === "_parent") { return home; }
    try { return home.frames[name] || null; } catch (e) { return null; }
  }

  function request(target, origin, timeoutMs, message) {
    return new Promise(function (resolve, reject) {
      var id = message.subject + "-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
      var timer = null;
      function done(listener, ok, value) {
        window.clearTimeout(timer);
        window.removeEventListener("message", listener);
        if (ok) { resolve(value); } else { reject(value); }
      }
      function listener(event) {
        var data = event.data;
        if (event.origin !== origin || !data || typeof data !== "object") { return; }
        if (data.subject !== message.subject + ".response" || data.message_id !== id) { return; }
        if (data.error) { done(listener, false, new Error(String(data.error.message || data.error.code))); return; }
        done(listener, true, data.value);
      }
      window.addEventListener("message", listener);
      timer = window.setTimeout(function () { done(listener, false, new Error("no answer")); }, timeoutMs);
      message.message_id = id;
      target.postMessage(message, origin);
    });
  }

  function failed() {
    var note = document.getElementById("lti-storage-failed");
    if (note) { note.hidden = false; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("lti-storage");
    if (!box) { return; }
    var d = box.dataset;
    var target = frame(d.target);
    var timeout = parseInt(d.timeoutMs, 10) || 2000;
    if (d.mode === "login") {
      var go = function () { window.location.replace(d.next); };
      if (!target) { go(); return; }
      Promise.all([
        request(target, d.origin, timeout, {subject: "lti.put_data", key: d.stateKey, value: d.state}),
        request(target, d.origin, timeout, {subject: "lti.put_data", key: d.nonceKey, value: d.nonce})
      ]).then(go, go);
      return;
    }
    var form = document.getElementById("lti-storage-launch");
    if (!target || !form) { failed(); return; }
    Promise.all([
      request(target, d.origin, timeout, {subject: "lti.get_data", key: d.stateKey}),
      request(target, d.origin, timeout, {subject: "lti.get_data", key: d.nonceKey})
    ]).then(function (values) {
      if (typeof values[0] !== "string" || typeof values[1] !== "string") { failed(); return; }
      form.elements.frame_state.value = values[0];
      form.elements.frame_nonce.value = values[1];
      form.submit();
    }, failed);
  });
}());
