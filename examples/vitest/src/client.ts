export interface RetryOptions {
  retries: number;
  delayMs: number;
}

/** GETs JSON, retrying after a delay when the service is down or answers 5xx. */
export async function getJson(url: string, { retries, delayMs }: RetryOptions): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return await response.json();
      throw new Error(`${url} answered ${response.status}`);
    } catch (error) {
      if (attempt >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
