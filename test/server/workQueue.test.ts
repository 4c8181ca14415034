import { QueueClosedError, QueueFullError, WorkQueue } from '../../plugin/hosts/server/workQueue';

test('places are taken before the work runs: running + admitted never pass concurrency + capacity', async () => {
  const q = new WorkQueue(1, 2);
  const places = [q.admit(), q.admit(), q.admit()];
  expect(() => q.admit()).toThrow(QueueFullError);
  expect(q.queued).toBe(3);
  // a request whose body turned out bad gives its place back
  places[2].release();
  const fourth = q.admit();
  let release: () => void = () => undefined;
  const first = places[0].run(() => new Promise<string>((r) => (release = () => r('first'))));
  const second = places[1].run(async () => 'second');
  expect([q.running, q.queued]).toEqual([1, 2]);
  expect(() => q.admit()).toThrow(QueueFullError);
  release();
  expect(await first).toBe('first');
  expect(await second).toBe('second');
  expect(await fourth.run(async () => 'fourth')).toBe('fourth');
  await q.idle();
  expect([q.running, q.queued]).toEqual([0, 0]);
});

test('close() fails waiting work and tells admissions still reading their bodies; running work goes on', async () => {
  const q = new WorkQueue(1, 2);
  let release: () => void = () => undefined;
  const running = q.run(() => new Promise<string>((r) => (release = () => r('done'))));
  const waiting = q.admit().run(async () => 'never');
  const reading = q.admit();
  q.close();
  await expect(waiting).rejects.toThrow(QueueClosedError);
  expect(reading.closed.aborted).toBe(true);
  expect(reading.closed.reason).toBeInstanceOf(QueueClosedError);
  await expect(reading.run(async () => 'never')).rejects.toThrow(QueueClosedError);
  expect(() => q.admit()).toThrow(QueueClosedError);
  release();
  expect(await running).toBe('done');
  await q.idle();
});
