// The Aicmo dashboard: a thin client of the API. No framework and no build step; every value is written with textContent.
const api = document.querySelector('meta[name="aicmo-api"]').content;
const keyName = 'aicmo.apiKey';
const view = document.getElementById('view');
const statusLine = document.getElementById('status');
const state = { caller: null, features: null, live: null };

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'rect', 'text', 'g', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const num = (n) => (n ?? 0).toLocaleString('en-US');
const pct = (r) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)}%`);
const when = (t) => (t ? new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' }) : '–');
const ms = (d) => (d < 1000 ? `${d} ms` : `${(d / 1000).toFixed(1)} s`);
const badge = (text, cls = text) => h('span', { class: `badge ${cls}` }, text);
const can = (scope) => state.caller?.scopes.includes(scope) ?? false;
const apiKey = () => sessionStorage.getItem(keyName);
const render = (...nodes) => view.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));

async function call(path, { method = 'GET', body } = {}) {
  const headers = { 'X-Api-Key': apiKey() ?? '', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401) {
    sessionStorage.removeItem(keyName);
    showSignIn('The API key was refused. Enter it again.');
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

function say(text, error = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', error);
}

function showSignIn(message = '') {
  document.getElementById('sign-in').hidden = false;
  document.getElementById('key-error').textContent = message;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('caller').textContent = '';
  render();
  document.getElementById('api-key').focus();
}

async function signedIn() {
  state.caller = await call('/me');
  if (!state.features) {
    // Optional parts of the API (schedules, erasure) are shown only when the host mapped them.
    const doc = await fetch(`${api}/openapi/aicmo.json`).then((r) => (r.ok ? r.json() : { paths: {} })).catch(() => ({ paths: {} }));
    const paths = Object.keys(doc.paths ?? {});
    state.features = { schedules: paths.some((p) => p.endsWith('/schedules')), erasures: paths.some((p) => p.endsWith('/erasures')) };
  }
  document.getElementById('sign-in').hidden = true;
  document.getElementById('sign-out').hidden = false;
  document.getElementById('caller').textContent = `${state.caller.name ?? 'anonymous'} (${state.caller.scopes.join(', ')})`;
}

async function route() {
  stopLive();
  say('');
  if (!apiKey()) return showSignIn();
  try {
    if (!state.caller) await signedIn();
    const hash = location.hash.replace(/^#/, '') || '/';
    const parts = hash.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'campaigns' && parts[1]) await campaignView(parts[1]);
    else if (parts[0] === 'leads' && parts[1]) await leadView(parts[1]);
    else if (parts[0] === 'leads') leadSearchView();
    else await overviewView();
    document.title = `${view.querySelector('h1')?.textContent ?? 'Dashboard'} · Aicmo`;
  } catch (e) {
    if (e.status !== 401) render(h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
  }
}

function cards(items) {
  return h('dl', { class: 'cards' }, items.map(([label, value, id]) => h('div', {}, h('dt', {}, label), h('dd', { 'data-metric': id }, value))));
}

function alertList(alerts) {
  if (!alerts.length) return h('p', { class: 'muted', id: 'no-alerts' }, 'No open alerts.');
  return h('ul', { id: 'alerts' }, alerts.map((a) => h('li', { 'data-alert': a.type, 'data-campaign': a.campaignId ?? '' },
    badge(a.severity), ' ', h('strong', {}, a.title), ' — ', a.detail)));
}

async function overviewView() {
  const [stats, alerts] = await Promise.all([call('/statistics'), call('/alerts')]);
  const rows = stats.campaignSummaries.map((c) => h('tr', { 'data-campaign': c.campaignId },
    h('td', {}, h('a', { href: `#/campaigns/${encodeURIComponent(c.campaignId)}` }, c.name ?? c.campaignId)),
    h('td', {}, badge(c.health)),
    h('td', {}, c.lastRun ? [badge(c.lastRun.status), ' ', when(c.lastRun.completedAt ?? c.lastRun.startedAt)] : h('span', { class: 'muted' }, 'never')),
    h('td', { class: 'num' }, num(c.leads)), h('td', { class: 'num' }, num(c.leadsThisWeek)),
    h('td', { class: 'num' }, num(c.sendsToday)), h('td', { class: 'num' }, num(c.openAlerts))));
  render(
    h('h1', {}, 'Overview'),
    cards([['Campaigns', num(stats.campaigns), 'campaigns'], ['Leads', num(stats.totalLeads), 'leads'],
      ['Leads this week', num(stats.leadsThisWeek), 'leads-this-week'], ['Sends today', num(stats.sendsToday), 'sends-today'],
      ['Qualified', pct(stats.conversionRates.qualified), 'qualified-rate'], ['Contacted', pct(stats.conversionRates.contacted), 'contacted-rate']]),
    h('section', { 'aria-labelledby': 'alerts-title' }, h('h2', { id: 'alerts-title' }, `Open alerts (${alerts.items.length})`), alertList(alerts.items)),
    h('section', { 'aria-labelledby': 'campaigns-title' }, h('h2', { id: 'campaigns-title' }, 'Campaigns'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'campaigns' },
        h('thead', {}, h('tr', {}, ['Campaign', 'Health', 'Last run'].map((t) => h('th', { scope: 'col' }, t)),
          ['Leads', 'This week', 'Sends today', 'Alerts'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
        h('tbody', {}, rows)))),
    h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: route }, 'Refresh')));
}

