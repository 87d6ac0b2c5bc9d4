/**
 * A progress line on stderr for long work: done/total, rate and ETA. On a terminal it redraws one
 * line; otherwise (a log, CI) it prints a line at most every `everyMs`.
 */
export interface Progress {
  update(done: number, total?: number): void;
  end(message: string): void;
}

const WIDTH = 24;

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function progress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  everyMs = 5000,
): Progress {
  const started = Date.now();
  let last = 0;
  const tty = stream.isTTY === true;
  return {
    update(done, total) {
      const now = Date.now();
      if (!tty && now - last < everyMs) return;
      last = now;
      const seconds = Math.max(0.001, (now - started) / 1000);
      const rate = done / seconds;
      const bar =
        total === undefined || total === 0
          ? ''
          : `[${'#'.repeat(Math.round((Math.min(done, total) / total) * WIDTH)).padEnd(WIDTH, '-')}] ${Math.floor((Math.min(done, total) / total) * 100)}% `;
      const of = total === undefined ? `${done}` : `${done}/${total}`;
      const left = total === undefined || rate === 0 ? '' : ` · ETA ${eta((total - done) / rate)}`;
      const line = `${label} ${bar}${of} · ${rate.toFixed(1)}/s${left}`;
      stream.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    },
    end(message) {
      stream.write(`${tty ? '\r\u001b[K' : ''}${label} ${message}\n`);
    },
  };
}
