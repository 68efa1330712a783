/* The page's layout on small screens: the header's links fold into a menu behind one button, and filter forms
   marked data-fold (closed <details> in the page) open by themselves where the screen is wide enough.
   Without this script the links show in the header, wrapped, and the filters stay one tap away. */
(function () {
  "use strict";
  var WIDE = "(min-width: 600px)";

  function menu(bar) {
    var button = bar.querySelector("[data-menu-button]");
    var nav = bar.querySelector(".site-nav");
    if (!button || !nav) return;
    var set = function (open) {
      bar.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    bar.classList.add("has-menu");
    button.hidden = false;
    button.addEventListener("click", function () { set(!bar.classList.contains("menu-open")); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && bar.classList.contains("menu-open")) {
        set(false);
        button.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (bar.classList.contains("menu-open") && !bar.contains(event.target)) set(false);
    });
  }

  document.querySelectorAll("header.bar").forEach(menu);
  if (window.matchMedia && window.matchMedia(WIDE).matches) {
    document.querySelectorAll("details[data-fold]:not([open])").forEach(function (box) { box.open = true; });
  }
})();
