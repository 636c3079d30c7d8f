// Copy buttons: <button data-copy="ID"> copies the text of the element with that id.
// The buttons stay hidden without JavaScript; the text itself is always on the page.
(function () {
  "use strict";
  const buttons = document.querySelectorAll("button[data-copy]");
  for (const button of buttons) {
    button.hidden = false;
    button.addEventListener("click", function () {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      const status = button.parentElement.querySelector(".copy-status");
      const say = function (message) { if (status) status.textContent = message; };
      const selectSource = function () {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        say("Selected: press Ctrl+C (⌘C) to copy.");
      };
      if (!navigator.clipboard || !window.isSecureContext) {
        selectSource();
        return;
      }
      navigator.clipboard.writeText(source.textContent).then(
        function () { say("Copied."); },
        selectSource,
      );
    });
  }
})();
