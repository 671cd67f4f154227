/**
 * B7: sync against a rate-limited fake provider (docs/performance.md §7.2).
 *
 * Fake: the Greenhouse fake with its Greenhouse-faithful window (50 requests per 10 s of real time;
 * X-RateLimit-Limit/-Remaining on successes, 429 with Retry-After and X-RateLimit-Reset), 500 records per
 * page, enough data to span at least 10 windows (quick: 100 per page over about two windows; the window
 * itself cannot be shortened, as the hub reads `X-RateLimit-Limit` as Greenhouse's per-10-s figure).
 * Reference: the ceiling (requests per window ÷ window seconds × records per page); printed alongside, a
 * bare fetch loop (raw HTTP, no parsing, no database) paced by the same headers.
 * Hub: a full sync by the sync-worker handler with production pacing, records/s from the first request to
 * the last page stored; 429 answers counted after the first window.
 */
import { createDbClient } from '../../shared/db/client.js';
import { type BenchResult, log, side } from './harness.js';
import { applyEnvironment, lambdaEnvironment } from './lambda-env.js';
import { createBenchDatabase } from './postgres.js';
import type { BenchContext } from './run.js';
import {
  realClock,
  runSyncThroughHandler,
  seedGreenhouseIntegration,
  startGreenhouseFake,
} from './sync-world.js';
import { handoverGaps, type PacedRequest, windowPace } from './window-pace.js';

/**
 * The fake's limit per window: Greenhouse's default 50, or `BENCH_B7_LIMIT` (e.g. 20) for an account allowed less
 * than the hub's configured pace, which the hub must learn from `X-RateLimit-Limit` and keep across the
 * invocations of a long sync (docs/performance.md §6).
 */
const LIMIT = Number(process.env.BENCH_B7_LIMIT ?? 50);
const WINDOW_S = 10;
/** Requests the client sends for the records of a page it just read, not lists of their own. */
const PAGE_LOOKUPS = ['/v3/attachments', '/v3/job_interview_stages'];

/** Raw paced fetch of every candidate and application page: waits for the next window when Remaining is 0. */
async function bareFetchLoop(
  fake: Awaited<ReturnType<typeof startGreenhouseFake>>,
  perPage: number,
  maxRequests: number,
) {
  const basic = Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString(
    'base64',
  );
  const tokenRes = await fetch(fake.authUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  let records = 0;
  let requests = 0;
  let rejected = 0;
  const started = performance.now();
  for (const resource of ['jobs', 'candidates', 'applications']) {
    let next: string | null = `${fake.url}/v3/${resource}?per_page=${perPage}`;
    while (next && requests < maxRequests) {
      const res: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      requests += 1;
      if (res.status === 429) {
        rejected += 1;
        await res.arrayBuffer();
        const reset = Number(res.headers.get('x-ratelimit-reset') ?? 0) * 1000;
        await new Promise((r) => setTimeout(r, Math.max(50, reset - Date.now())));
        continue;
      }
      const text = await res.text();
      // counted, not validated or mapped
      records += (JSON.parse(text) as unknown[]).length;
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
      if (Number(res.headers.get('x-ratelimit-remaining') ?? 1) <= 0) {
        const windowMs = WINDOW_S * 1000;
        await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 5));
      }
    }
  }
  const ms = performance.now() - started;
  return { records, requests, rejected, ms, rate: records / (ms / 1000) };
}

