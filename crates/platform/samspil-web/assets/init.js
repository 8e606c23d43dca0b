// Starts the design system's components (accordions, details, menus…).
// Kept in a file of its own: the Content-Security-Policy allows no inline script.
if (window.DKFDS && typeof window.DKFDS.init === "function") {
  window.DKFDS.init();
}

// The design system writes its overflow menu's button ("Mere") in Danish
// only; the page gives the word in the person's language.
for (const menu of document.querySelectorAll("[data-more-label]")) {
  for (const label of menu.querySelectorAll(".more-button > span")) {
    label.textContent = menu.dataset.moreLabel;
  }
}

// "Udskriv" buttons print the page with the print stylesheet (forms and
// navigation hidden); without script the browser's own print still works.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// A search field above a long list of boxes (the municipalities of a
// message's audience) narrows the list to the names that contain what is
// typed; the boxes keep their state. Without script the whole list shows.
for (const search of document.querySelectorAll("[data-filter-list]")) {
  const list = document.getElementById(search.dataset.filterList);
  if (!list) continue;
  search.addEventListener("input", () => {
    const wanted = search.value.trim().toLocaleLowerCase("da");
    for (const item of list.children) {
      item.hidden = wanted !== "" && !item.textContent.toLocaleLowerCase("da").includes(wanted);
    }
  });
}
