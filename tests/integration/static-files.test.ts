// The built web app as the server sends it (STATIC_DIR): the page always checked, the
// hashed assets kept for good, other files (the favicon) kept a day, so that the
// browser does not ask for the favicon again on every filter change.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let app: TestApp;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'lantern-dist-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Lantern</title>');
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  db = await createTestDatabase();
  app = await testApp(db.url, { STATIC_DIR: dist });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  rmSync(dist, { recursive: true, force: true });
});

describe('static files', () => {
  it('has the browser check the page every time, keep hashed assets for good and the favicon for a day', async () => {
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    // A route of the single-page app is the page too.
    expect((await app.inject('/summary')).headers['cache-control']).toBe('no-cache');
    const asset = await app.inject('/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const favicon = await app.inject('/favicon.svg');
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['cache-control']).toBe('public, max-age=86400');
  });
});
