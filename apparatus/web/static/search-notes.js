/* The notes that match a search, listed above Sphinx's page results (apparatus.web.search).

   Reads the query from ?q= as Sphinx's search page does and the notes from
   search-notes-data.js (window.edSearchNotes). A note matches when every word of the query
   (Sphinx's stop words and "-excluded" words aside) is in its lemma or its body; notes whose
   lemma holds them all come first, then the others, each in the order of their labels. Each
   is a link named by its label, lemma and category to its permalink on the text page, with the
   passage of the body where the words are. */
(function () {
  "use strict";

  var data = window.edSearchNotes;
  var results = document.getElementById("search-results");
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (!data || !results || !query) {
    return;
  }
  var strings = data.strings;
  // Links are relative to the site's root; the search page is not at the root in every builder.
  var root = document.documentElement.dataset.content_root || "";
  var EXCERPT = 90; // characters shown on each side of the first word found in the body

  // Curly quotes and apostrophes are found by their straight forms, and the other way round.
  function fold(text) {
    return text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function parse(text) {
    var stop = typeof stopwords !== "undefined" ? stopwords : new Set();
    var words = { wanted: [], excluded: [] };
    text.split(/\s+/).forEach(function (word) {
      var folded = fold(word);
      if (folded.charAt(0) === "-" && folded.length > 1) {
        words.excluded.push(folded.slice(1));
      } else if (folded && !stop.has(folded)) {
        words.wanted.push(folded);
      }
    });
    return words;
  }

  function holdsAll(text, words) {
    return words.every(function (word) {
      return text.indexOf(word) >= 0;
    });
  }

  function matches(words) {
    var inLemma = [];
    var inBody = [];
    if (!words.wanted.length) {
      return inLemma;
    }
    data.notes.forEach(function (note) {
      var lemma = fold(note.lemma);
      var both = lemma + "\n" + fold(note.text);
      var excluded = words.excluded.some(function (word) {
        return both.indexOf(word) >= 0;
      });
      if (excluded || !holdsAll(both, words.wanted)) {
        return;
      }
      (holdsAll(lemma, words.wanted) ? inLemma : inBody).push(note);
    });
    return inLemma.concat(inBody);
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // The text with each word sought in a span.highlighted, as Sphinx marks its own summaries.
  function highlighted(text, words) {
    var parent = document.createDocumentFragment();
    var found = new RegExp(words.map(escapeRegExp).join("|"), "g");
    var folded = fold(text); // as long as the text: positions are the same
    var last = 0;
    var match;
    while ((match = found.exec(folded)) !== null && match[0]) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var span = parent.appendChild(document.createElement("span"));
      span.className = "highlighted";
      span.textContent = text.slice(match.index, match.index + match[0].length);
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function excerpt(text, words) {
    var folded = fold(text);
    var at = Math.min.apply(
      null,
      words.map(function (word) {
        var found = folded.indexOf(word);
        return found < 0 ? Infinity : found;
      })
    );
    if (at === Infinity) {
      at = 0;
    }
    var start = Math.max(0, at - EXCERPT);
    var end = Math.min(text.length, at + EXCERPT);
    start = start > 0 ? text.indexOf(" ", start) + 1 || start : 0;
    end = end < text.length ? text.lastIndexOf(" ", end) : end;
    return (start > 0 ? "…" : "") + text.slice(start, end > start ? end : text.length) + (end < text.length ? "…" : "");
  }

  function item(note, words) {
    var li = document.createElement("li");
    var link = li.appendChild(document.createElement("a"));
    link.href = root + note.url;
    var what = note.withdrawn ? note.category + ", " + format(strings.withdrawn, { version: note.withdrawn }) : note.category;
    link.textContent = format(strings.note, { label: note.label }) + " — " + note.lemma + " (" + what + ")";
    var passage = li.appendChild(document.createElement("p"));
    passage.className = "ed-search-excerpt";
    passage.appendChild(highlighted(excerpt(note.text, words), words));
    return li;
  }

  var words = parse(query);
  var found = matches(words);
  var section = document.createElement("section");
  section.className = "ed-search-notes";
  section.setAttribute("aria-labelledby", "ed-search-notes-title");
  var heading = section.appendChild(document.createElement("h2"));
  heading.id = "ed-search-notes-title";
  heading.textContent = strings.heading;
  var status = section.appendChild(document.createElement("p"));
  status.className = "ed-search-status";
  status.setAttribute("role", "status");
  var list = section.appendChild(document.createElement("ul"));
  list.setAttribute("role", "list");
  list.className = "search";
  found.forEach(function (note) {
    list.appendChild(item(note, words.wanted));
  });
  if (!found.length) {
    section.removeChild(list);
  }
  results.parentNode.insertBefore(section, results);
  // Set once the live region is in the page, so that screen readers announce the count.
  requestAnimationFrame(function () {
    var count = found.length;
    status.textContent = format(count === 0 ? strings.none : count === 1 ? strings.one : strings.many, {
      count: count,
      query: query,
    });
  });
})();
