// The tenant switcher navigates on change; without script the form's button does it.
document.querySelectorAll("select[data-switch]").forEach(function (select) {
  select.addEventListener("change", function () { window.location = select.value; });
});
