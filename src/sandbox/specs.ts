// The OpenAPI specs shipped with the extension (src/sandbox/specs → dist/specs) and served by the sandbox
// at /specs/<file>. The list is data, so the extension's tree can show built-in APIs without reading files.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GrantKind } from '../core/auth/types';
import type { Exchange } from './context';
import { sendJson, sendRaw } from './http';

export interface BuiltinSpec {
  /** File name inside the specs folder (dist/specs at run time). */
  file: string;
  title: string;
  region: 'no' | 'se';
  grant: GrantKind;
  /** Sweden Communication APIs: the `service` name for `hasPermission` (X-JWT). */
  service?: string;
}

export const BUILTIN_SPECS: readonly BuiltinSpec[] = Object.freeze([
  { file: 'mobile-subscription-info.yaml', title: 'Mobile Subscription Info API', region: 'no', grant: 'no-password' },
  { file: 'telenor-stores.json', title: 'Telenor Stores API', region: 'no', grant: 'no-client-credentials' },
  { file: 'mobile-device-info.yaml', title: 'Mobile Device Info API', region: 'no', grant: 'no-authorization-code' },
  { file: 'product-catalog.yaml', title: 'Fixed Network Product Catalog API', region: 'se', grant: 'se-client-credentials' },
  {
    file: 'mobile-subscriptions-administration.yaml',
    title: 'Mobile Subscriptions Administration API',
    region: 'se',
    grant: 'se-client-credentials',
    service: 'Mobile Subscriptions Administration API',
  },
] satisfies BuiltinSpec[]);

/** The first `<dir>/<relative>` that exists, trying `from` and then up to five of its parents. */
export function findUp(from: string, relatives: readonly string[]): string | undefined {
  let dir = from;
  for (let depth = 0; depth < 6; depth++) {
    for (const relative of relatives) {
      if (existsSync(join(dir, relative))) return join(dir, relative);
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Finds the specs folder from where the running bundle lives: next to it in `dist/` (the extension and
 * the CLI), or the repository's `dist/specs` / `src/sandbox/specs` when a test bundle in `out/…` runs.
 */
export function findSpecsDir(from: string): string | undefined {
  const probe = BUILTIN_SPECS[0]?.file ?? '';
  const hit = findUp(from, ['specs', join('dist', 'specs'), join('src', 'sandbox', 'specs')].map((dir) => join(dir, probe)));
  return hit === undefined ? undefined : dirname(hit);
}

const MEDIA_TYPES: Record<string, string> = { json: 'application/json; charset=utf-8', yaml: 'application/yaml; charset=utf-8' };

/** `GET /specs/` (the list) and `GET /specs/<file>`; only listed files are served, so no path tricks apply. */
export async function serveSpec(x: Exchange): Promise<void> {
  const name = x.url.pathname.slice('/specs/'.length);
  if (name === '') {
    return sendJson(
      x.res,
      200,
      BUILTIN_SPECS.map((s) => ({ ...s, url: `/specs/${s.file}` })),
    );
  }
  const spec = BUILTIN_SPECS.find((s) => s.file === name);
  const dir = x.ctx.specsDir;
  if (spec === undefined || dir === undefined) {
    return sendJson(x.res, 404, {
      error: 'not_found',
      error_description: spec === undefined ? `No shipped spec named ${name}; see /specs/` : 'The sandbox could not find its specs folder.',
    });
  }
  let text: string;
  try {
    text = await readFile(join(dir, spec.file), 'utf8');
  } catch {
    return sendJson(x.res, 404, { error: 'not_found', error_description: `The spec file ${spec.file} is missing from ${dir}.` });
  }
  sendRaw(x.res, 200, MEDIA_TYPES[spec.file.split('.').pop() ?? ''] ?? 'text/plain; charset=utf-8', text);
}
