/* Draws every chart of the dashboard from the JSON embedded by the page (json_script "lk-chart-data"). */
(function () {
  "use strict";
  var source = document.getElementById("lk-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var palette = ["#0b5394", "#e69138", "#38761d", "#990000", "#674ea7", "#45818e"];
  // One colour per measure on every chart, whatever its position in a chart's legend.
  var colours = {
    registered: "#0b5394", allocated: "#e69138", completed: "#38761d", batches: "#990000",
    demand: "#674ea7", attending: "#45818e", dropped_out: "#7f6000"
  };
  // Numbers and month names follow the page's language, not the browser's.
  var language = document.documentElement.lang || "id";
  var monthName = new Intl.DateTimeFormat(language, { month: "short", year: "numeric" });
  var specs = JSON.parse(source.textContent);
  window.lkCharts = {};
  specs.forEach(function (spec) {
    var canvas = document.getElementById("chart-" + spec.id);
    if (!canvas) { return; }
    var box = canvas.parentElement;
    if (box && box.dataset.height) { box.style.height = box.dataset.height + "px"; }
    var labels = spec.labels;
    var series = spec.datasets.map(function (dataset) { return dataset.data; });
    if (Array.isArray(spec.x) && spec.x.length) {
      // Months (spec.x: months since year 0): every month from the first to the last gets a point, so a quiet
      // stretch shows as zeros at its true length instead of two distant months drawn side by side.
      var first = spec.x[0];
      var at = {};
      spec.x.forEach(function (month, k) { at[month] = k; });
      labels = [];
      series = series.map(function () { return []; });
      for (var month = first; month <= spec.x[spec.x.length - 1]; month++) {
        labels.push(monthName.format(new Date(Math.floor(month / 12), month % 12, 1)));
        series.forEach(function (values, i) {
          values.push(month in at ? spec.datasets[i].data[at[month]] : 0);
        });
      }
    }
    var datasets = spec.datasets.map(function (dataset, i) {
      var colour = colours[dataset.measure] || palette[i % palette.length];
      return {
        label: dataset.label,
        data: series[i],
        backgroundColor: colour,
        borderColor: colour,
        pointRadius: labels.length > 24 ? 0 : 3,
        fill: false,
        tension: 0
      };
    });
    var horizontal = spec.type === "bar" && labels.length > 8;
    // Long names (themes, OPDs) are shortened on the axis to what the chart's width leaves them; the full
    // name is in the tooltip and in the chart's table.
    var shorten = function (value) {
      var label = String(this.getLabelForValue(value));
      var room = Math.max(12, Math.floor(canvas.clientWidth / (horizontal ? 18 : 9) / Math.max(1, horizontal ? 1 : labels.length / 4)));
      return label.length > room ? label.slice(0, room - 1) + "\u2026" : label;
    };
    window.lkCharts[spec.id] = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: labels, datasets: datasets },
      options: {
        locale: language,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { beginAtZero: true, ticks: horizontal ? { autoSkip: true } : { autoSkip: true, callback: shorten } },
          y: { beginAtZero: true, ticks: horizontal ? { autoSkip: false, callback: shorten } : { autoSkip: true } }
        }
      }
    });
  });
}());
