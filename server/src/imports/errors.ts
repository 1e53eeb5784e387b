// A problem with the file as a whole (its encoding, its header, its mapping): the import
// stops, nothing is written, and the message goes to the user as written.
import { HttpError } from '../errors.js';

export class ImportError extends HttpError {
  constructor(message: string, field = 'file') {
    super(400, `${field}: ${message}`, field);
    this.name = 'ImportError';
  }
}
