/**
 * The progress indicator on stderr: one self-rewriting line on a terminal, a line every few
 * seconds otherwise (CI logs), so stdout stays free for the table or the JSON document.
 */
const tty = process.stderr.isTTY === true;
const started = performance.now();
let lastLine = 0;
let open = false;

const clock = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Updates the current step's line: `[mm:ss] label  done/total (rate/s)`. */
export function progress(label: string, done?: number, total?: number, rate?: number): void {
  const count =
    done === undefined
      ? ''
      : ` ${done.toLocaleString('en-US')}${total === undefined ? '' : `/${total.toLocaleString('en-US')}`}`;
  const speed = rate === undefined ? '' : ` (${rate.toFixed(0)}/s)`;
  const line = `[${clock()}] ${label}${count}${speed}`;
  if (tty) {
    process.stderr.write(`\r\x1b[2K${line}`);
    open = true;
  } else if (performance.now() - lastLine > 5000) {
    process.stderr.write(`${line}\n`);
    lastLine = performance.now();
  }
}

/** Ends the current step with a final line that stays. */
export function step(message: string): void {
  if (tty && open) process.stderr.write('\r\x1b[2K');
  open = false;
  process.stderr.write(`[${clock()}] ${message}\n`);
  lastLine = performance.now();
}
