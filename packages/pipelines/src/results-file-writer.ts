/**
 * The appender of a results file: one open handle for the whole run, records batched into one
 * `write` per turn of the event loop, `fsync` on a timer and at close (and, synchronously, at
 * process exit if the writer was not closed).
 */

import { closeSync, fsyncSync } from 'node:fs';
import { type FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Options of {@link openResultsFileWriter}. */
export interface ResultsFileWriterOptions {
  /** Milliseconds between `fsync`s while records arrive. Default 1000; `0` syncs after every batch. */
  fsyncIntervalMs?: number;
}

/** An open results file; see {@link openResultsFileWriter}. */
export interface ResultsFileWriter {
  /**
   * Queue one record (serialised now, written with the others queued in the same turn). The promise
   * resolves when the batch holding it has been written to the file (not necessarily synced).
   */
  append(record: unknown): Promise<void>;
  /** Write what is queued, `fsync`, and close the handle. Idempotent. */
  close(): Promise<void>;
  /** Batches written so far (one `write` call each). */
  readonly writes: number;
}

/**
 * Open `file` for appending (created with its directory when missing). A complete last line with no
 * newline gets one before the first record, so lines never join. A truncated last line must be
 * repaired first (`readJsonlIfExists(file, { repair: true })`).
 *
 * Crash behaviour: a record whose batch was written survives a SIGKILL of the process (it is in the
 * OS page cache); records still queued in memory are lost and re-judged on resume, never duplicated.
 * `fsync` (timer and close) additionally protects against a power loss.
 */
export async function openResultsFileWriter(
  file: string,
  options: ResultsFileWriterOptions = {},
): Promise<ResultsFileWriter> {
  const interval = options.fsyncIntervalMs ?? 1000;
  await mkdir(dirname(file), { recursive: true });
  let needsNewline = false;
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const handle: FileHandle = await open(file, 'a+');
  if (size > 0) {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    needsNewline = last[0] !== 0x0a;
  }
  let queue: string[] = [];
  let pending: Promise<void> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let dirty = false;
  let writes = 0;
  let failure: unknown;

  const sync = async () => {
    if (!dirty || closed) return;
    dirty = false;
    await handle.sync();
  };
  const timer = interval > 0 ? setInterval(() => void chain.then(sync).catch(() => {}), interval) : undefined;
  timer?.unref();
  const onExit = () => {
    // Synchronous last resort when the process exits without `close()`.
    try {
      fsyncSync(handle.fd);
      closeSync(handle.fd);
    } catch {
      // already closed
    }
  };
  process.once('exit', onExit);

  const flush = (): Promise<void> => {
    const lines = queue;
    queue = [];
    pending = undefined;
    chain = chain.then(async () => {
      if (failure !== undefined) throw failure;
      try {
        await handle.write(`${needsNewline ? '\n' : ''}${lines.join('\n')}\n`);
        needsNewline = false;
        writes++;
        dirty = true;
        if (interval === 0) await sync();
      } catch (error) {
        failure = error;
        throw error;
      }
    });
    return chain;
  };

  return {
    get writes() {
      return writes;
    },
    append(record) {
      if (closed) return Promise.reject(new Error(`results file ${file} is closed`));
      queue.push(JSON.stringify(record));
      pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush);
      return pending;
    },
    async close() {
      if (closed) return;
      if (pending) await pending;
      else if (queue.length > 0) await flush();
      await chain;
      if (timer) clearInterval(timer);
      await sync();
      closed = true;
      process.off('exit', onExit);
      await handle.close();
    },
  };
}