function funnelChart(funnel) {
  const max = Math.max(1, ...funnel.map((s) => s.count));
  const rowH = 30;
  const svg = h('svg', { viewBox: `0 0 640 ${funnel.length * rowH + 4}`, role: 'img', 'aria-labelledby': 'funnel-title' },
    h('title', {}, 'Funnel: leads reaching each step'),
    funnel.map((s, i) => h('g', {},
      h('text', { x: 0, y: i * rowH + 19 }, s.stage),
      h('rect', { x: 100, y: i * rowH + 4, height: rowH - 8, width: Math.max(1, Math.round((s.count / max) * 380)), rx: 3 }),
      h('text', { x: 490, y: i * rowH + 19 }, `${num(s.count)}${s.rate === null ? '' : ` · ${pct(s.rate)}`}`))));
  const table = h('table', { id: 'funnel-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Step'), h('th', { scope: 'col', class: 'num' }, 'Leads'), h('th', { scope: 'col', class: 'num' }, 'Of previous'))),
    h('tbody', {}, funnel.map((s) => h('tr', { 'data-stage': s.stage }, h('th', { scope: 'row' }, s.stage),
      h('td', { class: 'num', 'data-count': s.count }, num(s.count)), h('td', { class: 'num' }, pct(s.rate))))));
  return h('div', { class: 'funnel' }, svg, h('details', {}, h('summary', {}, 'Funnel as a table'), table));
}

function outcomes(d) {
  const names = { duplicates: 'Duplicates', disqualified: 'Disqualified', manualReview: 'Manual review', quarantined: 'Quarantined',
    suppressed: 'Suppressed', routed: 'Routed (waiting)', contacted: 'Contacted', inProgress: 'In progress' };
  return h('div', {},
    h('table', { id: 'outcomes' }, h('tbody', {}, Object.entries(d.outcomes).map(([k, v]) =>
      h('tr', { 'data-outcome': k }, h('th', { scope: 'row' }, names[k] ?? k), h('td', { class: 'num', 'data-count': v }, num(v)))))),
    d.disqualifiedReasons.length ? h('div', {}, h('h3', {}, 'Top disqualification reasons'),
      h('ol', { id: 'reasons' }, d.disqualifiedReasons.map((r) => h('li', {}, `${r.reason} — ${num(r.count)}`)))) : null);
}

