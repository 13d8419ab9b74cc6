/**
 * `judgekit report --open`: hand a report to the desktop's browser where there is a desktop
 * (a display on Linux, macOS, Windows); elsewhere (SSH, CI, containers) only say where it is.
 */

import { spawn } from 'node:child_process';

/** What {@link openInBrowser} looks at and how it starts the opener (injectable for tests). */
export interface OpenEnvironment {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Start `command args` detached; resolves to false when it could not be started. */
  start?: (command: string, args: string[]) => Promise<boolean>;
}

/** The opener of a platform, or `undefined` where no desktop is reachable. */
export function desktopOpener(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): { command: string; args: string[] } | undefined {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { command: 'xdg-open', args: [] };
  return undefined;
}

function startDetached(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

/**
 * Open `file` in the desktop's browser when there is a desktop. Returns the line to print: the
 * path always, and whether it was opened.
 */
export async function openInBrowser(
  file: string,
  environment: OpenEnvironment = { platform: process.platform, env: process.env },
): Promise<string> {
  const opener = desktopOpener(environment.platform, environment.env);
  if (opener === undefined) return `open ${file} in a browser (no desktop here: DISPLAY is not set)\n`;
  const start = environment.start ?? startDetached;
  const ok = await start(opener.command, [...opener.args, file]);
  return ok
    ? `opened ${file} with ${opener.command}\n`
    : `could not start ${opener.command}; open ${file} in a browser\n`;
}
