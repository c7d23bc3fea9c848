import * as vscode from 'vscode';
import type { CredentialKind, EnvironmentId } from '../../core/auth/types';
import { TelenorError } from '../../core/errors';
import type { CommandTable } from '../commands';
import type { ActiveApi, EnvironmentService } from '../contracts';
import type { Log } from '../log';
import { ENVIRONMENT_LABELS, type Settings } from '../settings';
import {
  buildValue,
  checkField,
  demoSlots,
  ENVIRONMENT_IDS,
  guessRegion,
  isEnvironment,
  isKind,
  isRegion,
  kindInfo,
  KINDS_BY_REGION,
  REGION_LABELS,
  type CredentialSlot,
  type Region,
} from './model';
import { pickStep, textStep, type PickItem, type StepFrame } from './quickInput';
import type { CredentialStore } from './store';

/** Answers for `telenor.setCredentials`; anything left out is asked for. */
export interface SetCredentialsArgs {
  environment?: EnvironmentId;
  region?: Region;
  kind?: CredentialKind;
  /** Field values by name (`clientId`, `clientSecret`, `username`, `password`, `userId`). */
  values?: Record<string, string>;
}

/** Answers for `telenor.clearCredentials`. `confirmed: true` skips the confirmation dialog. */
export interface ClearCredentialsArgs {
  environment?: EnvironmentId;
  region?: Region;
  kind?: CredentialKind;
  /** Every stored credential of every environment. */
  all?: boolean;
  confirmed?: boolean;
}

export interface CredentialCommandsDeps {
  store: CredentialStore;
  environments: EnvironmentService;
  settings: Settings;
  activeApi?: ActiveApi;
  log: Log;
}

const TITLE = 'Telenor: Set Credentials';
const SIGN_IN_NOW = 'Sign In Now';
/** The context key that shows "Clear Credentials…" in the palette only when there is something to clear. */
const STORED_CONTEXT = 'telenor.credentialsStored';

function slotLabel(slot: CredentialSlot): string {
  return `${ENVIRONMENT_LABELS[slot.environment]} · ${REGION_LABELS[slot.region]} · ${kindInfo(slot.kind, slot.region).label}`;
}