function runsTable(runs) {
  if (!runs.length) return h('p', { class: 'muted' }, 'No runs yet.');
  return h('div', { class: 'table-wrap' }, h('table', { id: 'runs' },
    h('thead', {}, h('tr', {}, ['Started', 'Status'].map((t) => h('th', { scope: 'col' }, t)),
      ['Duration', 'Harvested', 'Success rate', 'Balanced'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
    h('tbody', {}, runs.map((r) => h('tr', { 'data-run': r.runId },
      h('td', {}, when(r.startedAt)), h('td', {}, badge(r.status)), h('td', { class: 'num' }, ms(r.durationMs)),
      h('td', { class: 'num' }, num(r.harvested)), h('td', { class: 'num' }, pct(r.successRate)),
      h('td', { class: 'num' }, r.balanced === null ? '–' : r.balanced ? 'yes' : 'no'))))));
}

async function campaignView(id) {
  const d = await call(`/campaigns/${encodeURIComponent(id)}/dashboard`);
  const running = d.recentRuns.find((r) => r.status === 'Running');
  const controls = can('operate') ? h('form', { class: 'inline', id: 'run-form', onsubmit: (e) => startRun(e, id) },
    h('label', {}, 'Max leads', h('input', { type: 'number', name: 'maxLeads', min: 1, id: 'max-leads', inputmode: 'numeric' })),
    h('button', { type: 'submit', id: 'start-run', disabled: !!running || !d.active }, 'Start run'),
    h('button', { type: 'button', id: 'cancel-run', class: 'secondary', hidden: !running, onclick: () => cancelRun() }, 'Cancel run')) : null;
  render(
    h('p', {}, h('a', { href: '#/' }, '← Overview')),
    h('h1', {}, d.name ?? d.campaignId, ' ', badge(d.health)),
    controls,
    h('section', { id: 'live', class: 'card live', hidden: true, 'aria-labelledby': 'live-title', 'aria-live': 'polite' }),
    cards([['Harvested', num(d.totals.harvested), 'harvested'], ['Qualified', num(d.totals.qualified), 'qualified'],
      ['Routed', num(d.totals.routed), 'routed'], ['Emails sent', num(d.totals.emailsSent), 'emails-sent'],
      ['Leads this week', num(d.leadsThisWeek), 'leads-this-week'], ['Sends today', num(d.sendsToday), 'sends-today']]),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'funnel-title' }, h('h2', { id: 'funnel-title' }, 'Funnel'), funnelChart(d.funnel)),
      h('section', { class: 'card', 'aria-labelledby': 'outcomes-title' }, h('h2', { id: 'outcomes-title' }, 'Where leads ended'), outcomes(d))),
    h('section', { 'aria-labelledby': 'calerts-title' }, h('h2', { id: 'calerts-title' }, 'Alerts'), alertList(d.alerts)),
    h('section', { 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Runs'), runsTable(d.recentRuns)),
    state.features.schedules ? h('section', { id: 'schedules', 'aria-labelledby': 'schedules-title' }, h('h2', { id: 'schedules-title' }, 'Schedules')) : null,
    h('p', { class: 'muted' }, `Last updated ${when(d.lastUpdated)}`));
  if (state.features.schedules) await schedules(id);
  if (running) follow(running.runId, id);
}

async function startRun(e, id) {
  e.preventDefault();
  const max = Number(document.getElementById('max-leads').value);
  try {
    const run = await call(`/campaigns/${encodeURIComponent(id)}/runs`, { method: 'POST', body: max > 0 ? { kind: 'full', maxLeads: max } : { kind: 'full' } });
    document.getElementById('start-run').disabled = true;
    document.getElementById('cancel-run').hidden = false;
    say(`Run ${run.runId} started.`);
    follow(run.runId, id);
  } catch (err) {
    say(`The run was not started: ${err.message}`, true);
  }
}

async function cancelRun() {
  if (!state.live) return;
  try {
    await call(`/runs/${state.live.runId}/cancel`, { method: 'POST' });
    say('Cancelling: in-flight leads finish or are checkpointed.');
  } catch (err) {
    say(`Not cancelled: ${err.message}`, true);
  }
}

function stopLive() {
  state.live?.abort.abort();
  state.live = null;
}

function liveTable(stages) {
  return h('table', { id: 'live-stages' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Stage'), ['In', 'Out', 'Queue', 'Quarantined'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
    h('tbody', {}, stages.map((s) => h('tr', { 'data-stage': s.name }, h('th', { scope: 'row' }, s.name),
      h('td', { class: 'num', 'data-in': s.in }, num(s.in)), h('td', { class: 'num', 'data-out': s.out }, num(s.out)),
      h('td', { class: 'num', 'data-queue': s.queueDepth ?? 0 }, num(s.queueDepth)), h('td', { class: 'num' }, num(s.quarantined))))));
}

// Server-sent events read with fetch streaming, because EventSource cannot send the API key header.
async function follow(runId, campaignId) {
  stopLive();
  const abort = new AbortController();
  state.live = { runId, abort };
  const panel = document.getElementById('live');
  panel.hidden = false;
  panel.replaceChildren(h('h2', { id: 'live-title' }, 'Run in progress'), h('p', { id: 'live-summary' }, 'Connecting…'));
  let res;
  try {
    res = await fetch(`${api}/runs/${runId}/events`, { headers: { 'X-Api-Key': apiKey(), Accept: 'text/event-stream' }, signal: abort.signal });
  } catch {
    return;
  }
  if (!res.ok || !res.body) return say(`Live progress unavailable (HTTP ${res.status}).`, true);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replaceAll('\r\n', '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        if (data && state.live?.runId === runId) onLive(JSON.parse(data), panel, campaignId);
      }
    }
  } catch (err) {
    if (err.name !== 'AbortError') say(`Live progress stopped: ${err.message}`, true);
  }
}

function onLive(msg, panel, campaignId) {
  const p = msg.payload;
  if (msg.type === 'progress') {
    const seconds = Math.max(p.elapsedMs, 1) / 1000;
    panel.replaceChildren(h('h2', { id: 'live-title' }, 'Run in progress'),
      h('p', { id: 'live-summary' }, `Harvested ${num(p.harvested)} · duplicates ${num(p.duplicates)} · `,
        h('span', { id: 'throughput' }, `${num(Math.round(p.harvested / seconds))} leads/s`), ` · ${ms(p.elapsedMs)}`),
      liveTable(p.stages));
  } else if (msg.type === 'complete') {
    // The server ends the stream after this message; it is left to end by itself rather than aborted.
    state.live = null;
    const start = document.getElementById('start-run');
    if (start) start.disabled = false;
    document.getElementById('cancel-run')?.setAttribute('hidden', '');
    panel.replaceChildren(h('h2', { id: 'live-title' }, 'Run finished'),
      h('p', { id: 'run-result', 'data-status': p.status, 'data-harvested': p.harvested, 'data-balanced': String(p.balanced) },
        badge(p.status), ` harvested ${num(p.harvested)} · duplicates ${num(p.duplicates)} · routed ${num(p.routed)} · contacted ${num(p.contacted)}`,
        ` · disqualified ${num(p.disqualified)} · quarantined ${num(p.quarantined)} · ${ms(p.durationMs)} · balanced: ${p.balanced ? 'yes' : 'no'}`),
      h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => campaignView(campaignId).catch((e) => say(e.message, true)) }, 'Show the updated funnel')));
  }
}

