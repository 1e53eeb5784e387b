// `npm run db:stop`: stops the project-local PostgreSQL cluster (data stays in .data/).
import { stopLocalPostgres } from './lib/local-postgres.mjs';

try {
  stopLocalPostgres();
} catch (error) {
  console.error(`Could not stop the local database: ${error.message}`);
  process.exit(1);
}
