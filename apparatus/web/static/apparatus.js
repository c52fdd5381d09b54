/* Reading a text with its notes (apparatus.reading).

   The page works without this script: every note is listed at the end and linked both ways.
   The script adds:
   - on wide screens, the notes in the margin, each beside its call, pushed down when crowded,
     the paragraph lengthened so that its notes never run into the next one's;
   - on narrow screens, a call opens its note in place (a native popover); Escape closes it
     and focus returns to the call;
   - filters by category and a switch for full highlighting, remembered across visits (a line of
     script after the key restores them before the text is drawn, see apparatus.reading; the
     stylesheet hides what <html data-ed-hidden="..."> names);
   - hovering or focusing a lemma, call or note highlights the other two;
   - a way back after jumping from a note to a related one. */
(function () {
  "use strict";

  var say = window.apparatusSay; // the words in the edition's language (apparatus.web.words)
  var paragraphs = Array.prototype.slice.call(document.querySelectorAll(".ed-par"));
  if (!paragraphs.length) {
    return;
  }
  var root = document.documentElement;
  var host = paragraphs[0].parentElement;
  var hosts = paragraphs
    .map(function (paragraph) {
      return paragraph.parentElement;
    })
    .filter(function (section, index, all) {
      return all.indexOf(section) === index;
    });
  var notes = Array.prototype.slice.call(document.querySelectorAll("aside.ed-note"));
  var wide = window.matchMedia("(min-width: 75em)");
  var calm = window.matchMedia("(prefers-reduced-motion: reduce)");
  var canPop = typeof HTMLElement.prototype.showPopover === "function";
  var STORE = "apparatus:reading";
  var GAP = 12; // px between two notes in the margin
  var state = load();

  // -- helpers ------------------------------------------------------------------------------

  function byId(id) {
    return document.getElementById(id);
  }

  function labelOf(element) {
    return element.id.replace(/^(note|call|lemma)-/, "");
  }

  function callOf(label) {
    return byId("call-" + label);
  }

  function noteOf(label) {
    return byId("note-" + label);
  }

  function load() {
    var fallback = { hidden: [], full: false, keyOpen: null };
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      return {
        hidden: Array.isArray(saved.hidden) ? saved.hidden : [],
        full: saved.full === true,
        keyOpen: typeof saved.keyOpen === "boolean" ? saved.keyOpen : null,
      };
    } catch (error) {
      return fallback; // storage may be disabled: the choices then last for the visit
    }
  }

  function save() {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (error) {
      /* nothing to do: see load() */
    }
  }

  function element(tag, attributes, text) {
    var made = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      made.setAttribute(name, attributes[name]);
    });
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  // -- the key: filters by category, highlighting switch ----------------------------------------

  var key = document.querySelector("details.ed-key");
  var status = null;
  var highlight = null;

  // The key's controls are in the page already (apparatus.reading): wire them up.
  function buildKey() {
    if (!key || !key.querySelector("input.ed-highlight")) {
      key = null; // a page written without the key's controls: filters are not offered
      return;
    }
    key.querySelectorAll("input.ed-filter").forEach(function (box) {
      box.addEventListener("change", function () {
        setHidden(box.value, !box.checked);
      });
    });
    highlight = key.querySelector("input.ed-highlight");
    status = key.querySelector(".ed-key-status");
    highlight.addEventListener("change", function () {
      state.full = highlight.checked;
      save();
      apply();
    });
    key.querySelector(".ed-show-all").addEventListener("click", function () {
      state.hidden = [];
      save();
      apply();
    });
    key.querySelector(".ed-hide-all").addEventListener("click", function () {
      state.hidden = categories();
      save();
      apply();
    });
    // Only the reader's own opening or closing is remembered, not the key closed for a phone.
    var byReader = false;
    key.querySelector("summary").addEventListener("click", function () {
      byReader = true;
    });
    key.addEventListener("toggle", function () {
      if (byReader) {
        byReader = false;
        state.keyOpen = key.open;
        save();
      }
    });
  }

  function categories() {
    var seen = [];
    notes.forEach(function (note) {
      if (seen.indexOf(note.dataset.category) < 0) {
        seen.push(note.dataset.category);
      }
    });
    return seen;
  }

  function setHidden(category, hidden) {
    state.hidden = state.hidden.filter(function (other) {
      return other !== category;
    });
    if (hidden) {
      state.hidden.push(category);
    }
    save();
    apply();
  }

  function off(category) {
    return state.hidden.indexOf(category) >= 0;
  }

  function shown(note) {
    return !off(note.dataset.category);
  }

  function apply() {
    if (state.hidden.length) {
      root.setAttribute("data-ed-hidden", state.hidden.join(" "));
    } else {
      root.removeAttribute("data-ed-hidden");
    }
    root.classList.toggle("ed-full", state.full);
    if (key) {
      key.querySelectorAll("input.ed-filter").forEach(function (box) {
        box.checked = !off(box.value);
      });
      highlight.checked = state.full;
      var live = notes.filter(function (note) {
        return !note.classList.contains("ed-withdrawn");
      });
      var count = live.filter(shown).length;
      var total = live.length + " " + say(live.length === 1 ? "note" : "notes");
      status.textContent = say("shown", { shown: count, notes: total });
    }
    layout();
  }

  // A note reached by a link is shown even if its category is filtered out.
  function reveal(note) {
    if (note && !shown(note)) {
      setHidden(note.dataset.category, false);
    }
  }

  // -- wide screens: notes in the margin ----------------------------------------------------

  var frame = 0;

  function schedule() {
    if (!frame) {
      frame = window.requestAnimationFrame(function () {
        frame = 0;
        layout();
      });
    }
  }

  function clearLayout() {
    paragraphs.forEach(function (paragraph) {
      paragraph.style.minHeight = "";
      paragraph.style.removeProperty("--ed-text-height");
      paragraph.classList.remove("ed-sticky");
    });
    notes.forEach(function (note) {
      note.classList.remove("ed-side");
      note.style.top = "";
    });
  }

  function layout() {
    var on = wide.matches;
    // The text keeps its height while the notes are measured again: were the page to shrink for
    // that moment, the browser would pull a reader far down it back to its new end.
    var held = hosts.map(function (section) {
      return section.offsetHeight;
    });
    hosts.forEach(function (section, index) {
      section.style.minHeight = held[index] + "px";
    });
    root.classList.toggle("ed-sidenotes", on);
    clearLayout();
    placeAll(on);
    hosts.forEach(function (section) {
      section.style.minHeight = "";
    });
    if (opened && on) {
      opened.scrollIntoView();
    }
    remember();
  }

  // Each observed element's size when the notes were last placed. The observer reports every
  // element once as it starts, and again whenever a layout moves things: a size the last
  // layout left as it is needs no new layout (on a wide screen each costs some 80 ms).
  var placedSizes = new WeakMap();

  function sizeOf(element) {
    var box = element.getBoundingClientRect();
    return Math.round(box.width) + "x" + Math.round(box.height);
  }

  function remember() {
    hosts.concat(notes).forEach(function (element) {
      placedSizes.set(element, sizeOf(element));
    });
  }

  function resized(entries) {
    var moved = entries.some(function (entry) {
      return placedSizes.get(entry.target) !== sizeOf(entry.target);
    });
    if (moved) {
      schedule();
    }
  }

  var opened = null; // the target of the link the page was opened with, until the reader scrolls

  function placeAll(on) {
    // On narrow screens a call opens a dialog in place: say so to assistive technology.
    document.querySelectorAll("sup.ed-call > a").forEach(function (call) {
      if (!on && canPop) {
        call.setAttribute("aria-haspopup", "dialog");
        call.setAttribute("aria-expanded", call === opener ? "true" : "false");
      } else {
        call.removeAttribute("aria-haspopup");
        call.removeAttribute("aria-expanded");
      }
    });
    var list = notes.length ? notes[0].parentElement : null;
    if (!on) {
      if (list) {
        list.classList.remove("ed-all-side");
      }
      return;
    }
    var placed = notes.filter(function (note) {
      var call = callOf(labelOf(note));
      return shown(note) && call && call.offsetParent !== null;
    });
    placed.forEach(function (note) {
      note.classList.add("ed-side");
    });
    hosts.forEach(function (each) {
      placeIn(
        each,
        placed.filter(function (note) {
          return each.contains(note);
        })
      );
    });
    if (list) {
      list.classList.toggle(
        "ed-all-side",
        notes.every(function (note) {
          return !shown(note) || note.classList.contains("ed-side");
        })
      );
    }
  }

  // The notes of one text (a page may hold several), in the margin of its section. Every measure
  // is read first, then every position written, so that the page is laid out only twice.
  function placeIn(section, placed) {
    var origin = section.getBoundingClientRect().top;
    var items = placed.map(function (note) {
      var call = callOf(labelOf(note));
      var lemma = byId("lemma-" + labelOf(note));
      return {
        note: note,
        call: call,
        paragraph: call.closest(".ed-par"),
        y: call.parentElement.getBoundingClientRect().top - origin, // the line, not the tap target
        lemma: (lemma || call).getBoundingClientRect().top - origin,
        height: note.offsetHeight,
      };
    });
    items.sort(function (a, b) {
      return a.call.compareDocumentPosition(b.call) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var blocks = paragraphs
      .filter(function (paragraph) {
        return paragraph.parentElement === section;
      })
      .map(function (paragraph) {
        var text = paragraph.querySelector(".ed-text");
        return {
          paragraph: paragraph,
          top: paragraph.getBoundingClientRect().top - origin,
          height: paragraph.offsetHeight,
          textTop: text.getBoundingClientRect().top - origin,
          text: text.offsetHeight,
        };
      });
    var shift = 0; // how far the paragraphs lengthened so far pushed this one down
    var bottom = -Infinity; // the lowest note placed so far
    blocks.forEach(function (block) {
      // The text sticks while its notes are read; it must still stand in its block when the
      // lowest of them reaches the top of the window, or its lemma would have left already.
      var reach = bottom;
      items.forEach(function (item) {
        if (item.paragraph === block.paragraph) {
          item.top = Math.max(item.y + shift - 2, bottom + GAP);
          bottom = item.top + item.height;
          reach = Math.max(reach, bottom, item.top + block.text - (item.lemma - block.textTop));
        }
      });
      block.extra = Math.max(0, Math.ceil(reach - (block.top + shift + block.height)));
      shift += block.extra;
    });
    items.forEach(function (item) {
      item.note.style.top = item.top + "px";
    });
    blocks.forEach(function (block) {
      if (block.extra > 0) {
        block.paragraph.style.minHeight = block.height + block.extra + "px";
        if (block.text < window.innerHeight * 0.6) {
          block.paragraph.classList.add("ed-sticky");
          block.paragraph.style.setProperty("--ed-text-height", block.text + "px");
        }
      }
    });
  }

  // -- narrow screens: a note opens in place --------------------------------------------------

  var popover = null;
  var opener = null; // the call that opened the popover; focus returns to it
  var trail = []; // labels of the notes passed through, for the back button
  var home = null; // where the note shown in the popover stands in the list

  function makePopover() {
    popover = element("div", {
      class: "ed-popover",
      id: "ed-popover",
      popover: "auto",
      role: "dialog",
      "aria-labelledby": "ed-popover-title",
      tabindex: "-1",
    });
    var bar = element("div", { class: "ed-popover-bar" });
    var back = element("button", { type: "button", class: "ed-popover-back", hidden: "" });
    var title = element("p", { class: "ed-popover-title", id: "ed-popover-title" });
    var copy = element("button", { type: "button", class: "ed-popover-copy" }, say("copyLink"));
    var close = element("button", { type: "button", class: "ed-popover-close", "aria-label": say("closeNote") }, "×");
    bar.append(back, title, copy, close);
    var said = element("p", { class: "ed-sr-only", role: "status" });
    popover.append(bar, element("div", { class: "ed-popover-body" }), said);
    host.appendChild(popover);
    close.addEventListener("click", function () {
      popover.hidePopover();
    });
    copy.addEventListener("click", function () {
      copyLink(copy, said);
    });
    back.addEventListener("click", function () {
      show(trail.pop());
    });
    // "beforetoggle" comes at once, "toggle" later (and alone in older browsers): the first wins.
    ["beforetoggle", "toggle"].forEach(function (name) {
      popover.addEventListener(name, function (event) {
        if (event.newState === "closed") {
          closed();
        }
      });
    });
    popover.addEventListener("click", followInPopover);
    // Opening "Cite this note" (or anything else that changes its size) places it again.
    if (window.ResizeObserver) {
      new ResizeObserver(place).observe(popover.querySelector(".ed-popover-body"));
    }
  }

  // The note's permalink: its anchor on the page's published address (the canonical link),
  // or else on the address of this page.
  function permalink(label) {
    var canonical = document.querySelector('link[rel="canonical"]');
    return new URL("#note-" + label, canonical ? canonical.href : window.location.href).href;
  }

  function copyLink(button, said) {
    var label = popover.dataset.label;
    var url = permalink(label);
    var done = navigator.clipboard ? navigator.clipboard.writeText(url) : Promise.reject();
    done.then(
      function () {
        button.textContent = say("linkCopied");
        said.textContent = say("linkCopiedSaid", { label: label });
      },
      function () {
        said.textContent = say("linkRefused", { url: url });
      }
    );
    window.setTimeout(function () {
      button.textContent = say("copyLink");
    }, 2000);
  }

  // The note itself is shown, moved from the list into the popover and back when it closes:
  // its ids stay unique and its own controls (such as copy buttons) keep working.
  function show(label) {
    putBack();
    var note = noteOf(label);
    home = { note: note, parent: note.parentNode, next: note.nextSibling };
    popover.querySelector(".ed-popover-body").replaceChildren(note);
    popover.dataset.category = note.dataset.category;
    popover.querySelector(".ed-popover-title").textContent = say("noteTitle", { label: label });
    popover.querySelector(".ed-popover-copy").setAttribute("aria-label", say("copyLinkTo", { label: label }));
    var back = popover.querySelector(".ed-popover-back");
    back.hidden = trail.length === 0;
    back.replaceChildren();
    if (trail.length) {
      back.append(element("span", { "aria-hidden": "true" }, "← "), say("backTo", { label: trail[trail.length - 1] }));
    }
    popover.dataset.label = label;
    popover.scrollTop = 0;
    place();
    popover.focus({ preventScroll: true });
  }

  function putBack() {
    if (home) {
      home.parent.insertBefore(home.note, home.next);
      home = null;
    }
  }

  function open(label, call) {
    if (!popover) {
      makePopover();
    }
    opener = call;
    trail = [];
    if (!popover.matches(":popover-open")) {
      popover.showPopover();
    }
    call.setAttribute("aria-expanded", "true");
    show(label);
  }

  function closed() {
    var active = document.activeElement;
    var inside = !active || active === document.body || popover.contains(active);
    putBack();
    if (!opener) {
      return;
    }
    opener.setAttribute("aria-expanded", "false");
    if (inside) {
      opener.focus({ preventScroll: true });
    }
    opener = null;
  }

  // Beside the call, always inside the window and never over the call or its lemma: below them
  // if the note fits there, else above, else on the side with more room, its height cut to fit
  // (its content then scrolls under its bar).
  function place() {
    if (!popover || !opener || !popover.matches(":popover-open")) {
      return;
    }
    var margin = 8;
    var gap = 6;
    var call = opener.getBoundingClientRect();
    var lemma = byId("lemma-" + labelOf(opener));
    var words = lemma ? lemma.getBoundingClientRect() : call;
    var viewWidth = root.clientWidth;
    var viewHeight = window.innerHeight;
    var below = viewHeight - margin - (call.bottom + gap);
    var above = Math.min(words.top, call.top) - gap - margin;
    popover.style.maxHeight = "";
    var height = popover.offsetHeight;
    var under = height <= below || (height > above && below >= above);
    var room = under ? below : above;
    if (room < 120) {
      room = viewHeight - 2 * margin; // neither side has room: the window, over the text
      under = null;
    }
    popover.style.maxHeight = Math.min(height, room) + "px";
    height = popover.offsetHeight;
    var top = under === null ? margin : under ? call.bottom + gap : above + margin - height;
    var width = popover.offsetWidth;
    var left = Math.min(Math.max(margin, call.left - 24), viewWidth - width - margin);
    popover.style.left = Math.max(margin, left) + "px";
    popover.style.top = Math.max(margin, top) + "px";
  }

  // While the note is open, Tab and Shift+Tab go round its controls, never out into the page.
  function keepFocusIn(event) {
    var inside = Array.prototype.filter.call(
      popover.querySelectorAll("a[href], button, summary, input, [tabindex='0']"),
      function (item) {
        return !item.hidden && item.getClientRects().length > 0;
      }
    );
    if (!inside.length) {
      return;
    }
    var first = inside[0];
    var last = inside[inside.length - 1];
    var at = document.activeElement;
    if (!popover.contains(at) || (event.shiftKey ? at === first || at === popover : at === last)) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  }

  // Links inside the popover: another note of this page opens in its place (with a way back);
  // the call itself closes it; anything else is followed.
  function followInPopover(event) {
    var link = event.target.closest("a[href]");
    if (!link) {
      return;
    }
    var target = samePageTarget(link);
    if (!target) {
      popover.hidePopover();
      return;
    }
    if (target === noteOf(popover.dataset.label)) {
      event.preventDefault(); // the note's own permalink: the address names it, the note stays open
      window.history.pushState(null, "", "#" + target.id);
    } else if (target.matches("aside.ed-note")) {
      event.preventDefault();
      reveal(target);
      trail.push(popover.dataset.label);
      show(labelOf(target));
    } else if (target === opener) {
      event.preventDefault();
      popover.hidePopover();
    } else {
      popover.hidePopover();
    }
  }

  function samePageTarget(link) {
    var url = new URL(link.href, window.location.href);
    if (url.pathname !== window.location.pathname || !url.hash) {
      return null;
    }
    return byId(decodeURIComponent(url.hash.slice(1)));
  }

  // -- calls, highlighting, jumps between notes -----------------------------------------------

  function onCall(event) {
    var link = event.target.closest("sup.ed-call > a");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var label = labelOf(link);
    var note = noteOf(label);
    if (!note) {
      return;
    }
    if (wide.matches && note.classList.contains("ed-side")) {
      event.preventDefault();
      note.setAttribute("tabindex", "-1");
      note.scrollIntoView({ block: "nearest", behavior: calm.matches ? "auto" : "smooth" });
      note.focus({ preventScroll: true });
    } else if (!wide.matches && canPop) {
      event.preventDefault();
      open(label, link);
    }
  }

  // From a note to a related note: the browser follows the link (Back works); the note reached
  // offers a link back to the note the reader came from.
  function onNoteLink(event) {
    var link = event.target.closest("aside.ed-note a[href]");
    if (!link || event.defaultPrevented || link.closest(".ed-return")) {
      return; // (a link followed inside the popover is handled there)
    }
    var target = samePageTarget(link);
    var from = link.closest("aside.ed-note");
    if (!target || !target.matches("aside.ed-note") || target === from) {
      return;
    }
    reveal(target);
    document.querySelectorAll(".ed-return").forEach(function (old) {
      old.remove();
    });
    var back = element("p", { class: "ed-return" });
    var backLink = element("a", { href: "#" + from.id }, "↩ " + say("backToNote", { label: labelOf(from) }));
    backLink.addEventListener("click", function (event) {
      event.preventDefault(); // followed here, so that the focus lands on the note at once
      back.remove();
      window.history.pushState(null, "", "#" + from.id);
      from.setAttribute("tabindex", "-1");
      from.scrollIntoView({ block: "nearest", behavior: calm.matches ? "auto" : "smooth" });
      from.focus({ preventScroll: true });
    });
    back.appendChild(backLink);
    // At the top of the note: the first thing Tab reaches in it, however long the note.
    target.insertBefore(back, target.firstChild);
    target.setAttribute("tabindex", "-1");
    window.setTimeout(function () {
      // After the browser has followed the link; not if the reader has moved on meanwhile.
      if (document.activeElement === link || document.activeElement === document.body) {
        target.focus({ preventScroll: true });
      }
    }, 0);
  }

  var active = null;

  function labelAt(node) {
    var part = node && node.closest ? node.closest("mark.ed-lemma, sup.ed-call, aside.ed-note") : null;
    if (!part) {
      return null;
    }
    if (part.matches("sup.ed-call")) {
      var link = part.querySelector("a[id]");
      return link ? labelOf(link) : null;
    }
    return part.id ? labelOf(part) : null;
  }

  function activate(label) {
    if (label === active) {
      return;
    }
    [active, label].forEach(function (which, index) {
      if (!which) {
        return;
      }
      var call = callOf(which);
      [noteOf(which), byId("lemma-" + which), call && call.parentElement].forEach(function (part) {
        if (part) {
          part.classList.toggle("ed-active", index === 1);
        }
      });
    });
    active = label;
  }

  // Escape closes the open note, or, in a note, goes back to its call in the text. (Sphinx's own
  // script cancels the Escape key on every page, so the popover's native handling never sees it.)
  function onKey(event) {
    if (event.key === "Tab" && popover && popover.matches(":popover-open")) {
      keepFocusIn(event);
      return;
    }
    if (event.key !== "Escape") {
      return;
    }
    if (popover && popover.matches(":popover-open")) {
      popover.hidePopover();
      return;
    }
    var note = event.target.closest && event.target.closest("aside.ed-note");
    var call = note ? callOf(labelOf(note)) : null;
    if (call && call.offsetParent !== null) {
      call.focus();
    }
  }

  function onHash() {
    var target = window.location.hash ? byId(decodeURIComponent(window.location.hash.slice(1))) : null;
    if (target && target.matches("aside.ed-note")) {
      reveal(target);
    }
  }

  // -- start ----------------------------------------------------------------------------------

  buildKey();
  onHash();
  apply();
  // A page opened at a link's target shows it at once, and keeps it in view as the notes are
  // placed and fonts arrive, until the reader moves on. The theme's smooth scrolling would glide
  // there through the whole text (1.5 s to the last paragraph), and again after each layout.
  var target = window.location.hash ? byId(decodeURIComponent(window.location.hash.slice(1))) : null;
  if (target) {
    opened = target;
    document.documentElement.style.scrollBehavior = "auto";
    target.scrollIntoView();
    ["wheel", "touchstart", "keydown", "pointerdown"].forEach(function (name) {
      window.addEventListener(
        name,
        function () {
          opened = null;
          document.documentElement.style.scrollBehavior = "";
        },
        { once: true, passive: true }
      );
    });
  }
  document.addEventListener("click", onCall);
  document.addEventListener("click", onNoteLink);
  document.addEventListener("keydown", onKey);
  document.addEventListener("pointerover", function (event) {
    activate(labelAt(event.target));
  });
  document.addEventListener("focusin", function (event) {
    activate(labelAt(event.target));
  });
  window.addEventListener("hashchange", onHash);
  window.addEventListener("scroll", place, { passive: true });
  window.addEventListener("resize", place);
  wide.addEventListener("change", function () {
    if (popover && popover.matches(":popover-open")) {
      popover.hidePopover();
    }
    layout();
  });
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(resized);
    hosts.forEach(function (section) {
      observer.observe(section);
    });
    notes.forEach(function (note) {
      observer.observe(note);
    });
  }
  // Fonts still loading will move the calls within their lines.
  if (document.fonts && document.fonts.status === "loading") {
    document.fonts.ready.then(schedule);
  }
})();
