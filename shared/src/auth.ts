// Sign-in, the signed-in user, users and the audit log: request and response shapes.
import { Type, type Static } from 'typebox';
import { USER_ROLES } from './vocabulary.js';

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{1,39}$';

export const LoginBody = Type.Object(
  {
    username: Type.String({ pattern: USERNAME_PATTERN, description: 'lower-case user name, 2-40 characters' }),
    password: Type.String({ minLength: 1, maxLength: 200, description: 'the password' }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SignedInUser = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(USER_ROLES),
  /** Send back as the x-csrf-token header on every state-changing request. */
  csrfToken: Type.String(),
  expiresAt: Type.String({ format: 'date-time', description: 'absolute expiry of the session' }),
});
export type SignedInUser = Static<typeof SignedInUser>;

export const UserSummary = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(USER_ROLES),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type UserSummary = Static<typeof UserSummary>;

export const NewUser = Type.Object({
  username: Type.String({ pattern: USERNAME_PATTERN, description: '2-40 characters: a-z, 0-9, . _ -' }),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  role: Type.Enum(USER_ROLES),
}, { additionalProperties: false });
export type NewUser = Static<typeof NewUser>;

/** A user with the password just made for them: shown once, never stored in clear. */
export const UserWithPassword = Type.Object({ user: UserSummary, password: Type.String() });
export type UserWithPassword = Static<typeof UserWithPassword>;

export const UserParams = Type.Object({ username: Type.String({ pattern: USERNAME_PATTERN }) });
export const UserState = Type.Object({ disabled: Type.Boolean({ description: 'true: the user cannot sign in and their sessions end' }) }, { additionalProperties: false });

export const AuditQuery = Type.Object(
  {
    username: Type.Optional(Type.String({ pattern: USERNAME_PATTERN, description: 'only this user' })),
    action: Type.Optional(Type.String({ maxLength: 200, description: 'text the action contains' })),
    from: Type.Optional(Type.String({ format: 'date', description: 'first day, YYYY-MM-DD' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'last day, YYYY-MM-DD' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200, description: 'most rows' })),
    format: Type.Optional(Type.Enum(['json', 'csv'], { description: 'json (default) or csv' })),
    group: Type.Optional(Type.Enum(['views', 'none'], {
      description: 'views (default): the map tiles one user read in a row under the same filters (less than a minute apart) are one entry; none: every request',
    })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  username: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  path: Type.Union([Type.String(), Type.Null()]),
  filters: Type.Record(Type.String(), Type.Unknown()),
  rowsReturned: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.Union([Type.Integer(), Type.Null()]),
  justification: Type.Union([Type.String(), Type.Null()]),
  requests: Type.Integer({ minimum: 1, description: 'requests this entry stands for (a map view\'s tiles grouped); rows are their sum, the time the first\'s' }),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditLog = Type.Object({ entries: Type.Array(AuditEntry) });
export type AuditLog = Static<typeof AuditLog>;

/** A personal API token for desktop GIS (read-only); the token itself is shown once. */
export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time', description: 'after this the token is refused' }),
});
export type ApiToken = Static<typeof ApiToken>;
export const ApiTokenList = Type.Object({ tokens: Type.Array(ApiToken) });
export type ApiTokenList = Static<typeof ApiTokenList>;
export const ApiTokenRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80, description: 'what the token is for, e.g. "QGIS on my laptop"' }),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'days the token lives; omitted or more than the server allows = the server\'s limit (API_TOKEN_DAYS, 90 by default)' })),
}, { additionalProperties: false });
export const ApiTokenCreated = Type.Object({
  ...ApiToken.properties,
  token: Type.String({ description: 'send as "Authorization: Bearer <token>" or ?token=; shown only now' }),
});
export type ApiTokenCreated = Static<typeof ApiTokenCreated>;
export const ApiTokenParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'token id' }) });
