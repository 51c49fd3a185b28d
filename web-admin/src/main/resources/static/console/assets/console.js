// The console's behaviour: deadline countdowns and the federation page's charts, redrawn after each htmx refresh.
(function () {
  'use strict';

  function countdowns() {
    document.querySelectorAll('[data-deadline]').forEach(function (el) {
      var left = Math.max(0, Math.round((Number(el.dataset.deadline) - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = (h > 0 ? h + ':' + String(m).padStart(2, '0') : m) + ':' + String(s).padStart(2, '0');
    });
  }

  var charts = {};

  function chart(id, type, labels, datasets) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === 'undefined') {
      return;
    }
    canvas.dataset.points = String(labels.length);
    if (charts[id]) {
      charts[id].data.labels = labels;
      charts[id].data.datasets.forEach(function (d, i) { d.data = datasets[i].data; });
      charts[id].update('none');
      return;
    }
    charts[id] = new Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, spanGaps: true,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { y: { beginAtZero: type === 'bar' } }
      }
    });
  }

  function line(label, data, color) {
    return { label: label, data: data, borderColor: color, backgroundColor: color, pointRadius: 2, tension: 0.2 };
  }

  function drawCharts() {
    var live = document.getElementById('live');
    if (!live || !live.dataset.series) {
      return;
    }
    var s = JSON.parse(live.dataset.series);
    var label = function (id, key) { return document.getElementById(id).dataset[key || 'label']; };
    chart('chart-accuracy', 'line', s.rounds, [line(label('chart-accuracy'), s.testAccuracy, '#1f5fbf')]);
    chart('chart-loss', 'line', s.rounds, [line(label('chart-loss'), s.testLoss, '#b42318'),
      line(label('chart-loss', 'label2'), s.trainLoss, '#9a6700')]);
    chart('chart-bytes', 'bar', s.rounds, [line(label('chart-bytes'), s.megabytes, '#1a7f37')]);
    chart('chart-time', 'bar', s.rounds, [line(label('chart-time'), s.seconds, '#5b6576')]);
    if (document.getElementById('chart-epsilon')) {
      chart('chart-epsilon', 'line', s.rounds, [line(label('chart-epsilon'), s.epsilon, '#6e40c9')]);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts();
    countdowns();
    setInterval(countdowns, 1000);
  });
  document.addEventListener('htmx:afterSettle', function () {
    drawCharts();
    countdowns();
  });
})();
