// Ledgerlens review page: plain browser JavaScript, no build step, no third-party code.
// Talks to the same /v1 API as every client; the x-ledgerlens-client header makes a 401 ask the
// browser for its Basic credentials (the page itself is behind them).

const HEADERS = { 'x-ledgerlens-client': 'ui' };
const FIELD_ORDER = [
  'documentType', 'vendor.name', 'vendor.address', 'vendor.taxId', 'customer.name', 'customer.address', 'customer.taxId',
  'invoiceNumber', 'invoiceDate', 'dueDate', 'purchaseOrder', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total',
  'prepaid', 'amountDue', 'paymentTerms.text', 'paymentTerms.netDays', 'payment.iban', 'payment.bic', 'payment.accountHolder', 'payment.reference',
];
const FINAL = new Set(['completed', 'failed']);
const SVG = 'http://www.w3.org/2000/svg';

const app = document.getElementById('app');
const state = { filters: { status: '', needsReview: false }, queue: [], cursor: null, selected: 0, doc: null, poll: null };

/** Element helper: h('tag.class', { attrs, on: { click } }, children). Text is always set as text, never parsed. */
function h(spec, props = {}, children = []) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag);
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(props)) {
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of [].concat(children)) if (c !== null && c !== undefined) el.append(c);
  return el;
}
function s(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

async function api(path, options = {}) {
  const json = options.body !== undefined && !(options.body instanceof FormData);
  const res = await fetch(path, {
    ...options,
    headers: { ...HEADERS, ...(json ? { 'content-type': 'application/json' } : {}), ...(options.headers ?? {}) },
    body: json ? JSON.stringify(options.body) : options.body,
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try { const b = await res.json(); if (b.error) message = `${b.error.code}: ${b.error.message}`; } catch { /* not JSON */ }
    throw Object.assign(new Error(message), { status: res.status });
  }
  return (res.headers.get('content-type') ?? '').includes('json') ? res.json() : res;
}

let toastTimer;
function toast(message, error = false) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = error ? 'error' : '';
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, error ? 6000 : 2500);
}

const getPath = (record, path) => path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), record);
const show = (v) => (v === null || v === undefined ? '' : String(v));
const fmtDate = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function stopPolling() { clearTimeout(state.poll); state.poll = null; }

// ---------------------------------------------------------------- inbox

async function loadQueue(append = false) {
  const q = new URLSearchParams({ limit: '50' });
  if (state.filters.status) q.set('status', state.filters.status);
  if (state.filters.needsReview) q.set('needsReview', 'true');
  if (append && state.cursor) q.set('cursor', state.cursor);
  const page = await api(`/v1/review/documents?${q}`);
  state.queue = append ? state.queue.concat(page.documents) : page.documents;
  state.cursor = page.nextCursor;
}

function statusCell(item) {
  const d = item.document;
  const cell = h('td', {}, [h(`span.badge.${d.status}`, { text: d.status })]);
  if (d.status === 'failed') {
    cell.append(' ', h('code', { text: d.errorCode ?? '' }), ' ');
    cell.append(h('button', { text: 'Retry', 'data-action': 'retry', on: { click: (e) => { e.stopPropagation(); retry(d); } } }));
  } else if (!FINAL.has(d.status)) {
    cell.append(h('span.muted', { text: ` ${d.stage ?? ''} ${d.progress}%` }));
  }
  return cell;
}

