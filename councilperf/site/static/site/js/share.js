/* The share box (site/includes/share.html), as progressive enhancement: without JavaScript
   the page's link is a field to copy. With it, a "Share this page" button opens the device's
   share sheet (Web Share API) where there is one, and "Copy link" copies the link; the
   citation's access date becomes today's (the page may have been cached on an earlier day). */
(function () {
  "use strict";

  function say(box, text) {
    var status = box.querySelector("[data-share-status]");
    if (status) status.textContent = text;
  }

  function copy(box, field) {
    var text = field.value;
    function done() { say(box, "Link copied: " + text); }
    function fallback() {
      field.focus();
      field.select();
      try {
        if (document.execCommand("copy")) { done(); return; }
      } catch (e) { /* not allowed: the link stays selected */ }
      say(box, "Select the link above and copy it.");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function accessedToday(box) {
    var holder = box.querySelector("[data-accessed]");
    if (!holder) return;
    var now = new Date();
    var months = ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"];
    var words = now.getDate() + " " + months[now.getMonth()] + " " + now.getFullYear();
    var iso = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
    var oldWords = holder.getAttribute("data-accessed");
    var oldIso = holder.getAttribute("data-accessed-iso");
    Array.prototype.forEach.call(holder.querySelectorAll("[data-cite]"), function (node) {
      node.textContent = node.textContent.split("accessed " + oldWords).join("accessed " + words)
        .split("{" + oldIso + "}").join("{" + iso + "}");
    });
    holder.setAttribute("data-accessed", words);
    holder.setAttribute("data-accessed-iso", iso);
  }

  function setUp(box) {
    var field = box.querySelector(".cp-share__url");
    var actions = box.querySelector(".cp-share__actions");
    if (!field || !actions) return;
    var share = box.querySelector("[data-share-button]");
    var copyButton = box.querySelector("[data-copy-button]");
    actions.hidden = false;
    if (share && navigator.share) {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: share.getAttribute("data-share-title") || document.title, url: field.value })
          .then(function () { say(box, ""); }, function () { /* cancelled: nothing to say */ });
      });
    }
    copyButton.addEventListener("click", function () { copy(box, field); });
    field.addEventListener("focus", function () { field.select(); });
    accessedToday(box);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-module=cp-share]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
