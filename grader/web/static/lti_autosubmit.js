// Sends the LTI Deep Linking answer back to the LMS at once (a static file: the CSP allows
// scripts from 'self' only). Without JavaScript the page's button does the same.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("lti-return");
  if (form) { form.submit(); }
});