/** Loose command arguments (from tests, other features, keybindings) → the typed answers that are valid. */
function readArgs(raw: unknown): SetCredentialsArgs & ClearCredentialsArgs {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const out: SetCredentialsArgs & ClearCredentialsArgs = {};
  if (isEnvironment(o['environment'])) out.environment = o['environment'];
  if (isRegion(o['region'])) out.region = o['region'];
  if (isKind(o['kind'])) out.kind = o['kind'];
  if (typeof o['values'] === 'object' && o['values'] !== null) {
    out.values = Object.fromEntries(Object.entries(o['values'] as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  if (o['all'] === true) out.all = true;
  if (o['confirmed'] === true) out.confirmed = true;
  return out;
}

/**
 * `telenor.setCredentials`, `telenor.useSandboxCredentials` and `telenor.clearCredentials`: the guided
 * multi-step input, the one-step sandbox demo set, and clearing with confirmation.
 */
export class CredentialCommands implements vscode.Disposable {
  private readonly listener: vscode.Disposable;

  constructor(private readonly deps: CredentialCommandsDeps) {
    this.listener = deps.store.onDidChange(() => void this.updateContext());
    void this.updateContext();
  }

  commands(): CommandTable {
    return {
      'telenor.setCredentials': (args) => this.setCredentials(readArgs(args)),
      'telenor.useSandboxCredentials': (arg?: unknown) => this.useSandboxCredentials(arg),
      'telenor.clearCredentials': (args) => this.clearCredentials(readArgs(args)),
    };
  }

  /**
   * Four steps (environment → region → kind → the kind's fields); steps answered by `args` are skipped.
   * Escape anywhere stores nothing. Returns the slot stored, or undefined when cancelled.
   */
  async setCredentials(args: SetCredentialsArgs): Promise<CredentialSlot | undefined> {
    const answers: { environment?: EnvironmentId; region?: Region; kind?: CredentialKind; values: Record<string, string> } = {
      ...(args.environment ? { environment: args.environment } : {}),
      ...(args.region ? { region: args.region } : {}),
      ...(args.kind && (!args.region || KINDS_BY_REGION[args.region].includes(args.kind)) ? { kind: args.kind } : {}),
      values: { ...args.values },
    };
    const given = { environment: !!answers.environment, region: !!answers.region, kind: !!answers.kind };
    const fieldsOf = (): ReturnType<typeof kindInfo>['fields'] => kindInfo(answers.kind ?? 'client', answers.region ?? 'no').fields;
    // Everything answered (tests, other features): validate and store without asking; a bad value is an
    // error that says which field, not a prompt the caller cannot see.
    const answered = given.environment && given.region && given.kind && fieldsOf().every((f) => answers.values[f.name] !== undefined);
    const interactive = !answered;

    if (interactive) {
      // Steps as a list so Back can walk it; a step answered by args is not shown and not walked back to.
      // Field steps are answered by the person even when args pre-filled a non-secret value.
      let i = 0;
      const history: number[] = [];
      for (;;) {
        const steps = this.stepCount(answers.kind, answers.region);
        if (i >= steps) break;
        // One counter: each field is a step of its own (a machine user goes 1/4, 2/4, 3/4, then 4/5, 5/5).
        const frame: StepFrame = { title: TITLE, step: i + 1, totalSteps: steps, back: history.length > 0 };
        const skip = (i === 0 && given.environment) || (i === 1 && given.region) || (i === 2 && given.kind);
        if (skip) {
          i++;
          continue;
        }
        const r = await this.runStep(i, frame, answers);
        if (r === 'cancel') return undefined;
        if (r === 'back') {
          i = history.pop() ?? 0;
          continue;
        }
        history.push(i);
        i++;
      }
    }

    const { environment, region, kind } = answers;
    if (!environment || !region || !kind) return undefined;
    const built = buildValue(kind, answers.values);
    if ('problem' in built) {
      throw new TelenorError('input', `The ${kindInfo(kind, region).label} were not stored: ${built.problem}`, {
        hint: 'Run “Telenor: Set Credentials” again and fill in every field.',
      });
    }
    const slot: CredentialSlot = { environment, region, kind };
    await this.deps.store.set(slot, built.value);
    void this.confirmStored(
      `Stored the ${REGION_LABELS[region]} ${kindInfo(kind, region).label.toLowerCase()} for ${ENVIRONMENT_LABELS[environment]} in VS Code’s SecretStorage (your system keychain). Nothing was written to settings or the log.`,
      { environment, region },
    );
    return slot;
  }

  private stepCount(kind: CredentialKind | undefined, region: Region | undefined): number {
    return 3 + (kind ? kindInfo(kind, region ?? 'no').fields.length : 1);
  }

  private async runStep(
    i: number,
    frame: StepFrame,
    answers: { environment?: EnvironmentId; region?: Region; kind?: CredentialKind; values: Record<string, string> },
  ): Promise<'ok' | 'back' | 'cancel'> {
    const apply = <T>(r: { kind: 'value'; value: T } | { kind: 'back' } | { kind: 'cancel' }, set: (v: T) => void): 'ok' | 'back' | 'cancel' => {
      if (r.kind !== 'value') return r.kind;
      set(r.value);
      return 'ok';
    };
    if (i === 0) {
      const stored = await this.deps.store.list();
      const items: PickItem<EnvironmentId>[] = ENVIRONMENT_IDS.map((env) => {
        const count = stored.filter((s) => s.environment === env).length;
        return {
          value: env,
          label: ENVIRONMENT_LABELS[env],
          description: [env === this.deps.environments.current ? 'active' : '', count > 0 ? `${count} stored` : ''].filter(Boolean).join(' · '),
          detail:
            env === 'sandbox'
              ? 'The local sandbox: its demo credentials are public.'
              : env === 'test'
                ? 'Telenor’s test environment: credentials for test come separately from production.'
                : 'Telenor’s production environment.',
        };
      });
      return apply(await pickStep(frame, 'Which environment are these credentials for?', items, answers.environment ?? this.deps.environments.current), (v) => {
        answers.environment = v;
      });
    }
    if (i === 1) {
      const api = this.deps.activeApi?.current;
      const preselect = answers.region ?? (api ? guessRegion(api, this.deps.settings.current.authOverrides[api.title]) : undefined);
      const items: PickItem<Region>[] = [
        { value: 'se', label: REGION_LABELS.se, description: 'Telenor Open APIs (Sweden)', detail: 'Consumer key and secret; X-JWT credentials for Communication APIs.' },
        { value: 'no', label: REGION_LABELS.no, description: 'api.telenor.no (Norway)', detail: 'Client id and secret; a Min Bedrift machine user for the password grant.' },
      ];
      return apply(await pickStep(frame, 'Which country’s APIs are these credentials for?', items, preselect), (v) => {
        if (answers.region !== v) {
          answers.region = v;
          // A kind of the other country does not exist here.
          if (answers.kind && !KINDS_BY_REGION[v].includes(answers.kind)) delete answers.kind;
        }
      });
    }
    if (i === 2) {
      const region = answers.region ?? 'no';
      const environment = answers.environment ?? this.deps.environments.current;
      const stored = await this.deps.store.list({ environment, region });
      const items: PickItem<CredentialKind>[] = KINDS_BY_REGION[region].map((kind) => {
        const info = kindInfo(kind, region);
        const has = stored.some((s) => s.kind === kind);
        return { value: kind, label: info.label, description: has ? `$(pass-filled) stored, pick to replace · ${info.description}` : info.description, detail: info.detail };
      });
      // Preselect the first kind not stored yet: usually what the person came for.
      const preselect = answers.kind ?? KINDS_BY_REGION[region].find((k) => !stored.some((s) => s.kind === k));
      return apply(await pickStep(frame, `Which ${REGION_LABELS[region]} credentials do you want to store?`, items, preselect), (v) => {
        if (answers.kind !== v) answers.values = {};
        answers.kind = v;
      });
    }
    const kind = answers.kind ?? 'client';
    const region = answers.region ?? 'no';
    const fields = kindInfo(kind, region).fields;
    const field = fields[i - 3];
    if (!field) return 'ok';
    let prefill = answers.values[field.name];
    if (prefill === undefined && !field.secret && answers.environment) {
      // Ids are not secret: offer the stored one, so replacing a secret does not mean retyping the id.
      const current = await this.deps.store.read({ environment: answers.environment, region, kind }).catch(() => undefined);
      const v = (current as Record<string, unknown> | undefined)?.[field.name];
      if (typeof v === 'string') prefill = v;
    }
    const r = await textStep(
      { ...frame, title: `${TITLE}: ${field.label}` },
      {
        prompt: `${field.prompt} (${ENVIRONMENT_LABELS[answers.environment ?? 'sandbox']} · ${REGION_LABELS[region]})`,
        placeholder: field.placeholder,
        password: field.secret,
        ...(prefill !== undefined && !field.secret ? { value: prefill } : {}),
        validate: (v) => checkField(kind, field.name, v, region),
      },
    );
    return apply(r, (v) => {
      answers.values[field.name] = v;
    });
  }

  /**
   * The sandbox's demo apps in one step: the sandbox publishes its `DemoCredentials` at `GET /` (JSON), so
   * this works for the embedded sandbox and for one started with `npm run sandbox` alike.
   */
  /** `{ offerSignIn: false }` when the caller signs in right after (the panel's and the sign-in error's button). */
  async useSandboxCredentials(arg?: unknown): Promise<CredentialSlot[]> {
    const offerSignIn = (arg as { offerSignIn?: unknown } | undefined)?.offerSignIn !== false;
    const slots = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Telenor: Getting the sandbox’s demo credentials…', cancellable: true },
      async (_progress, token) => {
        const urls = await this.deps.environments.baseUrls('sandbox');
        const base = urls.no ?? urls.se;
        if (!base) {
          throw new TelenorError('input', 'No sandbox is available to ask for its demo credentials.', {
            hint: 'Start it with “Telenor: Start Sandbox”, or set telenor.sandbox.url to a running one.',
          });
        }
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        const timer = setTimeout(() => controller.abort(), 10_000);
        let body: unknown;
        try {
          const res = await fetch(`${base}/`, { headers: { accept: 'application/json' }, signal: controller.signal });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          body = await res.json();
        } catch (e) {
          if (token.isCancellationRequested) throw new TelenorError('cancelled', 'Cancelled.', { hint: '' });
          throw new TelenorError('network', `The sandbox at ${base} did not hand out its demo credentials (${e instanceof Error ? e.message : String(e)}).`, {
            hint: 'Check that the sandbox is running (“Telenor: Start Sandbox”) and that telenor.sandbox.url points at it.',
            cause: e,
          });
        } finally {
          clearTimeout(timer);
          sub.dispose();
        }
        const demo = demoSlots((body as { demoCredentials?: unknown } | undefined)?.demoCredentials);
        if (!demo) {
          throw new TelenorError('protocol', `${base} answered, but not with the sandbox’s demo credentials.`, {
            hint: 'Check that telenor.sandbox.url points at a Telenor API Explorer sandbox.',
          });
        }
        for (const { slot, value } of demo) await this.deps.store.set(slot, value);
        return demo.map((d) => d.slot);
      },
    );
    const stored = 'Stored the sandbox demo credentials for the Sandbox environment in SecretStorage: Sweden consumer key and X-JWT user, Norway client and machine user.';
    if (offerSignIn) void this.confirmStored(stored, { environment: 'sandbox' });
    else void vscode.window.showInformationMessage(stored);
    return slots;
  }

  /** Clear one slot, an environment, or everything; tokens obtained with them are forgotten (auth follows the store). */
  async clearCredentials(args: ClearCredentialsArgs): Promise<CredentialSlot[]> {
    const stored = await this.deps.store.list();
    let targets: CredentialSlot[];
    if (args.all) targets = stored;
    else if (args.environment || args.region || args.kind) {
      targets = stored.filter(
        (s) => (!args.environment || s.environment === args.environment) && (!args.region || s.region === args.region) && (!args.kind || s.kind === args.kind),
      );
    } else {
      if (stored.length === 0) {
        void vscode.window.showInformationMessage('No Telenor credentials are stored.');
        return [];
      }
      const items: PickItem<CredentialSlot[]>[] = [
        ...stored.map((s) => ({ value: [s], label: slotLabel(s) })),
        ...ENVIRONMENT_IDS.filter((env) => stored.filter((s) => s.environment === env).length > 1).map((env) => ({
          value: stored.filter((s) => s.environment === env),
          label: `Everything for ${ENVIRONMENT_LABELS[env]}`,
          description: `${stored.filter((s) => s.environment === env).length} stored`,
        })),
        { value: stored, label: 'All stored Telenor credentials', description: `${stored.length} stored` },
      ];
      const chosen = await vscode.window.showQuickPick(items, { title: 'Telenor: Clear Credentials', placeHolder: 'Which credentials do you want to remove from SecretStorage?' });
      if (!chosen) return [];
      targets = chosen.value;
    }
    if (targets.length === 0) {
      void vscode.window.showInformationMessage('No matching Telenor credentials are stored.');
      return [];
    }
    if (!args.confirmed) {
      const what = targets.length === 1 && targets[0] ? slotLabel(targets[0]) : `${targets.length} stored credentials`;
      const answer = await vscode.window.showWarningMessage(
        `Remove ${what} from SecretStorage?`,
        { modal: true, detail: 'Tokens obtained with them are forgotten in this window. You can store them again with “Telenor: Set Credentials”.' },
        'Remove',
      );
      if (answer !== 'Remove') return [];
    }
    for (const slot of targets) await this.deps.store.clear(slot);
    void vscode.window.showInformationMessage(
      targets.length === 1 && targets[0] ? `Removed ${slotLabel(targets[0])}.` : `Removed ${targets.length} stored credentials.`,
    );
    return targets;
  }

  private async confirmStored(message: string, signIn: { environment: EnvironmentId; region?: Region }): Promise<void> {
    const answer = await vscode.window.showInformationMessage(message, SIGN_IN_NOW);
    if (answer === SIGN_IN_NOW) await vscode.commands.executeCommand('telenor.signIn', signIn);
  }

  private async updateContext(): Promise<void> {
    try {
      const stored = await this.deps.store.list();
      await vscode.commands.executeCommand('setContext', STORED_CONTEXT, stored.length > 0);
    } catch (e) {
      this.deps.log.debug('Could not update the credentials context key:', e);
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}
