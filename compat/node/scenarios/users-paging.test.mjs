// Page through users with the SDK's collection iterator, which follows Link rel="next".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, removeUser, collect, tag } from '../lib/okapi.mjs';

test('the collection iterator pages through every user exactly once', async (t) => {
  const c = client();
  const lastName = tag('Page');
  const ids = [];
  for (let i = 0; i < 5; i++) {
    const u = await c.userApi.createUser({ body: newUser(t, lastName), activate: false });
    ids.push(u.id);
    t.after(() => removeUser(c, u.id));
  }
  const collection = await c.userApi.listUsers({ search: `profile.lastName eq "${lastName}"`, limit: 2 });
  const first = await collection.next();
  assert.ok(first.value, 'the first page has users');
  const rest = await collect(collection);
  const seen = [first.value, ...rest].map((u) => u.id);
  assert.equal(new Set(seen).size, seen.length, `no user twice: ${seen}`);
  assert.deepEqual(seen.sort(), ids.sort());

  // Plain list (no search) with a small limit also ends, and contains our users.
  const all = await collect(await c.userApi.listUsers({ limit: 2 }), 10000);
  for (const id of ids) {
    assert.ok(all.some((u) => u.id === id), `${id} listed`);
  }
});
