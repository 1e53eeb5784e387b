// Sessions (cookie flags, idle and absolute expiry, sign-out), CSRF, rate limits and
// lockout, user management, and the append-only audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/src/auth/passwords.js';
import { personRef } from '../../server/src/auth/pseudonyms.js';
import { MESSAGES } from '../../server/src/errors.js';
import { SESSION_TOUCH_SECONDS } from '../../server/src/repositories/users.js';
import { createUser, signIn, TEST_PASSWORD, testApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents } from '../helpers/fixtures.js';
import { hardenAuditLog, psql, startLocalPostgres } from '../../scripts/lib/local-postgres.mjs';

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertIncidents(db.pool, [
    { local: '2025-04-01 16:00', lon: -2.36, lat: 51.38 },
    { local: '2025-04-01 23:00', lon: -2.36, lat: 51.38 },
  ]);
  app = await testApp(db.url, { LOGIN_ATTEMPTS_PER_MINUTE: 1000, LOCKOUT_FAILURES: 3 });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const login = (username: string, password: string, target = app, headers: Record<string, string> = {}) =>
  target.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

describe('passwords and pseudonyms', () => {
  it('hash with scrypt and verify only the right password', async () => {
    const hash = await hashPassword('a long passphrase');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('a long passphrase', hash)).toBe(true);
    expect(await verifyPassword('a long passphrase!', hash)).toBe(false);
    expect(await hashPassword('a long passphrase')).not.toBe(hash);
  });

  it('make person_ref a keyed hash: stable, secret-dependent, never the identifier', () => {
    const ref = personRef('AB 12 34 56 C', 'secret-one');
    expect(ref).toBe(personRef('ab123456c', 'secret-one'));
    expect(ref).not.toBe(personRef('AB123456C', 'secret-two'));
    expect(ref).not.toContain('AB12');
  });
});

