/**
 * A real server process (`air-raid-sim serve` on a free port), for what only a process can show:
 * surviving SIGKILL, shutting down on a signal, keeping data across a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

/** Starts `serve` with `args` after the defaults; resolves once it prints its URL (20 s at most). */
export function serveProcess(args: readonly string[] = [], env?: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env ? { env } : {}),
  });
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before serving: ${output}`)));
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
  });
}