function renderInbox() {
  const status = h('select', { 'aria-label': 'Status', on: { change: (e) => { state.filters.status = e.target.value; refreshInbox(); } } },
    ['', 'queued', 'processing', 'retrying', 'completed', 'failed'].map((v) => h('option', { value: v, text: v || 'all statuses', selected: state.filters.status === v })));
  const needs = h('input', { type: 'checkbox', id: 'needs-review', checked: state.filters.needsReview, on: { change: (e) => { state.filters.needsReview = e.target.checked; refreshInbox(); } } });
  const file = h('input', { type: 'file', multiple: true, accept: '.pdf,.png,.jpg,.jpeg,.tif,.tiff,.webp,.bmp,.xml', on: { change: (e) => upload([...e.target.files]) } });
  const drop = h('div.drop', { 'data-testid': 'drop', text: 'Drop invoices here to upload (PDF, images, e-invoice XML)' });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); upload([...e.dataTransfer.files]); });
  const rows = state.queue.map((item, i) => {
    const d = item.document; const r = item.review;
    return h(`tr${i === state.selected ? '.selected' : ''}`, { tabindex: 0, dataset: { id: d.id }, on: { click: () => open(d.id) } }, [
      h('td', {}, [h('a', { href: `#/doc/${d.id}`, text: d.fileName ?? d.id.slice(0, 12) })]),
      h('td.wide.muted', { text: fmtDate(d.createdAt) }),
      statusCell(item),
      h('td', { text: r?.vendor ?? '' }),
      h('td.num', { text: r?.total ? `${r.total} ${r.currency ?? ''}` : '' }),
      h('td', {}, r ? [r.reviewCount > 0 && !r.reviewed ? h('span.badge.review', { text: `${r.reviewCount} to review` }) : h('span.badge.ok', { text: r.reviewed ? 'reviewed' : 'ok' })] : []),
      h('td.wide.muted', { text: r && r.version > 1 ? `v${r.version}` : '' }),
    ]);
  });
  app.replaceChildren(
    h('form.filters', { on: { submit: (e) => e.preventDefault() } }, [
      h('label', {}, ['Status ', status]), h('label', {}, [needs, ' Needs review']), h('label', {}, ['Upload ', file]),
      h('button', { type: 'button', text: 'Refresh', on: { click: () => refreshInbox() } }),
      h('button', { type: 'button', text: 'Learn from reviews', title: 'Admin keys: learn from the reviewed documents (validated before use)', 'data-action': 'learn', on: { click: (e) => learnFromReviews(e.target) } }),
    ]),
    drop,
    h('table.docs', {}, [
      h('thead', {}, [h('tr', {}, ['Document', 'Uploaded', 'Status', 'Vendor', 'Total', 'Review', 'Version'].map((t, i) => h(`th${i === 1 || i === 6 ? '.wide' : ''}`, { text: t })))]),
      h('tbody', {}, rows.length ? rows : [h('tr', {}, [h('td.muted', { colspan: 7, text: 'No documents.' })])]),
    ]),
    state.cursor ? h('button', { text: 'Load more', on: { click: async () => { await loadQueue(true); renderInbox(); } } }) : '',
  );
  stopPolling();
  if (state.queue.some((i) => !FINAL.has(i.document.status))) state.poll = setTimeout(() => refreshInbox(), 2000);
}

/** POST /admin/learn (admin keys): the reviewed documents become a new learned version when validation finds it no worse. */
async function learnFromReviews(button) {
  button.disabled = true;
  toast('Learning from the reviewed documents…');
  try {
    const r = await api('/admin/learn', { method: 'POST', body: {} });
    const v = r.validation;
    const score = `${v.rightWith}/${v.fields} fields right with the others' memory, ${v.rightWithout}/${v.fields} without`;
    toast(r.version === null ? `Kept the current version: ${score}` : `Learned v${r.version} from ${r.documents} reviewed documents (${score})`);
  } catch (err) {
    toast(err.status === 403 ? 'Learning needs an admin key' : err.message, true);
  } finally {
    button.disabled = false;
  }
}

async function refreshInbox() {
  try { await loadQueue(); } catch (err) { toast(err.message, true); }
  if (!state.doc) renderInbox();
}

async function upload(files) {
  for (const f of files) {
    const form = new FormData();
    form.append('file', f, f.name);
    try { await api('/v1/documents', { method: 'POST', body: form }); toast(`Uploaded ${f.name}`); } catch (err) { toast(`${f.name}: ${err.message}`, true); }
  }
  await refreshInbox();
}

async function retry(doc) {
  try {
    await api(`/v1/failed/${doc.stage}-${doc.id}/retry`, { method: 'POST' });
    toast('Queued again');
  } catch (err) { toast(err.message, true); }
  if (state.doc) await openDoc(doc.id); else await refreshInbox();
}

// ---------------------------------------------------------------- document

function open(id) { location.hash = `#/doc/${id}`; }

