// User-facing error messages, named so handlers, tests and docs say the same thing.
export const MESSAGES = {
  internal: 'Something went wrong on the server. The error has been logged.',
  databaseDown: 'The database is not reachable. Lantern will answer again when it is back.',
  queryTooSlow: 'The query took longer than the server allows. Narrow the filters (dates, area) and try again.',
  notFound: 'No such route or resource.',
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
