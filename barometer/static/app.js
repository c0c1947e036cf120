// Barometer of social integration: progressive enhancement only. Every page works without it.
// Shared helpers: where the site root is, the page language, the Vega runtime on demand.
var Barometer = (function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src$='assets/app.js']");
  var base = script ? script.src.replace(/assets\/app\.js.*$/, "") : "/";
  var lang = document.documentElement.lang || "en";
  var locale = { nl: "nl-BE", fr: "fr-BE", de: "de-BE", en: "en-GB" }[lang] || "en-GB";
  var loading = null;
  function runtime() {
    if (window.vegaEmbed) { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + "assets/vega.js";
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  function fmt(v, digits) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  }
  var vegaLocales = {
    nl: { decimal: ",", thousands: ".", grouping: [3], currency: ["€ ", ""] },
    fr: { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", " €"] },
    de: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " €"] },
    en: { decimal: ".", thousands: ",", grouping: [3], currency: ["€", ""] }
  };
  // Options for vegaEmbed: SVG, no action menu, the page's number format, expressions run by the
  // CSP-safe interpreter (the pages forbid eval) and no injected <style> elements (the CSP forbids
  // inline styles: the embed's and the tooltip's rules are in site.css).
  function embedOptions() {
    return {
      renderer: "svg", actions: false, formatLocale: vegaLocales[lang] || vegaLocales.en,
      ast: true, expr: window.vegaInterpreter && window.vegaInterpreter.expressionInterpreter,
      defaultStyle: false, tooltip: { disableDefaultStyle: true }
    };
  }
  // The re-rendered SVG is presentational like the pre-rendered one: the figure's label, summary
  // and table are its text alternative.
  function presentational(result) {
    var svg = result && result.view && result.view.container() && result.view.container().querySelector("svg");
    if (svg) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    }
    return result;
  }
  // A line chart drawn as SVG without Vega (the compare tool): the scale rules of the
  // pre-rendered charts (barometer/svgchart.py: d3's ticks and nice, years on the x axis).
  var NS = "http://www.w3.org/2000/svg";
  function tickStep(start, stop, count) {
    var step = (stop - start) / Math.max(0, count), power = Math.floor(Math.log10(step));
    var error = step / Math.pow(10, power);
    var factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
    return factor * Math.pow(10, power);
  }
  function niceDomain(lo, hi) {
    if (!(hi > lo)) { hi = lo + 1; }
    for (var k = 0, prev = 0; k < 10; k += 1) {
      var step = tickStep(lo, hi, 10);
      if (step === prev) { break; }
      lo = Math.floor(lo / step) * step; hi = Math.ceil(hi / step) * step; prev = step;
    }
    return [lo, hi];
  }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  // lines: [{colour, width, dash, points: [[time ms, value], …]}]; opt: {zero, format(v, step), dots, readout(i)}
  function lineChart(target, lines, opt) {
    var W = Math.max(280, target.clientWidth || 640), H = 300, left = 8, top = 8, bottom = 24, right = 14;
    var all = [];
    lines.forEach(function (l) { l.points.forEach(function (p) { all.push(p); }); });
    if (!all.length) { target.textContent = ""; return; }
    var t0 = Math.min.apply(null, all.map(function (p) { return p[0]; }));
    var t1 = Math.max.apply(null, all.map(function (p) { return p[0]; }));
    if (t1 <= t0) { t1 = t0 + 1; }
    var vs = all.map(function (p) { return p[1]; });
    var dom = niceDomain(opt.zero ? Math.min(0, Math.min.apply(null, vs)) : Math.min.apply(null, vs), Math.max.apply(null, vs));
    var step = tickStep(dom[0], dom[1], 5), yt = [];
    for (var v = Math.ceil(dom[0] / step); v * step <= dom[1] + step / 1e6; v += 1) { yt.push(v * step); }
    var labels = yt.map(function (t) { return opt.format(t, step); });
    left = 12 + 6.2 * Math.max.apply(null, labels.map(function (t) { return t.length; }));
    var w = W - left - right, h = H - top - bottom;
    var x = function (t) { return left + (t - t0) / (t1 - t0) * w; };
    var y = function (v) { return top + h - (v - dom[0]) / (dom[1] - dom[0]) * h; };
    var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, "aria-hidden": "true", focusable: "false" });
    var grid = "", axis = "M" + left + "," + (top + h + 0.5) + "H" + (left + w);
    var y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear(), ystep = y1 - y0 >= 10 ? 5 : 1;
    var g = el("g", { "font-size": "11", fill: "#333", "font-family": "system-ui, sans-serif" }, null);
    for (var yr = y0; yr <= y1; yr += 1) {
      var t = Date.UTC(yr, 0, 1);
      if (yr % ystep || t < t0) { continue; }
      var px = x(t);
      grid += "M" + (px + 0.5).toFixed(1) + "," + top + "V" + (top + h);
      axis += "M" + (px + 0.5).toFixed(1) + "," + (top + h) + "v5";
      el("text", { x: px.toFixed(1), y: top + h + 17, "text-anchor": px < left + 1 ? "start" : px > left + w - 20 ? "end" : "middle" }, g).textContent = String(yr);
    }
    yt.forEach(function (t, i) {
      var py = y(t);
      grid += "M" + left + "," + (py + 0.5).toFixed(1) + "H" + (left + w);
      axis += "M" + left + "," + (py + 0.5).toFixed(1) + "h-5";
      el("text", { x: left - 7, y: (py + 3.5).toFixed(1), "text-anchor": "end" }, g).textContent = labels[i];
    });
    el("path", { d: grid, stroke: "#e6e6e6", fill: "none" }, svg);
    el("path", { d: axis, stroke: "#888", fill: "none" }, svg);
    svg.appendChild(g);
    lines.slice().reverse().forEach(function (l) {
      var d = l.points.map(function (p, i) { return (i ? "L" : "M") + x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1); }).join("");
      var line = el("path", { d: d, stroke: l.colour, "stroke-width": l.width, fill: "none", "stroke-linejoin": "round", "stroke-linecap": "round" }, svg);
      if (l.dash) { line.setAttribute("stroke-dasharray", l.dash); }
      if (opt.dots) {
        l.points.forEach(function (p) { el("circle", { cx: x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1), r: 3, fill: l.colour }, svg); });
      }
    });
    // pointer readout: the nearest period's values (the table below has them all)
    var times = [];
    all.forEach(function (p) { if (times.indexOf(p[0]) < 0) { times.push(p[0]); } });
    times.sort(function (a, b) { return a - b; });
    var rule = el("path", { d: "", stroke: "#444", "stroke-dasharray": "3,3" }, svg);
    svg.addEventListener("pointermove", function (ev) {
      var box = svg.getBoundingClientRect(), px = (ev.clientX - box.left) * W / box.width;
      var best = times[0];
      times.forEach(function (t) { if (Math.abs(x(t) - px) < Math.abs(x(best) - px)) { best = t; } });
      rule.setAttribute("d", "M" + x(best).toFixed(1) + "," + top + "V" + (top + h));
      if (opt.readout) { opt.readout(best); }
    });
    svg.addEventListener("pointerleave", function () { rule.setAttribute("d", ""); if (opt.readout) { opt.readout(null); } });
    target.textContent = "";
    target.appendChild(svg);
  }
  // A scatter wider than a phone scrolls sideways in its box: bring a dot (x in the chart's
  // pixels) to the middle of it.
  function scrollTo(box, x) {
    if (box.scrollWidth > box.clientWidth) { box.scrollLeft = x - box.clientWidth / 2; }
  }
  return { base: base, lang: lang, locale: locale, runtime: runtime, fmt: fmt, embedOptions: embedOptions, presentational: presentational, lineChart: lineChart, scrollTo: scrollTo };
})();

