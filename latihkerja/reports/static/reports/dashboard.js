/* Draws every chart of the dashboard from the JSON embedded by the page (json_script "lk-chart-data"). */
(function () {
  "use strict";
  var source = document.getElementById("lk-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var palette = ["#0b5394", "#e69138", "#38761d", "#990000", "#674ea7", "#45818e"];
  var specs = JSON.parse(source.textContent);
  window.lkCharts = {};
  specs.forEach(function (spec) {
    var canvas = document.getElementById("chart-" + spec.id);
    if (!canvas) { return; }
    var box = canvas.parentElement;
    if (box && box.dataset.height) { box.style.height = box.dataset.height + "px"; }
    var datasets = spec.datasets.map(function (dataset, i) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
        fill: false,
        tension: 0.2
      };
    });
    var horizontal = spec.type === "bar" && spec.labels.length > 8;
    window.lkCharts[spec.id] = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { x: { beginAtZero: true, ticks: { autoSkip: true } }, y: { beginAtZero: true, ticks: { autoSkip: !horizontal } } }
      }
    });
  });
}());
