/**
 * Progress for long steps on stderr: a redrawn bar on a terminal, a line every tenth otherwise (so CI
 * logs stay short).
 */
export interface Progress {
  advance(by?: number): void;
  done(note?: string): void;
}

export function progress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  let count = 0;
  let lastTenth = -1;
  const started = performance.now();
  const tty = stream.isTTY === true;
  const draw = (final: boolean) => {
    const fraction = total > 0 ? Math.min(1, count / total) : 1;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(
        `\r${label.padEnd(34)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count.toLocaleString('en')}/${total.toLocaleString('en')} ${seconds}s${final ? '\n' : ''}`,
      );
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      stream.write(
        `${label}: ${count.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.round(fraction * 100)}%) ${seconds}s\n`,
      );
    }
  };
  return {
    advance: (by = 1) => {
      count += by;
      draw(false);
    },
    done: (note) => {
      count = Math.max(count, total);
      draw(true);
      if (note) stream.write(`  ${note}\n`);
    },
  };
}
