// Answers the opening questions before anyone asks them: the incidents' totals that
// every page asks as it opens (/api/meta); the map page's
// for the whole data and for every time-of-day preset crossed with every age preset (the
// buttons the meetings use), each as the hexagon counts, the hour x weekday profile and
// the places ranking; the summary page's as it opens (the panel's landing page: the
// first level, the latest whole quarter, compared with the one before); and the hotspot
// layers' with no filter (Gi*, kernel density, emerging hot spots) (questions.ts). A
// never-asked filter costs a full pass over the incidents per question; asked again it
// is a cache hit. The warm-up runs after start
// and again whenever data_version moves (checked after every change made through the
// server, and every 15 s for changes made by the import CLI or the demo loader), one
// question at a time so that people using Lantern keep a core. It answers nobody, so it
// writes no audit row; each person who then reads an answer is audited as always
// (plugins/access.ts). Before the questions it loads a new column copy of the data
// (plugins/column-copy.ts), from which the map's questions are then answered in tens of
// milliseconds; with the questions off (WARM_QUESTIONS=false) it still keeps the copy.
import { AGE_PRESETS, defaultSummaryLevel, EMERGING_CELL_SIZE, MAP_GISTAR_CELL_SIZE, latestWholeQuarter, parseFilters, TIME_PRESETS, type FilterQuery, type Filters } from '@lantern/shared';
import fp from 'fastify-plugin';
import { EMERGING_DEFAULTS, slicesFit } from '../hotspots/engine.js';
import { askAreaSummary, askEmergingHotspots, askIncidentTotals, askGiStar, askHexagonCounts, askHourWeekdayProfile, askKernelDensity, askLocationRanking, askNotJudged, prepareStudyGrid } from '../questions.js';

declare module 'fastify' {
  interface FastifyInstance {
    warmUp: WarmUp;
  }
}

export type WarmUpStatus = 'off' | 'warming' | 'ready';

export interface WarmUp {
  readonly status: WarmUpStatus;
  /** The data_version the opening questions were last answered for (null before the first warm-up). */
  readonly dataVersion: number | null;
  /** Resolves when no warm-up is running (at once when off). */
  settled(): Promise<void>;
  /** Warms now if the data changed since the last warm-up (an import in this process calls it); resolves when done. */
  refresh(): Promise<void>;
}

// The profile's route also asks what its filters could not judge (askNotJudged).
const MAP_QUESTIONS = [askHexagonCounts, askHourWeekdayProfile, askNotJudged, askLocationRanking] as const;

/** The map's filters warmed: none, then each time-of-day and age preset alone and crossed, as the web app sends them. */
export const WARMED_FILTERS: FilterQuery[] = [undefined, ...TIME_PRESETS.map((preset) => preset.hours)].flatMap((hours) =>
  [undefined, ...AGE_PRESETS.filter((preset) => preset.bands.length > 0).map((preset) => preset.bands.join(','))]
    .map((ages) => ({ ...(hours && { hours }), ...(ages && { ages }) })));

/** A warmed filter as the routes see it (parsed); the list is fixed, so a failure is a bug. */
function parsed(query: FilterQuery): Filters {
  const result = parseFilters(query);
  if (!result.ok) throw new Error(`warm-up filter ${JSON.stringify(query)} does not parse`);
  return result.value;
}

type Question = [name: string, ask: () => Promise<unknown>];

