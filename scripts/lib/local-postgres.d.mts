// Types for local-postgres.mjs, which the setup scripts run as plain JavaScript (no
// build step before `npm start`); the TypeScript bench and test setup import it.
export interface LocalPostgresSettings {
  port: number;
  superuser: string;
  superuserPassword: string;
  appUser: string;
  appPassword: string;
  database: string;
}
type Log = (message: string) => void;

export const ROOT: string;
export const DATA_DIR: string;
export class SetupError extends Error {}
export function aptInstall(packages: string[]): void;
export function debianToolAvailable(binary: string, pkg: string, purpose: string, log?: Log): boolean;
export function ensurePostgresInstalled(log?: Log): void;
export function psql(settings: LocalPostgresSettings, database: string, sql: string): string;
export function databaseUrl(settings: LocalPostgresSettings, database?: string, asSuperuser?: boolean): string;
export function ensureDatabase(settings: LocalPostgresSettings, database: string): void;
export function hardenAuditLog(settings: LocalPostgresSettings, database: string): void;
export function dropDatabase(settings: LocalPostgresSettings, database: string): void;
export function startLocalPostgres(log?: Log): Promise<LocalPostgresSettings>;
export function stopLocalPostgres(log?: Log): void;
