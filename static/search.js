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

  var digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var months = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  // The front-coded dictionary: a capital letter says how many characters a term shares with
  // the one before it, the rest follow.
  function dictionary(text) {
    var words = [];
    var current = "";
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 65 && code <= 90) {
        if (i > 0) words.push(current);
        current = current.slice(0, code - 65);
      } else {
        current += text.charAt(i);
      }
    }
    if (text) words.push(current);
    return words;
  }

  function load() {
    if (index) return Promise.resolve(index);
    return fetch(form.getAttribute("data-index"))
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.words = dictionary(data.t);
        data.lists = data.p.split(",");
        index = data;
        return data;
      });
  }

  // Query terms as the index makes them (src/site/search.rs, `terms`): letters and digits
  // folded to lower case without accents, three or more with a letter among them or a
  // four-digit year, no stop words, plurals folded.
  function terms(query) {
    var folded = query.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
    return folded.split(/[^\p{L}\p{N}]+/u).filter(function (word) {
      var kept = (/\p{L}/u.test(word) && Array.from(word).length >= 3) || /^\d{4}$/.test(word);
      return kept && stop.indexOf(word) === -1;
    }).map(singular);
  }

  function singular(word) {
    var length = Array.from(word).length;
    if (length > 4 && /ies$/.test(word)) return word.slice(0, -3) + "y";
    if (length > 3 && /s$/.test(word) && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  // One term's releases: a bitmap ("~", six releases a character) or variable-length gaps.
  function postings(text) {
    var numbers = [];
    var i, value;
    if (text.charAt(0) === "~") {
      for (i = 1; i < text.length; i++) {
        value = digits.indexOf(text.charAt(i));
        for (var bit = 0; bit < 6; bit++) {
          if (value & (1 << bit)) numbers.push((i - 1) * 6 + bit);
        }
      }
      return numbers;
    }
    var at = 0;
    value = 0;
    for (i = 0; i < text.length; i++) {
      var digit = digits.indexOf(text.charAt(i));
      value = value * 32 + (digit % 32);
      if (digit < 32) {
        at += value;
        numbers.push(at);
        value = 0;
      }
    }
    return numbers;
  }

  // The releases with a term that starts with `term` ("defer" finds "deferred").
  function releasesWith(data, term) {
    var found = {};
    var words = data.words;
    var low = 0, high = words.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (words[mid] < term) low = mid + 1; else high = mid;
    }
    for (var i = low; i < words.length && words[i].lastIndexOf(term, 0) === 0; i++) {
      postings(data.lists[i]).forEach(function (n) { found[n] = true; });
    }
    return found;
  }

  // As model::slugify: ASCII letters and digits, lower case, anything else one hyphen.
  function slugify(text) {
    var slug = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (/[A-Za-z0-9]/.test(c)) slug += c.toLowerCase();
      else if (slug && slug.slice(-1) !== "-" && c !== "'" && c !== "\u2019") slug += "-";
    }
    return slug.replace(/-+$/, "");
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // A record: [title, slug as far as it cannot be made, YYYYMMDD, category, summary]; a page of
  // the site's own has its URL in place of the slug and the date 0.
  function item(data, record) {
    var li = document.createElement("li");
    li.className = "release-item";
    var meta = document.createElement("p");
    meta.className = "meta";
    var href = root + record[1];
    if (record[2] !== 0) {
      var year = Math.floor(record[2] / 10000);
      var month = Math.floor(record[2] / 100) % 100;
      var day = record[2] % 100;
      var iso = year + "-" + pad(month) + "-" + pad(day);
      var slug = record[1] === "" ? iso + "-" + slugify(record[0])
        : record[1].charAt(0) === "/" ? record[1].slice(1) : iso + "-" + record[1];
      href = root + "releases/" + slug + "/";
      var time = document.createElement("time");
      time.setAttribute("datetime", iso);
      time.textContent = months[month - 1] + " " + day + ", " + year;
      meta.appendChild(time);
      meta.appendChild(document.createTextNode(" "));
    }
    var tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = data.c[record[3]];
    meta.appendChild(tag);
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = href;
    link.textContent = record[0];
    heading.appendChild(link);
    var summary = document.createElement("p");
    summary.className = "summary";
    summary.textContent = record[4];
    li.appendChild(meta);
    li.appendChild(heading);
    li.appendChild(summary);
    return li;
  }

  function showList(shown) {
    if (listing) listing.hidden = !shown;
  }

  var latest = 0;

  function show(query) {
    var words = terms(query);
    var asked = ++latest;
    list.textContent = "";
    if (!query.trim()) {
      list.hidden = true;
      status.textContent = "";
      showList(true);
      return;
    }
    load().then(function (data) {
      // A later keystroke has asked again: its answer is the one to show.
      if (asked !== latest) return;
      list.textContent = "";
      var found = data.r.map(function (_, n) { return n; });
      words.forEach(function (word) {
        var having = releasesWith(data, word);
        found = found.filter(function (n) { return having[n]; });
      });
      if (!words.length) found = [];
      found.slice(0, 50).forEach(function (n) { list.appendChild(item(data, data.r[n])); });
      list.hidden = found.length === 0;
      var pages = found.filter(function (n) { return data.r[n][2] === 0; }).length;
      var releases = found.length - pages;
      var counts = [];
      if (releases || !pages) counts.push(releases === 1 ? "1 release" : releases + " releases");
      if (pages) counts.push(pages === 1 ? "1 page" : pages + " pages");
      var counted = counts.join(" and ");
      status.textContent = counted + " found" +
        " for \u201c" + query.trim() + "\u201d" + (found.length > 50 ? ", the newest 50 shown" : "") +
        ". Clear the search box to see every release.";
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