// An area's page: its own dot on the income scatter starts in view.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("figure.chart.scatter .svg"), function (box) {
    var ring = box.querySelector("svg > circle");
    if (ring) { Barometer.scrollTo(box, Number(ring.getAttribute("cx"))); }
  });
})();

(function () {
  "use strict";

  // Municipality finder: type-ahead filter over the no-JavaScript index list.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var input = document.getElementById("finder");
  if (input) {
    var list = document.getElementById(input.getAttribute("data-target"));
    var items = list ? Array.prototype.slice.call(list.querySelectorAll("li")) : [];
    var keys = items.map(function (li) { return fold(li.textContent + " " + (li.getAttribute("data-also") || "")); });
    input.addEventListener("input", function () {
      var q = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (li, i) {
        var hit = q === "" || keys[i].indexOf(q) !== -1;
        li.hidden = !hit;
        if (hit) { shown += 1; }
      });
      if (list && list.parentNode && list.parentNode.tagName === "DETAILS") { list.parentNode.open = true; }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") { return; }
      var first = items.filter(function (li) { return !li.hidden; })[0];
      if (first) { first.querySelector("a").click(); }
    });
  }
})();

// Charts: the page shows pre-rendered SVG. On first pointer or keyboard contact with a chart,
// load the self-hosted Vega runtime and re-render the same spec with tooltips.
(function () {
  "use strict";
  var figures = document.querySelectorAll("figure.chart[data-spec]");
  if (!figures.length || !window.fetch) { return; }
  var runtime = Barometer.runtime;
  function withTooltips(spec, fig) {
    var valueTitle = fig.getAttribute("data-value-label");
    var nameTitle = fig.getAttribute("data-name-label");
    var names = Array.prototype.map.call(fig.querySelectorAll(".legend li"), function (li) { return li.textContent.trim(); });
    if (spec.layer) {
      spec.layer.forEach(function (l) {
        if (l.encoding && l.encoding.color && l.encoding.color.field === "k") {
          l.encoding.tooltip = [{ field: "n", type: "nominal", title: nameTitle }, { field: "v", type: "quantitative", title: valueTitle, format: ",.2f" }];
        }
      });
    } else if (spec.encoding) {
      (spec.data.values || []).forEach(function (d) { d.name = names[d.line] || ""; });
      // as wide as its column, like the fluid drawing it replaces: its text stays 11 px on a phone
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
      spec.mark = { type: "line", point: { size: 30, opacity: 0 } };
      spec.encoding.tooltip = [{ field: "name", type: "nominal", title: nameTitle }, { field: "date", type: "temporal", title: "", format: "%m/%Y" }, { field: "value", type: "quantitative", title: valueTitle, format: ",.2f" }];
      // the dated events the drawing marks stay marked: a dotted rule and the number, per event
      // of the chart's period (its first and last dates)
      var events = (spec.usermeta && spec.usermeta.events) || [];
      var vals = spec.data.values || [];
      var days = typeof vals === "string" ? vals.match(/^\d{4}-\d{2}-\d{2}/gm) || [] : vals.map(function (d) { return String(d.date).slice(0, 10); });
      if (events.length && days.length) {
        var first = days.reduce(function (a, b) { return a < b ? a : b; }), last = days.reduce(function (a, b) { return a > b ? a : b; });
        var marks = events.filter(function (e) { return e[0] >= first && e[0] <= last; }).map(function (e) { return { date: e[0], n: String(e[1]) }; });
        var x = { field: "date", type: "temporal" };
        var line = { data: spec.data, mark: spec.mark, encoding: spec.encoding };
        delete spec.data; delete spec.mark; delete spec.encoding;
        spec.layer = [
          { data: { values: marks }, mark: { type: "rule", strokeDash: [2, 3], color: "#7a4d9e" }, encoding: { x: x } },
          line,
          { data: { values: marks }, mark: { type: "text", color: "#7a4d9e", fontWeight: "bold", baseline: "bottom", dy: -2 }, encoding: { x: x, y: { value: 0 }, text: { field: "n" } } }
        ];
      }
    }
    return spec;
  }
  function enhance(fig) {
    if (fig.getAttribute("data-live")) { return; }
    fig.setAttribute("data-live", "1");
    var url = new URL(fig.getAttribute("data-spec"), window.location.href).href;
    var target = fig.querySelector(".svg");
    Promise.all([runtime(), fetch(url).then(function (r) { return r.json(); })]).then(function (res) {
      var spec = withTooltips(res[1], fig);
      if (spec.layer) {
        spec.layer.forEach(function (l) { if (l.data && l.data.url) { l.data.url = new URL(l.data.url, url).href; } });
      }
      return window.vegaEmbed(target, spec, Barometer.embedOptions()).then(Barometer.presentational);
    }).catch(function () { fig.removeAttribute("data-live"); });
  }
  Array.prototype.forEach.call(figures, function (fig) {
    fig.addEventListener("pointerenter", function () { enhance(fig); }, { once: true });
    fig.addEventListener("focusin", function () { enhance(fig); }, { once: true });
  });
})();

