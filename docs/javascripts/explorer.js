// The learning-rate explorer (see gdsite/explorer.py). The page carries real
// gd.fit runs as JSON; this script only draws them, so it needs no kernel.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const W = 320, H = 220, PAD = { left: 40, right: 10, top: 10, bottom: 28 };

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  // Map data coordinates to the plot area.
  function scale(lo, hi, outLo, outHi) {
    return (v) => outLo + ((v - lo) / (hi - lo || 1)) * (outHi - outLo);
  }

  function frame(svg, xlabel, ylabel, xticks, yticks, sx, sy) {
    svg.replaceChildren();
    el("rect", { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right,
                 height: H - PAD.top - PAD.bottom, fill: "none", stroke: "currentColor",
                 "stroke-opacity": 0.5 }, svg);
    const text = (x, y, s, anchor) => {
      const t = el("text", { x, y, "text-anchor": anchor, "font-size": 10, fill: "currentColor" }, svg);
      t.textContent = s;
    };
    xticks.forEach(([v, label]) => text(sx(v), H - PAD.bottom + 12, label, "middle"));
    yticks.forEach(([v, label]) => text(PAD.left - 4, sy(v) + 3, label, "end"));
    text((PAD.left + W - PAD.right) / 2, H - 3, xlabel, "middle");
    const y = el("text", { x: 10, y: (PAD.top + H - PAD.bottom) / 2, "font-size": 10, fill: "currentColor",
                           "text-anchor": "middle", transform: `rotate(-90 10 ${(PAD.top + H - PAD.bottom) / 2})` }, svg);
    y.textContent = ylabel;
    const clip = el("clipPath", { id: svg.dataset.clipId }, svg);
    el("rect", { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom }, clip);
    return el("g", { "clip-path": `url(#${svg.dataset.clipId})` }, svg);
  }

  const fmt = (v) => (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(3));

  function setUp(root, index) {
    const data = JSON.parse(root.querySelector(".gd-explorer-data").textContent);
    const lrInput = root.querySelector(".gd-explorer-lr");
    const stepInput = root.querySelector(".gd-explorer-step");
    const lrOut = root.querySelector(".gd-explorer-lr-value");
    const stepOut = root.querySelector(".gd-explorer-step-value");
    const status = root.querySelector(".gd-explorer-status");
    const play = root.querySelector(".gd-explorer-play");
    const fitSvg = root.querySelector(".gd-explorer-fit");
    const lossSvg = root.querySelector(".gd-explorer-loss");
    fitSvg.dataset.clipId = `gd-explorer-${index}-fit`;
    lossSvg.dataset.clipId = `gd-explorer-${index}-loss`;

    const ymin = Math.min(...data.y), ymax = Math.max(...data.y);
    const fx = scale(-1, 1, PAD.left, W - PAD.right);
    const fy = scale(ymin - 0.5, ymax + 0.5, H - PAD.bottom, PAD.top);
    const mse = (a0, a1) => data.x.reduce((s, x, i) => s + (a0 * x + a1 - data.y[i]) ** 2, 0) / data.x.length;
    let timer = null;

    function draw() {
      const run = data.runs[Number(lrInput.value)];
      const last = run.slope.length - 1;  // diverged runs stop early
      stepInput.max = last;
      if (Number(stepInput.value) > last) stepInput.value = last;
      const step = Number(stepInput.value);
      const a0 = run.slope[step], a1 = run.intercept[step];
      lrOut.textContent = String(run.lr);
      lrInput.setAttribute("aria-valuetext", `learning rate ${run.lr}`);
      stepOut.textContent = String(step);

      // Left: the data and the line after `step` updates.
      const g = frame(fitSvg, "x", "y", [[-1, "-1"], [0, "0"], [1, "1"]],
                      [[Math.ceil(ymin), String(Math.ceil(ymin))], [Math.floor(ymax), String(Math.floor(ymax))]], fx, fy);
      data.x.forEach((x, i) => el("circle", { cx: fx(x).toFixed(1), cy: fy(data.y[i]).toFixed(1), r: 2.2, fill: "#3b82f6" }, g));
      el("line", { x1: fx(-1), y1: fy(a1 - a0), x2: fx(1), y2: fy(a1 + a0), stroke: "#f97316", "stroke-width": 2.5 }, g);

      // Right: log10 of the loss at every step, with the current step marked.
      const logs = run.slope.map((s, i) => Math.log10(mse(s, run.intercept[i])));
      const lo = Math.floor(Math.min(...logs)), hi = Math.ceil(Math.max(...logs));
      const sx = scale(0, Math.max(last, 1), PAD.left, W - PAD.right), sy = scale(lo, hi === lo ? lo + 1 : hi, H - PAD.bottom, PAD.top);
      const lg = frame(lossSvg, "step", "loss (log scale)", [[0, "0"], [last, String(last)]],
                       [[lo, `1e${lo}`], [hi, `1e${hi}`]], sx, sy);
      el("polyline", { points: logs.map((v, i) => `${sx(i).toFixed(1)},${sy(v).toFixed(1)}`).join(" "),
                       fill: "none", stroke: "#3b82f6", "stroke-width": 2 }, lg);
      el("circle", { cx: sx(step), cy: sy(logs[step]), r: 4, fill: "#f97316" }, lg);

      const loss = mse(a0, a1), first = mse(run.slope[0], run.intercept[0]);
      let message;
      if (run.diverged) {
        message = `lr = ${run.lr} diverges: the numbers overflowed after ${last} steps, so gradient descent stopped.`;
      } else if (mse(run.slope[last], run.intercept[last]) > first) {
        message = `lr = ${run.lr} is too large: the loss grows instead of falling.`;
      } else {
        message = `lr = ${run.lr}, step ${step}: loss ${fmt(loss)}.`;
      }
      status.textContent = message;
      root.classList.toggle("gd-explorer--diverged", run.diverged);
      fitSvg.setAttribute("aria-label", `The data with the line y = ${fmt(a0)}x + ${fmt(a1)} after ${step} steps at learning rate ${run.lr}`);
      lossSvg.setAttribute("aria-label", `Loss curve for learning rate ${run.lr}: ${fmt(first)} at the start, ${fmt(loss)} at step ${step}`);
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      play.textContent = "Play";
      play.setAttribute("aria-pressed", "false");
    }

    play.addEventListener("click", () => {
      if (timer) return stop();
      if (Number(stepInput.value) >= Number(stepInput.max)) stepInput.value = 0;
      play.textContent = "Pause";
      play.setAttribute("aria-pressed", "true");
      timer = setInterval(() => {
        if (Number(stepInput.value) >= Number(stepInput.max)) return stop();
        stepInput.value = Number(stepInput.value) + 1;
        draw();
      }, 60);
    });
    lrInput.addEventListener("input", draw);
    stepInput.addEventListener("input", () => { stop(); draw(); });
    play.setAttribute("aria-pressed", "false");
    draw();
  }

  // Draw an explorer only when it comes near the screen: the page's first paint
  // and its first interactions never wait for it.
  function init() {
    const explorers = [...document.querySelectorAll(".gd-explorer")];
    if (!("IntersectionObserver" in window)) return explorers.forEach(setUp);
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        setUp(entry.target, explorers.indexOf(entry.target));
      }
    }, { rootMargin: "400px" });
    explorers.forEach((root) => observer.observe(root));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
