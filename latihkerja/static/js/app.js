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
  // The catalogue: choosing a kecamatan leaves only its kelurahan to pick (a kelurahan code starts with its
  // kecamatan's code), so that the two filters cannot contradict each other.
  document.querySelectorAll("form.filters select[name=kecamatan]").forEach(function (kecamatan) {
    var kelurahan = kecamatan.form.querySelector("select[name=kelurahan]");
    if (!kelurahan) { return; }
    function narrow() {
      var prefix = kecamatan.value ? kecamatan.value + "." : "";
      Array.prototype.forEach.call(kelurahan.options, function (option) {
        var fits = !option.value || !prefix || option.value.indexOf(prefix) === 0;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) { kelurahan.value = ""; }
      });
    }
    kecamatan.addEventListener("change", narrow);
    narrow();
  });
  // Class choices: a phone shows a long option cut short once chosen, so its full text follows the list.
  document.querySelectorAll("select[data-show-choice]").forEach(function (select) {
    var echo = document.createElement("div");
    echo.className = "form-text chosen-class";
    echo.setAttribute("aria-hidden", "true");  // screen readers already read the selected option
    select.insertAdjacentElement("afterend", echo);
    function show() {
      var option = select.options[select.selectedIndex];
      echo.textContent = option && option.value ? option.text : "";
    }
    select.addEventListener("change", show);
    show();
  });
})();
