// Under `mkdocs serve` only (gdsite/serving.py adds it): what the last build found wrong,
// at the top of every page, until a build is clean. The server reloads the page by itself.
(() => {
  const config = document.getElementById("__config");
  const base = config ? JSON.parse(config.textContent).base : ".";
  fetch(`${base}/gd-serve-status.json`, { cache: "no-store" })
    .then((response) => (response.ok ? response.json() : null))
    .then((status) => {
      const messages = status ? [...status.failures, ...status.problems] : [];
      document.documentElement.dataset.gdServeStatus = messages.length ? "shown" : "clean"; // for tests
      if (!messages.length) return;
      const box = document.createElement("div");
      box.className = "gd-serve-status";
      box.setAttribute("role", "alert");
      box.style.cssText =
        "border: 2px solid #d32f2f; border-radius: .2rem; padding: .4rem .8rem; margin: .8rem 0;";
      const title = document.createElement("strong");
      title.textContent = status.failures.length
        ? "The last build failed on a lesson. Fix it and save: this page reloads by itself."
        : "The last build found lessons that break the rules (CONTRIBUTING.md):";
      box.append(title);
      for (const message of messages) {
        const pre = document.createElement("pre");
        pre.style.cssText = "white-space: pre-wrap; font-size: .7rem;";
        pre.textContent = message;
        box.append(pre);
      }
      (document.querySelector(".md-content__inner") || document.body).prepend(box);
    });
})();