export async function runB7(ctx: BenchContext): Promise<BenchResult[]> {
  const perPage = ctx.quick ? 100 : 500;
  // full: 10+ windows = 500+ requests; candidates and applications pages: 2 × N / perPage
  const candidates = Number(process.env.BENCH_B7_CANDIDATES ?? (ctx.quick ? 2_500 : 125_000));
  const ceiling = (LIMIT / WINDOW_S) * perPage;
  const restoreEnv = applyEnvironment(lambdaEnvironment('sync-worker'));
  const fake = await startGreenhouseFake({
    candidates,
    jobs: Math.max(5, Math.round(candidates / 500)),
    rateLimit: { limit: LIMIT, windowSeconds: WINDOW_S },
    clock: realClock(),
  });
  const db = await createBenchDatabase(ctx.serverUrl, ctx.template, 'b7');
  const app = createDbClient({ url: db.appUrl, max: 1, prepare: false, application: 'bench-sync' });
  try {
    const setup = await seedGreenhouseIntegration(db.owner, fake, 'b7', perPage);
    // the hub first, on a fresh fake (its first window is whatever is left of the current one)
    const rejectedBefore = fake.rateLimitRejections;
    const firstWindowEnds = Date.now() - (Date.now() % (WINDOW_S * 1000)) + WINDOW_S * 1000;
    let rejectedFirstWindow = -1;
    const timer = setTimeout(() => {
      rejectedFirstWindow = fake.rateLimitRejections - rejectedBefore;
    }, firstWindowEnds - Date.now());
    const requestsBefore = fake.requests.length;
    // the fake records what it received, not when: the arrival time of each request, for the window analysis
    const arrivals: PacedRequest[] = [];
    const record = fake.requests.push.bind(fake.requests);
    fake.requests.push = (...items) => {
      for (const r of items) {
        if (!r.path.startsWith('/v3/')) continue;
        // a page's own look-ups (a candidate page's attachments, a job page's stages) belong to the list being read:
        // counted as lists, every candidate window looked like a move to another list
        const lookup = PAGE_LOOKUPS.includes(r.path);
        arrivals.push({ at: Date.now(), list: lookup ? (arrivals.at(-1)?.list ?? r.path) : r.path });
      }
      return record(...items);
    };
    const run = await runSyncThroughHandler({
      app,
      owner: db.owner,
      setup,
      credentials: fake.credentials,
      mode: 'full',
    });
    clearTimeout(timer);
    fake.requests.push = record;
    const pace = windowPace(arrivals, run.handovers, LIMIT, WINDOW_S * 1000);
    log(
      `B7: ${pace.fullWindows} full windows, ${pace.windowsAtLimit} at the limit; ${pace.shortfall} requests of the budget unused, ${(pace.atListSwitch * 100).toFixed(0)} % of them in windows where the sync moved to another list, ${(pace.atHandover * 100).toFixed(0)} % in windows with a handover`,
    );
    const gaps = handoverGaps(arrivals, run.handovers);
    log(
      `B7: ${run.handovers.length} handovers, median ${gaps.medianAtHandoverMs} ms between the requests around one, ${gaps.medianElsewhereMs} ms between other requests`,
    );
    const rejected = fake.rateLimitRejections - rejectedBefore;
    if (rejectedFirstWindow < 0) rejectedFirstWindow = rejected;
    const after = rejected - rejectedFirstWindow;
    const apiRequests = fake.requests.slice(requestsBefore).filter((r) => r.path.startsWith('/v3/')).length;
    // printed alongside: a bare paced loop over the same fake
    // enough requests for three windows (quick: 20) tell the achievable pace
    const bare = await bareFetchLoop(fake, perPage, ctx.quick ? 20 : 3 * LIMIT);
    log(
      `B7: bare paced fetch loop ${bare.records} records, ${bare.requests} requests, ${bare.rate.toFixed(0)} records/s`,
    );
    const rate = run.processed / (run.ms / 1000);
    const r7 = rate / ceiling;
    const windows = run.ms / 1000 / WINDOW_S;
    return [
      {
        name: 'B7',
        title: `rate-limited sync records/s ÷ ceiling (${LIMIT} req/${WINDOW_S} s × ${perPage}/page; ${windows.toFixed(1)} windows, ${apiRequests} requests = ${(apiRequests / windows / LIMIT).toFixed(2)} of the request limit, ${run.invocations} invocations; 429s after first window: ${after}; bare paced loop ${(bare.rate / ceiling).toFixed(2)} of the ceiling)`,
        reference: side('ceiling: limit ÷ window × page size', 'records/s', [ceiling], {
          bareLoopRecordsPerSecond: bare.rate,
          bareLoop: bare,
        }),
        candidate: side('sync-worker handler, production pacing', 'records/s', [rate], {
          records: run.processed,
          seconds: run.ms / 1000,
          windows,
          apiRequests,
          status: run.status,
          rejectedFirstWindow,
          rejectedAfterFirstWindow: after,
          invocations: run.invocations,
          candidates,
          limitPerWindow: LIMIT,
          // pages of the record objects are often not full, so records/s understates how close the pacing is
          requestPace: apiRequests / windows / LIMIT,
          windowPace: pace,
        }),
        ratio: r7,
        min: r7,
        max: r7,
        target: '≥ 0.95; 0 × 429 after the first window',
        met: r7 >= 0.95 && after === 0 && run.status === 'succeeded',
      },
    ];
  } finally {
    restoreEnv();
    await app.end({ timeout: 1 });
    await fake.stop();
    await db.drop();
  }
}