async function schedules(campaignId) {
  const section = document.getElementById('schedules');
  const list = await call(`/schedules?campaignId=${encodeURIComponent(campaignId)}`);
  const items = list.items ?? list;
  if (!items.length) return section.append(h('p', { class: 'muted' }, 'No schedules.'));
  const rows = [];
  for (const s of items) {
    const next = await call(`/schedules/${encodeURIComponent(s.id)}/occurrences?count=3`).catch(() => null);
    const fires = (next?.items ?? next?.occurrences ?? next ?? []).map((o) => when(o.at ?? o.fireAt ?? o)).join(', ');
    const paused = s.enabled === false || s.paused === true;
    rows.push(h('tr', { 'data-schedule': s.id }, h('td', {}, s.id), h('td', {}, h('code', {}, s.cron), ` ${s.timeZone ?? ''}`),
      h('td', {}, paused ? badge('paused', 'warning') : badge('active', 'healthy')), h('td', {}, fires || '–'),
      h('td', {}, can('operate') ? h('button', { type: 'button', class: 'secondary', 'data-action': paused ? 'resume' : 'pause',
        onclick: () => toggleSchedule(s.id, paused, campaignId) }, paused ? 'Resume' : 'Pause') : null)));
  }
  section.append(h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Schedule', 'Cron', 'State', 'Next fires', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows))));
}

async function toggleSchedule(id, paused, campaignId) {
  try {
    await call(`/schedules/${encodeURIComponent(id)}/${paused ? 'resume' : 'pause'}`, { method: 'POST' });
    await campaignView(campaignId);
  } catch (err) {
    say(`Schedule not changed: ${err.message}`, true);
  }
}

function leadSearchView(message) {
  render(h('h1', {}, 'Lead journey'),
    h('form', { class: 'inline', id: 'lead-search', role: 'search', onsubmit: searchLead },
      h('label', {}, 'Email or lead id', h('input', { name: 'q', id: 'lead-q', required: true, autocomplete: 'off' })),
      h('button', { type: 'submit' }, 'Find')),
    h('div', { id: 'lead-results' }, message ? h('p', { class: 'muted' }, message) : null));
}

async function searchLead(e) {
  e.preventDefault();
  const q = document.getElementById('lead-q').value.trim();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q)) {
    location.hash = `#/leads/${q.toLowerCase()}`;
    return;
  }
  const results = document.getElementById('lead-results');
  try {
    const page = await call(`/leads?email=${encodeURIComponent(q)}`);
    results.replaceChildren(page.items.length ? h('ul', {}, page.items.map((l) => h('li', {},
      h('a', { href: `#/leads/${l.id}` }, `${l.name ?? l.email} — ${l.campaignId}`), ' ', badge(l.status, '')))) : h('p', {}, 'No lead with that email.'));
  } catch (err) {
    results.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.message));
  }
}

