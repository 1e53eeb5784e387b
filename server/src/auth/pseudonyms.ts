// person_ref: a keyed hash (HMAC-SHA-256) of whatever identifier a source provides,
// so the same person has the same reference across extracts while the raw identifier
// is never stored. The key is PERSON_REF_SECRET (generated into .data/ in local mode).
import { createHmac } from 'node:crypto';

export function personRef(identifier: string, secret: string): string {
  const normalised = identifier.trim().toUpperCase().replace(/\s+/g, '');
  return createHmac('sha256', secret).update(normalised).digest('base64url').slice(0, 32);
}
