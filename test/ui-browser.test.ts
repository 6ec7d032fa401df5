import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../src/service/api/app.js';
import { listVersions, getRecordVersion } from '../src/service/record-versions.js';
import { API_KEY, redisAvailable, SKIP_MESSAGE, startHarness, type Harness } from './service-harness.js';
import { createReviewStages, reviewDocument } from './ui-stages.fixture.js';

/**
 * Issue 15: the review page in a real headless Chromium (Debian's chromium, driven by playwright-core;
 * no browser download). Skipped with a message where either is missing; .ci/run installs both.
 * LEDGERLENS_UI_SCREENSHOTS=<dir> also saves a screenshot of each screen there.
 */
const CHROMIUM = process.env.LEDGERLENS_CHROMIUM ?? '/usr/bin/chromium';
const playwright = await import('playwright-core').catch(() => null);
const skip = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM}: apt-get install chromium (or set LEDGERLENS_CHROMIUM) to run the browser test`
  : !playwright ? 'playwright-core is not installed: npm install' : (await redisAvailable()) ? false : SKIP_MESSAGE;
const SHOTS = process.env.LEDGERLENS_UI_SCREENSHOTS;

describe('review page in headless Chromium', { skip }, () => {
  let h: Harness;
  let app: FastifyInstance;
  let base: string;
  let browser: import('playwright-core').Browser;

  before(async () => {
    h = await startHarness(createReviewStages());
    app = await buildApi(h.ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await playwright!.chromium.launch({
      executablePath: CHROMIUM, headless: true,
      // The machine has no network: Chromium's background connections would only fail.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => { await browser?.close(); await app?.close(); await h?.close(); });

  test('upload on /ui, see the boxes, correct a field by typing and one by clicking its words, confirm: each a stored version', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'reviewer', password: API_KEY }, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${base}/ui`);
    await page.locator('input[type="file"]').setInputFiles({ name: 'browser.pdf', mimeType: 'application/pdf', buffer: reviewDocument('Paid 119.00') });
    // the inbox polls while the document is in the pipeline
    const row = page.locator('tr[data-id]', { hasText: 'browser.pdf' });
    await row.filter({ hasText: '2 to review' }).waitFor({ timeout: 30_000 });
    const id = (await row.getAttribute('data-id'))!;
    assert.equal((await h.ctx.state.get(id))?.fileName, 'browser.pdf');
    if (SHOTS) { await mkdir(SHOTS, { recursive: true }); await page.screenshot({ path: `${SHOTS}/review-inbox.png` }); }
    await row.click();

    // the document: every word as a box, the provenance boxes drawn, fields under review marked
    await page.locator('.field-row[data-path="total"].review').waitFor();
    const text = await (await fetch(`${base}/v1/documents/${id}/text`, { headers: { authorization: `Bearer ${API_KEY}` } })).json() as { pages: { words: { text: string }[] }[] };
    assert.equal(await page.locator('rect.word').count(), text.pages[0]!.words.length);
    assert.equal(await page.locator('rect.field.review[data-path="total"]').count(), 1);
    assert.equal(await page.locator('rect.field[data-path="invoiceNumber"]:not(.review)').count(), 1);
    await page.locator('.page.text-only').waitFor(); // the test PDF cannot be rendered: the page draws its words

    // keyboard: n jumps to the first field under review
    await page.keyboard.press('n');
    assert.equal(await page.locator('.field-row.active').getAttribute('data-path'), 'invoiceDate');
    assert.equal(await page.locator('rect.field.active').getAttribute('data-path'), 'invoiceDate');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-document.png` });

    // type a value: normalised to a decimal, saved as version 2
    const total = page.locator('.field-row[data-path="total"] input');
    await total.fill('119,00');
    await total.press('Enter');
    await page.locator('[data-testid="version"]', { hasText: 'version 2' }).waitFor();

    // click the words that hold a value
    await page.locator('.field-row[data-path="vendor.name"] input').click();
    const words = text.pages[0]!.words;
    await page.locator(`rect.word[data-index="${words.findIndex((w) => w.text === 'Invoice')}"]`).click();
    await page.locator(`rect.word[data-index="${words.findIndex((w) => w.text === 'INV-1001')}"]`).click();
    assert.equal(await page.locator('.field-row[data-path="vendor.name"] input').inputValue(), 'Invoice INV-1001');
    await page.locator('.field-row[data-path="vendor.name"] input').press('Enter');
    await page.locator('[data-testid="version"]', { hasText: 'version 3' }).waitFor();

    await page.locator('[data-action="confirm"]').click();
    await page.locator('[data-testid="version"]', { hasText: 'version 4' }).waitFor();
    assert.equal(await page.locator('.field-row.review').count(), 0);
    // back in the inbox, "Learn from reviews" is an admin action: this reviewer's member key is refused
    await page.goto(`${base}/ui#/`);
    await page.locator('[data-action="learn"]').click();
    await page.locator('#toast', { hasText: 'Learning needs an admin key' }).waitFor();
    await context.close();

    const versions = await listVersions(h.ctx, (await h.ctx.state.get(id))!);
    assert.deepEqual(versions.map((v) => [v.version, v.kind, v.author?.user ?? null]), [[1, 'extracted', null], [2, 'correction', 'reviewer'], [3, 'correction', 'reviewer'], [4, 'confirmation', 'reviewer']]);
    assert.deepEqual(versions[1]!.changes.map((c) => [c.path, c.from, c.to]), [['total', '123.45', '119.00']]);
    const { record } = await getRecordVersion(h.ctx, (await h.ctx.state.get(id))!);
    assert.equal(record.total, '119.00');
    assert.equal(record.vendor.name, 'Invoice INV-1001');
    assert.equal(record.fields['vendor.name']!.provenance?.text, 'Invoice INV-1001');
    assert.ok(Object.values(record.fields).every((f) => !f.review));
    assert.deepEqual(errors, [], 'no script errors on the page');
  });
});
