// newsweave: theme switch, the Add page's background job with live progress, citation evidence.
"use strict";

function currentTheme() {
  const set = document.documentElement.dataset.theme;
  if (set) return set;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function setupThemeToggle() {
  const button = document.getElementById("theme-toggle");
  if (!button) return;
  button.addEventListener("click", () => {
    const next = currentTheme() === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem("newsweave-theme", next); } catch (e) { /* not kept; fine */ }
  });
}

// Build DOM with textContent only: titles come from untrusted articles.
function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function linkList(title, items, href, label) {
  const frag = document.createDocumentFragment();
  if (!items.length) return frag;
  frag.appendChild(el("h3", title));
  const ul = el("ul");
  for (const item of items) {
    const li = el("li");
    li.appendChild(href ? el("a", label(item), { href: href(item) }) : el("span", label(item)));
    ul.appendChild(li);
  }
  frag.appendChild(ul);
  return frag;
}

function showJob(job) {
  const box = document.getElementById("job");
  box.hidden = false;
  box.dataset.job = job.id;
  box.dataset.status = job.status;
  document.getElementById("job-message").textContent = job.message;
  const bar = document.getElementById("job-progress");
  bar.max = job.total || 1;
  bar.value = job.status === "done" ? bar.max : job.done;
  const result = document.getElementById("job-result");
  result.replaceChildren();
  const enc = encodeURIComponent;
  result.appendChild(linkList("Stories", job.stories, (s) => "/stories/" + enc(s.id), (s) => s.headline));
  result.appendChild(linkList("Articles", job.articles, (a) => "/articles/" + enc(a.id), (a) => a.title));
  result.appendChild(linkList("Skipped", job.errors, null, (e) => e.source + ": " + e.reason));
}

function showError(message) {
  const box = document.getElementById("add-error");
  box.textContent = message;
  box.hidden = !message;
}

async function poll(jobId) {
  for (;;) {
    const response = await fetch("/api/v1/jobs/" + encodeURIComponent(jobId));
    const body = await response.json();
    if (!response.ok) { showError(body.error ? body.error.message : "lost the job"); return; }
    showJob(body);
    if (body.status === "done" || body.status === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

function setupAddForm() {
  const form = document.getElementById("add-form");
  if (!form) return;
  const pending = document.getElementById("job").dataset.job;
  if (pending) poll(pending);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    const button = document.getElementById("add-submit");
    button.disabled = true;
    try {
      const response = await fetch("/api/v1/ingest/upload", { method: "POST", body: new FormData(form) });
      const body = await response.json();
      if (!response.ok) { showError(body.error ? body.error.message : "the server refused the request"); return; }
      showJob(body);
      form.reset();
      await poll(body.id);
    } catch (e) {
      showError("Could not reach the server: " + e);
    } finally {
      button.disabled = false;
    }
  });
}

// A citation's evidence opens below its chip; near the right edge of the page it would be cut
// off, so it is moved left until it fits.
function fitEvidence(chip) {
  const tip = chip.querySelector(".evidence");
  if (!tip) return;
  tip.style.left = "0px";
  const overflow = tip.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
  if (overflow > 0) tip.style.left = `-${Math.ceil(overflow)}px`;
}

function setupEvidence() {
  for (const chip of document.querySelectorAll("a.chip.cited")) {
    for (const kind of ["mouseenter", "focus"]) chip.addEventListener(kind, () => fitEvidence(chip));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setupThemeToggle();
  setupAddForm();
  setupEvidence();
});
