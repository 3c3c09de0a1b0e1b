/**
 * Opens rendered reports in headless Chromium from file:// and checks what a user would see: every chart drawn,
 * segment colours where they belong, no console errors, no network, and no markup injected by hostile names.
 * Set SEGMINT_REPORT_SCREENSHOT=/path.png to also keep a full-page screenshot of the typical report there, and
 * SEGMINT_VALUE_SCREENSHOTS=/path/prefix for the customer-value section at desktop and phone width
 * (`prefix-desktop.png`, `prefix-phone.png`).
 */

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SEGMENT_PALETTE } from '../../src/report/palette.js';
import type { ReportData } from '../../src/report/report-data.js';
import { renderReport } from '../../src/report/render-report.js';
import { buildSampleReportData } from './sample-report-data.js';

const CHROMIUM = '/usr/bin/chromium';
/** The customer-value section's charts, in page order, when every block is present. */
const VALUE_CHARTS = ['clv-range', 'clv-tracking', 'clv-holdout-frequency', 'value-score'];
const skip = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}; install it with: apt-get update && apt-get install -y chromium`;

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

/**
 * The few page globals the in-page checks touch. The project compiles without lib "dom" (it is Node code), so the
 * functions passed to `page.evaluate` cast `globalThis` to this instead of using DOM types.
 */
interface PageCanvas {
  width: number;
  height: number;
  dataset: Record<string, string | undefined>;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
interface PageGlobals {
  document: {
    querySelector(selector: string): unknown;
    querySelectorAll(selector: string): ArrayLike<unknown>;
    documentElement: { scrollWidth: number };
  };
  innerWidth: number;
  Chart: { getChart(el: unknown): { data: { datasets: { data: unknown[] }[] } } | undefined };
  __pwned?: number;
}

interface CanvasReport {
  kind: string;
  hasChart: boolean;
  width: number;
  height: number;
  painted: number;
  colours: number;
  /** Exact RGB colours present, as `#rrggbb`, for the overview and CLV range charts only (they are small). */
  palette: string[];
}