describe('sessions', () => {
  it('set an HttpOnly, SameSite=Strict cookie, Secure behind HTTPS', async () => {
    const username = await createUser(app, 'analyst');
    const response = await login(username, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'lantern_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const proxied = await testApp(db.url, { TRUST_PROXY: true });
    try {
      const secure = await login(username, TEST_PASSWORD, proxied, { 'x-forwarded-proto': 'https' });
      expect(secure.cookies.find((c) => c.name === 'lantern_session')!.secure).toBe(true);
      expect(secure.headers['strict-transport-security']).toMatch(/max-age=/);
    } finally {
      await proxied.close();
    }
  });

  it('expire after the idle time and at the absolute time', async () => {
    const idle = await signIn(app, 'police');
    expect((await idle.get('/api/auth/me')).statusCode).toBe(200);
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'
                          WHERE user_id = (SELECT id FROM users WHERE username = $1)`, [idle.username]);
    expect((await idle.get('/api/auth/me')).statusCode).toBe(401);

    const absolute = await signIn(app, 'police');
    await db.pool.query(`UPDATE sessions SET expires_at = now() - interval '1 second'
                          WHERE user_id = (SELECT id FROM users WHERE username = $1)`, [absolute.username]);
    expect((await absolute.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('slide their idle clock without writing on every request', async () => {
    const session = await signIn(app, 'analyst');
    const seen = async () => (await db.pool.query<{ at: Date }>(
      `SELECT last_seen_at AS at FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1) AND revoked_at IS NULL`,
      [session.username])).rows[0]!.at.getTime();
    // Seen a moment ago: requests leave the row as it is (no write, no lock for the next request to wait on).
    const fresh = await seen();
    for (let i = 0; i < 3; i++) expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect(await seen()).toBe(fresh);
    // Seen longer ago than SESSION_TOUCH_SECONDS: the next request moves the clock on.
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - make_interval(secs => $2)
                          WHERE user_id = (SELECT id FROM users WHERE username = $1)`, [session.username, SESSION_TOUCH_SECONDS + 5]);
    const stale = await seen();
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
    expect(await seen()).toBeGreaterThan(stale + SESSION_TOUCH_SECONDS * 1000);
  });

  it('are revoked on the server by signing out', async () => {
    const session = await signIn(app, 'analyst');
    const out = await session.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const { rows } = await db.pool.query(`SELECT revoked_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1`, [session.username]);
    expect(rows[0].revoked_at).not.toBeNull();
  });

  it('refuse a state-changing request without the CSRF token, or from another site', async () => {
    const session = await signIn(app, 'analyst');
    const missing = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { lantern_session: session.token } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().message).toBe(MESSAGES.csrf);
    const wrong = await session.post('/api/auth/logout', undefined, { 'x-csrf-token': 'guess' });
    expect(wrong.statusCode).toBe(403);
    const crossSite = await session.post('/api/auth/logout', undefined, { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().message).toBe(MESSAGES.crossOrigin);
    expect((await session.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('sign-in limits', () => {
  it('hold an address after repeated wrong passwords, even for the right one, answering as for an unknown name', async () => {
    const username = await createUser(app, 'analyst');
    const here = { remoteAddress: '198.51.100.7' };
    const from = (password: string, name = username) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password }, ...here });
    for (let i = 0; i < 3; i++) expect((await from('wrong password')).statusCode).toBe(401);
    const held = await from(TEST_PASSWORD);
    const unknown = await from('anything', 'no-such-user');
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong again' }, remoteAddress: '198.51.100.8' });
    // Held, unknown and wrong: the same status and the same words.
    expect([held.statusCode, unknown.statusCode, wrong.statusCode]).toEqual([401, 401, 401]);
    expect(new Set([held.body, unknown.body, wrong.body]).size).toBe(1);
    expect(held.json().message).toBe(MESSAGES.signInFailed);
  });

  it('never let a stranger at another address shut the owner out, and hold the stranger longer each time', async () => {
    const username = await createUser(app, 'analyst');
    const stranger = (password: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: '203.0.113.66' });
    for (let i = 0; i < 6; i++) await stranger(`guess ${i}`);
    const owner = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD }, remoteAddress: '192.0.2.10' });
    expect(owner.statusCode).toBe(200);
    // Three failures hold the pair for LOCKOUT_MINUTES; the next lock for twice that.
    const first = await db.pool.query(`SELECT locks, extract(epoch FROM locked_until - now()) / 60 AS minutes FROM sign_in_throttle WHERE username = lower($1) AND address = '203.0.113.66'`, [username]);
    expect(first.rows[0].locks).toBe(1);
    await db.pool.query(`UPDATE sign_in_throttle SET locked_until = now() - interval '1 second' WHERE username = lower($1)`, [username]);
    for (let i = 0; i < 3; i++) await stranger(`more ${i}`);
    const second = await db.pool.query(`SELECT locks, extract(epoch FROM locked_until - now()) / 60 AS minutes FROM sign_in_throttle WHERE username = lower($1) AND address = '203.0.113.66'`, [username]);
    expect(second.rows[0].locks).toBe(2);
    expect(Number(second.rows[0].minutes)).toBeGreaterThan(Number(first.rows[0].minutes) * 1.9);
  });

  it('limit attempts per address', async () => {
    const strict = await testApp(db.url, { LOGIN_ATTEMPTS_PER_MINUTE: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await login('nobody', 'x', strict)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      // The limit's words never say that a password was wrong: it may have been right.
      const limited = await login('nobody', 'x', strict);
      expect(limited.json().message).toBe(MESSAGES.tooManyRequests);
      expect(limited.json().message).not.toMatch(/wrong|failed/i);
    } finally {
      await strict.close();
    }
  });

  it('give the same answer for an unknown user and a wrong password', async () => {
    const username = await createUser(app, 'panel');
    const unknown = await login('no-such-user', 'x');
    const wrong = await login(username, 'x');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('refuse disabled users and end their sessions', async () => {
    const session = await signIn(app, 'analyst');
    await app.users.setDisabled(session.username, true);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(session.username, TEST_PASSWORD)).statusCode).toBe(401);
  });
});

