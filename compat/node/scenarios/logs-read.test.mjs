// Read the System Log: the events of a change made through the API, bounded by since/until.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, newUser, removeUser, collect } from '../lib/okapi.mjs';

test('the System Log records a user create and lifecycle change', async (t) => {
  const c = client();
  const since = new Date(Date.now() - 60_000).toISOString();
  const u = await c.userApi.createUser({ body: newUser(t), activate: false });
  t.after(() => removeUser(c, u.id));
  await c.userApi.activateUser({ userId: u.id, sendEmail: false });
  const until = new Date(Date.now() + 60_000).toISOString();

  // A bounded request (until set) ends, so the iterator terminates.
  const events = await collect(await c.systemLogApi.listLogEvents({
    since, until, filter: `target.id eq "${u.id}"`, limit: 2,
  }), 100);
  const types = events.map((e) => e.eventType);
  assert.ok(types.includes('user.lifecycle.create'), `create event in ${types}`);
  assert.ok(types.includes('user.lifecycle.activate'), `activate event in ${types}`);

  const create = events.find((e) => e.eventType === 'user.lifecycle.create');
  assert.ok(create.uuid, 'uuid');
  assert.ok(create.published, 'published');
  assert.equal(create.outcome?.result, 'SUCCESS');
  assert.ok(create.actor?.id, 'actor');
  assert.ok(create.target?.some((x) => x.id === u.id && x.type === 'User'), 'the user is a target');

  // Every event is within the window.
  for (const e of events) {
    const at = new Date(e.published).getTime();
    assert.ok(at >= Date.parse(since) && at <= Date.parse(until), `published ${e.published} in window`);
  }

  const bad = await c.systemLogApi.listLogEvents({ since: 'yesterday' }).then((col) => collect(col, 1)).then(() => null, (e) => e);
  assert.equal(bad?.status, 400, 'an invalid since is refused');
});
