import { type AreaLevel, type Category, type Comparison, type DateRange, type Ethnicity, type Filters, type Gender } from '@lantern/shared';
import type { Queryable } from '../plugins/database.js';
declare module 'fastify' {
    interface FastifyInstance {
        summaries: SummariesRepository;
    }
}
export interface AreaCounts {
    episodes: number;
    people: number;
    /** Episodes involving people aged 10-24. */
    episodes10to24: number;
    /** Distinct people in CSE or CCE: the overlap once. */
    exploitationPeople: number;
    byCategory: Record<Category, number>;
    peopleByCategory: Record<Category, number>;
    byGender: Record<Gender, number>;
    byEthnicity: Record<Ethnicity, number>;
    previous: {
        episodes: number;
        people: number;
    } | null;
    /** Episodes per month, one per trendMonths entry. */
    trend: number[];
}
export interface ExactAreaRow extends AreaCounts {
    code: string;
    name: string;
    population: number | null;
    population10to24: number | null;
}
export interface ExactSummary {
    period: DateRange | null;
    comparison: (DateRange & {
        kind: Comparison;
    }) | null;
    trendMonths: string[];
    rows: ExactAreaRow[];
    total: Omit<ExactAreaRow, 'code' | 'name'>;
}
export interface SummaryOptions {
    compare?: Comparison;
    /** The incidents' first and last date, for open period ends. */
    dataRange: DateRange | null;
}
export interface SummariesRepository {
    byArea(level: AreaLevel, filters: Filters, options: SummaryOptions, db?: Queryable): Promise<ExactSummary>;
}
export declare function summariesRepository(pool: Queryable): SummariesRepository;
declare const _default: (app: import("fastify").FastifyInstance<import("fastify").RawServerDefault, import("http").IncomingMessage, import("http").ServerResponse<import("http").IncomingMessage>, import("fastify").FastifyBaseLogger, import("fastify").FastifyTypeProviderDefault>) => Promise<void>;
export default _default;
