/**
 * The console's only script (served as /assets/console.js; no inline scripts, so CSP can forbid
 * them): zoom and pan of the diagram, a state's input and output on click, JSON checks of the
 * start form, confirmations, live updates of a running execution, and a machine's Cost panel
 * (fetched after the page is shown). Plain ES2017, no build.
 * Everything it writes from data goes through textContent; HTML it inserts is the server's.
 */
export const CONSOLE_JS = String.raw`(function () {
  'use strict';
  var selected = null;
  var visits = readJson('sw-visits') || [];

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent || 'null'); } catch (e) { return null; }
  }
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }

  // ---- diagram: wheel zooms about the pointer, drag pans, buttons zoom and fit; a click selects a state.
  var diagrams = [];
  function setupDiagram(viewport) {
    var canvas = viewport.querySelector('.sw-canvas');
    if (!canvas) return;
    var view = { s: 1, x: 0, y: 0 };
    function apply() { canvas.style.transform = 'translate(' + view.x + 'px,' + view.y + 'px) scale(' + view.s + ')'; }
    function size() {
      var svg = canvas.querySelector('svg');
      if (!svg) return { w: 1, h: 1 };
      return { w: parseFloat(svg.getAttribute('width')) || 1, h: parseFloat(svg.getAttribute('height')) || 1 };
    }
    function fit() {
      var sz = size();
      var vw = viewport.clientWidth, vh = viewport.clientHeight;
      var s = Math.min(1.5, (vw - 24) / sz.w, (vh - 24) / sz.h);
      if (!(s > 0)) s = 1;
      view.s = s;
      view.x = (vw - sz.w * s) / 2;
      view.y = Math.max(12, (vh - sz.h * s) / 2);
      apply();
    }
    function zoomAt(factor, px, py) {
      var ns = Math.min(5, Math.max(0.1, view.s * factor));
      var k = ns / view.s;
      view.x = px - (px - view.x) * k;
      view.y = py - (py - view.y) * k;
      view.s = ns;
      apply();
    }
    function zoomCentre(factor) { zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2); }
    viewport.addEventListener('wheel', function (e) {
      e.preventDefault();
      var r = viewport.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    var drag = null;
    viewport.addEventListener('pointerdown', function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false, target: e.target };
    });
    window.addEventListener('pointermove', function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) { drag.moved = true; viewport.classList.add('dragging'); }
      if (drag.moved) { view.x = drag.vx + dx; view.y = drag.vy + dy; apply(); }
    });
    window.addEventListener('pointerup', function () {
      if (!drag) return;
      var d = drag;
      drag = null;
      viewport.classList.remove('dragging');
      if (d.moved) return;
      var g = d.target && d.target.closest ? d.target.closest('[data-state]') : null;
      if (g) selectState(g.getAttribute('data-state'), null);
    });
    var panel = viewport.closest('.diagram-panel') || document;
    Array.prototype.forEach.call(panel.querySelectorAll('[data-zoom]'), function (b) {
      b.addEventListener('click', function () {
        var how = b.getAttribute('data-zoom');
        if (how === 'in') zoomCentre(1.25);
        else if (how === 'out') zoomCentre(0.8);
        else if (how === 'actual') { view.s = 1; view.x = 12; view.y = 12; apply(); }
        else fit();
      });
    });
    fit();
    diagrams.push({ canvas: canvas, viewport: viewport, view: view, apply: apply });
  }
  Array.prototype.forEach.call(document.querySelectorAll('.sw-viewport'), setupDiagram);

  function highlight() {
    Array.prototype.forEach.call(document.querySelectorAll('.sw-canvas [data-state]'), function (g) {
      g.classList.toggle('sw-selected', selected !== null && g.getAttribute('data-state') === selected.name);
    });
    Array.prototype.forEach.call(document.querySelectorAll('tr[data-visit]'), function (tr) {
      tr.classList.toggle('selected', selected !== null && tr.getAttribute('data-state-name') === selected.name);
    });
  }

  // ---- a state's visits (input, output, error) in the side panel.
  function selectState(name, visitIndex) {
    selected = { name: name, visit: visitIndex };
    highlight();
    renderPanel();
  }
  function renderPanel() {
    var panel = document.getElementById('sw-state-panel');
    if (!panel || !selected) return;
    var own = visits.filter(function (v) { return v.name === selected.name; });
    if (selected.visit !== null) own.sort(function (a, b) { return (a.i === selected.visit ? -1 : 0) - (b.i === selected.visit ? -1 : 0); });
    panel.textContent = '';
    panel.appendChild(el('h2', null, selected.name));
    if (!own.length) { panel.appendChild(el('p', 'empty', 'Not reached in this execution.')); return; }
    own.forEach(function (v, n) {
      var box = el('div', 'visit');
      box.setAttribute('data-visit-panel', String(v.i));
      var head = el('h3', null, (own.length > 1 ? 'Visit ' + (n + 1) + ' · ' : '') + v.type + (v.iteration !== null && v.iteration !== undefined ? ' · iteration ' + v.iteration : ''));
      box.appendChild(head);
      var badge = el('span', 'badge vs-' + v.status, v.statusLabel);
      badge.setAttribute('data-state-status', v.status);
      box.appendChild(badge);
      box.appendChild(el('p', 'small muted', 'Entered ' + v.entered + ' · duration ' + v.duration + (v.attempts > 1 ? ' · ' + v.attempts + ' attempts (' + (v.attempts - 1) + ' retries)' : '')));
      if (v.error || v.cause) {
        var alert = el('div', 'alert error');
        alert.appendChild(el('div', 'title', v.error || 'Error'));
        if (v.cause) alert.appendChild(el('pre', null, v.cause));
        box.appendChild(alert);
      }
      box.appendChild(el('h3', null, 'Input'));
      box.appendChild(el('pre', 'json state-input', v.input));
      if (v.inputCut) box.appendChild(el('p', 'small muted', 'Cut here; GetExecutionHistory returns it in full.'));
      box.appendChild(el('h3', null, 'Output'));
      box.appendChild(el('pre', 'json state-output', v.output === null ? '(none yet)' : v.output));
      if (v.outputCut) box.appendChild(el('p', 'small muted', 'Cut here; GetExecutionHistory returns it in full.'));
      panel.appendChild(box);
    });
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    var tr = t.closest('tr[data-visit]');
    if (tr && !t.closest('a,button,summary')) selectState(tr.getAttribute('data-state-name'), Number(tr.getAttribute('data-visit')));
    var fmt = t.closest('[data-format-json]');
    if (fmt) {
      var form = fmt.closest('form');
      var area = form && form.querySelector('textarea[name=input]');
      if (area) { try { area.value = JSON.stringify(JSON.parse(area.value), null, 2); setJsonError(form, ''); } catch (err) { setJsonError(form, 'Not valid JSON: ' + err.message); } }
    }
  });

  // ---- forms: JSON input checked before it leaves; confirmations.
  function setJsonError(form, text) {
    var out = form.querySelector('.json-error');
    if (out) out.textContent = text;
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.hasAttribute('data-validate-json')) {
      var area = form.querySelector('textarea[name=input]');
      var text = area ? area.value.trim() : '';
      try { JSON.parse(text === '' ? '{}' : text); setJsonError(form, ''); }
      catch (err) { e.preventDefault(); setJsonError(form, 'The input is not valid JSON: ' + err.message); return; }
    }
    var question = form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  });

  // ---- a machine's cost: estimated from execution histories, so asked for once the page is up.
  var cost = document.querySelector('[data-cost-url]');
  if (cost) {
    var costBody = document.getElementById('sw-cost');
    fetch(cost.getAttribute('data-cost-url'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        return r.json().then(function (d) {
          if (!r.ok) throw new Error((d && d.message) || ('HTTP ' + r.status));
          return d;
        });
      })
      .then(function (d) { if (costBody && typeof d.html === 'string') costBody.innerHTML = d.html; })
      .catch(function (err) {
        if (!costBody) return;
        costBody.textContent = '';
        var alert = el('div', 'alert error');
        alert.setAttribute('data-cost-error', '');
        alert.appendChild(el('div', 'title', 'The cost could not be estimated'));
        alert.appendChild(el('pre', null, err && err.message ? err.message : String(err)));
        costBody.appendChild(alert);
      });
  }

  // ---- live updates of a running execution.
  var live = document.querySelector('[data-poll-url]');
  if (live) {
    var url = live.getAttribute('data-poll-url');
    var last = Number(live.getAttribute('data-last-event')) || 0;
    var status = live.getAttribute('data-status') || '';
    var indicator = document.getElementById('sw-live');
    var replace = function (id, markup) {
      var node = document.getElementById(id);
      if (node && typeof markup === 'string') node.innerHTML = markup;
    };
    var apply = function (d) {
      var fragments = d.fragments || {};
      Object.keys(fragments).forEach(function (id) { replace(id, fragments[id]); });
      if (typeof d.diagram === 'string') diagrams.forEach(function (dg) { dg.canvas.innerHTML = d.diagram; dg.apply(); });
      var rows = document.getElementById('sw-history-rows');
      if (rows && d.historyRows) rows.insertAdjacentHTML('beforeend', d.historyRows);
      var count = document.getElementById('sw-history-count');
      if (count && d.historyCount !== undefined) count.textContent = String(d.historyCount);
      if (d.visits) visits = d.visits;
      last = d.lastEventId;
      status = d.status;
      live.setAttribute('data-status', status);
      live.setAttribute('data-last-event', String(last));
      highlight();
      renderPanel();
    };
    var tick = function () {
      fetch(url + '?after=' + last + '&status=' + encodeURIComponent(status), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) {
          if (r.status === 401) { if (indicator) indicator.textContent = 'Signed out: reload to sign in.'; return null; }
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        })
        .then(function (d) {
          if (!d) return;
          if (!d.unchanged) apply(d);
          if (d.done) { if (indicator) indicator.textContent = ''; live.removeAttribute('data-poll-url'); }
          else setTimeout(tick, 1500);
        })
        .catch(function () { setTimeout(tick, 3000); });
    };
    setTimeout(tick, 1500);
  }
})();
`;
