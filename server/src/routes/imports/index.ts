// Imports from the web: a multipart upload streamed straight into the same pipeline the
// CLI uses (nothing is buffered in memory or on disk), the batch list, a batch's
// rejected rows, and rollback. Admin and analyst only; writes are audited.
import multipart from '@fastify/multipart';
import {
  ImportBatch, ImportBatches, ImportParams, ImportQuery, ImportRejects, ImportRejectsQuery, ImportReport, ImportRollback,
} from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../../errors.js';
import { ImportError } from '../../imports/errors.js';
import { parseMapping } from '../../imports/mapping.js';
import { runImport } from '../../imports/pipeline.js';

const WRITERS = ['admin', 'analyst'] as const;

interface ImportRoutesOptions {
  personRefSecret: string;
  maxUploadMb: number;
}

/** busboy's errors for a body that is not well-formed multipart ("Unexpected end of form", "Malformed part header"...) as a 400; others as they are. */
function malformed(error: unknown): unknown {
  if (error instanceof Error && !(error instanceof HttpError) && /end of form|part header|boundary|multipart/i.test(error.message)) {
    return new HttpError(400, 'file: the upload is not well-formed multipart/form-data; send the file as a browser\'s form does', 'file');
  }
  return error;
}

const imports: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, options) => {
  await app.register(multipart, { limits: { fileSize: options.maxUploadMb * 1024 * 1024, files: 1, fields: 4, fieldSize: 64 * 1024 } });

  app.post('/api/imports', {
    config: { access: WRITERS, audit: true },
    schema: {
      summary: 'Import a file (multipart: an optional "mapping" JSON field, then the "file"); all-or-nothing, with row-level rejects',
      tags: ['imports'],
      consumes: ['multipart/form-data'],
      querystring: ImportQuery,
      response: { 200: ImportReport },
    },
  }, async (request) => {
    if (!request.isMultipart()) throw new HttpError(400, 'file: send the file as multipart/form-data', 'file');
    const part = await request.file().catch((error: unknown) => { throw malformed(error); });
    if (!part) throw new HttpError(400, 'file: no file was sent', 'file');
    const mappingField = part.fields.mapping;
    const mappingText = mappingField && !Array.isArray(mappingField) && mappingField.type === 'field' ? String(mappingField.value) : undefined;
    let mapping;
    try {
      mapping = parseMapping(mappingText);
    } catch (error) {
      part.file.resume();
      throw error;
    }
    // Past the limit busboy truncates the file silently: fail the import instead of
    // committing part of a file.
    const tooLarge = () => new ImportError(`the file is larger than the upload limit of ${options.maxUploadMb} MB; import it with the CLI (npm run import)`);
    part.file.once('limit', () => part.file.destroy(tooLarge()));
    const report = await runImport({
      pool: app.db,
      input: part.file,
      filename: part.filename,
      kind: request.query.kind,
      mapping,
      encoding: request.query.encoding,
      dryRun: request.query.dryRun,
      keepOutside: request.query.keepOutside,
      user: request.viewer!.user.username,
      secret: options.personRefSecret,
      assertComplete: () => {
        if (part.file.truncated) throw tooLarge();
      },
    }).catch((error: unknown) => { throw malformed(error); });
    request.auditRows = report.accepted + report.updated;
    return report;
  });

  app.get('/api/imports', {
    config: { access: WRITERS },
    schema: {
      summary: 'Import batches, newest first, with what each added and what is still live',
      tags: ['imports'],
      response: { 200: ImportBatches },
    },
  }, async () => ({ batches: await app.imports.list() }));

  app.get('/api/imports/:id', {
    config: { access: WRITERS },
    schema: { summary: 'One import batch and its report', tags: ['imports'], params: ImportParams, response: { 200: ImportBatch } },
  }, async (request) => {
    const batch = await app.imports.get(request.params.id);
    if (!batch) throw new HttpError(404, `id: there is no import batch ${request.params.id}`, 'id');
    return batch;
  });

  app.get('/api/imports/:id/rejects', {
    config: { access: WRITERS },
    schema: {
      summary: 'Every rejected row of a batch: line (or feature) number, field and reason',
      tags: ['imports'],
      params: ImportParams,
      querystring: ImportRejectsQuery,
      response: { 200: ImportRejects },
    },
  }, async (request) => {
    const rejects = await app.imports.rejects(request.params.id, request.query.limit ?? 500, request.query.offset ?? 0);
    if (!rejects) throw new HttpError(404, `id: there is no import batch ${request.params.id}`, 'id');
    return rejects;
  });

  app.delete('/api/imports/:id', {
    config: { access: WRITERS, audit: true },
    schema: {
      summary: 'Roll a batch back: delete the rows it added and restore the rows it replaced',
      tags: ['imports'],
      params: ImportParams,
      response: { 200: ImportRollback },
    },
  }, async (request) => {
    const result = await app.imports.rollback(request.params.id);
    request.auditRows = result.removed + result.restored;
    return result;
  });
};
export default imports;
