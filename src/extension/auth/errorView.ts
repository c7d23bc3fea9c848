/**
 * How a failed sign-in is shown: the message (what happened and what to do — core errors already carry
 * both, with the seeds' wording for token-endpoint codes) and the buttons that fix it. Pure, so the
 * choice of actions is unit-tested (test/unit/auth.errorView.test.ts) and reported by the commands.
 */

export type FixAction =
  | 'Use Demo Credentials'
  | 'Set Credentials'
  | 'Try Again'
  | 'Copy Callback URL'
  | 'Open Network Settings'
  | 'Open Environment Settings'
  | 'Open Auth Settings'
  | 'Show Token Inspector'
  | 'Show Log';

export interface ErrorView {
  message: string;
  actions: FixAction[];
  /** Cancelled by the person: show nothing. */
  silent: boolean;
}

interface ErrorLike {
  kind?: unknown;
  message?: unknown;
  hint?: unknown;
  httpStatus?: unknown;
  code?: unknown;
  oauthError?: unknown;
  isTelenorError?: unknown;
}

/** Telenor codes that mean "the stored client id/secret or machine user is wrong" (seeds 001, 004). */
const CREDENTIAL_CODES = new Set([1, 6, 20, 22, 23]);

export function signInErrorView(e: unknown, context: { callbackUri?: string; environment?: string } = {}): ErrorView {
  const err: ErrorLike = typeof e === 'object' && e !== null ? (e as ErrorLike) : {};
  const telenor = err.isTelenorError === true;
  const text = telenor
    ? `${String(err.message)}${typeof err.hint === 'string' && err.hint ? ` ${err.hint}` : ''}`
    : e instanceof Error
      ? `Signing in failed unexpectedly: ${e.message}`
      : `Signing in failed unexpectedly: ${String(e)}`;
  const view = (actions: FixAction[]): ErrorView => ({ message: text, actions, silent: false });
  if (!telenor) return view(['Show Log']);
  switch (err.kind) {
    case 'cancelled':
      return { message: text, actions: [], silent: true };
    case 'credentials-missing':
      return view(context.environment === 'sandbox' ? ['Use Demo Credentials', 'Set Credentials'] : ['Set Credentials']);
    case 'consent-denied':
      return view(['Try Again']);
    case 'callback':
    case 'timeout':
      return view(['Try Again']);
    case 'network':
      return view(['Try Again', 'Open Network Settings', 'Show Log']);
    case 'policy':
    case 'input':
      return view(['Open Environment Settings', 'Open Auth Settings']);
    case 'token-endpoint': {
      const code = typeof err.code === 'number' ? err.code : undefined;
      const status = typeof err.httpStatus === 'number' ? err.httpStatus : undefined;
      if (code === 12) return view(context.callbackUri ? ['Copy Callback URL', 'Try Again'] : ['Try Again']);
      if (code === 4 || code === 7) return view(['Try Again']);
      if (code === 8) return view(['Open Auth Settings', 'Show Token Inspector']);
      if ((code !== undefined && CREDENTIAL_CODES.has(code)) || err.oauthError === 'invalid_client' || (code === undefined && (status === 401 || status === 403))) {
        return view(['Set Credentials', 'Show Token Inspector']);
      }
      if (status !== undefined && status >= 500) return view(['Try Again', 'Show Token Inspector']);
      return view(['Show Token Inspector', 'Set Credentials']);
    }
    case 'protocol':
      return view(['Show Token Inspector', 'Open Environment Settings']);
    default:
      return view(['Show Log']);
  }
}
