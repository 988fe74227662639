// The tenant switcher navigates on change; without script the form's button does it.
document.querySelectorAll("select[data-switch]").forEach(function (select) {
  select.addEventListener("change", function () { window.location = select.value; });
});

// Forms that undo or end something ask first (data-confirm holds the question).
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});
