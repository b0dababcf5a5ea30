// Peer observation tally page: taps are kept in localStorage first and sent to the server
// in batches, each tap named by an id made here, so a batch resent after a dropped
// connection is counted once. Without this script the page is a plain form.
(function () {
  "use strict";

  var done = document.getElementById("observe-done");
  if (done) {
    // Submitted: whatever this phone still held for it has reached the server.
    try { window.localStorage.removeItem("uptake-observation-" + done.dataset.request); } catch (e) { /* private mode */ }
    return;
  }
  var form = document.getElementById("observe-form");
  if (!form) { return; }

  var key = "uptake-observation-" + form.dataset.request;
  var syncUrl = form.dataset.syncUrl;
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var statusLine = document.getElementById("sync-status");
  var present = document.getElementById("present");
  var inputs = {};
  var base = {};
  var sending = false;
  var stopped = false;
  var lastSeq = 0;

  Array.prototype.forEach.call(form.querySelectorAll("input.tally-count"), function (input) {
    inputs[input.dataset.prompt] = input;
    base[input.dataset.prompt] = parseInt(input.dataset.server, 10) || 0;
  });

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "null");
      if (saved && Array.isArray(saved.pending)) { return saved; }
    } catch (e) { /* unreadable: start afresh */ }
    return { pending: [], present: null };
  }
  var state = load();

  function save() {
    try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full or private */ }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function nextSeq() {
    lastSeq = Math.max(lastSeq + 1, Date.now());
    return lastSeq;
  }

  function shown(prompt) {
    var n = base[prompt] || 0;
    state.pending.forEach(function (e) { if (String(e.prompt) === String(prompt)) { n += e.delta; } });
    return Math.max(0, n);
  }

  function render() {
    Object.keys(inputs).forEach(function (prompt) {
      var n = shown(prompt);
      inputs[prompt].value = n;
      var live = form.querySelector("[data-live='" + prompt + "']");
      if (live) { live.textContent = n; }
    });
    if (state.present) { present.value = state.present.value; }
  }

  function say(text) { statusLine.textContent = text; }

  function waiting() {
    return state.pending.length + (state.present ? 1 : 0);
  }

  function record(prompt, delta) {
    if (delta < 0 && shown(prompt) <= 0) { return; }
    state.pending.push({ id: newId(), prompt: parseInt(prompt, 10), delta: delta });
    save();
    render();
    sync();
  }

  // Send what is waiting; resolves true when nothing is left waiting.
  function sync() {
    if (sending || stopped) { return Promise.resolve(waiting() === 0); }
    if (waiting() === 0) { return Promise.resolve(true); }
    sending = true;
    var batch = state.pending.slice(0, 500);
    var presentSent = state.present;
    var body = JSON.stringify({ events: batch, present: presentSent });
    return fetch(syncUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    }).then(function (reply) {
      sending = false;
      if (!reply.ok) {
        var message = (reply.data && reply.data.error && reply.data.error.message) || "The server refused these taps.";
        if (reply.status === 403) { stopped = true; }
        say(message + " Your taps are still kept on this phone.");
        return false;
      }
      var sent = {};
      batch.forEach(function (e) { sent[e.id] = true; });
      state.pending = state.pending.filter(function (e) { return !sent[e.id]; });
      if (state.present && presentSent && state.present.seq === presentSent.seq) { state.present = null; }
      Object.keys(reply.data.counts).forEach(function (prompt) { base[prompt] = reply.data.counts[prompt]; });
      save();
      render();
      if (waiting() > 0) { return sync(); }
      say("All taps saved.");
      return true;
    }).catch(function () {
      sending = false;
      say("Offline: " + waiting() + " change(s) kept on this phone. They will be sent when the connection returns.");
      return false;
    });
  }

  Array.prototype.forEach.call(form.querySelectorAll("button.tally-tap, button.tally-undo"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      record(button.dataset.prompt, button.classList.contains("tally-undo") ? -1 : 1);
    });
  });

  // A number typed in by hand becomes taps too, so the server's sum matches it.
  Object.keys(inputs).forEach(function (prompt) {
    inputs[prompt].addEventListener("change", function () {
      var wanted = parseInt(inputs[prompt].value, 10);
      if (isNaN(wanted) || wanted < 0) { render(); return; }
      var gap = wanted - shown(prompt);
      for (var i = 0; i < Math.abs(gap); i += 1) {
        state.pending.push({ id: newId(), prompt: parseInt(prompt, 10), delta: gap > 0 ? 1 : -1 });
      }
      save();
      render();
      sync();
    });
  });

  present.addEventListener("change", function () {
    var value = parseInt(present.value, 10);
    if (isNaN(value) || value < 1) { return; }
    state.present = { value: value, seq: nextSeq() };
    save();
    sync();
  });

  form.addEventListener("submit", function (event) {
    if (waiting() === 0) { return; }
    event.preventDefault();
    say("Sending your last taps…");
    sync().then(function (allSent) {
      if (allSent) {
        form.submit();
      } else if (!stopped) {
        say("You seem to be offline. Your tallies are kept on this phone; submit again when the connection returns.");
      }
    });
  });

  window.addEventListener("online", function () { sync(); });
  window.setInterval(function () { if (navigator.onLine) { sync(); } }, 5000);

  if (state.present) { lastSeq = state.present.seq; }
  render();
  sync();
}());
