// Create a user with a password, activated, and read it back by id and by login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, removeUser } from '../lib/okapi.mjs';

test('create an active user and read it back by id and by login', async (t) => {
  const c = client();
  const body = newUser();
  const created = await c.userApi.createUser({ body, activate: true });
  t.after(() => removeUser(c, created.id));

  assert.match(created.id, /^00u/);
  assert.equal(created.status, 'ACTIVE');
  assert.equal(created.profile.login, body.profile.login);
  assert.equal(created.profile.lastName, body.profile.lastName);
  assert.ok(created.created instanceof Date || typeof created.created === 'string', 'created is set');
  assert.ok(created._links?.self?.href?.endsWith(`/api/v1/users/${created.id}`), 'self link');
  assert.equal(created.credentials?.password?.value, undefined, 'the password is never returned');

  const byId = await c.userApi.getUser({ userId: created.id });
  assert.equal(byId.id, created.id);
  assert.equal(byId.profile.email, body.profile.email);

  const byLogin = await c.userApi.getUser({ userId: body.profile.login });
  assert.equal(byLogin.id, created.id);

  // A second user with the same login is refused with Okta's validation error.
  const err = await c.userApi.createUser({ body, activate: false }).then(() => null, (e) => e);
  assert.ok(err, 'duplicate login must fail');
  assert.equal(err.status, 400);
  assert.equal(err.errorCode, 'E0000001');
});
