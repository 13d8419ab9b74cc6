/** A bad command line: reported on one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the CLI writes (injectable for tests). */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}
