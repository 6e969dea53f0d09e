// regent's results table: filter, sort and render from the JSON block above. No library,
// nothing fetched. Values go into the page as text nodes, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("regent-data").textContent);
  var MAX_RENDERED = data.max_rendered;
  var C = { control: 0, severity: 1, verdict: 2, type: 3, id: 4, name: 5, arn: 6,
            account: 7, region: 8, annotation: 9, input: 10 };
  var rows = data.rows;
  // Each row's position in the page's own order (failures first): the tie-breaker of
  // every sort, so sorting is stable and the same link shows the same table.
  var i;
  for (i = 0; i < rows.length; i++) { rows[i].push(i); }
  var ORDER = 11;
  // What the text filter searches, lower-cased once.
  var haystacks = rows.map(function (r) {
    return [r[C.control], data.titles[r[C.control]] || "", data.severities[r[C.severity]],
      data.verdicts[r[C.verdict]], r[C.type], r[C.id], r[C.name], r[C.arn], r[C.account],
      r[C.region], r[C.annotation], r[C.input]].join("\n").toLowerCase();
  });

  var natural = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  var KEYS = {
    control: function (r) { return r[C.control]; },
    severity: function (r) { return r[C.severity]; },
    compliance: function (r) { return r[C.verdict]; },
    type: function (r) { return r[C.type]; },
    resource: function (r) { return r[C.id]; },
    account: function (r) { return r[C.account]; },
    region: function (r) { return r[C.region]; },
    annotation: function (r) { return r[C.annotation]; },
    input: function (r) { return r[C.input]; }
  };
  // The direction a first click sorts in: the most severe and the failures first.
  var FIRST = { severity: "desc" };

  var state = { q: "", severity: "", compliance: "", account: "", region: "", sort: "", dir: "" };
  var FIELDS = ["q", "severity", "compliance", "account", "region"];

  function readLocation() {
    var text = location.hash.length > 1 && location.hash.indexOf("=") >= 0
      ? location.hash.slice(1) : location.search.slice(1);
    var params = new URLSearchParams(text);
    Object.keys(state).forEach(function (k) { state[k] = params.get(k) || ""; });
    if (!KEYS[state.sort]) { state.sort = ""; state.dir = ""; }
    if (state.dir !== "asc" && state.dir !== "desc") {
      state.dir = state.sort ? (FIRST[state.sort] || "asc") : "";
    }
  }

  function writeLocation() {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (k) { if (state[k]) { params.set(k, state[k]); } });
    var hash = params.toString();
    var address = location.pathname + location.search + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", address); } catch (e) { /* file:// in some browsers */ }
  }

  function matches(r, index, words) {
    if (state.severity && data.severities[r[C.severity]] !== state.severity) { return false; }
    if (state.compliance && data.verdicts[r[C.verdict]] !== state.compliance) { return false; }
    if (state.account && r[C.account] !== state.account) { return false; }
    if (state.region && r[C.region] !== state.region) { return false; }
    for (var w = 0; w < words.length; w++) {
      if (haystacks[index].indexOf(words[w]) < 0) { return false; }
    }
    return true;
  }

  function compare(a, b) {
    if (state.sort) {
      var key = KEYS[state.sort];
      var x = key(a), y = key(b), c;
      c = typeof x === "number" ? x - y : natural.compare(x, y);
      if (c !== 0) { return state.dir === "desc" ? -c : c; }
    }
    return a[ORDER] - b[ORDER];
  }

  function cell(tr, className, text) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (text !== undefined) { td.textContent = text; }
    tr.appendChild(td);
    return td;
  }

  function line(td, className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    td.appendChild(span);
  }

  function row(r) {
    var tr = document.createElement("tr");
    var severity = data.severities[r[C.severity]];
    var verdict = data.verdicts[r[C.verdict]];
    tr.className = "result";
    tr.setAttribute("data-control", r[C.control]);
    tr.setAttribute("data-severity", severity);
    tr.setAttribute("data-compliance", verdict);
    var control = cell(tr, "control");
    var strong = document.createElement("strong");
    strong.textContent = r[C.control];
    control.appendChild(strong);
    var title = data.titles[r[C.control]] || "";
    line(control, "title", title);
    control.title = r[C.control] + " " + title;
    var sev = cell(tr, "severity");
    line(sev, "sev " + severity, severity);
    var v = cell(tr, "compliance");
    line(v, "verdict v" + r[C.verdict], verdict);
    cell(tr, "type", r[C.type]);
    var resource = cell(tr, "resource", r[C.id]);
    if (r[C.name]) { line(resource, "sub", r[C.name]); }
    if (r[C.arn] && r[C.arn] !== r[C.id]) { line(resource, "sub", r[C.arn]); }
    cell(tr, "account", r[C.account]);
    cell(tr, "region", r[C.region]);
    cell(tr, "annotation", r[C.annotation]);
    // The file's name; its whole path in the tooltip (and searched by the filter).
    var input = cell(tr, "input", r[C.input].slice(r[C.input].lastIndexOf("/") + 1));
    input.title = r[C.input];
    return tr;
  }

  function render() {
    var words = state.q.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = [];
    for (var k = 0; k < rows.length; k++) {
      if (matches(rows[k], k, words)) { shown.push(rows[k]); }
    }
    shown.sort(compare);
    var body = document.getElementById("rows");
    var fragment = document.createDocumentFragment();
    var rendered = Math.min(shown.length, MAX_RENDERED);
    for (var n = 0; n < rendered; n++) { fragment.appendChild(row(shown[n])); }
    body.textContent = "";
    body.appendChild(fragment);

    var count = document.getElementById("count");
    count.setAttribute("data-matching", String(shown.length));
    count.setAttribute("data-rendered", String(rendered));
    count.setAttribute("data-total", String(rows.length));
    var filtered = FIELDS.some(function (f) { return state[f]; });
    count.textContent = filtered
      ? shown.length + " of " + rows.length + " results match"
      : rows.length + " results";
    var more = document.getElementById("more-rows");
    if (shown.length > rendered) {
      more.hidden = false;
      more.textContent = "The table shows the first " + rendered + " of these " + shown.length +
        " results: narrow the filter to see the rest.";
    } else {
      more.hidden = true;
      more.textContent = "";
    }
    var headers = document.querySelectorAll("#results-table th[data-key]");
    for (var h = 0; h < headers.length; h++) {
      var th = headers[h];
      th.setAttribute("aria-sort", th.getAttribute("data-key") === state.sort
        ? (state.dir === "desc" ? "descending" : "ascending") : "none");
    }
  }

  function showState() {
    FIELDS.forEach(function (f) {
      var input = document.getElementById(f);
      if (input.tagName === "SELECT" && state[f] &&
          !Array.prototype.some.call(input.options, function (o) { return o.value === state[f]; })) {
        // A value this report does not hold (an old link): still offered, matching nothing.
        var option = document.createElement("option");
        option.textContent = state[f];
        input.appendChild(option);
      }
      input.value = state[f];
    });
  }

  readLocation();
  showState();
  render();

  FIELDS.forEach(function (f) {
    var input = document.getElementById(f);
    input.addEventListener(f === "q" ? "input" : "change", function () {
      state[f] = input.value.trim() === "" ? "" : input.value;
      writeLocation();
      render();
    });
  });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("reset").addEventListener("click", function () {
    FIELDS.forEach(function (f) { state[f] = ""; });
    showState();
    writeLocation();
    render();
  });
  var headers = document.querySelectorAll("#results-table th[data-key]");
  Array.prototype.forEach.call(headers, function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      if (state.sort === key) {
        state.dir = state.dir === "desc" ? "asc" : "desc";
      } else {
        state.sort = key;
        state.dir = FIRST[key] || "asc";
      }
      writeLocation();
      render();
    });
  });
  window.addEventListener("hashchange", function () {
    if (location.hash.indexOf("=") < 0) { return; }
    readLocation();
    showState();
    render();
  });
})();
