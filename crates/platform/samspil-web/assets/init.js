// Starts the design system's components (accordions, details, menus…).
// Kept in a file of its own: the Content-Security-Policy allows no inline script.
if (window.DKFDS && typeof window.DKFDS.init === "function") {
  window.DKFDS.init();
}

// "Udskriv" buttons print the page with the print stylesheet (forms and
// navigation hidden); without script the browser's own print still works.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
