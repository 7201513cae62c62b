/* Funnel plots: hovering over or focusing a point shows its council's figures in words
   below the plot (the same words as the point's title; the table has them all). */
(function () {
  "use strict";
  function setUp(figure) {
    var readout = figure.querySelector(".cp-funnel__readout");
    if (!readout) return;
    function show(event) {
      var point = event.target.closest(".cp-funnel__point");
      if (!point) return;
      figure.querySelectorAll(".cp-funnel__point--active").forEach(function (p) {
        p.classList.remove("cp-funnel__point--active");
      });
      point.classList.add("cp-funnel__point--active");
      readout.textContent = point.getAttribute("data-details");
    }
    figure.addEventListener("mouseover", show);
    figure.addEventListener("focusin", show);
  }
  document.querySelectorAll("[data-module=cp-funnel]").forEach(setUp);
})();