async function openDoc(id) {
  stopPolling();
  const document_ = await api(`/v1/documents/${id}`);
  const doc = { id, document: document_, record: null, text: null, versions: [], version: null, active: null, words: {} };
  if (document_.status === 'completed') {
    const [versions, text] = await Promise.all([
      api(`/v1/documents/${id}/record/versions`),
      api(`/v1/documents/${id}/text`).catch(() => null),
    ]);
    doc.versions = versions.versions;
    doc.version = doc.versions.at(-1)?.version ?? 1;
    doc.record = await api(`/v1/documents/${id}/record/versions/${doc.version}`);
    doc.text = text;
  }
  const keep = state.doc?.id === id ? state.doc.active : null;
  state.doc = doc;
  renderDoc();
  if (keep) activate(keep, false);
  if (!FINAL.has(document_.status)) state.poll = setTimeout(() => { if (state.doc?.id === id) openDoc(id).catch((e) => toast(e.message, true)); }, 1500);
}

/** Field paths shown: the record's scalars in a fixed order, then every other path the record has info for. */
function fieldPaths(record) {
  const extra = Object.keys(record.fields).filter((p) => !FIELD_ORDER.includes(p)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return FIELD_ORDER.concat(extra);
}

function renderPages(doc) {
  if (!doc.text) return h('p.muted', { text: 'No page text for this document (an e-invoice read from its XML, or not processed yet).' });
  const fields = doc.record ? Object.entries(doc.record.fields) : [];
  return h('div.pages', {}, doc.text.pages.map((page) => {
    const box = h('div.page', { dataset: { page: page.number } });
    box.style.aspectRatio = `${page.width} / ${page.height}`; // CSSOM, not a style attribute: the CSP allows no inline styles
    const svg = s('svg', { viewBox: `0 0 ${page.width} ${page.height}`, preserveAspectRatio: 'none' });
    const img = h('img', { alt: `page ${page.number}` });
    api(`/v1/documents/${doc.id}/pages/${page.number}/image`).then((res) => res.blob()).then((blob) => { img.src = URL.createObjectURL(blob); }, () => {
      // No image (a render failed or the type has none): draw the words themselves.
      img.remove(); box.classList.add('text-only');
      for (const w of page.words) {
        const t = s('text', { x: w.bbox[0], y: w.bbox[3] - (w.bbox[3] - w.bbox[1]) * 0.2, 'font-size': Math.max(1, (w.bbox[3] - w.bbox[1]) * 0.8) });
        t.textContent = w.text;
        svg.prepend(t);
      }
    });
    page.words.forEach((w, index) => {
      const [x0, y0, x1, y1] = w.bbox;
      const r = s('rect', { class: 'word', x: x0, y: y0, width: Math.max(0.5, x1 - x0), height: Math.max(0.5, y1 - y0), 'data-index': index });
      const title = s('title'); title.textContent = w.text; r.append(title);
      r.addEventListener('click', () => pickWord(page.number, index, w.text));
      svg.append(r);
    });
    for (const [path, info] of fields) {
      const p = info.provenance;
      if (!p || !p.bbox || p.page !== page.number) continue;
      const [x0, y0, x1, y1] = p.bbox;
      svg.append(s('rect', { class: `field${info.review ? ' review' : ''}`, 'data-path': path, x: x0 - 1, y: y0 - 1, width: x1 - x0 + 2, height: y1 - y0 + 2 }));
    }
    box.append(img, svg, h('span.pno', { text: `page ${page.number}` }));
    return box;
  }));
}

function fieldRow(doc, path) {
  const info = doc.record.fields[path];
  const value = show(getPath(doc.record, path));
  const input = h('input', { value, 'aria-label': path, name: path, autocomplete: 'off' });
  input.addEventListener('focus', () => activate(path));
  input.addEventListener('input', () => {
    input.classList.toggle('changed', input.value !== value);
    if (input.value === '') doc.words[path] = [];
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); saveField(path); }
    if (e.key === 'Escape') { input.value = value; input.classList.remove('changed'); doc.words[path] = []; markPicked(); input.blur(); }
  });
  const conf = info ? `${Math.round(info.confidence * 100)}%` : '';
  return h(`li.field-row${info?.review ? '.review' : ''}`, { dataset: { path }, on: { click: () => activate(path, false) } }, [
    h('label', { for: null }, [h('span', { text: path }), h('span', {}, [info?.review ? h('span.badge.review', { text: 'review' }) : '', ` ${conf}`])]),
    h('div.edit', {}, [input, h('button', { title: 'Save / accept (Enter)', text: '✓', 'data-action': 'save', on: { click: (e) => { e.stopPropagation(); saveField(path); } } })]),
    info?.provenance ? h('div.src', { text: `p${info.provenance.page}: “${info.provenance.text}”` }) : null,
  ]);
}

