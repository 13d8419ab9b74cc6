import { describe, expect, it } from 'vitest';
import { desktopOpener, openInBrowser } from './open-in-browser.js';

describe('openInBrowser', () => {
  it('only prints the path where there is no desktop', async () => {
    const calls: string[][] = [];
    const line = await openInBrowser('/r/report.html', {
      platform: 'linux',
      env: {},
      start: async (c, a) => {
        calls.push([c, ...a]);
        return true;
      },
    });
    expect(line).toBe('open /r/report.html in a browser (no desktop here: DISPLAY is not set)\n');
    expect(calls).toEqual([]);
  });

  it('uses xdg-open with a display, and says when it cannot start it', async () => {
    const calls: string[][] = [];
    const ok = await openInBrowser('/r/report.html', {
      platform: 'linux',
      env: { DISPLAY: ':0' },
      start: async (c, a) => {
        calls.push([c, ...a]);
        return true;
      },
    });
    expect(calls).toEqual([['xdg-open', '/r/report.html']]);
    expect(ok).toBe('opened /r/report.html with xdg-open\n');
    const failed = await openInBrowser('/r/report.html', {
      platform: 'linux',
      env: { WAYLAND_DISPLAY: 'wayland-0' },
      start: async () => false,
    });
    expect(failed).toBe('could not start xdg-open; open /r/report.html in a browser\n');
  });

  it('knows the openers of macOS and Windows', () => {
    expect(desktopOpener('darwin', {})).toEqual({ command: 'open', args: [] });
    expect(desktopOpener('win32', {})?.command).toBe('cmd');
  });
});
