// Two result views for YASGUI's YASR, drawn in the page without any library or outside request:
// "Chart" (bars of a numeric column against a label column) and "Pivot" (a cross table of two
// columns, counting rows or summing a numeric column). Values are written with textContent only:
// nothing from a result is ever read as HTML.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;

  function el(tag, attrs, text) {
    var e = tag.indexOf("svg:") === 0 ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function vars(yasr) { return yasr.results.getVariables() || []; }
  function rows(yasr) { return yasr.results.getBindings() || []; }
  function shown(term) { return term ? term.value : ""; }

  function numericVars(yasr) {
    var bindings = rows(yasr);
    return vars(yasr).filter(function (v) {
      var seen = false;
      for (var i = 0; i < bindings.length; i++) {
        var t = bindings[i][v];
        if (!t) continue;
        if (t.type !== "literal" || !NUMERIC.test(t.datatype || "")) return false;
        seen = true;
      }
      return seen;
    });
  }

  function chooser(label, options, selected, onChange) {
    var wrap = el("label", {class: "idm-choice"}, label + " ");
    var select = el("select");
    options.forEach(function (o) {
      var opt = el("option", {value: o[0]}, o[1]);
      if (o[0] === selected) opt.selected = true;
      select.appendChild(opt);
    });
    select.addEventListener("change", function () { onChange(select.value); });
    wrap.appendChild(select);
    return wrap;
  }

  function icon(text) {
    var span = el("span", {class: "idm-icon"}, text);
    return span;
  }

  // ---- Chart: horizontal bars, one per row (the first MAX rows), in the query's order
  var MAX_BARS = 60;

  function Chart(yasr) {
    this.yasr = yasr;
    this.label = "Chart";
    this.priority = 2;
    this.state = {};
  }
  Chart.prototype.canHandleResults = function () {
    return !!(this.yasr.results && this.yasr.results.getBindings && rows(this.yasr).length && numericVars(this.yasr).length);
  };
  Chart.prototype.getIcon = function () { return icon("▤"); };
  Chart.prototype.draw = function () {
    var self = this, yasr = this.yasr, numbers = numericVars(yasr);
    var labels = vars(yasr).filter(function (v) { return numbers.indexOf(v) < 0; });
    var valueVar = numbers.indexOf(this.state.value) >= 0 ? this.state.value : numbers[0];
    var labelVar = labels.indexOf(this.state.label) >= 0 ? this.state.label : (labels[0] || "");
    var box = el("div", {class: "idm-chart"});
    var controls = el("div", {class: "idm-controls"});
    controls.appendChild(chooser("bars:", numbers.map(function (v) { return [v, v]; }), valueVar,
      function (v) { self.state.value = v; yasr.draw(); }));
    controls.appendChild(chooser("labels:", [["", "(row number)"]].concat(labels.map(function (v) { return [v, v]; })),
      labelVar, function (v) { self.state.label = v; yasr.draw(); }));
    box.appendChild(controls);
    var data = rows(yasr).slice(0, MAX_BARS).map(function (b, i) {
      return {label: labelVar ? shown(b[labelVar]) : String(i + 1), value: b[valueVar] ? parseFloat(b[valueVar].value) : 0};
    });
    var top = Math.max.apply(null, data.map(function (d) { return Math.abs(d.value); }).concat([1]));
    var bar = 20, left = 260, width = 520, height = data.length * bar + 10;
    var svg = el("svg:svg", {width: left + width + 80, height: height, role: "img", "aria-label": valueVar + " by " + (labelVar || "row")});
    data.forEach(function (d, i) {
      var y = i * bar + 5, w = Math.max(1, Math.round(width * Math.abs(d.value) / top));
      var text = d.label.length > 36 ? d.label.slice(0, 35) + "…" : d.label;
      var name = el("svg:text", {x: left - 6, y: y + 14, "text-anchor": "end", "font-size": "12"}, text);
      name.appendChild(el("svg:title", {}, d.label));
      svg.appendChild(name);
      svg.appendChild(el("svg:rect", {x: left, y: y + 2, width: w, height: bar - 6, fill: "#4a7ab5"}));
      svg.appendChild(el("svg:text", {x: left + w + 4, y: y + 14, "font-size": "12"}, String(d.value)));
    });
    box.appendChild(svg);
    if (rows(yasr).length > MAX_BARS) box.appendChild(el("p", {}, "The first " + MAX_BARS + " rows of " + rows(yasr).length + "."));
    yasr.resultsEl.appendChild(box);
  };

  // ---- Pivot: rows x columns, each cell the number of result rows or the sum of a column
  function Pivot(yasr) {
    this.yasr = yasr;
    this.label = "Pivot";
    this.priority = 1;
    this.state = {};
  }
  Pivot.prototype.canHandleResults = function () {
    return !!(this.yasr.results && this.yasr.results.getBindings && rows(this.yasr).length && vars(this.yasr).length >= 2);
  };
  Pivot.prototype.getIcon = function () { return icon("▦"); };
  Pivot.prototype.draw = function () {
    var self = this, yasr = this.yasr, all = vars(yasr), numbers = numericVars(yasr);
    var pick = function (key, fallback) { return all.indexOf(self.state[key]) >= 0 ? self.state[key] : fallback; };
    var rowVar = pick("rows", all[0]), colVar = pick("columns", all[1]);
    var measure = numbers.indexOf(self.state.measure) >= 0 ? self.state.measure : "";
    var box = el("div", {class: "idm-pivot"});
    var controls = el("div", {class: "idm-controls"});
    var options = all.map(function (v) { return [v, v]; });
    controls.appendChild(chooser("rows:", options, rowVar, function (v) { self.state.rows = v; yasr.draw(); }));
    controls.appendChild(chooser("columns:", options, colVar, function (v) { self.state.columns = v; yasr.draw(); }));
    controls.appendChild(chooser("cells:", [["", "number of rows"]].concat(numbers.map(function (v) { return [v, "sum of " + v]; })),
      measure, function (v) { self.state.measure = v; yasr.draw(); }));
    box.appendChild(controls);
    var cells = {}, rowKeys = [], colKeys = [];
    rows(yasr).forEach(function (b) {
      var r = shown(b[rowVar]), c = shown(b[colVar]);
      if (rowKeys.indexOf(r) < 0) rowKeys.push(r);
      if (colKeys.indexOf(c) < 0) colKeys.push(c);
      var add = measure ? (b[measure] ? parseFloat(b[measure].value) : 0) : 1;
      cells[r + "\u0000" + c] = (cells[r + "\u0000" + c] || 0) + add;
    });
    rowKeys.sort(); colKeys.sort();
    var table = el("table", {class: "idm-pivot-table"});
    var head = table.createTHead().insertRow();
    head.appendChild(el("th", {}, rowVar + " \\ " + colVar));
    colKeys.forEach(function (c) { head.appendChild(el("th", {}, c)); });
    head.appendChild(el("th", {}, "total"));
    var body = table.createTBody(), totals = {};
    rowKeys.forEach(function (r) {
      var tr = body.insertRow(), sum = 0;
      tr.appendChild(el("th", {}, r));
      colKeys.forEach(function (c) {
        var v = cells[r + "\u0000" + c] || 0;
        sum += v; totals[c] = (totals[c] || 0) + v;
        tr.appendChild(el("td", {}, v ? String(v) : ""));
      });
      tr.appendChild(el("td", {class: "idm-total"}, String(sum)));
    });
    var foot = table.createTFoot().insertRow();
    foot.appendChild(el("th", {}, "total"));
    var grand = 0;
    colKeys.forEach(function (c) { grand += totals[c]; foot.appendChild(el("td", {class: "idm-total"}, String(totals[c]))); });
    foot.appendChild(el("td", {class: "idm-total"}, String(grand)));
    box.appendChild(table);
    yasr.resultsEl.appendChild(box);
  };

  window.Yasgui.Yasr.registerPlugin("chart", Chart);
  window.Yasgui.Yasr.registerPlugin("pivot", Pivot);
})();
