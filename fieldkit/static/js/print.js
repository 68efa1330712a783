// The report's Print button: the page allows no inline handlers (Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