function renderDoc() {
  const doc = state.doc; const d = doc.document;
  const idx = state.queue.findIndex((i) => i.document.id === doc.id);
  const head = h('div.doc-head', {}, [
    h('a', { href: '#/', text: '← Inbox' }),
    h('h1', { text: d.fileName ?? d.id.slice(0, 12) }),
    h(`span.badge.${d.status}`, { text: d.status }),
    doc.version ? h('span.muted', { 'data-testid': 'version', text: `version ${doc.version}` }) : null,
    doc.versions.at(-1)?.reviewed ? h('span.badge.ok', { text: 'reviewed' }) : null,
    h('span.spacer'),
    h('button', { text: '[ previous', disabled: idx <= 0, on: { click: () => step(-1) } }),
    h('button', { text: 'next ]', disabled: idx < 0 || idx >= state.queue.length - 1, on: { click: () => step(1) } }),
    doc.record ? h('button.primary', { text: 'Confirm document (c)', 'data-action': 'confirm', on: { click: () => confirmDoc() } }) : null,
  ]);
  const children = [head];
  if (d.status === 'failed') {
    children.push(h('div.error-box', {}, [h('strong', { text: d.errorCode ?? 'failed' }), ` ${d.errorMessage ?? ''} `, h('button', { text: 'Retry', on: { click: () => retry(d) } })]));
  } else if (!FINAL.has(d.status)) {
    children.push(h('p.muted', { text: `${d.status}: ${d.stage ?? ''} ${d.progress}%…` }));
  }
  if (doc.record) {
    const paths = fieldPaths(doc.record);
    const reviewCount = Object.values(doc.record.fields).filter((f) => f.review).length;
    children.push(h('div.doc', {}, [
      renderPages(doc),
      h('aside.fields', {}, [
        h('h2', {}, [h('span', { text: 'Fields' }), h('span.muted', { text: reviewCount ? `${reviewCount} under review` : 'none under review' })]),
        h('ol', {}, paths.map((p) => fieldRow(doc, p))),
        h('details.versions', {}, [
          h('summary', { text: `History (${doc.versions.length} version${doc.versions.length === 1 ? '' : 's'})` }),
          h('ol', {}, doc.versions.map((v) => h('li', { text: `v${v.version} ${v.kind} ${fmtDate(v.createdAt)}${v.author ? ` by ${v.author.user ?? v.author.keyId}` : ''}${v.changes.length ? `: ${v.changes.map((c) => `${c.path} ${show(c.from) || '∅'} → ${show(c.to) || '∅'}`).join('; ')}` : ''}` }))),
        ]),
      ]),
    ]));
  }
  app.replaceChildren(...children);
}

function activate(path, focus = true) {
  const doc = state.doc;
  if (!doc?.record) return;
  doc.active = path;
  for (const el of app.querySelectorAll('.field-row.active, rect.field.active')) el.classList.remove('active');
  const row = app.querySelector(`.field-row[data-path="${CSS.escape(path)}"]`);
  row?.classList.add('active');
  if (focus) row?.querySelector('input')?.focus({ preventScroll: true });
  row?.scrollIntoView({ block: 'nearest' });
  const box = app.querySelector(`rect.field[data-path="${CSS.escape(path)}"]`);
  if (box) { box.classList.add('active'); box.parentNode.append(box); box.closest('.page')?.scrollIntoView({ block: 'nearest' }); }
  markPicked();
}

/** Clicking a word while a field is active puts its text into the field (further clicks append). */
function pickWord(page, index, text) {
  const doc = state.doc;
  if (!doc?.active) { toast('Choose a field first, then click the words that hold its value'); return; }
  const input = app.querySelector(`.field-row[data-path="${CSS.escape(doc.active)}"] input`);
  const words = doc.words[doc.active] ?? [];
  if (words.some((w) => w.page === page && w.index === index)) return;
  doc.words[doc.active] = words.concat([{ page, index }]);
  input.value = words.length === 0 ? text : `${input.value} ${text}`;
  input.classList.add('changed');
  input.focus({ preventScroll: true });
  markPicked();
}

