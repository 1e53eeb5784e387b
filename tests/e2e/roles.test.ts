// Each role signs in through the real page and sees what it is for: panel members an
// area summary with no points and no small counts anywhere on the wire; admins the
// audit log; police the map without personal details.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '@lantern/shared';
import { createUser } from '../helpers/app.js';
import { ARTIFACTS, signInPage, startE2eServer, type E2eServer } from '../helpers/e2e.js';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer({ seed: 20201, scale: 0.3 });
});

afterAll(async () => {
  await server?.close();
});

async function signInAs(role: UserRole): Promise<{ page: Page; bodies: { url: string; body: string }[] }> {
  const username = await createUser(server.app, role);
  const context = await server.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const bodies: { url: string; body: string }[] = [];
  page.on('response', async (response) => {
    if (!response.url().includes('/api/')) return;
    try {
      bodies.push({ url: response.url(), body: (await response.body()).toString('latin1') });
    } catch {
      // a response whose body is gone (navigation) carries nothing to check
    }
  });
  await signInPage(page, server.origin, username);
  return { page, bodies };
}

describe('each role sees its own view', () => {
  it('panel members get the area summary under disclosure control, and nothing finer on the wire', async () => {
    const { page, bodies } = await signInAs('panel');
    await page.getByTestId('summary-table').waitFor();
    await page.waitForSelector('[data-map-ready=true]');
    await page.waitForTimeout(1500);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Scrutiny panel member');
    await expect(page.getByTestId('disclosure-rule').textContent()).resolves.toMatch(/perturbed/);
    // Narrow to a small group: many small counts, none shown as 1-4.
    await page.getByLabel('Child sexual exploitation').uncheck();
    await page.getByRole('button', { name: 'Under 18' }).click();
    await page.waitForTimeout(1500);
    const cells = await page.getByTestId('summary-table').locator('td[data-count]').allTextContents();
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.filter((text) => /^[1-4]$/.test(text))).toEqual([]);
    expect(await page.getByRole('button', { name: 'Night-time economy 22-04' }).count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-summary.png') });
    expect(bodies.length).toBeGreaterThan(3);
    for (const { url, body } of bodies) {
      expect(url).not.toMatch(/\/api\/(tiles\/incidents|locations|profile)/);
      expect(body, url).not.toMatch(/"Point"/);
      expect(body, url).not.toMatch(/"(episodes|people|incidents|timeUnknown)":[1-4][,}]/);
    }
    await page.context().close();
  });

  it('admins get the audit log and the users', async () => {
    const { page } = await signInAs('admin');
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    const actions = await page.getByTestId('audit-table').locator('tbody td:nth-child(4)').allTextContents();
    expect(actions).toContain('GET /api/areas/summary');
    expect(await page.getByTestId('users-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('map').count()).toBe(0);
    // Add a user in the app: the password is shown once; then disable them.
    await page.getByTestId('new-user-name').fill('e2e-officer');
    await page.getByTestId('new-user-role').selectOption('police');
    await page.getByTestId('add-user').click();
    await expect.poll(() => page.getByTestId('new-password').textContent(), { timeout: 10_000 }).toMatch(/Password for e2e-officer, shown this once: \S{16,}/);
    const row = page.getByTestId('users-table').locator('tr', { hasText: 'e2e-officer' });
    await row.getByTestId('toggle-e2e-officer').click();
    await row.locator('td', { hasText: /^disabled$/ }).waitFor();
    // Change a harm weight and put it back: the server reports the incidents reweighted.
    const harm = page.getByTestId('harm-table');
    await harm.getByRole('button', { name: 'Change Anti-social behaviour weight' }).click();
    await harm.getByLabel('Anti-social behaviour weight').fill('2');
    await harm.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: /Anti-social behaviour: weight 2; [\d,]+ incidents reweighted/ }).waitFor();
    // The table reloads after the save: wait for the new weight rather than read at once.
    await harm.locator('tr', { hasText: 'Anti-social behaviour' }).locator('td').nth(1).filter({ hasText: /^2$/ }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-audit.png'), fullPage: true });
    // The sections stack without overlapping (the grid once let harm weights cover the audit log).
    const [batches, auditTable, harmTitle] = await Promise.all([
      page.getByTestId('import-batches').boundingBox(), page.getByTestId('audit-table').boundingBox(),
      page.getByRole('heading', { name: 'Harm weights', exact: true }).boundingBox()]);
    const auditTitle = await page.getByRole('heading', { name: 'Audit log', exact: true }).boundingBox();
    expect(auditTitle!.y).toBeGreaterThanOrEqual(batches!.y + batches!.height);
    expect(harmTitle!.y).toBeGreaterThanOrEqual(auditTable!.y + auditTable!.height);
    await harm.getByRole('button', { name: 'Change Anti-social behaviour weight' }).click();
    await harm.getByLabel('Anti-social behaviour weight').fill('1');
    await harm.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: /weight 1;/ }).waitFor();
    await page.context().close();
  });

  it('police get the map without personal details', async () => {
    const { page } = await signInAs('police');
    await page.waitForSelector('[data-map-ready=true]');
    await expect(page.getByTestId('police-note').textContent()).resolves.toMatch(/no personal details/);
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Neighbourhood police');
    await page.context().close();
  });

  it('signing out returns to the sign-in page and ends the session', async () => {
    const { page } = await signInAs('analyst');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/meta')).status);
    expect(status).toBe(401);
    await page.context().close();
  });
});
