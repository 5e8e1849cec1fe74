// Progressive enhancement only: every page works without this file.
(function () {
  // On wide screens the catalogue's filters are a sidebar, so they start open; phones keep them folded.
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details.filters-box").forEach(function (d) { d.open = true; });
  }
  // Destructive actions ask once more.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // A filter form that reloads the page carries along what was picked in the page's other form (the class
  // choices when another kecamatan is shown), so that nothing picked is lost.
  document.querySelectorAll("form[data-carry]").forEach(function (form) {
    form.addEventListener("submit", function () {
      document.querySelectorAll(form.dataset.carry).forEach(function (field) {
        if (!field.name || !field.value) { return; }
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = field.name;
        input.value = field.value;
        form.appendChild(input);
      });
    });
  });
})();