// Scatter page: pick a municipality, ring its dot on both charts (positions come with the page).
(function () {
  "use strict";
  var picker = document.querySelector("[data-picker]");
  if (!picker) { return; }
  picker.hidden = false;
  var select = picker.querySelector("select");
  var out = picker.querySelector(".picked");
  var NS = "http://www.w3.org/2000/svg";
  function mark(fig, xy, name) {
    var svg = fig.querySelector(".svg svg");
    var old = svg.querySelector("g.pick");
    if (old) { old.parentNode.removeChild(old); }
    if (!xy) { return; }
    var p = xy.split(",").map(Number);
    var width = Number(svg.getAttribute("width")) || 720;
    var g = document.createElementNS(NS, "g");
    g.setAttribute("class", "pick");
    var c = document.createElementNS(NS, "circle");
    c.setAttribute("cx", p[0]); c.setAttribute("cy", p[1]); c.setAttribute("r", 9);
    c.setAttribute("fill", "none"); c.setAttribute("stroke", "#111"); c.setAttribute("stroke-width", 3);
    var t = document.createElementNS(NS, "text");
    var right = p[0] < width * 0.7;
    t.setAttribute("x", right ? p[0] + 12 : p[0] - 12); t.setAttribute("y", p[1]); t.setAttribute("dy", 5);
    t.setAttribute("text-anchor", right ? "start" : "end");
    t.setAttribute("font-size", 15); t.setAttribute("font-weight", 700);
    t.setAttribute("stroke", "#fff"); t.setAttribute("stroke-width", 4); t.setAttribute("paint-order", "stroke");
    t.textContent = name;
    g.appendChild(c); g.appendChild(t);
    svg.appendChild(g);
    Barometer.scrollTo(svg.parentNode, p[0]);
  }
  function show() {
    var o = select.options[select.selectedIndex];
    var code = select.value;
    document.querySelectorAll("figure[data-scatter]").forEach(function (fig) {
      mark(fig, code ? o.getAttribute("data-" + fig.getAttribute("data-scatter")) : "", o.textContent);
    });
    out.textContent = code ? o.getAttribute("data-text") : "";
    var url = new URL(window.location.href);
    if (code) { url.searchParams.set("e", code); } else { url.searchParams.delete("e"); }
    window.history.replaceState(null, "", url.href);
  }
  select.addEventListener("change", show);
  // only a code the list offers (a hostile ?e= such as __proto__ is ignored)
  var pre = new URLSearchParams(window.location.search).get("e");
  var known = pre && Array.prototype.some.call(select.options, function (o) { return o.value === pre; });
  if (known) { select.value = pre; show(); }
})();

