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
})();
