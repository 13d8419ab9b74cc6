/**
 * `--plugin <module>` is accepted by every command: it is taken out of the arguments before the
 * command parses them, and each module is loaded (in order) with `loadJudgekitPlugin`.
 */

/** The arguments without the `--plugin` options, and the plugin paths in order. */
export function extractPluginArgs(args: readonly string[]): { args: string[]; plugins: string[] } {
  const out: string[] = [];
  const plugins: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (a === '--plugin') {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) return { args: out, plugins: [...plugins, ''] };
      plugins.push(next);
      i++;
    } else if (a.startsWith('--plugin=')) plugins.push(a.slice('--plugin='.length));
    else out.push(a);
  }
  return { args: out, plugins };
}
