// Kinfer's live page: polls live/feed once a second and draws each pipeline. No libraries:
// event text is put in the page as text, never as HTML; pictures and clips load from
// live/content/<pipeline>/<number>.
'use strict';

const POLL_MS = 1000;
const WINDOW_MS = 5 * 60 * 1000;
const CHARTS = [
  { key: 'throughput', title: 'events / s', series: [['in', 'consumed', '--in'], ['out', 'enriched', '--out']] },
  { key: 'latency', title: 'end-to-end latency ms', series: [['p50', 'p50', '--p50'], ['p99', 'p99', '--p99']] },
  { key: 'batch', title: 'batch size (records)', series: [['batch', 'mean', '--batch']] },
  { key: 'dead', title: 'dead letters / s', series: [['dead', 'dead letters', '--dead']] },
];
const shown = new Map(); // pipeline -> ids of the results and dead letters on the page

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function color(variable) {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
}

function format(value) {
  if (value === null || value === undefined) return '–';
  if (value >= 100) return Math.round(value).toLocaleString('en');
  return (Math.round(value * 10) / 10).toString();
}

function pipelineCard(p) {
  let card = document.getElementById('pipeline-' + p.name);
  if (card) return card;
  card = el('section', { class: 'pipeline', id: 'pipeline-' + p.name });
  const charts = el('div', { class: 'charts' });
  for (const chart of CHARTS) {
    const legend = el('div', { class: 'legend' });
    for (const [, label, variable] of chart.series) {
      legend.append(el('span', { style: 'color:' + color(variable), text: '━ ' + label }));
    }
    charts.append(el('div', { class: 'chart' },
      el('h3', { text: chart.title }, el('span', { class: 'now', 'data-now': chart.key })),
      el('canvas', { 'data-chart': chart.key, width: 360, height: 110 }), legend));
  }
  card.append(
    el('h2', {}, el('span', { class: 'name', text: p.name }), el('span', { class: 'badge' }),
      el('span', { class: 'model' })),
    el('div', { class: 'reason' }),
    el('div', { class: 'totals' }),
    charts,
    el('div', { class: 'cols' },
      el('div', {}, el('h3', { text: 'Latest results' }), el('div', { class: 'results' })),
      el('div', {}, el('h3', { text: 'Latest dead letters' }), el('ul', { class: 'dead-letters' }))));
  document.getElementById('pipelines').append(card);
  return card;
}

function draw(canvas, samples, series, now) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 360;
  const height = canvas.clientHeight || 110;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  let max = 0;
  for (const s of samples) for (const [key] of series) if (s[key] != null) max = Math.max(max, s[key]);
  max = max <= 0 ? 1 : max * 1.15;
  const left = 34;
  const x = at => left + (width - left - 4) * (1 - (now - at) / WINDOW_MS);
  const y = v => height - 14 - (height - 22) * (v / max);
  g.strokeStyle = color('--line');
  g.fillStyle = color('--muted');
  g.font = '10px system-ui, sans-serif';
  g.lineWidth = 1;
  for (const fraction of [0, 0.5, 1]) {
    const value = max / 1.15 * fraction;
    g.beginPath(); g.moveTo(left, y(value)); g.lineTo(width - 4, y(value)); g.stroke();
    g.fillText(format(value), 2, y(value) + 3);
  }
  g.fillText('-5 min', left, height - 2);
  g.fillText('now', width - 24, height - 2);
  for (const [key, , variable] of series) {
    g.strokeStyle = color(variable);
    g.lineWidth = 1.6;
    g.beginPath();
    let drawing = false;
    for (const s of samples) {
      if (s[key] == null || now - s.at > WINDOW_MS) { drawing = false; continue; }
      if (drawing) g.lineTo(x(s.at), y(s[key])); else g.moveTo(x(s.at), y(s[key]));
      drawing = true;
    }
    g.stroke();
  }
}

