import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

/**
 * "Installs clean" (the CLI issue): npm prints no warnings of our own making, the lockfile agrees
 * with package.json (what `npm install` on a fresh clone leaves unchanged and `npm ci` accepts),
 * and the default store and inbox folders are ignored by git.
 */
const ROOT = resolve(import.meta.dirname, '..');
const npm = (args: string[]) => spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } });

test('npm reads the project config without warnings', () => {
  const r = npm(['config', 'get', 'registry']);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /unknown (project|user|env) config|npm warn/i);
});

test('package-lock.json agrees with package.json (npm ls on the lockfile alone)', () => {
  const r = npm(['ls', '--all', '--package-lock-only', '--json']);
  assert.equal(r.status, 0, r.stderr.slice(0, 2000));
  const tree = JSON.parse(r.stdout) as { problems?: string[] };
  assert.deepEqual(tree.problems ?? [], []);
});

test('the default store and inbox folders are ignored by git', (t) => {
  const r = spawnSync('git', ['check-ignore', 'data/x.json', 'inbox/x.pdf'], { cwd: ROOT, encoding: 'utf8' });
  if (r.error || /not a git repository/.test(r.stderr)) { t.skip('not a git checkout'); return; }
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['data/x.json', 'inbox/x.pdf']);
});
