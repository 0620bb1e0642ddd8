// Walk a user through the lifecycle with the SDK's lifecycle operations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, removeUser, expectStatus } from '../lib/okapi.mjs';

test('staged → active → suspended → active → deprovisioned → deleted', async (t) => {
  const c = client();
  const u = await c.userApi.createUser({ body: newUser(t), activate: false });
  t.after(() => removeUser(c, u.id));
  const status = async () => (await c.userApi.getUser({ userId: u.id })).status;
  assert.equal(u.status, 'STAGED');

  await c.userApi.activateUser({ userId: u.id, sendEmail: false });
  assert.equal(await status(), 'ACTIVE');

  await c.userApi.suspendUser({ userId: u.id });
  assert.equal(await status(), 'SUSPENDED');

  // Suspending a suspended user is refused.
  const refused = await expectStatus(c.userApi.suspendUser({ userId: u.id }), 400);
  assert.equal(refused.errorCode, 'E0000001');

  await c.userApi.unsuspendUser({ userId: u.id });
  assert.equal(await status(), 'ACTIVE');

  await c.userApi.deactivateUser({ userId: u.id });
  assert.equal(await status(), 'DEPROVISIONED');

  await c.userApi.deleteUser({ userId: u.id });
  const gone = await expectStatus(c.userApi.getUser({ userId: u.id }), 404);
  assert.equal(gone.errorCode, 'E0000007');
});
