#!/usr/bin/env node
// `npm test`: build, then lint + typecheck + test for every project through Nx, then one summary.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const resultsDir = path.join(root, 'dist/test-results');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  return r.status ?? 1;
}

/** Runs Nx with its output passed through, keeping the tail to name the failed tasks (lint, typecheck, test). */
function runNx(args) {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/nx'), args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], env });
    let tail = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      tail = (tail + d.toString()).slice(-20000);
    });
    child.on('close', (code) => {
      const plain = tail.replace(/\x1b\[[0-9;]*m/g, '');
      const list = plain.slice(plain.lastIndexOf('Failed tasks:'));
      const tasks = plain.includes('Failed tasks:') ? [...list.matchAll(/^\s*- (\S+)/gm)].map((m) => m[1]) : [];
      resolve({ status: code ?? 1, failedTasks: tasks });
    });
  });
}

/**
 * What failed in a suite, kept short: each failed test's name and the first lines of its message (or the suite's own
 * message when it failed to run). The summary is the tail CI shows, so it must say why, not only where.
 */
function failureLines(suite) {
  const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const tests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
  if (tests.length === 0) return plain(suite.message ?? '').slice(0, 12);
  return tests.flatMap((a) => [`✕ ${a.fullName}`, ...(a.failureMessages ?? []).flatMap((m) => plain(m).slice(0, 8).map((l) => `  ${l}`))]).slice(0, 40);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const buildStatus = run(process.execPath, ['tools/build/build.mjs']);
const nx = buildStatus === 0 ? await runNx(['run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=static']) : { status: 1, failedTasks: [] };
const nxStatus = nx.status;

let passed = 0;
let failed = 0;
let skipped = 0;
let suites = 0;
const failedSuites = [];
if (existsSync(resultsDir)) {
  for (const file of readdirSync(resultsDir)) {
    const r = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    suites += r.numTotalTestSuites;
    for (const s of r.testResults) if (s.status === 'failed') failedSuites.push({ file: path.relative(root, s.name), why: failureLines(s) });
  }
}
process.stdout.write('\n── Trellis test summary ──\n');
process.stdout.write(`build: ${buildStatus === 0 ? 'ok' : 'FAILED'}; lint + typecheck + test (nx): ${nxStatus === 0 ? 'ok' : 'FAILED'}\n`);
for (const t of nx.failedTasks) {
  // a test task that wrote no results ended before jest's summary (a crash, a signal, a config that could not load)
  const project = t.endsWith(':test') ? t.slice(0, -':test'.length) : undefined;
  const died = project !== undefined && !existsSync(path.join(resultsDir, `${project}.json`));
  process.stdout.write(`  failed task: ${t}${died ? ' (no test results: jest ended before its summary; see its output above)' : ''}\n`);
}
process.stdout.write(`${suites} test suites\n`);
for (const s of failedSuites) process.stdout.write(`  failed: ${s.file}\n${s.why.map((l) => `    ${l}\n`).join('')}`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(buildStatus === 0 && nxStatus === 0 && failed === 0 ? 0 : 1);
