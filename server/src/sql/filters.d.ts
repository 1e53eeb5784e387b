import { type Filters } from '@lantern/shared';
/** Collects bound values; add() returns the placeholder ($n) for one. */
export declare class SqlParams {
    readonly values: unknown[];
    add(value: unknown): string;
}
/** Conditions on incidents (alias i, or another) for the filters, joined with AND; "true" for none. */
export declare function incidentConditions(filters: Filters, params: SqlParams, alias?: 'i' | 'j'): string;
