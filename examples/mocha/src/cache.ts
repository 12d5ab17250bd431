/** A value loaded once, then refreshed in the background every `refreshMs`. */
export class RefreshingCache<T> {
  private value: T | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly refreshMs: number,
  ) {}

  async start(): Promise<void> {
    this.value = await this.load();
    this.timer = setInterval(() => this.refresh(), this.refreshMs); // LEAK: cache-refresh
  }

  private async refresh(): Promise<void> {
    this.value = await this.load();
  }

  get(): T {
    if (this.value === undefined) throw new Error('cache not started');
    return this.value;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
