/** A value cache that reloads itself on an interval, as a service would for config or feature flags. */
export class RefreshingCache<T> {
  private value: T | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly everyMs: number,
  ) {}

  async start(): Promise<void> {
    this.value = await this.load();
    this.timer = setInterval(async () => {
      this.value = await this.load();
    }, this.everyMs);
  }

  get(): T | undefined {
    return this.value;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
