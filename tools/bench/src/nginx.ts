import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ownChild } from './proc';

/** nginx as the one-hop baseline: Debian's nginx-light, installed on first use. */
export async function startNginx(host: string, port: number, upstreamPort: number, dir: string): Promise<{ process: ChildProcess; pids: () => number[] }> {
  if (!existsSync('/usr/sbin/nginx')) {
    process.stdout.write('[bench] installing nginx-light (apt)…\n');
    spawnSync('apt-get', ['install', '-y', '-q', 'nginx-light'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 32; }
  server {
    listen ${host}:${port};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = ownChild(spawn('taskset', ['-c', '0', '/usr/sbin/nginx', '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' }), 'SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  const pids = (): number[] => {
    const master = Number(readFileSync(path.join(dir, 'nginx.pid'), 'utf8').trim());
    const workers = spawnSync('pgrep', ['-P', String(master)]).stdout.toString().trim().split('\n').filter(Boolean).map(Number);
    return [master, ...workers];
  };
  return { process: child, pids };
}
