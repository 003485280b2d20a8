/** Small benchmark helpers: medians over many timed repetitions, after warm-up. */
import { execFileSync } from "node:child_process";

/** Summary of repeated timings, in microseconds. */
export interface Timing {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly runs: number;
}

function percentile(sorted: Float64Array, q: number): number {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}

/**
 * Times `fn` `runs` times after `warmup` untimed calls. Each sample times a
 * batch of `batch` calls (for sub-microsecond work) and is divided by it.
 */
export function measure(fn: () => void, runs = 2000, warmup = 500, batch = 1): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) fn();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000 / batch;
  }
  samples.sort();
  return { medianUs: percentile(samples, 0.5), p99Us: percentile(samples, 0.99), runs };
}

/** Same as {@link measure} for asynchronous work, one call at a time. */
export async function measureAsync(
  fn: () => Promise<void>,
  runs = 1000,
  warmup = 100,
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  samples.sort();
  return { medianUs: percentile(samples, 0.5), p99Us: percentile(samples, 0.99), runs };
}

/** Prints one aligned result row. */
export function report(name: string, fields: Record<string, string | number>): void {
  const parts = Object.entries(fields).map(
    ([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(6)) : v}`,
  );
  console.log(`${name.padEnd(48)} ${parts.join("  ")}`);
}

/** Rounds of the side-by-side comparisons with OpEn: OPEN_BENCH_ROUNDS, default 3. */
export function comparisonRounds(): number {
  return Math.max(1, Number(process.env.OPEN_BENCH_ROUNDS ?? 3) || 3);
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** One case as a reference benchmark reports it (one JSON object per line). */
export interface ReferenceRow {
  readonly case: string;
  readonly medianUs: number;
  readonly outer: number;
  readonly inner: number;
}

/** Runs a reference benchmark program and parses its JSON lines. */
export function runReference(program: string, args: readonly string[]): ReferenceRow[] {
  const out = execFileSync(program, args, { encoding: "utf8" });
  return out
    .split("\n")
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as ReferenceRow);
}
