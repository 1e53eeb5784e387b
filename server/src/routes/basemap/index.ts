import { BasemapFontParams, TileParams } from '@lantern/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LRUCache } from 'lru-cache';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, MESSAGES } from '../../errors.js';

export interface BasemapRouteOptions {
  /** MiB of basemap tiles kept in memory (0 = none). */
  cacheMb: number;
}

/** The label fonts shipped with the basemap (SDF glyph ranges, SIL OFL 1.1). */
export const FONTS_DIR = path.resolve(import.meta.dirname, '../../../../data/geography/fonts');
// The basemap only changes when a start loads a new version, before the server listens:
// browsers and proxies may keep its tiles and glyphs for a week.
const PUBLIC_CACHE = 'public, max-age=604800';

const basemap: FastifyPluginAsyncTypebox<BasemapRouteOptions> = async (app, options) => {
  const tiles = options.cacheMb > 0
    ? new LRUCache<string, Promise<Buffer>>({ maxSize: options.cacheMb * 2 ** 20, sizeCalculation: () => 64 * 1024 })
    : null;
  const fonts = existsSync(FONTS_DIR) ? readdirSync(FONTS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];

  app.get('/api/tiles/basemap/:z/:x/:y.mvt', {
    config: { access: 'public' },
    schema: {
      summary: 'The offline street basemap as a Mapbox Vector Tile',
      description: 'OS Open Map - Local for Bath and North East Somerset (roads with names and numbers, rail, water, '
        + 'green space, important buildings, place names), layers water, waterway, green, building, rail, path, road, place. '
        + 'Public data: no session needed. Contains OS data © Crown copyright and database right.',
      tags: ['basemap'],
      params: TileParams,
      produces: ['application/vnd.mapbox-vector-tile'],
    },
  }, async (request, reply) => {
    const { z, x, y } = request.params;
    if (x >= 2 ** z || y >= 2 ** z) throw new HttpError(400, MESSAGES.tileOutOfRange(z), 'x');
    const key = `${z}/${x}/${y}`;
    let tile = tiles?.get(key);
    reply.header('x-cache', tile ? 'hit' : 'miss');
    if (!tile) {
      tile = app.basemap.tile(z, x, y);
      tiles?.set(key, tile);
      tile.catch(() => tiles?.delete(key));
    }
    return reply
      .header('content-type', 'application/vnd.mapbox-vector-tile')
      .header('cache-control', PUBLIC_CACHE)
      .send(await tile);
  });

  app.get('/api/basemap/fonts/:fontstack/:range.pbf', {
    config: { access: 'public' },
    schema: {
      summary: 'Label glyphs for the basemap style (MapLibre SDF glyph ranges)',
      description: `Fonts: ${fonts.join(', ') || 'none installed'}; a comma-separated stack uses the first one shipped. Noto Sans, SIL Open Font License 1.1.`,
      tags: ['basemap'],
      params: BasemapFontParams,
      produces: ['application/x-protobuf'],
    },
  }, async (request, reply) => {
    const { fontstack, range } = request.params;
    const font = fontstack.split(',').map((name) => name.trim()).find((name) => fonts.includes(name));
    if (!font) throw new HttpError(404, `no font of "${fontstack}" is shipped (${fonts.join(', ')})`, 'fontstack');
    const file = path.join(FONTS_DIR, font, `${range}.pbf`);
    if (!existsSync(file)) throw new HttpError(404, `the glyph range ${range} of ${font} is not shipped`, 'range');
    return reply.header('content-type', 'application/x-protobuf').header('cache-control', PUBLIC_CACHE).send(await readFile(file));
  });
};
export default basemap;
