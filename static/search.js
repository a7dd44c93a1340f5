// Search box of the news page: looks up every word of every release in search-index.json (see
// src/site/search.rs for its format) and shows the releases that have all the words in place of
// the list. Without JavaScript the form opens the news list, which lists every release, so
// nothing depends on this file.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = form.querySelector(".search-status");
  var list = form.querySelector(".search-results");
  var listing = document.querySelector(".news-grid .col-main");
  var root = form.getAttribute("data-root") || "";
  var index = null;
  // The same stop words as the index leaves out.
  var stop = ("about after all also and are but been being can for from had has have its may " +
    "more not our such than that the their there these this those was were which while who " +
    "will with").split(" ");

  function load() {
    if (index) return Promise.resolve(index);
    return fetch(form.getAttribute("data-index"))
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.words = Object.keys(data.w).sort();
        index = data;
        return data;
      });
  }

  // Query words as the index splits text: three or more letters and digits with a letter among
  // them, or a four-digit year; no stop words.
  function terms(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (word) {
      var kept = (/\p{L}/u.test(word) && word.length >= 3) || /^\d{4}$/.test(word);
      return kept && stop.indexOf(word) === -1;
    });
  }

  function postings(text) {
    var numbers = [];
    var at = 0;
    text.split(".").forEach(function (gap) {
      at += parseInt(gap, 36);
      numbers.push(at);
    });
    return numbers;
  }

  // The releases with a word that starts with `term` ("defer" finds "deferred").
  function releasesWith(data, term) {
    var found = {};
    var words = data.words;
    var low = 0, high = words.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (words[mid] < term) low = mid + 1; else high = mid;
    }
    for (var i = low; i < words.length && words[i].lastIndexOf(term, 0) === 0; i++) {
      postings(data.w[words[i]]).forEach(function (n) { found[n] = true; });
    }
    return found;
  }

  function item(record) {
    var li = document.createElement("li");
    li.className = "release-item";
    var meta = document.createElement("p");
    meta.className = "meta";
    // The site's own pages have no date.
    meta.textContent = record.d ? record.d + " \u00b7 " + record.c : record.c;
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

  function showList(shown) {
    if (listing) listing.hidden = !shown;
  }

  function show(query) {
    var words = terms(query);
    list.textContent = "";
    if (!query.trim()) {
      list.hidden = true;
      status.textContent = "";
      showList(true);
      return;
    }
    load().then(function (data) {
      var found = data.r.map(function (_, n) { return n; });
      words.forEach(function (word) {
        var having = releasesWith(data, word);
        found = found.filter(function (n) { return having[n]; });
      });
      if (!words.length) found = [];
      found.slice(0, 50).forEach(function (n) { list.appendChild(item(data.r[n])); });
      list.hidden = found.length === 0;
      status.textContent = (found.length === 1 ? "1 release found" : found.length + " releases found") +
        " for \u201c" + query.trim() + "\u201d. Clear the search box to see every release.";
      showList(false);
    }).catch(function () {
      status.textContent = "Search is not available right now; browse the list below.";
      showList(true);
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
