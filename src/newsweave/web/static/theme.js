// Runs before the page paints: apply the theme the reader chose last time (else the system's).
(function () {
  try {
    var saved = localStorage.getItem("newsweave-theme");
    if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
  } catch (e) { /* storage blocked: follow the system theme */ }
})();
