import * as assert from 'node:assert/strict';
import { classifyApiError, isTokenRejection, norwayCodeMeaning } from '../../src/core/http/apiErrors';
import { sendRequest } from '../../src/core/http/send';
import { createTestServer, UNAUTHORIZED_FORMS, type TestServer } from '../helpers/servers';

/** The Norway API error codes with the reference pages' wording (telenor-facts.md). */
const NORWAY: Array<[number, string, string]> = [
  [400, '40001', 'missing or invalid enduserId'],
  [401, '40101', 'invalid resource'],
  [401, '40102', 'missing authorization header'],
  [401, '40103', 'no API product found'],
  [401, '40104', 'not authorized to use given MSISDN'],
  [401, '40105', 'invalid access token'],
  [401, '40106', 'access token expired'],
  [401, '40107', 'basic auth not allowed'],
  [401, '40108', 'invalid client id or secret for basic auth'],
  [403, '40301', 'invalid scope'],
  [404, '40401', 'path or method not found'],
  [404, '4042000', 'not found on back-end'],
  [429, '42901', 'rate limit quota violation'],
  [429, '42902', 'spike arrest violation'],
  [500, '50001', 'internal server error'],
  [500, '50002', 'failed to validate acr'],
  [500, '50003', 'failed to validate subscription'],
];

describe('http/apiErrors', () => {
  describe('Norway codes in every body form', () => {
    for (const [status, code, meaning] of NORWAY) {
      it(`${status}/${code} "${meaning}"`, () => {
        const forms = [
          JSON.stringify({ errorCode: Number(code) }),
          JSON.stringify({ code }),
          JSON.stringify({ error: { details: [{ code: Number(code), message: 'x' }] } }),
          JSON.stringify({ httpStatus: status, httpMessage: 'x', description: 'y', errorCode: code, resourceId: 'r', origin: 'o' }),
          `Error ${code}: ${meaning}`,
          JSON.stringify({ message: `failed with ${code}` }),
        ];
        for (const body of forms) {
          const info = classifyApiError(status, body);
          assert.equal(info?.code, code, body);
          assert.equal(info?.meaning, meaning, body);
          assert.ok((info?.hint ?? '').length > 0);
        }
        assert.equal(norwayCodeMeaning(code)?.meaning, meaning);
        assert.equal(norwayCodeMeaning(code)?.status, status);
      });
    }

    it('marks only 40105 and 40106 as token problems', () => {
      for (const [status, code] of NORWAY) {
        const expected = code === '40105' ? 'invalid' : code === '40106' ? 'expired' : undefined;
        assert.equal(classifyApiError(status, JSON.stringify({ errorCode: code }))?.tokenProblem, expected, code);
      }
    });

    it('prefers a code under a code-like key over a number elsewhere', () => {
      const info = classifyApiError(401, JSON.stringify({ amount: 40001, detail: { errorCode: 40106 } }));
      assert.equal(info?.code, '40106');
    });

    it('does not read longer numbers as codes', () => {
      assert.equal(classifyApiError(500, 'order 4010612 failed')?.code, undefined);
      assert.equal(classifyApiError(404, 'not found 40420001')?.code, undefined);
    });
  });

  describe('other forms', () => {
    it('Apigee faults: expired and invalid', () => {
      const expired = classifyApiError(401, UNAUTHORIZED_FORMS['apigee-expired']?.body ?? '');
      assert.equal(expired?.tokenProblem, 'expired');
      assert.equal(expired?.code, 'keymanagement.service.access_token_expired');
      const invalid = classifyApiError(401, UNAUTHORIZED_FORMS['apigee-invalid']?.body ?? '');
      assert.equal(invalid?.tokenProblem, 'invalid');
      assert.equal(invalid?.code, 'keymanagement.service.invalid_access_token');
    });

    it('CAMARA bodies', () => {
      const info = classifyApiError(401, JSON.stringify({ status: 401, code: 'UNAUTHENTICATED', message: 'Request not authenticated' }));
      assert.deepEqual([info?.code, info?.tokenProblem], ['UNAUTHENTICATED', 'invalid']);
      const denied = classifyApiError(403, JSON.stringify({ status: 403, code: 'PERMISSION_DENIED', message: 'no' }));
      assert.equal(denied?.code, 'PERMISSION_DENIED');
      assert.equal(denied?.tokenProblem, undefined);
    });

    it('plain text about an expired token, and OAuth bearer bodies', () => {
      assert.equal(classifyApiError(401, 'Your JWT has expired, request a new one')?.tokenProblem, 'expired');
      assert.equal(classifyApiError(401, 'The access token expired')?.tokenProblem, 'expired');
      assert.equal(classifyApiError(401, JSON.stringify({ error: 'invalid_token', error_description: 'The access token expired' }))?.tokenProblem, 'expired');
      assert.equal(classifyApiError(401, JSON.stringify({ error: 'invalid_token' }))?.tokenProblem, 'invalid');
    });

    it('a generic meaning and hint for bodies without a known code', () => {
      const info = classifyApiError(503, '<html>down</html>');
      assert.equal(info?.meaning, 'HTTP 503');
      assert.ok((info?.hint ?? '').length > 0);
      assert.equal(classifyApiError(200, '{"errorCode":40106}'), undefined);
    });

    it('never throws on junk', () => {
      for (const body of ['{', '[[[[', 'null', '"x"', JSON.stringify({ fault: null }), JSON.stringify({ fault: { detail: 5 } }), '\u0000'.repeat(100)]) {
        assert.doesNotThrow(() => classifyApiError(401, body));
        assert.doesNotThrow(() => isTokenRejection(401, body));
      }
      const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      assert.doesNotThrow(() => classifyApiError(500, deep));
    });
  });

  describe('isTokenRejection', () => {
    for (const [form, spec] of Object.entries(UNAUTHORIZED_FORMS)) {
      it(`${spec.tokenProblem ? 'true' : 'false'} for the 401 form "${form}"`, () => {
        assert.equal(isTokenRejection(401, spec.body, spec.headers?.['www-authenticate']), spec.tokenProblem);
      });
    }

    it('false for other statuses, even with a token body', () => {
      assert.equal(isTokenRejection(403, JSON.stringify({ errorCode: 40106 })), false);
      assert.equal(isTokenRejection(200, ''), false);
    });

    it('true for WWW-Authenticate: Bearer error="invalid_token" whatever the body', () => {
      assert.equal(isTokenRejection(401, '<html>Unauthorized</html>', 'Bearer error="invalid_token"'), true);
      assert.equal(isTokenRejection(401, '<html>Unauthorized</html>', 'Bearer realm="x"'), false);
    });
  });

  describe('on a real answer', () => {
    let server: TestServer;
    before(async () => {
      server = await createTestServer().start();
    });
    after(async () => {
      await server.close();
    });

    it('sendRequest attaches the classification to a 4xx result', async () => {
      const r = await sendRequest({ method: 'GET', url: `${server.url}/401-forever?form=norway-40104`, headers: {} }, { timeoutMs: 5000, maxBodyBytes: 1 << 20 });
      assert.equal(r.status, 401);
      assert.deepEqual([r.apiError?.code, r.apiError?.meaning], ['40104', 'not authorized to use given MSISDN']);
    });
  });
});
