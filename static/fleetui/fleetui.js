// fleetui's only script: copy buttons, and keeping the filter form in step with the URL htmx pushes.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="i-0abc...">. Clipboard API on https/localhost, a textarea fallback elsewhere.
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    return Promise.resolve();
  }

  // The top bar's dropdowns (<details class="navgroup">) and a list's popovers (<details class="popover">: its saved
  // views): one open at a time, closed by a click elsewhere or Escape.
  function navgroupsClose(except) {
    document.querySelectorAll("details.navgroup[open], details.popover[open]").forEach(function (group) {
      if (group !== except) group.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    navgroupsClose(event.target.closest("details.navgroup, details.popover"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      navgroupsClose(null);
      menuSet(false);
    }
  });

  // The phone's ☰ button (below 900 px the menu folds away): it opens and closes the whole menu.
  function menuSet(open) {
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("mainnav");
    if (!button || !nav) return;
    nav.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".menu-toggle");
    if (button) {
      menuSet(button.getAttribute("aria-expanded") !== "true");
    } else if (!event.target.closest("#mainnav")) {
      menuSet(false);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    event.preventDefault();
    copy(button.getAttribute("data-copy")).then(function () {
      button.classList.add("copied");
      button.setAttribute("title", "Copied");
      setTimeout(function () { button.classList.remove("copied"); button.setAttribute("title", "Copy"); }, 1200);
    });
  });

  // A submit button marked data-once is disabled after the first press; the server's one-time form token
  // makes a second submission harmless anyway, this only spares the second request.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.hasAttribute("data-once")) return;
    if (button.dataset.pressed) { event.preventDefault(); return; }
    button.dataset.pressed = "1";
    setTimeout(function () { button.disabled = true; }, 0);
  });

  // Leave empty filters out of the request, so the pushed URL holds only the filters in use.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });

  // A sort link swaps only the results: copy the new sort from the URL into the form's hidden field,
  // so the next filter change keeps it.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var input = document.querySelector("form.filters input[name=sort]");
    if (input) input.value = new URLSearchParams(window.location.search).get("sort") || "";
  });

  // Plain (non-htmx) submits: drop empty fields too, for the same tidy URL.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.filters") || form.getAttribute("hx-get")) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.value === "") el.disabled = true;
    });
  });
})();

// Light/dark toggle (templates/base.html): post the opposite of the theme that shows now, which with "follow the
// system" only the browser knows. "/" focuses the list's search box, as in NetBox and GitHub.
(function () {
  "use strict";

  function showsDark() {
    var theme = document.documentElement.getAttribute("data-theme");
    if (theme === "dark" || theme === "light") return theme === "dark";
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.theme-toggle")) return;
    form.elements.theme.value = showsDark() ? "light" : "dark";
  });

  function searchBox() {
    return document.querySelector("form.filters input[name=q], form.filters input[type=search], form.filters input[type=text]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    var box = searchBox();
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var box = searchBox();
    if (box) {
      box.setAttribute("aria-keyshortcuts", "/");
      if (!box.placeholder) box.placeholder = "Press / to search";
    }
  });
})();

// The bulk bar's selection (templates/actions/_bulk_bar.html, fleetui.core.tables.SelectColumn): a select-all box
// for the page and the "N selected" count, kept in step as rows are checked and as htmx swaps in another page.
(function () {
  "use strict";

  function rowBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[name=target][form="bulk-form"]'));
  }

  function selectionShow() {
    var boxes = rowBoxes();
    var checked = boxes.filter(function (box) { return box.checked; }).length;
    var count = document.querySelector(".selected-count strong");
    if (count) count.textContent = String(checked);
    var all = document.querySelector("input.select-all");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("input.select-all")) {
      rowBoxes().forEach(function (row) { row.checked = box.checked; });
    }
    if (box.matches("input.select-all, input[name=target]")) selectionShow();
  });
  document.addEventListener("DOMContentLoaded", selectionShow);
  document.addEventListener("htmx:afterSettle", selectionShow);
})();

// Behaviour that would otherwise be inline script, which the Content-Security-Policy (script-src 'self') forbids.
(function () {
  "use strict";

  // A "Back" link (data-back) goes back in history when there is some; its href is the fallback.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });

  // The running-actions indicator is not refreshed while its list is open (it would close under the pointer).
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (element.id === "running-actions" && element.querySelector("details[open]")) event.preventDefault();
  });
})();

// A list's Columns menu (<details class="columns-menu">) and its choice filters (fleetui.core.choices.ChoiceMenu: a
// dropdown of checkboxes): one open at a time, closed by a click elsewhere or Escape. A choice menu's summary names what
// is checked; its panel stays inside the window; and several checked values go to the server, and into the pushed URL,
// as one comma-separated parameter (`?state=running,stopped`), the format bookmarks and the API use.
(function () {
  "use strict";

  function menusClose(except) {
    document.querySelectorAll("details.columns-menu[open], details.choice-menu[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    menusClose(event.target.closest("details.columns-menu, details.choice-menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") menusClose(null);
  });

  function panelFit(menu) {
    var panel = menu.querySelector(".choice-panel");
    if (!panel) return;
    panel.style.left = "";
    var rect = panel.getBoundingClientRect();
    var room = document.documentElement.clientWidth - 8;
    if (rect.right > room) panel.style.left = Math.min(0, Math.max(8 - rect.left, room - rect.right)) + "px";
  }
  // "toggle" does not bubble: listen in the capture phase.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.matches && menu.matches("details.choice-menu") && menu.open) panelFit(menu);
  }, true);

  document.addEventListener("change", function (event) {
    var menu = event.target.closest && event.target.closest("details.choice-menu");
    if (!menu) return;
    var labels = Array.prototype.map.call(menu.querySelectorAll("input:checked"), function (box) {
      return box.parentNode.querySelector("span").textContent;
    });
    menu.querySelector("summary span").textContent = labels.length ? labels.join(", ") : "Any";
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    if (!params || typeof params.getAll !== "function") return;
    event.detail.elt.querySelectorAll('details.choice-menu[data-joined="true"]').forEach(function (menu) {
      var box = menu.querySelector("input[type=checkbox]");
      if (!box) return;
      var values = params.getAll(box.name);
      if (values.length > 1) params[box.name] = values.join(",");
    });
  });
})();