async function leadView(id) {
  const [lead, outbox] = await Promise.all([call(`/leads/${encodeURIComponent(id)}`), call(`/leads/${encodeURIComponent(id)}/outbox`)]);
  const facts = [['Status', badge(lead.status, '')], ['Email', lead.email ?? '–'], ['Company', lead.company ?? '–'], ['Title', lead.title ?? '–'],
    ['Campaign', h('a', { href: `#/campaigns/${encodeURIComponent(lead.campaignId)}` }, lead.campaignId)],
    ['Score', lead.score ? `${lead.score.value.toFixed(2)} (${lead.score.grade})` : '–'],
    ['Qualification', lead.qualificationVerdict ? `${lead.qualificationVerdict}: ${lead.qualificationReasons.join('; ')}` : '–'],
    ['Routing', lead.routing ? `${lead.routing.team} / ${lead.routing.owner ?? 'no owner'} → ${lead.routing.sequence} (${lead.routing.rule}: ${lead.routing.reason})` : '–'],
    ['Nurture', lead.nurtureSequence ? `${lead.nurtureSequence} step ${lead.nurtureLastStep}: ${lead.nurtureOutcome} (${lead.nurtureReason})` : '–'],
    ['Fault', lead.fault ? `${lead.fault.stage}: ${lead.fault.errorType} — ${lead.fault.message}` : '–']];
  const erase = can('admin') && state.features.erasures && lead.email
    ? h('button', { type: 'button', class: 'danger', id: 'erase', onclick: () => eraseLead(lead) }, 'Erase this person') : null;
  render(
    h('p', {}, h('a', { href: '#/leads' }, '← Lead journey')),
    h('h1', {}, lead.name ?? lead.email ?? lead.id),
    h('dl', { class: 'cards', id: 'lead-facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v)))),
    lead.score?.components.length ? h('section', { 'aria-labelledby': 'score-title' }, h('h2', { id: 'score-title' }, 'Score components'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'score' }, h('thead', {}, h('tr', {}, ['Signal', 'Reason'].map((t) => h('th', { scope: 'col' }, t)),
        ['Weight', 'Value', 'Contribution'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
      h('tbody', {}, lead.score.components.map((c) => h('tr', {}, h('td', {}, c.signal), h('td', {}, c.reason),
        h('td', { class: 'num' }, c.weight.toFixed(2)), h('td', { class: 'num' }, c.rawValue.toFixed(2)), h('td', { class: 'num' }, c.contribution.toFixed(3)))))))) : null,
    h('section', { 'aria-labelledby': 'trail-title' }, h('h2', { id: 'trail-title' }, 'Timeline'),
      h('ol', { class: 'timeline', id: 'trail' }, lead.trail.map((e) => h('li', { 'data-to': e.to },
        h('strong', {}, `${e.stage}: ${e.from ?? '—'} → ${e.to}`), h('br'), e.reason, h('br'), h('span', { class: 'muted' }, when(e.at)))))),
    h('section', { 'aria-labelledby': 'outbox-title' }, h('h2', { id: 'outbox-title' }, 'Emails'),
      outbox.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'outbox' }, h('thead', {}, h('tr', {}, ['Step', 'Status', 'Subject', 'Sent', 'Error'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, outbox.map((o) => h('tr', {}, h('td', {}, `${o.sequence} #${o.step}`), h('td', {}, o.status), h('td', {}, o.subject),
          h('td', {}, when(o.sentAt)), h('td', {}, o.error ?? '')))))) : h('p', { class: 'muted' }, 'No emails.')),
    erase);
}

function confirmDialog(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

async function eraseLead(lead) {
  if (!(await confirmDialog(`Erase every copy of ${lead.email} in every campaign? This cannot be undone.`))) return;
  try {
    await call('/erasures', { method: 'POST', body: { email: lead.email } });
    leadSearchView('The person was erased; what remains is a keyed hash in the suppression list.');
  } catch (err) {
    say(`Not erased: ${err.message}`, true);
  }
}

document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(keyName, document.getElementById('api-key').value.trim());
  document.getElementById('api-key').value = '';
  state.caller = null;
  route();
});
document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(keyName);
  state.caller = null;
  route();
});
window.addEventListener('hashchange', route);
route();
