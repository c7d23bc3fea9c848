/**
 * Searches places for secrets: files (raw bytes, as UTF-8 and as UTF-16LE, since Chromium's LevelDB stores
 * some strings that way), SQLite databases (decoded with the `sqlite3` CLI when the machine has it, on top
 * of the raw bytes), and texts the test collected (a DOM, a clipboard, a document). Pure Node: used by the
 * UI tests and the in-host tests alike.
 *
 * A hit names the place and the needle's label, never the needle: the report itself must not leak.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Needle {
  /** What it is ("Norway client secret", "access token #3"), for the report. */
  label: string;
  value: string;
}

export interface Hit {
  place: string;
  needle: string;
  /** How it was found: `utf8`, `utf16le`, `sqlite` or `text`. */
  how: string;
}

export interface ScanTotals {
  files: number;
  bytes: number;
  /** Named texts searched (DOM, clipboard, documents…). */
  texts: number;
  sqliteDatabases: number;
  sqliteRows: number;
  /** Places excluded on purpose, with why. */
  excluded: string[];
  hits: Hit[];
}

export interface FileScanOptions {
  /** Paths (files or folders) not to search, each with the reason shown in the report. */
  exclude?: ReadonlyArray<{ path: string; why: string }>;
  /** Files larger than this are read only up to it. Default 256 MB. */
  maxFileBytes?: number;
}

/** Whether the `sqlite3` command line tool is on this machine (then `.vscdb` / SQLite files are decoded too). */
export function sqliteAvailable(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export class LeakScanner {
  readonly totals: ScanTotals = { files: 0, bytes: 0, texts: 0, sqliteDatabases: 0, sqliteRows: 0, excluded: [], hits: [] };
  /** Every file searched, so a test can check the places it claims were among them. */
  readonly filesSearched: string[] = [];
  private readonly utf16: Array<{ needle: Needle; bytes: Buffer }>;
  private readonly utf8: Array<{ needle: Needle; bytes: Buffer }>;
  private readonly sqlite = sqliteAvailable();

  constructor(readonly needles: readonly Needle[]) {
    // Short needles would match by chance; every secret and token here is long and random.
    for (const n of needles) if (n.value.length < 8) throw new Error(`needle "${n.label}" is too short to search for`);
    this.utf8 = needles.map((needle) => ({ needle, bytes: Buffer.from(needle.value, 'utf8') }));
    this.utf16 = needles.map((needle) => ({ needle, bytes: Buffer.from(needle.value, 'utf16le') }));
  }

  /** Whether SQLite files are decoded as well as searched raw. */
  get decodesSqlite(): boolean {
    return this.sqlite;
  }

  /** Searches every file under each root (recursively; symlinks not followed). */
  scanFiles(roots: readonly string[], options: FileScanOptions = {}): void {
    const excluded = options.exclude ?? [];
    for (const e of excluded) this.totals.excluded.push(`${e.path}: ${e.why}`);
    const isExcluded = (p: string): boolean => excluded.some((e) => p === e.path || p.startsWith(`${e.path}/`));
    const walk = (p: string): void => {
      if (isExcluded(p)) return;
      let st;
      try {
        st = lstatSync(p);
      } catch {
        return; // Gone meanwhile (a lock file, a socket's twin).
      }
      if (st.isSymbolicLink()) return;
      if (st.isDirectory()) {
        let names: string[] = [];
        try {
          names = readdirSync(p);
        } catch {
          return;
        }
        for (const name of names) walk(join(p, name));
        return;
      }
      if (!st.isFile()) return; // sockets, fifos
      this.scanFile(p, options.maxFileBytes ?? 256 * 1024 * 1024);
    };
    for (const root of roots) if (existsSync(root)) walk(root);
  }

  private scanFile(path: string, max: number): void {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch {
      return;
    }
    if (data.length > max) data = data.subarray(0, max);
    this.totals.files++;
    this.totals.bytes += data.length;
    this.filesSearched.push(path);
    this.searchBytes(path, data);
    if (this.sqlite && data.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') this.scanSqlite(path);
  }

  /** Searches bytes someone else read (a file's content, a blob). */
  searchBytes(place: string, data: Buffer): void {
    for (const { needle, bytes } of this.utf8) if (data.includes(bytes)) this.hit(place, needle, 'utf8');
    for (const { needle, bytes } of this.utf16) if (data.includes(bytes)) this.hit(place, needle, 'utf16le');
  }

  /** Every table's every row as text (`sqlite3 -json`): catches values the raw bytes hide (overflow pages, compressed blobs). */
  private scanSqlite(path: string): void {
    let tables: string[];
    try {
      tables = execFileSync('sqlite3', ['-readonly', path, "SELECT name FROM sqlite_master WHERE type='table'"], { stdio: 'pipe', encoding: 'utf8' })
        .split('\n')
        .map((t) => t.trim())
        .filter(Boolean);
    } catch {
      return; // Locked or not a database after all: the raw bytes were searched anyway.
    }
    this.totals.sqliteDatabases++;
    for (const table of tables) {
      let json = '';
      try {
        json = execFileSync('sqlite3', ['-readonly', '-json', path, `SELECT * FROM "${table.replace(/"/g, '""')}"`], {
          stdio: 'pipe',
          encoding: 'utf8',
          maxBuffer: 512 * 1024 * 1024,
        });
      } catch {
        continue;
      }
      const rows = json.trim() ? (JSON.parse(json) as unknown[]) : [];
      this.totals.sqliteRows += rows.length;
      // Values may hold JSON inside JSON: search the decoded text and the text with escapes undone.
      const text = `${json}\n${json.replace(/\\(["\\/])/g, '$1')}`;
      for (const n of this.needles) if (text.includes(n.value)) this.hit(`${path} (table ${table})`, n, 'sqlite');
    }
  }

  /** A text the test collected: a webview's DOM, the clipboard, a document, its own output. */
  scanText(place: string, text: string): void {
    this.totals.texts++;
    this.totals.bytes += Buffer.byteLength(text);
    for (const n of this.needles) if (text.includes(n.value)) this.hit(place, n, 'text');
  }

  private hit(place: string, needle: Needle, how: string): void {
    if (!this.totals.hits.some((h) => h.place === place && h.needle === needle.label)) this.totals.hits.push({ place, needle: needle.label, how });
  }

  /** One line for the test output and the README figures. */
  summary(): string {
    const t = this.totals;
    return `${this.needles.length} secrets/tokens searched in ${t.files} files + ${t.texts} texts (${(t.bytes / 1024 / 1024).toFixed(1)} MB)${
      this.sqlite ? `, ${t.sqliteDatabases} SQLite databases decoded (${t.sqliteRows} rows)` : ', SQLite searched as raw bytes only (no sqlite3)'
    }: ${t.hits.length} hits`;
  }
}
