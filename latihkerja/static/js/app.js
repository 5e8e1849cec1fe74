// Progressive enhancement only: every page works without this file.
(function () {
  function enhance(root) {
  // On wide screens the catalogue's filters are a sidebar, so they start open; phones keep them folded.
  if (window.matchMedia("(min-width: 992px)").matches) {
    root.querySelectorAll("details.filters-box").forEach(function (d) { d.open = true; });
  }
  // Destructive actions ask once more.
  root.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // The catalogue: choosing a kecamatan leaves only its kelurahan to pick (a kelurahan code starts with its
  // kecamatan's code), so that the two filters cannot contradict each other.
  root.querySelectorAll("form.filters select[name=kecamatan]").forEach(function (kecamatan) {
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
  root.querySelectorAll("select[data-show-choice]").forEach(function (select) {
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
  }
  enhance(document);

  // A form sent back with errors: focus goes to its summary, which lists them and links each to its field.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // A page waiting for background work (a plan, an allocation run, an import, a report file) follows it
  // without reloading itself: it fetches itself every few seconds and moves its progress bars and status
  // lines only, so that focus and what is read aloud stay where the reader is. When the work is over, the
  // page's content is replaced once and focus goes to its heading. Without JavaScript a <noscript> refresh
  // does the same by reloading.
  var marker = document.querySelector("[data-refresh]");
  var main = document.getElementById("main");
  if (marker && main && window.fetch && window.DOMParser) {
    var seconds = parseInt(marker.getAttribute("data-refresh"), 10) || 3;
    var copy = function (selector, fresh, apply) {
      var now = main.querySelectorAll(selector);
      var next = fresh.querySelectorAll(selector);
      for (var i = 0; i < Math.min(now.length, next.length); i++) { apply(now[i], next[i]); }
    };
    var poll = function () {
      window.fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.text(); })
        .then(function (html) {
          var page = new window.DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("main");
          if (!fresh) { throw new Error("no main"); }
          if (fresh.querySelector("[data-refresh]")) {
            copy("progress", fresh, function (bar, next) { bar.value = next.value; bar.textContent = next.textContent; });
            copy("[role=status]", fresh, function (line, next) {
              if (line.textContent !== next.textContent) { line.innerHTML = next.innerHTML; }
            });
            window.setTimeout(poll, seconds * 1000);
            return;
          }
          main.innerHTML = fresh.innerHTML;
          document.title = page.title;
          enhance(main);
          var heading = main.querySelector("h1");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        })
        .catch(function () { window.setTimeout(poll, seconds * 2000); });
    };
    window.setTimeout(poll, seconds * 1000);
  }
})();
