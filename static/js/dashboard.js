/* The dashboard's charts (ECharts, served from static/vendor). Every segment carries the URL of
 * the list of assignments behind it: clicking it opens that list. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  // On a phone every month label is still drawn, turned so that they do not overlap.
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = window.echarts.init(element);
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("chart-status", {
    tooltip: { trigger: "item" },
    color: ["#6c757d", "#dc3545", "#198754", "#ffc107"],
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["45%", "70%"], data: data.status, label: { formatter: "{b}\n{c}" } }]
  });

  draw("chart-deadlines", {
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.due, data.labels.due_closed] },
    grid: { containLabel: true, left: 8, right: 8 },
    xAxis: { type: "category", data: data.months, axisLabel: { interval: 0, rotate: narrow ? 60 : 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.due, type: "bar", data: data.due, itemStyle: { color: "#0d6efd" } },
      { name: data.labels.due_closed, type: "bar", data: data.due_closed, itemStyle: { color: "#6c757d" } }
    ]
  });

  // Every department gets a bar and its name: the chart grows with the departments and its
  // box scrolls (no labels dropped, no zoom); a zero score is drawn and labelled 0.
  var ranking = data.ranking.slice().reverse();
  var rankingBox = document.getElementById("chart-ranking");
  if (rankingBox) { rankingBox.style.height = Math.max(360, ranking.length * 26 + 40) + "px"; }
  draw("chart-ranking", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 40, top: 10, bottom: 24, containLabel: true },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: ranking.map(function (d) { return d.name; }), axisLabel: { interval: 0 } },
    series: [{
      name: data.labels.score, type: "bar", data: ranking, itemStyle: { color: "#198754" }, barMinHeight: 2,
      label: { show: true, position: "right", formatter: function (p) { return p.data.label; } }
    }]
  });

  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    grid: { containLabel: true, left: 8, right: 16 },
    xAxis: { type: "category", data: data.trend_months, axisLabel: { interval: 0, rotate: narrow ? 60 : 45 } },
    yAxis: { type: "value", max: 100 },
    series: [{ name: data.labels.trend, type: "line", data: data.trend, connectNulls: false, smooth: true,
               showSymbol: true, label: { show: true, formatter: function (p) { return p.value === null ? "" : p.value + "%"; } } }]
  });
})();
