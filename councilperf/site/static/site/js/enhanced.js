/* Marks the page as scripted before it is drawn (GOV.UK Frontend's js-enabled classes).
   A file, not an inline script, so the Content-Security-Policy allows scripts from the site only. */
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
