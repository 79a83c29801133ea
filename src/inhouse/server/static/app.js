// The inhouse page: ask the gateway's models and knowledge bases, see where each answer
// was computed and why, add documents, and check a text against the router.
// Everything it loads comes from the gateway itself; model output and document text are
// only ever inserted as escaped text or through the safe Markdown renderer.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const KEY = "inhouse.key";
  const state = { models: [], kbs: [], busy: false };

  // -- talking to the gateway ------------------------------------------------------------

  function headers(json) {
    const h = {};
    const key = sessionStorage.getItem(KEY);
    if (key) h["Authorization"] = "Bearer " + key;
    if (json) h["Content-Type"] = "application/json";
    return h;
  }

  class GatewayError extends Error {
    constructor(status, message, retryAfter) {
      super(message);
      this.status = status;
      this.retryAfter = retryAfter;
    }
  }

  async function failure(response) {
    let message = response.statusText || "request failed";
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (_) { /* not JSON: keep the status text */ }
    return new GatewayError(response.status, message, response.headers.get("Retry-After"));
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch("/v1" + path, options);
    } catch (err) {
      throw new GatewayError(0, "cannot reach the gateway (" + err.message + ")");
    }
    if (!response.ok) throw await failure(response);
    return response;
  }

  function explain(err) {
    const status = err.status;
    if (status === 401) return "The API key was not accepted (401): " + err.message;
    if (status === 403) return "Refused (403): " + err.message;
    if (status === 404) return "Not found (404): " + err.message;
    if (status === 503) {
      const wait = err.retryAfter ? " Retry in " + err.retryAfter + " s." : "";
      return "The gateway is busy (503): " + err.message + wait;
    }
    if (status === 0) return err.message;
    return "Error " + status + ": " + err.message;
  }

  function say(text) {
    const status = $("status");
    status.textContent = text || "";
    status.hidden = !text;
  }

  // -- models and knowledge bases --------------------------------------------------------

  async function refresh() {
    say("");
    try {
      const models = await (await api("/models", { headers: headers() })).json();
      state.models = models.data.map((m) => m.id);
      const kbs = await (await api("/kb", { headers: headers() })).json();
      state.kbs = kbs.data;
    } catch (err) {
      state.models = [];
      state.kbs = [];
      say(explain(err));
    }
    fill($("model"), state.models, state.models.find((m) => m.startsWith("kb:")));
    fill($("upload-kb"), state.kbs.filter((k) => k.writable).map((k) => k.id));
  }

  function fill(select, values, preferred) {
    const current = select.value;
    select.replaceChildren(...values.map((value) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      return option;
    }));
    if (values.includes(current)) select.value = current;
    else if (preferred) select.value = preferred;
  }

  // -- the conversation ------------------------------------------------------------------

  const history = [];

  function entry(role) {
    const item = document.createElement("li");
    item.className = "turn " + role;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "user" ? "You" : "Answer";
    const body = document.createElement("div");
    body.className = "body";
    item.append(who, body);
    $("log").append(item);
    return { item, body };
  }

  function badge(headersOf) {
    const target = headersOf.get("x-inhouse-route") || "local";
    const rules = (headersOf.get("x-inhouse-rules") || "").split(",").filter(Boolean);
    const entities = (headersOf.get("x-inhouse-entities") || "").split(",").filter(Boolean);
    const span = document.createElement("p");
    span.className = "badge " + target;
    const why = [];
    if (rules.length) why.push(rules.join(", "));
    if (entities.length) why.push("found: " + entities.map((e) => e.replace("=", " ×")).join(", "));
    span.textContent = (target === "cloud" ? "Cloud" : "Local") + (why.length ? " · " + why.join(" · ") : "");
    span.setAttribute("aria-label", "Answered on the " + target + " model" +
      (why.length ? " because " + why.join("; ") : ""));
    return span;
  }

  function sourcesList(sources, kb) {
    const box = document.createElement("div");
    box.className = "sources";
    const title = document.createElement("h3");
    title.textContent = "Sources";
    box.append(title);
    for (const source of sources) {
      const details = document.createElement("details");
      details.id = "source-" + source.n;
      const summary = document.createElement("summary");
      const file = source.source.split("/").pop();
      summary.textContent = "[" + source.n + "] " + file + (source.page ? ", page " + source.page : "") +
        " · score " + Number(source.score).toFixed(3) + (source.cited ? " · cited" : "");
      const snippet = document.createElement("p");
      snippet.className = "snippet";
      snippet.textContent = source.snippet;
      details.append(summary, snippet);
      details.addEventListener("toggle", () => openPassage(details, kb, source), { once: true });
      box.append(details);
    }
    return box;
  }

  async function openPassage(details, kb, source) {
    if (!details.open) return;
    try {
      const path = "/kb/" + encodeURIComponent(kb) + "/passages/" + encodeURIComponent(source.chunk_id);
      const passage = await (await api(path, { headers: headers() })).json();
      const full = document.createElement("div");
      full.className = "passage";
      full.innerHTML = window.inhouseMarkdown.render(passage.text);
      details.querySelector(".snippet").replaceWith(full);
    } catch (err) {
      say(explain(err));
    }
  }

  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of block.split("\n")) {
          if (!line.startsWith("data: ")) continue;
          const data = line.slice(6);
          if (data === "[DONE]") return;
          yield JSON.parse(data);
        }
      }
    }
  }

  async function ask(text) {
    const model = $("model").value;
    if (!model) {
      say("Pick a model first (enter an API key if the gateway needs one).");
      return;
    }
    say("");
    entry("user").body.textContent = text;
    history.push({ role: "user", content: text });
    const answer = entry("assistant");
    answer.item.setAttribute("aria-busy", "true");
    let content = "";
    try {
      const messages = model.startsWith("kb:") ? [{ role: "user", content: text }] : history.slice();
      const response = await api("/chat/completions", {
        method: "POST",
        headers: headers(true),
        body: JSON.stringify({ model, messages, stream: true }),
      });
      answer.item.insertBefore(badge(response.headers), answer.body);
      let sources = null;
      for await (const event of events(response)) {
        if (event.error) throw new GatewayError(500, event.error.message);
        if (event.inhouse_sources && !sources) sources = event.inhouse_sources;
        for (const choice of event.choices || []) {
          content += (choice.delta && choice.delta.content) || "";
        }
        answer.body.innerHTML = window.inhouseMarkdown.render(content);
      }
      history.push({ role: "assistant", content });
      if (sources && sources.length) {
        const cited = new Set((content.match(/\[(\d+)\]/g) || []).map((c) => Number(c.slice(1, -1))));
        for (const s of sources) s.cited = s.cited || cited.has(s.n);
        answer.item.append(sourcesList(sources, model.slice(3)));
      }
    } catch (err) {
      history.pop();
      answer.item.remove();
      say(explain(err));
    } finally {
      answer.item.removeAttribute("aria-busy");
      answer.item.dataset.done = "true";
    }
  }

  // -- would this stay local? -------------------------------------------------------------

  async function check(text) {
    const result = $("check-result");
    result.textContent = "";
    try {
      const decision = await (await api("/route", {
        method: "POST", headers: headers(true), body: JSON.stringify({ text }),
      })).json();
      const found = Object.entries(decision.entities).map(([k, n]) => k + " ×" + n);
      const why = decision.rules.join(", ");
      result.className = "result " + decision.target;
      result.textContent = (decision.stays_local ? "Stays local" : "May go to the cloud") +
        " (" + why + ")" + (found.length ? ": found " + found.join(", ") : "") + ".";
      result.dataset.target = decision.target;
    } catch (err) {
      say(explain(err));
    }
  }

  // -- uploads -----------------------------------------------------------------------------

  function upload(kb, files) {
    const progress = $("upload-progress");
    const report = $("upload-report");
    report.replaceChildren();
    const form = new FormData();
    for (const file of files) form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/kb/" + encodeURIComponent(kb) + "/files");
    const key = sessionStorage.getItem(KEY);
    if (key) xhr.setRequestHeader("Authorization", "Bearer " + key);
    progress.hidden = false;
    progress.value = 0;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = (100 * e.loaded) / e.total; };
    xhr.onerror = () => say("cannot reach the gateway");
    xhr.onload = () => {
      progress.value = 100;
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* reported below */ }
      if (xhr.status !== 200) {
        const message = body && body.error ? body.error.message : xhr.statusText;
        say(explain(new GatewayError(xhr.status, message, xhr.getResponseHeader("Retry-After"))));
        return;
      }
      const lines = [];
      for (const kind of ["added", "updated", "unchanged"]) {
        for (const path of body[kind]) lines.push(kind + ": " + path.split("/").pop());
      }
      for (const skipped of body.skipped) lines.push("skipped: " + skipped.path.split("/").pop() + " (" + skipped.reason + ")");
      const list = document.createElement("ul");
      for (const line of lines) {
        const li = document.createElement("li");
        li.textContent = line;
        list.append(li);
      }
      report.append(list);
      report.dataset.done = "true";
    };
    report.dataset.done = "";
    xhr.send(form);
  }

  // -- wiring ------------------------------------------------------------------------------

  function wire() {
    $("key").value = sessionStorage.getItem(KEY) || "";
    $("key-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const key = $("key").value.trim();
      if (key) sessionStorage.setItem(KEY, key);
      else sessionStorage.removeItem(KEY);
      refresh();
    });
    $("ask-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const text = $("message").value.trim();
      if (!text || state.busy) return;
      state.busy = true;
      $("send").disabled = true;
      $("message").value = "";
      try { await ask(text); } finally {
        state.busy = false;
        $("send").disabled = false;
        $("message").focus();
      }
    });
    $("message").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        $("ask-form").requestSubmit();
      }
    });
    $("check-form").addEventListener("submit", (e) => {
      e.preventDefault();
      check($("check-text").value);
    });
    $("upload-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const files = $("upload-files").files;
      if (!files.length || !$("upload-kb").value) {
        say("Pick a knowledge base you may write to and at least one file.");
        return;
      }
      upload($("upload-kb").value, files);
    });
    document.querySelector(".skip").addEventListener("click", (e) => {
      e.preventDefault();
      $("message").focus();
    });
    $("log").addEventListener("click", (e) => {
      const cite = e.target.closest("button.cite");
      if (!cite) return;
      const turn = cite.closest("li");
      const source = turn && turn.querySelector("#source-" + cite.dataset.n);
      if (source) {
        source.open = true;
        source.querySelector("summary").focus();
      }
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", wire);
})();
