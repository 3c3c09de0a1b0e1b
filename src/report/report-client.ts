/**
 * The script that runs in the report page: it reads the embedded JSON and draws every `<canvas data-chart>` with
 * Chart.js. It is kept as a source string, not a TypeScript function serialised with `toString()`, because the
 * browser must get exactly this text whatever transpiler (tsc, tsx/esbuild) built the Node side; the browser test
 * in `test/report/` is what checks it.
 * @module
 */

/**
 * Browser-side chart code. Rules: plain ES2017, no network, no `innerHTML` (all data reaches the page through
 * `JSON.parse` and is drawn on canvases, so names can never become markup), and a failure in one chart is logged
 * and does not stop the others.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var INK = '#1f2328';
  var MUTED = '#59636e';
  var GRID = '#e6eaef';
  var AXIS = '#8c959f';

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) throw new Error('segmint report: missing #' + id);
    return JSON.parse(el.textContent || 'null');
  }
  var data = readJson('segmint-data');
  var view = readJson('segmint-view');
  var Chart = window.Chart;
  if (typeof Chart !== 'function') {
    console.error('segmint report: Chart.js did not load; charts cannot be drawn');
    return;
  }

  var family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.family = family;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = MUTED;
  Chart.defaults.borderColor = GRID;
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.tooltip.backgroundColor = 'rgba(31, 35, 40, 0.92)';
  Chart.defaults.plugins.tooltip.padding = 10;
  Chart.defaults.plugins.tooltip.titleFont = { weight: '600' };
  Chart.defaults.plugins.legend.labels.color = INK;

  var pctTick = new Intl.NumberFormat(view.locale, { style: 'percent', maximumFractionDigits: 1 });
  var intFmt = new Intl.NumberFormat(view.locale, { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat(view.locale, { notation: 'compact', maximumFractionDigits: 1 });
  var twoDp = new Intl.NumberFormat(view.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function num(v) {
    return typeof v === 'number' && isFinite(v) ? v : null;
  }
  function truncate(text, n) {
    var s = String(text);
    return s.length > n ? s.slice(0, n - 1) + '\u2026' : s;
  }
  function signedSigma(v) {
    var r = Math.round(v * 10) / 10;
    return (r > 0 ? '+' : r < 0 ? '\u2212' : '') + Math.abs(r) + '\u03c3';
  }
  function categoryTick(max) {
    return function (value) {
      return truncate(this.getLabelForValue(value), max);
    };
  }
  var zeroLine = {
    color: function (ctx) {
      return ctx.tick && ctx.tick.value === 0 ? AXIS : GRID;
    },
  };

  // Writes a label at the end of each horizontal bar (left of it when negative).
  function valueLabels(textAt) {
    return {
      id: 'valueLabels',
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx;
        ctx.save();
        ctx.font = '600 11px ' + family;
        ctx.textBaseline = 'middle';
        chart.data.datasets.forEach(function (ds, di) {
          if (!chart.isDatasetVisible(di)) return;
          chart.getDatasetMeta(di).data.forEach(function (bar, i) {
            var text = textAt(di, i);
            var v = ds.data[i];
            if (!text || typeof v !== 'number') return;
            var width = ctx.measureText(text).width;
            // Past the end of the bar is fine as long as it is on the canvas (layout.padding makes room).
            var outside = v < 0 ? bar.x - 5 - width >= 0 : bar.x + 5 + width <= chart.width;
            var inside = Math.abs(bar.x - bar.base) >= width + 10;
            if (outside || !inside) {
              ctx.fillStyle = INK;
              ctx.textAlign = v < 0 ? 'right' : 'left';
              ctx.fillText(text, bar.x + (v < 0 ? -5 : 5), bar.y);
            } else {
              // No room past the bar's end: write inside it, on a white chip so it reads on any fill or hatching.
              var left = v < 0 ? bar.x + 4 : bar.x - 6 - width;
              ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
              ctx.fillRect(left - 2, bar.y - 7, width + 4, 14);
              ctx.fillStyle = INK;
              ctx.textAlign = 'left';
              ctx.fillText(text, left, bar.y);
            }
          });
        });
        ctx.restore();
      },
    };
  }

  // Diagonal stripes of a colour on its own light tint: the revenue bars, told apart from the solid customer
  // bars by texture rather than by a lighter colour that could be mistaken for another segment's.
  function hatch(color, tint) {
    var size = 8;
    var tile = document.createElement('canvas');
    tile.width = size;
    tile.height = size;
    var g = tile.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, size, size);
    g.fillStyle = tint;
    g.fillRect(0, 0, size, size);
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(0, size);
    g.lineTo(size, 0);
    g.moveTo(-2, 2);
    g.lineTo(2, -2);
    g.moveTo(size - 2, size + 2);
    g.lineTo(size + 2, size - 2);
    g.stroke();
    return g.createPattern(tile, 'repeat');
  }

  function overview(canvas) {
    var segs = data.segments;
    var labelMax = Number(canvas.getAttribute('data-label-max')) || 24;
    var colors = view.colors;
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: segs.map(function (s) { return s.name; }),
        datasets: [
          {
            label: 'Share of customers',
            data: segs.map(function (s) { return num(s.share); }),
            backgroundColor: colors.solid,
            borderColor: colors.solid,
            borderWidth: 1,
            categoryPercentage: 0.78,
            barPercentage: 0.92,
          },
          {
            label: 'Share of net revenue',
            data: segs.map(function (s) { return num(s.revenueShare); }),
            backgroundColor: colors.solid.map(function (c, i) { return hatch(c, colors.light[i]); }),
            borderColor: colors.solid,
            borderWidth: 1.5,
            categoryPercentage: 0.78,
            barPercentage: 0.92,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        layout: { padding: { right: 52 } },
        scales: {
          x: {
            beginAtZero: true,
            grid: zeroLine,
            ticks: { maxTicksLimit: 6, callback: function (v) { return pctTick.format(v); } },
          },
          y: { grid: { display: false }, ticks: { color: INK, autoSkip: false, callback: categoryTick(labelMax) } },
        },
        plugins: {
          legend: {
            position: 'top',
            align: 'start',
            labels: {
              boxWidth: 14,
              boxHeight: 10,
              generateLabels: function (chart) {
                return [0, 1].map(function (i) {
                  return {
                    text: chart.data.datasets[i].label,
                    datasetIndex: i,
                    hidden: !chart.isDatasetVisible(i),
                    fillStyle: i === 0 ? MUTED : hatch(MUTED, 'rgba(89, 99, 110, 0.25)'),
                    strokeStyle: MUTED,
                    lineWidth: i === 0 ? 1 : 1.5,
                    fontColor: INK,
                  };
                });
              },
            },
          },
          tooltip: {
            callbacks: {
              title: function (items) { return segs[items[0].dataIndex].name; },
              label: function (item) {
                var t = view.segments[item.dataIndex];
                return item.datasetIndex === 0
                  ? 'Customers: ' + t.share + ' (' + t.customers + ')'
                  : 'Net revenue: ' + t.revenueShare + ' (' + t.revenue + ')';
              },
            },
          },
        },
      },
      plugins: [
        valueLabels(function (di, i) {
          var t = view.segments[i];
          return di === 0 ? t.share : t.revenueShare;
        }),
      ],
    });
  }

  function segmentZ(canvas) {
    var s = Number(canvas.getAttribute('data-segment'));
    var z = data.profile.z[s];
    var solid = view.colors.solid[s];
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.features.map(function (f) { return f.label; }),
        datasets: [
          {
            data: z.map(num),
            backgroundColor: solid,
            borderColor: solid,
            borderWidth: 1,
            categoryPercentage: 0.86,
            barPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: {
            min: -view.zLimit,
            max: view.zLimit,
            grid: zeroLine,
            ticks: { stepSize: view.zStep, font: { size: 11 }, callback: signedSigma },
          },
          y: {
            grid: { display: false },
            ticks: { color: INK, autoSkip: false, font: { size: 11 }, callback: categoryTick(24) },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return data.features[items[0].dataIndex].label; },
              label: function (item) {
                var t = view.profile[s][item.dataIndex];
                return [
                  'Segment mean: ' + t.mean + ' (median ' + t.median + ')',
                  'All customers: ' + t.overall,
                  'Difference: ' + t.z,
                ];
              },
            },
          },
        },
      },
    });
  }

  function projection(canvas) {
    var p = data.projection;
    var segs = data.segments;
    var index = new Map();
    segs.forEach(function (s, i) { index.set(s.id, i); });
    var points = segs.map(function () { return []; });
    for (var i = 0; i < p.x.length; i++) {
      var k = index.get(p.segment[i]);
      var x = num(p.x[i]);
      var y = num(p.y[i]);
      if (k === undefined || x === null || y === null) continue;
      points[k].push({ x: x, y: y });
    }
    var n = p.x.length;
    var radius = n <= 1500 ? 2.8 : n <= 6000 ? 2.2 : 1.5;
    return new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: segs.map(function (s, k) {
          return {
            label: truncate(s.name, 32),
            data: points[k],
            backgroundColor: view.colors.point[k],
            borderColor: view.colors.solid[k],
            borderWidth: 0,
            pointRadius: radius,
            pointHoverRadius: radius + 2,
          };
        }),
      },
      options: {
        parsing: false,
        scales: {
          x: { title: { display: true, text: view.projectionAxes[0], color: INK }, grid: zeroLine, ticks: { maxTicksLimit: 9 } },
          y: { title: { display: true, text: view.projectionAxes[1], color: INK }, grid: zeroLine, ticks: { maxTicksLimit: 8 } },
        },
        plugins: {
          legend: {
            position: 'top',
            align: 'start',
            labels: {
              usePointStyle: true,
              pointStyle: 'circle',
              boxWidth: 8,
              boxHeight: 8,
              generateLabels: function (chart) {
                return chart.data.datasets.map(function (ds, k) {
                  return {
                    text: ds.label + ' (' + intFmt.format(ds.data.length) + ')',
                    datasetIndex: k,
                    hidden: !chart.isDatasetVisible(k),
                    fillStyle: view.colors.solid[k],
                    strokeStyle: view.colors.solid[k],
                    lineWidth: 0,
                    pointStyle: 'circle',
                    fontColor: INK,
                  };
                });
              },
            },
          },
          tooltip: {
            callbacks: {
              title: function (items) { return segs[items[0].datasetIndex].name; },
              label: function (item) {
                return '(' + twoDp.format(item.parsed.x) + ', ' + twoDp.format(item.parsed.y) + ')';
              },
            },
          },
        },
      },
    });
  }

  // A dashed vertical line across the plot area at pixel x.
  function vLine(chart, x, color, dash) {
    var a = chart.chartArea;
    var ctx = chart.ctx;
    ctx.strokeStyle = color;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(x, a.top);
    ctx.lineTo(x, a.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  // A light accent band from x0 to x1 with a dashed line at xLine; leaves the context set for a label in the band.
  function accentBand(chart, x0, x1, xLine) {
    var a = chart.chartArea;
    var ctx = chart.ctx;
    ctx.fillStyle = 'rgba(11, 61, 145, 0.07)';
    ctx.fillRect(x0, a.top, x1 - x0, a.bottom - a.top);
    vLine(chart, xLine, 'rgba(11, 61, 145, 0.6)', [4, 4]);
    ctx.font = '600 12px ' + family;
    ctx.fillStyle = '#0b3d91';
    ctx.textBaseline = 'top';
  }

  // The chosen k as a shaded band with a dashed line, on any chart whose x axis lists data.kSelection.ks.
  function chosenKMarker(ks) {
    var chosen = ks.ks.indexOf(ks.chosen);
    return {
      id: 'chosenK',
      beforeDatasetsDraw: function (chart) {
        if (chosen < 0) return;
        var a = chart.chartArea;
        var x = chart.scales.x.getPixelForValue(chosen);
        var half = ks.ks.length > 1 ? Math.abs(chart.scales.x.getPixelForValue(1) - chart.scales.x.getPixelForValue(0)) / 2 : 20;
        var ctx = chart.ctx;
        ctx.save();
        accentBand(chart, x - half, x + half, x);
        var right = x > (a.left + a.right) * 0.7;
        ctx.textAlign = right ? 'right' : 'left';
        ctx.fillText('k = ' + ks.chosen, x + (right ? -8 : 8), a.top + 4);
        ctx.restore();
      },
    };
  }

  function kLine(label, values, color, dashed) {
    return {
      label: label,
      data: values.map(num),
      borderColor: color,
      backgroundColor: color,
      borderDash: dashed ? [6, 4] : [],
      borderWidth: 2,
      pointRadius: 3.5,
      pointBackgroundColor: '#ffffff',
      pointBorderColor: color,
      pointBorderWidth: 1.5,
      spanGaps: true,
    };
  }

  function kChart(canvas, datasets, yTitle, yFormat, extraPlugins, yOptions) {
    var ks = data.kSelection;
    var y = { grace: '10%', title: { display: true, text: yTitle, color: INK }, ticks: { callback: function (v) { return yFormat(v); } } };
    if (yOptions) for (var key in yOptions) y[key] = yOptions[key];
    return new Chart(canvas, {
      type: 'line',
      data: { labels: ks.ks.map(String), datasets: datasets },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { x: { title: { display: true, text: 'k', color: INK }, grid: { display: false } }, y: y },
        plugins: {
          legend: { display: datasets.length > 1, position: 'top', align: 'start', labels: { boxWidth: 18, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: function (items) { return 'k = ' + ks.ks[items[0].dataIndex]; },
              label: function (item) {
                var v = item.parsed.y;
                return item.dataset.label + ': ' + (v === null ? '\u2014' : yFormat(v));
              },
            },
          },
        },
      },
      plugins: [chosenKMarker(ks)].concat(extraPlugins || []),
    });
  }

  function kElbow(canvas) {
    var ks = data.kSelection;
    var knee = ks.elbow === null || ks.elbow === undefined ? -1 : ks.ks.indexOf(ks.elbow);
    var kneeMark = {
      id: 'knee',
      afterDatasetsDraw: function (chart) {
        if (knee < 0) return;
        var x = chart.scales.x.getPixelForValue(knee);
        var yv = chart.scales.y.getPixelForValue(ks.inertia[knee]);
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = '#cf222e';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, yv, 8, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.font = '600 12px ' + family;
        ctx.fillStyle = '#cf222e';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'bottom';
        ctx.fillText('knee', x + 10, yv - 6);
        ctx.restore();
      },
    };
    return kChart(canvas, [kLine('Inertia', ks.inertia, INK)], 'Inertia', function (v) { return compact.format(v); }, [kneeMark]);
  }

  function kSilhouette(canvas) {
    var ks = data.kSelection;
    return kChart(canvas, [kLine('Silhouette', ks.silhouette, INK)], 'Silhouette', function (v) { return twoDp.format(v); });
  }

  function kGap(canvas) {
    var ks = data.kSelection;
    var whiskers = {
      id: 'gapWhiskers',
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = INK;
        ctx.lineWidth = 1.2;
        for (var i = 0; i < ks.ks.length; i++) {
          var g = num(ks.gap[i]);
          var s = num(ks.gapSE[i]);
          if (g === null || s === null) continue;
          var x = chart.scales.x.getPixelForValue(i);
          var top = chart.scales.y.getPixelForValue(g + s);
          var bottom = chart.scales.y.getPixelForValue(g - s);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.moveTo(x - 4, top);
          ctx.lineTo(x + 4, top);
          ctx.moveTo(x - 4, bottom);
          ctx.lineTo(x + 4, bottom);
          ctx.stroke();
        }
        ctx.restore();
      },
    };
    var lo = Infinity;
    var hi = -Infinity;
    for (var i = 0; i < ks.ks.length; i++) {
      var g = num(ks.gap[i]);
      var s = num(ks.gapSE[i]) || 0;
      if (g === null) continue;
      lo = Math.min(lo, g - s);
      hi = Math.max(hi, g + s);
    }
    var pad = isFinite(lo) ? (hi - lo) * 0.1 + 1e-9 : 0;
    return kChart(canvas, [kLine('Gap (± one standard error)', ks.gap, INK)], 'Gap', function (v) { return twoDp.format(v); }, [whiskers],
      isFinite(lo) ? { min: lo - pad, max: hi + pad, grace: 0 } : null);
  }

  function kStability(canvas) {
    var ks = data.kSelection;
    var sets = [];
    if (ks.stability) sets.push(kLine('Stability (mean ARI of refits)', ks.stability, INK));
    if (ks.predictionStrength) sets.push(kLine('Prediction strength', ks.predictionStrength, '#0969da', true));
    var threshold = {
      id: 'threshold',
      beforeDatasetsDraw: function (chart) {
        var a = chart.chartArea;
        var yv = chart.scales.y.getPixelForValue(0.8);
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = AXIS;
        ctx.setLineDash([2, 3]);
        ctx.beginPath();
        ctx.moveTo(a.left, yv);
        ctx.lineTo(a.right, yv);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.font = '11px ' + family;
        ctx.fillStyle = MUTED;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'bottom';
        ctx.fillText('0.8', a.right - 2, yv - 2);
        ctx.restore();
      },
    };
    return kChart(canvas, sets, 'Agreement', function (v) { return twoDp.format(v); }, [threshold], { min: 0, max: 1, grace: 0 });
  }

  function silhouettePlot(canvas) {
    var sp = data.silhouettePlot;
    var values = [];
    var colors = [];
    var owner = [];
    for (var s = 0; s < sp.segments.length; s++) {
      var seg = sp.segments[s];
      var idx = -1;
      for (var j = 0; j < data.segments.length; j++) if (data.segments[j].id === seg.id) idx = j;
      for (var v = 0; v < seg.values.length; v++) {
        values.push(seg.values[v]);
        colors.push(idx >= 0 ? view.colors.solid[idx] : AXIS);
        owner.push(s);
      }
      if (s < sp.segments.length - 1) {
        values.push(null);
        colors.push('transparent');
        owner.push(-1);
      }
    }
    var avgLine = {
      id: 'average',
      afterDatasetsDraw: function (chart) {
        var a = chart.chartArea;
        var x = chart.scales.x.getPixelForValue(sp.average);
        var ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = '#cf222e';
        ctx.setLineDash([5, 4]);
        ctx.beginPath();
        ctx.moveTo(x, a.top);
        ctx.lineTo(x, a.bottom);
        ctx.stroke();
        ctx.restore();
      },
    };
    var names = {};
    for (var t = 0; t < data.segments.length; t++) names[data.segments[t].id] = data.segments[t].name;
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: values.map(function (_, i) { return String(i); }), datasets: [{ data: values, backgroundColor: colors, borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }] },
      options: {
        indexAxis: 'y',
        scales: {
          x: { min: Math.min(-0.1, Math.floor(Math.min.apply(null, values.filter(function (v) { return v !== null; }).concat([0])) * 10) / 10), max: 1, title: { display: true, text: 'Silhouette', color: INK } },
          y: {
            grid: { display: false },
            ticks: {
              autoSkip: false,
              callback: function (_, i) {
                var s = owner[i];
                if (s < 0) return '';
                var seg = sp.segments[s];
                return i === (owner.indexOf(s) + Math.floor(seg.values.length / 2)) ? truncate(names[seg.id] || String(seg.id), 28) : '';
              },
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { var s = owner[items[0].dataIndex]; return s < 0 ? '' : names[sp.segments[s].id]; },
              label: function (item) {
                var s = owner[item.dataIndex];
                if (s < 0) return '';
                var seg = sp.segments[s];
                return 'silhouette ' + twoDp.format(item.parsed.x) + ' (segment mean ' + twoDp.format(seg.mean) + ', ' + pctTick.format(seg.negative) + ' below 0)';
              },
            },
          },
        },
      },
      plugins: [avgLine],
    });
  }

  function rejects(canvas) {
    var r = view.rejects;
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: r.labels,
        datasets: [{ data: r.counts, backgroundColor: '#6e7781', borderColor: '#57606a', borderWidth: 1, barPercentage: 0.7 }],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { beginAtZero: true, grace: '22%', ticks: { maxTicksLimit: 5, callback: function (v) { return compact.format(v); } } },
          y: { grid: { display: false }, ticks: { color: INK, autoSkip: false, callback: categoryTick(28) } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return r.labels[items[0].dataIndex]; },
              label: function (item) { return r.text[item.dataIndex] + ' rows'; },
            },
          },
        },
      },
      plugins: [valueLabels(function (_, i) { return r.text[i]; })],
    });
  }

  // Money on a chart axis, in the report's currency: "£12K", or a symbol the Intl API does not know as a prefix.
  var moneyAxisFormat = null;
  function moneyTick(v) {
    if (moneyAxisFormat === null) {
      var cur = view.value.currency;
      if (cur.code) {
        var f = new Intl.NumberFormat(view.locale, { style: 'currency', currency: cur.code, notation: 'compact', maximumFractionDigits: 1 });
        moneyAxisFormat = function (x) { return f.format(x); };
      } else {
        var prefix = cur.symbol + (cur.symbol.length > 1 ? ' ' : '');
        moneyAxisFormat = function (x) { return (x < 0 ? '-' : '') + prefix + compact.format(Math.abs(x)); };
      }
    }
    return moneyAxisFormat(v);
  }

  // A legend of grey swatches standing for "every segment's colour", as the overview does.
  function greyLegend(items) {
    return {
      position: 'top',
      align: 'start',
      labels: {
        boxWidth: 14,
        boxHeight: 10,
        generateLabels: function (chart) {
          return items.map(function (it, i) {
            return { text: it[0], datasetIndex: i, hidden: !chart.isDatasetVisible(i), fillStyle: it[1], strokeStyle: MUTED, lineWidth: 1, fontColor: INK };
          });
        },
      },
    };
  }

  // Predicted lifetime value per segment: a thin bar for the 10th–90th percentile, a box for the middle half and a
  // median mark (box plots after Tukey 1977, with percentile whiskers).
  function clvRange(canvas) {
    var rows = data.value.clv.perSegment;
    var vv = view.value.clv;
    function span(lo, hi) {
      lo = num(lo);
      hi = num(hi);
      return lo === null || hi === null ? null : [lo, hi];
    }
    var medians = {
      id: 'medians',
      afterDatasetsDraw: function (chart) {
        if (!chart.isDatasetVisible(0)) return;
        var boxes = chart.getDatasetMeta(0).data;
        var ctx = chart.ctx;
        ctx.save();
        rows.forEach(function (s, i) {
          var m = num(s.p50);
          var box = boxes[i];
          if (m === null || !box || !isFinite(box.height)) return;
          var x = chart.scales.x.getPixelForValue(m);
          var half = Math.abs(box.height) / 2 + 3;
          ctx.fillStyle = INK;
          ctx.fillRect(x - 2.5, box.y - half, 5, 2 * half);
          ctx.fillStyle = '#ffffff';
          ctx.fillRect(x - 1, box.y - half + 1.5, 2, 2 * half - 3);
        });
        ctx.restore();
      },
    };
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map(function (s) { return s.name; }),
        // The first dataset is drawn last, on top: the box over the thin bar.
        datasets: [
          {
            label: 'Middle half',
            data: rows.map(function (s) { return span(s.p25, s.p75); }),
            backgroundColor: vv.solid,
            borderColor: vv.solid,
            borderWidth: 1,
            borderSkipped: false,
            grouped: false,
            barPercentage: 0.72,
            categoryPercentage: 0.9,
          },
          {
            label: 'Middle 80%',
            data: rows.map(function (s) { return span(s.p10, s.p90); }),
            backgroundColor: vv.light,
            borderColor: vv.solid,
            borderWidth: 1,
            borderSkipped: false,
            grouped: false,
            barPercentage: 0.26,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        interaction: { mode: 'index', axis: 'y', intersect: false },
        layout: { padding: { right: 12 } },
        scales: {
          x: {
            beginAtZero: true,
            grid: zeroLine,
            title: { display: true, text: 'Predicted value per customer', color: INK },
            ticks: { maxTicksLimit: 6, callback: function (v) { return moneyTick(v); } },
          },
          y: { grid: { display: false }, ticks: { color: INK, autoSkip: false, callback: categoryTick(22) } },
        },
        plugins: {
          legend: greyLegend([['Middle half (25th–75th percentile)', MUTED], ['Middle 80% (10th–90th)', 'rgba(89, 99, 110, 0.3)']]),
          tooltip: {
            filter: function (item) { return item.datasetIndex === 0; },
            callbacks: {
              title: function (items) { return rows[items[0].dataIndex].name; },
              label: function (item) { return vv.tooltips[item.dataIndex]; },
            },
          },
        },
      },
      plugins: [medians],
    });
  }

  // Cumulative repeat purchases, actual against the model, with the held-out period shaded.
  function clvTracking(canvas) {
    var h = data.value.clv.holdout;
    var tv = view.value.tracking;
    var n = h.tracking.dates.length;
    var cal = h.tracking.calibrationIndex;
    var band = {
      id: 'holdoutBand',
      beforeDatasetsDraw: function (chart) {
        if (!(cal >= 0 && cal < n)) return;
        var a = chart.chartArea;
        var x = cal > 0 ? chart.scales.x.getPixelForValue(cal - 1) : a.left;
        var ctx = chart.ctx;
        ctx.save();
        accentBand(chart, x, a.right, x);
        var left = '\u2190 fitted';
        var right = ['held out \u2192', 'held out', 'holdout'].filter(function (t) {
          return a.right - x >= ctx.measureText(t).width + 10;
        })[0];
        if (right) {
          ctx.textAlign = 'left';
          ctx.fillText(right, x + 5, a.top + 4);
        }
        if (x - a.left >= ctx.measureText(left).width + 12) {
          ctx.textAlign = 'right';
          ctx.fillText(left, x - 6, a.top + 4);
        }
        ctx.restore();
      },
    };
    return new Chart(canvas, {
      type: 'line',
      data: {
        labels: tv.ticks,
        datasets: [
          { label: 'Actual', data: h.tracking.actual.map(num), borderColor: INK, backgroundColor: INK, borderWidth: 2, pointRadius: 0, pointHoverRadius: 3, spanGaps: true },
          { label: 'Predicted', data: h.tracking.predicted.map(num), borderColor: '#0969da', backgroundColor: '#0969da', borderWidth: 2, borderDash: [6, 4], pointRadius: 0, pointHoverRadius: 3, spanGaps: true },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, autoSkipPadding: 16, maxTicksLimit: 8, maxRotation: 0 } },
          y: {
            beginAtZero: true,
            title: { display: true, text: 'Repeat purchases, cumulative', color: INK },
            ticks: { maxTicksLimit: 6, callback: function (v) { return compact.format(v); } },
          },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { boxWidth: 18, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: function (items) { return tv.dates[items[0].dataIndex]; },
              label: function (item) {
                var v = item.parsed.y;
                return item.dataset.label + ': ' + (v === null ? '\u2014' : intFmt.format(v));
              },
            },
          },
        },
      },
      plugins: [band],
    });
  }

  function clvHoldoutFrequency(canvas) {
    var rows = data.value.clv.holdout.byFrequency;
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: rows.map(function (b) { return b.frequency; }),
        datasets: [
          { label: 'Predicted', data: rows.map(function (b) { return num(b.predicted); }), backgroundColor: '#0969da', borderWidth: 0, categoryPercentage: 0.8, barPercentage: 0.9 },
          { label: 'Actual', data: rows.map(function (b) { return num(b.actual); }), backgroundColor: '#424a53', borderWidth: 0, categoryPercentage: 0.8, barPercentage: 0.9 },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, title: { display: true, text: 'Repeat purchases before the holdout', color: INK }, ticks: { color: INK } },
          y: { beginAtZero: true, title: { display: true, text: 'Per customer in the holdout', color: INK }, ticks: { maxTicksLimit: 6, callback: function (v) { return twoDp.format(v); } } },
        },
        plugins: {
          legend: { position: 'top', align: 'start', labels: { boxWidth: 14, boxHeight: 10 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                var b = rows[items[0].dataIndex];
                return b.frequency + ' before (' + intFmt.format(b.customers) + ' customers)';
              },
              label: function (item) {
                var v = item.parsed.y;
                return item.dataset.label + ': ' + (v === null ? '\u2014' : twoDp.format(v));
              },
            },
          },
        },
      },
    });
  }

  // Histogram of the composite score on a linear axis (so the cut lines sit at their exact values).
  function valueScore(canvas) {
    var c = data.value.composite;
    var edges = c.histogram.edges;
    var counts = c.histogram.counts;
    var points = counts.map(function (count, i) { return { x: (edges[i] + edges[i + 1]) / 2, y: num(count) }; });
    var cuts = c.cuts.filter(function (x) { return num(x) !== null; });
    var fills = points.map(function (p) {
      var g = cuts.filter(function (x) { return x <= p.x; }).length;
      return view.value.scoreColors[Math.min(g, view.value.scoreColors.length - 1)];
    });
    var cutLines = {
      id: 'cuts',
      afterDatasetsDraw: function (chart) {
        var a = chart.chartArea;
        var ctx = chart.ctx;
        ctx.save();
        ctx.font = '600 12px ' + family;
        ctx.textBaseline = 'top';
        cuts.forEach(function (cut) {
          var x = chart.scales.x.getPixelForValue(cut);
          if (x < a.left || x > a.right) return;
          ctx.lineWidth = 1.5;
          vLine(chart, x, '#cf222e', [5, 4]);
          var text = twoDp.format(cut);
          var w = ctx.measureText(text).width;
          var right = x + 4 + w <= a.right;
          ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
          ctx.fillRect(right ? x + 2 : x - w - 6, a.top + 2, w + 4, 16);
          ctx.fillStyle = '#cf222e';
          ctx.textAlign = right ? 'left' : 'right';
          ctx.fillText(text, right ? x + 4 : x - 4, a.top + 4);
        });
        ctx.restore();
      },
    };
    return new Chart(canvas, {
      type: 'bar',
      data: { datasets: [{ label: 'Customers', data: points, backgroundColor: fills, borderColor: '#ffffff', borderWidth: 1, barPercentage: 1, categoryPercentage: 1 }] },
      options: {
        scales: {
          x: {
            type: 'linear',
            offset: false,
            min: edges[0],
            max: edges[edges.length - 1],
            grid: { display: false },
            title: { display: true, text: 'Value score', color: INK },
            ticks: { maxTicksLimit: 8, callback: function (v) { return twoDp.format(v); } },
          },
          y: { beginAtZero: true, title: { display: true, text: 'Customers', color: INK }, ticks: { maxTicksLimit: 6, callback: function (v) { return compact.format(v); } } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) {
                var i = items[0].dataIndex;
                return 'Score ' + twoDp.format(edges[i]) + '\u2013' + twoDp.format(edges[i + 1]);
              },
              label: function (item) { return intFmt.format(item.parsed.y) + ' customers'; },
            },
          },
        },
      },
      plugins: [cutLines],
    });
  }

  var builders = { overview: overview, 'segment-z': segmentZ, projection: projection, 'k-elbow': kElbow, 'k-silhouette': kSilhouette, 'k-gap': kGap, 'k-stability': kStability, 'silhouette-plot': silhouettePlot, rejects: rejects,
    'clv-range': clvRange, 'clv-tracking': clvTracking, 'clv-holdout-frequency': clvHoldoutFrequency, 'value-score': valueScore };
  var charts = [];
  var canvases = document.querySelectorAll('canvas[data-chart]');
  for (var c = 0; c < canvases.length; c++) {
    var kind = canvases[c].getAttribute('data-chart');
    try {
      if (!Object.prototype.hasOwnProperty.call(builders, kind)) throw new Error('unknown chart kind');
      charts.push(builders[kind](canvases[c]));
    } catch (err) {
      console.error('segmint report: the "' + kind + '" chart could not be drawn', err);
    }
  }
  document.documentElement.setAttribute('data-charts-drawn', String(charts.length));

  // Chart.js sizes canvases to their boxes; re-measure when the print layout changes the page width.
  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
})();
`;
