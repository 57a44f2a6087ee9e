import { spawn } from 'node:child_process';

/**
 * istioctl's openBrowser: the URL on its own line, then (unless `--browser=false`) `xdg-open` on Linux,
 * `open` on macOS; a browser that cannot be started is one line, never an error.
 */
export async function openBrowser(url: string, write: (text: string) => void, browser: boolean, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  write(`${url}\n`);
  if (!browser) {
    write('skipping opening a browser\n');
    return;
  }
  const opener = platform === 'darwin' ? 'open' : platform === 'linux' ? 'xdg-open' : undefined;
  if (opener === undefined) {
    write(`Unsupported platform "${platform}"; open ${url} in your browser.\n`);
    return;
  }
  const failed = (): void => write(`Failed to open browser; open ${url} in your browser.\n`);
  await new Promise<void>((resolve) => {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true, env });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
    child.once('error', () => {
      failed();
      resolve();
    });
  });
}
