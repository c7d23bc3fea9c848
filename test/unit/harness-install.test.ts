// The test harness installs code-server with its own npm. Under `npm test` the outer npm's identity leaks
// into that npm's config; this guards the filter that keeps it out (CI installs from scratch every time).
import * as assert from 'node:assert/strict';
import { withoutOuterNpm } from '../harness/install';

describe('harness: installing code-server under an outer npm run', () => {
  it('drops the outer run’s user agent, package and lifecycle variables, keeps deliberate npm settings', () => {
    const env = withoutOuterNpm({
      PATH: '/usr/bin',
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_lifecycle_event: 'test',
      npm_package_name: 'telenor-api-explorer',
      npm_node_execpath: '/usr/bin/node',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      npm_command: 'run-script',
      NODE: '/usr/bin/node',
      INIT_CWD: '/work/main',
      npm_config_registry: 'https://registry.example.test/',
      npm_config_proxy: 'http://proxy.example.test:3128',
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      npm_config_registry: 'https://registry.example.test/',
      npm_config_proxy: 'http://proxy.example.test:3128',
    });
  });
});
