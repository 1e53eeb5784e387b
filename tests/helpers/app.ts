// The real server, built for a test database (no port opened unless listen() is called),
// and signed-in sessions for each role.
import type { UserRole } from '@lantern/shared';
import type { LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../server/src/app.js';
import { hashPassword } from '../../server/src/auth/passwords.js';
import { configWith, type Config } from '../../server/src/config.js';
import { SESSION_COOKIE } from '../../server/src/plugins/access.js';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export async function testApp(databaseUrl: string, overrides: Partial<Config> = {}): Promise<TestApp> {
  // The engine users get: the column copy on. No warm-up unless a test asks for it: its
  // background work would race the test's own. A session's reads first bring the copy
  // up to the data the test has written (signIn), so the copy, not PostgreSQL, answers
  // what it can; the equality tests (column-copy.test.ts) hold the two engines alike.
  return buildApp(configWith({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', WARM_QUESTIONS: false, COLUMN_COPY: true, ...overrides }), { logger: false });
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates a user of the role (unless given one) and returns their username. */
export async function createUser(app: TestApp, role: UserRole, username = `${role}-${randomBytes(3).toString('hex')}`): Promise<string> {
  await app.users.create({ username, displayName: `Test ${role}`, role, passwordHash: await hashPassword(TEST_PASSWORD) });
  return username;
}

export interface Session {
  username: string;
  token: string;
  csrf: string;
  /** A GET; first the column copy is brought up to the data (unless `stale`: as a request arriving before the copy has caught up). */
  get(url: string, options?: { stale?: boolean }): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  /** A multipart upload: fields first, then the file, as a browser's FormData sends them. */
  upload(url: string, file: { name: string; content: string | Buffer }, fields?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** A multipart/form-data body: text fields, then one file part named "file". */
export function multipartBody(file: { name: string; content: string | Buffer }, fields: Record<string, string> = {}) {
  const boundary = `----lantern${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n`
    + 'Content-Type: application/octet-stream\r\n\r\n'));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Signs in through the real login route and returns a client carrying the cookie. */
export async function signIn(app: TestApp, role: UserRole): Promise<Session> {
  const username = await createUser(app, role);
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  const token = response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)!.value;
  const csrf = response.json().csrfToken as string;
  return {
    username,
    token,
    csrf,
    get: async (url, { stale = false } = {}) => {
      if (!stale) await app.columns.refresh();
      return app.inject({ method: 'GET', url, cookies: { [SESSION_COOKIE]: token } });
    },
    post: (url, body, headers = {}) => send('POST', url, body, headers),
    put: (url, body, headers = {}) => send('PUT', url, body, headers),
    delete: (url) => app.inject({ method: 'DELETE', url, cookies: { [SESSION_COOKIE]: token }, headers: { 'x-csrf-token': csrf } }),
    upload: (url, file, fields) => {
      const { payload, headers } = multipartBody(file, fields);
      return app.inject({ method: 'POST', url, cookies: { [SESSION_COOKIE]: token }, headers: { 'x-csrf-token': csrf, ...headers }, payload });
    },
  };

  function send(method: 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string>) {
    return app.inject({
      method, url, cookies: { [SESSION_COOKIE]: token }, headers: { 'x-csrf-token': csrf, ...headers },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  }
}
