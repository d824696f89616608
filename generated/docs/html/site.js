/* The API reference's only script (with its data files nav.js and search-index.js): the full sidebar,
   the phone menu, search, example tabs, copy buttons and copy-link. Every page works without it.
   Text from the API description is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var doc = document;
  var html = doc.documentElement;
  html.className += (html.className ? " " : "") + "js";
  var root = html.getAttribute("data-root") || "";
  var STORE = "apigen.example-tab";

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function announce(text) {
    var live = doc.getElementById("_announce");
    if (live) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 30); }
  }
  function here(href) {
    // a link of the data files is relative to the site's root; compare it with this page
    var a = el("a", { href: root + href });
    return a.pathname === location.pathname;
  }
  function methodBadge(method) {
    return el("span", { "class": "method m-" + method.toLowerCase() }, method);
  }
  function storage(key, value) {
    try {
      if (value === undefined) { return window.localStorage.getItem(key); }
      window.localStorage.setItem(key, value);
    } catch (e) { /* storage refused (private mode, file:// policies): the choice lasts for this page */ }
    return null;
  }

  // -- the full navigation, from nav.js ------------------------------------------------------------
  var groupCount = 0;
  function group(title, href, count, fill, open) {
    groupCount += 1;
    var id = "_nav-group-" + groupCount;
    var section = el("section", { "class": "nav-group" });
    var head = el("div", { "class": "nav-head" });
    var toggle = el("button", { type: "button", "class": "nav-toggle", "aria-expanded": open ? "true" : "false",
      "aria-controls": id });
    toggle.appendChild(el("span", { "class": "visually-hidden" }, (open ? "Collapse " : "Expand ") + title));
    head.appendChild(toggle);
    var link = el("a", { href: root + href, "class": "nav-title" }, title);
    if (here(href) && href.indexOf("#") === -1) { link.setAttribute("aria-current", "page"); }
    head.appendChild(link);
    head.appendChild(el("span", { "class": "count" }, String(count)));
    section.appendChild(head);
    var list = el("ul", { id: id });
    var filled = false;
    function show(state) {
      if (state && !filled) { fill(list); filled = true; }
      list.hidden = !state;
      toggle.setAttribute("aria-expanded", state ? "true" : "false");
      toggle.firstChild.textContent = (state ? "Collapse " : "Expand ") + title;
    }
    toggle.addEventListener("click", function () { show(list.hidden); });
    section.appendChild(list);
    show(!!open);
    return section;
  }
  function item(method, label, href) {
    var li = el("li");
    var a = el("a", { href: root + href });
    if (method) { a.appendChild(methodBadge(method)); a.appendChild(doc.createTextNode(" ")); }
    a.appendChild(el("span", { "class": "label" }, label));
    li.appendChild(a);
    return li;
  }
  function buildNav() {
    var data = window.apigenNav;
    var tree = doc.getElementById("_nav-tree");
    if (!data || !tree) { return; }
    var fresh = el("div", { id: "_nav-tree", "class": "nav-tree" });
    data.tags.forEach(function (tag) {
      fresh.appendChild(group(tag[0], tag[1], tag[2].length, function (list) {
        tag[2].forEach(function (op) { list.appendChild(item(op[0], op[1], op[2])); });
      }, here(tag[1])));
    });
    if (data.webhooks.length) {
      fresh.appendChild(group("Webhooks", "webhooks.html", data.webhooks.length, function (list) {
        data.webhooks.forEach(function (w) { list.appendChild(item(w[0], w[1], w[2])); });
      }, here("webhooks.html")));
    }
    fresh.appendChild(group("Models", "models.html", data.models.length, function (list) {
      data.models.forEach(function (m) { list.appendChild(item("", m[0], m[1])); });
    }, false));
    tree.parentNode.replaceChild(fresh, tree);
    // the sidebar scrolls (by itself, not the page) to the open group of this page
    var nav = doc.getElementById("_nav");
    var open = fresh.querySelector("ul:not([hidden])");
    if (nav && open && nav.scrollHeight > nav.clientHeight) {
      var head = open.parentNode;
      var top = head.getBoundingClientRect().top - nav.getBoundingClientRect().top + nav.scrollTop;
      if (top > nav.clientHeight * 0.6) { nav.scrollTop = top - 120; }
    }
  }

  // -- the phone menu ---------------------------------------------------------------------------------
  function setupMenu() {
    var button = doc.getElementById("_menu");
    var nav = doc.getElementById("_nav");
    if (!button || !nav) { return; }
    button.hidden = false;
    var scrim = el("div", { "class": "scrim", hidden: "" });
    doc.body.appendChild(scrim);
    function setOpen(open, focusBack) {
      html.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "Close" : "Menu";
      scrim.hidden = !open;
      if (open) {
        var first = nav.querySelector("a, input:not([hidden]), button");
        var input = doc.getElementById("_search");
        (input && !doc.getElementById("_search-box").hidden ? input : first).focus();
      } else if (focusBack) {
        button.focus();
      }
    }
    button.addEventListener("click", function () { setOpen(!html.classList.contains("nav-open"), true); });
    scrim.addEventListener("click", function () { setOpen(false, true); });
    nav.addEventListener("click", function (event) {
      var a = event.target.closest ? event.target.closest("a") : null;
      if (a && html.classList.contains("nav-open")) { setOpen(false, false); }
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && html.classList.contains("nav-open")) { setOpen(false, true); }
    });
    window.apigenMenu = setOpen;
  }
  function menuShown() {
    var button = doc.getElementById("_menu");
    return button && getComputedStyle(button).display !== "none";
  }

  // -- search ------------------------------------------------------------------------------------------
  var index = null;
  var loading = false;
  var pending = [];
  function loadIndex(then) {
    if (index) { then(); return; }
    pending.push(then);
    if (loading) { return; }
    loading = true;
    var script = el("script", { src: root + "search-index.js" });
    script.onload = function () {
      var raw = window.apigenSearchIndex;
      index = raw && raw.docs ? raw.docs.map(function (d) {
        return { kind: d[0], title: d[1], href: d[2], method: d[3], lowTitle: d[1].toLowerCase(),
          keys: d[4].map(lower), names: d[5], lowNames: d[5].map(lower), codes: d[6], lowCodes: d[6].map(lower),
          words: " " + d[7] + " " };
      }) : [];
      pending.splice(0).forEach(function (f) { f(); });
    };
    script.onerror = function () {
      loading = false;
      var status = doc.getElementById("_search-status");
      if (status) { status.textContent = "The search index (search-index.js) could not be loaded."; }
    };
    doc.head.appendChild(script);
  }
  function lower(s) { return String(s).toLowerCase(); }
  var KIND_ORDER = { operation: 0, webhook: 1, model: 2, tag: 3 };
  function best(values, word, exact, prefix, part) {
    var top = 0, which = -1;
    for (var i = 0; i < values.length; i += 1) {
      var v = values[i], s = 0;
      if (v === word) { s = exact; } else if (v.indexOf(word) === 0) { s = prefix; } else if (part && v.indexOf(word) > 0) { s = part; }
      if (s > top) { top = s; which = i; }
      if (top === exact) { break; }
    }
    return [top, which];
  }
  function score(d, words) {
    var total = 0, why = "";
    for (var i = 0; i < words.length; i += 1) {
      var w = words[i], s = 0;
      if (d.lowTitle === w) { s = 120; } else if (d.lowTitle.indexOf(w) === 0) { s = 80; } else if (d.lowTitle.indexOf(w) > 0) { s = 50; }
      var k = best(d.keys, w, 110, 70, 40);
      if (k[0] > s) { s = k[0]; }
      var n = best(d.lowNames, w, 60, 35, 15);
      if (n[0] > s) { s = n[0]; }
      if (n[0] && !why) { why = (d.kind === "model" ? "field " : "parameter or field ") + d.names[n[1]]; }
      var c = best(d.lowCodes, w, 60, 30, 0);
      if (c[0] > s) { s = c[0]; }
      if (c[0] && (!why || c[0] >= n[0])) { why = "error code " + d.codes[c[1]]; }
      if (!s) {
        if (d.words.indexOf(" " + w + " ") !== -1) { s = 12; } else if (d.words.indexOf(" " + w) !== -1) { s = 6; }
        if (s && !why) { why = "description"; }
      }
      if (!s) { return null; }
      total += s;
    }
    return { doc: d, score: total, why: why };
  }
  function setupSearch() {
    var box = doc.getElementById("_search-box");
    var input = doc.getElementById("_search");
    var status = doc.getElementById("_search-status");
    var results = doc.getElementById("_search-results");
    if (!box || !input || !status || !results) { return; }
    box.hidden = false;
    var active = -1;
    var shown = [];
    function setActive(i) {
      var options = results.children;
      if (active >= 0 && options[active]) { options[active].setAttribute("aria-selected", "false"); }
      active = i;
      if (i >= 0 && options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        if (options[i].scrollIntoView) { options[i].scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function render() {
      var words = input.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
      results.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!words.length) {
        results.hidden = true;
        input.setAttribute("aria-expanded", "false");
        status.textContent = "";
        return;
      }
      var found = [];
      index.forEach(function (d) { var r = score(d, words); if (r) { found.push(r); } });
      found.sort(function (a, b) {
        return b.score - a.score || KIND_ORDER[a.doc.kind] - KIND_ORDER[b.doc.kind] ||
          (a.doc.title < b.doc.title ? -1 : a.doc.title > b.doc.title ? 1 : 0);
      });
      shown = found.slice(0, 50);
      shown.forEach(function (r, i) {
        // an option holds no link (nothing interactive inside an option): choosing it navigates
        var li = el("li", { id: "_sr-" + i, role: "option", "aria-selected": "false", "data-href": root + r.doc.href });
        if (r.doc.method) { li.appendChild(methodBadge(r.doc.method)); li.appendChild(doc.createTextNode(" ")); }
        li.appendChild(el("span", { "class": "label" }, r.doc.title));
        li.appendChild(el("span", { "class": "why" }, r.doc.kind + (r.why ? " \u00b7 " + r.why : "")));
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { go(i); });
        results.appendChild(li);
      });
      results.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      status.textContent = found.length === 0 ? "No matches" : found.length === 1 ? "1 match" :
        found.length > shown.length ? found.length + " matches, the first " + shown.length + " shown" : found.length + " matches";
    }
    function go(i) {
      var r = shown[i];
      if (r) { location.href = root + r.doc.href; if (window.apigenMenu) { window.apigenMenu(false, false); } }
    }
    function run() { loadIndex(render); }
    input.addEventListener("focus", function () { loadIndex(function () {}); });
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!shown.length) { return; }
        event.preventDefault();
        var next = event.key === "ArrowDown" ? active + 1 : active - 1;
        setActive(next < 0 ? shown.length - 1 : next % shown.length);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (!index) { loadIndex(function () { render(); go(0); }); return; }
        go(active >= 0 ? active : 0);
      } else if (event.key === "Escape") {
        if (input.value) { event.stopPropagation(); input.value = ""; run(); }
      }
    });
    doc.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        if (menuShown() && window.apigenMenu) { window.apigenMenu(true, false); }
        input.focus();
      }
    });
    if (input.value) { run(); }
  }

  // -- example tabs: one remembered choice for every operation ----------------------------------------
  var tabSets = [];
  var tabCount = 0;
  function choose(key, remember) {  // the language of the examples: one choice for every operation
    tabSets.forEach(function (set) { if (set.shared) { set.select(key); } });
    if (remember) { storage(STORE, key); }
  }
  function setupTabs() {
    var sets = doc.querySelectorAll("[data-tabs]");
    Array.prototype.forEach.call(sets, function (container) {
      var panels = Array.prototype.filter.call(container.children, function (c) { return c.hasAttribute("data-tab"); });
      if (panels.length < 2) { return; }
      var shared = container.getAttribute("data-tabs") === "language";
      var set = null;
      var pick = function (key, remember) { if (shared) { choose(key, remember); } else { set.select(key); } };
      var list = el("div", { role: "tablist", "aria-label": shared ? "Example language" : "Response samples",
        "class": "tablist" });
      var tabs = panels.map(function (panel) {
        tabCount += 1;
        var id = "_tab-" + tabCount;
        if (!panel.id) { panel.id = id + "-panel"; }
        var tab = el("button", { type: "button", role: "tab", id: id, "aria-controls": panel.id, "data-tab": panel.getAttribute("data-tab") },
          panel.getAttribute("data-label") || panel.getAttribute("data-tab"));
        panel.setAttribute("role", "tabpanel");
        var caption = panel.querySelector("figcaption");
        if (caption && caption.textContent === panel.getAttribute("data-label")) { caption.className = "visually-hidden"; }
        panel.setAttribute("aria-labelledby", id);
        tab.addEventListener("click", function () { pick(panel.getAttribute("data-tab"), true); });
        tab.addEventListener("keydown", function (event) {
          var at = tabs.indexOf(tab), next = -1;
          if (event.key === "ArrowRight") { next = (at + 1) % tabs.length; }
          if (event.key === "ArrowLeft") { next = (at - 1 + tabs.length) % tabs.length; }
          if (event.key === "Home") { next = 0; }
          if (event.key === "End") { next = tabs.length - 1; }
          if (next >= 0) {
            event.preventDefault();
            pick(tabs[next].getAttribute("data-tab"), true);
            tabs[next].focus();
          }
        });
        list.appendChild(tab);
        return tab;
      });
      container.insertBefore(list, container.firstChild);
      container.classList.add("tabbed");
      set = {
        shared: shared,
        select: function (key) {
          var found = tabs.some(function (t) { return t.getAttribute("data-tab") === key; });
          tabs.forEach(function (tab, i) {
            var on = found ? tab.getAttribute("data-tab") === key : i === 0;
            tab.setAttribute("aria-selected", on ? "true" : "false");
            tab.tabIndex = on ? 0 : -1;
            panels[i].hidden = !on;
          });
        }
      };
      tabSets.push(set);
      if (!shared) { set.select(""); }
    });
    choose(storage(STORE) || "curl", false);
  }

  // -- copy buttons and copy-link -----------------------------------------------------------------------
  function copyText(text, done) {
    function fallback() {
      var area = el("textarea", { "class": "visually-hidden", readonly: "" });
      area.value = text;
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      doc.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }
  function setupCopy() {
    Array.prototype.forEach.call(doc.querySelectorAll("pre > code"), function (code) {
      var pre = code.parentNode;
      var wrap = el("div", { "class": "code" });
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = el("button", { type: "button", "class": "copy", "aria-label": "Copy code" }, "Copy");
      button.addEventListener("click", function () {
        copyText(code.textContent, function (ok) {
          button.textContent = ok ? "Copied" : "Select and copy";
          announce(ok ? "Code copied to the clipboard" : "Copying is not allowed here; select the code instead");
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      wrap.appendChild(button);
    });
    doc.addEventListener("click", function (event) {
      var a = event.target.closest ? event.target.closest("a.anchor") : null;
      if (!a) { return; }
      var url = location.href.split("#")[0] + a.getAttribute("href");
      copyText(url, function (ok) { if (ok) { announce("Link copied: " + url); } });
    });
  }

  // -- tables: on narrow screens each cell names its column; one that still scrolls can be reached by keyboard
  function scrollableTables() {
    Array.prototype.forEach.call(doc.querySelectorAll("main .table"), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table (scrolls sideways)");
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  function labelCells() {
    Array.prototype.forEach.call(doc.querySelectorAll("main table:not(.fields)"), function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent; });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (heads[i]) { cell.setAttribute("data-label", heads[i]); }
        });
      });
    });
  }

  // every section with an id gets a link to itself (copied on click): operations and models have it in the page
  function addAnchors() {
    Array.prototype.forEach.call(doc.querySelectorAll("main [id]"), function (node) {
      var target = /^H[2-4]$/.test(node.tagName) ? node : node.querySelector(":scope > h4, :scope > .media-type");
      if (!target || target.querySelector(".anchor")) { return; }
      var label = (target.textContent || "").replace(/\s+/g, " ").trim();
      target.appendChild(doc.createTextNode(" "));
      target.appendChild(el("a", { "class": "anchor", href: "#" + node.id, "aria-label": "Link to " + label }, "#"));
    });
  }

  doc.addEventListener("DOMContentLoaded", function () {
    addAnchors();
    buildNav();
    setupMenu();
    setupSearch();
    setupTabs();
    setupCopy();
    labelCells();
    scrollableTables();
    window.addEventListener("resize", scrollableTables);
  });
}());
