// Behaviour of the work lists; the shared data-confirm, data-check-all and data-print
// handlers live in policytrack.js.

// A report being written survives a lost session: its fields are kept in this browser (under
// the form's data-draft-key, which names the user, assignment and period) while typing, and
// put back when the page shows other values than the kept ones (e.g. after logging in again).
// Once the server holds the same text (saved or submitted), the browser's copy is dropped.
(() => {
  const form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) {
    return;
  }
  const key = `policytrack:${form.dataset.draftKey}`;
  const fields = () => [...form.elements].filter(
    (field) => field.name && field.name !== "csrfmiddlewaretoken" && ["TEXTAREA", "INPUT"].includes(field.tagName)
      && !["file", "checkbox", "hidden", "submit"].includes(field.type));
  const current = () => Object.fromEntries(fields().map((field) => [field.name, field.value]));
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(key) || "null");
  } catch (error) {
    kept = null;
  }
  if (kept) {
    const shown = current();
    const differs = Object.keys(kept).some((name) => name in shown && shown[name] !== kept[name]);
    if (differs && !form.querySelector(".is-invalid")) {
      fields().forEach((field) => {
        if (field.name in kept) {
          field.value = kept[field.name];
        }
      });
      const notice = form.querySelector("[data-draft-restored]");
      if (notice) {
        notice.hidden = false;
      }
    } else if (!differs) {
      localStorage.removeItem(key);
    }
  }
  form.addEventListener("input", () => localStorage.setItem(key, JSON.stringify(current())));
})();
