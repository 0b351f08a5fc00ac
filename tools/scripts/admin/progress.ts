import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** One more item finished; `errors` is the count so far. */
  advance(errors: number): void;
  stop(): void;
}

/** How often a line is printed where there is no terminal (a log, a pipe, CI). */
const PLAIN_INTERVAL_MS = 5_000;

/**
 * A bar on a terminal; elsewhere, where a bar would fill the log with carriage returns, a plain
 * line now and then.
 */
export function startProgress(
  label: string,
  total: number,
  output: NodeJS.WriteStream = process.stdout,
): Progress {
  if (output.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | {errors} errors | {eta_formatted} left`,
        stream: output,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { errors: 0 });
    return {
      advance: (errors) => bar.increment(1, { errors }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let errors = 0;
  const timer = setInterval(() => {
    output.write(`${label} ${done}/${total}, ${errors} errors\n`);
  }, PLAIN_INTERVAL_MS);
  timer.unref();
  return {
    advance(errorsSoFar) {
      done += 1;
      errors = errorsSoFar;
    },
    stop: () => clearInterval(timer),
  };
}