function resultView(r) {
  const box = el('div', { class: 'result', 'data-event-id': r.eventId });
  const content = r.content || {};
  if (content.media === 'image') {
    box.append(el('img', { src: content.src, alt: 'image ' + r.eventId }));
  } else if (content.media === 'audio') {
    box.append(el('audio', { controls: '', preload: 'none', src: content.src }));
  } else if (content.text !== undefined) {
    box.append(el('div', { class: 'text', text: '“' + content.text + '”' }));
  } else if (content.note) {
    box.append(el('div', { class: 'meta', text: content.note }));
  }
  box.append(el('div', { class: 'label', text: r.topLabel }));
  for (const p of r.predictions.slice(0, 3)) {
    box.append(el('div', { class: 'bar' }, el('i', { style: 'width:' + Math.round(p.score * 60) + 'px' }),
      el('span', { text: p.label + ' ' + Math.round(p.score * 100) + '%' })));
  }
  box.append(el('div', { class: 'meta', text: r.eventId + ' · ' + format(r.endToEndMs)
    + ' ms end to end · batch of ' + r.batchSize }));
  return box;
}

function deadLetterView(d) {
  return el('li', { 'data-origin': d.origin },
    el('span', { class: 'stage', text: d.stage }), ' ',
    el('span', { class: 'reason-text', text: d.reason }),
    el('div', { class: 'meta', text: d.origin + ' · ' + d.at.replace('T', ' ').replace(/\..*/, '') }));
}

function render(feed) {
  const now = Date.parse(feed.at);
  for (const p of feed.pipelines || []) {
    // The server leaves out empty lists and unknown values.
    p.samples = p.samples || []; p.results = p.results || []; p.deadLetters = p.deadLetters || [];
    const card = pipelineCard(p);
    const badge = card.querySelector('.badge');
    badge.textContent = p.up ? 'UP · ' + p.state : 'DOWN · ' + p.state;
    badge.className = 'badge ' + (p.up ? 'up' : 'down');
    card.querySelector('.model').textContent = p.model.name + ' v' + p.model.version + ' on '
      + p.model.device + ' · ' + p.model.engine;
    card.querySelector('.reason').textContent = p.reason || '';
    const last = p.samples.length ? p.samples[p.samples.length - 1] : {};
    card.querySelector('.totals').replaceChildren(
      'consumed ', el('b', { class: 'consumed', text: p.consumed.toLocaleString('en') }),
      ' · enriched ', el('b', { class: 'enriched', text: p.enriched.toLocaleString('en') }),
      ' · dead-lettered ', el('b', { class: 'dead-lettered', text: p.deadLettered.toLocaleString('en') }));
    for (const chart of CHARTS) {
      draw(card.querySelector('[data-chart="' + chart.key + '"]'), p.samples, chart.series, now);
      card.querySelector('[data-now="' + chart.key + '"]').textContent =
        chart.series.map(([key]) => format(last[key])).join(' / ');
    }
    const ids = p.results.map(r => r.eventId).join() + '|' + p.deadLetters.map(d => d.at + d.origin).join();
    if (shown.get(p.name) !== ids) {
      shown.set(p.name, ids);
      const results = card.querySelector('.results');
      results.replaceChildren(...p.results.map(resultView));
      if (!p.results.length) results.append(el('div', { class: 'empty', text: 'no results yet' }));
      const letters = card.querySelector('.dead-letters');
      letters.replaceChildren(...p.deadLetters.map(deadLetterView));
      if (!p.deadLetters.length) letters.append(el('li', { class: 'empty', text: 'none' }));
    }
  }
  const status = document.getElementById('status');
  status.textContent = 'updated ' + new Date(now).toLocaleTimeString()
    + (feed.payloads ? '' : ' · event content hidden (kinfer.management.show-payloads=false)');
  status.className = 'status';
}

async function poll() {
  try {
    const response = await fetch('live/feed', { cache: 'no-store' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    render(await response.json());
  } catch (e) {
    const status = document.getElementById('status');
    status.textContent = 'cannot reach Kinfer (' + e.message + '); retrying';
    status.className = 'status stale';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

poll();
