// The action request form (templates/actions/action_form.html): fields shown only for one value of another
// (data-show-when), a search box that narrows a long select (data-filter-options), and the "Update choices" button,
// which htmx makes unneeded. A file rather than inline script: the Content-Security-Policy forbids inline script.
// Without script the form still works: the server shows the fields that fit what was posted, and validates all.
(function () {
  "use strict";

  // <div data-show-when="p-purchase=spot">: shown while the field named p-purchase has the value spot.
  function dependentsShow(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (row) {
      var rule = row.getAttribute("data-show-when").split("=");
      var form = row.closest("form");
      var field = form && form.elements.namedItem(rule[0]);
      if (field) row.hidden = field.value !== rule[1];
    });
  }

  function words(text) {
    return text.toLowerCase().split(/[\s,]+/).filter(Boolean);
  }

  // <input data-filter-options="id_p-instance_type">: keep the options (and their group's label) that hold every
  // word typed; an optgroup left empty hides. If the chosen option is filtered away, the first match is chosen, so
  // what the select shows is what is sent.
  function optionsFilter(input) {
    var select = document.getElementById(input.getAttribute("data-filter-options"));
    if (!select) return;
    var wanted = words(input.value);
    var shown = 0;
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      var text = (option.text + " " + group).toLowerCase();
      var match = wanted.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      if (match) { shown += 1; first = first || option; }
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
    });
    // data-filter-add="<pattern>": a typed value of that shape that no option holds becomes a choice of its own
    // (an AMI id from another owner); the server checks it like any other.
    var pattern = input.getAttribute("data-filter-add");
    var typed = input.value.trim();
    if (!shown && pattern && new RegExp(pattern).test(typed)) {
      var added = new Option(typed + " (given by id)", typed, true, true);
      select.add(added);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      shown = 1;
      first = added;
    }
    var chosen = select.options[select.selectedIndex];
    if (first && chosen && chosen.hidden) {
      first.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var count = document.querySelector("[data-filter-count='" + select.id + "']");
    if (count) {
      count.textContent = wanted.length ? shown + " of " + select.options.length + " match" : "";
    }
  }

  // <span data-mirror="id_p-count">: shows what the field holds (a select's chosen label), as it changes.
  function mirrorsShow(root) {
    root.querySelectorAll("[data-mirror]").forEach(function (mirror) {
      var field = document.getElementById(mirror.getAttribute("data-mirror"));
      if (!field) return;
      var option = field.options ? field.options[field.selectedIndex] : null;
      mirror.textContent = option ? option.text : field.value;
    });
  }

  function setUp(root) {
    if (window.htmx) {
      // htmx re-draws the form when the account or region changes; the button would be the form's default one
      // (Enter would refresh instead of submitting).
      root.querySelectorAll("[data-refresh-button]").forEach(function (button) { button.remove(); });
    }
    dependentsShow(root);
    mirrorsShow(root);
    root.querySelectorAll("[data-filter-options]").forEach(function (input) {
      input.hidden = false;
      if (input.value) optionsFilter(input);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form && form.querySelector("[data-show-when]")) dependentsShow(form);
    if (form) mirrorsShow(form);
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-filter-options]")) optionsFilter(event.target);
    var form = event.target.closest && event.target.closest("form");
    if (form) mirrorsShow(form);
  });
  // Enter in the search box narrows; it must not submit the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-filter-options]")) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  // An outerHTML swap settles on the element it replaced, so the new form is looked up from the document.
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
