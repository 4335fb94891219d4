/**
 * The window's benchmarks (issue 6, cases 3 and 4), in Chromium through browser mode with a real core
 * in this process: a session of N messages in the table, and a live tail under a steady producer.
 * Figures only: nothing here passes or fails on a time.
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import type { ClusterInfo } from '../infra/kafka';
import { createCore } from '../../electron/core';
import { KeyFileSecretBox } from '../../electron/core/secrets/keyFileSecretBox';
import { startWebServer } from '../../electron/web/server';
import { dispatch } from '../../electron/core/dispatch';

const browserArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN;
const mb = (bytes: number) => Math.round(bytes / 1048576);

export interface TableFigures {
  firstRowsMs: number;
  scroll: { frames: number; p50: number; p95: number };
  substringMs: number;
  substringFirstMs: number;
  substringMatches: string;
  jsonPathMs: number;
  jsonPathFirstMs: number;
  jsonPathMatches: string;
  heapMB: number;
  rssMB: number;
}
export interface TailFigures {
  produced: number;
  received: number;
  latency: { samples: number; p50: number; p99: number };
  frames: number;
  dropped: number;
  heapMB: number;
  rssMB: number;
}

async function heap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return mb(usedSize);
}

/**
 * Frame times (requestAnimationFrame deltas) over `ms`, scrolling the message table when `scroll`: a
 * steady wheel-like scroll with a long jump every second (dragging the scrollbar). Browser code is
 * given as text: this file is type-checked for Node, without the DOM's types.
 */
function frames(page: Page, ms: number, scroll: boolean): Promise<number[]> {
  return page.evaluate(`(async () => {
    const el = document.querySelector('[data-testid=message-scroller]');
    const deltas = [];
    let last = performance.now();
    const end = last + ${ms};
    let y = 0;
    await new Promise((resolve) => {
      const step = (t) => {
        deltas.push(t - last);
        last = t;
        if (${scroll} && el) {
          y = deltas.length % 60 === 0 ? Math.random() * el.scrollHeight : y + 400;
          el.scrollTop = y % el.scrollHeight;
        }
        if (t < end) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    return deltas.slice(1);
  })()`);
}

/** Runs `fn` against browser mode over a core on `dataDir`. */
async function withWindow<T>(
  dataDir: string,
  fn: (page: Page, origin: string, handlers: ReturnType<typeof createCore>['handlers']) => Promise<T>,
): Promise<T> {
  const core = createCore({ host: 'web', dataDir, version: 'bench', secrets: new KeyFileSecretBox(dataDir) });
  const server = await startWebServer({ core, rendererDir: 'out/renderer', port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: browserArgs,
  });
  try {
    // string predicates are evaluated in the page (this file has no DOM types); the app's CSP forbids that
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await page.goto(server.url);
    return await fn(page, server.origin, core.handlers);
  } finally {
    await browser.close();
    await core.listens.stopAll();
    await server.close();
    core.sessions.close();
  }
}

