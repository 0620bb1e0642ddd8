// List users with filter, search and q, as an admin script would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, removeUser, collect, tag } from '../lib/okapi.mjs';

test('list users with filter, search and q', async (t) => {
  const c = client();
  const lastName = tag('Filter');
  const active = await c.userApi.createUser({ body: newUser(t, lastName), activate: true });
  t.after(() => removeUser(c, active.id));
  const staged = await c.userApi.createUser({ body: newUser(t, lastName), activate: false });
  t.after(() => removeUser(c, staged.id));
  assert.equal(staged.status, 'STAGED');

  const byLastName = await collect(await c.userApi.listUsers({ filter: `profile.lastName eq "${lastName}"` }));
  assert.deepEqual(byLastName.map((u) => u.id).sort(), [active.id, staged.id].sort());

  const stagedOnly = await collect(await c.userApi.listUsers({
    filter: `status eq "STAGED" and profile.lastName eq "${lastName}"`,
  }));
  assert.deepEqual(stagedOnly.map((u) => u.id), [staged.id]);

  const searched = await collect(await c.userApi.listUsers({ search: `profile.lastName eq "${lastName}" and status eq "ACTIVE"` }));
  assert.deepEqual(searched.map((u) => u.id), [active.id]);

  const byLogin = await collect(await c.userApi.listUsers({ filter: `profile.login eq "${active.profile.login}"` }));
  assert.deepEqual(byLogin.map((u) => u.id), [active.id]);

  const q = await collect(await c.userApi.listUsers({ q: lastName }));
  assert.ok(q.some((u) => u.id === active.id), 'q finds the user by last name');

  const bad = await c.userApi.listUsers({ filter: 'profile.lastName eq' }).then((col) => collect(col)).then(() => null, (e) => e);
  assert.ok(bad, 'a malformed filter is refused');
  assert.equal(bad.status, 400);
});
