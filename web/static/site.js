// Enhancements only: every page works without this file. No inline script or
// style is allowed here (Content-Security-Policy), so charts read their data from a
// data-chart attribute and draw on a canvas, tooltips included (richText).
"use strict";

(function () {
  function drawChart(element) {
    if (typeof echarts === "undefined") return;
    var spec = JSON.parse(element.getAttribute("data-chart"));
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: "category", data: spec.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: spec.kind || "bar", data: spec.values, itemStyle: { color: "#1d70b8" } }],
    });
    element.setAttribute("data-chart-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawCharts(root) {
    root.querySelectorAll("[data-chart]:not([data-chart-drawn])").forEach(drawChart);
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  // Content HTMX swaps in may hold charts too.
  document.addEventListener("htmx:load", function (event) { drawCharts(event.target); });
})();
