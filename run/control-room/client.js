// @module run/control-room: the control room's browser script (served as /app.js; no framework, no external asset).
// Swaps in the HTML fragments the server sends once a second over Server-Sent Events, and sends the two controls
// with the run's token in a header. Inline styles are blocked by the page's CSP, so `data-style` is applied here.
'use strict';
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const last = new Map();
  const byId = (id) => document.getElementById(id);

  function applyStyles(root) {
    for (const el of root.querySelectorAll('[data-style]')) el.style.cssText = el.getAttribute('data-style');
  }

  function render(snapshot) {
    document.body.dataset.state = snapshot.state;
    for (const [id, html] of Object.entries(snapshot.html)) {
      const el = byId(id);
      if (!el || last.get(id) === html) continue;
      last.set(id, html);
      el.innerHTML = html;
      applyStyles(el);
    }
    if (snapshot.state === 'ended') document.title = document.title.replace(/^(LIVE · )?/, `${snapshot.state.toUpperCase()} · `);
  }

  const conn = byId('conn');
  const events = new EventSource(`/events?token=${encodeURIComponent(token)}`);
  events.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
  events.addEventListener('open', () => { conn.textContent = 'live'; });
  events.addEventListener('error', () => { conn.textContent = events.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting'; });

  const message = byId('control-message');
  function say(text, ok) {
    message.textContent = text;
    message.className = ok ? 'ok' : 'bad';
  }

  async function send(action, body) {
    try {
      const res = await fetch(`/control/${action}`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-codeblue-token': token }, body: JSON.stringify(body),
      });
      const answer = await res.json().catch(() => ({ message: res.statusText }));
      say(answer.message || `${res.status}`, res.ok);
    } catch (err) {
      say(`not sent: ${err}`, false);
    }
  }

  // Halting is a two-step click: the first arms the button for 5 s, the second sends.
  let armedUntil = 0;
  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button[data-control]') : null;
    if (!button) return;
    const control = button.getAttribute('data-control');
    if (control === 'halt') {
      if (Date.now() > armedUntil) {
        armedUntil = Date.now() + 5000;
        button.classList.add('armed');
        say('Click "Halt now" again within 5 s to stop the load and roll the faults back.', true);
        return;
      }
      armedUntil = 0;
      void send('halt', {});
    } else if (control === 'end-fault') {
      void send('end-fault', { fault: button.getAttribute('data-fault') });
    }
  });
})();
