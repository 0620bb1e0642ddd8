// Create a group, add and remove a member, and list both sides of the membership.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, removeUser, collect, tag } from '../lib/okapi.mjs';

test('group membership: add, list both ways, remove', async (t) => {
  const c = client();
  const name = tag('compat-group-');
  const group = await c.groupApi.createGroup({ group: { profile: { name, description: 'okapi compat' } } });
  t.after(() => c.groupApi.deleteGroup({ groupId: group.id }).catch((e) => { if (e.status !== 404) throw e; }));
  assert.match(group.id, /^00g/);
  assert.equal(group.type, 'OKTA_GROUP');
  assert.equal(group.profile.name, name);

  const user = await c.userApi.createUser({ body: newUser(t), activate: true });
  t.after(() => removeUser(c, user.id));

  await c.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });
  // Adding twice is fine (idempotent).
  await c.groupApi.assignUserToGroup({ groupId: group.id, userId: user.id });

  const members = await collect(await c.groupApi.listGroupUsers({ groupId: group.id }));
  assert.deepEqual(members.map((u) => u.id), [user.id]);

  const groups = await collect(await c.userApi.listUserGroups({ userId: user.id }));
  assert.ok(groups.some((g) => g.id === group.id), 'the user lists the group');

  const found = await collect(await c.groupApi.listGroups({ q: name }));
  assert.deepEqual(found.map((g) => g.id), [group.id]);

  await c.groupApi.unassignUserFromGroup({ groupId: group.id, userId: user.id });
  const after = await collect(await c.groupApi.listGroupUsers({ groupId: group.id }));
  assert.deepEqual(after, []);

  await c.groupApi.deleteGroup({ groupId: group.id });
  const gone = await c.groupApi.getGroup({ groupId: group.id }).then(() => null, (e) => e);
  assert.equal(gone?.status, 404);
});
