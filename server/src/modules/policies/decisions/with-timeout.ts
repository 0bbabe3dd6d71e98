/** What a store call that did not answer in time rejects with. */
export class StoreTimeout extends Error {
  constructor(readonly milliseconds: number) {
    super(`no answer in ${milliseconds} ms`);
    this.name = 'StoreTimeout';
  }
}

/** The promise, or a StoreTimeout after `milliseconds` (the call itself is not cancelled). */
export function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(milliseconds)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
