// Shared set-up for the scenarios: an official Okta Node SDK client pointed at the okapi named by
// OKTA_ORG_URL and OKTA_TOKEN (okapi-compat node-sdk sets both, and NODE_EXTRA_CA_CERTS to
// okapi's generated CA so HTTPS verifies as it would for a real user).
import okta from '@okta/okta-sdk-nodejs';
import { randomBytes } from 'node:crypto';

export function client() {
  const orgUrl = process.env.OKTA_ORG_URL;
  const token = process.env.OKTA_TOKEN;
  if (!orgUrl || !token) {
    throw new Error('set OKTA_ORG_URL and OKTA_TOKEN (scripts/node-sdk-tests.sh does)');
  }
  // No cache: the SDK's default cache would serve a stale user after a lifecycle change.
  return new okta.Client({ orgUrl, token, cacheMiddleware: null });
}

// tag makes names unique to one run so scenarios never see each other's data.
export function tag(prefix) {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export function newUser(t, lastName = tag('Compat')) {
  const login = `${tag('node-')}@example.com`;
  return {
    profile: { firstName: 'Node', lastName, email: login, login },
    credentials: { password: { value: 'Abcd1234!xyzw' } },
  };
}

// collect drains a collection, skipping the null items the SDK yields for an empty page, and
// stops after max items so a server that never ends a list cannot hang the test.
export async function collect(collection, max = 1000) {
  const items = [];
  for await (const item of collection) {
    if (item) {
      items.push(item);
    }
    if (items.length >= max) {
      break;
    }
  }
  return items;
}

// removeUser deletes a user whatever its status (deactivate, then delete), ignoring 404.
export async function removeUser(c, userId) {
  try {
    const u = await c.userApi.getUser({ userId });
    if (u.status !== 'DEPROVISIONED') {
      await c.userApi.deactivateUser({ userId });
    }
    await c.userApi.deleteUser({ userId });
  } catch (e) {
    if (e.status !== 404) {
      throw e;
    }
  }
}

export async function expectStatus(promise, status) {
  try {
    await promise;
  } catch (e) {
    if (e.status === status) {
      return e;
    }
    throw e;
  }
  throw new Error(`expected HTTP ${status}, got success`);
}
