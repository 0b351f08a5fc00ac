// Statistics for benchmarks: every figure is reported with its median and spread, and every
// comparison as a ratio of two sides measured in the same run, alternating.

/** The p-th percentile (0–100) of the values, by nearest rank. */
function percentile(values, p) {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const median = (values) => percentile(values, 50);

/** Median with the smallest and largest value seen. */
function summary(values) {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/**
 * Runs `a` and `b` alternately for `rounds` rounds (a, b, b, a, a, b…, so neither always goes
 * first) and returns each side's measurements and the per-round ratios a/b.
 * Each side resolves with a number (a rate or a duration; the caller says which is better).
 */
async function alternate(rounds, a, b) {
  const results = { a: [], b: [], ratios: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    const got = {};
    for (const side of order) got[side] = await (side === 'a' ? a : b)(round);
    results.a.push(got.a);
    results.b.push(got.b);
    results.ratios.push(got.a / got.b);
  }
  return results;
}

module.exports = { percentile, median, summary, alternate };
