import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstRun, seekPlan, snapshotRunFor } from '../../src/player/seekplan.js';

const WINDOW = 60_000;
const SNAPSHOTS = [0, 300_000, 600_000, 900_000]; // a full snapshot every 5 minutes

const loading = (over = {}) => ({ done: false, running: true, runFrom: 0, loadedUntil: 120_000, ...over });
const plan = (target, loader, extra = {}) =>
  seekPlan({ target, loader, hasReplayer: true, buffering: false, snapshots: SNAPSHOTS, windowMs: WINDOW, ...extra });

test('a seek into what is loaded seeks at once', () => {
  assert.equal(plan(90_000, loading()), 'seek');
});

test('a seek just past what is loaded waits for the next windows', () => {
  assert.equal(plan(200_000, loading()), 'wait');
});

test('a seek far ahead starts a run at the snapshot before it', () => {
  assert.equal(plan(650_000, loading()), 'run');
});

test('a seek before the current run starts a run there', () => {
  assert.equal(plan(100_000, loading({ runFrom: 600_000, loadedUntil: 700_000 })), 'run');
});

test('once everything is loaded a seek before the run replays the whole session', () => {
  assert.equal(plan(100_000, { done: true, running: false, runFrom: 600_000, loadedUntil: 1_000_000 }), 'replay-all');
});

test('before the player has started a seek waits', () => {
  assert.equal(plan(90_000, loading(), { hasReplayer: false }), 'wait');
  assert.equal(plan(90_000, loading(), { buffering: true }), 'wait');
});

test('a snapshot run is worth it only beyond what is loaded and beyond the first window', () => {
  assert.equal(snapshotRunFor({ snapshots: SNAPSHOTS, target: 650_000, loadedUntil: 120_000, windowMs: WINDOW }), true);
  assert.equal(snapshotRunFor({ snapshots: SNAPSHOTS, target: 650_000, loadedUntil: 620_000, windowMs: WINDOW }), false);
  assert.equal(snapshotRunFor({ snapshots: [0], target: 650_000, loadedUntil: 0, windowMs: WINDOW }), false);
  assert.equal(snapshotRunFor({ snapshots: [], target: 650_000, loadedUntil: 0, windowMs: WINDOW }), false);
});

test('a ?t= deep into a long session starts at its snapshot, a short one at 0', () => {
  assert.deepEqual(firstRun({ startAt: 610_000, snapshots: SNAPSHOTS, windowMs: WINDOW }), { at: 610_000, snapshot: true });
  assert.deepEqual(firstRun({ startAt: 30_000, snapshots: SNAPSHOTS, windowMs: WINDOW }), { at: 0, snapshot: false });
  assert.deepEqual(firstRun({ startAt: null, snapshots: SNAPSHOTS, windowMs: WINDOW }), { at: 0, snapshot: false });
});
