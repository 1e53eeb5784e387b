// User-facing error messages, named so handlers, tests and docs say the same thing.
export const MESSAGES = {
  internal: 'Something went wrong on the server. The error has been logged.',
  databaseDown: 'The database is not reachable. Lantern will answer again when it is back.',
  queryTooSlow: 'The query took longer than the server allows. Narrow the filters (dates, area) and try again.',
  notFound: 'No such route or resource.',
  signInRequired: 'Sign in to use Lantern.',
  badToken: 'This API token is not valid: it may have expired or been revoked. Make a new one under "API tokens".',
  tokenReadOnly: 'API tokens can only read; sign in to change anything.',
  roleForbidden: (role: string) => `Your role (${role}) does not give access to this.`,
  csrf: 'This request is missing its CSRF token (x-csrf-token). Reload the page and try again.',
  crossOrigin: 'Requests that change data must come from Lantern\'s own pages.',
  signInFailed: 'Sign-in failed: the user name or password is wrong, or this address has made too many attempts. Check them, or wait a few minutes and try again.',
  tooManyRequests: 'Too many sign-in attempts from this address in a minute. Wait a minute and try again.',
  justificationRequired: 'Say why you need this export (justification, at least 10 characters).',
  tileOutOfRange: (z: number) => `x and y must be between 0 and ${2 ** z - 1} at zoom ${z}`,
  locationNotFound: (id: number) => `location of concern ${id} does not exist`,
} as const;

/** An error whose message is safe to send to the client as written. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (field: string, message: string) =>
  new HttpError(400, `${field}: ${message}`, field);