describe('audit log', () => {
  it('records each read of incident data with who, what, filters and rows', async () => {
    const analyst = await signIn(app, 'analyst');
    const response = await analyst.get('/api/profile/hour-weekday?hours=15-19');
    expect(response.statusCode).toBe(200);
    const { rows } = await db.pool.query(
      `SELECT username, role, action, filters, rows_returned, status FROM audit_log WHERE username = $1 AND action LIKE 'GET%'`,
      [analyst.username]);
    expect(rows).toEqual([{
      username: analyst.username, role: 'analyst', action: 'GET /api/profile/hour-weekday',
      filters: { hours: '15-19' }, rows_returned: 1, status: 200,
    }]);
  });

  it('records refused attempts too', async () => {
    const panel = await signIn(app, 'panel');
    expect((await panel.get('/api/locations')).statusCode).toBe(403);
    const { rows } = await db.pool.query(`SELECT status FROM audit_log WHERE username = $1 AND action = 'GET /api/locations'`, [panel.username]);
    expect(rows).toEqual([{ status: 403 }]);
  });

  it('records a refusal whose query holds characters the database cannot store (NUL)', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/locations?kinds=%00park&note=a%00b' });
    expect(response.statusCode).toBe(401);
    const { rows } = await db.pool.query(
      `SELECT filters FROM audit_log WHERE action = 'GET /api/locations' AND status = 401 ORDER BY id DESC LIMIT 1`);
    expect(rows[0].filters).toEqual({ kinds: '\uFFFDpark', note: 'a\uFFFDb' });
  });

  it('writes every row of a burst of reads, each answer leaving after its own row', async () => {
    const analyst = await signIn(app, 'analyst');
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE username = $1`, [analyst.username])).rows[0].n;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, k) => analyst.get(`/api/profile/hour-weekday?hours=${k % 24}`)));
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
    const { rows } = await db.pool.query(
      `SELECT path FROM audit_log WHERE username = $1 ORDER BY id OFFSET $2`, [analyst.username, before]);
    expect(rows.map((row) => row.path).sort()).toEqual(Array.from({ length: 40 }, (_, k) => `/api/profile/hour-weekday?hours=${k % 24}`).sort());
  });

  it('cannot be changed or emptied by the application\'s database role', async () => {
    const { rows } = await db.pool.query('SELECT current_user AS role, count(*)::int AS n FROM audit_log GROUP BY 1');
    expect(rows[0].n).toBeGreaterThan(0);
    await expect(db.pool.query(`UPDATE audit_log SET username = 'someone else'`)).rejects.toThrow();
    await expect(db.pool.query('DELETE FROM audit_log')).rejects.toThrow();
    await expect(db.pool.query('TRUNCATE audit_log')).rejects.toThrow();
    const after = await db.pool.query('SELECT count(*)::int AS n FROM audit_log');
    expect(after.rows[0].n).toBe(rows[0].n);
  });

  it('never stores an API token or password given in the URL', async () => {
    await app.inject({ method: 'GET', url: '/api/profile/hour-weekday?hours=3&token=lantern_secret_value' });
    const { rows } = await db.pool.query(`SELECT path, filters FROM audit_log WHERE path LIKE '%hours=3&token=%'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].path).toBe('/api/profile/hour-weekday?hours=3&token=[redacted]');
    const { rows: leaks } = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE path || filters::text LIKE '%lantern_secret_value%'`);
    expect(leaks[0].n).toBe(0);
  });

  it.skipIf(Boolean(process.env.DATABASE_URL))('on the local cluster: the database keeps the time, and the app role owns no audit object', async () => {
    await expect(db.pool.query(`INSERT INTO audit_log (action, at) VALUES ('back-dated', '2000-01-01')`)).rejects.toThrow(/permission denied/);
    const { rows } = await db.pool.query(`INSERT INTO audit_log (action) VALUES ('dated by the database') RETURNING at`);
    expect(Math.abs(Date.now() - new Date(rows[0].at).getTime())).toBeLessThan(60_000);
    await expect(db.pool.query(`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`))
      .rejects.toThrow(/must be owner/);
    const { rows: owners } = await db.pool.query(`
      SELECT (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log') AS tab,
             (SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'audit_log_append_only') AS fn`);
    expect(owners[0]).toEqual({ tab: 'lantern_audit_owner', fn: 'lantern_audit_owner' });
  });

  it.skipIf(Boolean(process.env.DATABASE_URL))('on the local cluster: the owner redacts tokens older versions stored, and says so in the log', async () => {
    const settings = await startLocalPostgres(() => {});
    const database = new URL(db.url).pathname.slice(1);
    psql(settings, database, `INSERT INTO audit_log (action, path, filters)
      VALUES ('GET /old', '/ogc/collections/incidents/items?token=old_secret&limit=5', '{"token": "old_secret", "limit": "5"}')`);
    hardenAuditLog(settings, database);
    const { rows } = await db.pool.query(`SELECT path, filters FROM audit_log WHERE action = 'GET /old'`);
    expect(rows[0]).toEqual({ path: '/ogc/collections/incidents/items?token=[redacted]&limit=5', filters: { limit: '5' } });
    const notes = async () => (await db.pool.query(`SELECT rows_returned FROM audit_log WHERE action = 'redact stored secrets'`)).rows;
    expect(await notes()).toEqual([{ rows_returned: 1 }]);
    hardenAuditLog(settings, database); // nothing left to redact: no second note
    expect(await notes()).toHaveLength(1);
  });

  it('can be searched and exported as CSV by an admin', async () => {
    const admin = await signIn(app, 'admin');
    const search = await admin.get('/api/audit?action=profile&limit=10');
    expect(search.statusCode).toBe(200);
    expect(search.json().entries.length).toBeGreaterThan(0);
    expect(search.json().entries.every((entry: { action: string }) => /profile/.test(entry.action))).toBe(true);
    const csv = await admin.get('/api/audit?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('id,at,username,role,action,path,rowsReturned,requests,status,justification,filters');
  });

  it('shows a map view\'s tile reads as one entry, and every request when asked', async () => {
    const analyst = await signIn(app, 'analyst');
    const admin = await signIn(app, 'admin');
    // One map view: six tiles under one filter; then a filter change: three more.
    for (const [x, y] of [[2015, 1365], [2016, 1365], [2015, 1366], [2016, 1366], [2017, 1365], [2017, 1366]]) {
      expect((await analyst.get(`/api/tiles/incidents/12/${x}/${y}.mvt?hours=22-4`)).statusCode).toBe(200);
    }
    for (const [x, y] of [[2015, 1365], [2016, 1365], [2015, 1366]]) {
      expect((await analyst.get(`/api/tiles/incidents/12/${x}/${y}.mvt?hours=15-19`)).statusCode).toBe(200);
    }
    await analyst.get('/api/profile/hour-weekday?hours=15-19');
    const entries = async (query: string) => (await admin.get(`/api/audit?username=${analyst.username}&${query}`)).json().entries as
      { action: string; requests: number; filters: Record<string, unknown>; path: string | null }[];
    // The newest first (earlier tests' reads by the same user follow).
    const grouped = (await entries('limit=10')).slice(0, 3);
    expect(grouped.map((entry) => [entry.action, entry.requests, entry.filters.hours])).toEqual([
      ['GET /api/profile/hour-weekday', 1, '15-19'],
      ['GET /api/tiles/incidents/:z/:x/:y.mvt', 3, '15-19'],
      ['GET /api/tiles/incidents/:z/:x/:y.mvt', 6, '22-4'],
    ]);
    expect(grouped[1]!.path).toBeNull();
    expect((await entries('limit=20&group=none')).filter((entry) => entry.action.startsWith('GET /api/tiles/'))).toHaveLength(9);
    expect((await entries('limit=20&group=none')).every((entry) => entry.requests === 1)).toBe(true);
  });
});

describe('users managed in the app', () => {
  it('lets an admin add, reset and disable a user, the password shown once; others are refused', async () => {
    const admin = await signIn(app, 'admin');
    const added = await admin.post('/api/users', { username: 'new-officer', displayName: 'New Officer', role: 'police' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.headers['cache-control']).toBe('no-store');
    const { user, password } = added.json();
    expect(user).toMatchObject({ username: 'new-officer', displayName: 'New Officer', role: 'police', disabled: false });
    expect((await login('new-officer', password)).statusCode).toBe(200);
    expect((await admin.post('/api/users', { username: 'new-officer', role: 'police' })).statusCode).toBe(409);
    expect((await admin.post('/api/users', { username: 'X', role: 'police' })).json()).toMatchObject({ statusCode: 400, field: 'username' });

    const reset = (await admin.post('/api/users/new-officer/password', {})).json();
    expect((await login('new-officer', password)).statusCode).toBe(401);
    expect((await login('new-officer', reset.password)).statusCode).toBe(200);

    const disabled = await admin.put('/api/users/new-officer/state', { disabled: true });
    expect(disabled.json().user.disabled).toBe(true);
    expect((await login('new-officer', reset.password)).statusCode).toBe(401);
    expect((await admin.put('/api/users/new-officer/state', { disabled: false })).json().user.disabled).toBe(false);
    expect((await admin.put('/api/users/nobody-here/state', { disabled: true })).statusCode).toBe(404);
    expect((await admin.put(`/api/users/${admin.username}/state`, { disabled: true })).statusCode).toBe(400);

    const analyst = await signIn(app, 'analyst');
    expect((await analyst.post('/api/users', { username: 'sneaky', role: 'admin' })).statusCode).toBe(403);
    const { rows } = await db.pool.query(`SELECT action FROM audit_log WHERE username = $1 AND action LIKE '% /api/users%' ORDER BY id`, [admin.username]);
    expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(['POST /api/users', 'POST /api/users/:username/password', 'PUT /api/users/:username/state']));
  });
});
