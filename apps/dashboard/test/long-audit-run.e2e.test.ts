// A healthy run with a long audit log (the harness's `big-audit` scenario, a
// running trainer): its training status, and the audit table paging through the
// log one bounded page at a time, newest first. A real `tau-po serve`, in Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OPERATOR_PRINCIPAL } from 'test-harness/src/rbac-policy-fixture.js';
import { writeScenario } from 'test-harness/src/scenario-writer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, startServe, type ServedDashboard } from './served-dashboard.js';
import { launchChromium, seriousAxeViolations } from './system-chromium.js';

const ROWS = 1234;

let root: string;
let served: ServedDashboard;
let browser: Browser;
let page: Page;
const auditRequests: string[] = [];

/** The row numbers shown, top to bottom. */
async function shownRows(): Promise<number[]> {
  return page.locator('table.audit-rows tbody tr td:first-child').evaluateAll((cells) => cells.map((cell) => Number(cell.textContent?.replace(/,/g, ''))));
}

function range(from: number, to: number): number[] {
  const rows: number[] = [];
  for (let row = from; row >= to; row -= 1) rows.push(row);
  return rows;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tau-dashboard-paging-'));
  const scenario = writeScenario('big-audit', path.join(root, 'scenario'), { rows: ROWS });
  const tokenStore = path.join(root, 'tokens.json');
  const token = await createToken(OPERATOR_PRINCIPAL, tokenStore);
  served = await startServe({ stateDir: scenario.stateDir, policyPath: scenario.policyPath, tokenStore });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/audit')) auditRequests.push(url.search);
  });
  await page.goto(served.baseUrl);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe(`a running run with ${ROWS} audit rows`, () => {
  it("shows the trainer's status with its rollouts and optimizer figures", async () => {
    const panel = page.locator('section[aria-labelledby=training-heading]');
    await expect.poll(() => panel.textContent()).toMatch(/Run staterunning/);
    const text = await panel.textContent();
    expect(text).toMatch(/Rollouts1,280/);
    expect(text).toMatch(/Succeeded \/ failed \/ cancelled1,241 \/ 27 \/ 12/);
    expect(text).toMatch(/Trajectories \/ samples320 \/ 1,280/);
    expect(text).toMatch(/Mean total loss0\.417/);
  });

  it('opens on the newest 50 rows, asking the server for one page only', async () => {
    await expect.poll(() => page.locator('.audit p.muted').textContent()).toBe('Rows 1,185–1,234 of 1,234, newest first.');
    expect(await shownRows()).toEqual(range(1234, 1185));
    expect(auditRequests).toEqual(['?limit=50']);
    await expect.poll(() => page.locator('.chain').textContent(), { timeout: 10_000 }).toMatch(/✓ verified \(1,234 rows\)/);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('Older, Newer, Go to row and Newest move one page at a time', async () => {
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => shownRows()).toEqual(range(1184, 1135));
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => shownRows()).toEqual(range(1134, 1085));
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => shownRows()).toEqual(range(1184, 1135));

    await page.getByLabel('Go to row').fill('120');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect.poll(() => shownRows()).toEqual(range(120, 71));
    expect(await page.locator('.audit p.muted').textContent()).toBe('Rows 71–120 of 1,234, newest first.');

    // The oldest page is short and has no older page.
    await page.getByLabel('Go to row').fill('30');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect.poll(() => shownRows()).toEqual(range(30, 1));
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Newest' }).click();
    await expect.poll(() => shownRows()).toEqual(range(1234, 1185));
    expect(await page.getByRole('button', { name: 'Newest' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    // Every page was one bounded request: never the whole log.
    expect(auditRequests.every((search) => /limit=50$/.test(search))).toBe(true);
  });
});