function markPicked() {
  for (const el of app.querySelectorAll('rect.word.picked')) el.classList.remove('picked');
  const doc = state.doc;
  for (const w of doc?.words[doc.active] ?? []) app.querySelector(`.page[data-page="${w.page}"] rect.word[data-index="${w.index}"]`)?.classList.add('picked');
}

function edits(only) {
  const doc = state.doc; const out = {};
  for (const input of app.querySelectorAll('.field-row input')) {
    const path = input.name;
    if (only && path !== only) continue;
    const changed = input.value !== show(getPath(doc.record, path));
    if (!changed && path !== only) continue;
    const words = doc.words[path] ?? [];
    out[path] = words.length ? { value: input.value, words } : input.value;
  }
  return out;
}

async function patch(body, message) {
  const doc = state.doc;
  try {
    const res = await api(`/v1/documents/${doc.id}/record`, { method: 'PATCH', body: { ...body, baseVersion: doc.version } });
    doc.words = {};
    toast(`${message}: version ${res.version.version}`);
    await openDoc(doc.id);
    return true;
  } catch (err) {
    toast(err.message, true);
    return false;
  }
}

async function saveField(path) {
  if (await patch({ fields: edits(path) }, `Saved ${path}`)) nextReview(1, path);
}

async function confirmDoc() {
  if (!state.doc?.record) return;
  await patch({ fields: edits(null), reviewed: true }, 'Document confirmed');
}

function nextReview(dir, from = state.doc?.active) {
  const doc = state.doc;
  if (!doc?.record) return;
  const review = fieldPaths(doc.record).filter((p) => doc.record.fields[p]?.review);
  if (review.length === 0) { toast('No field under review'); return; }
  const all = fieldPaths(doc.record);
  const at = from ? all.indexOf(from) : -1;
  const after = review.filter((p) => (dir > 0 ? all.indexOf(p) > at : all.indexOf(p) < at));
  activate((dir > 0 ? after[0] : after.at(-1)) ?? (dir > 0 ? review[0] : review.at(-1)));
}

function step(dir) {
  const idx = state.queue.findIndex((i) => i.document.id === state.doc?.id);
  const next = state.queue[idx + dir];
  if (next) open(next.document.id);
}

// ---------------------------------------------------------------- keys and routing

document.addEventListener('keydown', (e) => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  if (typing || e.metaKey || e.ctrlKey || e.altKey) return;
  if (state.doc) {
    const keys = { n: () => nextReview(1), j: () => nextReview(1), p: () => nextReview(-1), k: () => nextReview(-1), a: () => state.doc.active && saveField(state.doc.active), c: () => confirmDoc(), ']': () => step(1), '[': () => step(-1), Escape: () => { location.hash = '#/'; } };
    const fn = keys[e.key];
    if (fn) { e.preventDefault(); fn(); }
    return;
  }
  if (e.key === 'j' || e.key === 'k') {
    state.selected = Math.max(0, Math.min(state.queue.length - 1, state.selected + (e.key === 'j' ? 1 : -1)));
    renderInbox();
    app.querySelector('tr.selected')?.focus();
  } else if (e.key === 'Enter' && state.queue[state.selected]) {
    open(state.queue[state.selected].document.id);
  }
});

async function route() {
  stopPolling();
  const m = /^#\/doc\/([0-9a-f]{64})$/.exec(location.hash);
  try {
    if (m) {
      if (state.queue.length === 0) await loadQueue().catch(() => undefined);
      const i = state.queue.findIndex((q) => q.document.id === m[1]);
      if (i >= 0) state.selected = i;
      await openDoc(m[1]);
    } else {
      state.doc = null;
      await loadQueue();
      renderInbox();
    }
  } catch (err) {
    app.replaceChildren(h('div.error-box', { text: err.message }), h('a', { href: '#/', text: '← Inbox' }));
  }
}

window.addEventListener('hashchange', route);
route();
