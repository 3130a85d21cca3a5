// The incident page in tabs. Fieldsets and inlines carry a "tab-<key>" class; the nav
// (rendered by the template) lists the tabs.
// - An incident's page: each tab is its own address (?tab=<key>), rendered and saved by the
//   server alone; leaving a tab (or the page) with unsaved changes asks first.
// - The add page: one form, one tab shown at a time, chosen by the address's #tab-<key>; a tab
//   holding a form error is marked and opened first; "save and continue" reopens the tab.
"use strict";
(function () {
  function sections(form) {
    const found = {};
    form.querySelectorAll("fieldset[class*='tab-']").forEach(function (fieldset) {
      const match = fieldset.className.match(/\btab-([\w-]+)/);
      if (!match) return;
      const holder = fieldset.closest(".inline-group") || fieldset;
      (found[match[1]] = found[match[1]] || []).push(holder);
    });
    return found;
  }

  function guardUnsaved(nav, form) {
    let dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    let confirmed = false;
    nav.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-tab]");
      if (!link || !dirty) return;
      if (window.confirm(nav.dataset.unsaved)) confirmed = true;
      else event.preventDefault();
    });
    // Any other way out (the header, the breadcrumbs, history, the language switch, closing
    // the window): the browser's own "leave this page?" question.
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !confirmed) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  function setUp() {
    const nav = document.querySelector(".taisaku-tabs");
    if (!nav) return;
    const form = nav.closest("form");
    const glance = form.querySelector("fieldset.taisaku-glance-set");
    if (glance) nav.before(glance);
    if (nav.dataset.unsaved) {
      guardUnsaved(nav, form);
      return;
    }
    const byTab = sections(form);
    const links = Array.from(nav.querySelectorAll("a[data-tab]"));
    links.forEach(function (link) {
      const holders = byTab[link.dataset.tab] || [];
      if (!holders.length) link.remove();
      if (holders.some(function (h) { return h.querySelector(".errorlist, .errors"); })) {
        link.classList.add("has-errors");
      }
    });
    const shown = Array.from(nav.querySelectorAll("a[data-tab]"));
    if (!shown.length) return;
    const chosen = form.querySelector("input[name=_tab]");

    function open(key) {
      if (!byTab[key]) key = shown[0].dataset.tab;
      Object.keys(byTab).forEach(function (tab) {
        byTab[tab].forEach(function (holder) { holder.hidden = tab !== key; });
      });
      shown.forEach(function (link) {
        const active = link.dataset.tab === key;
        link.classList.toggle("active", active);
        link.setAttribute("aria-selected", active ? "true" : "false");
      });
      if (chosen) chosen.value = key;
    }

    nav.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-tab]");
      if (!link) return;
      event.preventDefault();
      history.replaceState(null, "", "#tab-" + link.dataset.tab);
      open(link.dataset.tab);
    });
    const withError = shown.find(function (link) { return link.classList.contains("has-errors"); });
    const fromHash = location.hash.startsWith("#tab-") ? location.hash.slice(5) : null;
    open(withError ? withError.dataset.tab : fromHash || shown[0].dataset.tab);
    nav.classList.add("ready");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