describe('report in headless Chromium', { skip, timeout: 120_000 }, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'segmint-report-'));

  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  async function open(
    name: string,
    data: ReportData,
    viewport = { width: 1280, height: 900 },
  ): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderReport(data));
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({
      viewport,
      timezoneId: 'UTC',
      locale: 'en-US',
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('request', (req) => {
      if (req.url() !== url) requests.push(req.url());
    });
    // Anything other than the page itself is recorded above and refused here, so a regression cannot hang.
    await context.route('**/*', (route) =>
      route.request().url() === url ? route.continue() : route.abort(),
    );
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('html[data-charts-drawn]', { timeout: 15_000 });
    return { page, errors, requests };
  }

  function inspectCanvases(page: Page): Promise<CanvasReport[]> {
    return page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      return Array.from(
        w.document.querySelectorAll('canvas[data-chart]') as ArrayLike<PageCanvas>,
        (canvas) => {
          const kind = canvas.dataset['chart'] ?? '';
          const ctx = canvas.getContext('2d');
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          const seen = new Set<number>();
          let painted = 0;
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3]! === 0) continue;
            painted++;
            if (data[i + 3] === 255) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          }
          return {
            kind,
            hasChart: w.Chart.getChart(canvas) !== undefined,
            width: canvas.width,
            height: canvas.height,
            painted,
            colours: seen.size,
            palette:
              kind === 'overview' || kind === 'clv-range'
                ? [...seen].map((c) => `#${c.toString(16).padStart(6, '0')}`)
                : [],
          };
        },
      );
    });
  }

  test('the typical report draws every chart, offline and without errors', async (t) => {
    const data = buildSampleReportData();
    const { page, errors, requests } = await open('typical', data);
    const canvases = await inspectCanvases(page);

    const kinds = canvases.map((c) => c.kind);
    assert.deepEqual(kinds, [
      'overview',
      ...data.segments.map(() => 'segment-z'),
      ...VALUE_CHARTS,
      'projection',
      'k-elbow',
      'k-silhouette',
      'k-gap',
      'k-stability',
      'silhouette-plot',
      'rejects',
    ]);
    assert.equal(await page.getAttribute('html', 'data-charts-drawn'), String(canvases.length));
    for (const c of canvases) {
      assert.ok(c.hasChart, `${c.kind}: a Chart.js instance is attached`);
      assert.ok(c.width > 100 && c.height > 100, `${c.kind}: canvas was sized (${c.width}×${c.height})`);
      // Axes and labels alone paint a few thousand pixels; bars, lines or points paint many more.
      assert.ok(c.painted > 0.02 * c.width * c.height, `${c.kind}: only ${c.painted} pixels painted`);
      assert.ok(c.colours >= 3, `${c.kind}: only ${c.colours} opaque colours`);
    }
    // The overview bars and the CLV boxes use the same colour per segment as every swatch on the page.
    for (const chart of canvases.filter((c) => c.palette.length > 0)) {
      for (const colour of SEGMENT_PALETTE.slice(0, data.segments.length)) {
        assert.ok(
          chart.palette.includes(colour.toLowerCase()),
          `segment colour ${colour} drawn in ${chart.kind}`,
        );
      }
    }
    assert.equal(await page.locator('#overview tbody .swatch').count(), data.segments.length);

    const scatterPoints = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      const chart = w.Chart.getChart(w.document.querySelector('#chart-projection'));
      return chart?.data.datasets.reduce((n, ds) => n + ds.data.length, 0);
    });
    assert.equal(scatterPoints, 2000, 'every projection point is plotted');

    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);

    const shot = join(dir, 'typical.png');
    await page.screenshot({ path: shot, fullPage: true });
    const keep = process.env['SEGMINT_REPORT_SCREENSHOT'];
    if (keep) copyFileSync(shot, keep);
    t.diagnostic(`screenshot: ${keep ?? shot}`);
    await page.context().close();
  });

  test('hostile long names, twelve segments and a fixed k stay text and still draw', async (t) => {
    const hostile = '</script><img src=x onerror="window.__pwned = 1">';
    const long = 'Occasional high-value gift buyers who only appear in the run-up to Christmas';
    const data = buildSampleReportData({ segments: 12, kSweep: false, names: [hostile, long, 'B'] });
    const { page, errors, requests } = await open('twelve', data);

    const canvases = await inspectCanvases(page);
    assert.equal(
      canvases.length,
      1 + 12 + VALUE_CHARTS.length + 1 + 1,
      'no k-selection chart when k was fixed',
    );
    for (const c of canvases) assert.ok(c.hasChart && c.painted > 0, `${c.kind} drawn`);
    assert.match((await page.textContent('#k-selection .note')) ?? '', /k = 12 was set in the configuration/);

    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned), undefined);
    const firstName = await page.textContent('#overview tbody tr:first-child .seg-text');
    assert.equal(firstName, hostile, 'the name is shown verbatim, as text');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);

    const shot = join(dir, 'twelve.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
    await page.context().close();
  });

  test('one segment, zero revenue, no categories, on a phone-sized screen', async (t) => {
    const data = buildSampleReportData({ segments: 1, kSweep: false, categories: false, revenue: 0 });
    const { page, errors, requests } = await open('single', data, { width: 390, height: 844 });
    const canvases = await inspectCanvases(page);
    assert.deepEqual(
      canvases.map((c) => c.kind),
      ['overview', 'segment-z', ...VALUE_CHARTS, 'projection', 'rejects'],
    );
    for (const c of canvases) assert.ok(c.hasChart && c.painted > 0, `${c.kind} drawn`);
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
    const shot = join(dir, 'single.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
    await page.context().close();
  });
  test('customer value: charts draw at desktop and phone width, without holdout, names stay text', async (t) => {
    const shots = process.env['SEGMINT_VALUE_SCREENSHOTS'];
    for (const [label, viewport, holdout] of [
      ['desktop', { width: 1280, height: 900 }, true],
      ['phone', { width: 400, height: 844 }, false],
    ] as const) {
      const data = buildSampleReportData({ holdout });
      // On the phone pass a description carries markup, which must show as text (the desktop shot stays clean).
      const description = holdout ? data.value!.rfm!.segments[0]!.description : '<b>bold?</b> & "quoted"';
      data.value!.rfm!.segments[0]!.description = description;
      const { page, errors, requests } = await open(`value-${label}`, data, viewport);
      const kinds = (await inspectCanvases(page)).filter(
        (c) => c.kind.startsWith('clv') || c.kind === 'value-score',
      );
      assert.deepEqual(
        kinds.map((c) => c.kind),
        holdout ? VALUE_CHARTS : ['clv-range', 'value-score'],
      );
      for (const c of kinds) {
        assert.ok(c.hasChart, `${label} ${c.kind}: a Chart.js instance is attached`);
        assert.ok(
          c.painted > 0.02 * c.width * c.height,
          `${label} ${c.kind}: only ${c.painted} pixels painted`,
        );
      }
      // The heat map and tables are HTML: all 25 cells, every named segment, the description as text.
      assert.equal(await page.locator('#value .rfm-cell').count(), 25);
      assert.equal(await page.locator('#value .rfm-seg-row').count(), data.value!.rfm!.segments.length);
      assert.equal(await page.locator('#value b:text("bold?")').count(), 0);
      assert.equal(await page.textContent('#value .rfm-seg-desc td'), description);
      if (!holdout) assert.match((await page.textContent('#value')) ?? '', /No holdout check/);
      const overflow = await page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });
      assert.ok(overflow <= 0, `${label}: page scrolls sideways by ${overflow}px`);
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, []);

      // The section alone, for a person to look at; clipped from the full page so the sticky nav stays out of it.
      const box = (await page.locator('#value').boundingBox())!;
      const shot = join(dir, `value-${label}.png`);
      await page.screenshot({
        path: shot,
        fullPage: true,
        clip: { x: 0, y: box.y - 8, width: viewport.width, height: box.height + 16 },
      });
      if (shots) copyFileSync(shot, `${shots}-${label}.png`);
      t.diagnostic(`screenshot: ${shots ? `${shots}-${label}.png` : shot}`);
      await page.context().close();
    }
  });
});