// Compare tool: the whole state lives in the URL (?e=codes&m=measure&i=indicator&c=category&p=month|year).
(function () {
  "use strict";
  var form = document.getElementById("compare");
  if (!form || !window.fetch) { return; }
  var B = Barometer;
  var COLOURS = ["#0b3c8c", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999", "#000000"];
  var MAX = Number(form.getAttribute("data-max")) || 8;
  var words = document.getElementById("compare-words");
  var levels = JSON.parse(words.getAttribute("data-levels"));
  var nameIndex = { nl: 3, fr: 4, de: 5, en: 6 }[B.lang] || 6;
  // prototype-less lookups: a code or name from the URL such as __proto__ or constructor is just
  // an unknown key, never a property of Object.prototype
  var doc = null, byCode = Object.create(null), byLabel = Object.create(null), cache = Object.create(null);
  var state = null;

  function undelta(coded, scale) {
    var out = [], prev = 0;
    (coded || []).forEach(function (d) {
      if (d === null) { out.push(null); return; }
      prev += d; out.push(prev / scale);
    });
    return out;
  }
  // The twin of barometer.compare.decode: count, per_1000 and shares of one (measure, area).
  function decodeSeries(measure, code) {
    var key = measure + "/" + code;
    if (cache[key]) { return cache[key]; }
    var series = doc.series[measure];
    var e = series && Object.prototype.hasOwnProperty.call(series, code) ? series[code] : null;
    if (!e) { return null; }
    var pops = undelta(doc.pop[code], 1);
    var res = {};
    [["month", doc.months, "c", "o", 1, 1, "b", doc.share_months], ["year", doc.years, "y", "yo", 10, 10, "yb", doc.share_years]].forEach(function (k) {
      var periods = k[1], counts = undelta(e[k[2]], k[4]), over = e[k[3]] || {};
      var totals = {}, rates = [];
      periods.forEach(function (p, i) {
        var n = i < counts.length ? counts[i] : null;
        totals[p] = n;
        var yi = doc.years.indexOf(p.slice(0, 4));
        var den = yi >= 0 ? pops[yi] : null;
        if (over[String(i)] !== undefined) { rates.push(over[String(i)]); }
        else if (n === null || !den) { rates.push(null); }
        else { rates.push(n * 1000 / den); }
      });
      var r = { periods: periods, count: periods.map(function (p) { return totals[p]; }), per_1000: rates, share: {}, sharePeriods: k[7] };
      var cells = e[k[6]] || {};
      Object.keys(cells).forEach(function (cell) {
        var vals = undelta(cells[cell], k[5]);
        r.share[cell] = k[7].map(function (p, i) {
          var v = i < vals.length ? vals[i] : null, t = totals[p];
          return v === null || !t ? null : v / t;
        });
      });
      res[k[0]] = r;
    });
    cache[key] = res;
    return res;
  }

  function parse(search) {
    var q = new URLSearchParams(search);
    var radios = function (name) { return Array.prototype.map.call(form.querySelectorAll("input[name='" + name + "']"), function (i) { return i.value; }); };
    var pick = function (name, allowed, dflt) { var v = q.get(name); return allowed.indexOf(v) >= 0 ? v : dflt; };
    // at most MAX known codes, each once; a huge list is cut before it is looked at
    var seen = Object.create(null), codes = [];
    (q.get("e") || "").split(",", 64 * MAX).forEach(function (c) {
      if (codes.length < MAX && byCode[c] && !seen[c]) { seen[c] = true; codes.push(c); }
    });
    var m = pick("m", radios("m"), radios("m")[0]);
    var allowed = collected(m);
    return {
      e: codes,
      m: m,
      i: pick("i", radios("i"), "per_1000"),
      c: pick("c", allowed, allowed[0]),
      p: pick("p", radios("p"), "month"),
      s: pick("s", radios("s"), "month")
    };
  }
  // the profile categories of the groups a measure collects (urgent medical aid: no household)
  function collected(m) {
    var radio = Array.prototype.filter.call(form.querySelectorAll("input[name='m']"), function (r) { return r.value === m; })[0];
    var groups = ((radio && radio.getAttribute("data-groups")) || "").split(" ");
    return Array.prototype.map.call(form.querySelectorAll("#category option"), function (o) { return o.value; })
      .filter(function (c) { return groups.indexOf(c.split(".")[0]) >= 0; });
  }
  // the monthly series smoothed or set against a year earlier: monthly counts and rates (shares
  // are published for 13 months only: too few for a 12-month average)
  function smoothed(s) { return s.p === "month" && s.i !== "share" && s.s !== "month"; }
  function query(s) {
    var q = "e=" + s.e.join(",") + "&m=" + s.m + "&i=" + s.i + "&p=" + s.p;
    if (s.i === "share") { q += "&c=" + s.c; }
    return smoothed(s) ? q + "&s=" + s.s : q;
  }
  function name(code) { return byCode[code][nameIndex]; }
  function label(code) { return name(code) + " (" + levels[byCode[code][1]] + ")"; }

  function syncForm() {
    ["m", "i", "p", "s"].forEach(function (k) {
      form.querySelectorAll("input[name='" + k + "']").forEach(function (r) { r.checked = r.value === state[k]; });
    });
    var cat = document.getElementById("category");
    var allowed = collected(state.m);
    Array.prototype.forEach.call(cat.querySelectorAll("optgroup"), function (g) {
      var off = allowed.every(function (c) { return c.split(".")[0] !== g.getAttribute("data-group"); });
      g.disabled = off; g.hidden = off;
    });
    cat.value = state.c;
    cat.disabled = state.i !== "share";
    document.getElementById("smoothing").disabled = state.p !== "month" || state.i === "share";
    var ul = form.querySelector(".chosen");
    ul.innerHTML = "";
    state.e.forEach(function (code, i) {
      var li = document.createElement("li");
      var sw = document.createElement("span");
      sw.className = "swatch c-" + COLOURS[i].slice(1);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(label(code) + " "));
      var b = document.createElement("button");
      b.type = "button"; b.className = "remove"; b.setAttribute("data-code", code);
      b.textContent = words.getAttribute("data-remove");
      b.setAttribute("aria-label", words.getAttribute("data-remove") + " " + name(code));
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  // The twins of barometer.smoothing: a month's index, the trailing 12-month mean (only when
  // all 12 months are there) and the value of the same month a year earlier.
  function monthIndex(p) { return Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1; }
  function shifted(periods, values) {
    var at = Object.create(null);
    periods.forEach(function (p, i) { if (values[i] !== null && values[i] !== undefined) { at[monthIndex(p)] = values[i]; } });
    return function (p, back) { var v = at[monthIndex(p) - back]; return v === undefined ? null : v; };
  }
  function movingAverage(periods, values) {
    var at = shifted(periods, values);
    return periods.map(function (p) {
      for (var sum = 0, k = 0; k < 12; k += 1) {
        var v = at(p, k);
        if (v === null) { return null; }
        sum += v;
      }
      return sum / 12;
    });
  }
  // a year earlier, up to the series' last published month (not beside months yet to come)
  function yearEarlier(periods, values) {
    var at = shifted(periods, values), last = -1;
    values.forEach(function (v, i) { if (v !== null && v !== undefined) { last = i; } });
    return periods.map(function (p, i) { return i > last ? null : at(p, 12); });
  }
  function valuesOf(code) {
    var s = decodeSeries(state.m, code), out;
    if (!s) { return { periods: [], values: [] }; }
    var k = s[state.p];
    if (state.i === "share") { out = { periods: k.sharePeriods, values: k.share[state.c] || k.sharePeriods.map(function () { return null; }) }; }
    else { out = { periods: k.periods, values: k[state.i] }; }
    if (smoothed(state) && state.s === "ma12") { out.values = movingAverage(out.periods, out.values); }
    if (smoothed(state) && state.s === "earlier") { out.earlier = yearEarlier(out.periods, out.values); }
    return out;
  }
  function format(v) {
    if (v === null || v === undefined) { return "–"; }
    if (state.i === "share") { return B.fmt(100 * v, 1) + " %"; }
    if (state.i === "count") { return B.fmt(v, state.p === "year" ? 1 : 0); }
    return B.fmt(v, v < 10 ? 2 : 1);
  }
  // "Every month" → "every month"; German nouns keep their capital ("jeden Monat")
  function lowerFirst(text) { return text.charAt(0).toLowerCase() + text.slice(1); }
  function caption() {
    var m = form.querySelector("input[name='m'][value='" + state.m + "']").parentNode.textContent.trim();
    var i = form.querySelector("input[name='i'][value='" + state.i + "']").parentNode.textContent.trim();
    var p = form.querySelector("input[name='p'][value='" + state.p + "']").parentNode.textContent.trim();
    var c = state.i === "share" ? " — " + document.querySelector("#category option[value='" + state.c + "']").textContent : "";
    var s = smoothed(state) ? ", " + lowerFirst(form.querySelector("input[name='s'][value='" + state.s + "']").parentNode.textContent.trim()) : "";
    return m + ": " + i + c + " (" + lowerFirst(p) + s + ")";
  }

  function render() {
    syncForm();
    var q = query(state);
    window.history.replaceState(null, "", window.location.pathname + "?" + q);
    document.getElementById("share-link").href = window.location.pathname + "?" + q;
    var cap = caption();
    document.getElementById("compare-caption").textContent = cap;
    var legend = document.getElementById("compare-legend");
    legend.innerHTML = "";
    var series = state.e.map(valuesOf);
    state.e.forEach(function (code, li) {
      var item = document.createElement("li");
      if (li === 0) { item.className = "main"; }
      var sw = document.createElement("span"); sw.className = "swatch c-" + COLOURS[li].slice(1);
      item.appendChild(sw); item.appendChild(document.createTextNode(name(code)));
      legend.appendChild(item);
    });
    var notes = [];
    if (state.i === "share") { notes.push(words.getAttribute("data-share-note")); }
    if (smoothed(state)) { notes.push(words.getAttribute("data-" + state.s + "-note")); }
    document.getElementById("compare-note").textContent = notes.join(" ");
    // table: periods newest first, one column per area
    var table = document.getElementById("compare-table");
    table.querySelector("caption").textContent = cap;
    var periods = series.length ? series[0].periods.slice() : [];
    series.forEach(function (s) { s.periods.forEach(function (p) { if (periods.indexOf(p) < 0) { periods.push(p); } }); });
    periods.sort().reverse();
    periods = periods.filter(function (p) { return series.some(function (s) { var i = s.periods.indexOf(p); return i >= 0 && s.values[i] !== null && s.values[i] !== undefined; }); });
    var thead = table.querySelector("thead"), tbody = table.querySelector("tbody");
    thead.innerHTML = ""; tbody.innerHTML = "";
    var tr = document.createElement("tr");
    var th0 = document.createElement("th"); th0.scope = "col"; th0.textContent = words.getAttribute("data-period"); tr.appendChild(th0);
    var earlier = words.getAttribute("data-earlier");
    state.e.forEach(function (code, li) {
      var th = document.createElement("th"); th.scope = "col"; th.textContent = name(code); tr.appendChild(th);
      if (series[li].earlier) { th = document.createElement("th"); th.scope = "col"; th.textContent = name(code) + ", " + earlier; tr.appendChild(th); }
    });
    thead.appendChild(tr);
    periods.forEach(function (p) {
      var r = document.createElement("tr");
      var th = document.createElement("th"); th.scope = "row"; th.textContent = p; r.appendChild(th);
      series.forEach(function (s) {
        var td = document.createElement("td"); td.className = "num";
        var i = s.periods.indexOf(p);
        td.textContent = format(i >= 0 ? s.values[i] : null);
        r.appendChild(td);
        if (s.earlier) {
          td = document.createElement("td"); td.className = "num";
          td.textContent = format(i >= 0 ? s.earlier[i] : null);
          r.appendChild(td);
        }
      });
      tbody.appendChild(r);
    });
    document.getElementById("compare-table-wrap").hidden = state.e.length === 0;
    var fig = document.getElementById("compare-chart");
    fig.hidden = state.e.length === 0;
    if (!state.e.length) { return; }
    var points = function (s, values) {
      var pts = [];
      s.periods.forEach(function (p, i) {
        var v = values[i];
        if (v !== null && v !== undefined) {
          pts.push([p.length === 4 ? Date.UTC(Number(p), 6, 1) : Date.UTC(Number(p.slice(0, 4)), Number(p.slice(5, 7)) - 1, 1), v]);
        }
      });
      return pts;
    };
    var lines = [];
    state.e.forEach(function (code, li) {
      lines.push({ colour: COLOURS[li], width: li === 0 ? 3 : 1.8, points: points(series[li], series[li].values) });
    });
    state.e.forEach(function (code, li) {  // a year earlier: dashed, under the areas' own lines
      if (series[li].earlier) { lines.push({ colour: COLOURS[li], width: 1.4, dash: "4,3", points: points(series[li], series[li].earlier) }); }
    });
    var readout = document.getElementById("compare-readout");
    var view = document.getElementById("compare-view");
    view.setAttribute("aria-label", cap);
    drawn = [view, lines, {
      zero: state.i !== "per_1000",
      dots: state.p === "year" || lines.reduce(function (n, l) { return n + l.points.length; }, 0) < 40,
      format: function (v, step) {
        if (state.i === "share") { return B.fmt(100 * v, Math.max(0, -Math.floor(Math.log10(100 * step)))) + " %"; }
        return B.fmt(v, Math.max(0, -Math.floor(Math.log10(step))));
      },
      readout: function (t) {
        if (t === null) { readout.textContent = ""; return; }
        var d = new Date(t), p = state.p === "year" ? String(d.getUTCFullYear()) : d.getUTCFullYear() + "-" + String(d.getUTCMonth() + 1).padStart(2, "0");
        readout.textContent = p + ": " + state.e.map(function (code, li) {
          var i = series[li].periods.indexOf(p);
          var own = name(code) + " " + format(i >= 0 ? series[li].values[i] : null);
          return series[li].earlier ? own + " (" + earlier + " " + format(i >= 0 ? series[li].earlier[i] : null) + ")" : own;
        }).join(" · ");
      }
    }];
    B.lineChart.apply(null, drawn);
  }
  var drawn = null, resizing = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { if (drawn) { B.lineChart.apply(null, drawn); } }, 150);
  });

  // Each measure's series live in their own file, fetched the first time the measure is shown.
  var loading = {};
  function ensure(measure) {
    if (doc.series[measure]) { return Promise.resolve(); }
    if (!loading[measure]) {
      var url = new URL(form.getAttribute("data-data"), window.location.href).href.replace(/compare\.json$/, "compare-" + measure + ".json");
      loading[measure] = fetch(url).then(function (r) { return r.json(); }).then(function (series) { doc.series[measure] = series; });
    }
    return loading[measure];
  }
  function show() {
    return ensure(state.m).then(render).catch(function (err) { document.getElementById("compare-note").textContent = String(err); });
  }

  function addByLabel() {
    var input = document.getElementById("add-area");
    var msg = document.getElementById("area-message");
    var code = byLabel[input.value.trim().toLowerCase()];
    if (!code) { msg.textContent = words.getAttribute("data-unknown"); return; }
    if (state.e.indexOf(code) >= 0) { input.value = ""; return; }
    if (state.e.length >= MAX) { msg.textContent = words.getAttribute("data-full"); return; }
    msg.textContent = "";
    input.value = "";
    state.e.push(code);
    show();
  }

  fetch(form.getAttribute("data-data")).then(function (r) { return r.json(); }).then(function (d) {
    doc = d;
    doc.series = {};
    var list = document.getElementById("area-list");
    doc.entities.forEach(function (e) { byCode[e[0]] = e; });
    var opts = doc.entities.slice().sort(function (a, b) { return a[nameIndex].localeCompare(b[nameIndex], B.locale); });
    var frag = document.createDocumentFragment();
    opts.forEach(function (e) {
      var l = label(e[0]);
      byLabel[l.toLowerCase()] = e[0];
      if (!byLabel[e[nameIndex].toLowerCase()]) { byLabel[e[nameIndex].toLowerCase()] = e[0]; }
      var o = document.createElement("option"); o.value = l; frag.appendChild(o);
    });
    list.appendChild(frag);
    state = parse(window.location.search && new URLSearchParams(window.location.search).get("e") !== null ? window.location.search : "?" + form.getAttribute("data-default"));
    show();
  });

  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (!state || t.id === "add-area") { return; }
    if (t.name === "m" || t.name === "i" || t.name === "p" || t.name === "s") { state[t.name] = t.value; }
    if (t.id === "category") { state.c = t.value; }
    var allowed = collected(state.m);
    if (allowed.indexOf(state.c) < 0) { state.c = allowed[0]; }
    show();
  });
  form.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t.classList && t.classList.contains("remove")) {
      var code = t.getAttribute("data-code");
      state.e = state.e.filter(function (c) { return c !== code; });
      show().then(function () {
        (form.querySelector(".chosen .remove") || document.getElementById("add-area")).focus();
      });
    } else if (t.id === "add-button") {
      addByLabel();
    }
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); addByLabel(); });
  document.getElementById("add-area").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); addByLabel(); }
  });
})();

