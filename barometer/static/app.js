// Barometer of social integration: progressive enhancement only. Every page works without it.
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
  var script = document.currentScript || document.querySelector("script[src$='assets/app.js']");
  var base = script ? script.src.replace(/assets\/app\.js.*$/, "") : "/";
  var lang = document.documentElement.lang || "en";
  var locales = {
    nl: { decimal: ",", thousands: ".", grouping: [3], currency: ["€ ", ""] },
    fr: { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", " €"] },
    de: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " €"] },
    en: { decimal: ".", thousands: ",", grouping: [3], currency: ["€", ""] }
  };
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
      spec.mark = { type: "line", point: { size: 30, opacity: 0 } };
      spec.encoding.tooltip = [{ field: "name", type: "nominal", title: nameTitle }, { field: "date", type: "temporal", title: "", format: "%m/%Y" }, { field: "value", type: "quantitative", title: valueTitle, format: ",.2f" }];
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
      return window.vegaEmbed(target, spec, { renderer: "svg", actions: false, formatLocale: locales[lang] || locales.en });
    }).catch(function () { fig.removeAttribute("data-live"); });
  }
  Array.prototype.forEach.call(figures, function (fig) {
    fig.addEventListener("pointerenter", function () { enhance(fig); }, { once: true });
    fig.addEventListener("focusin", function () { enhance(fig); }, { once: true });
  });
})();
