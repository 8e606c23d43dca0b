// Starts the design system's components (accordions, details, menus…).
// Kept in a file of its own: the Content-Security-Policy allows no inline script.
if (window.DKFDS && typeof window.DKFDS.init === "function") {
  window.DKFDS.init();
}
