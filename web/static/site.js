// Enhancements only: every page works without this file. No inline script or
// style is allowed here (Content-Security-Policy), so charts read their data from a
// data-chart attribute and draw on a canvas, tooltips included (richText).
"use strict";

(function () {
  // One colour per series (a funding source, a status), told apart in print too.
  var PALETTE = ["#1d70b8", "#00703c", "#d4351c", "#f47738", "#4c2c92", "#505a5f"];

  function drawChart(element) {
    if (typeof echarts === "undefined") return;
    var spec = JSON.parse(element.getAttribute("data-chart"));
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 64, right: 16, top: 16, bottom: spec.series ? 56 : 32 },
      xAxis: { type: "category", data: spec.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series
        ? spec.series.map(function (one, n) {
            return { type: "bar", stack: "all", name: one.name, data: one.values,
                     itemStyle: { color: PALETTE[n % PALETTE.length] } };
          })
        : [{ type: spec.kind || "bar", data: spec.values, itemStyle: { color: "#1d70b8" } }],
      legend: spec.series ? { bottom: 0 } : undefined,
    });
    element.setAttribute("data-chart-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawCharts(root) {
    root.querySelectorAll("[data-chart]:not([data-chart-drawn])").forEach(drawChart);
  }

  // A subsidy form's funding shares, added up as they are typed (the server adds
  // them up too, and the ledger checks they make the amount).
  function liveSum(form) {
    var output = form.querySelector("#share-sum");
    if (!output) return;
    var inputs = form.querySelectorAll("input[name^='share_']");
    function update() {
      var fen = 0;
      inputs.forEach(function (input) {
        var text = input.value.replace(/[\s,，¥￥]/g, "");
        if (/^[0-9]+(\.[0-9]{1,2})?$/.test(text)) {
          var parts = text.split(".");
          fen += parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
        }
      });
      var yuan = Math.floor(fen / 100).toLocaleString("en-US") + "." + String(fen % 100).padStart(2, "0");
      output.textContent = yuan;
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    document.querySelectorAll("form[data-shares]").forEach(liveSum);
  });
  // Content HTMX swaps in may hold charts too.
  document.addEventListener("htmx:load", function (event) { drawCharts(event.target); });
})();