// Search page: the language's index (data/search-<lang>.json: areas, measures, notes, pages and
// former municipalities, by name), folded for case and accents; results as the reader types.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = null;
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  // rank 0: the title starts with the query; 1: a word of the title or of the other names starts
  // with each word of the query; 2: each word of the query is found anywhere; else no match
  function rank(item, q, words) {
    if (item.title.indexOf(q) === 0) { return 0; }
    var all = " " + item.title + " " + item.words;
    if (words.every(function (w) { return all.indexOf(" " + w) >= 0; })) { return 1; }
    if (words.every(function (w) { return all.indexOf(w) >= 0; })) { return 2; }
    return -1;
  }
  function run() {
    var q = fold(input.value);
    list.innerHTML = "";
    if (!q || !index) { status.textContent = ""; return; }
    var words = q.split(" ");
    var found = [];
    index.items.forEach(function (item, i) {
      var r = rank(item, q, words);
      if (r >= 0) { found.push([r, i]); }
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var n = found.length;
    status.textContent = n === 0 ? form.getAttribute("data-none")
      : n === 1 ? form.getAttribute("data-one") : form.getAttribute("data-many").replace("{n}", n);
    found.slice(0, 30).forEach(function (f) {
      var item = index.items[f[1]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = Barometer.base + item.path;
      a.textContent = item.label;
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + index.kinds[item.kind] + (item.extra ? " " + item.extra : "");
      li.appendChild(kind);
      list.appendChild(li);
    });
  }
  fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (doc) {
    var former = doc.kinds.length - 1;
    index = {
      kinds: doc.kinds,
      items: doc.items.map(function (it) {
        return { label: it[0], path: it[1], kind: it[2], title: fold(it[0]), words: fold(it[3]),
                 extra: it[2] === former ? it[3] : "" };
      })
    };
    run();
  });
  input.addEventListener("input", run);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q.slice(0, 200); }
  input.focus();
})();

