/**
 * The personas section in headless Chromium, in the real report page (its CSS and Content-Security-Policy), as
 * renderReport places it after the profiles, checked as a user sees it — every card
 * laid out, bars drawn, no overflow at phone width, no console errors. Set SEGMINT_PERSONAS_SCREENSHOTS=/path/prefix
 * to keep `prefix-desktop.png` and `prefix-phone.png`.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderReport } from '../../src/report/render-report.js';
import { buildSamplePersonas } from './sample-persona-data.js';
import { buildSampleReportData } from './sample-report-data.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}`;

interface PageGlobals {
  document: {
    querySelectorAll(
      selector: string,
    ): ArrayLike<{ getBoundingClientRect(): { width: number; height: number; right: number } }>;
    documentElement: { scrollWidth: number };
  };
  innerWidth: number;
}

describe('personas section in Chromium', { skip }, () => {
  let browser: Browser;
  let url: string;
  const cards = 5;

  before(async () => {
    const data = buildSampleReportData({ currency: 'GBP' });
    data.personas = buildSamplePersonas(data, { campaigns: true });
    const html = renderReport(data);
    assert.equal(html.split('id="personas"').length, 2, 'the section appears once');
    const dir = mkdtempSync(join(tmpdir(), 'segmint-personas-'));
    writeFileSync(join(dir, 'report.html'), html);
    url = pathToFileURL(join(dir, 'report.html')).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(() => browser?.close());

  for (const [name, width] of [
    ['desktop', 1280],
    ['phone', 390],
  ] as const) {
    test(`${name}: every card laid out, bars drawn, nothing wider than the screen`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      const r = await page.evaluate(() => {
        // No named helper functions in here: tsx would wrap them in a `__name` call the page does not have.
        const g = globalThis as unknown as PageGlobals;
        return {
          cards: Array.from(g.document.querySelectorAll('#personas .persona-card'), (e) =>
            e.getBoundingClientRect(),
          ),
          bars: Array.from(g.document.querySelectorAll('#personas .persona-bars span'), (e) =>
            e.getBoundingClientRect(),
          ),
          scrollWidth: g.document.documentElement.scrollWidth,
          innerWidth: g.innerWidth,
        };
      });
      assert.equal(r.cards.length, cards);
      assert.ok(
        r.cards.every((c) => c.width > 250 && c.height > 200),
        JSON.stringify(r.cards),
      );
      assert.equal(r.bars.length, cards * 31);
      assert.ok(
        r.bars.every((b) => b.height > 0),
        'every bar has a height',
      );
      assert.ok(r.scrollWidth <= r.innerWidth, `page scrolls sideways: ${r.scrollWidth} > ${r.innerWidth}`);
      assert.deepEqual(errors, []);
      const prefix = process.env['SEGMINT_PERSONAS_SCREENSHOTS'];
      // The sticky section nav would sit over an element screenshot: hidden for the picture only.
      if (prefix) {
        await page.addStyleTag({ content: 'nav { display: none !important; }' }).catch(() => undefined);
        await page.locator('#personas').screenshot({ path: `${prefix}-${name}.png` });
      }
      await page.close();
    });
  }
});
