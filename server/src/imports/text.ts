// Bytes to text for imports, streamed: the encoding is UTF-8 (with or without a byte
// order mark) or Windows-1252, detected from the first 64 KiB or given; anything else
// (UTF-16, binary) is refused with a clear message. The decoder is fatal, so a UTF-8 file
// with a bad byte further on stops the import instead of importing mojibake.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { ImportError } from './errors.js';

export type TextEncoding = 'utf-8' | 'windows-1252';
const PEEK_BYTES = 64 * 1024;

/** The first bytes of a stream, and a stream that replays them before the rest. */
export async function peek(source: Readable, bytes = PEEK_BYTES): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay() {
    yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  return { head, stream: Readable.from(replay(), { objectMode: false }) };
}

/** The encoding of a file from its first bytes, or a refusal that says why. */
export function detectEncoding(head: Buffer): TextEncoding {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new ImportError('the file is UTF-16; save it as UTF-8 (or Windows-1252) and import it again');
  }
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head.includes(0)) {
    throw new ImportError('the file has NUL bytes: it is binary or UTF-16, not a CSV or GeoJSON text file');
  }
  // A multi-byte character may be cut at the end of the sample: decode in stream mode.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Decodes a byte stream into text chunks; counts bytes for progress. */
export class DecodeStream extends Transform {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  bytes = 0;

  constructor(readonly encoding: TextEncoding) {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
    this.decoder = new TextDecoder(encoding, { fatal: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    try {
      this.bytes += chunk.length;
      callback(null, this.decoder.decode(chunk, { stream: true }));
    } catch {
      callback(new ImportError(`the file is not valid ${this.encoding} near byte ${this.bytes}; `
        + 'choose the encoding it was saved in (UTF-8 or Windows-1252)'));
    }
  }

  override _flush(callback: TransformCallback) {
    try {
      callback(null, this.decoder.decode());
    } catch {
      callback(new ImportError(`the file ends in the middle of a ${this.encoding} character`));
    }
  }
}
