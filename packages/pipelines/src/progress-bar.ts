/**
 * A terminal progress bar: done/total, percentage, rate and ETA, redrawn in place on a TTY and
 * written as plain periodic lines otherwise (CI logs, redirected stderr).
 */

/** The stream a progress bar writes to (e.g. `process.stderr`). */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** True for a terminal: the bar redraws one line with `\r`. */
  isTTY?: boolean;
  /** Terminal width in characters. */
  columns?: number;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw. Default `process.stderr`. */
  stream?: ProgressStream;
  /** Text before the bar. */
  label?: string;
  /** Minimum milliseconds between redraws on a TTY. Default 100. */
  ttyIntervalMs?: number;
  /**
   * Milliseconds between plain lines when not a TTY. Default 10,000. A timer prints the current
   * count at this interval even when no update arrives (slow calls), so a log never shows a stale
   * count; the timer does not keep the process alive.
   */
  lineIntervalMs?: number;
  /** Clock in milliseconds (for tests). Default `Date.now`. */
  now?: () => number;
}

/** A progress bar; see {@link createProgressBar}. */
export interface ProgressBar {
  /** Set the count done (absolute) and an optional note (e.g. `"3 parse failures"`). */
  update(done: number, note?: string): void;
  /** Draw the final state and end the line. Idempotent. */
  finish(note?: string): void;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Create a progress bar for `total` steps. Rate and ETA are measured from the first `update`
 * (counts already done at that point, e.g. resumed work, do not inflate the rate).
 */
export function createProgressBar(total: number, options: ProgressBarOptions = {}): ProgressBar {
  const stream: ProgressStream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const ttyInterval = options.ttyIntervalMs ?? 100;
  const lineInterval = options.lineIntervalMs ?? 10_000;
  const label = options.label ? `${options.label} ` : '';
  let start: number | undefined;
  let startDone = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let finished = false;
  let current = 0;
  let lastNote = '';

  const text = (done: number, note: string, bar: boolean): string => {
    const t = now();
    const elapsed = start === undefined ? 0 : (t - start) / 1000;
    const rate = elapsed > 0 ? (done - startDone) / elapsed : 0;
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    const eta = rate > 0 ? formatDuration((total - done) / rate) : '--:--';
    const stats = `${done}/${total} ${String(pct).padStart(3)}% ${rate.toFixed(1)}/s ETA ${eta}${note ? ` ${note}` : ''}`;
    if (!bar) return `${label}${stats}`;
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - stats.length - 4));
    const filled = total > 0 ? Math.round((width * Math.min(done, total)) / total) : width;
    return `${label}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${stats}`;
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    if (finished) return;
    const t = now();
    if (t - lastDraw < lineInterval) return;
    lastDraw = t;
    stream.write(`${text(current, lastNote, false)}\n`);
  };

  return {
    update(done, note = '') {
      if (finished) return;
      current = done;
      lastNote = note;
      const t = now();
      if (start === undefined) {
        start = t;
        startDone = done;
        if (!tty) {
          timer = setInterval(tick, lineInterval);
          timer.unref?.();
        }
      }
      if (tty) {
        if (t - lastDraw < ttyInterval && done < total) return;
        lastDraw = t;
        stream.write(`\r${text(done, note, true)}\x1b[K`);
      } else if (t - lastDraw >= lineInterval) {
        lastDraw = t;
        stream.write(`${text(done, note, false)}\n`);
      }
    },
    finish(note) {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearInterval(timer);
      if (start === undefined) {
        start = now();
        startDone = current;
      }
      const n = note ?? lastNote;
      stream.write(tty ? `\r${text(current, n, true)}\x1b[K\n` : `${text(current, n, false)}\n`);
    },
  };
}
