// The dashboard end to end: a real `tau-po serve` (child process, 127.0.0.1,
// port 0) over a real state dir written by the test harness (a crashed run
// whose primary checkpoint is corrupt), driven in the system's Chromium.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OPERATOR_PRINCIPAL, VIEWER_PRINCIPAL } from 'test-harness/src/rbac-policy-fixture.js';
import { writeScenario, type WrittenScenario } from 'test-harness/src/scenario-writer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, startServe, tauPo, type ServedDashboard } from './served-dashboard.js';
import { launchChromium, seriousAxeViolations } from './system-chromium.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// The README's screenshot is rewritten only on request (TAU_WRITE_SCREENSHOT=1), so a test run leaves the tree clean.
const screenshotPath =
  process.env.TAU_WRITE_SCREENSHOT === '1' ? path.join(packageDir, '..', '..', 'docs', 'dashboard.png') : path.join(packageDir, 'test-results', 'dashboard.png');

let root: string;
let scenario: WrittenScenario;
let tokenStore: string;
let operatorToken: string;
let viewerToken: string;
let served: ServedDashboard;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function signIn(target: Page, token: string): Promise<void> {
  await target.goto(served.baseUrl);
  await target.getByLabel('Access token').fill(token);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

function cliFlags(principal: string): string[] {
  return ['--state-dir', scenario.stateDir, '--rbac-policy', scenario.policyPath, '--principal', principal];
}

async function expectNoSeriousViolations(target: Page, view: string): Promise<void> {
  const violations = await seriousAxeViolations(target);
  expect(violations, `axe on ${view}`).toEqual([]);
}

function auditRow(target: Page, index: number) {
  return target.locator('table.audit-rows tbody tr').nth(index);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tau-dashboard-e2e-'));
  scenario = writeScenario('crashed-corrupt-primary', path.join(root, 'scenario'));
  tokenStore = path.join(root, 'tokens.json');
  operatorToken = await createToken(OPERATOR_PRINCIPAL, tokenStore);
  viewerToken = await createToken(VIEWER_PRINCIPAL, tokenStore);
  served = await startServe({ stateDir: scenario.stateDir, policyPath: scenario.policyPath, tokenStore });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

describe('dashboard in Chromium against tau-po serve', () => {
  it('tau-po serve serves the built dashboard at /: index revalidated, hashed assets immutable for a year', async () => {
    const index = await fetch(served.baseUrl + '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\/[\w-]+-[\w-]{8}\.(?:js|css)$/);
      const response = await fetch(served.baseUrl + asset);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
    }
  });

  it('a token that cannot be a header value is refused on the page, before any request', async () => {
    const requests: string[] = [];
    const onRequest = (request: { url(): string }) => requests.push(request.url());
    await page.goto(served.baseUrl);
    page.on('request', onRequest);
    await page.getByLabel('Access token').fill('tpo_0123 456');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/one word of printable ASCII/);
    expect(await page.getByLabel('Access token').getAttribute('aria-invalid')).toBe('true');
    page.off('request', onRequest);
    expect(requests).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('a refused token returns to sign-in with the server\'s reason; the sign-in view passes axe', async () => {
    await signIn(page, 'tpo_000000000000_not-a-real-token');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Signed out:/);
    await expect.poll(() => page.getByLabel('Access token').isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => sessionStorage.length)).toBe(0);
    await expectNoSeriousViolations(page, 'sign-in');
  });

  it('keyboard only: sign in, see the crashed run, resume through the dry-run dialog, see the audit row and the new state', async () => {
    await page.goto(served.baseUrl);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('access-token');
    await page.keyboard.type(operatorToken);
    await page.keyboard.press('Enter');

    // The crashed run: lifecycle running, no training status, primary unloadable, resume would use the fallback.
    await expect.poll(() => page.locator('.lifecycle-state').textContent()).toBe('running');
    await expect.poll(() => page.locator('#training-heading + p').textContent()).toMatch(/No status\.json/);
    await expect.poll(() => page.getByText('A resume now would restore:').textContent()).toMatch(/the fallback checkpoint/);
    await expect.poll(() => page.locator('.principal').textContent()).toBe(OPERATOR_PRINCIPAL);
    await expect.poll(() => page.locator('.chain').textContent()).toMatch(/✓ verified/);
    expect(await page.evaluate(() => sessionStorage.getItem('tau-po.access-token'))).toBe(operatorToken);
    await expectNoSeriousViolations(page, 'run view (crashed)');

    // Tab to "Resume"; focus is visible on the way.
    for (let presses = 0; presses < 60; presses += 1) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Resume') break;
    }
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      return { text: element.textContent, outline: style.outlineStyle, width: style.outlineWidth };
    });
    expect(focused).toEqual({ text: 'Resume', outline: 'solid', width: '3px' });
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Resume: what would happen' });
    await expect.poll(() => dialog.textContent()).toMatch(/Would restore fromthe fallback checkpoint/);
    expect(await dialog.locator('.diagnostics').textContent()).toMatch(/policy-checkpoint\.json/);
    // A dry run writes nothing: the lifecycle and the audit log are as they were.
    const rowsBefore = await page.locator('.audit p.muted').textContent();
    await expectNoSeriousViolations(page, 'resume dialog');

    for (let presses = 0; presses < 10; presses += 1) {
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Confirm') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Resume done' }).count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Resume done' }).textContent()).toMatch(/the crash was recovered from the fallback checkpoint \(run po-run-/);
    expect(rowsBefore).toMatch(/of 6,/);

    // The new audit row (authenticated by the token) on top, and the new recovery report.
    await expect.poll(() => auditRow(page, 0).textContent()).toMatch(/resume/);
    expect(await auditRow(page, 0).textContent()).toMatch(/token:[0-9a-f]{12}/);
    expect(await auditRow(page, 0).locator('td').nth(2).textContent()).toBe(OPERATOR_PRINCIPAL);
    await expect.poll(() => page.locator('#recovery-heading').locator('..').textContent()).toMatch(/Checkpoint sourcefallback/);
    await expect.poll(() => page.locator('.audit p.muted').textContent()).toMatch(/of 7,/);
    await expectNoSeriousViolations(page, 'run view (resumed)');
    await page.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('a command run from the CLI on the same state dir appears within a second, without reload', async () => {
    await tauPo(['pause', ...cliFlags(OPERATOR_PRINCIPAL)]);
    const started = Date.now();
    await expect.poll(() => auditRow(page, 0).textContent(), { timeout: 1000, interval: 25 }).toMatch(/pause/);
    await expect.poll(() => page.locator('.lifecycle-state').textContent(), { timeout: 1000, interval: 25 }).toBe('paused');
    expect(Date.now() - started).toBeLessThanOrEqual(1000);
    expect(await auditRow(page, 0).textContent()).toMatch(/local \(/);
  });

  it('the stream reconnects after a server restart and catches up with what happened meanwhile', async () => {
    const port = served.port;
    await served.stop();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live updates' }).textContent()).toMatch(/reconnecting/);
    await tauPo(['resume', ...cliFlags(OPERATOR_PRINCIPAL)]);
    served = await startServe({ stateDir: scenario.stateDir, policyPath: scenario.policyPath, tokenStore, port });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live updates' }).textContent(), { timeout: 10_000 }).toMatch(/connected/);
    await expect.poll(() => auditRow(page, 0).textContent(), { timeout: 5000 }).toMatch(/resume/);
    await expect.poll(() => page.locator('.lifecycle-state').textContent()).toBe('running');
    await expect.poll(() => page.locator('.audit p.muted').textContent()).toMatch(/of 9,/);
  });

  it('a viewer sees disabled actions with the reason, and pressing one sends nothing', async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const viewerPage = await viewerContext.newPage();
    try {
      const posts: string[] = [];
      viewerPage.on('request', (request) => {
        if (request.method() === 'POST') posts.push(request.url());
      });
      await signIn(viewerPage, viewerToken);
      await expect.poll(() => viewerPage.locator('.principal').textContent()).toBe(VIEWER_PRINCIPAL);
      for (const name of ['Pause', 'Resume', 'Cancel', 'Roll back']) {
        const button = viewerPage.getByRole('button', { name, exact: true });
        expect(await button.getAttribute('aria-disabled')).toBe('true');
        const description = await button.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent);
        expect(description).toMatch(new RegExp(`Not allowed: ${VIEWER_PRINCIPAL} may not .* \\(deny_role_policy\\)`));
        // Playwright waits for an aria-disabled button to become enabled: press it by mouse (forced) and by keyboard.
        await button.click({ force: true });
        await button.focus();
        await viewerPage.keyboard.press('Enter');
      }
      expect(await viewerPage.getByRole('dialog').count()).toBe(0);
      expect(posts).toEqual([]);
      await expectNoSeriousViolations(viewerPage, 'run view (viewer)');
    } finally {
      await viewerContext.close();
    }
  });

  it('readable at 360 px and in dark mode', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(18, 20, 23)');
    // Nothing wider than the screen: wide tables scroll inside their own region.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoSeriousViolations(page, 'run view at 360 px, dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('Roll back asks for the checkpoint path (the fallback suggested) and acts on submit; Close acts not', async () => {
    const rollback = page.getByRole('button', { name: 'Roll back', exact: true });
    await rollback.click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to a checkpoint' });
    const pathField = dialog.getByLabel('Checkpoint path');
    expect(await pathField.inputValue()).toBe(path.join(scenario.stateDir, 'policy-checkpoint.rollback.json'));
    await expectNoSeriousViolations(page, 'roll back dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.locator('.lifecycle-state').textContent()).toBe('running');
    // Focus returns to the button that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Roll back');

    await rollback.click();
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Roll back done' }).textContent()).toMatch(/lifecycle is now rollback_requested/);
    await expect.poll(() => page.locator('.lifecycle-state').textContent()).toBe('rollback_requested');
    await expect.poll(() => auditRow(page, 0).textContent()).toMatch(/rollback/);
    expect(await auditRow(page, 0).textContent()).toMatch(/token:[0-9a-f]{12}/);
  });

  it('an action the server refuses shows its message and reason code', async () => {
    // The policy changed after the page loaded: whoami still says allowed, the server now denies
    // (status stays allowed, so the page's own reads in flight keep working).
    writeFileSync(
      scenario.policyPath,
      JSON.stringify({
        schema_version: 1,
        team_mode: true,
        bindings: [{ principal: OPERATOR_PRINCIPAL, roles: ['read-only'] }],
        roles: { 'read-only': { allow: ['control:rl:status'], deny: ['control:rl:cancel'] } },
      }),
    );
    const before = await page.locator('.audit p.muted').textContent();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const alert = page.locator('.actions [role=alert]');
    await expect.poll(() => alert.textContent()).toMatch(/reason code deny_role_policy · exit code 3 · HTTP 403/);
    expect(await alert.textContent()).toMatch(/Error: .*local:rl-operator/);
    expect(await page.locator('.lifecycle-state').textContent()).toBe('rollback_requested');
    expect(await page.locator('.audit p.muted').textContent()).toBe(before);
  });

  it('a revoked token sends the page back to sign-in with the reason', async () => {
    const listed = JSON.parse(await tauPo(['token', 'list', '--json', '--token-store', tokenStore])) as unknown;
    const tokens = (Array.isArray(listed) ? listed : (listed as { tokens: unknown[] }).tokens) as Array<{ id: string; principal: string }>;
    const operator = tokens.find((token) => token.principal === OPERATOR_PRINCIPAL);
    expect(operator).toBeDefined();
    await tauPo(['token', 'revoke', operator?.id ?? '', '--token-store', tokenStore]);
    await page.reload();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Signed out:/);
    expect(await page.getByLabel('Access token').isVisible()).toBe(true);
  });
});

mkdirSync(path.join(packageDir, 'test-results'), { recursive: true });
