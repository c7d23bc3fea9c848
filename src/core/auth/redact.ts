/**
 * Masking for what the auth code shows a person (exchange records, error messages, callback pages), built
 * on the shared `Redactor` (src/core/util/redact.ts) so auth and the send path mask alike: passwords and
 * client secrets become `***`, tokens and codes keep a 4-character prefix.
 */
import { Redactor, type SecretKind } from '../util/redact';

/** A value we sent and must never show back: `password` kind shows nothing, `token` a 4-character prefix. */
export interface Secret {
  value: string;
  kind: SecretKind;
}

/** A redactor that knows these secrets by value, on top of the shared shape rules. */
export function redactorFor(secrets: readonly Secret[]): Redactor {
  const r = new Redactor();
  for (const s of secrets) r.register(s.value, s.kind);
  return r;
}

/** `text` with the given secrets and anything secret-shaped masked. */
export function scrubText(text: string, secrets: readonly Secret[] = []): string {
  return redactorFor(secrets).redact(text);
}

/** At most `max` characters of one line of text, for messages that quote what came back. */
export function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
