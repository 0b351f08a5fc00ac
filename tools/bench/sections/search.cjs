// 7. Search: `GET /api/images?q=<two words>&limit=50` on 100,000 images with realistic names,
// labels, parent categories and cameras, over HTTP on loopback, on the embedded defaults
// (PGlite) and on PostgreSQL, with the shape of the list query's plan on each.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { PGlite } = require('@electric-sql/pglite');
const { unaccent } = require('@electric-sql/pglite/contrib/unaccent');
const pg = require('pg');
const { startPostgresServer } = require('../../../libs/postgres-server/src/index.ts');
const { startApi } = require('../lib/api-process.cjs');
const { seedImages } = require('../lib/seed.cjs');
const { percentile } = require('../lib/stats.cjs');

const TARGET_MS = 20;
const PAGE = 50;

/** Two words each, as people type them: common and rare, names, places, cameras, dates. */
const QUERIES = [
  'person car',
  'grandma quebec',
  'cafe flore',
  'holi lisb',
  'canon eos',
  'beach 2019',
  'june birthday',
  'animal dog',
  'emma zurich',
  'toothbrush kite',
  'img 12',
  'wedding tromso',
];

/** The list query's own scan, as the API runs it (each item's JSON is a subquery per row). */
const LIST_SCAN = `select id from images where search @@ search_query($1)
  order by created_at desc, id desc limit ${PAGE + 1}`;

/** A plan as its nodes, outermost first: `Limit › Index Scan Backward (images_created_at_id)`. */
function planShape(plan) {
  const nodes = [];
  const walk = (node) => {
    const index = node['Index Name'] ? ` (${node['Index Name']})` : '';
    const rows = ` ${node['Actual Rows']} rows`;
    nodes.push(`${node['Node Type']}${index}${node['Node Type'] === 'Limit' ? '' : rows}`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan);
  return nodes.join(' › ');
}

/** Each query's plan, explained with its actual rows. */
async function plans(query) {
  const shapes = {};
  for (const q of QUERIES) {
    const words = q
      .split(' ')
      .map((word) => `${word}:*`)
      .join(' & ');
    const { rows } = await query(`explain (analyze, format json) ${LIST_SCAN}`, [words]);
    const explained = rows[0]['QUERY PLAN'];
    shapes[q] = planShape(
      (typeof explained === 'string' ? JSON.parse(explained) : explained)[0].Plan,
    );
  }
  return shapes;
}

/** Every query, interleaved, `requests` times after `warmUp`; the times per query. */
async function measure(api, { requests, warmUp }) {
  const times = Object.fromEntries(QUERIES.map((q) => [q, []]));
  const found = {};
  for (let i = 0; i < warmUp + requests; i++) {
    for (const q of QUERIES) {
      const started = performance.now();
      const response = await fetch(
        `${api.baseUrl}/api/images?${new URLSearchParams({ q, limit: String(PAGE) })}`,
        { headers: { cookie: api.cookie } },
      );
      const body = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`search ${q}: ${response.status} ${body}`);
      found[q] = JSON.parse(body).items.length;
      if (i >= warmUp) times[q].push(ms);
    }
  }
  return { times, found };
}

/** Seeds, measures and explains on one database; `open` gives the seed and the explain a client. */
async function searchOn(label, { env, open, analyze }, { count, requests, warmUp, log }) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-bench-search-'));
  try {
    // The API creates and migrates the database; the rows go in while it is stopped.
    await (await startApi(dataDir, env)).app.stop();
    let started = performance.now();
    let client = await open(dataDir);
    try {
      await seedImages(client.query, count);
      if (analyze) await client.query('analyze');
    } finally {
      await client.close();
    }
    log(
      `${label}: ${count} images seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    started = performance.now();
    const api = await startApi(dataDir, env);
    let result;
    try {
      result = await measure(api, { requests, warmUp });
    } finally {
      await api.app.stop();
    }
    log(`${label}: ${requests} searches of each of ${QUERIES.length} queries done`);
    client = await open(dataDir);
    try {
      return { ...result, plans: await plans(client.query) };
    } finally {
      await client.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The API analyzes PGlite itself, at start. */
const pglite = {
  env: {},
  analyze: false,
  open: async (dataDir) => {
    const db = await PGlite.create(path.join(dataDir, 'db'), { extensions: { unaccent } });
    return { query: (text, params) => db.query(text, params), close: () => db.close() };
  },
};

function postgres(url) {
  return {
    env: { DATABASE_URL: url },
    // Autovacuum would have analyzed this much new data; the API leaves it to it.
    analyze: true,
    open: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return { query: (text, params) => client.query(text, params), close: () => client.end() };
    },
  };
}

const p = (values, n) => percentile(values, n);

function rowsOf(label, { times }, target) {
  const all = Object.values(times).flat();
  const p95 = p(all, 95);
  const worst = QUERIES.reduce((a, b) => (p(times[a], 95) >= p(times[b], 95) ? a : b));
  return {
    metric: `${label}: two-word search, p95 over ${QUERIES.length} queries`,
    value: p95,
    unit: 'ms',
    spread: `p50 ${p(all, 50).toFixed(1)}, worst query "${worst}" p95 ${p(times[worst], 95).toFixed(1)}, n ${all.length}`,
    ...(target !== undefined && { target: `≤ ${target}`, met: p95 <= target }),
  };
}

async function run({ quick, log }) {
  const options = {
    count: quick ? 10_000 : 100_000,
    requests: quick ? 20 : 100,
    warmUp: quick ? 5 : 20,
    log,
  };
  const onPglite = await searchOn('PGlite', pglite, options);
  const server = await startPostgresServer({});
  let onPostgres;
  try {
    onPostgres = await searchOn('PostgreSQL', postgres(server.url), options);
  } finally {
    await server.stop();
  }
  const perQuery = QUERIES.map((q) => {
    const line = (result) =>
      `${result.found[q]} found, p50 ${p(result.times[q], 50).toFixed(1)} / ` +
      `p95 ${p(result.times[q], 95).toFixed(1)} ms: ${result.plans[q]}`;
    return `"${q}": PGlite ${line(onPglite)}; PostgreSQL ${line(onPostgres)}`;
  });
  return {
    name: '7. Search',
    rows: [rowsOf('PGlite', onPglite, TARGET_MS), rowsOf('PostgreSQL', onPostgres)],
    notes: [
      `search: ${options.count} images seeded (a third named by the camera, the rest "who, ` +
        'what, where [year]"; up to three labels skewed towards a few, with their parent ' +
        'categories; half with a camera and a date taken); ' +
        `${options.warmUp} warm-up rounds, then ${options.requests} rounds of every query ` +
        'interleaved, one at a time, keep-alive, first page of 50',
      ...perQuery,
    ],
  };
}

module.exports = { run };