/** Case 3: a capture of N messages (written by `consume --capture`) opened in the window. */
export function tableCase(dataDir: string, captureName: string, scrollMs: number): Promise<TableFigures> {
  return withWindow(dataDir, async (page, origin, handlers) => {
    const list = await dispatch(handlers, 'captures.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const capture = (list.value as { id: number; name: string }[]).find((c) => c.name === captureName);
    if (!capture) throw new Error(`no capture named ${captureName}`);
    const count = page.getByTestId('capture-table-count');
    const t0 = Date.now();
    await page.goto(`${origin}/#/captures/${capture.id}`);
    await page.locator('[data-testid=capture-table] [role=row][data-testid^="message-"]').first().waitFor();
    const firstRowsMs = Date.now() - t0;
    const deltas = await frames(page, scrollMs, true);
    /**
     * From typing to the first matching rows drawn (the count still running), and to the count shown.
     * Timed in the page: this process also runs the core, whose search would hold up Playwright's polling.
     */
    const filterMs = async (fill: () => Promise<void>) => {
      await page.evaluate(`(() => {
        const c = document.querySelector('[data-testid=capture-table-count]');
        const before = c.textContent;
        const m = (window.__filter = { input: 0, first: 0, done: 0 });
        document.addEventListener('input', () => { if (!m.input) m.input = performance.now(); }, { capture: true });
        const o = new MutationObserver(() => {
          const t = performance.now();
          if (c.textContent === before) return;
          if (!m.first) m.first = t;
          if (c.getAttribute('data-loading') === 'no' && !c.textContent.includes('counting')) { m.done = t; o.disconnect(); }
        });
        o.observe(c, { subtree: true, childList: true, characterData: true, attributes: true });
      })()`);
      await fill();
      await page.waitForFunction('window.__filter.done > 0', undefined, { timeout: 600_000, polling: 50 });
      const m = (await page.evaluate('window.__filter')) as { input: number; first: number; done: number };
      return { first: Math.round(m.first - m.input), counted: Math.round(m.done - m.input) };
    };
    const box = page.getByTestId('capture-table-filter').locator('input');
    const substring = await filterMs(() => box.fill('"seq":42'));
    const substringMatches = (await count.textContent()) ?? '';
    await box.fill('');
    await page.waitForFunction(
      `!document.querySelector('[data-testid=capture-table-count]').textContent.includes(' of ')`,
      undefined,
      { timeout: 600_000 },
    );
    await page.getByTestId('capture-table-more-filters').click();
    const jsonPath = await filterMs(() =>
      page.getByTestId('capture-table-json-path').locator('input').fill('$.seq=42'),
    );
    const jsonPathMatches = (await count.textContent()) ?? '';
    return {
      firstRowsMs,
      scroll: { frames: deltas.length, p50: pct(deltas, 0.5), p95: pct(deltas, 0.95) },
      substringMs: substring.counted,
      substringFirstMs: substring.first,
      substringMatches,
      jsonPathMs: jsonPath.counted,
      jsonPathFirstMs: jsonPath.first,
      jsonPathMatches,
      heapMB: await heap(page),
      rssMB: mb(process.memoryUsage().rss),
    };
  });
}

/**
 * Case 4: Listen in the window while kcat writes `rate` messages a second for `seconds` (fed in slices
 * every 50 ms). Latency is the time from a message's CreateTime (set by the producer) to its row being
 * drawn, for the rows drawn (a sample at high rates); frames over 2 × 16.7 ms count as dropped.
 */
export function liveTailCase(
  dataDir: string,
  k: ClusterInfo,
  topic: string,
  rate: number,
  seconds: number,
): Promise<TailFigures> {
  return withWindow(dataDir, async (page, origin, handlers) => {
    const saved = await dispatch(handlers, 'connections.save', {
      name: 'bench',
      bootstrapServers: [k.listeners.plaintext],
      sasl: { mechanism: 'none' },
      tls: { enabled: false },
    });
    if (!saved.ok) throw new Error(saved.error.message);
    await page.goto(`${origin}/#/connections/${(saved.value as { id: string }).id}/listen`);
    await page.getByTestId('listen-topic').click();
    await page.getByTestId('listen-topic').locator('input').first().fill(topic);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByTestId('listen-start').click();
    await page.getByTestId('listen-state').filter({ hasText: 'running' }).waitFor({ timeout: 60_000 });
    // watch rows as they are drawn: latency from the producer's timestamp
    await page.evaluate(`(() => {
      window.__lat = [];
      const seen = new Set();
      new MutationObserver(() => {
        const now = Date.now();
        for (const el of document.querySelectorAll('[data-testid=listen-table] [data-ts]')) {
          const id = el.dataset.testid;
          if (seen.has(id)) continue;
          seen.add(id);
          window.__lat.push(now - Number(el.dataset.ts));
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ts'] });
    })()`);
    const kcat = spawn('kcat', ['-b', k.listeners.plaintext, '-P', '-t', topic, '-X', 'linger.ms=5'], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const line = 'x'.repeat(1000);
    let produced = 0;
    const framesP = frames(page, seconds * 1000 + 1500, false);
    const t0 = Date.now();
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(rate * seconds, Math.round(((Date.now() - t0) / 1000) * rate));
        let chunk = '';
        for (; produced < due; produced++) chunk += `${produced} ${line}\n`;
        if (chunk) kcat.stdin.write(chunk);
        if (produced >= rate * seconds) {
          clearInterval(tick);
          resolve();
        }
      }, 50);
    });
    kcat.stdin.end();
    await new Promise((r) => kcat.once('exit', r));
    const deltas = await framesP;
    await page
      .waitForFunction(
        `document.querySelector('[data-testid=listen-total]').textContent.replace(/\\D/g, '') === '${produced}'`,
        undefined,
        { timeout: 120_000 },
      )
      .catch(() => undefined);
    const received = Number((await page.getByTestId('listen-total').textContent())?.replace(/\D/g, '') ?? 0);
    const lat = (await page.evaluate('window.__lat')) as number[];
    await page.getByTestId('listen-stop').click();
    return {
      produced,
      received,
      latency: { samples: lat.length, p50: pct(lat, 0.5), p99: pct(lat, 0.99) },
      frames: deltas.length,
      dropped: deltas.filter((d) => d > 33.4).length,
      heapMB: await heap(page),
      rssMB: mb(process.memoryUsage().rss),
    };
  });
}
