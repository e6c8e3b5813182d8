/* Behaviour every page shares, bound from data attributes: the Content-Security-Policy allows
   no inline scripts or on* handlers (script-src 'self').
   - <form data-confirm="…">: ask before submitting;
   - <select data-autosubmit>: submit its form when the choice changes;
   - <input type="checkbox" data-check-all="NAME">: tick or untick every checkbox named NAME in
     its form (in the page when it belongs to no form);
   - <button data-print>: print the page. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    } else if (target.matches("input[data-check-all]")) {
      (target.form || document).querySelectorAll('input[name="' + target.getAttribute("data-check-all") + '"]').forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
