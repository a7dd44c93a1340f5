// Search box of the news page: filters search-index.json in the browser. Without JavaScript the
// form simply opens the news list, so nothing depends on this file.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  var root = form.getAttribute("data-root") || "";
  var records = null;

  function load() {
    if (records) return Promise.resolve(records);
    return fetch(form.getAttribute("data-index"))
      .then(function (response) { return response.json(); })
      .then(function (data) { records = data; return data; });
  }

  function matches(record, words) {
    var text = (record.t + " " + record.s + " " + record.c + " " + record.d).toLowerCase();
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function item(record) {
    var li = document.createElement("li");
    li.className = "release-item";
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = record.d + " \u00b7 " + record.c;
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = root + record.u;
    link.textContent = record.t;
    heading.appendChild(link);
    var summary = document.createElement("p");
    summary.className = "summary";
    summary.textContent = record.s;
    li.appendChild(meta);
    li.appendChild(heading);
    li.appendChild(summary);
    return li;
  }

  function show(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      list.hidden = true;
      status.textContent = "";
      return;
    }
    load().then(function (data) {
      var found = data.filter(function (record) { return matches(record, words); });
      found.slice(0, 50).forEach(function (record) { list.appendChild(item(record)); });
      list.hidden = found.length === 0;
      status.textContent = found.length === 1 ? "1 release found" : found.length + " releases found";
    }).catch(function () {
      status.textContent = "Search is not available right now; browse the list below.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
  });
  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    show(initial);
  }
})();
