/* Copy buttons for the citations of apparatus.citation. Without JavaScript the citations are
   still on the page, ready to select; this only adds a button beside each one. */
(function () {
  "use strict";

  var say = window.apparatusSay; // the words in the edition's language (apparatus.web.words)

  // The citation as HTML for word processors, its URL (the address of what it cites) made a link.
  var URL_IN_TEXT = /https?:\/\/[^\s<]*[^\s<.,;:)]/g;

  function linked(element) {
    return element.innerHTML.replace(URL_IN_TEXT, function (url) {
      return '<a href="' + url + '">' + url + "</a>";
    });
  }

  function copyRich(element) {
    var text = element.innerText.replace(/\s+$/, "");
    if (element.tagName !== "PRE" && window.ClipboardItem && navigator.clipboard.write) {
      var item = new ClipboardItem({
        "text/plain": new Blob([text], { type: "text/plain" }),
        "text/html": new Blob([linked(element)], { type: "text/html" }),
      });
      return navigator.clipboard.write([item]);
    }
    return navigator.clipboard.writeText(text);
  }

  function copyBySelection(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = document.execCommand("copy");
    selection.removeAllRanges();
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  var status = null; // one live region tells screen readers what was copied

  function announce(button, message, spoken) {
    if (!status) {
      status = document.createElement("span");
      status.className = "ed-cite-what ed-sr-only ed-cite-status";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = spoken;
    button.textContent = message;
    window.setTimeout(function () {
      button.textContent = say("copy");
    }, 2000);
  }

  // What the block cites: "note 4.3" (hidden beside the note), else its data-item, "the edition".
  function citedItem(block) {
    var hidden = block.querySelector(".ed-cite-what");
    return hidden ? hidden.textContent.trim().replace(/^\(|\)$/g, "") : block.dataset.item || "";
  }

  // The button goes into the style's term (a <dt>), named after the style and the item.
  function addButton(element) {
    var term = element.closest("dd").previousElementSibling;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ed-copy";
    button.textContent = say("copy");
    var item = citedItem(element.closest("details.ed-cite"));
    var named = { style: term.textContent, item: item };
    var label = say("copyCitation", named);
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      var copying = navigator.clipboard ? copyRich(element) : copyBySelection(element);
      copying
        .catch(function () {
          return copyBySelection(element);
        })
        .then(
          function () {
            announce(button, say("copied"), say("copiedSaid", named));
          },
          function () {
            announce(button, say("selectAndCopy"), say("citationRefused"));
          }
        );
    });
    term.appendChild(button);
  }

  function init() {
    document.querySelectorAll(".ed-cite-text").forEach(addButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
