/**
 * Storage of the user output formats (no imports, so that `output-formats.ts` and
 * `output-format-registry.ts` can both read it without an import cycle). @internal
 */

/** A user output format as stored. @internal */
export interface StoredOutputFormat {
  readonly id: string;
  readonly description: string;
  readonly prefill?: string;
  readonly parser?: string;
  readonly builtin: false;
  readonly format?: (value: never) => string;
}

/** The user output formats by id. @internal */
export const USER_OUTPUT_FORMATS = new Map<string, StoredOutputFormat>();
