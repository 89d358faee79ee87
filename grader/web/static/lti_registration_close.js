// LTI Dynamic Registration: tell the LMS the registration is done (it closes this frame).
// A static file: the CSP allows scripts from 'self' only.
(function () {
  function close() { (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*"); }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("lti-close");
    if (button) { button.addEventListener("click", close); }
  });
})();
