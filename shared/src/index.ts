export * from './vocabulary.js';
export * from './filters.js';
export * from './api.js';
export * from './harm.js';
export * from './auth.js';
export * from './summary.js';
export * from './hotspots.js';
export * from './imports.js';
