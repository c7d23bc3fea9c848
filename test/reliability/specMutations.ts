/**
 * Hostile specs for the fuzz suite: real specs (the sandbox's and the test fixtures) mutated the ways a
 * spec file goes wrong in the wild or is made to go wrong on purpose. Everything is a fast-check
 * arbitrary, so a failing case is replayed from its seed and path (see test/reliability/README.md).
 *
 * A case is built in two steps: an optional change to the parsed document (a wrong type at a random
 * pointer, a dangling or circular `$ref`, a huge string, 10,000 levels of nesting, an unknown version, a
 * YAML alias bomb, a duplicate key), written out as JSON or YAML, then an optional change to the bytes
 * (truncation, binary garbage, a BOM, UTF-16, a Latin-1 stretch inside UTF-8).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import fc from 'fast-check';
import { dump as dumpYaml, load as loadYaml } from 'js-yaml';

export interface SeedSpec {
  name: string;
  text: string;
  /** The parsed document, when the seed parses at all (the broken fixtures do not). */
  doc: unknown;
}

export interface FuzzCase {
  /** What was done, for the failure report: `seed ← mutation ← bytes`. */
  label: string;
  /** File name the case is written to (its extension decides JSON/YAML the way a user's file would). */
  fileName: string;
  bytes: Buffer;
}

/** The sandbox's shipped specs and the spec fixtures (files only; `garbage.bin` too). */
export function loadSeeds(repoRoot: string): SeedSpec[] {
  const dirs = [join(repoRoot, 'src', 'sandbox', 'specs'), join(repoRoot, 'test', 'fixtures', 'specs')];
  const seeds: SeedSpec[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (!statSync(path).isFile() || !/\.(json|ya?ml|bin)$/.test(name)) continue;
      const text = readFileSync(path, 'utf8');
      let doc: unknown;
      try {
        doc = name.endsWith('.json') ? JSON.parse(text) : loadYaml(text);
      } catch {
        doc = undefined;
      }
      seeds.push({ name, text, doc });
    }
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------- pointers

type Path = Array<string | number>;

/** Every path in a document (objects and arrays), root included, in document order; at most `limit`. */
export function allPaths(doc: unknown, limit = 5000): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (out.length >= limit) return;
    out.push(path);
    if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
  };
  walk(doc, []);
  return out;
}

