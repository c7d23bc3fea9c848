/** Every grant behind the one `Grant` interface, looked up by the profile's grant kind. */
import type { GrantKind } from '../types';
import type { Grant } from '../grant';
import { noClientCredentialsGrant, seClientCredentialsGrant } from './clientCredentials';
import { noPasswordGrant } from './password';
import { noAuthorizationCodeGrant } from './browserSignIn';

const GRANTS: Readonly<Record<GrantKind, Grant>> = {
  'se-client-credentials': seClientCredentialsGrant,
  'no-client-credentials': noClientCredentialsGrant,
  'no-password': noPasswordGrant,
  'no-authorization-code': noAuthorizationCodeGrant,
};

export function grantFor(kind: GrantKind): Grant {
  return GRANTS[kind];
}
