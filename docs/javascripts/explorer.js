// The explorer (see gdsite/explorer.py). The page carries real torch runs as
// JSON, computed when the site was built; this script only draws them.
//
// Data: settings [{label, values}] (one or two), runs (the last setting varies
// fastest) each with path [x0, y0, x1, y1, ...] in 1/scale of the view, loss
// per step, and the step at which it "diverged" or "left" the charts; contours
// [[level, path]], the minimum, the shared loss range, optionally data points.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const W = 300, H = 230, P = { l: 46, r: 8, t: 8, b: 38 };
  const FONT = 11.5;

  function el(name, attrs, parent, text) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function html(tag, attrs, parent, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  const lin = (lo, hi, a, b) => (v) => a + ((v - lo) / (hi - lo || 1)) * (b - a);
  const fmt = (v) => (!isFinite(v) ? "∞" : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(3)).toString());

  // An empty chart: frame, ticks, labels; returns the clipped group to draw in.
  function chart(svg, id, xlabel, ylabel, xticks, yticks) {
    svg.replaceChildren();
    const w = W - P.l - P.r, h = H - P.t - P.b;
    el("rect", { x: P.l, y: P.t, width: w, height: h, class: "gd-frame" }, svg);
    for (const [x, label] of xticks) {
      const anchor = x > W - P.r - 12 ? "end" : x < P.l + 12 ? "start" : "middle";
      el("text", { x, y: H - P.b + 15, "text-anchor": anchor, "font-size": FONT }, svg, label);
    }
    for (const [y, label] of yticks) el("text", { x: P.l - 4, y: y + 4, "text-anchor": "end", "font-size": FONT }, svg, label);
    el("text", { x: P.l + w / 2, y: H - 6, "text-anchor": "middle", "font-size": FONT }, svg, xlabel);
    const cy = P.t + h / 2;
    el("text", { x: 12, y: cy, "text-anchor": "middle", "font-size": FONT, transform: `rotate(-90 12 ${cy})` }, svg, ylabel);
    const clip = el("clipPath", { id }, svg);
    el("rect", { x: P.l, y: P.t, width: w, height: h }, clip);
    return el("g", { "clip-path": `url(#${id})` }, svg);
  }

  // Round-numbered ticks (steps of 1, 2 or 5 times a power of ten) inside [a, b], placed by toPx:
  // the widest step that still gives three ticks, or two where three would crowd the axis.
  const STEPS = [5, 2, 1];
  function niceTicks(a, b, toPx, room) {
    const span = b - a || 1;
    const ticksOf = (unit) => {
      const ticks = [];
      for (let n = Math.ceil(a / unit - 1e-9); n * unit <= b + 1e-9 * unit; n++) {
        const v = n * unit;
        ticks.push([toPx(v), Number(v.toPrecision(6)).toString()]);
      }
      return ticks;
    };
    const fits = (ticks) => !room || ticks.length * Math.max(...ticks.map(([, t]) => t.length)) * 0.62 * FONT <= room;
    const candidates = [];
    for (let power = 10 ** Math.ceil(Math.log10(span)); candidates.length < 12; power /= 10) {
      for (const m of STEPS) candidates.push(ticksOf(m * power));
    }
    return candidates.find((t) => t.length >= 3 && fits(t)) || candidates.find((t) => t.length >= 2) || candidates[0];
  }

  function setUp(root, index) {
    const data = JSON.parse(root.querySelector(".gd-explorer-data").textContent);
    // From gdsite/explorer.py: positions are whole 1/Q of the view; losses above CAP are "off the chart".
    const Q = data.scale, CAP = data.cap;
    const status = root.querySelector(".gd-explorer-status");
    const settings = data.settings;
    const sizes = settings.map((s) => s.values.length);
    const maxSteps = Math.max(...data.runs.map((r) => r.loss.length - 1));

    // Controls: one slider per setting, the step, Play; with the readout under them they form a
    // bar that stays on screen (lessons.css makes it sticky) while a phone scrolls down the charts.
    const bar = html("div", { class: "gd-explorer-bar" });
    root.insertBefore(bar, status);
    const controls = html("div", { class: "gd-explorer-controls" }, bar);
    let rest = data.default;
    const picks = settings.map((s, i) => {
      const stride = sizes.slice(i + 1).reduce((a, b) => a * b, 1);
      const start = Math.floor(rest / stride);
      rest %= stride;
      const label = html("label", {}, controls, s.label + " ");
      const input = html("input", { type: "range", min: 0, max: s.values.length - 1, step: 1, value: start, class: "gd-explorer-setting" }, label);
      const out = html("output", {}, label);
      return { input, out, setting: s, stride };
    });
    const stepLabel = html("label", {}, controls, "step ");
    const step = html("input", { type: "range", min: 0, max: maxSteps, step: 1, value: maxSteps, class: "gd-explorer-step" }, stepLabel);
    const stepOut = html("output", {}, stepLabel);
    const play = html("button", { type: "button", class: "md-button gd-explorer-play", "aria-pressed": "false" }, controls, "Play");
    const readout = html("p", { class: "gd-explorer-readout" }, bar);
    const plots = html("div", { class: "gd-explorer-plots" }, root);
    html("p", { class: "gd-explorer-key" }, root,
      "Map: contour lines join points of equal loss; ★ marks the lowest point, the red line is the run's path so far, the dot is the step shown.");
    const fitSvg = data.points ? el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "gd-explorer-fit" }, plots) : null;
    const mapSvg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "gd-explorer-map" }, plots);
    const lossSvg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "gd-explorer-loss" }, plots);

    const px = lin(0, Q, P.l, W - P.r), py = lin(0, Q, H - P.b, P.t);
    const [lo, hi] = data.loss_range.map(Math.log10);
    // Whole powers of ten at both ends, and at least three of them on the axis.
    const lhi = Math.ceil(hi), llo = Math.min(Math.floor(lo), lhi - 2);
    const sx = lin(0, Math.max(maxSteps, 1), P.l, W - P.r), sy = lin(llo, lhi, H - P.b, P.t);
    const [x0, x1, y0, y1] = data.view;
    // The map's axes are in thousandths of the view: ticks at round values of the real numbers.
    const viewTicks = (a, b, toPx, width) => niceTicks(a, b, (v) => toPx(((v - a) / (b - a)) * Q), width);

    // The landscape never changes: draw its contours once.
    const room = W - P.l - P.r;  // for the labels under a chart
    const mapG = chart(mapSvg, `gd-x${index}-map`, data.axes[0], data.axes[1], viewTicks(x0, x1, px, room), viewTicks(y0, y1, py));
    data.contours.forEach(([level, pts], i) => {
      const rank = Math.min(8, Math.round((i / Math.max(data.contours.length - 1, 1)) * 8));
      const points = [];
      for (let k = 0; k < pts.length; k += 2) points.push(`${px(pts[k]).toFixed(1)},${py(pts[k + 1]).toFixed(1)}`);
      el("polyline", { points: points.join(" "), class: `gd-contour gd-contour-${rank}` }, mapG);
    });
    el("path", { d: star(px(data.minimum[0]), py(data.minimum[1])), class: "gd-minimum" }, mapG);
    const trail = el("polyline", { class: "gd-path" }, mapG);
    const here = el("circle", { r: 4.5, class: "gd-here" }, mapG);

    // 0.001 to 10000 written out; further out "1e-4", "1e5", which fit beside the axis.
    const tickLabel = (e) => (e > 4 || e < -3 ? `1e${e}` : e >= 0 ? String(10 ** e) : (10 ** e).toFixed(-e));
    const yticks = [];
    const every = Math.ceil((lhi - llo + 1) / 8);  // at most 8 labels, 23 px apart or more
    for (let e = lhi; e >= llo; e -= every) yticks.unshift([sy(e), tickLabel(e)]);
    const lossG = chart(lossSvg, `gd-x${index}-loss`, "step", "loss (log scale)", niceTicks(0, maxSteps, sx, room), yticks);
    const lossLine = (run, upto) => {
      const pts = [];
      for (let i = 0; i <= upto && i < run.loss.length; i++) pts.push(`${sx(i).toFixed(1)},${sy(Math.log10(Math.max(run.loss[i], 1e-300))).toFixed(1)}`);
      return pts.join(" ");
    };
    if (data.runs.length <= 16) data.runs.forEach((run) => el("polyline", { points: lossLine(run, run.loss.length), class: "gd-other" }, lossG));
    const curve = el("polyline", { class: "gd-curve" }, lossG);
    const dot = el("circle", { r: 4.5, class: "gd-here" }, lossG);

    let fitLine = null;
    if (fitSvg) {
      // The data's own ranges (inputs need not lie in [-1, 1]), with a small margin.
      const xs = data.points.x, ys = data.points.y;
      const xpad = 0.05 * (Math.max(...xs) - Math.min(...xs) || 1), ypad = 0.08 * (Math.max(...ys) - Math.min(...ys) || 1);
      const xlo = Math.min(...xs) - xpad, xhi = Math.max(...xs) + xpad;
      const ylo = Math.min(...ys) - ypad, yhi = Math.max(...ys) + ypad;
      const fx = lin(xlo, xhi, P.l, W - P.r), fy = lin(ylo, yhi, H - P.b, P.t);
      const g = chart(fitSvg, `gd-x${index}-fit`, "x", "y", niceTicks(xlo, xhi, fx, room), niceTicks(ylo, yhi, fy));
      xs.forEach((x, i) => el("circle", { cx: fx(x).toFixed(1), cy: fy(ys[i]).toFixed(1), r: 2.2, class: "gd-point" }, g));
      const line = el("line", { class: "gd-line" }, g);
      fitLine = (a0, a1, shown) => {
        line.setAttribute("visibility", shown ? "visible" : "hidden");
        line.setAttribute("x1", fx(xlo)); line.setAttribute("y1", fy(a0 * xlo + a1));
        line.setAttribute("x2", fx(xhi)); line.setAttribute("y2", fy(a0 * xhi + a1));
      };
    }
    const real = (q, a, b) => a + (q / Q) * (b - a);

    function current() {
      let i = 0;
      picks.forEach((p) => { i += Number(p.input.value) * p.stride; });
      return data.runs[i];
    }
    function describe(run) {
      return picks.map((p) => `${p.setting.label} ${p.setting.values[Number(p.input.value)]}`).join(", ");
    }

    // The step the reader chose (Infinity: the end of whichever run is shown). A diverged run is
    // shorter than the others: it shows its own last step, and the next run the chosen one again.
    let wanted = Infinity;
    function draw() {
      const run = current();
      const last = run.loss.length - 1;
      step.max = last;
      step.value = Math.min(wanted, last);
      const k = Number(step.value);
      picks.forEach((p) => {
        const v = p.setting.values[Number(p.input.value)];
        p.out.textContent = v;
        p.input.setAttribute("aria-valuetext", `${p.setting.label} ${v}`);
      });
      stepOut.textContent = String(k);
      // Past the step at which a run left the charts its stored numbers are clamped, so
      // the path stops one step outside the view and the current point is not drawn.
      const off = run.left !== undefined && k >= run.left;
      const last_shown = off ? run.left : k;
      const pts = [];
      for (let i = 0; i <= last_shown; i++) pts.push(`${px(run.path[2 * i]).toFixed(1)},${py(run.path[2 * i + 1]).toFixed(1)}`);
      trail.setAttribute("points", pts.join(" "));
      here.setAttribute("visibility", off ? "hidden" : "visible");
      here.setAttribute("cx", px(run.path[2 * k])); here.setAttribute("cy", py(run.path[2 * k + 1]));
      curve.setAttribute("points", lossLine(run, k));
      dot.setAttribute("cx", sx(k)); dot.setAttribute("cy", sy(Math.min(lhi, Math.log10(Math.max(run.loss[k], 1e-300)))));
      const a0 = real(run.path[2 * k], x0, x1), a1 = real(run.path[2 * k + 1], y0, y1);
      if (fitLine) fitLine(a0, a1, !off);

      const loss = run.loss[k];
      const gone = run.diverged !== undefined;
      const lossText = loss >= CAP ? `above ${fmt(CAP)} (off the chart)` : fmt(loss);
      root.classList.toggle("gd-explorer--diverged", gone);
      root.classList.toggle("gd-explorer--left", off && !gone);
      let cue = "";
      if (gone) cue = ` Diverged: the numbers overflowed after ${run.diverged} steps, so the run stopped.`;
      else if (off) cue = ` Off the charts since step ${run.left}: it left the drawn area${loss > run.loss[0] ? " and its loss is growing" : ""}.`;
      readout.textContent = `${describe(run)} · step ${k} of ${last} · loss ${lossText}`;
      const summary = `${describe(run)}: loss ${fmt(run.loss[0])} at the start, ${lossText} at step ${k}.${cue}`;
      status.textContent = summary;  // every frame; announced only when not playing (see play)
      mapSvg.setAttribute("aria-label", `Loss landscape with the path of the run with ${describe(run)} up to step ${k}`);
      lossSvg.setAttribute("aria-label", `Loss curve of the run with ${describe(run)}: ${fmt(run.loss[0])} at the start, ${lossText} at step ${k}`);
      if (fitSvg) fitSvg.setAttribute("aria-label", off ? `The data; after ${k} steps the line is off the chart` : `The data with the line y = ${fmt(a0)}x + ${fmt(a1)} after ${k} steps`);
    }

    // While it plays, the summary changes every 60 ms: a screen reader would read out each
    // frame, so the live region is switched off until the player stops, then says where it is.
    let timer = null;
    function halt() {
      clearInterval(timer);
      timer = null;
      play.textContent = "Play";
      play.setAttribute("aria-pressed", "false");
      status.setAttribute("aria-live", "polite");
    }
    play.addEventListener("click", () => {
      if (timer) { halt(); return draw(); }
      const last = Number(step.max);
      wanted = Number(step.value) >= last ? 0 : Number(step.value);
      play.textContent = "Pause";
      play.setAttribute("aria-pressed", "true");
      status.setAttribute("aria-live", "off");
      draw();
      timer = setInterval(() => {
        if (Number(step.value) >= Number(step.max)) { wanted = Infinity; halt(); return draw(); }
        wanted = Number(step.value) + 1;
        draw();
      }, 60);
    });
    picks.forEach((p) => p.input.addEventListener("input", () => draw()));
    step.addEventListener("input", () => {
      if (timer) halt();
      wanted = Number(step.value) >= Number(step.max) ? Infinity : Number(step.value);
      draw();
    });
    draw();
    root.classList.add("gd-explorer--ready");
  }

  function star(x, y) {
    const pts = [];
    for (let i = 0; i < 10; i++) {
      const r = i % 2 ? 3.2 : 8, a = (Math.PI / 5) * i - Math.PI / 2;
      pts.push(`${(x + r * Math.cos(a)).toFixed(1)},${(y + r * Math.sin(a)).toFixed(1)}`);
    }
    return `M${pts.join("L")}Z`;
  }

  // Draw an explorer only when it comes near the screen: the page's first paint
  // and its first interactions never wait for it.
  function init() {
    const all = [...document.querySelectorAll(".gd-explorer")];
    if (!("IntersectionObserver" in window)) return all.forEach(setUp);
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        setUp(entry.target, all.indexOf(entry.target));
      }
    }, { rootMargin: "400px" });
    all.forEach((root) => observer.observe(root));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