export default fp<{ questions: boolean; intervalMs: number }>(
  async (app, { questions: answerQuestions, intervalMs }) => {
    const enabled = answerQuestions || app.columns.status !== 'off';
    let status: WarmUpStatus = answerQuestions ? 'warming' : 'off';
    let running: Promise<void> | null = null;
    let warmedVersion: number | null = null;
    let closing = false;
    let timer: NodeJS.Timeout | undefined;
    const [unfiltered, ...presets] = WARMED_FILTERS.map(parsed);
    const mapQuestions = (filters: Filters): Question[] => MAP_QUESTIONS.map((ask) => [ask.name, () => ask(app, filters)]);

    /** The study grids (the hexagons' outlines over the district) of the app's own hotspot cell sizes: tens of ms each at 1M, paid here instead of by a first asking. */
    const gridQuestions: Question[] = [MAP_GISTAR_CELL_SIZE, EMERGING_CELL_SIZE]
      .map((size) => [`studyGrid ${size} m`, () => prepareStudyGrid(app, size)]);

    /**
     * The map's hotspot layers as they open (no filter; each as web/src/api.ts asks it),
     * so the first analyst to open a layer does not wait for it. Emerging hot spots only
     * when the data spans the slices it needs.
     */
    const hotspotQuestions = async (): Promise<Question[]> => {
      const range = await app.metadata.dateRange();
      return [
        ['askGiStar', () => askGiStar(app, unfiltered!, { cellSize: MAP_GISTAR_CELL_SIZE, fdr: true, weight: 'count' })],
        ['askKernelDensity', () => askKernelDensity(app, unfiltered!, { weight: 'count' })],
        ...(range && slicesFit(range.from, range.to, EMERGING_DEFAULTS.slice)
          ? [['askEmergingHotspots', () => askEmergingHotspots(app, unfiltered!, { ...EMERGING_DEFAULTS, dateRange: range })] satisfies Question]
          : []),
      ];
    };

    /** The summary page as it opens (web/src/pages/SummaryPage.tsx); none without data. */
    const summaryQuestion = async (): Promise<Question[]> => {
      const [range, levels] = await Promise.all([app.metadata.dateRange(), app.metadata.areaLevels()]);
      if (!range) return [];
      const period = parsed(latestWholeQuarter(range));
      return [['askAreaSummary', () => askAreaSummary(app, defaultSummaryLevel(levels), period, 'previous')]];
    };

    const warm = async () => {
      const version = await app.results.dataVersion();
      if (version === warmedVersion) return;
      await app.columns.refresh();
      if (!answerQuestions) {
        warmedVersion = version;
        return;
      }
      status = 'warming';
      const started = performance.now();
      // The landing pages first (the unfiltered map, then the summary page), then the
      // presets (the buttons a meeting clicks), then the hotspot layers an analyst opens.
      const questions = [['askIncidentTotals', () => askIncidentTotals(app)] satisfies Question, ...mapQuestions(unfiltered!), ...await summaryQuestion(), ...gridQuestions,
        ...presets.flatMap(mapQuestions), ...await hotspotQuestions()];
      let failed = 0;
      for (const [name, ask] of questions) {
        if (closing) return;
        // A question that fails (a statement timeout on a very large table) is left for
        // the first person who asks it; the others are still warmed.
        await ask().catch((error: unknown) => {
          failed += 1;
          app.log.warn({ err: error, question: name }, 'warm-up: a question failed');
        });
      }
      warmedVersion = version;
      app.log.info({ dataVersion: version, questions: questions.length, failed,
        ms: Math.round(performance.now() - started) }, 'warm-up: opening questions answered');
    };

    const check = () => {
      if (running || closing) return;
      running = warm()
        .catch((error: unknown) => app.log.warn({ err: error }, 'warm-up failed'))
        .finally(() => {
          running = null;
          if (warmedVersion !== null && answerQuestions) status = 'ready';
        });
    };

    app.decorate('warmUp', {
      get status() {
        return status;
      },
      get dataVersion() {
        return warmedVersion;
      },
      async settled() {
        await running;
      },
      async refresh() {
        if (!enabled) return;
        await running;
        check();
        await running;
      },
    });
    if (!enabled) return;
    app.addHook('onReady', async () => {
      check();
      timer = setInterval(check, intervalMs);
      timer.unref();
    });
    // A change made through the server (an upload, a rollback, an edited place or weight)
    // is warmed at once; data_version tells whether anything changed.
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) check();
    });
    // Before the pool closes: stop asking, and let the question in flight finish.
    app.addHook('preClose', async () => {
      closing = true;
      clearInterval(timer);
      await running;
    });
  },
  { name: 'warm-up', dependencies: ['database', 'results-cache', 'column-copy', 'counting', 'hotspot-study-repository'] },
);
