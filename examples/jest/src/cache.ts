/** A value cache that refreshes itself on an interval until stopped. */
export class RefreshingCache<T> {
  private value: T | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly load: () => T,
    private readonly everyMs: number,
  ) {}

  start(): this {
    this.value = this.load();
    this.timer = setInterval(() => {
      this.value = this.load();
    }, this.everyMs);
    return this;
  }

  get(): T | undefined {
    return this.value;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
