// Behaviour of the work lists without inline handlers (the pages' CSP allows only our files):
// a form with data-confirm asks before it submits; a checkbox with data-check-all="name"
// ticks every checkbox of that name in its form; a button with data-print prints the page.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-check-all]");
  if (!all) {
    return;
  }
  all.form.querySelectorAll(`input[name="${all.dataset.checkAll}"]`).forEach((box) => {
    box.checked = all.checked;
  });
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
