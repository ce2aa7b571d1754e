/**
 * A request started as the page loads, before the app that needs its answer exists. Handed out once
 * (`take`); its answer can be read at once while nobody has taken it (`peek`, safe in a render), so
 * the first render can already show it. After `take` or `forget`, callers ask afresh.
 */
export class EarlyAnswer<T> {
  #pending: Promise<T> | null;
  #answer: { value: T } | undefined;

  constructor(request: Promise<T>) {
    this.#pending = request;
    request.then(
      (value) => {
        if (this.#pending === request) this.#answer = { value };
      },
      // Whoever takes it sees the failure; until then it must not surface as an unhandled rejection.
      () => undefined,
    );
  }

  /** The request (once), or null when it was taken or forgotten. */
  take(): Promise<T> | null {
    const request = this.#pending;
    this.forget();
    return request;
  }

  /** The answer if it is in and nobody has taken the request. */
  peek(): T | undefined {
    return this.#answer?.value;
  }

  forget(): void {
    this.#pending = null;
    this.#answer = undefined;
  }
}
