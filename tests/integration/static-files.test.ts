// The built web app as the server sends it (STATIC_DIR): the page always checked, the
// hashed assets kept for good, other files (the favicon) kept a day, so that the
// browser does not ask for the favicon again on every filter change.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
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
  // The build writes .br and .gz copies beside each script (web/vite.config.ts).
  const script = `console.log(${JSON.stringify('x'.repeat(4000))})`;
  writeFileSync(path.join(dist, 'assets', 'big-def456.js'), script);
  writeFileSync(path.join(dist, 'assets', 'big-def456.js.br'), brotliCompressSync(script));
  writeFileSync(path.join(dist, 'assets', 'big-def456.js.gz'), gzipSync(script));
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

  it('sends the build\'s brotli or gzip copy of a script to a browser that accepts it, and the script to one that does not', async () => {
    const br = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toContain('xxxx');
    const gz = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toContain('xxxx');
    const plain = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('xxxx');
  });

  it('compresses JSON answers for a client that accepts it', async () => {
    const spec = await app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'br' } });
    expect(spec.headers['content-encoding']).toBe('br');
    const text = brotliDecompressSync(spec.rawPayload).toString();
    expect(JSON.parse(text).openapi).toBe('3.0.3');
    expect(spec.rawPayload.length).toBeLessThan(text.length / 3);
    const plain = await app.inject({ url: '/api/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
  });
});