function pointerOf(path: Path): string {
  return '#' + path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** A deep copy with the value at `path` replaced (the root when `path` is empty). */
function setAt(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let cur = copy;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  cur[path[path.length - 1] as string | number] = value;
  return copy;
}

/** Paths worth hitting on purpose: where the indexer copies raw values into what it sends to the host. */
function interestingPaths(doc: unknown): Path[] {
  return allPaths(doc).filter((p) => {
    const last = String(p[p.length - 1] ?? '');
    return ['example', 'examples', 'default', 'enum', 'x-example', 'tags', 'servers', 'security', 'scopes', 'variables', 'parameters', 'info', 'title', 'description', '$ref'].includes(last) || last.startsWith('x-');
  });
}

// ---------------------------------------------------------------------------------------- values

const MARK = '__TAE_FUZZ_MARK__';

/** A value of a (usually) different type than what was there. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, 1e308, true, false, '', [], {}, [null], { $ref: 42 }, { $ref: '' }, 'not an object'),
  fc.jsonValue({ maxDepth: 3 }),
);

function nested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + '1' + ']'.repeat(depth);
}

/** A YAML "billion laughs": `levels` anchors of 9 aliases each (9^levels leaves if expanded). */
function aliasBombDefs(levels: number): string {
  let s = 'x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= levels; i++) s += `  l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]\n`;
  return s;
}

// ---------------------------------------------------------------------------------------- doc mutations

type Format = 'json' | 'yaml';

interface DocMutation {
  label: string;
  /** Text in the given format. */
  write(doc: unknown, format: Format): string;
  /** The mutation only makes sense in YAML (anchors). */
  yamlOnly?: boolean;
}

function serialize(doc: unknown, format: Format): string {
  return format === 'json' ? JSON.stringify(doc, null, 2) : dumpYaml(doc, { noRefs: true, lineWidth: -1 });
}

/** Serialize with a marker string at `path`, then put raw text (nesting, aliases) where the marker is. */
function withRawAt(doc: unknown, path: Path, format: Format, raw: string): string {
  const text = serialize(setAt(doc, path, MARK), format);
  const quoted = format === 'json' ? `"${MARK}"` : MARK;
  const at = text.indexOf(quoted);
  return at === -1 ? text : text.slice(0, at) + raw + text.slice(at + quoted.length);
}

function docMutation(doc: unknown): fc.Arbitrary<DocMutation> {
  const paths = allPaths(doc);
  const hot = interestingPaths(doc);
  const anyPath = fc.oneof(fc.constantFrom(...paths), hot.length > 0 ? fc.constantFrom(...hot) : fc.constantFrom(...paths));
  const innerPath = anyPath.filter((p) => p.length > 0);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(anyPath, wrongValue).map(([p, v]): DocMutation => ({ label: `wrong type at ${pointerOf(p)}`, write: (d, f) => serialize(setAt(d, p, v), f) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(innerPath, fc.constantFrom('#/components/schemas/Nope', '#/definitions/Nope', '#/nowhere/at/all', '#/paths/~1nope', 'missing.yaml#/X', '#x', '')).map(
        ([p, ref]): DocMutation => ({ label: `dangling $ref ${ref} at ${pointerOf(p)}`, write: (d, f) => serialize(setAt(d, p, { $ref: ref }), f) }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(innerPath, fc.nat()).map(([p, n]): DocMutation => {
        // Point at itself or at one of its ancestors: a cycle through this node.
        const target = pointerOf(p.slice(0, n % p.length === 0 ? p.length : n % p.length));
        return { label: `circular $ref ${target} at ${pointerOf(p)}`, write: (d, f) => serialize(setAt(d, p, { $ref: target }), f) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(innerPath, fc.constantFrom(100_000, 1_000_000), fc.constantFrom('x', 'ø', '"\\\n')).map(
        ([p, n, unit]): DocMutation => ({ label: `huge string (${n} × ${JSON.stringify(unit)}) at ${pointerOf(p)}`, write: (d, f) => serialize(setAt(d, p, unit.repeat(n)), f) }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(innerPath, fc.constantFrom<'object' | 'array'>('object', 'array'), fc.constantFrom(10_000, 1_100)).map(
        ([p, kind, depth]): DocMutation => ({
          label: `${depth} levels of nested ${kind}s at ${pointerOf(p)}`,
          // JSON and YAML flow style share the syntax; YAML block style would need O(depth²) spaces.
          write: (d, f) => withRawAt(d, p, f, nested(depth, kind)),
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.constantFrom<unknown>('4.0.0', '3.2', '2.0', '3', 3, 3.0, 2, '', null, ['3.0.0'], { v: 3 }, 'openapi'), fc.string({ maxLength: 12 }))
        .chain((v) => fc.constantFrom('openapi', 'swagger').map((field) => [field, v] as const))
        .map(([field, v]): DocMutation => ({
          label: `unknown version ${field}: ${JSON.stringify(v)}`,
          write: (d, f) => {
            const copy = typeof d === 'object' && d !== null && !Array.isArray(d) ? { ...(d as Record<string, unknown>) } : {};
            delete copy['openapi'];
            delete copy['swagger'];
            return serialize({ [field]: v, ...copy }, f);
          },
        })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(innerPath, fc.constantFrom(6, 8, 9)).map(([p, levels]): DocMutation => ({
        label: `YAML alias bomb (9^${levels}) at ${pointerOf(p)}`,
        yamlOnly: true,
        write: (d) => aliasBombDefs(levels) + withRawAt(d, p, 'yaml', `*l${levels}`),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(innerPath, wrongValue).map(([p, v]): DocMutation => ({
        label: `duplicate key ${String(p[p.length - 1])} at ${pointerOf(p)}`,
        write: (d, f) => duplicateKey(d, p, v, f),
      })),
    },
  );
}

/** The member at `path` written twice (the second with another value), in JSON or YAML. */
function duplicateKey(doc: unknown, path: Path, value: unknown, format: Format): string {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return serialize(doc, format);
  const parentPath = path.slice(0, -1);
  const copy = structuredClone(doc) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const p of parentPath) parent = parent[p] as Record<string, unknown>;
  const dupKey = `${MARK}dup`;
  parent[dupKey] = value;
  const text = serialize(copy, format);
  return format === 'json' ? text.replace(`"${dupKey}"`, JSON.stringify(key)) : text.replace(dupKey, /^[\w$-]+$/.test(key) ? key : JSON.stringify(key));
}

// ---------------------------------------------------------------------------------------- byte mutations

/** A place in the text, 0..1, spread evenly (fast-check's default bias would pile up at 0). */
const fraction: fc.Arbitrary<number> = fc.noBias(fc.integer({ min: 0, max: 10_000 })).map((n) => n / 10_000);

interface ByteMutation {
  label: string;
  apply(text: string): Buffer;
}

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<ByteMutation>({ label: 'as is', apply: (t) => Buffer.from(t, 'utf8') }) },
  {
    weight: 3,
    arbitrary: fraction.map((at): ByteMutation => ({
      label: `truncated at ${(at * 100).toFixed(1)} %`,
      apply: (t) => Buffer.from(t, 'utf8').subarray(0, Math.floor(Buffer.byteLength(t) * at)),
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([at, junk]): ByteMutation => ({
      label: `${junk.length} random bytes inserted at ${(at * 100).toFixed(1)} %`,
      apply: (t) => {
        const b = Buffer.from(t, 'utf8');
        const i = Math.floor(b.length * at);
        return Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]);
      },
    })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 4096 }).map((junk): ByteMutation => ({ label: `${junk.length} bytes of binary garbage`, apply: () => Buffer.from(junk) })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('utf8-bom', 'utf16le-bom', 'utf16be-bom', 'utf16le-no-bom', 'bom-twice', 'bom-inside').map((kind): ByteMutation => ({
      label: kind,
      apply: (t) => {
        const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
        switch (kind) {
          case 'utf8-bom':
            return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]);
          case 'utf16le-bom':
            return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]);
          case 'utf16be-bom':
            return Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]);
          case 'utf16le-no-bom':
            return Buffer.from(t, 'utf16le');
          case 'bom-twice':
            return Buffer.from('\ufeff\ufeff' + t, 'utf8');
          default:
            return Buffer.from(t.slice(0, t.length >> 1) + '\ufeff' + t.slice(t.length >> 1), 'utf8');
        }
      },
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fraction, fc.constantFrom('latin1', 'invalid-utf8', 'lone-surrogate', 'cesu')).map(([at, kind]): ByteMutation => ({
      label: `mixed encoding (${kind}) at ${(at * 100).toFixed(1)} %`,
      apply: (t) => {
        const i = Math.floor(t.length * at);
        const insert =
          kind === 'latin1'
            ? Buffer.from('blåbærsyltetøy æøå ÆØÅ', 'latin1')
            : kind === 'invalid-utf8'
              ? Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe])
              : kind === 'lone-surrogate'
                ? Buffer.from([0xed, 0xa0, 0x80])
                : Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]);
        return Buffer.concat([Buffer.from(t.slice(0, i), 'utf8'), insert, Buffer.from(t.slice(i), 'utf8')]);
      },
    })),
  },
);

// ---------------------------------------------------------------------------------------- cases

/** One fuzz case from one of `seeds`. */
export function fuzzCase(seeds: readonly SeedSpec[]): fc.Arbitrary<FuzzCase> {
  const perSeed = seeds.map((seed) => {
    const parsed = seed.doc !== undefined && typeof seed.doc === 'object';
    const original = fc.constant<DocMutation>({ label: 'unchanged', write: () => seed.text });
    const mutation = parsed ? fc.oneof({ weight: 1, arbitrary: original }, { weight: 5, arbitrary: docMutation(seed.doc) }) : original;
    return fc.tuple(mutation, fc.constantFrom<Format>('json', 'yaml'), byteMutation).map(([m, chosen, bytes]): FuzzCase => {
      const format: Format = m.yamlOnly ? 'yaml' : m.label === 'unchanged' ? (extname(seed.name) === '.json' ? 'json' : 'yaml') : chosen;
      const text = m.label === 'unchanged' ? seed.text : m.write(seed.doc, format);
      const base = seed.name.replace(/\.[^.]+$/, '');
      return {
        label: `${seed.name} ← ${m.label} (${format}) ← ${bytes.label}`,
        fileName: `${base}.${format === 'json' ? 'json' : 'yaml'}`,
        bytes: bytes.apply(text),
      };
    });
  });
  return fc.oneof(...perSeed);
}