// Reuse kit: every chart and map gets "Share and download": its image as SVG and PNG, its data
// as CSV (from the figure's data table, or the ranking it points to), a link to it, an embed
// snippet, a "cite this" line and the licence. Built here from the words the page carries once
// (#kit): the same kit written into the HTML of every chart would cost ~11 MB of the site.
(function () {
  "use strict";
  var kit = document.getElementById("kit");
  if (!kit || !window.fetch) { return; }
  var w = kit.dataset;
  var root = new URL(Barometer.base, window.location.href);
  var path = window.location.pathname.slice(root.pathname.length);
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    return e;
  }
  function save(name, href) {
    var a = el("a", { href: href, download: name });
    document.body.appendChild(a);
    a.click();
    a.parentNode.removeChild(a);
  }
  // The chart as SVG text, self-contained and sized as on screen: a fluid drawing has no size
  // of its own; an image inside an inline chart (the scatter under a municipality's dot) is
  // inlined, since an SVG file or a PNG cannot fetch it.
  function svgText(fig) {
    var box = fig.querySelector(".svg");
    var img = box.querySelector("img:last-of-type");
    var svg = box.querySelector("svg");
    // a fluid drawing at least as wide as a page column (a phone's would be narrow for print);
    // any other at its own size
    var fluid = img && img.classList.contains("fluid");
    var width = fluid ? Math.max(Math.round(box.clientWidth), 720) : Number((img || svg).getAttribute("width"));
    var height = fluid ? Math.round(img.clientHeight) : Number((img || svg).getAttribute("height"));
    // marks drawn over an image (the strip's municipality and median) go into the drawing
    var over = img && box.querySelector("svg.marks");
    var marks = over ? Array.prototype.map.call(over.querySelectorAll("rect"), function (r) {
      var x = parseFloat(r.getAttribute("x")) / 100 * width - Number(r.getAttribute("width")) / 2;
      return '<rect x="' + x.toFixed(1) + '" width="' + r.getAttribute("width") + '" height="' + r.getAttribute("height") +
        '" fill="' + getComputedStyle(r).fill + '"/>';
    }).join("") : "";
    var sized = function (text) {
      return text.replace(/<svg\b([^>]*)>/, function (m, attrs) {
        attrs = attrs.replace(/\s(width|height)="[^"]*"/g, "");
        if (!/xmlns=/.test(attrs)) { attrs += ' xmlns="http://www.w3.org/2000/svg"'; }
        if (!/font-family=/.test(attrs)) { attrs += ' font-family="system-ui, sans-serif"'; }
        return "<svg" + attrs + ' width="' + width + '" height="' + height + '">';
      });
    };
    if (img) {
      return fetch(img.src).then(function (r) { return r.text(); }).then(function (t) {
        t = sized(t);
        return marks ? t.replace(/<\/svg>\s*$/, marks + "</svg>") : t;
      });
    }
    var text = new XMLSerializer().serializeToString(svg);
    var inner = svg.querySelector("image");
    if (!inner) { return Promise.resolve(sized(text)); }
    var src = new URL(inner.getAttribute("href"), window.location.href).href;
    return fetch(src).then(function (r) { return r.text(); }).then(function (under) {
      under = under.replace(/<\?xml[^>]*>/, "");
      return sized(text.replace(/<image\b[^>]*\/>|<image\b[^>]*>\s*<\/image>/, under));
    });
  }
  // The exported image says what it shows, like the page: title, legend, the chart, then the
  // source, licence and address (an image reposted alone keeps them).
  function esc(t) { return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;"); }
  function lines(text, width, size, bold) {
    var max = Math.max(20, Math.floor(width / (size * (bold ? 0.64 : 0.56)))), out = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > max) { out.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { out.push(line); }
    return out;
  }
  function framed(fig, chart) {
    var width = Number(/<svg\b[^>]*\swidth="(\d+)"/.exec(chart)[1]);
    var height = Number(/<svg\b[^>]*\sheight="(\d+)"/.exec(chart)[1]);
    var y = 8, parts = [];
    lines(((fig.querySelector("figcaption") || {}).textContent || "").trim(), width, 16, true).forEach(function (l) {
      y += 20;
      parts.push('<text x="0" y="' + y + '" font-size="16" font-weight="700" fill="#1c2330">' + esc(l) + "</text>");
    });
    var x = 0;
    y += 8;
    Array.prototype.forEach.call(fig.querySelectorAll(".legend li"), function (li) {
      var label = li.textContent.trim(), sw = li.querySelector(".swatch");
      var colour = sw ? getComputedStyle(sw).backgroundColor : "";
      var room = 36 + label.length * 8;
      if (x && x + room > width) { x = 0; y += 18; }
      if (colour && colour !== "rgba(0, 0, 0, 0)") {
        parts.push('<rect x="' + x + '" y="' + (y + 5) + '" width="18" height="5" rx="2" fill="' + colour + '"/>');
      }
      parts.push('<text x="' + (x + 24) + '" y="' + (y + 12) + '" font-size="13" fill="#1c2330">' + esc(label) + "</text>");
      x += room;
    });
    y += fig.querySelector(".legend li") ? 26 : 4;
    var top = y;
    y += height + 6;
    var foot = [];
    lines(w.source + ". " + w.licence + " " + root.href + path + "#" + fig.id, width, 11).forEach(function (l) {
      y += 14;
      foot.push('<text x="0" y="' + y + '" font-size="11" fill="#5b6474">' + esc(l) + "</text>");
    });
    y += 8;
    return '<svg xmlns="http://www.w3.org/2000/svg" width="' + (width + 24) + '" height="' + y + '" font-family="system-ui, sans-serif">' +
      '<rect width="100%" height="100%" fill="#fff"/><g transform="translate(12,0)">' + parts.join("") +
      chart.replace(/<svg\b/, '<svg y="' + top + '"') + foot.join("") + "</g></svg>";
  }
  function png(fig, name) {
    svgText(fig).then(function (text) {
      var image = new Image();
      image.onload = function () {
        var scale = 2, c = document.createElement("canvas");
        c.width = image.width * scale;
        c.height = image.height * scale;
        var g = c.getContext("2d");
        g.fillStyle = "#fff";
        g.fillRect(0, 0, c.width, c.height);
        g.drawImage(image, 0, 0, c.width, c.height);
        save(name, c.toDataURL("image/png"));
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(framed(fig, text));
    });
  }
  function dataTable(fig) {
    var t = fig.querySelector("details.data-table table");
    var ref = fig.querySelector('a[href^="#"]');
    if (!t && ref) { t = document.getElementById(ref.getAttribute("href").slice(1)); }
    return t && t.tagName === "TABLE" ? t : null;
  }
  function csv(table) {
    var cell = function (c) {
      var s = c.textContent.replace(/\s+/g, " ").trim();
      return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    return Array.prototype.map.call(table.querySelectorAll("tr"), function (tr) {
      return Array.prototype.map.call(tr.children, cell).join(",");
    }).join("\n") + "\n";
  }
  function field(label, value, multiline) {
    var p = el("p", { "class": "kit-field" });
    var id = "k" + Math.random().toString(36).slice(2, 9);
    p.appendChild(el("label", { "for": id }, label));
    var input = el(multiline ? "textarea" : "input", { id: id, readonly: "", rows: "3" });
    input.value = value;
    p.appendChild(input);
    var copy = el("button", { type: "button" }, w.copy);
    copy.addEventListener("click", function () {
      input.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(value); }
    });
    p.appendChild(copy);
    return p;
  }
  // the box's contents are made when it is first opened: a page of eleven charts pays for a
  // summary line each at load
  function fill(fig, details) {
    var name = fig.getAttribute("data-chart");
    var caption = (fig.querySelector("figcaption") || {}).textContent || document.title;
    var url = root.href + path + "#" + fig.id;
    var buttons = el("p", { "class": "kit-files" });
    var svgButton = el("button", { type: "button" }, w.svg);
    svgButton.addEventListener("click", function () {
      svgText(fig).then(function (t) { save(name + ".svg", "data:image/svg+xml;charset=utf-8," + encodeURIComponent(framed(fig, t))); });
    });
    var pngButton = el("button", { type: "button" }, w.png);
    pngButton.addEventListener("click", function () { png(fig, name + ".png"); });
    buttons.appendChild(svgButton);
    buttons.appendChild(pngButton);
    var table = dataTable(fig);
    if (table) {
      var csvButton = el("button", { type: "button" }, w.csv);
      csvButton.addEventListener("click", function () {
        save(name + ".csv", "data:text/csv;charset=utf-8," + encodeURIComponent("\ufeff" + csv(table)));
      });
      buttons.appendChild(csvButton);
    }
    details.appendChild(buttons);
    details.appendChild(field(w.link, url));
    var embed = root.href + "embed/?p=" + encodeURIComponent(path) + "&c=" + encodeURIComponent(name);
    details.appendChild(field(w.embed, '<iframe src="' + embed + '" width="100%" height="520" style="border:0" loading="lazy" title="' +
      esc(caption) + '"></iframe>', true));
    var today = new Date().toISOString().slice(0, 10);
    details.appendChild(field(w.cite, caption.trim() + ". " + w.source + ". " + url + " (" + w.accessed + " " + today + ").", true));
    var licence = el("p", { "class": "note" });
    licence.appendChild(el("a", { href: "https://creativecommons.org/licenses/by/4.0/", rel: "license" }, w.licence));
    details.appendChild(licence);
  }
  Array.prototype.forEach.call(document.querySelectorAll("figure.chart[data-chart][id]"), function (fig) {
    var details = el("details", { "class": "reuse" });
    details.appendChild(el("summary", {}, w.share));
    details.addEventListener("toggle", function () {
      if (details.open && details.children.length === 1) { fill(fig, details); }
    });
    fig.appendChild(details);
  });
})();

// The embed page (embed/?p=<page>&c=<chart>): the chart's figure from its page, with its source
// and licence. Only a page of this site and a chart key are accepted.
(function () {
  "use strict";
  var main = document.getElementById("embed");
  if (!main || !window.fetch) { return; }
  var q = new URLSearchParams(window.location.search);
  var p = q.get("p") || "", c = q.get("c") || "";
  if (!/^[a-z]{2}\/[a-z0-9_\/-]*$/.test(p) || p.indexOf("..") >= 0 || p.indexOf("//") >= 0 || !/^[a-z0-9_-]+$/.test(c)) { return; }
  var src = new URL(p, Barometer.base).href;
  fetch(src).then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); }).then(function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fig = doc.querySelector('figure[data-chart="' + c + '"]');
    if (!fig) { return; }
    document.documentElement.lang = doc.documentElement.lang;
    document.title = (fig.querySelector("figcaption") || doc).textContent.trim();
    // the page's relative addresses resolve against the page, not against this one
    var XLINK = "http://www.w3.org/1999/xlink";
    Array.prototype.forEach.call(fig.querySelectorAll("*"), function (e) {
      ["src", "href"].forEach(function (a) {
        var v = e.getAttribute(a);
        if (v && v.charAt(0) !== "#") { e.setAttribute(a, new URL(v, src).href); }
      });
      var x = e.getAttributeNS(XLINK, "href");
      if (x && x.charAt(0) !== "#") { e.setAttributeNS(XLINK, "xlink:href", new URL(x, src).href); }
      if (e.localName === "a") { e.setAttribute("target", "_top"); }
    });
    // the synthetic-data notice in the page's language
    var notice = doc.querySelector(".notice"), mine = document.querySelector(".notice");
    if (mine && notice) {
      Array.prototype.forEach.call(notice.querySelectorAll("a[href]"), function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), src).href);
        a.setAttribute("target", "_top");
      });
      mine.parentNode.replaceChild(document.importNode(notice, true), mine);
    }
    Array.prototype.forEach.call(fig.querySelectorAll("a[href^='#']"), function (a) { a.setAttribute("href", src + a.getAttribute("href")); a.setAttribute("target", "_top"); });
    fig.removeAttribute("data-spec");
    var kit = doc.getElementById("kit");
    var source = document.createElement("p");
    source.className = "note";
    var link = document.createElement("a");
    link.href = src + "#" + fig.id;
    link.target = "_top";
    link.textContent = doc.title;
    source.appendChild(link);
    if (kit) {
      source.appendChild(document.createTextNode(" · " + kit.dataset.source + " · "));
      var lic = document.createElement("a");
      lic.href = "https://creativecommons.org/licenses/by/4.0/";
      lic.rel = "license";
      lic.target = "_top";
      lic.textContent = kit.dataset.licence;
      source.appendChild(lic);
    }
    main.textContent = "";
    main.appendChild(document.importNode(fig, true));
    main.appendChild(source);
  });
})();
